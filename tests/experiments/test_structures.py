"""Structural alternatives (sim.experiments.structures, configs/structure/): presets, rules, rankings, validation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import sim
from sim.config.keys import iter_params
from sim.config.schema import Aggregation
from sim.experiments import structures
from sim.model.mechanisms import trust
from sim.model.processes.perceptions import combine
from sim.validation import patterns, report
from sim.validation import run as validation_run

SMALL = ["run.population_scale=0.05"]


def test_the_presets_are_default_and_six_alternatives_each_changing_one_choice():
    names = structures.names()
    assert names[0] == "default" and len(names) == 7
    assert structures.overrides("default") == []
    base = sim.compose_config("kampenhout", "participatory_budget", 0, SMALL)
    seen = set()
    for name in names[1:]:
        (override,) = structures.overrides(name)
        composed = sim.compose_config("kampenhout", "participatory_budget", 0, [*SMALL, f"structure={name}"])
        changed = [k for k, _ in iter_params() if _get(composed, k) != _get(base, k)]
        assert changed == [override.split("=")[0]], name
        seen.add(override)
    assert {o.split("=")[0] for o in seen} == {"citizens.judgement", "perceptions.aggregation", "citizens.habit_rule"}


def _get(cfg, key):
    for part in key.split("."):
        cfg = getattr(cfg, part)
    return cfg


def test_an_unknown_structure_is_refused_with_the_allowed_names():
    with pytest.raises(ValueError, match="allowed: default, aspiration, disconfirmation, geometric"):
        structures.overrides("nope")


def test_aggregations_of_legitimacy():
    """Overall legitimacy from the shares agreeing with the input, throughput and output items: their mean
    (the default), their geometric mean or the weakest of them."""
    parts = (0.8, 0.5, 0.2)
    mean = combine(parts, Aggregation.arithmetic)
    geo = combine(parts, Aggregation.geometric)
    low = combine(parts, Aggregation.minimum)
    assert geo == pytest.approx(0.08 ** (1 / 3)) and mean == pytest.approx(0.5) and low == pytest.approx(0.2)
    assert low < geo < mean  # the less compensatory, the lower when the parts differ
    assert combine((0.4, 0.4, 0.4), Aggregation.geometric) == pytest.approx(0.4)  # equal parts: every rule agrees
    default = sim.compose_config("geel", "none", 0)
    assert default.perceptions.aggregation is Aggregation.arithmetic
    geometric = sim.compose_config("geel", "none", 0, ["structure=geometric"])
    assert geometric.perceptions.aggregation is Aggregation.geometric


def test_habit_alone_ignores_the_experience_and_aspiration_learning_follows_it():
    habit, took = np.array([0.2, 0.2, 0.2]), np.array([1.0, 1.0, 0.0])
    sad, happy = np.array([0.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(trust.reinforce_habit(habit, took, 0.5), [0.6, 0.6, 0.1])
    np.testing.assert_array_equal(trust.reinforce_habit(habit, took, 0.5), trust.reinforce_habit(habit, took, 0.5))
    aspiration = np.array([0.5, 0.5, 0.5])
    satisfaction = np.array([0.7, 0.3, 0.9])
    h, a = trust.aspiration_habit(habit, aspiration, took, satisfaction, rate=0.5, aspiration_rate=0.25)
    np.testing.assert_allclose(h, [0.6, 0.1, 0.1])  # reinforced, discouraged, fading (did not take part)
    np.testing.assert_allclose(a, [0.55, 0.45, 0.5])
    # the satisfaction rule lies between: taking part always helps, satisfaction more
    assert (trust.update_habit(habit, took, happy, 0.5) >= trust.update_habit(habit, took, sad, 0.5)).all()


def test_aspiration_learning_changes_a_run_and_is_reproducible():
    base = sim.run("kampenhout", "participatory_budget", 2, SMALL).timeseries
    alt = [sim.run("kampenhout", "participatory_budget", 2, [*SMALL, "structure=aspiration"]).timeseries
           for _ in range(2)]
    pd.testing.assert_frame_equal(alt[0], alt[1])
    assert not base["turnout"].equals(alt[0]["turnout"])


def test_rankings_find_swaps_against_the_default():
    rows = []
    means = {"default": {"a": 3, "b": 2, "c": 1}, "other": {"a": 1, "b": 2, "c": 3}, "same": {"a": 5, "b": 4, "c": 0}}
    for structure, by_design in means.items():
        for design, value in by_design.items():
            rows += [{"structure": structure, "design": design, "replicate": r, "trust": value + 0.1 * r}
                     for r in range(2)]
    table = structures.rankings(pd.DataFrame(rows), ["trust"]).set_index("structure")
    assert table.loc["default", "kendall_tau"] == pytest.approx(1.0) and table.loc["default", "swapped"] == ""
    assert table.loc["same", "same_best"] and table.loc["same", "ranking"] == "a > b > c"
    assert table.loc["other", "kendall_tau"] == pytest.approx(-1.0) and not table.loc["other", "same_best"]
    assert table.loc["other", "swapped"] == "b > a (+1; default -1); c > a (+2; default -2); c > b (+1; default -1)"
    low = structures.rankings(pd.DataFrame(rows), ["trust"], lower_is_better=["trust"]).set_index("structure")
    assert low.loc["default", "best"] == "c"
    assert "| other | c > b > a | -1.00 | no |" in structures.markdown(table.reset_index())


def test_the_validation_patterns_run_under_a_structure():
    seed = sim.replicate_seeds(patterns.ROOT_SEED, 1)[0]
    # T1, mean turnout over cycles: the habit rule changes turnout from the second cycle on
    plain = validation_run.evaluate_one("T1", seed, 0.05)
    habit = validation_run.evaluate_one("T1", seed, 0.05, extra=tuple(structures.overrides("habit")))
    assert plain[3] == "" and habit[3] == ""
    assert plain[2] != habit[2]
    table = pd.DataFrame([{"id": "T2", "pattern": "p", "target": "> 0", "unit": "x", "status": "holds",
                           "mean": 0.1, "use": "validation"}])
    text = report.structure_summary({"default": table, "habit": table.assign(status="missed", mean=-0.1)},
                                      replicates=2, scale=0.05, command="python -m sim validate")
    assert "| T2 | p | > 0 x | holds 0.1 | **missed** -0.1 |" in text


def test_structure_presets_do_not_change_the_default_model():
    default = sim.compose_config("geel", "none", 0, ["structure=default"])
    assert dataclasses.asdict(default) == dataclasses.asdict(sim.compose_config("geel", "none", 0))
