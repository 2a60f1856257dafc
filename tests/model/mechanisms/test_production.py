"""Tests of sim/model/mechanisms/production.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import production
from tests.helpers import arr


class TestProduction:
    def test_zero_citizen_input_is_professional_only(self):
        prof = arr(0.0, 0.3, 1.0)
        assert_allclose(production.coproduced_output(prof, np.zeros(3), 1.0), prof)

    def test_zero_professional_input_gives_nothing(self):
        assert_allclose(production.coproduced_output(np.zeros(3), arr(0.0, 0.5, 5.0), 2.0), 0.0)

    def test_cross_term(self):
        # 0.04 + 1 * sqrt(0.04 * 0.09) = 0.04 + 0.06 = 0.10 ; complementarity 2: 0.04 + 0.12
        assert_allclose(production.coproduced_output(arr(0.04), arr(0.09), 1.0), [0.10])
        assert_allclose(production.coproduced_output(arr(0.04), arr(0.09), 2.0), [0.16])
        assert_allclose(production.coproduced_output(arr(0.04), arr(0.09), 0.0), [0.04])

    def test_complements_not_substitutes(self):
        # The gain from citizen effort grows with professional input (supermodular).
        c = arr(0.5)

        def gain(p: float) -> float:
            return float(production.coproduced_output(arr(p), c, 1.0)[0]
                         - production.coproduced_output(arr(p), arr(0.0), 1.0)[0])

        assert gain(0.0) == 0.0
        assert 0.0 < gain(0.1) < gain(0.4) < gain(0.9)

    def test_update_quality(self):
        # 0.5 * 0.9 + 0.05 + 0.02 = 0.52 ; 0.99 * 0.9 + 0.05 + 0.5 -> clipped to 1
        assert_allclose(production.update_quality(arr(0.5, 0.99), 0.1, 0.05, arr(0.02, 0.5)), [0.52, 1.0])

    def test_update_quality_steady_state(self):
        # q* = maintenance / decay = 0.005 / 0.01 = 0.5
        assert_allclose(production.update_quality(arr(0.5), 0.01, 0.005, arr(0.0)), [0.5])

    def test_equity_equal_values_is_one(self):
        assert production.equity(arr(0.4, 0.4, 0.4), arr(10, 200, 3)) == pytest.approx(1.0)
        assert production.equity(arr(0.7), arr(5)) == 1.0

    def test_equity_hand_values(self):
        # two equal groups, values 0 and 1: Gini = 2 * 1 * 1 * 1 / (2 * 2^2 * 0.5) = 0.5
        assert production.equity(arr(0.0, 1.0), arr(1, 1)) == pytest.approx(0.5)
        # weights 3 and 1: mean 0.25, Gini = 2 * 3 * 1 * 1 / (2 * 4^2 * 0.25) = 0.75
        assert production.equity(arr(0.0, 1.0), arr(3, 1)) == pytest.approx(0.25)

    def test_equity_falls_with_spread(self):
        w = arr(1, 1, 1)
        e = [production.equity(arr(0.5 - s, 0.5, 0.5 + s), w) for s in (0.0, 0.1, 0.2, 0.4)]
        assert np.all(np.diff(e) < 0)


def test_coproduction_probability_follows_its_correlates():
    from sim.model.mechanisms.production import coproduction_probability

    kw = dict(base=-3.0, w_efficacy=2.0, w_older=0.5, w_need=2.0, w_engaged=3.0)
    one = np.ones(1)
    # logit -3 + 2 * 0.5 + 0 + 2 * 0.5 + 0 = -1
    base = coproduction_probability(0.5 * one, 0 * one, 0.5 * one, 0 * one, **kw)
    np.testing.assert_allclose(base, 1 / (1 + np.exp(1.0)))
    assert coproduction_probability(0.9 * one, 0 * one, 0.5 * one, 0 * one, **kw) > base  # self-efficacy
    assert coproduction_probability(0.5 * one, one, 0.5 * one, 0 * one, **kw) > base  # 65 and older
    assert coproduction_probability(0.5 * one, 0 * one, 0.9 * one, 0 * one, **kw) > base  # poor services
    assert coproduction_probability(0.5 * one, 0 * one, 0.5 * one, one, **kw) > base  # taking part
