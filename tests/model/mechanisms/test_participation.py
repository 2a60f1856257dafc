"""Tests of sim/model/mechanisms/participation.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved from tests/test_mechanisms.py; novelty as a logit term, fatigue removed.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.config.schema import Channel
from sim.model.mechanisms import participation
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

    def test_decide_below(self):
        """Outcomes are draw < chance; the chance is asked only of those whose draw is under the ceiling."""
        rng = np.random.default_rng(0)
        draw = rng.random(100)
        assert not participation.decide_below(draw, np.zeros(100), lambda idx: np.zeros(idx.size)).any()
        assert participation.decide_below(draw, np.ones(100), lambda idx: np.ones(idx.size)).all()
        draw = rng.random(20_000)
        p = np.full(20_000, 0.3)
        assert participation.decide_below(draw, p, lambda idx: p[idx]).mean() == pytest.approx(0.3, abs=0.015)
        asked: list[np.ndarray] = []

        def chance(idx: np.ndarray) -> np.ndarray:
            asked.append(idx)
            return p[idx]

        participation.decide_below(draw, np.full(20_000, 0.5), chance)
        assert len(asked) == 1 and np.array_equal(asked[0], np.flatnonzero(draw < 0.5))

    def test_decide_below_is_draw_below_chance(self):
        """For any chances under their ceilings, even one rounded a unit in the last place above it, the
        outcomes are exactly draw < p; with ceilings below the chances they are not (the ceiling matters)."""
        rng = np.random.default_rng(1)
        draw, p = rng.random(50_000), rng.random(50_000) * 0.1
        p[:100] = draw[:100]  # draws exactly at the chance: not a success
        for ceiling in (p, np.nextafter(p, 0.0), p * 3, np.minimum(p * 1.5, 1.0)):
            assert_array_equal(participation.decide_below(draw, ceiling, lambda idx: p[idx]), draw < p)
        assert (participation.decide_below(draw, p / 2, lambda idx: p[idx]) != (draw < p)).any()


class TestTwoStageLottery:
    strata = np.repeat([0, 1, 2], [500, 300, 200])

    def draw(self, seats, letters_per_seat=100, eligible=None, reply=None, seed=0):
        n = self.strata.size
        eligible = np.ones(n, dtype=bool) if eligible is None else eligible
        reply = np.ones(n) if reply is None else reply
        return participation.two_stage_lottery(self.strata, eligible, reply, seats, letters_per_seat,
                                               np.random.default_rng(seed))

    def test_seat_quotas_largest_remainders(self):
        # 50/30/20 of 100: 10 seats -> 5, 3, 2; 7 seats: 3.5, 2.1, 1.4 -> 3, 2, 1 + the largest remainder
        assert_array_equal(participation.seat_quotas(np.repeat([0, 1, 2], [50, 30, 20]), 10)[1], [5, 3, 2])
        assert_array_equal(participation.seat_quotas(np.repeat([0, 1, 2], [50, 30, 20]), 7)[1], [4, 2, 1])

    def test_letters_volunteers_and_proportional_seats(self):
        # 10 seats x 50 letters = 500 letters; everyone volunteers; seats 5, 3, 2 by stratum
        lot = self.draw(10, letters_per_seat=50)
        assert lot.letters.size == 500 and lot.volunteers.size == 500
        assert np.isin(lot.panel, lot.volunteers).all() and np.isin(lot.volunteers, lot.letters).all()
        assert_array_equal(np.bincount(self.strata[lot.panel], minlength=3), [5, 3, 2])

    def test_reply_rates_set_the_pool(self):
        # a 10 % reply rate: about 100 of 1,000 letters
        lot = self.draw(10, reply=np.full(1000, 0.1), seed=3)
        assert 70 < lot.volunteers.size < 130 and lot.panel.size == 10

    def test_scarce_stratum_seats_go_to_other_volunteers(self):
        # nobody in stratum 2 volunteers: its 2 seats go to volunteers of the others
        reply = np.where(self.strata == 2, 0.0, 1.0)
        lot = self.draw(10, reply=reply)
        assert lot.panel.size == 10 and (self.strata[lot.panel] != 2).all()

    def test_skewed_volunteers_are_corrected_by_quotas(self):
        # stratum 0 volunteers 10 times as often; the seats still follow the population
        reply = np.where(self.strata == 0, 0.5, 0.05)
        lot = self.draw(10, reply=reply, seed=1)
        assert (self.strata[lot.volunteers] == 0).mean() > 0.8
        assert_array_equal(np.bincount(self.strata[lot.panel], minlength=3), [5, 3, 2])

    def test_edge_cases(self):
        assert self.draw(0).panel.size == 0
        assert self.draw(10, eligible=np.zeros(1000, dtype=bool)).panel.size == 0
        assert self.draw(10, reply=np.zeros(1000)).panel.size == 0
        only = np.arange(1000) < 5
        assert_array_equal(self.draw(10, eligible=only).panel, np.arange(5))  # capped at the eligible


def test_novelty_fades_with_editions():
    from sim.model.mechanisms.participation import novelty

    # (1 - 0.5) ** editions: 1, 0.5, 0.25
    assert [novelty(k, 0.5) for k in (0, 1, 2)] == [1.0, 0.5, 0.25]
    assert novelty(3, 0.0) == 1.0 and novelty(1, 1.0) == 0.0


def test_novelty_is_a_term_of_the_logit():
    """Every other term 0: utility w_novelty * novelty, so 1 * 1 and 2 * 0.5 both give expit(1) = 0.731059;
    no novelty (a process long past its first edition) gives expit(0) = 0.5."""
    zero = {k: 0.0 for k in BASE_KW}
    ones = (arr(1.0),) * 2 + (arr(0.0),) * 5  # aware, channel fits; no resources, engagement, ... fear, habit
    p = [float(participation.participation_probability(*ones, novelty=nov, w_novelty=w, **zero)[0])
         for nov, w in ((1.0, 1.0), (0.5, 2.0), (0.0, 1.0))]
    assert_allclose(p, [1 / (1 + math.exp(-1)), 1 / (1 + math.exp(-1)), 0.5])
    # with the other terms on, novelty still only raises the probability
    assert p_with(novelty=1.0, w_novelty=1.0) > p_with()


def test_novelty_of_the_editions_of_a_run():
    """A decay of 0.5 per edition: editions done 0, 1, 2, 3 give novelty 1, 0.5, 0.25, 0.125; the
    config's calibrated decay fades it the same way, by its own share."""
    from sim.config.schema import CitizensConfig

    assert [participation.novelty(k, 0.5) for k in range(4)] == [1.0, 0.5, 0.25, 0.125]
    d = CitizensConfig().novelty_decay
    assert_allclose([participation.novelty(k, d) for k in range(3)], [1.0, 1 - d, (1 - d) ** 2])
    assert participation.novelty(-1, 0.5) == 1.0  # never more novel than new
