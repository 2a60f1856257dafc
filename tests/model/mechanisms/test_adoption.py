"""Tests of sim/model/mechanisms/adoption.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sim.config.schema import Authority
from sim.model.mechanisms import adoption
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

    def test_binding_share_follows_the_config(self):
        from sim.config.schema import CouncilConfig

        c = CouncilConfig()
        assert adoption.binding_share(Authority.none, c) == 0.0
        assert adoption.binding_share(Authority.consult, c) == c.binding_consult == 0.0
        assert adoption.binding_share(Authority.empower, c) == c.binding_empower == 1.0
        c.binding_involve = 0.4
        assert adoption.binding_share(Authority.involve, c) == 0.4

    def test_council_openness(self):
        # 0.8 + 0.4 * 0 - 0.4 * 0.5 * 0.4 - 0.3 * 0.4 * 1.0 = 0.8 - 0.08 - 0.12 = 0.6
        assert adoption.council_openness(0.5, 0.5, 0.4, 0.6, 1.0) == pytest.approx(0.6)
        # nothing binding: the fear of losing control plays no role: 0.8 - 0.08 = 0.72
        assert adoption.council_openness(0.5, 0.5, 0.4, 0.6, 0.0) == pytest.approx(0.72)
        # 0.8 + 0.2 = 1.0 at most
        assert adoption.council_openness(1.0, 0.0, 0.0, 1.0, 0.0) == pytest.approx(1.0)
        assert adoption.council_openness(0.0, 1.0, 1.0, 0.0, 1.0) == 0.0

    def test_adopt_advice(self):
        rng = np.random.default_rng(0)
        cand = np.array([True, False, True, True, True])
        # nothing binding: advice taken up with probability 1 or 0
        assert_array_equal(adoption.adopt(cand, 0.0, 0.0, 1.0, None, rng), cand)
        assert not adoption.adopt(cand, 0.0, 0.0, 0.0, None, rng).any()
        # capacity 2: keep the two with the highest priority among the adopted
        prio = arr(9, 8, 1, 5, 3)
        assert_array_equal(adoption.adopt(cand, 0.0, 0.0, 1.0, 2, rng, priority=prio),
                           [True, False, False, True, False])
        assert not adoption.adopt(cand, 0.0, 0.0, 1.0, 0, rng, priority=prio).any()

    def test_binding_decisions_are_adopted_whatever_the_council_and_capacity(self):
        rng = np.random.default_rng(0)
        cand = np.array([True, False, True, True, True])
        # empower: the council's openness (advice probability 0) and capacity 0 do not matter
        assert_array_equal(adoption.adopt(cand, 1.0, 0.0, 0.0, 0, rng), cand)
        # a veto share of 1 vetoes all
        assert not adoption.adopt(cand, 1.0, 1.0, 1.0, None, rng).any()

    def test_veto_share_is_the_share_vetoed(self):
        rng = np.random.default_rng(1)
        cand = np.ones(20_000, dtype=bool)
        assert adoption.adopt(cand, 1.0, 0.1, 0.0, None, rng).mean() == pytest.approx(0.9, abs=0.01)
        # half binding, advice never taken up: about half adopted
        assert adoption.adopt(cand, 0.5, 0.0, 0.0, None, rng).mean() == pytest.approx(0.5, abs=0.01)

    def test_promised_share_hand_values(self):
        # empower (binding 1): truthful = 1 + 0 * 0.6 = 1; announced = 1 * (1 + 0.5) = 1.5
        # realism 0: clip(1.5) = 1.0 ; realism 0.5, feasible 0.4: 0.5 * 1.5 + 0.5 * 0.4 = 0.95
        # realism 1: the feasible share 0.4
        args = (1.0, 0.6, 0.5)
        assert adoption.promised_share(*args, 0.0, 0.4) == pytest.approx(1.0)
        assert adoption.promised_share(*args, 0.5, 0.4) == pytest.approx(0.95)
        assert adoption.promised_share(*args, 1.0, 0.4) == pytest.approx(0.4)
        # consult (nothing binding), honest: 0 + 1 * 0.6 = 0.6; under what is feasible, realism changes nothing
        for r in (0.0, 0.5, 1.0):
            assert adoption.promised_share(0.0, 0.6, 0.0, r, 0.9) == pytest.approx(0.6)
        # half binding: 0.5 + 0.5 * 0.6 = 0.8
        assert adoption.promised_share(0.5, 0.6, 0.0, 1.0, 1.0) == pytest.approx(0.8)

    def test_promised_share_increases_with_inflation(self):
        infl = np.linspace(0, 2, 9)
        for realism in (0.0, 0.5, 0.9):
            s = [adoption.promised_share(0.0, 0.3, i, realism, 0.1) for i in infl]
            assert np.all(np.diff(s) > 0), (realism, s)

    def test_realism_pulls_toward_feasible(self):
        feasible = 0.2
        gaps = [abs(adoption.promised_share(0.25, 0.6, 0.5, r, feasible) - feasible)
                for r in np.linspace(0, 1, 6)]
        assert np.all(np.diff(gaps) < 0)
        assert gaps[-1] == pytest.approx(0.0)


def test_screen_removes_proposals_outside_the_rules():
    risk, gi = arr(0.1, 0.1, 0.1), arr(1, 1, 1)
    within = np.array([True, False, True])
    assert_array_equal(adoption.screen(risk, gi, 0.0, 0.0, 1.0, within_rules=within), within)


def test_council_vote_bloc_follows_the_median_member():
    # cohesion 1: a candidate passes with the median member's probability (0.6 here)
    rng = np.random.default_rng(0)
    passed = adoption.council_vote(20_000, np.array([0.1, 0.6, 0.9]), 1.0, rng)
    assert passed.mean() == pytest.approx(0.6, abs=0.015)


def test_council_vote_independent_members_amplify_the_majority():
    # cohesion 0: 23 members at p = 0.4 rarely reach a majority, at p = 0.6 nearly always
    rng = np.random.default_rng(1)
    low = adoption.council_vote(5_000, np.full(23, 0.4), 0.0, rng).mean()
    high = adoption.council_vote(5_000, np.full(23, 0.6), 0.0, rng).mean()
    assert low < 0.2 and high > 0.8


def test_council_vote_edge_cases():
    rng = np.random.default_rng(2)
    assert adoption.council_vote(0, np.full(5, 0.5), 0.5, rng).size == 0
    assert not adoption.council_vote(10, np.zeros(5), 0.5, rng).any()
    assert adoption.council_vote(10, np.ones(5), 0.5, rng).all()
