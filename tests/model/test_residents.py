"""Residents built once for the runs that share them (sim/model/residents.py) give the runs built alone."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
import pytest

import sim
from sim.config.schema import model_seed
from sim.model.residents import SharedResidents, build_residents

SMALL = ["run.population_scale=0.1"]


def _digest(adj) -> str:
    return hashlib.sha256(b"".join(a.tobytes() for a in (adj.data, adj.indices, adj.indptr))).hexdigest()


def _assert_same_run(a, b) -> None:
    """Everything a run leaves: summary, time series, tables, residents' state, generators and network."""
    pd.testing.assert_series_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    for table in ("groups", "projects", "cycles"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
    for f in dataclasses.fields(a.model.population):
        x, y = getattr(a.model.population, f.name), getattr(b.model.population, f.name)
        assert x.dtype == y.dtype and np.array_equal(x, y), f.name
    assert a.model.rng.bit_generator.state == b.model.rng.bit_generator.state
    assert _digest(a.model.network) == _digest(b.model.network)


@pytest.mark.parametrize(("scenario", "designs"), [
    # an ABC particle's two Geel runs, and one more
    ("geel", ("participatory_budget", "citizens_panel", "consultation")),
    ("kampenhout", ("consultation", "participatory_budget")),
])
def test_a_run_from_a_shared_build_is_the_run_that_builds_its_own(scenario, designs):
    """The designs after the first on the same scenario and seed start from the first one's build (no second
    build), and each run is, to the last bit, the run made alone; so is the first's, which builds as alone."""
    cfgs = [sim.compose_config(scenario, design, 7, SMALL) for design in designs]
    shared = SharedResidents(cfgs)
    together = [sim.run_config(cfg, residents=shared) for cfg in cfgs]
    assert (shared.builds, shared.reused) == (1, len(designs) - 1)
    for cfg, run in zip(cfgs, together, strict=True):
        _assert_same_run(run, sim.run_config(cfg))


def test_the_network_runs_share_is_read_only_and_left_as_built():
    """Runs share the network they start from: it is built read-only, and after the runs it is the network a
    new build draws."""
    cfgs = [sim.compose_config("geel", design, 3, SMALL) for design in ("participatory_budget", "citizens_panel")]
    shared = SharedResidents(cfgs)
    first, second = (sim.run_config(cfg, residents=shared) for cfg in cfgs)
    assert second.model.network is first.model.network
    built = build_residents(cfgs[0], np.random.default_rng(model_seed(cfgs[0])))[1]
    assert _digest(first.model.network) == _digest(built)
    for part in (first.model.network.data, first.model.network.indices, first.model.network.indptr):
        with pytest.raises(ValueError, match="read-only"):
            part[0] = part[0]


def test_a_build_is_kept_for_announced_runs_only():
    """A build waits for a later announced run through another scenario's runs, and is let go after the last
    announced run that reads it: a run not announced builds its own."""
    geel_pb, kampenhout, geel_panel = (sim.compose_config(sc, d, 4, SMALL) for sc, d in (
        ("geel", "participatory_budget"), ("kampenhout", "consultation"), ("geel", "citizens_panel")))
    shared = SharedResidents([geel_pb, kampenhout, geel_panel])
    runs = [sim.run_config(cfg, residents=shared) for cfg in (geel_pb, kampenhout, geel_panel)]
    assert (shared.builds, shared.reused) == (2, 1)
    for cfg, run in zip((geel_pb, kampenhout, geel_panel), runs, strict=True):
        _assert_same_run(run, sim.run_config(cfg))
    again = sim.run_config(geel_panel, residents=shared)  # not announced: its own build
    assert (shared.builds, shared.reused) == (3, 1)
    _assert_same_run(again, runs[2])


@pytest.mark.parametrize("other", [
    {"seed": 8},  # another seed
    {"replicate": 1},  # another replicate of the same root seed
    {"overrides": ["citizens.general_interest_mean=0.4"]},  # a citizens' trait the population is drawn with
    {"overrides": ["citizens.mean_degree=8"]},  # the network's
    {"overrides": ["perceptions.correlation=0.3"]},  # perceptions drawn at the start
    {"overrides": ["run.population_scale=0.05"]},  # another size
    {"scenario": "kampenhout"},
])
def test_runs_that_differ_in_what_the_build_reads_build_their_own(other):
    """A seed, replicate, scenario, size, citizens or perceptions setting of their own: a build of their own, the
    same run as alone (a design setting is read after the build and shares it: the tests above)."""
    first = sim.compose_config("geel", "participatory_budget", 7, SMALL)
    cfg = sim.compose_config(other.get("scenario", "geel"), "citizens_panel", other.get("seed", 7),
                             [*SMALL, *other.get("overrides", [])])
    cfg = dataclasses.replace(cfg, replicate=other.get("replicate", cfg.replicate))
    shared = SharedResidents([first, cfg])
    sim.run_config(first, residents=shared)
    run = sim.run_config(cfg, residents=shared)
    assert (shared.builds, shared.reused) == (2, 0)
    _assert_same_run(run, sim.run_config(cfg))


def test_an_abc_particle_measures_the_same_with_and_without_shared_builds(monkeypatch):
    """The calibration's light runs share Geel's build between its budget and its panel: the same measures."""
    from sim.experiments import abc

    values = {p.key: (p.lo + p.hi) / 2 for p in abc.calibrated_parameters()}
    shared = abc.simulate(values, seed=11, overrides=["run.population_scale=0.1"])
    monkeypatch.setattr(abc, "SharedResidents", lambda configs: SharedResidents(()))  # nothing announced
    alone = abc.simulate(values, seed=11, overrides=["run.population_scale=0.1"])
    assert list(shared) == list(alone) and np.array_equal(list(shared.values()), list(alone.values()), equal_nan=True)


def test_a_comparisons_rows_are_the_runs_made_alone():
    """sim.compare runs a replicate's designs from one build: every column of every row is that run's alone."""
    designs = ["none", "consultation", "participatory_budget"]
    df = sim.compare("kampenhout", designs, replicates=2, seed=5, overrides=["run.population_scale=0.05"])
    assert list(df["design"]) == [d for d in designs for _ in range(2)] and list(df["replicate"]) == [0, 1] * 3
    for design in designs:
        cfg = sim.compose_config("kampenhout", design, 5, ["run.population_scale=0.05"])
        for r in range(2):
            alone = sim.run_config(dataclasses.replace(cfg, replicate=r)).summary
            row = df[(df["design"] == design) & (df["replicate"] == r)].iloc[0][alone.index]
            pd.testing.assert_series_equal(row, alone, check_names=False, check_dtype=False, check_exact=True)
