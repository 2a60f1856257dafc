"""Tests of sim/model/mechanisms/trust.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.config.schema import Judgement
from sim.model.mechanisms import trust
from tests.helpers import arr


class TestTrust:
    def test_update_habit(self):
        # took part, fully satisfied: 0.5 * 0.2 + 0.5 * 1 * (1 + 1) / 2 = 0.6
        # took part, unsatisfied:     0.1 + 0.5 * (1 + 0) / 2           = 0.35
        # did not take part:          0.1
        out = trust.update_habit(arr(0.2, 0.2, 0.2), arr(1, 1, 0), arr(1, 0, 1), 0.5)
        assert_allclose(out, [0.6, 0.35, 0.1])

    def test_uptake_in_the_designs_own_terms(self):
        assert trust.uptake(3, 4) == 0.75  # 3 of the 4 funded (or screened-in) proposals done
        assert trust.uptake(0, 0) == 0.0  # nothing up for decision: nothing taken up

    def test_group_judgement_forms(self):
        # outcome 0.8, expected 0.6, neutral 0.5: performance 0.3, disconfirmation 0.2
        assert trust.group_judgement(0.8, 0.6, Judgement.performance, 0.7, 0.5) == pytest.approx(0.3)
        assert trust.group_judgement(0.8, 0.6, Judgement.disconfirmation, 0.7, 0.5) == pytest.approx(0.2)
        # both: 0.7 * 0.3 + 0.3 * 0.2 = 0.27
        assert trust.group_judgement(0.8, 0.6, Judgement.expectancy_disconfirmation, 0.7, 0.5) == \
            pytest.approx(0.27)

    def test_own_favourability_is_centred(self):
        # 1 winner of 4: winner 0.5 * 0.75 = 0.375, losers -0.5 * 0.25 = -0.125; mean 0
        fav = trust.own_favourability(np.array([True, False, False, False]), 0.5)
        assert_allclose(fav, [0.375, -0.125, -0.125, -0.125])
        assert fav.mean() == pytest.approx(0.0)

    def test_heard_share(self):
        # feedback 0.6, public reach 0.5: 0.6 + 0.4 * 0.5 = 0.8; nothing done: the public channel is silent
        assert trust.heard_share(0.6, 0.5, True) == pytest.approx(0.8)
        assert trust.heard_share(0.6, 0.5, False) == pytest.approx(0.6)

    def test_response_signal_silence_only_without_response(self):
        fav = np.array([0.1, -0.1])
        # responded: heard 0.8 * (0.2 + fav); those who did not hear are not moved
        assert_allclose(trust.response_signal(0.2, fav, 0.8, 0.6, 0.5, True), [0.24, 0.08])
        # no response at all: nobody heard, silence read as 0.5 * 0.6 broken
        assert_allclose(trust.response_signal(0.0, np.zeros(2), 0.0, 0.6, 0.5, False), [-0.3, -0.3])
