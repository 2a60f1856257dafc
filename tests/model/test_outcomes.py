"""Tests of sim/model/outcomes.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sim.model.outcomes import composition, representativeness, total_variation


class TestRepresentativeness:
    def test_total_variation(self):
        # p = (0.5, 0.5), q = (0.25, 0.75): 0.5 * (0.25 + 0.25) = 0.25
        assert total_variation(np.array([1, 1]), np.array([1, 3])) == pytest.approx(0.25)
        assert total_variation(np.array([2, 2]), np.array([5, 5])) == 0.0
        assert total_variation(np.array([1, 0]), np.array([0, 1])) == 1.0
        assert total_variation(np.array([0, 0]), np.array([1, 1])) == 1.0

    def test_composition(self):
        codes = np.array([0, 1, 1, 2, 2, 2])
        assert_array_equal(composition(codes, codes >= 1, 4), [0, 2, 3, 0])

    @pytest.fixture
    def groups(self):
        rng = np.random.default_rng(0)
        n = 50_000
        codes = {"education": rng.integers(0, 3, n), "age": rng.integers(0, 4, n),
                 "neighbourhood": rng.integers(0, 5, n), "online_access": (rng.random(n) < 0.9).astype(np.int64)}
        return codes, {"education": 3, "age": 4, "neighbourhood": 5, "online_access": 2}, rng

    def test_mirror_is_one(self, groups):
        codes, n_groups, rng = groups
        eligible = np.ones(50_000, dtype=bool)
        assert representativeness(codes, eligible, eligible, n_groups) == pytest.approx(1.0)
        # a large random sample nearly mirrors the population
        sample = rng.random(50_000) < 0.3
        assert representativeness(codes, sample, eligible, n_groups) > 0.98

    def test_skewed_is_lower(self, groups):
        codes, n_groups, rng = groups
        eligible = np.ones(50_000, dtype=bool)
        mirror = representativeness(codes, rng.random(50_000) < 0.1, eligible, n_groups)
        high_only = (codes["education"] == 2) & (rng.random(50_000) < 0.3)
        skewed = representativeness(codes, high_only, eligible, n_groups)
        # education TVD = 1 - 1/3 = 2/3, others ~0: 1 - (2/3) / 4 = 0.8333
        assert skewed == pytest.approx(1 - (2 / 3) / 4, abs=0.01)
        assert skewed < mirror
        assert representativeness(codes, np.zeros(50_000, dtype=bool), eligible, n_groups) == 0.0

    def test_compares_with_the_eligible_only(self, groups):
        codes, n_groups, _ = groups
        eligible = codes["age"] >= 1
        assert representativeness(codes, eligible, eligible, n_groups) == pytest.approx(1.0)
