"""Scenario discovery (sim.experiments.discovery): the sample, PRIM's box, the experiment end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments import discovery
from tests.helpers import REPO

pytestmark = pytest.mark.xdist_group("sweeps")


def test_the_latin_hypercube_is_seeded_within_bounds_and_stratified():
    x = discovery.latin_hypercube(["a", "b"], [[0.0, 1.0], [-8.0, -6.0]], 20, seed=4)
    assert list(x.columns) == ["a", "b"] and len(x) == 20
    assert x["a"].between(0, 1).all() and x["b"].between(-8, -6).all()
    for col, (lo, hi) in zip(x.columns, [(0.0, 1.0), (-8.0, -6.0)], strict=True):
        bins = np.floor((x[col] - lo) / (hi - lo) * 20).astype(int)
        assert sorted(bins) == list(range(20))  # one point in each of the 20 strata
    pd.testing.assert_frame_equal(x, discovery.latin_hypercube(["a", "b"], [[0.0, 1.0], [-8.0, -6.0]], 20, seed=4))
    assert not x.equals(discovery.latin_hypercube(["a", "b"], [[0.0, 1.0], [-8.0, -6.0]], 20, seed=5))


def test_prim_finds_the_box_that_holds_the_cases():
    x = discovery.latin_hypercube(["a", "b", "c"], [[0.0, 1.0]] * 3, 400, seed=1)
    y = ((x["a"] > 0.7) & (x["b"] < 0.5)).to_numpy()
    box = discovery.prim_box(x, y)
    traj = box.peeling_trajectory.reset_index(drop=True)
    i = discovery.choose_box(traj, 0.5)
    assert traj.loc[i, "density"] > 0.8 and traj.loc[i, "coverage"] >= 0.5
    lims = box.box_lims[i]
    assert lims.loc[0, "a"] == pytest.approx(0.7, abs=0.05)
    assert lims.loc[1, "b"] == pytest.approx(0.5, abs=0.05)
    assert lims.loc[0, "c"] <= 0.01 and lims.loc[1, "c"] >= 0.99  # c does not matter and is left open
    # the two real restrictions are far from chance; an unrestricted side has no quasi-p-value
    limits = {r["parameter"]: r for r in discovery._limits(box, i, x)}
    assert limits["a"]["qp_low"] < 1e-6 and limits["b"]["qp_high"] < 1e-6
    assert np.isnan(limits["a"]["qp_high"]) and np.isnan(limits["b"]["qp_low"])


def test_choose_box_prefers_density_then_fewer_restrictions():
    traj = pd.DataFrame({"coverage": [1.0, 0.8, 0.6, 0.6, 0.3], "density": [0.3, 0.6, 0.9, 0.9, 1.0],
                         "res_dim": [0, 1, 3, 2, 4], "mass": [1, 0.5, 0.3, 0.3, 0.1]})
    assert discovery.choose_box(traj, 0.5) == 3
    assert discovery.choose_box(traj, 0.9) == 0
    assert discovery.choose_box(traj, 0.0) == 4


def test_the_experiment_writes_the_sample_the_box_and_its_description(tmp_path):
    out = tmp_path / "disc"
    cmd = [sys.executable, "-m", "sim", "+experiment=scenario_discovery", "experiment.samples=16",
           "run.population_scale=0.05", "run.steps=36", "experiment.jobs=1", f"hydra.run.dir={out}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "scenario discovery:" in proc.stdout
    samples = pd.read_parquet(out / "samples.parquet")
    result = json.loads((out / "discovery.json").read_text())
    assert len(samples) == 16 and result["cases"] == int(samples["case"].sum())
    focus, base = "trust_citizens.participatory_budget", "trust_citizens.none"
    np.testing.assert_array_equal(samples["case"], samples[focus] < samples[base])
    # a point is the run with those values, as replicate i of the seed, in each design
    row = samples.iloc[5]
    keys = list(result["parameters"])
    overrides = ["run.population_scale=0.05", "run.steps=36", "replicate=5", *[f"{k}={float(row[k])!r}" for k in keys]]
    single = sim.run_config(sim.compose_config("kampenhout", "participatory_budget", 0, overrides))
    assert single.summary["trust_citizens"] == row[focus]
    text = (out / "discovery.md").read_text()
    assert text.startswith("# Scenario discovery: when does participatory_budget end with a lower trust_citizens")
    if 0 < result["cases"] < 16 and result["box"]["limits"]:
        assert (out / "figures" / "discovery.png").exists() and "| parameter | box low |" in text
    elif 0 < result["cases"] < 16:
        assert "PRIM found no box" in text
    else:
        assert result["box"] is None and "PRIM needs both outcomes" in text


def test_discovery_needs_two_designs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sim", "+experiment=scenario_discovery",
                           "experiment.discovery_designs=[none]", f"hydra.run.dir={tmp_path}"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "experiment.discovery_designs=['none']" in proc.stderr
