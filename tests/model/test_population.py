"""Tests of sim/model/population.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved from tests/test_mechanisms.py; the initial state is now
per-item perceptions.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.config.compose import compose_config
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.population import AGE_BAND_EDGES, AGE_GROUP_LOWER, initial_shares, synthesize

SCENARIOS = ("generic", "geel", "kampenhout", "antwerp_district")


@pytest.fixture(scope="module", params=SCENARIOS)
def population_50k(request):
    cfg = compose_config(request.param, "none", 0)
    return synthesize(50_000, cfg.scenario, cfg.citizens, cfg.perceptions, np.random.default_rng(11)), cfg


class TestPopulation:
    def test_age_shares(self, population_50k):
        pop, cfg = population_50k
        band = np.searchsorted(AGE_BAND_EDGES, pop.age, side="right") - 1
        shares = np.bincount(band, minlength=9) / pop.size
        assert_allclose(shares, cfg.scenario.age_shares, atol=0.01)
        assert pop.age.min() >= 0
        assert pop.age.max() < 100

    def test_age_groups_match_ages(self, population_50k):
        pop, _ = population_50k
        expected = np.searchsorted(AGE_GROUP_LOWER, pop.age, side="right") - 1
        assert_array_equal(pop.age_group, expected)

    def test_education_shares(self, population_50k):
        pop, cfg = population_50k
        adults = (pop.age >= 25) & (pop.age < 65)
        old = pop.age >= 65
        assert_allclose(np.bincount(pop.education[adults], minlength=3) / adults.sum(),
                        cfg.scenario.education_shares_adults, atol=0.015)
        assert_allclose(np.bincount(pop.education[old], minlength=3) / old.sum(),
                        cfg.scenario.education_shares_65plus, atol=0.02)

    def test_online_shares_by_age_group(self, population_50k):
        pop, cfg = population_50k
        online = [pop.online[pop.age_group == g].mean() for g in range(4)]
        assert_allclose(online, cfg.scenario.online_access_by_age, atol=0.02)

    def test_neighbourhood_shares(self, population_50k):
        pop, cfg = population_50k
        shares = np.bincount(pop.neighbourhood, minlength=len(cfg.scenario.neighbourhoods)) / pop.size
        assert_allclose(shares, cfg.scenario.neighbourhood_shares, atol=0.01)

    def test_initial_state_means(self, population_50k):
        """Each survey item starts at the scenario's share agreeing (binomial sd sqrt(0.25 / 50,000) = 0.0022:
        within 0.01), fear at its mean; where residents started is a copy of where they are."""
        pop, cfg = population_50k
        c = cfg.citizens
        shares = initial_shares(cfg.scenario)
        assert list(shares) == list(ITEMS)
        assert shares["trust"] == cfg.scenario.initial_trust and shares["output"] == cfg.scenario.initial_output
        assert pop.perception.shape == (len(ITEMS), 50_000) and pop.perception.dtype == np.float32
        for item in ITEMS:
            assert pop.agrees(item).mean() == pytest.approx(shares[item], abs=0.01), item
        assert pop.fear.mean() == pytest.approx(c.fear_mean, abs=0.02)
        assert_allclose(pop.awareness, c.awareness_initial)
        assert not pop.habit.any()
        assert_array_equal(pop.perception_initial, pop.perception)
        assert_array_equal(pop.fear_initial, pop.fear)
        # copies: moving a resident does not move where she started
        assert pop.perception_initial is not pop.perception and pop.fear_initial is not pop.fear
        assert not pop.ever_participated.any() and not pop.cycles_participated.any()
        assert pop.last_proposal.dtype == np.int16 and not pop.last_proposal.any()

    def test_items_correlate(self, population_50k):
        """Any two items' latent attitudes correlate perceptions.correlation (0.5; within 0.02)."""
        pop, cfg = population_50k
        corr = np.corrcoef(pop.perception)
        assert_allclose(corr[np.triu_indices(len(ITEMS), 1)], cfg.perceptions.correlation, atol=0.02)

    def test_traits_in_unit_interval(self, population_50k):
        pop, _ = population_50k
        for name in ("time_available", "civic_skills", "interest", "general_interest", "fear", "awareness"):
            x = getattr(pop, name)
            assert ((x >= 0) & (x <= 1)).all(), name
            assert not np.isnan(x).any(), name
        assert np.isfinite(pop.perception).all()


def test_gender_origin_and_income_follow_the_scenario_shares():
    """Shares match the scenario; women more common among the old, a migration background among
    the young, a low income with low education and a migration background."""
    from sim.model.population import draw_gender_origin_income

    cfg = compose_config("antwerp_district", "none")
    rng = np.random.default_rng(4)
    n = 200_000
    age = rng.integers(0, 95, n)
    education = rng.integers(0, 3, n)
    woman, migration, low = draw_gender_origin_income(age, education, cfg.scenario, cfg.citizens, rng)
    s = cfg.scenario
    assert abs(woman.mean() - s.women_share) < 0.005
    assert abs(migration.mean() - s.migration_background_share) < 0.005
    assert abs(low.mean() - s.low_income_share) < 0.005
    assert woman[age >= 85].mean() > woman[age < 65].mean() + 0.1
    assert migration[age < 18].mean() > 2 * migration[age >= 65].mean()
    assert low[education == 0].mean() > 2 * low[education == 2].mean()
    assert low[migration].mean() > 2 * low[~migration].mean()


def test_latent_agrees_and_conviction_read_one_item():
    """latent(item) is the item's row (a view: writing it moves the resident); agrees is latent > 0;
    conviction is Phi(latent): Phi(-1) = 0.158655, Phi(0) = 0.5, Phi(1) = 0.841345."""
    cfg = compose_config("generic", "none", 0)
    pop = synthesize(3, cfg.scenario, cfg.citizens, cfg.perceptions, np.random.default_rng(0))
    pop.perception[:] = np.array([-1.0, 0.0, 1.0], dtype=np.float32)
    pop.perception[INDEX["output"]] = 2.0
    assert_array_equal(pop.agrees("trust"), [False, False, True])
    assert_allclose(pop.conviction("efficacy"), [0.158655, 0.5, 0.841345], atol=1e-6)
    assert_allclose(pop.latent("output"), 2.0)
    pop.latent("trust")[0] = 0.5
    assert pop.perception[INDEX["trust"], 0] == 0.5 and pop.agrees("trust")[0]
    # only some residents': the same chances, to the bit, in the order asked
    part = pop.conviction("efficacy", np.array([2, 0]))
    assert part.dtype == pop.conviction("efficacy").dtype
    assert_array_equal(part, pop.conviction("efficacy")[[2, 0]])


def test_initial_shares_follow_the_scenario():
    """Every item's share comes from the scenario's survey level of that item."""
    cfg = compose_config("generic", "none", 0)
    s = cfg.scenario
    assert initial_shares(s) == {"trust": s.initial_trust, "efficacy": s.initial_efficacy, "input": s.initial_input,
                                 "throughput": s.initial_throughput, "output": s.initial_output}
