"""Tests of sim/model/mechanisms/information.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import information
from tests.helpers import arr


class TestInformation:
    def test_reach_probability(self):
        # campaign: 0.5 * 0.25 = 0.125 ; peers: 1 - exp(-0.5 * 0.2) = 0.09516
        # together: 1 - 0.875 * 0.90484 = 0.20826
        p = information.reach_probability(0.5, 0.25, arr(0.2, 0.0), 0.5)
        assert_allclose(p, [1 - 0.875 * math.exp(-0.1), 0.125])
        assert_allclose(information.reach_probability(0.0, 0.25, arr(0.0), 0.5), [0.0])
        assert_allclose(information.reach_probability(1.0, 1.0, arr(0.0), 0.5), [1.0])

    def test_update_awareness(self):
        # 0.2 + 0.5 * 0.8 - 0.5 * 0.1 * 0.2 = 0.59 ; unreached: 0.2 - 0.1 * 0.2 = 0.18
        assert_allclose(information.update_awareness(arr(0.2, 0.2), arr(0.5, 0.0), 0.1), [0.59, 0.18])
        assert_allclose(information.update_awareness(arr(0.2), arr(1.0), 0.1), [1.0])

    def test_reduce_fear(self):
        # 0.5 * (1 - 0.15 * 1) = 0.425 ; not reached: unchanged
        assert_allclose(information.reduce_fear(arr(0.5, 0.5), arr(1.0, 0.0), 0.15), [0.425, 0.5])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("peer_dtype", [np.float32, np.float64])
def test_awareness_fades_as_the_general_rule_has_it_when_news_reaches_nobody(peer_dtype: type, dtype: type) -> None:
    """fade_awareness is update_awareness for a month without campaign and without anyone taking part, to the
    last bit (the month's shortcut between cycles; golden runs pin the rest)."""
    rng = np.random.default_rng(4)
    awareness = np.concatenate([rng.random(10_000), [0.0, 1.0, 5e-324, 1 - 2 ** -53]]).astype(dtype)
    for decay in (0.0, 0.05, 0.3333333, 1.0):
        nobody = information.reach_probability(0.0, 0.7, np.zeros(awareness.size, dtype=peer_dtype), 2.5)
        assert not nobody.any()
        want = information.update_awareness(awareness.copy(), nobody, decay)
        np.testing.assert_array_equal(information.fade_awareness(awareness.copy(), decay), want)
        assert want.dtype == information.fade_awareness(awareness, decay).dtype
