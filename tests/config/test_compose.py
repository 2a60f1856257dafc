"""Bad input: a clear ConfigError naming the key, the value and what is allowed; nothing written.

Each case runs through the Python API (``sim.run`` raises ``sim.ConfigError``) and through
the command line (``python -m sim`` prints ``error: <message>`` to stderr, exits with 2 and
creates no output folder).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import sim
from sim import results
from sim.config.keys import describe_range
from tests.helpers import REPO

NINE_TENTHS = "[" + ",".join(["0.1"] * 9) + "]"  # nine age bands summing to 0.9


class Case(NamedTuple):
    args: list[str]  # CLI arguments; scenario=, design= and seed= go to sim.run as arguments
    fragments: tuple[str, ...]  # must all appear in the message


CASES = {
    "unknown_key": Case(["citizens.nonexistent=1"], ("citizens.nonexistent=1", "no such key", "docs/parameters.md")),
    # a letter missed: the key it looks like
    "misspelt_key": Case(["citizens.fear_man=0.3"], ("citizens.fear_man=0.3: no such key (did you mean "
                                                     "citizens.fear_mean?)",)),
    "misspelt_section": Case(["citizen.fear_mean=0.3"], ("citizen.fear_mean=0.3: no such key (did you mean "
                                                         "citizens.fear_mean?)",)),
    # '+' (Hydra append) must not let a typo in silently (it used to be dropped without a word)
    "unknown_key_appended": Case(["+citizens.nonexistent=1"], ("citizens.nonexistent", "no such key")),
    "wrong_type": Case(["citizens.fear_mean=abc"], ("citizens.fear_mean", "abc", "[0, 1]")),
    "out_of_range": Case(["citizens.fear_mean=1.5"], ("citizens.fear_mean=1.5", "[0, 1]")),
    "below_range": Case(["citizens.fear_mean=-0.1"], ("citizens.fear_mean=-0.1", "[0, 1]")),
    "not_finite": Case(["citizens.fear_mean=nan"], ("citizens.fear_mean=nan", "[0, 1]")),
    "zero_steps": Case(["run.steps=0"], ("run.steps=0", "[1, 1200]")),
    "fractional_steps": Case(["run.steps=1.5"], ("run.steps", "1.5", "[1, 1200]")),
    "empty_population": Case(["scenario.population=0"], ("scenario.population=0", "[10,")),
    # the bound is printed in full (it used to read 4.29497e+09)
    "seed_too_large": Case(["seed=4294967296"], ("seed=4294967296", "[0, 4294967295]")),
    "too_few_residents": Case(["run.population_scale=0.0001"], ("run.population_scale", "0.0001", "10")),
    "unknown_scenario": Case(["scenario=atlantis"], ("scenario", "atlantis", "generic", "kampenhout")),
    "unknown_design": Case(["design=carrier"], ("design", "carrier", "participatory_budget", "none")),
    "shares_not_summing": Case([f"scenario.age_shares={NINE_TENTHS}"], ("scenario.age_shares", "0.9", "sum")),
    "wrong_list_length": Case(["scenario.education_shares_adults=[0.5,0.5]"],
                              ("scenario.education_shares_adults", "2", "3")),
    "wrong_enum": Case(["design.channel=carrier_pigeon"],
                       ("design.channel", "carrier_pigeon", "online", "offline", "hybrid")),
    "panel_without_seats": Case(["design=citizens_panel", "design.panel_size=0"],
                                ("design.panel_size=0", "lot", "[1, 10000]")),
    # PB: inform 2 + ideas 3 + 1 decision month; a 3-month cycle would never reach its decision
    "cycle_too_short": Case(["design=participatory_budget", "scenario.budget_cycle_months=3"],
                            ("cycle_months=3", "[6, 120]")),
    "channel_weights_with_equal_shares": Case(["design=participatory_budget", "design.channel_weights=true",
                                               "design.allocation_rule=equal_shares"],
                                              ("design.channel_weights=true", "equal_shares", "greedy")),
    "theme_budgets_without_themes": Case(["design=participatory_budget", "design.sub_budgets=theme"],
                                         ("design.sub_budgets=theme", "design.themes=0", ">= 1")),
    "vote_threshold_above_one": Case(["design.vote_threshold=1.5"], ("design.vote_threshold=1.5", "[0, 1]")),
    # names become folders (outputs/runs/<scenario>/<design>): never a path, never empty
    "escaping_name": Case(["scenario.name=../../../../escaped"],
                          ("scenario.name='../../../../escaped'", "without / or \\", "names folders")),
    "empty_name": Case(["scenario.name=''"], ("scenario.name=''", "it is empty")),
    "dot_dot_design_name": Case(["design.name=.."], ("design.name='..'", "it is . or ..")),
    "experiment_name_path": Case(["experiment.name=a/b"], ("experiment.name='a/b'", "without / or")),
    # a name is a folder's name: 100 characters of Chinese script (300 bytes) are more than a file system holds
    "name_too_many_bytes": Case(["scenario.name='" + "\u4e2d" * 100 + "'"],
                                ("scenario.name='" + "\u4e2d" * 40 + "\u2026' is not allowed", "300 bytes in UTF-8, "
                                 "more than 200", "at most 200 bytes")),
    "experiment_name_too_many_bytes": Case(["experiment.name='" + "\u00eb" * 101 + "'"],
                                           ("experiment.name=", "101 characters, more than 100")),
    # a preset name is a file name in its folder: Hydra would read ../../x.yaml outside configs/
    "design_outside_presets": Case(["design=../../../../../../tmp/evil"],
                                   ("design='../../../../../../tmp/evil'", "is not a preset name")),
    "duplicate_neighbourhoods": Case(["scenario.neighbourhoods=[Centrum,Centrum,Noord]",
                                      "scenario.neighbourhood_shares=[0.3,0.3,0.4]"],
                                     ("scenario.neighbourhoods=", "names 'Centrum' twice", "each neighbourhood once")),
    # neighbourhoods that look the same in every table: an invisible character, white space, two Unicode forms
    "invisible_neighbourhood": Case(["scenario.neighbourhoods=[Centrum,'Zu\u200bid',Noord]",
                                     "scenario.neighbourhood_shares=[0.3,0.3,0.4]"],
                                    ("scenario.neighbourhoods=", "invisible character U+200B")),
    "same_looking_neighbourhoods": Case(["scenario.neighbourhoods=[Zuid,'Zuid ','Zoe\u0308','Zo\u00eb']",
                                         "scenario.neighbourhood_shares=[0.25,0.25,0.25,0.25]"],
                                        ("names 'Zuid' and 'Zuid ' (the same name but for white space",
                                         "each neighbourhood once")),
    "citizens_budget_above_yearly": Case(["scenario.citizens_budget_eur=900000000"],
                                         ("scenario.citizens_budget_eur=900000000", "is larger than",
                                          "scenario.annual_budget_eur=67000000")),
    "unknown_outcome": Case(["experiment.outcomes=[no_such_outcome]"],
                            ("experiment.outcomes=['no_such_outcome']", "'no_such_outcome' is not an outcome",
                             "turnout")),
    # a value never reads the environment, whatever its source
    "environment_resolver": Case(["scenario.name='Town ${oc.env:HOME}'"],
                                 ("scenario.name='Town ${oc.env:HOME}'", "calls the resolver oc.env")),
}

#: The cases also run through the CLI (one process each, so only the main kinds of error).
CLI_CASES = ("unknown_key", "wrong_type", "out_of_range", "zero_steps", "empty_population",
             "unknown_scenario", "unknown_design", "shares_not_summing", "wrong_enum", "escaping_name",
             "design_outside_presets", "environment_resolver")
# shares_not_summing has a list value with commas: it once slipped past the CLI's pre-validation.


def api_call(args: list[str]) -> None:
    """sim.run with the case's scenario, design and seed as arguments, the rest as overrides."""
    named = {"scenario": None, "design": None, "seed": "0"}
    overrides = []
    for a in args:
        key, _, value = a.partition("=")
        if key in named:
            named[key] = value
        else:
            overrides.append(a)
    seed = int(named["seed"])
    sim.run(named["scenario"], named["design"], seed, ["run.population_scale=0.05", "run.steps=12", *overrides])


def assert_names(message: str, fragments: tuple[str, ...]) -> None:
    for frag in fragments:
        assert frag in message, f"{frag!r} missing from the message: {message!r}"


# --------------------------------------------------------------------------- Python API


@pytest.mark.parametrize("name", list(CASES))
def test_api_raises_config_error(name, tmp_path, monkeypatch):
    case = CASES[name]
    monkeypatch.chdir(tmp_path)
    outputs_before = (REPO / "outputs").exists()
    with pytest.raises(sim.ConfigError) as info:
        api_call(case.args)
    assert_names(str(info.value), case.fragments)
    assert "Traceback" not in str(info.value)
    assert list(tmp_path.iterdir()) == []
    assert (REPO / "outputs").exists() == outputs_before


def test_config_error_is_a_value_error():
    assert issubclass(sim.ConfigError, ValueError)


def test_range_message_comes_from_schema():
    with pytest.raises(sim.ConfigError) as info:
        sim.compose_config(overrides=["administration.fear_failure=2"])
    assert describe_range("administration.fear_failure") in str(info.value)
    assert describe_range("administration.fear_failure") == "float in [0, 1]"


def test_interpolated_default_is_range_checked():
    # design.min_age defaults to ${scenario.min_participation_age}: a bad scenario value is caught, named
    with pytest.raises(sim.ConfigError, match=r"scenario\.min_participation_age=150"):
        sim.compose_config(overrides=["scenario.min_participation_age=150"])
    # a share of residents who agree with a survey item lies strictly between 0 and 1
    with pytest.raises(sim.ConfigError, match=r"scenario\.initial_trust=2"):
        sim.compose_config(overrides=["scenario.initial_trust=2"])


def test_valid_overrides_compose():
    cfg = sim.compose_config("kampenhout", "citizens_panel", 3, ["citizens.fear_mean=0.7", "run.steps=5"])
    assert (cfg.citizens.fear_mean, cfg.run.steps, cfg.seed) == (0.7, 5, 3)
    assert cfg.scenario.name == "kampenhout"
    assert cfg.design.name == "citizens_panel"


# --------------------------------------------------------------------------- CLI


def run_cli(args: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """Run ``python -m sim`` from an empty working directory with hydra.run.dir under tmp_path."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run([sys.executable, "-m", "sim", *args, f"hydra.run.dir={out}"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    return proc, out, cwd


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_reports_error_and_writes_nothing(name, tmp_path):
    case = CASES[name]
    proc, out, cwd = run_cli(["run.population_scale=0.05", "run.steps=12", *case.args], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    assert_names(proc.stderr, case.fragments)
    assert not out.exists()
    assert list(cwd.iterdir()) == []


def test_cli_writes_into_run_dir(tmp_path):
    """Control for the tests above: a valid run does create hydra.run.dir."""
    proc, out, cwd = run_cli(["scenario=kampenhout", "design=none", "run.population_scale=0.05",
                              "run.steps=6"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "summary.json").is_file()
    assert (out / "timeseries.parquet").is_file()
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize(("name", "shown"), [("../../../../escaped", "'../../../../escaped'"),
                                             ("\u4e2d" * 100, "'" + "\u4e2d" * 40 + "\u2026'")],
                         ids=["escaping", "too_many_bytes"])
def test_a_name_never_writes_outside_the_outputs_folder(tmp_path, name, shown):
    """``python -m sim 'scenario.name=../../../../escaped'`` with the default run folder writes nothing anywhere; nor
    does a name too long for a folder (it made outputs/runs, then ended in a 47-line traceback)."""
    cwd = tmp_path / "a" / "b" / "c" / "d" / "cwd"
    cwd.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run([sys.executable, "-m", "sim", f"scenario.name='{name}'", "run.steps=2",
                           "run.population_scale=0.02"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: scenario.name={shown}"), proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "c", "cwd", "d"]


def test_an_environment_token_never_reaches_a_value(monkeypatch):
    """A resolver in any value is refused, so a secret in the environment never reaches a run or its files."""
    monkeypatch.setenv("SIM_TEST_TOKEN", "tok-3141592653")
    for override in ("scenario.name=${oc.env:SIM_TEST_TOKEN}", "scenario.neighbourhoods=[a,'${oc.env:SIM_TEST_TOKEN}']",
                     "design.name=x${oc.decode:'1'}"):
        with pytest.raises(sim.ConfigError, match="calls the resolver") as info:
            sim.compose_config("generic", "none", overrides=[override])
        assert "tok-3141592653" not in str(info.value)
    # a reference to another key stays allowed (the schema's own defaults use them)
    assert sim.compose_config("generic", "none", overrides=["scenario.initial_efficacy=${scenario.initial_trust}"])


def test_outcome_names_are_the_summary_outcomes(run_tiny):
    """experiment.outcomes is checked against words, not a run (the launcher stays light): the same list."""
    from sim.config.keys import outcome_names

    summary = run_tiny(extra_overrides=["run.steps=2"]).summary
    assert set(outcome_names()) == set(summary.index) - set(results.IDENTITY)


def test_an_override_too_long_for_hydras_parser_is_refused_at_once() -> None:
    """A list of 16,000 numbers took Hydra's parser 35 s before its error; refused before parsing, naming it."""
    long = "scenario.age_shares=[" + ",".join(["0.1"] * 16000) + "]"
    with pytest.raises(sim.ConfigError, match=r"^overrides\[1\]=scenario.age_shares=\[0.1,0.1.*\.\.\. is 64,021 "
                                          r"characters long; allowed: at most 10,000"):
        sim.compose_config("kampenhout", "none", 0, ["run.steps=2", long])


@pytest.mark.parametrize(("override", "message"), [
    ("citizens.fear_mean.x=1", "citizens.fear_mean.x=1: citizens.fear_mean is a value, not a section; allowed: "
                               "citizens.fear_mean=<float in [0, 1]>"),
    ("+citizens.fear_mean.x=1", "citizens.fear_mean.x=1: citizens.fear_mean is a value, not a section; allowed: "
                                "citizens.fear_mean=<float in [0, 1]>"),
    ("design.channel.a=1", "design.channel.a=1: design.channel is a value, not a section; allowed: "
                           "design.channel=<one of online, offline, hybrid>"),
    # a list: OmegaConf's bare "invalid literal for int() with base 10: 'x'"
    ("scenario.age_shares.x=1", "scenario.age_shares.x=1: scenario.age_shares is a value, not a section; allowed: "
                                "scenario.age_shares=<list in [0, 1]>"),
    # an item of a list: OmegaConf's `scenario.age_shares[0]=None: Value '{}' of type 'dict' could not be converted
    # to Float; allowed: a key of the schema`
    ("scenario.age_shares.0.y=1", "scenario.age_shares.0.y=1: item 0 of scenario.age_shares is a value, not a "
                                  "section; allowed: scenario.age_shares.0=<a number> or scenario.age_shares=[...] "
                                  "(list in [0, 1])"),
    ("scenario.age_shares.2=[1]", "scenario.age_shares.2=[1]: item 2 of scenario.age_shares takes a number; allowed: "
                                  "scenario.age_shares.2=<a number> or scenario.age_shares=[...] (list in [0, 1])"),
    ("scenario.age_shares.99=0.1", "scenario.age_shares.99=0.1: scenario.age_shares has no item 99 (list index out "
                                   "of range); allowed: an item it has, or scenario.age_shares=[...] (list in [0, 1])"),
    ("citizens=3", "citizens=3: citizens is a section, not a value; allowed: a key in it, citizens.<key>=<value> "
                   "(see docs/parameters.md)"),
    ("experiment=calibration_abc", "experiment=calibration_abc: the defaults choose no experiment, so it is added "
                                   "with a +; allowed: +experiment=calibration_abc"),
    # ~ deletes: Hydra's `Could not delete from config. 'citizens.fear_man' does not exist.`, and for a key of the
    # schema `CitizensConfig (DictConfig) does not support deletion` with the value ''
    ("~citizens.fear_man", "~citizens.fear_man: no such key (did you mean citizens.fear_mean?); allowed: a key of "
                           "the schema (see docs/parameters.md)"),
    ("~citizens.fear_mean", "~citizens.fear_mean: a key of the schema cannot be deleted; allowed: "
                            "citizens.fear_mean=<float in [0, 1]>"),
])
def test_a_key_below_a_value_or_a_value_for_a_section_is_one_line_naming_it(override: str, message: str) -> None:
    """citizens.fear_mean.x=1 said `citizens.fear_mean=None: Value '{}' of type 'dict' could not be converted to
    Float`, citizens=3 OmegaConf's `int is not a subclass of CitizensConfig`, experiment=... (the + forgotten)
    Hydra's `No match in the defaults list`."""
    from sim.config.compose import compose_node
    from sim.config.keys import ConfigError

    with pytest.raises(ConfigError) as caught:
        compose_node([override])
    assert str(caught.value) == message


def test_the_message_names_the_override_at_fault_among_several_on_one_item() -> None:
    """scenario.age_shares.0=0.1 is fine; the message named it (the first that touched item 0), not .0.y=1."""
    from sim.config.compose import compose_node
    from sim.config.keys import ConfigError

    with pytest.raises(ConfigError, match=r"^scenario\.age_shares\.0\.y=1: item 0 of scenario\.age_shares is a value"):
        compose_node(["scenario.age_shares.0=0.1", "scenario.age_shares.0.y=1"])


def test_a_key_below_a_value_is_one_line_on_the_command_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "sim", "citizens.fear_mean.x=1", f"hydra.run.dir={tmp_path / 'o'}"],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2
    assert proc.stderr == ("error: citizens.fear_mean.x=1: citizens.fear_mean is a value, not a section; allowed: "
                           "citizens.fear_mean=<float in [0, 1]>\n")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("override", "message"), [
    ("scenario=geell", "scenario='geell' is not a preset (did you mean geel?); allowed: one of antwerp_district, geel, "
                       "generic, kampenhout"),
    ("design=participatory_budge", "design='participatory_budge' is not a preset (did you mean "
                                   "participatory_budget?); allowed: one of citizens_panel, consultation, "
                                   "coproduction, ideas_platform, none, participatory_budget, spatial_codesign, "
                                   "tokenistic_consultation"),
])
def test_a_misspelt_preset_gets_the_close_one(override: str, message: str) -> None:
    """`scenario=geell` listed the presets without the one meant."""
    from sim.config.compose import compose_node
    from sim.config.keys import ConfigError

    with pytest.raises(ConfigError) as caught:
        compose_node([override])
    assert str(caught.value) == message
