"""Tests of sim/model/mechanisms/reopening.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.mechanisms import reopening


class TestReopening:
    def test_hand_values(self):
        # no guard: yearly 0.12 -> monthly 1 - 0.88 ** (1/12)
        assert reopening.monthly_reopen_probability(0.12, 0.0, 0.0) == pytest.approx(1 - 0.88 ** (1 / 12))
        # full guardian and commitment: 0.12 * 0.2 * 0.5 = 0.012 a year
        assert reopening.monthly_reopen_probability(0.12, 1.0, 1.0) == pytest.approx(1 - 0.988 ** (1 / 12))
        assert reopening.monthly_reopen_probability(1.0, 0.0, 0.0) == 1.0
        assert reopening.monthly_reopen_probability(0.0, 0.0, 0.0) == 0.0

    def test_monthly_compounds_to_yearly(self):
        # 0.5 * (1 - 0.4) * (1 - 0.2) = 0.24 a year
        p = reopening.monthly_reopen_probability(0.5, 0.5, 0.4)
        assert 1 - (1 - p) ** 12 == pytest.approx(0.24)

    def test_falls_with_guardian_and_commitment(self):
        grid = np.linspace(0, 1, 6)
        by_guardian = [reopening.monthly_reopen_probability(0.3, g, 0.5) for g in grid]
        by_commitment = [reopening.monthly_reopen_probability(0.3, 0.5, c) for c in grid]
        assert np.all(np.diff(by_guardian) < 0)
        assert np.all(np.diff(by_commitment) < 0)

    def test_reopen_mask(self):
        rng = np.random.default_rng(0)
        assert not reopening.reopen(50, 0.0, rng).any()
        assert reopening.reopen(50, 1.0, rng).all()
        assert reopening.reopen(0, 0.5, rng).size == 0
