"""Designs compared over posterior draws (sim.experiments.uncertainty, sim.compare(posterior=...), experiments)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import posterior
from sim.config.keys import ConfigError, assumed_priors
from sim.experiments import uncertainty
from tests.helpers import REPO

TINY = ["run.population_scale=0.05", "run.steps=24"]

pytestmark = pytest.mark.xdist_group("sweeps")


def write_posterior(path: Path, values: list[float], weights: list[float]) -> Path:
    """A posterior.parquet as sim.experiments.abc writes it (an earlier generation is ignored)."""
    rows = [{"generation": 0, "particle": 0, "weight": 1.0, "distance": 9.0, "citizens.base_propensity": -9.0,
             "stat.T1": 0.0}]
    rows += [{"generation": 1, "particle": i, "weight": w, "distance": 1.0, "citizens.base_propensity": v,
              "stat.T1": 0.0} for i, (v, w) in enumerate(zip(values, weights, strict=True))]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(path)
    return path


def test_draws_follow_the_weights_of_the_last_generation_and_the_seed(tmp_path):
    path = write_posterior(tmp_path / "posterior.parquet", [-6.0, -7.0, -8.0], [0.0, 1.0, 0.0])
    drawn = posterior.draw_parameters(path, 5, seed=3)
    assumed = [key for key, _, _ in assumed_priors()]  # drawn from their priors beside the posterior
    assert list(drawn.columns) == ["draw", "citizens.base_propensity", *assumed]
    assert (drawn["citizens.base_propensity"] == -7.0).all() and list(drawn["draw"]) == [0, 1, 2, 3, 4]
    path = write_posterior(tmp_path / "even" / "posterior.parquet", [-6.0, -7.0, -8.0], [1.0, 1.0, 1.0])
    a, b = (posterior.draw_parameters(path.parent, 200, seed=s) for s in (3, 3))
    pd.testing.assert_frame_equal(a, b)
    assert set(a["citizens.base_propensity"]) == {-6.0, -7.0, -8.0}
    assert not a.equals(posterior.draw_parameters(path, 200, seed=4))
    with pytest.raises(ValueError, match="draws=0"):
        posterior.draw_parameters(path, 0, seed=0)


def frame(a: list[float], b: list[float]) -> pd.DataFrame:
    n = len(a)
    return pd.DataFrame({"design": ["A"] * n + ["B"] * n, "draw": [i // 2 for i in range(n)] * 2,
                         "replicate": [i % 2 for i in range(n)] * 2, "trust": a + b})


def test_beats_counts_matched_wins_with_ties_as_half():
    runs = frame([0.5, 0.6, 0.4, 0.3], [0.4, 0.6, 0.5, 0.1])  # A wins 2, ties 1, loses 1
    table = uncertainty.beats(runs, "trust")
    assert table.loc["A", "B"] == pytest.approx(2.5 / 4)
    assert table.loc["B", "A"] == pytest.approx(1.5 / 4)
    assert uncertainty.beats(runs, "trust", lower_is_better=True).loc["A", "B"] == pytest.approx(1.5 / 4)
    with pytest.raises(ValueError, match="share no run"):
        uncertainty.beats(runs.assign(draw=np.where(runs["design"] == "B", runs["draw"] + 10, runs["draw"])),
                          "trust")


def test_intervals_hold_the_runs_and_verdicts_say_whether_a_conclusion_holds():
    runs = frame([0.5, 0.6, 0.7, 0.8], [0.1, 0.2, 0.3, 0.9])
    table = uncertainty.intervals(runs, ["trust"]).set_index("design")
    assert table.loc["A", "mean"] == pytest.approx(0.65)
    assert table.loc["A", "low"] == pytest.approx(np.quantile([0.5, 0.6, 0.7, 0.8], 0.025))
    verdicts = uncertainty.robust_verdicts(runs, "B", ["trust"]).set_index("design")
    assert verdicts.loc["A", "p_better"] == pytest.approx(0.75)
    assert verdicts.loc["A", "verdict"] == "uncertain: depends on the assumptions"
    sure = uncertainty.robust_verdicts(frame([0.5] * 4, [0.1] * 4), "B", ["trust"])
    assert sure["verdict"].tolist() == ["better (holds)"]
    assert uncertainty.robust_verdicts(frame([0.1] * 4, [0.5] * 4), "B", ["trust"])["verdict"].tolist() == [
        "worse (holds)"]


def test_with_margins_only_a_difference_that_matters_holds():
    """With the thresholds of what matters as margins, a run counts as better only by more than the margin:
    a small but steady gain is "no clear difference (holds)", never "better (holds)"."""
    small = frame([0.31, 0.31, 0.315, 0.31], [0.30, 0.30, 0.30, 0.30])  # 1 to 1.5 points better in every run
    assert uncertainty.robust_verdicts(small, "B", ["trust"])["verdict"].tolist() == ["better (holds)"]
    held = uncertainty.robust_verdicts(small, "B", ["trust"], margins={"trust": 0.02}).iloc[0]
    assert (held["verdict"], held["p_better"], held["p_same"]) == ("no clear difference (holds)", 0.0, 1.0)
    large = uncertainty.robust_verdicts(frame([0.35] * 4, [0.30] * 4), "B", ["trust"], margins={"trust": 0.02})
    assert large["verdict"].tolist() == ["better (holds)"]
    mixed = uncertainty.robust_verdicts(frame([0.35, 0.35, 0.30, 0.30], [0.30] * 4), "B", ["trust"],
                                        margins={"trust": 0.02}).iloc[0]
    assert (mixed["verdict"], mixed["p_better"]) == ("uncertain: depends on the assumptions", 0.5)
    low = uncertainty.robust_verdicts(frame([0.25] * 4, [0.30] * 4), "B", ["trust"], margins={"trust": 0.02},
                                      lower_is_better=["trust"])
    assert low["verdict"].tolist() == ["better (holds)"]


def test_compare_over_posterior_draws_matches_single_runs_with_those_values(tmp_path):
    path = write_posterior(tmp_path / "posterior.parquet", [-6.0, -8.0], [0.5, 0.5])
    runs = sim.compare("kampenhout", ["none", "participatory_budget"], replicates=2, seed=1, overrides=TINY,
                       posterior=path, draws=3)
    assert len(runs) == 2 * 3 * 2
    assert list(runs.columns[:6]) == ["scenario", "design", "draw", "replicate", "seed", "root_seed"]
    drawn = posterior.draw_parameters(path, 3, seed=1)
    for _, g in runs.groupby("design"):
        assert g["citizens.base_propensity"].tolist() == np.repeat(drawn["citizens.base_propensity"], 2).tolist()
    # common random numbers: draw d, replicate r share the seed in every design
    seeds = runs.pivot_table(index=["draw", "replicate"], columns="design", values="seed")
    assert (seeds["none"] == seeds["participatory_budget"]).all()
    row = runs[(runs["design"] == "participatory_budget")].iloc[3]
    drawn_keys = ["citizens.base_propensity", *(key for key, _, _ in assumed_priors())]
    single = sim.run_config(sim.compose_config("kampenhout", "participatory_budget", 1, [
        *TINY, *(f"{key}={row[key]}" for key in drawn_keys), f"replicate={row['replicate']}"]))
    assert single.summary["turnout"] == row["turnout"] and single.summary["trust_citizens"] == row["trust_citizens"]


def test_compare_refuses_a_half_given_posterior_or_an_override_of_a_drawn_key(tmp_path):
    path = write_posterior(tmp_path / "posterior.parquet", [-6.0], [1.0])
    with pytest.raises(ConfigError, match="needs both"):
        sim.compare("kampenhout", ["none"], replicates=1, overrides=TINY, posterior=path)
    with pytest.raises(ConfigError, match=r"citizens\.base_propensity is drawn from the posterior"):
        sim.compare("kampenhout", ["none"], replicates=1, overrides=[*TINY, "citizens.base_propensity=-7"],
                    posterior=path, draws=2)


def test_an_experiment_over_posterior_draws_writes_intervals_and_win_probabilities(tmp_path):
    path = write_posterior(tmp_path / "posterior.parquet", [-6.0, -8.0], [0.5, 0.5])
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout",
           "design=none,participatory_budget", "experiment.replicates=2", f"experiment.posterior={path}",
           "experiment.draws=2", *TINY, f"hydra.sweep.dir={out}", "hydra/launcher=basic"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 2 * 2 * 2 and set(runs["draw"]) == {0, 1}
    compared = sim.compare("kampenhout", ["none", "participatory_budget"], replicates=2, seed=0, overrides=TINY,
                           posterior=path, draws=2)
    key = ["design", "draw", "replicate"]
    np.testing.assert_array_equal(runs.sort_values(key)["trust_citizens"], compared.sort_values(key)["trust_citizens"])
    beats = pd.read_parquet(out / "beats.parquet")
    assert set(beats.columns) >= {"design", "versus", "p_beats", "outcome"}
    assert ((beats["p_beats"] >= 0) & (beats["p_beats"] <= 1)).all()
    assert (out / "uncertainty.parquet").exists()


def test_an_experiment_with_draws_but_no_posterior_stops_before_any_job(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "experiment.draws=3",
                           f"hydra.sweep.dir={tmp_path / 'sweep'}"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "experiment.posterior=''" in proc.stderr
