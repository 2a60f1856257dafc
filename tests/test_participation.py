"""Tests of sim/mechanisms/participation.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.config import Channel
from sim.mechanisms import participation
from tests.helpers import arr

BASE_KW = dict(complexity=0.3, facilitation=0.3, promise=0.4, base=-3.0, w_resources=3.0,
               w_engagement=2.0, w_recruitment=2.0, w_fear=2.5, w_complexity=1.5, w_habit=3.5,
               w_promise=1.0)
BASE_ARRAYS = dict(awareness=arr(1.0), channel_fit=arr(1.0), resources=arr(0.5), engagement=arr(0.5),
                   recruitment=arr(0.2), fear=arr(0.4), habit=arr(0.2))


def p_with(**changes: float) -> float:
    arrays = {k: (arr(changes.pop(k)) if k in changes else v) for k, v in BASE_ARRAYS.items()}
    kw = {**BASE_KW, **changes}
    return float(participation.participation_probability(**arrays, **kw)[0])


class TestParticipation:
    def test_resources_and_engagement(self):
        assert_allclose(participation.resources(arr(0.4), arr(0.8)), [0.6])
        # 0.4 * 0.5 + 0.4 * 0.5 + 0.2 * 1.0 = 0.6
        assert_allclose(participation.engagement(arr(0.5), arr(0.5), arr(1.0)), [0.6])

    def test_channel_access(self):
        online = np.array([True, False, True, False])
        age = np.array([30, 30, 85, 85])
        t = arr(1.0, 0.0, 0.0, 1.0)
        # offline fit: 0.55 + 0.45 * t - 0.2 * (age >= 80)
        offline = arr(1.0, 0.55, 0.35, 0.8)
        assert_allclose(participation.channel_access(Channel.online, online, age, t), online.astype(float))
        assert_allclose(participation.channel_access(Channel.offline, online, age, t), offline)
        assert_allclose(participation.channel_access(Channel.hybrid, online, age, t), [1.0, 0.55, 1.0, 0.8])

    def test_hand_values(self):
        zero = {k: 0.0 for k in BASE_KW}
        # utility 0: expit(0) = 0.5, times awareness 0.5 and channel fit 1
        p = participation.participation_probability(arr(0.5), arr(1.0), arr(1), arr(1), arr(1), arr(1), arr(1),
                                                    **zero)
        assert_allclose(p, [0.25])
        # direct complexity cost 1 * 1, halved by full facilitation: expit(-0.5) = 0.37754
        kw = {**zero, "complexity": 1.0, "facilitation": 1.0, "w_complexity": 1.0}
        p = participation.participation_probability(arr(1), arr(1), arr(0), arr(0), arr(0), arr(0), arr(0), **kw)
        assert_allclose(p, [1 / (1 + math.exp(0.5))])

    def test_awareness_and_channel_are_preconditions(self):
        assert p_with(awareness=0.0) == 0.0
        assert p_with(channel_fit=0.0) == 0.0
        assert p_with(awareness=0.5) == pytest.approx(0.5 * p_with())

    @pytest.mark.parametrize("name", ["fear", "complexity"])
    def test_falls_with(self, name):
        values = [p_with(**{name: v}) for v in np.linspace(0, 1, 6)]
        assert np.all(np.diff(values) < 0), values

    @pytest.mark.parametrize("name", ["resources", "habit", "recruitment", "engagement", "promise",
                                      "facilitation"])
    def test_rises_with(self, name):
        values = [p_with(**{name: v}) for v in np.linspace(0, 1, 6)]
        assert np.all(np.diff(values) > 0), values

    def test_decide(self):
        rng = np.random.default_rng(0)
        assert not participation.decide(np.zeros(100), rng).any()
        assert participation.decide(np.ones(100), rng).all()
        assert participation.decide(np.full(20_000, 0.3), rng).mean() == pytest.approx(0.3, abs=0.015)


class TestDrawPanel:
    strata = np.repeat([0, 1, 2], [50, 30, 20])

    def draw(self, size, eligible=None, accept=None, seed=0):
        n = self.strata.size
        eligible = np.ones(n, dtype=bool) if eligible is None else eligible
        accept = np.ones(n) if accept is None else accept
        return participation.draw_panel(self.strata, eligible, accept, size, np.random.default_rng(seed))

    def test_proportional_quotas(self):
        # 50/30/20 of 100, 10 seats: exactly 5, 3, 2
        panel = self.draw(10)
        assert_array_equal(np.bincount(self.strata[panel], minlength=3), [5, 3, 2])

    def test_largest_remainders(self):
        # 7 seats: quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1, the last seat to the largest remainder
        panel = self.draw(7)
        assert_array_equal(np.bincount(self.strata[panel], minlength=3), [4, 2, 1])

    def test_only_eligible_unique_sorted(self):
        eligible = np.arange(100) % 2 == 0
        panel = self.draw(20, eligible=eligible)
        assert panel.size == 20
        assert eligible[panel].all()
        assert np.unique(panel).size == panel.size
        assert_array_equal(panel, np.sort(panel))
        # quotas on the eligible: 25/15/10 of 50 -> 10, 6, 4
        assert_array_equal(np.bincount(self.strata[panel], minlength=3), [10, 6, 4])

    def test_edge_cases(self):
        assert self.draw(0).size == 0
        assert self.draw(10, eligible=np.zeros(100, dtype=bool)).size == 0
        assert self.draw(10, accept=np.zeros(100)).size == 0
        assert self.draw(500).size == 100  # capped at the eligible population

    def test_refusals_are_replaced(self):
        # each invitee accepts with 1/2; five rounds of three invitations per open seat fill the panel
        sizes = [self.draw(10, accept=np.full(100, 0.5), seed=s).size for s in range(20)]
        assert max(sizes) == 10
        assert np.mean(sizes) >= 9.5


def test_novelty_fades_with_editions():
    from sim.mechanisms.participation import novelty

    # (1 - 0.5) ** editions: 1, 0.5, 0.25
    assert [novelty(k, 0.5) for k in (0, 1, 2)] == [1.0, 0.5, 0.25]
    assert novelty(3, 0.0) == 1.0 and novelty(1, 1.0) == 0.0


def test_fatigue_grows_with_taking_part_and_recovers():
    from sim.mechanisms.participation import update_fatigue

    fatigue = np.array([0.0, 0.0, 0.5, 0.5])
    took = np.array([1.0, 1.0, 0.0, 1.0])
    satisfaction = np.array([0.0, 1.0, 0.0, 1.0])
    out = update_fatigue(fatigue, took, satisfaction, rate=0.4, relief=0.5, recovery=0.2)
    # took part, unsatisfied: 0 + 0.4 * 1 * 1 = 0.4; satisfied: 0.4 * (1 - 0.5) = 0.2
    # did not take part: 0.8 * 0.5 = 0.4; took part satisfied from 0.5: 0.4 + 0.4 * 0.5 * 0.6 = 0.52
    np.testing.assert_allclose(out, [0.4, 0.2, 0.4, 0.52])


def test_novelty_raises_and_fatigue_lowers_the_probability():
    from sim.mechanisms.participation import participation_probability

    one = np.ones(1)
    kw = dict(complexity=0.3, facilitation=0.3, promise=0.5, base=-3.0, w_resources=1, w_engagement=1,
              w_recruitment=1, w_fear=1, w_complexity=1, w_habit=1, w_promise=1)
    args = (one, one, 0.5 * one, 0.5 * one, 0 * one, 0.3 * one, 0 * one)
    plain = participation_probability(*args, **kw)
    assert participation_probability(*args, novelty=1.0, w_novelty=1.0, **kw) > plain
    assert participation_probability(*args, fatigue=0.5 * one, w_fatigue=2.0, **kw) < plain
