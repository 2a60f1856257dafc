"""Tests of sim/mechanisms/adoption.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sim.config import Authority
from sim.mechanisms import adoption
from tests.helpers import arr


class TestAdoption:
    def test_screen_risk_tolerance(self):
        # tolerance = 1 - 0.8 * fear_failure: 1.0, 0.6, 0.2
        risk, gi = arr(0.1, 0.5, 0.9), arr(1, 1, 1)
        assert_array_equal(adoption.screen(risk, gi, 0.0, 0.0, 1.0), [True, True, True])
        assert_array_equal(adoption.screen(risk, gi, 0.5, 0.0, 1.0), [True, True, False])
        assert_array_equal(adoption.screen(risk, gi, 1.0, 0.0, 1.0), [True, False, False])

    def test_screen_rejects_more_with_more_fear_of_failure(self):
        rng = np.random.default_rng(2)
        risk, gi = rng.beta(2, 5, 2000), rng.random(2000)
        passed = [adoption.screen(risk, gi, f, 0.4, 0.7).sum() for f in np.linspace(0, 1, 6)]
        assert np.all(np.diff(passed) < 0)

    def test_screen_general_interest_bar(self):
        # bar = 0.6 * fear_self_interest * (1 - representativeness): 0.6 when unrepresentative
        risk, gi = arr(0, 0), arr(0.5, 0.7)
        assert_array_equal(adoption.screen(risk, gi, 0.0, 1.0, 0.0), [False, True])
        assert_array_equal(adoption.screen(risk, gi, 0.0, 1.0, 1.0), [True, True])
        assert_array_equal(adoption.screen(risk, gi, 0.0, 0.0, 0.0), [True, True])

    def test_council_openness(self):
        # 0.8 + 0.4 * 0 - 0.4 * 0.5 * 0.4 - 0.3 * 0.4 * 1.0 = 0.8 - 0.08 - 0.12 = 0.6
        assert adoption.council_openness(0.5, 0.5, 0.4, 0.6, Authority.empower) == pytest.approx(0.6)
        # authority none: the fear of losing control plays no role: 0.8 - 0.08 = 0.72
        assert adoption.council_openness(0.5, 0.5, 0.4, 0.6, Authority.none) == pytest.approx(0.72)
        # 0.8 + 0.2 = 1.0 at most
        assert adoption.council_openness(1.0, 0.0, 0.0, 1.0, Authority.consult) == pytest.approx(1.0)
        assert adoption.council_openness(0.0, 1.0, 1.0, 0.0, Authority.empower) == 0.0

    def test_adopt(self):
        rng = np.random.default_rng(0)
        cand = np.array([True, False, True, True, True])
        assert_array_equal(adoption.adopt(cand, 1.0, 1.0, None, rng), cand)
        assert not adoption.adopt(cand, 0.0, 1.0, None, rng).any()
        assert not adoption.adopt(cand, 1.0, 0.0, None, rng).any()
        # capacity 2: keep the two with the highest priority among the adopted
        prio = arr(9, 8, 1, 5, 3)
        assert_array_equal(adoption.adopt(cand, 1.0, 1.0, 2, rng, priority=prio),
                           [True, False, False, True, False])
        assert not adoption.adopt(cand, 1.0, 1.0, 0, rng, priority=prio).any()

    def test_promised_share_hand_values(self):
        # announced = 1.0 (empower) * (0.5 + 0.5 * 0.6) * (1 + 0.5) = 1.2
        # realism 0: clip(1.2) = 1.0 ; realism 0.5, feasible 0.4: 0.5 * 1.2 + 0.5 * 0.4 = 0.8
        # realism 1: the feasible share 0.4
        args = (Authority.empower, 0.6, 0.5)
        assert adoption.promised_share(*args, 0.0, 0.4) == pytest.approx(1.0)
        assert adoption.promised_share(*args, 0.5, 0.4) == pytest.approx(0.8)
        assert adoption.promised_share(*args, 1.0, 0.4) == pytest.approx(0.4)
        # consult (0.4), honest: 0.4 * 0.8 = 0.32; under what is feasible, realism changes nothing
        for r in (0.0, 0.5, 1.0):
            assert adoption.promised_share(Authority.consult, 0.6, 0.0, r, 0.9) == pytest.approx(0.32)
        assert adoption.promised_share(Authority.none, 1.0, 2.0, 0.0, 1.0) == 0.0

    def test_promised_share_increases_with_inflation(self):
        infl = np.linspace(0, 2, 9)
        for realism in (0.0, 0.5, 0.9):
            s = [adoption.promised_share(Authority.consult, 0.5, i, realism, 0.1) for i in infl]
            assert np.all(np.diff(s) > 0), (realism, s)

    def test_realism_pulls_toward_feasible(self):
        feasible = 0.2
        gaps = [abs(adoption.promised_share(Authority.involve, 0.8, 0.5, r, feasible) - feasible)
                for r in np.linspace(0, 1, 6)]
        assert np.all(np.diff(gaps) < 0)
        assert gaps[-1] == pytest.approx(0.0)
