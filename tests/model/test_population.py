"""Tests of sim/model/population.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.config.compose import compose_config
from sim.model.population import AGE_BAND_EDGES, AGE_GROUP_LOWER, synthesize

SCENARIOS = ("generic", "geel", "kampenhout", "antwerp_district")


@pytest.fixture(scope="module", params=SCENARIOS)
def population_50k(request):
    cfg = compose_config(request.param, "none", 0)
    return synthesize(50_000, cfg.scenario, cfg.citizens, np.random.default_rng(11)), cfg


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
        pop, cfg = population_50k
        c = cfg.citizens
        assert pop.trust.mean() == pytest.approx(c.trust_mean, abs=0.01)
        assert pop.fear.mean() == pytest.approx(c.fear_mean, abs=0.02)
        assert pop.efficacy.mean() == pytest.approx(c.efficacy_mean, abs=0.01)
        assert_allclose(pop.awareness, c.awareness_initial)
        assert not pop.habit.any()
        assert_array_equal(pop.trust_initial, pop.trust)

    def test_traits_in_unit_interval(self, population_50k):
        pop, _ = population_50k
        for name in ("time_available", "civic_skills", "interest", "general_interest", "trust", "fear",
                     "efficacy", "awareness"):
            x = getattr(pop, name)
            assert ((x >= 0) & (x <= 1)).all(), name
            assert not np.isnan(x).any(), name


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
