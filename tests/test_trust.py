"""Tests of sim/mechanisms/trust.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from sim.mechanisms import trust
from tests.helpers import arr


class TestTrust:
    def test_asymmetric_update_hand_values(self):
        # up:   0.5 + 0.1 * 1 * (1 - 0.5) = 0.55
        # down: 0.5 - 0.2 * 1 * 0.5       = 0.40
        out = trust.asymmetric_update(arr(0.5, 0.5), arr(1.0, -1.0), gain=0.1, loss=0.2)
        assert_allclose(out, [0.55, 0.40])

    def test_asymmetric_update_partial_signal_and_zero(self):
        # 0.8 + 0.1 * 0.5 * 0.2 = 0.81 ; 0.8 - 0.2 * 0.5 * 0.8 = 0.72 ; signal 0: unchanged
        out = trust.asymmetric_update(arr(0.8, 0.8, 0.8), arr(0.5, -0.5, 0.0), gain=0.1, loss=0.2)
        assert_allclose(out, [0.81, 0.72, 0.8])

    def test_loss_is_larger_than_gain_with_default_asymmetry(self):
        # Slovic: a negative signal moves trust more than a positive one of the same size.
        level = arr(0.5)
        up = trust.asymmetric_update(level, arr(1.0), 0.1, 0.2)[0] - 0.5
        down = 0.5 - trust.asymmetric_update(level, arr(-1.0), 0.1, 0.2)[0]
        assert down > up

    def test_asymmetric_update_stays_in_unit_interval(self):
        levels = np.linspace(0, 1, 11)
        for s in (-1.0, 1.0):
            out = trust.asymmetric_update(levels, np.full(11, s), 1.0, 1.0)
            assert ((out >= 0) & (out <= 1)).all()
        # gain 1, signal +1 reaches 1 exactly; loss 1, signal -1 reaches 0 exactly
        assert_allclose(trust.asymmetric_update(arr(0.3), arr(1.0), 1.0, 1.0), [1.0])
        assert_allclose(trust.asymmetric_update(arr(0.3), arr(-1.0), 1.0, 1.0), [0.0])

    def test_process_premium(self):
        # 0.5 + 0.1 * 1.0 * 0.5 = 0.55 ; fairness 0 -> unchanged
        assert_allclose(trust.process_premium(arr(0.5), 1.0, 0.1), [0.55])
        assert_allclose(trust.process_premium(arr(0.5), 0.0, 0.1), [0.5])

    def test_revert(self):
        # 0.8 + 0.1 * (0.4 - 0.8) = 0.76 ; 0.2 + 0.1 * (0.4 - 0.2) = 0.22
        assert_allclose(trust.revert(arr(0.8, 0.2), arr(0.4, 0.4), 0.1), [0.76, 0.22])

    def test_update_habit(self):
        # took part, fully satisfied: 0.5 * 0.2 + 0.5 * 1 * (1 + 1) / 2 = 0.6
        # took part, unsatisfied:     0.1 + 0.5 * (1 + 0) / 2           = 0.35
        # did not take part:          0.1
        out = trust.update_habit(arr(0.2, 0.2, 0.2), arr(1, 1, 0), arr(1, 0, 1), 0.5)
        assert_allclose(out, [0.6, 0.35, 0.1])

    def test_responsiveness_signal(self):
        # full feedback: 0.5 * won + 0.5 * acted - expected
        #   won:  0.5 + 0.25 - 0.4 = 0.35 ; lost: 0 + 0.25 - 0.4 = -0.15
        # no feedback: -0.5 * expected = -0.2 for everyone
        won = np.array([True, False])
        assert_allclose(trust.responsiveness_signal(won, 0.5, 0.4, 1.0), [0.35, -0.15])
        assert_allclose(trust.responsiveness_signal(won, 0.5, 0.4, 0.0), [-0.2, -0.2])
        # half feedback: 0.5 * 0.35 + 0.5 * (-0.2) = 0.075
        assert_allclose(trust.responsiveness_signal(won[:1], 0.5, 0.4, 0.5), [0.075])
