"""The command line's check before Hydra starts (sim/experiments/prevalidate.py): a bad override, sweep or
experiment file is one line naming the key, the value and what is allowed, exit status 2, and nothing is
written; experiment files outside the repository are found as Hydra finds them."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.config.compose import folder_name
from tests import test_posterior
from tests.experiments.test_uncertainty import write_posterior
from tests.helpers import REPO

TINY = ["run.population_scale=0.02", "run.steps=3"]

pytestmark = pytest.mark.xdist_group("sweeps")  # sweeps use both cores: keep them on one worker


def sim_command(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) \
        -> subprocess.CompletedProcess:
    """``python -m sim ...`` in ``cwd`` (the checkout on the path), as a user runs it."""
    environment = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO), environment.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=timeout)


def experiment_file(folder: Path, name: str, text: str) -> Path:
    path = folder / "experiment" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


MINE = """# @package _global_
experiment:
  name: mine
  kind: grid
  replicates: 2
  outcomes: [turnout]
hydra:
  mode: MULTIRUN
  sweep:
    dir: ${SWEEP}
  sweeper:
    params:
      citizens.fear_mean: 0.2,VALUE
"""


@pytest.mark.parametrize(("args", "message"), [
    (["-m", "design=choice()"], "error: design=choice() does not parse (empty choice is not legal); allowed: key=value "
                                "in Hydra's override grammar"),
    (["-m", "citizens.fear_mean=[1,"], "error: citizens.fear_mean=[1, does not parse (no viable alternative at input "
                                       "'[1,'); allowed: key=value in Hydra's override grammar"),
    (["-m", "citizens.fear_mean=interval(0,5)"], "error: citizens.fear_mean=interval(0,5) is an interval, which the "
                                                 "basic sweeper cannot run; allowed: a list of values (a,b)"),
    (["-m", "design=none,../../../../tmp/x"], "error: design='../../../../tmp/x' is not a preset name"),
    (["-m", "seed=0,4294967296"], "error: seed=4294967296 is out of range; allowed: int in [0, 4294967295]"),
    (["-m", "+experiment=design_comparison", "experiment.outcomes=[no_such_outcome]"],
     "error: experiment.outcomes=['no_such_outcome']: 'no_such_outcome' is not an outcome; allowed: summary outcomes"),
    (["-m", "+experiment=design_comparison", "experiment.batch=0,1"],
     "error: experiment.batch=1 but experiment.batches=1; allowed: int in [0, 0]"),
    (["-m", "+experiment=design_comparison", "experiment.outcomes=[]"],
     "error: experiment.outcomes=[] is empty; allowed: one or more summary outcomes such as"),
    # a batch left out leaves its share of the replicates out (it gathered 2 runs of 4, exit 0)
    (["-m", "design=none", "experiment.replicates=4", "experiment.batches=2"],
     "error: experiment.batch=0 with experiment.batches=2: batch 1 would not run, and with it 1 in 2 of each "
     "condition's replicates; allowed: experiment.batch=range(0,2) (every batch), or experiment.batches=1"),
    (["-m", "+experiment=sensitivity_morris", "experiment.batch=range(0,7)"],
     "error: experiment.batch=0,1,2,3,4,5,6 with experiment.batches=8: batch 7 would not run"),
    (["scenario.name="], "error: scenario.name='' is not allowed: it is empty"),
    (["experiment.posterior=/nonexistent", "experiment.draws=3"],
     "error: experiment.posterior='/nonexistent': no such file or folder; allowed: an ABC calibration's folder"),
    (["--config-dir", "/nonexistent", "+experiment=x"], "error: --config-dir /nonexistent: no such folder"),
    (["scenario.name=Zoë"], "error: scenario.name=Zoë does not parse (a character Hydra's grammar takes only in "
                            "quotes, such as a letter with an accent: key='value')"),
    (["foo"], "error: 'foo' is not an override; allowed: key=value in Hydra's override grammar"),
    (["scenario=geel,kampenhout"], "error: scenario=geel,kampenhout gives several values to one run; allowed: one "
                                   "value, or -m before the overrides"),
    (["-m", "citizens.fear_mean=glob(*)"], "error: citizens.fear_mean=glob(*): glob() picks presets of a group"),
    (["-m", "seed=range(0,5,0)"], "error: seed=range(0,5,0) has a step of 0"),
    (["-m", "seed=range(0,100000000)"], "error: seed=range(0,100000000) sweeps 100,000,000 values; allowed: at most "
                                        "100,000 in one sweep"),
    (["-m", "seed=range(0,400)", "citizens.fear_mean=range(0,1,0.001)"],
     "error: citizens.fear_mean=range(0,1,0.001) makes the sweep 400,000 jobs or more; allowed: at most 100,000"),
    (["hydra.job.name=x${oc.env:HOME}"], "error: hydra.job.name=x${oc.env:HOME} calls the resolver oc.env"),
    (["hydra.no_such_key=1"], "error: hydra.no_such_key='1': Key 'no_such_key' not in 'HydraConf'"),
    # a key the schema does not have, as typed, and the key like it (it said "citizen=None: Key 'citizen' not in")
    (["citizen.fear_mean=0.3"], "error: citizen.fear_mean=0.3: no such key (did you mean citizens.fear_mean?); "
                                "allowed: a key of the schema (see docs/parameters.md)"),
    (["citizens.fear_man=0.3"], "error: citizens.fear_man=0.3: no such key (did you mean citizens.fear_mean?)"),
    (["foo.bar=0.3"], "error: foo.bar=0.3: no such key; allowed: a key of the schema"),
    # Hydra reads a dotted key under hydra.sweeper.params as nested keys: the key itself is the way to sweep it
    (["-m", "+experiment=fear_trust", "hydra.sweeper.params.citizens.trust_mean=0.2,1.5"],
     "error: hydra.sweeper.params.citizens.trust_mean=0.2,1.5 sets the sweeper's settings on the command line; "
     "allowed: the key itself, citizens.trust_mean=0.2,1.5 with -m"),
])
def test_a_bad_command_line_is_one_line_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    proc = sim_command(*args, *TINY, f"hydra.sweep.dir={tmp_path / 'sweep'}", f"hydra.run.dir={tmp_path / 'run'}",
                       cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith(message) and proc.stderr.count("\n") == 1, proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("case", "args"), [
    ("weight_text", ["-m", "design=none,coproduction"]),
    ("parameter_text", ["-m", "design=none,coproduction"]),
    ("weight_nan", ["-m", "design=none,coproduction"]),
    ("csv", ["-m", "design=none,coproduction"]),
    ("out_of_range", ["-m", "design=none,coproduction"]),  # every run failed: "gathered 0 runs (2 failed)", exit 0
    ("weights_zero", []),
    ("only_magic", []),
])
def test_a_damaged_posterior_is_one_line_before_hydra_starts(tmp_path: Path, case: str, args: list[str]) -> None:
    """experiment.posterior was only looked for: texts for weights, a parameter 'abc', NaN weights, a CSV named
    .parquet were tracebacks after experiment.json and multirun.yaml were written. Now the posterior is read as
    every door reads it (sim.posterior.load_posterior): one line, exit status 2, nothing written."""
    content, message = test_posterior.DAMAGED[case]
    post = test_posterior.write(tmp_path / "abc" / "posterior.parquet", content)
    proc = sim_command(*args, f"experiment.posterior={post.parent}", "experiment.draws=2", *TINY,
                       f"hydra.sweep.dir={tmp_path / 'sweep'}", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    shown = f"error: experiment.posterior={str(post.parent)!r} ({post}){message}"
    assert proc.stderr.startswith(shown) and proc.stderr.count("\n") == 1, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["abc"]


def test_experiment_files_outside_the_repository_are_checked_and_run(tmp_path: Path) -> None:
    """--config-dir and hydra.searchpath find an experiment of another package: a bad value in its sweep stops
    before any job, a good one runs."""
    outside = tmp_path / "mypackage_configs"
    sweep = tmp_path / "outputs" / "mine"  # a file names a folder under outputs/ (of the folder it runs in)
    experiment_file(outside, "mine", MINE.replace("${SWEEP}", "outputs/mine").replace("VALUE", "1.7"))
    for where in (["--config-dir", str(outside)], [f"hydra.searchpath=[file://{outside}]"]):
        proc = sim_command(*where, "+experiment=mine", *TINY, cwd=tmp_path)
        assert proc.returncode == 2 and proc.stderr == (
            "error: citizens.fear_mean=1.7 is out of range; allowed: float in [0, 1]\n"), proc.stderr
        assert not (tmp_path / "outputs").exists()
    experiment_file(outside, "mine", MINE.replace("${SWEEP}", "outputs/mine").replace("VALUE", "0.7"))
    proc = sim_command("--config-dir", str(outside), "+experiment=mine", *TINY, "hydra/launcher=basic",
                       "experiment.figures=false", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert sorted(runs["citizens.fear_mean"]) == [0.2, 0.2, 0.7, 0.7]


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty; allowed: a file like experiments/design_comparison.yaml"),
    ("# @package _global_\nseed: 3\n", "sets no experiment: section"),
    ("# @package _global_\nexperiment:\n  name: \"x${oc.env:SIM_TEST_TOKEN}\"\n",
     "experiment.name='x${oc.env:SIM_TEST_TOKEN}' calls the resolver oc.env; allowed: plain values"),
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  sweep:\n    dir: /tmp/${oc.env:SIM_TEST_TOKEN}\n",
     "hydra.sweep.dir='/tmp/${oc.env:SIM_TEST_TOKEN}' calls the resolver oc.env"),
    ("# @package _global_\ndefaults:\n  - override /scenario: ../../../../tmp/evil\nexperiment:\n  name: x\n",
     "defaults[0].override /scenario='../../../../tmp/evil' leaves the presets' folder"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
     "line 2: an alias (*a) repeats another part of the file"),
    ("# @package _global_\nexperiment:\n  name: a\nexperiment:\n  name: b\n", "line 4: 'experiment' is given twice"),
    # a file may not run code or write elsewhere through Hydra's settings (a callback is any Python callable)
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  callbacks:\n    evil:\n      _target_: shutil.copyfile\n"
     "      src: /etc/hostname\n      dst: /tmp/x\n",
     "sets hydra.callbacks.evil._target_, a Hydra setting a file may not set (it could run code or write elsewhere); "
     "allowed: hydra.mode, hydra.run.dir, hydra.sweep.dir, hydra.sweeper.params"),
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  run:\n    dir: /tmp/escaped\n",
     "hydra.run.dir='/tmp/escaped' is not a folder under outputs/"),
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  sweep:\n    dir: outputs/../../escaped\n",
     "hydra.sweep.dir='outputs/../../escaped' is not a folder under outputs/"),
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  sweeper:\n    params:\n      hydra.run.dir: a,b\n",
     "hydra.sweeper.params.hydra.run.dir sweeps a Hydra setting"),
    ("# @package _global_\ndefaults:\n  - override /hydra/job_logging: disabled\nexperiment:\n  name: x\n",
     "defaults choose hydra/job_logging: disabled, a Hydra group a file may not choose; allowed: hydra/launcher"),
    # other spellings of the same (a reviewer's cases): the package header, 'optional override', '@hydra...' in the
    # defaults, a sweep key with ++, a folder built from a free text
    ("# @package hydra.callbacks\nexperiment:\n  _target_: shutil.copyfile\n",
     "'# @package hydra.callbacks' places the file in Hydra's settings"),
    ("# @package _global_\ndefaults:\n  - optional override /hydra/callbacks: x\nexperiment:\n  name: x\n",
     "defaults choose hydra/callbacks: x, a Hydra group a file may not choose"),
    ("# @package _global_\ndefaults:\n  - /structure@hydra.callbacks: evil\nexperiment:\n  name: x\n",
     "defaults place structure in hydra.callbacks, Hydra's settings"),
    ("# @package _global_\nexperiment:\n  name: x\nhydra:\n  sweeper:\n    params:\n      ++hydra.sweep.dir: /tmp/x\n",
     "hydra.sweeper.params.++hydra.sweep.dir sweeps a Hydra setting"),
    ("# @package _global_\nexperiment:\n  name: x\n  scheduler: ../../../tmp/x\nhydra:\n  sweep:\n"
     "    dir: outputs/${experiment.scheduler}\n",
     "hydra.sweep.dir='outputs/${experiment.scheduler}' is not a folder under outputs/"),
])
def test_a_bad_experiment_file_is_refused_before_hydra_reads_it(tmp_path: Path, text: str, message: str) -> None:
    outside = tmp_path / "configs"
    path = experiment_file(outside, "bad", text)
    proc = sim_command("-m", "--config-dir", str(outside), "+experiment=bad", *TINY,
                       f"hydra.sweep.dir={tmp_path / 'sweep'}", cwd=tmp_path, env={"SIM_TEST_TOKEN": "tok-577215"})
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith("error: experiment file") and str(path) in proc.stderr and message in proc.stderr
    assert proc.stderr.count("\n") == 1 and "tok-577215" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["configs"]


def test_the_command_line_replaces_a_key_of_the_experiments_sweep(tmp_path: Path) -> None:
    """As in Hydra's basic sweeper, a key set on the command line replaces the experiment file's sweep of it:
    sensitivity_morris sweeps experiment.batch over range(0,8); with experiment.batches=2 the command line's
    range(0,2) is what runs, and a batch the command line leaves out of range is refused."""
    proc = sim_command("-m", "+experiment=sensitivity_morris", "experiment.batches=2", "experiment.batch=range(0,3)",
                       *TINY, f"hydra.sweep.dir={tmp_path / 'sweep'}", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr == (
        "error: experiment.batch=2 but experiment.batches=2; allowed: int in [0, 1]\n"), proc.stderr
    from sim.experiments import prevalidate

    config = prevalidate.check(["-m", "+experiment=sensitivity_morris", "experiment.batches=2",
                                "experiment.batch=range(0,2)", *TINY])
    assert config.experiment.batches == 2


def test_a_single_run_with_a_posterior_runs_its_draws(tmp_path: Path) -> None:
    """experiment.posterior with draws on a single run was never read: now its draws run and are gathered."""
    post = write_posterior(tmp_path / "abc" / "posterior.parquet", [-6.0, -7.0], [1.0, 1.0])
    out = tmp_path / "run"
    proc = sim_command(f"experiment.posterior={post.parent}", "experiment.draws=2", "experiment.figures=false",
                       *TINY, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["draw"]) == [0, 1]


def test_a_swept_path_stays_inside_the_sweep_folder(tmp_path: Path) -> None:
    """Hydra names a job's folder by its overrides; a value with ../ no longer climbs out of the sweep folder."""
    sweep = tmp_path / "a" / "b" / "sweep"
    proc = sim_command("-m", "design=none", "experiment.scheduler=../../../../../escaped", *TINY,
                       "hydra/launcher=basic", "experiment.figures=false", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not list(tmp_path.rglob("escaped"))
    assert [p.name for p in tmp_path.iterdir()] == ["a"] and [p.name for p in (tmp_path / "a").iterdir()] == ["b"]
    assert folder_name("experiment.scheduler=../../x") == "experiment.scheduler=.._.._x"
    assert folder_name("..") == folder_name("") == "_"
    # a swept posterior's path made names over the 255 bytes a folder name may hold (OSError: File name too long)
    long_a, long_b = "experiment.posterior=" + "é" * 300 + "/a", "experiment.posterior=" + "é" * 300 + "/b"
    assert len(folder_name(long_a).encode()) <= 255 and folder_name(long_a) == folder_name(long_a)
    assert folder_name(long_a) != folder_name(long_b) and folder_name(long_a).startswith("experiment.posterior=éé")
    assert "${sim.folder:${hydra:job.override_dirname}}" in (REPO / "configs" / "config.yaml").read_text()


def test_an_experiment_file_may_not_choose_a_launcher_from_its_own_folder(tmp_path: Path) -> None:
    """A launcher preset names a Python callable (``_target_``): one from the experiment's folder could run
    anything, so a file may choose only the package's launchers (the command line may choose any)."""
    outside = tmp_path / "configs"
    (outside / "hydra" / "launcher").mkdir(parents=True)
    (outside / "hydra" / "launcher" / "evil.yaml").write_text("_target_: os.getcwd\n")
    path = experiment_file(outside, "mine", "# @package _global_\ndefaults:\n  - override /hydra/launcher: evil\n"
                                            "experiment:\n  name: x\n")
    proc = sim_command("--config-dir", str(outside), "+experiment=mine", *TINY, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr == (f"error: experiment file {str(path)!r}: defaults choose hydra/launcher: evil from "
                           f"{outside}, outside the package; allowed: the package's launchers or Hydra's plugins; "
                           "choose it on the command line (hydra/launcher=evil)\n")
    # the package's own launcher, chosen by the file, passes the check
    experiment_file(outside, "ok", "# @package _global_\ndefaults:\n  - override /hydra/launcher: local\n"
                                   "experiment:\n  name: x\n")
    from sim.experiments import prevalidate

    prevalidate.check(["--config-dir", str(outside), "+experiment=ok", *TINY])



def test_a_wrong_type_in_an_experiment_file_is_one_line(tmp_path: Path) -> None:
    """A value of the wrong type in an experiment file (replicates: .inf) was five lines of OmegaConf's report."""
    outside = tmp_path / "configs"
    experiment_file(outside, "freps", "# @package _global_\nexperiment:\n  name: x\n  replicates: .inf\n")
    proc = sim_command("--config-dir", str(outside), "+experiment=freps", *TINY, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr == ("error: experiment/freps.yaml: experiment.replicates: Value 'inf' of type 'float' could not "
                           "be converted to Integer; allowed: int in [1, 1000000]\n"), proc.stderr


@pytest.mark.parametrize(("body", "message"), [
    ("experiment:\n  name: x\ncitizens:\n  fear_man: 0.3\n",
     "citizens.fear_man: no such key (did you mean citizens.fear_mean?)"),
    ("experiment:\n  name: x\n  abc_populaton: 10\n",
     "experiment.abc_populaton: no such key (did you mean experiment.abc_population?)"),
    ("experiment:\n  name: x\ncitizen:\n  fear_mean: 0.3\n", "citizen: no such key (did you mean citizens?)"),
])
def test_a_misspelt_key_in_an_experiment_file_names_the_file_the_whole_key_and_the_close_one(
        tmp_path: Path, body: str, message: str) -> None:
    """A misspelt key in an experiment file said only its last part (`fear_man: no such key`): no file, no
    section, no suggestion, where the same key on the command line gets "did you mean"."""
    outside = tmp_path / "configs"
    experiment_file(outside, "typo", "# @package _global_\n" + body)
    proc = sim_command("--config-dir", str(outside), "+experiment=typo", *TINY, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr == (f"error: experiment/typo.yaml: {message}; allowed: a key of the schema "
                           "(see docs/parameters.md)\n"), proc.stderr


def test_an_ambiguous_value_given_to_compose_config_is_one_line() -> None:
    import sim
    from sim.config.keys import ConfigError

    with pytest.raises(ConfigError) as err:
        sim.compose_config(overrides=["citizens.fear_mean=0.1,0.2"])
    assert "\n" not in str(err.value) and "Ambiguous value for argument 'citizens.fear_mean=0.1,0.2'" in str(err.value)


def test_a_preset_an_experiment_file_chooses_is_checked_as_the_file_is(tmp_path: Path) -> None:
    """An experiment file's defaults choosing a design from its own folder pass that file's Hydra settings on: the
    chosen preset is checked too (here a callback in a design file with a global package)."""
    outside = tmp_path / "configs"
    (outside / "design").mkdir(parents=True)
    evil = outside / "design" / "evil.yaml"
    evil.write_text("# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: os.getcwd\n")
    experiment_file(outside, "mine", "# @package _global_\ndefaults:\n  - override /design: evil\n"
                                     "experiment:\n  name: x\n")
    proc = sim_command("--config-dir", str(outside), "+experiment=mine", *TINY, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith(f"error: design file {str(evil)!r} sets hydra.callbacks.x._target_"), proc.stderr
    assert proc.stderr.count("\n") == 1



LONG_SWEEP = ",".join(["0.5"] * 3000)
SWEPT = f"citizens.fear_mean={LONG_SWEEP}"


@pytest.mark.parametrize(("args", "message"), [
    (["--experimental-rerun", "{pickle}"], "error: --experimental-rerun {pickle}: not taken (it loads a pickled "
                                           "config, which can run any code); allowed: key=value overrides, -m, "
                                           "--config-dir <folder>"),
    (["--config-name", "nope"], "error: --config-name nope: not taken (the package's config is the only primary "
                                "config;"),
    (["-cp", "{folder}"], "error: -cp {folder}: not taken (the package's config is the only primary config;"),
    (["--config-path={folder}"], "error: --config-path {folder}: not taken"),
    (["-m", "--cfg", "job", "design=none,coproduction"], "error: -m and --cfg together: each is a command of its own"),
    (["--info", "--cfg", "job"], "error: --info and --cfg together"),
    (["--cfg", "nope"], "error: --cfg nope: allowed: --cfg job, --cfg hydra or --cfg all"),
    # argparse takes any unambiguous start of a long option: --exp was --experimental-rerun (a reviewer's case)
    (["--exp={pickle}"], "error: --exp={pickle}: not an option of this command (options are taken only as written in "
                         "full); allowed: key=value overrides"),
    (["--config-n=foo"], "error: --config-n=foo: not an option of this command"),
    (["--cf=job", "-m"], "error: --cf=job: not an option of this command"),
    (["-r", "--cfg", "job"], "error: -r and --cfg together: each is a command of its own"),
    (["-m", SWEPT], f"error: {SWEPT[:40]}... is {len(SWEPT):,} characters long; allowed: at most 10,000"),
])
def test_hydras_options_that_could_run_code_or_hang_are_refused(tmp_path: Path, args: list[str],
                                                                message: str) -> None:
    """--experimental-rerun (Hydra unpickles the file: any code ran), another primary config (its Hydra settings
    unchecked), two commands at once (a ValueError traceback) and an override so long that Hydra's parser takes
    minutes: one line, exit status 2, nothing written, nothing run."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = elsewhere / "ran"
    pickle_file = elsewhere / "config.pickle"
    pickle_file.write_bytes(pickle.dumps(_Touch(str(ran))))
    work = tmp_path / "work"
    work.mkdir()
    args = [a.format(pickle=pickle_file, folder=elsewhere) for a in args]
    proc = sim_command(*args, *TINY, f"hydra.sweep.dir={work / 'sweep'}", f"hydra.run.dir={work / 'run'}", cwd=work)
    assert proc.returncode == 2, proc.stderr[-2000:]
    expected = message.format(pickle=pickle_file, folder=elsewhere)
    assert proc.stderr.startswith(expected) and proc.stderr.count("\n") == 1, proc.stderr
    assert list(work.iterdir()) == [] and not ran.exists()


class _Touch:
    """A pickle that, loaded, makes a file (what --experimental-rerun would have run)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (Path.touch, (Path(self.path),))


def test_an_experiment_file_with_a_byte_order_mark_or_a_long_sweep_is_one_line(tmp_path: Path) -> None:
    """A file saved as 'UTF-8 with BOM' (Hydra then misses its '# @package' line and said 'unknown key
    experiment'), and a sweep of 3,000 values in a file (Hydra's parser ran for minutes): one line each."""
    folder = tmp_path / "configs"
    experiment_file(folder, "bom", "")
    (folder / "experiment" / "bom.yaml").write_bytes(
        b"\xef\xbb\xbf" + MINE.replace("${SWEEP}", "outputs/mine").replace("VALUE", "0.4").encode())
    experiment_file(folder, "long", MINE.replace("${SWEEP}", "outputs/mine").replace("0.2,VALUE", LONG_SWEEP))
    proc = sim_command("--config-dir", str(folder), "+experiment=bom", *TINY, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "bom.yaml' starts with a byte order mark (as Windows Notepad saves 'UTF-8 with BOM'), which hides its " \
           "'# @package' line from Hydra; allowed: UTF-8 without a byte order mark" in proc.stderr, proc.stderr
    proc = sim_command("--config-dir", str(folder), "+experiment=long", *TINY, cwd=tmp_path, timeout=60)
    expected = f"error: hydra.sweeper.params: {SWEPT[:40]}... is {len(SWEPT):,} characters long; allowed: at most"
    assert proc.returncode == 2 and proc.stderr.startswith(expected) and proc.stderr.count("\n") == 1, proc.stderr
    assert not (tmp_path / "outputs").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["scenario=kampenhout", "-m", "design=none,participatory_budget"],
     "-m after scenario=kampenhout: options must come before the overrides; allowed: python -m sim -m "
     "scenario=kampenhout design=none,participatory_budget"),
    (["+experiment=design_comparison", "-m", "scenario=kampenhout"],
     "-m after +experiment=design_comparison: options must come before the overrides; allowed: python -m sim -m "
     "+experiment=design_comparison scenario=kampenhout"),
    (["seed=1", "--config-dir", "/tmp", "design=none"],
     "--config-dir after seed=1: options must come before the overrides; allowed: python -m sim --config-dir /tmp "
     "seed=1 design=none"),
])
def test_an_option_after_an_override_is_one_line_putting_it_first(args: list[str], message: str) -> None:
    """`python -m sim scenario=kampenhout -m design=...` was argparse's 8-line usage (naming options the project
    refuses) and `unrecognized arguments: design=...`: argparse, which reads the line for Hydra, takes no override
    after an option. An option after the last override (`seed=1 --cfg job`) is taken."""
    from sim.config.keys import ConfigError
    from sim.experiments import prevalidate

    with pytest.raises(ConfigError) as caught:
        prevalidate.parse_command_line(args)
    assert str(caught.value) == message
    assert prevalidate.parse_command_line(["seed=1", "--cfg", "job"]).overrides


def test_an_option_after_an_override_on_the_command_line(tmp_path: Path) -> None:
    proc = sim_command("scenario=kampenhout", "-m", "design=none,participatory_budget", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ("error: -m after scenario=kampenhout: options must come before the overrides; allowed: "
                           "python -m sim -m scenario=kampenhout design=none,participatory_budget\n")
    assert list(tmp_path.iterdir()) == []


def test_a_posterior_that_is_a_fifo_or_a_link_in_its_folder_is_one_line_saying_so(tmp_path: Path) -> None:
    """experiment.posterior=<folder> whose posterior.parquet is a FIFO said "no posterior.parquet in that folder";
    one that is a link was read through it (a calibration folder's files are its own, never read through a link)."""
    import pandas as pd

    from sim.config.keys import ConfigError
    from sim.experiments import prevalidate
    from sim.posterior import ALLOWED

    target = tmp_path / "elsewhere.parquet"
    pd.DataFrame({"generation": [0], "weight": [1.0], "citizens.novelty_decay": [0.4]}).to_parquet(target)
    for name, make, what in (("fifo", os.mkfifo, "is not a regular file (a folder, a FIFO or a device)"),
                             ("link", lambda p: p.symlink_to(target), "is a link, not the file a calibration wrote")):
        folder = tmp_path / name
        folder.mkdir()
        make(folder / "posterior.parquet")
        with pytest.raises(ConfigError) as caught:
            prevalidate.check([f"experiment.posterior={folder}", "experiment.draws=2", *TINY])
        assert str(caught.value) == (f"experiment.posterior={str(folder)!r} ({folder / 'posterior.parquet'}) {what}; "
                                     f"allowed: {ALLOWED}")
