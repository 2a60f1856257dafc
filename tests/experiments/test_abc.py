"""ABC-SMC calibration (sim.experiments.abc): priors from the schema, the fast config path, the
command line, and recovery of known parameter values from data the model generated."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

import sim
from sim import posterior
from sim.config.keys import ConfigError, assumed_priors, iter_params, with_values
from sim.experiments import abc
from sim.validation.patterns import PATTERNS, by_id
from tests.helpers import REPO

SMALL = ["run.population_scale=0.1"]

pytestmark = pytest.mark.xdist_group("sweeps")  # ABC runs many models: keep them on one worker


def test_every_calibrated_parameter_has_a_prior_inside_its_range_around_its_default():
    """ABC samples exactly the calibrated parameters, each with its prior; the assumed effect sizes with a
    prior (the perceptions' sizes) are not fitted but drawn from their priors beside the posterior."""
    fields = dict(iter_params())
    priors = abc.calibrated_parameters()
    calibrated = {k for k, f in fields.items() if f.metadata.get("provenance") == "calibrated"}
    assumed = {key for key, _, _ in assumed_priors()}
    assert sorted(p.key for p in priors) == sorted(calibrated)
    assert {"citizens.base_propensity", "citizens.weight_novelty"} <= calibrated
    assert {"perceptions.outcome", "perceptions.negativity"} <= assumed and not assumed & calibrated
    assert len({p.key for p in priors}) == len(priors)
    for p in priors:
        meta = fields[p.key].metadata
        assert meta["lo"] <= p.lo < p.hi <= meta["hi"]
        assert p.lo < fields[p.key].default < p.hi, p.key
    for key, lo, hi in assumed_priors():
        meta = fields[key].metadata
        assert meta["lo"] <= lo < hi <= meta["hi"] and lo <= fields[key].default <= hi, key


def test_draws_from_the_posterior_carry_the_assumed_effect_sizes_over_their_priors():
    """draw_parameters adds every assumed parameter with a prior, spread over that prior, reproducibly."""
    post = pd.DataFrame({"citizens.base_propensity": [-3.0, -2.5], "weight": [0.5, 0.5]})
    draws = posterior.draw_parameters(post, 400, seed=7)
    assert draws.equals(posterior.draw_parameters(post, 400, seed=7))
    for key, lo, hi in assumed_priors():
        values = draws[key].to_numpy()
        assert lo <= values.min() and values.max() <= hi, key
        assert values.max() - values.min() > 0.8 * (hi - lo), key  # spread over the prior, not a constant


def test_only_calibration_patterns_are_fitted_and_their_observations_lie_in_their_ranges():
    patterns = abc.calibration_patterns()
    assert {p.id for p in patterns} == {"T1", "D1", "P1", "S1", "W3"}
    assert all(p.use == "calibration" for p in patterns)
    assert all(p.observed is None for p in PATTERNS if p.use == "validation")
    for p in patterns:
        assert p.target.lo <= p.observed <= p.target.hi and p.observed_source


def test_a_prior_outside_the_range_is_refused():
    from sim.config.schema import param

    with pytest.raises(ValueError, match="inside the range"):
        param(0.5, 0.0, 1.0, provenance="calibrated", prior=(0.2, 1.5))


def test_with_values_equals_composing_with_the_same_overrides():
    composed = sim.compose_config("geel", "participatory_budget", 3,
                                  ["citizens.base_propensity=-6.5", "proposals.within_rules_share=0.7", *SMALL])
    fast = with_values(sim.compose_config("geel", "participatory_budget", None, SMALL),
                       {"citizens.base_propensity": -6.5, "proposals.within_rules_share": 0.7, "seed": 3})
    assert fast == composed


@pytest.mark.parametrize(("values", "message"), [
    ({"citizens.nope": 1.0}, "citizens.nope=1.0: no such key; allowed: a key of the schema"),
    ({"citizens.fear_man": 0.3}, "citizens.fear_man=0.3: no such key .did you mean citizens.fear_mean"),
    ({"seed": 1.5}, "seed=1.5 is not a whole number"),
    ({"scenario.min_participation_age": 18}, "scenario.min_participation_age is the default of other keys"),
    ({"proposals.within_rules_share": 1.4}, "proposals.within_rules_share"),
])
def test_with_values_refuses_bad_input_naming_the_key(values, message):
    base = sim.compose_config("geel", "participatory_budget", 0, SMALL)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        with_values(base, values)


def test_a_particle_gives_the_same_statistics_every_time():
    values = {"citizens.base_propensity": -6.8, "citizens.panel_invitation_bonus": 0.2,
              "proposals.within_rules_share": 0.5}
    seed = abc.particle_seed(7, list(values.values()))
    assert seed == abc.particle_seed(7, list(values.values()))
    assert seed != abc.particle_seed(7, [-6.8, 0.2, 0.5000001])
    first = abc.simulate(values, seed=seed, overrides=SMALL)
    assert first == abc.simulate(values, seed=seed, overrides=SMALL)
    assert set(first) == {"T1", "D1", "P1", "S1", "W3"} and all(np.isfinite(v) for v in first.values())
    # the particles' light path (no survey, no time series) gives the normal path's numbers
    assert first == abc.simulate(values, seed=seed, overrides=SMALL, series=True)


def test_the_effective_sample_size_counts_particles_worth_their_weights():
    assert abc.effective_sample_size(np.full(8, 0.125)) == pytest.approx(8)
    assert abc.effective_sample_size(np.array([3.0, 3.0, 3.0])) == pytest.approx(3)  # unnormalised weights
    assert abc.effective_sample_size(np.array([1.0, 0.0, 0.0])) == pytest.approx(1)
    assert abc.effective_sample_size(np.array([0.5, 0.25, 0.25])) == pytest.approx(1 / 0.375)
    assert abc.effective_sample_size(np.zeros(3)) == 0


def test_the_command_line_writes_the_posterior_the_fit_and_the_figure(tmp_path):
    out = tmp_path / "abc"
    cmd = [sys.executable, "-m", "sim", "+experiment=calibration_abc", "experiment.abc_population=6",
           "experiment.abc_generations=2", "experiment.jobs=1", *SMALL, f"hydra.run.dir={out}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "ABC-SMC:" in proc.stdout
    saved = json.loads((out / "abc.json").read_text())
    assert set(saved["posterior"]) == {p.key for p in abc.calibrated_parameters()}
    assert saved["generations_run"] == 2 and len(saved["epsilons"]) == 2
    assert saved["epsilons"][1] <= saved["epsilons"][0]
    df = pd.read_parquet(out / "posterior.parquet")
    assert sorted(df["generation"].unique()) == [0, 1]
    assert df.groupby("generation").size().tolist() == [6, 6]
    np.testing.assert_allclose(df.groupby("generation")["weight"].sum(), 1.0)
    last = df[df["generation"] == 1]
    assert (last["distance"] <= saved["epsilons"][1] + 1e-12).all()
    # each generation's effective sample size, from its weights; the prior sample that set the first threshold
    for t, ess in enumerate(saved["effective_sample_sizes"]):
        w = df.loc[df["generation"] == t, "weight"].to_numpy()
        assert ess == pytest.approx(1 / np.sum(w ** 2), abs=0.05) and 1 <= ess <= 6 + 1e-9
    assert saved["effective_sample_sizes"][0] == 6  # generation 0: the prior's particles, equal weights
    assert saved["calibration_evaluations"] == 6
    assert f"(effective sample size {saved['effective_sample_sizes'][-1]:.0f} of 6)" in proc.stdout
    fit = pd.read_csv(out / "fit.csv")
    assert list(fit["id"]) == [p.id for p in abc.calibration_patterns()]
    assert (out / "abc.db").stat().st_size > 0
    assert (out / "figures" / "abc_posterior.png").exists()
    drawn = posterior.load_posterior(out)
    assert list(drawn.columns) == [*saved["posterior"], "weight"] and len(drawn) == 6

    # the same command again keeps the finished calibration (it was computed again and replaced, with a different
    # result when run on several processes); its summary is printed from abc.json
    files = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.is_file()}
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert proc.stdout.splitlines()[-1].split("; posterior")[0].split(" in ")[0] in again.stdout
    for name in ("abc.json", "abc.db", "posterior.parquet", "fit.csv"):
        assert (out / name).stat().st_mtime_ns == files[name][0], name
    assert "its results are kept, not computed again" in (out / "__main__.log").read_text()

    # a damaged result, or other settings, are computed again
    def refit(db_path, **kwargs):
        raise RuntimeError("computed again")

    cfg = OmegaConf.structured(sim.compose_config("geel", "participatory_budget", 0, [
        "+experiment=calibration_abc", "experiment.abc_population=6", "experiment.abc_generations=2", *SMALL]))
    assert abc.finished_before(out, abc.calibration_key(cfg)) is not None  # jobs, figures: not what it depends on
    other = OmegaConf.structured(sim.compose_config("geel", "participatory_budget", 0, [
        "+experiment=calibration_abc", "experiment.abc_population=6", "experiment.abc_generations=3", *SMALL]))
    assert abc.finished_before(out, abc.calibration_key(other)) is None
    # a preset the patterns' runs read, changed (here Geel's runs composed otherwise): calibrated anew (the key
    # held the settings and the code only, a reviewer found)
    composed = abc._composed
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(abc, "_composed", lambda c, o: dataclasses.replace(composed(c, o), replicate=7))
        assert abc.finished_before(out, abc.calibration_key(cfg)) is None
    # kept, with its figure drawn again when it is asked for and missing
    shutil.rmtree(out / "figures")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(abc, "fit", refit)
        abc.run_experiment(cfg, out)
    assert (out / "figures" / "abc_posterior.png").exists()
    with open(out / "posterior.parquet", "ab") as f:
        f.write(b"x")
    assert abc.finished_before(out, abc.calibration_key(cfg)) is None
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(abc, "fit", refit)
        with pytest.raises(RuntimeError, match="computed again"):
            abc.run_experiment(cfg, out)


def test_calibrations_with_one_seed_are_identical_on_one_process_and_on_two(tmp_path):
    """The seed fixes the calibration (sim.experiments.abc_sampler): one process twice, and two processes,
    give the same particles, weights, distances and statistics, and the same count of evaluations."""
    runs, counts = [], []
    for i, jobs in enumerate((1, 1, 2)):
        history = abc.fit(tmp_path / f"{i}.db", population=4, generations=2, seed=5, jobs=jobs, overrides=SMALL)
        runs.append(abc.particles(history, abc.calibrated_parameters()))
        counts.append(history.total_nr_simulations)
    pd.testing.assert_frame_equal(runs[0], runs[1])
    pd.testing.assert_frame_equal(runs[0], runs[2])
    assert counts[0] == counts[1] == counts[2], counts


def test_early_rejection_accepts_exactly_the_particles_a_full_evaluation_accepts(tmp_path, monkeypatch):
    """Rejecting a particle once the patterns measured so far are beyond the threshold changes nothing
    that is kept: one process, the same seed, the same particles, weights, distances and statistics;
    and it does skip runs (counted in this process: one process evaluates every particle)."""
    runs: list[int] = []
    real = abc.run_config

    def counted(cfg, **kw):
        runs[-1] += 1
        return real(cfg, **kw)

    monkeypatch.setattr(abc, "run_config", counted)
    kept = {}
    for early in (True, False):
        runs.append(0)
        kept[early] = abc.particles(abc.fit(tmp_path / f"{early}.db", population=6, generations=3, seed=2, jobs=1,
                                            overrides=SMALL, early_rejection=early), abc.calibrated_parameters())
    pd.testing.assert_frame_equal(kept[True], kept[False])
    assert runs[0] < runs[1], runs


def test_partial_distance_is_never_above_the_whole_and_refuses_nan():
    weights, observed = {"a": 2.0, "b": 0.5}, {"a": 0.1, "b": 1.0}
    whole = abc.partial_distance({"a": 0.4, "b": 3.0}, observed, weights)
    assert whole == pytest.approx(np.hypot(0.6, 1.0))
    assert abc.partial_distance({"a": 0.4}, observed, weights) == pytest.approx(0.6)
    assert abc.partial_distance({"a": 0.4}, observed, weights) < whole
    assert abc.partial_distance({"a": float("nan")}, observed, weights) == float("inf")


def test_patterns_run_in_groups_that_share_a_condition_the_shortest_runs_first():
    stages = abc._stages(abc.calibration_patterns(), tuple(SMALL))
    assert [sorted(p.id for p in g) for g in stages] == [["S1", "T1", "W3"], ["P1"], ["D1"]]


def test_load_posterior_names_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="posterior="):
        posterior.load_posterior(tmp_path / "nothing")


@pytest.mark.slow
def test_abc_recovers_known_parameter_values_from_model_data(tmp_path):
    """Data made by the model at known values (half of Geel, four seeds) are fitted by ABC-SMC
    with 40 particles over five generations (one process: the same result every run).

    The known values stand well away from the priors' midpoints, so that "the posterior moved
    towards the truth" says something. Every parameter's posterior must hold the truth in its 95 %
    interval, centre nearer the truth than the prior does, and be narrower than 0.7 of the prior's
    spread. The widest is the share of proposals within the rules, at about 0.67: it rests on the
    few dozen proposals of a Geel round, and the other patterns' misses take most of the tolerance
    (at a quarter of Geel it narrowed to only 0.89 with the defaults of the ABC calibration; with the
    defaults before it, 0.51 at a quarter, when the bound was 0.6).
    """
    overrides = ["run.population_scale=0.5"]
    truth = {"citizens.base_propensity": -6.3, "citizens.weight_age_65plus": 0.0,
             "citizens.panel_invitation_bonus": 1.0, "proposals.within_rules_share": 0.8}
    # the four parameters and the four patterns that inform them; the others (the novelty's, with D1,
    # and the assumed effect sizes) stay at their defaults: 40 particles cannot recover fifteen
    priors = [p for p in abc.calibrated_parameters() if p.key in truth]
    patterns = [by_id(i) for i in ("T1", "P1", "W3", "S1")]
    sims = [abc.simulate(truth, seed=s, patterns=patterns, overrides=overrides) for s in range(4)]
    observed = {k: float(np.mean([s[k] for s in sims])) for k in sims[0]}
    history = abc.fit(tmp_path / "abc.db", priors=priors, patterns=patterns, observed=observed, population=40,
                      generations=5, seed=1, jobs=1, overrides=overrides)
    post, _ = abc.summarise(abc.particles(history, priors), priors, patterns, observed)
    assert set(post) == set(truth)
    for key, value in truth.items():
        p = post[key]
        # the truth lies in the 95 % interval, and the posterior mean moved towards it from the prior's
        assert p["q2.5"] <= value <= p["q97.5"], (key, value, p)
        assert abs(p["mean"] - value) < abs((p["prior_lo"] + p["prior_hi"]) / 2 - value), (key, value, p)
        assert p["sd_over_prior_sd"] < 0.7, (key, p)


def test_a_calibration_stopped_part_way_keeps_the_last_one(tmp_path, monkeypatch):
    """A calibration started again in a finished one's folder fills a working database; stopped part-way (here
    at once, as a kill would), the finished abc.db and the files drawn from it are as they were."""
    out = tmp_path / "abc"
    out.mkdir()
    (out / "abc.db").write_bytes(b"the finished calibration")
    (out / "abc.json").write_text('{"finished": true}')
    used = []

    def stopped(db_path, **kwargs):
        used.append(Path(db_path))
        Path(db_path).write_bytes(b"half a calibration")
        raise KeyboardInterrupt

    monkeypatch.setattr(abc, "fit", stopped)
    cfg = OmegaConf.structured(sim.compose_config("geel", "participatory_budget", 0,
                                                  ["+experiment=calibration_abc", *SMALL]))
    with pytest.raises(KeyboardInterrupt):
        abc.run_experiment(cfg, out)
    assert used == [out / ".abc.db.partial"]
    assert (out / "abc.db").read_bytes() == b"the finished calibration"
    assert (out / "abc.json").read_text() == '{"finished": true}'
