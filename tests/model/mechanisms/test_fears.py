"""Tests of sim/model/mechanisms/fears.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved from tests/test_mechanisms.py; remember added with the fear memory.)
"""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import fears
from tests.helpers import arr


class TestFears:
    def test_learn_failure(self):
        # 3 successes, 1 failure: evidence 0.25; 0.4 + 0.1 * (4 / 5) * (0.25 - 0.4) = 0.388
        assert fears.learn_failure(0.4, 3, 1, 0.1) == pytest.approx(0.388)
        # more than 5 outcomes weigh as 5: 0.4 + 0.1 * 1 * (1 - 0.4) = 0.46
        assert fears.learn_failure(0.4, 0, 10, 0.1) == pytest.approx(0.46)
        # nothing happened: unchanged
        assert fears.learn_failure(0.4, 0, 0, 0.1) == 0.4

    def test_self_interest_evidence(self):
        # 0.5 * (1 - 0.8) + 0.5 * (1 - 0.6) = 0.3
        assert fears.self_interest_evidence(0.8, 0.6) == pytest.approx(0.3)
        assert fears.self_interest_evidence(1.0, 1.0) == 0.0
        assert fears.self_interest_evidence(0.0, 0.0) == 1.0

    def test_learn_toward_and_by_doing(self):
        assert fears.learn_toward(0.5, 1.0, 0.1) == pytest.approx(0.55)  # 0.5 + 0.1 * 0.5
        assert fears.learn_toward(0.5, 0.0, 0.1) == pytest.approx(0.45)
        assert fears.learn_by_doing(0.4, 0.1) == pytest.approx(0.38)  # 0.4 * (1 - 0.05)

    def test_citizens_wasted_effort(self):
        # ignored (-1): 0.5 + 0.2 * 1 * 0.5 = 0.6 ; heard (+1): 0.5 - 0.2 * 1 * 0.5 = 0.4
        out = fears.citizens_wasted_effort(arr(0.5, 0.5, 0.5), arr(-1, 1, 0), 0.2)
        assert_allclose(out, [0.6, 0.4, 0.5])

    def test_remember_returns_toward_the_initial_fear(self):
        """A share ``rate`` of the way back: 0.1 + 0.02 * (0.4 - 0.1) = 0.106 (fear that information took
        away returns), 0.7 + 0.02 * (0.4 - 0.7) = 0.694 (fear raised by a failure fades), 0.4 stays."""
        out = fears.remember(arr(0.1, 0.7, 0.4), arr(0.4, 0.4, 0.4), 0.02)
        assert_allclose(out, [0.106, 0.694, 0.4])

    def test_remember_has_no_ratchet(self):
        """Month after month without news fear ends where it started, from below and from above:
        the gaps 0.4 and 0.6 shrink by (1 - 0.02) ** 600 = 5.5e-6 over 50 years (to 2.2e-6 and 3.3e-6)."""
        fear, initial = arr(0.0, 1.0), arr(0.4, 0.4)
        for _ in range(600):
            fear = fears.remember(fear, initial, 0.02)
        assert_allclose(fear, [0.4, 0.4], atol=1e-5)
        assert fear[0] < 0.4 < fear[1]  # approached, never overshot

    def test_remember_without_memory_loss_changes_nothing(self):
        fear = arr(0.1, 0.7)
        assert fears.remember(fear, arr(0.4, 0.4), 0.0) is fear
