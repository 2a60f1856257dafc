"""Experiments and sweeps: gathering, reproducibility, resume, fault tolerance, SA, calibration.

Sweeps run through the real command line (``python -m sim -m +experiment=...``) on tiny
populations, so what is tested is what a researcher runs.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

import sim
from sim.experiments import sensitivity
from sim.experiments.collect import collect
from sim.experiments.sweep import STATUS, run_job
from tests.helpers import REPO

TINY = ["run.population_scale=0.02", "run.steps=12"]
OUTCOMES = ["turnout", "legitimacy", "service_quality", "trust_citizens"]

pytestmark = pytest.mark.xdist_group("sweeps")  # sweeps use both cores: keep them on one worker


def clean_env() -> dict[str, str]:
    """The environment without HYDRA_FULL_ERROR, so errors look as a user sees them."""
    return {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}


def sweep(*args: str, launcher: str = "basic", timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``python -m sim -m ...`` in the repository; fail the test on a non-zero exit."""
    env = clean_env()
    cmd = [sys.executable, "-m", "sim", "-m", *args, f"hydra/launcher={launcher}"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def design_sweep(out: Path, *extra: str, launcher: str = "basic") -> pd.DataFrame:
    sweep("+experiment=design_comparison", "scenario=kampenhout,generic", "design=none,consultation",
          "experiment.replicates=3", *TINY, f"hydra.sweep.dir={out}", *extra, launcher=launcher)
    return pd.read_parquet(out / "runs.parquet")


def test_gathered_table_has_one_row_per_run_and_the_right_columns(tmp_path):
    # one proposal per participant, so that these tiny runs fill the ledgers that are checked below
    runs = design_sweep(tmp_path / "sweep", "design.proposals_per_participant=1.0")
    assert len(runs) == 2 * 2 * 3
    assert not runs.duplicated(["scenario", "design", "replicate"]).any()
    for col in ["scenario", "design", "replicate", "seed", "root_seed", *OUTCOMES, "legitimacy_input",
                "legitimacy_throughput", "legitimacy_output", "run_seconds", "model_seconds", "model_cpu_seconds"]:
        assert col in runs.columns, col
    assert (runs["model_cpu_seconds"] > 0).all() and (runs["model_seconds"] <= runs["run_seconds"]).all()
    ts = pd.read_parquet(tmp_path / "sweep" / "timeseries.parquet")
    assert len(ts) == 12 * 12 and {"scenario", "design", "replicate", "step"} <= set(ts.columns)
    # every run's series carries that run's parameters (joined once, not run by run)
    per_run = ts.groupby("run_id").agg(n=("step", "size"), seed=("seed", "first"), seeds=("seed", "nunique"))
    assert (per_run["n"] == 12).all() and (per_run["seeds"] == 1).all()
    assert per_run["seed"].to_dict() == runs.set_index("run_id")["seed"].to_dict()
    table = pd.read_parquet(tmp_path / "sweep" / "summary_table.parquet")
    turnout = table[table["outcome"] == "turnout"]
    assert len(turnout) == 4 and (turnout["n"] == 3).all()
    assert (turnout["ci_low"] <= turnout["mean"]).all() and (turnout["mean"] <= turnout["ci_high"]).all()
    assert (tmp_path / "sweep" / "figures" / "outcome_turnout.png").exists()
    assert pd.read_parquet(tmp_path / "sweep" / "failures.parquet").empty
    # every run's project ledger and cycle table are gathered, with the run's parameters, and
    # their counts agree with the run's summary
    projects = pd.read_parquet(tmp_path / "sweep" / "projects.parquet")
    cycles = pd.read_parquet(tmp_path / "sweep" / "cycles.parquet")
    by_run = runs.set_index("run_id")
    assert {"scenario", "design", "replicate", "run_id", "origin", "adopted",
            "month_delivered"} <= set(projects.columns)
    # residents' proposals are the summary's; the council's own projects (every design has them) are not
    residents = projects[projects["origin"] == "residents"]
    assert (residents.groupby("run_id").size().reindex(by_run.index, fill_value=0)
            == by_run["proposals_submitted"]).all()
    assert (residents.groupby("run_id")["adopted"].sum().reindex(by_run.index, fill_value=0)
            == by_run["proposals_adopted"]).all()
    # the project money spent is the final cost of every delivered project, whoever chose it
    np.testing.assert_allclose(projects.groupby("run_id")["cost_final"].sum().reindex(by_run.index, fill_value=0),
                               by_run["budget_spent"], rtol=1e-9)
    assert (cycles.groupby("run_id").size().reindex(by_run.index, fill_value=0) == by_run["cycles"]).all()
    assert by_run["proposals_submitted"].sum() > 0


def test_figures_draw_the_interval_of_the_summary_table():
    """One 95 % interval everywhere: the figures' errorbar equals summary_table's t-interval."""
    from sim.experiments.collect import summary_table
    from sim.plots import t_interval

    rng = np.random.default_rng(3)
    runs = pd.DataFrame({"design": ["a"] * 5 + ["b"] * 30, "turnout": rng.normal(0.05, 0.01, 35)})
    table = summary_table(runs, ["design"], ["turnout"]).set_index("design")
    for d, g in runs.groupby("design"):
        lo, hi = t_interval(g["turnout"])
        assert lo == pytest.approx(table.loc[d, "ci_low"]) and hi == pytest.approx(table.loc[d, "ci_high"])
    assert t_interval([0.3]) == (0.3, 0.3)
    assert t_interval([0.2, np.nan, 0.4])[0] < 0.3 < t_interval([0.2, np.nan, 0.4])[1]


def test_the_launching_process_does_not_load_the_model():
    """Composing, validating and launching a sweep stay light; workers load the model."""
    code = ("import sys, sim, sim.__main__, sim.experiments.callbacks, sim.experiments.sweep; "
            "print(sorted(m for m in ('mesa', 'sim.model.model', 'pandas', 'seaborn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert callable(sim.run) and sim.RunResult.__name__ == "RunResult"  # loaded on first use
    with pytest.raises(AttributeError, match="no_such_name"):
        sim.no_such_name  # noqa: B018


def test_idle_local_workers_are_released_before_gathering():
    """Only the joblib launcher's reusable workers are shut down; a later joblib call works."""
    from joblib import Parallel, delayed
    from joblib.externals.loky import reusable_executor

    from sim.experiments.callbacks import _release_local_workers

    pids = Parallel(n_jobs=2, backend="loky")(delayed(os.getpid)() for _ in range(2))
    executor = reusable_executor._executor
    ray_cfg = OmegaConf.create({"hydra": {"launcher": {"_target_": "hydra_plugins.hydra_ray_launcher.RayLauncher"}}})
    _release_local_workers(ray_cfg)
    assert not executor._flags.shutdown
    cfg = OmegaConf.create({"hydra": {"launcher": {
        "_target_": "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"}}})
    _release_local_workers(cfg)
    assert executor._flags.shutdown
    again = Parallel(n_jobs=2, backend="loky")(delayed(os.getpid)() for _ in range(2))
    assert not set(again) & set(pids)


def test_replicates_are_reproducible_and_independent_of_workers(tmp_path):
    one = design_sweep(tmp_path / "one")
    # three jobs per condition, two worker processes: the same runs, whoever ran them
    three = design_sweep(tmp_path / "three", "experiment.batches=3", "experiment.batch=range(0,3)",
                         launcher="local")
    key = ["scenario", "design", "replicate"]
    cols = [*key, "seed", *OUTCOMES, "proposals_submitted"]
    a = one[cols].sort_values(key).reset_index(drop=True)
    b = three[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    # replicate r has the seed derived from (root seed, r), as sim.compare uses
    assert (a.groupby("replicate")["seed"].nunique() == 1).all()
    expected = dict(enumerate(sim.replicate_seeds(0, 3)))
    assert (a["seed"] == a["replicate"].map(expected)).all()
    direct = sim.compare("kampenhout", ["consultation"], replicates=3, seed=0, overrides=TINY)
    swept = a[(a["scenario"] == "kampenhout") & (a["design"] == "consultation")]
    np.testing.assert_array_equal(direct["turnout"].to_numpy(), swept["turnout"].to_numpy())


def test_adding_replicates_keeps_existing_ones(tmp_path):
    few = design_sweep(tmp_path / "few")
    more = design_sweep(tmp_path / "few", "experiment.replicates=4")  # same folder: resumes, adds r=3
    assert len(more) == 2 * 2 * 4
    key = ["scenario", "design", "replicate"]
    merged = few.merge(more, on=key, suffixes=("_few", "_more"))
    assert len(merged) == len(few)
    np.testing.assert_array_equal(merged["turnout_few"], merged["turnout_more"])


def run_counts(proc: subprocess.CompletedProcess) -> dict[str, int]:
    """Runs done, skipped and failed, summed over the jobs' log lines ("job ...: N runs done, ...")."""
    found = re.findall(r"job .*: (\d+) runs done, (\d+) skipped \(finished before\), (\d+) failed", proc.stdout)
    assert found, proc.stdout[-3000:]
    return {name: sum(int(f[i]) for f in found) for i, name in enumerate(("ok", "skipped", "failed"))}


def one_condition_sweep(out: Path, *extra: str) -> dict[str, int]:
    """A design_comparison sweep of one condition (Kampenhout, no participation) into ``out``."""
    return run_counts(sweep("+experiment=design_comparison", "scenario=kampenhout", "design=none", *TINY,
                            f"hydra.sweep.dir={out}", *extra))


def test_more_replicates_on_a_finished_sweep_run_only_the_new_ones(tmp_path):
    out = tmp_path / "sweep"
    assert one_condition_sweep(out, "experiment.replicates=2") == {"ok": 2, "skipped": 0, "failed": 0}
    assert one_condition_sweep(out, "experiment.replicates=3") == {"ok": 1, "skipped": 2, "failed": 0}
    assert len(pd.read_parquet(out / "runs.parquet")) == 3


def test_other_batches_or_figures_on_a_finished_sweep_skip_every_run(tmp_path):
    out = tmp_path / "sweep"
    assert one_condition_sweep(out, "experiment.replicates=3") == {"ok": 3, "skipped": 0, "failed": 0}
    rebatched = one_condition_sweep(out, "experiment.replicates=3", "experiment.batches=3",
                                    "experiment.batch=range(0,3)", "experiment.figures=false")
    assert rebatched == {"ok": 0, "skipped": 3, "failed": 0}


def test_a_changed_model_value_runs_every_run_again(tmp_path):
    """The same job (same folder) with another model value, as after editing a preset file."""
    root = tmp_path / "sweep" / "runs"

    def job(*overrides: str) -> dict[str, int]:
        cfg = OmegaConf.structured(sim.compose_config("kampenhout", "none", 0,
                                                      [*TINY, "experiment.replicates=2", *overrides]))
        return run_job(cfg, root, ["design=none"])

    assert job() == {"ok": 2, "skipped": 0, "failed": 0}
    assert job("experiment.figures=false", "experiment.name=renamed") == {"ok": 0, "skipped": 2, "failed": 0}
    assert job("citizens.fear_mean=0.7") == {"ok": 2, "skipped": 0, "failed": 0}


def test_resume_after_kill_runs_only_the_missing_runs(tmp_path):
    out = tmp_path / "sweep"
    env = clean_env()
    cmd = [sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout",
           "design=none,consultation,ideas_platform", "experiment.replicates=10", "run.population_scale=0.3",
           "run.steps=72", f"hydra.sweep.dir={out}", "hydra/launcher=basic"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob(f"**/{STATUS}"))) < 3:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = {p: p.stat().st_mtime_ns for p in out.glob(f"**/{STATUS}")}
    assert 3 <= len(done_before) < 30, "the sweep should have been killed part-way"
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    after = {p: p.stat().st_mtime_ns for p in out.glob(f"**/{STATUS}")}
    assert len(after) == 30
    # finished runs were not run again
    assert all(after[p] == t for p, t in done_before.items())
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 30 and not runs.duplicated(["design", "replicate"]).any()


def test_a_failing_run_is_recorded_and_the_others_are_gathered(tmp_path, monkeypatch):
    import sim.api

    cfg = OmegaConf.structured(sim.compose_config("kampenhout", "consultation", 0,
                                                  [*TINY, "experiment.replicates=4"]))
    real = sim.api.run_config

    def flaky(config):
        if config.replicate == 2:
            raise RuntimeError("simulated crash in replicate 2")
        return real(config)

    monkeypatch.setattr(sim.api, "run_config", flaky)
    root = tmp_path / "sweep" / "runs"
    job = root / "design=consultation"
    counts = run_job(cfg, root, ["design=consultation"])
    assert counts == {"ok": 3, "skipped": 0, "failed": 1}
    error = json.loads((job / "run-00002" / "error.json").read_text())
    assert "simulated crash" in error["error"] and "Traceback" in error["traceback"]
    assert "design" in error["config"] and error["params"]["design"] == "consultation"
    assert not (job / "run-00002" / "summary.json").exists()
    out = collect(tmp_path / "sweep", figures=False)
    assert sorted(out["runs"]["replicate"]) == [0, 1, 3]
    assert len(out["failures"]) == 1 and "simulated crash" in out["failures"]["error"].iloc[0]
    # the failed run is retried when the job runs again; the others are skipped
    monkeypatch.setattr(sim.api, "run_config", real)
    assert run_job(cfg, root, ["design=consultation"]) == {"ok": 1, "skipped": 3, "failed": 0}


def test_a_half_written_run_is_not_read_as_a_result(tmp_path):
    cfg = OmegaConf.structured(sim.compose_config("kampenhout", "none", 0, [*TINY, "experiment.replicates=2"]))
    root = tmp_path / "sweep" / "runs"
    job = root / "design=none"
    run_job(cfg, root, ["design=none"])
    (job / "run-00001" / STATUS).unlink()  # as if killed before the status was written
    (job / "run-00001" / ".summary.json.tmp").write_text("{ half")
    out = collect(tmp_path / "sweep", figures=False)
    assert list(out["runs"]["replicate"]) == [0]


def test_bad_sweep_value_stops_before_any_job(tmp_path):
    env = clean_env()
    proc = subprocess.run([sys.executable, "-m", "sim", "-m", "citizens.fear_mean=0.5,1.5",
                           f"hydra.sweep.dir={tmp_path / 'sweep'}"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert "citizens.fear_mean=1.5" in proc.stderr and "[0, 1]" in proc.stderr
    assert not (tmp_path / "sweep").exists()


def test_collect_command_rebuilds_the_tables(tmp_path):
    out = tmp_path / "sweep"
    design_sweep(out)
    for name in ("runs.parquet", "summary_table.parquet", "timeseries.parquet"):
        (out / name).unlink()
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={out}", "figures=false"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "12 runs gathered, 0 failed" in proc.stdout
    assert len(pd.read_parquet(out / "runs.parquet")) == 12
    bad = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={tmp_path / 'nowhere'}"], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no sweep folder" in bad.stderr


@pytest.mark.parametrize("kind", ["morris", "sobol"])
def test_sensitivity_recovers_the_known_ranking_of_a_test_function(kind):
    names = ["citizens.fear_mean", "perceptions.outcome", "perceptions.delivery", "citizens.habit_rate"]  # on [0, 1]
    prob = sensitivity.problem(names)
    x = sensitivity.sample(kind, prob, 64 if kind == "sobol" else 40, 4, seed=1)
    # y = 4 x0 + 2 x1 + x2 (all on [0, 1]); x3 has no effect
    y = 4 * x[:, 0] + 2 * x[:, 1] + x[:, 2] + 0 * x[:, 3]
    idx = sensitivity.analyze(kind, prob, x, y, seed=1)
    assert sensitivity.ranking(idx, kind) == names
    col = "mu_star" if kind == "morris" else "ST"
    assert idx.set_index("parameter").loc["citizens.habit_rate", col] < 0.05


def test_sensitivity_sweep_end_to_end(tmp_path):
    out = tmp_path / "morris"
    sweep("+experiment=sensitivity_morris", "experiment.parameters=[citizens.base_propensity,citizens.homophily]",
          "experiment.samples=3", "experiment.batches=2", "experiment.batch=range(0,2)", *TINY,
          f"hydra.sweep.dir={out}")
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 3 * (2 + 1) and sorted(runs["sample"]) == list(range(9))
    sens = pd.read_parquet(out / "sensitivity.parquet")
    assert set(sens["parameter"]) == {"citizens.base_propensity", "citizens.homophily"}
    assert set(sens["outcome"]) == set(OUTCOMES)
    turnout = sens[sens["outcome"] == "turnout"].set_index("parameter")["mu_star"]
    # the participation intercept moves turnout far more than the homophily of the network
    assert turnout["citizens.base_propensity"] > turnout["citizens.homophily"]
    assert (out / "figures" / "sensitivity_morris.png").exists()


def test_calibration_recovers_a_parameter_from_synthetic_data(tmp_path):
    from sim.experiments.calibration import calibrate

    base = ["run.population_scale=0.25", "run.steps=36"]
    truth = -6.0
    observed = sim.compare("kampenhout", ["participatory_budget"], replicates=2, seed=0,
                           overrides=[*base, f"citizens.base_propensity={truth}"])["turnout"].mean()
    cfg = OmegaConf.structured(sim.compose_config("kampenhout", "participatory_budget", 0, [
        *base, "experiment.kind=calibration", "experiment.parameters=[citizens.base_propensity]",
        "experiment.lower=[-8.0]", "experiment.upper=[-4.0]", "experiment.outcomes=[turnout]",
        f"experiment.targets=[{observed}]", "experiment.replicates=2", "experiment.trials=40",
        "experiment.figures=false"]))
    result = calibrate(cfg, tmp_path)
    assert abs(result["parameters"]["citizens.base_propensity"] - truth) < 0.25, result
    assert abs(result["fitted"]["turnout"] - observed) / observed < 0.05
    saved = json.loads((tmp_path / "calibration.json").read_text())
    assert saved["parameters"] == result["parameters"]
    assert len(pd.read_parquet(tmp_path / "calibration_trials.parquet")) == 40


@pytest.mark.slow
@pytest.mark.parametrize("launcher", ["ray", "submitit_local"])
def test_cluster_launchers_run_the_same_experiment(tmp_path, launcher):
    extra = ["+hydra.launcher.ray.init.num_cpus=2"] if launcher == "ray" else []
    out = tmp_path / launcher
    sweep("+experiment=design_comparison", "scenario=kampenhout", "design=none,consultation",
          "experiment.replicates=2", *TINY, f"hydra.sweep.dir={out}", *extra, launcher=launcher, timeout=600)
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4
    reference = sim.compare("kampenhout", ["none", "consultation"], replicates=2, seed=0, overrides=TINY)
    key = ["design", "replicate"]
    got = runs.sort_values(key)["turnout"].to_numpy()
    want = reference.sort_values(key)["turnout"].to_numpy()
    np.testing.assert_array_equal(got, want)


def test_a_plain_sweep_runs_exactly_the_single_runs(tmp_path):
    out = tmp_path / "plain"
    sweep("design=none,consultation", "seed=3", *TINY, f"hydra.sweep.dir={out}")
    runs = pd.read_parquet(out / "runs.parquet").sort_values("design")
    assert list(runs["design"]) == ["consultation", "none"] and (runs["seed"] == 3).all()
    for _, row in runs.iterrows():
        single = sim.run(design=row["design"], seed=3, overrides=TINY).summary
        assert row["turnout"] == single["turnout"] and row["trust_citizens"] == single["trust_citizens"]


@pytest.mark.parametrize(("args", "message"), [
    (["+experiment=sensitivity_morris", "experiment.parameters=[citizens.nope]"],
     "experiment.parameters: citizens.nope: no such key"),
    (["+experiment=sensitivity_sobol", "experiment.samples=100"], "power of 2"),
    (["+experiment=design_comparison", "experiment.batch=3"], "experiment.batches=1"),
    (["+experiment=calibration", "experiment.targets=[]"], "experiment.targets=[]"),
    (["+experiment=nowhere"], "nowhere"),
])
def test_bad_experiment_input_stops_before_any_job(tmp_path, args, message):
    env = clean_env()
    proc = subprocess.run([sys.executable, "-m", "sim", "-m", *args, f"hydra.sweep.dir={tmp_path / 'sweep'}"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith("error:") and message in proc.stderr
    assert not (tmp_path / "sweep").exists()
