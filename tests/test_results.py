"""The tidy results of a run: the project ledger and the cycle table agree with the summary."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

import sim
from sim.config.compose import preset_names
from sim.model.mechanisms.perceptions import INDEX, ITEMS, READ_BY_RULES
from sim.model.processes.projects import LEDGER_COLUMNS
from sim.results import CYCLE_COLUMNS, CYCLE_TYPES

CASES = {
    "budget": ("kampenhout", "participatory_budget", ["run.population_scale=0.2"]),
    "equal_shares": ("kampenhout", "participatory_budget",
                     ["run.population_scale=0.2", "design.allocation_rule=equal_shares"]),
    # reopened and late projects: little capacity, a council that reopens (a fifth of the residents, so
    # that their share of the project money funds several projects)
    "reopened_and_late": ("generic", "ideas_platform",
                          ["run.population_scale=0.2", "design.project_staff_hours=10000",
                           "design.implementation_months=0", "administration.role_realism=0",
                           "design.reopen_probability=0.5", "administration.role_guardian=0",
                           "council.commitment=0"]),
    "election_in_cycle": ("kampenhout", "consultation",
                          ["run.population_scale=0.2", "scenario.next_election_month=4",
                           "administration.role_continuity=0"]),
    "none": ("geel", "none", ["run.population_scale=0.05"]),
    # projects dropped in implementation, overruns, co-assessment, themes with their own budgets
    "abandoned_themes": ("kampenhout", "participatory_budget",
                         ["run.population_scale=0.2", "administration.abandon_share=0.5", "design.coassessment=1.0",
                          "design.sub_budgets=theme", "design.themes=4"]),
}


@pytest.fixture(scope="module", params=list(CASES))
def result(request):
    import sim

    scenario, design, overrides = CASES[request.param]
    return request.param, sim.run(scenario, design, 3, overrides)


def test_ledger_and_cycles_agree_with_the_summary(result):
    """The ledger holds residents' proposals (the summary's counts) and the council's own projects, which
    every design has (the project money residents do not decide on); the money spent adds up over both."""
    name, res = result
    s, ledger, c = res.summary, res.projects, res.cycles
    assert list(ledger.columns) == list(LEDGER_COLUMNS) and list(c.columns) == list(CYCLE_COLUMNS)
    assert {k: str(t) for k, t in c.dtypes.items()} == CYCLE_TYPES
    assert set(ledger["origin"]) <= {"residents", "council"}
    p = ledger[ledger["origin"] == "residents"]
    assert len(p) == s["proposals_submitted"] == c["submitted"].sum()
    assert p["adopted"].sum() == s["proposals_adopted"] == c["adopted"].sum()
    assert p["screened_in"].sum() == c["screened_in"].sum()
    assert p["month_delivered"].notna().sum() == s["proposals_implemented"]
    assert p["reopened"].sum() == s["decisions_reopened"]
    assert p["late"].sum() == s["projects_late"]
    assert p["abandoned"].sum() == s["projects_abandoned"]
    assert len(c) == s["cycles"]
    # a project has a final cost exactly when it was delivered
    assert (ledger["cost_final"].notna() == ledger["month_delivered"].notna()).all()
    # the project money spent: the final costs of every project delivered, the residents' and the council's
    assert s["budget_spent"] == pytest.approx(ledger["cost_final"].sum(), rel=1e-9, abs=1e-6)
    council = ledger[ledger["origin"] == "council"]
    assert council["adopted"].all() and (council["cycle"] == 0).all() and council["votes"].isna().all()
    # the money committed to each side is at least what each side's delivered projects cost
    for origin, column in (("residents", "budget_residents"), ("council", "budget_council")):
        assert s[column] >= ledger.loc[ledger["origin"] == origin, "cost_final"].sum() - 1e-6, origin
    if name == "none":  # no participation: the council decides on all the project money, and spends it
        assert p.empty and s["budget_residents"] == 0 and s["budget_council"] > 0
        assert s["budget_spent"] > 0 and not council.empty
    if name == "abandoned_themes":
        assert p["abandoned"].any() and p["coassessed"].any() and p["theme"].notna().all()
        assert not (p["abandoned"] & p["month_delivered"].notna()).any()
    if name == "reopened_and_late":
        assert p["reopened"].any() and p["late"].any()
    if name == "election_in_cycle":
        assert c["abandoned"].any()


def test_ledger_rows_are_consistent(result):
    _, res = result
    p = res.projects
    adopted = p[p["adopted"]]
    # only screened-in proposals are adopted; an adopted project is due after its adoption
    residents = p[p["origin"] == "residents"]
    assert residents.loc[residents["adopted"], "screened_in"].all()
    assert (adopted["month_due"] > adopted["month_adopted"]).all()
    delivered = adopted.dropna(subset=["month_delivered"])
    assert (delivered["month_delivered"] >= delivered["month_adopted"]).all()
    # a reopened project is never delivered; not adopted proposals have no adoption month
    assert p.loc[p["reopened"], "month_delivered"].isna().all()
    assert p.loc[~p["adopted"], "month_adopted"].isna().all()
    if res.config.design.budget_per_cycle_eur > 0:
        # the council adopts only projects the allocation rule funded
        assert residents.loc[residents["adopted"], "funded"].all()
        assert (residents["votes"].fillna(0) >= 0).all()
    else:
        assert residents["votes"].isna().all() and residents["funded"].isna().all()
    assert set(p["neighbourhood"]) <= set(res.config.scenario.neighbourhoods)


def test_cli_writes_projects_and_cycles(tmp_path, run_tiny):
    from sim.io import write_run

    res = run_tiny("generic", "participatory_budget", 0, ["run.steps=24"])
    write_run(res, tmp_path)
    for name, table in (("projects", res.projects), ("cycles", res.cycles)):
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(back.columns[:3]) == ["scenario", "design", "seed"]
        assert len(back) == len(table)


def test_concurrent_writers_of_one_file_never_lose_it(tmp_path):
    """Workers of one sweep write the same experiment.json at once (the Ray failure in CI).

    With a temporary name shared by all writers, one writer's rename took the other's temporary
    file away and the second rename raised FileNotFoundError.
    """
    import threading

    from sim.io import atomic_write_text

    path = tmp_path / "experiment.json"
    texts = [f'{{"writer": {i}, "pad": "{"x" * 20000}"}}' for i in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(texts))

    def write(text: str) -> None:
        start.wait()
        try:
            for _ in range(30):
                atomic_write_text(path, text)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert path.read_text() in texts
    assert [p.name for p in tmp_path.iterdir()] == ["experiment.json"]


@pytest.mark.parametrize("case", ["budget", "reopened_and_late", "election_in_cycle", "none",
                                  *(f"design:{d}" for d in preset_names("design"))])
def test_the_light_path_gives_the_normal_paths_numbers(case):
    """run_config(series=False) skips only what measures (the survey, the time series, the record of what moved
    perceptions): the cycles, groups, projects, the summary's first columns and the residents' final state are
    the normal path's."""
    import numpy as np

    import sim

    # every design in Kampenhout (a fifth of it), beside the cases: each design's rules read the attitudes
    scenario, design, overrides = (("kampenhout", case.removeprefix("design:"), ["run.population_scale=0.2"])
                                   if case.startswith("design:") else CASES[case])
    cfg = sim.compose_config(scenario, design, 3, overrides)
    full, light = sim.run_config(cfg), sim.run_config(cfg, series=False)
    # the normal path made its tables as the run ended; the light one makes them when they are read
    tables = {"groups", "projects", "cycles"}
    assert tables <= set(vars(full)) and not tables & set(vars(light))
    assert light.timeseries.empty and list(light.timeseries.columns) == list(full.timeseries.columns)
    pd.testing.assert_series_equal(light.summary, full.summary[light.summary.index], check_names=False)
    assert list(light.summary.index) == list(full.summary.index[:len(light.summary)])
    for table in ("cycles", "groups", "projects"):
        pd.testing.assert_frame_equal(getattr(light, table), getattr(full, table))
    for state in ("fear", "habit", "awareness"):
        assert np.array_equal(getattr(light.model.population, state), getattr(full.model.population, state))
    # the attitudes residents' rules read moved as on the normal path; the other items did not move at all
    lp, fp = light.model.population, full.model.population
    assert lp.moved == READ_BY_RULES and fp.moved == ITEMS
    for item in ITEMS:
        if item in READ_BY_RULES:
            assert np.array_equal(lp.latent(item), fp.latent(item))
        else:
            assert np.isnan(lp.perception[INDEX[item]]).all()
            with pytest.raises(LookupError, match=f"the survey item '{item}' does not move on this run"):
                lp.latent(item)
    assert light.model.signals.history == {} and full.model.signals.history


@pytest.mark.parametrize(("folder", "error", "message"), [
    ("", sim.ConfigError, r"^folder='' names no folder; allowed: a folder's path \(not empty\)$"),
    (None, TypeError, r"^folder=None \(NoneType\) is not a path; allowed: a folder's path$"),
    (b"x", TypeError, r"^folder=b'x' \(bytes\) is not a path"),
    ("{afile}", sim.ConfigError, r"^folder='.*afile.txt': .*afile.txt is not a folder; allowed: a folder that can be "
                                 r"made and written$"),
    ("/proc/nope/x", sim.ConfigError, r"^folder='/proc/nope/x': nothing can be written in /proc \(No such file or "
                                      r"directory\); allowed: a folder that can be made and written$"),
    ("{afile}/x", sim.ConfigError, r"^folder='.*afile.txt/x': .*afile.txt is not a folder; allowed: "),
    ("x" * 300, sim.ConfigError, r"^folder='x{300}': the name x{24}…x{24} is 300 bytes; allowed: a folder that can be "
                                 r"made and written, with names of at most 255 bytes$"),
])
def test_saving_a_run_names_a_folder_it_cannot_write(folder, error, message, tmp_path, monkeypatch) -> None:
    """RunResult.save('') wrote a whole run into the working folder; a file, None or /proc/nope/x raised a bare
    OSError or TypeError not naming the argument (the check is sim.writable's, as the commands' ``out=``; a name
    too long for the file system is refused there too). Nothing is written into the working folder."""
    afile = tmp_path / "afile.txt"
    afile.write_text("mine")
    monkeypatch.chdir(tmp_path)
    result = sim.run("kampenhout", "none", 0, overrides=["run.steps=2", "run.population_scale=0.02"])
    if isinstance(folder, str):
        folder = folder.format(afile=afile)
    with pytest.raises(error, match=message):
        result.save(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile.txt"] and afile.read_text() == "mine"


def test_a_run_saved_over_another_replaces_it_and_lists_only_its_own_files(tmp_path) -> None:
    """A run saved into the folder of an earlier one left the earlier one's figures beside its own tables, and its
    status.json listed them (and any other file of the folder) with checksums as its own: Kampenhout's figures were
    'ok' beside Geel's summary (the fourth tester's case). Now the earlier run's files that this one does not write
    are removed, and the status lists exactly the files this save wrote; a file of the user's is left alone and
    not listed. A status that names a file outside a run's names removes nothing."""
    overrides = ["run.steps=3", "run.population_scale=0.02"]
    first = sim.run("kampenhout", "participatory_budget", 1, overrides=overrides).save(tmp_path)
    figures = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "figures").iterdir())
    assert figures and set(figures) <= set(json.loads((first / "status.json").read_text())["files"])
    (tmp_path / "notes.txt").write_text("mine")
    sim.run("geel", "none", 2, overrides=overrides).save(tmp_path, figures=False)
    status = json.loads((tmp_path / "status.json").read_text())
    assert sorted(status["files"]) == ["config.yaml", "cycles.parquet", "groups.parquet", "projects.parquet",
                                       "summary.json", "summary.parquet", "timeseries.parquet"]
    assert not any((tmp_path / f).exists() for f in figures)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert json.loads((tmp_path / "summary.json").read_text())["scenario"] == "geel"
    for name, digest in status["files"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest
    status["files"]["notes.txt"] = "0" * 64  # a status edited to claim the user's file: it is not a run's name
    (tmp_path / "status.json").write_text(json.dumps(status))
    sim.run("geel", "none", 3, overrides=overrides).save(tmp_path, figures=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"
