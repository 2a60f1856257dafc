"""A config and a seed give the same run: twice in one process, in a fresh process, in parallel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

import sim

REPO = Path(__file__).resolve().parents[1]
SCENARIO, DESIGN, SEED = "generic", "participatory_budget", 7

SCRIPT = textwrap.dedent("""
    import json, sys
    import sim
    res = sim.run({scenario!r}, {design!r}, {seed!r}, {overrides!r})
    res.timeseries.to_pickle(sys.argv[1])
    print(json.dumps({{k: (v.item() if hasattr(v, "item") else v) for k, v in res.summary.items()}}))
""")


@pytest.fixture(scope="module")
def reference(tiny_overrides):
    return sim.run(SCENARIO, DESIGN, SEED, tiny_overrides)


def test_same_seed_same_run(reference, tiny_overrides):
    again = sim.run(SCENARIO, DESIGN, SEED, tiny_overrides)
    assert_frame_equal(again.timeseries, reference.timeseries)
    assert_series_equal(again.summary, reference.summary)
    assert_frame_equal(again.groups, reference.groups)


def test_run_is_not_trivial(reference):
    # a run in which nothing happens would make the determinism tests vacuous
    assert reference.summary["cycles"] >= 1
    assert reference.summary["proposals_submitted"] > 0
    assert reference.timeseries["trust_citizens"].nunique() > 1


def test_same_seed_same_run_in_fresh_process(reference, tiny_overrides, tmp_path):
    script = SCRIPT.format(scenario=SCENARIO, design=DESIGN, seed=SEED, overrides=list(tiny_overrides))
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # set/dict order must not matter
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    ts_file = tmp_path / "timeseries.pkl"
    proc = subprocess.run([sys.executable, "-c", script, str(ts_file)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    fresh = json.loads(proc.stdout.strip().splitlines()[-1])
    expected = {k: (v.item() if hasattr(v, "item") else v) for k, v in reference.summary.items()}
    assert fresh == expected  # exact: JSON round-trips Python floats
    assert_frame_equal(pd.read_pickle(ts_file), reference.timeseries)


def test_different_seeds_differ(reference, tiny_overrides):
    other = sim.run(SCENARIO, DESIGN, SEED + 1, tiny_overrides)
    assert not other.timeseries.equals(reference.timeseries)
    assert other.summary["trust_citizens"] != reference.summary["trust_citizens"]
    assert other.summary["seed"] == SEED + 1


def test_run_config_equals_run(reference, tiny_overrides):
    cfg = sim.compose_config(SCENARIO, DESIGN, SEED, tiny_overrides)
    assert_frame_equal(sim.run_config(cfg).timeseries, reference.timeseries)


def test_replicate_seeds_prefix_and_stable():
    five, ten = sim.replicate_seeds(0, 5), sim.replicate_seeds(0, 10)
    assert five == ten[:5]
    assert sim.replicate_seeds(0, 10) == ten
    assert len(set(ten)) == 10
    assert all(isinstance(s, int) and 0 <= s <= 2**32 - 1 for s in ten)
    assert sim.replicate_seeds(1, 5) != five
    assert sim.replicate_seeds(0, 0) == []


def test_compare_uses_common_replicate_seeds():
    ovr = ["run.population_scale=0.05", "run.steps=12"]
    df = sim.compare("kampenhout", ["none", "consultation"], replicates=2, seed=3, overrides=ovr)
    seeds = sim.replicate_seeds(3, 2)
    assert list(df.columns[:4]) == ["scenario", "design", "replicate", "seed"]
    for design in ("none", "consultation"):
        rows = df[df["design"] == design].sort_values("replicate")
        assert rows["seed"].tolist() == seeds
    # a row of compare is the run with that seed
    single = sim.run("kampenhout", "consultation", seeds[1], ovr).summary
    row = df[(df["design"] == "consultation") & (df["replicate"] == 1)].iloc[0]
    assert row["trust_citizens"] == single["trust_citizens"]
    assert row["legitimacy"] == single["legitimacy"]


def test_compare_in_parallel_equals_serial():
    ovr = ["run.population_scale=0.05", "run.steps=12"]
    args = dict(scenario="kampenhout", designs=["none", "consultation"], replicates=2, seed=0, overrides=ovr)
    assert_frame_equal(sim.compare(**args, n_jobs=2), sim.compare(**args, n_jobs=1))


def test_replicate_runs_are_comparisons_runs_with_their_tables():
    """replicate_runs gives replicate r the seed and summary compare gives it, and tags every table row."""
    over = ["run.population_scale=0.05"]
    out = sim.replicate_runs("kampenhout", "participatory_budget", 2, 7, over, each={"months": lambda r: r.model.month},
                             variant="v")
    runs = sim.compare("kampenhout", ["participatory_budget"], replicates=2, seed=7, overrides=over)
    assert list(out["summary"]["seed"]) == list(runs["seed"]) == sim.replicate_seeds(7, 2)
    assert list(out["summary"]["trust_citizens"]) == list(runs["trust_citizens"])
    assert (out["summary"]["variant"] == "v").all()
    for key in ("timeseries", "groups"):
        t = out[key]
        assert set(t["replicate"]) == {0, 1} and (t["scenario"] == "kampenhout").all() and (t["variant"] == "v").all()
        assert list(t.groupby("replicate")["seed"].first()) == sim.replicate_seeds(7, 2)
    assert out["months"] == [71, 71]
