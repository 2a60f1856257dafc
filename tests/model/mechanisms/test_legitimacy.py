"""Tests of sim/model/mechanisms/legitimacy.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.mechanisms import legitimacy


class TestLegitimacy:
    def test_reach(self):
        # 1 - exp(-1) = 0.63212 at the reference turnout; 0 at no turnout
        assert legitimacy.reach(0.03, 0.03) == pytest.approx(1 - math.exp(-1))
        assert legitimacy.reach(0.0, 0.03) == 0.0
        # 1 - exp(-2) = 0.86466
        assert legitimacy.reach(0.06, 0.03) == pytest.approx(0.8646647)
        values = [legitimacy.reach(t, 0.03) for t in np.linspace(0, 1, 21)]
        assert np.all(np.diff(values) > 0)
        assert max(values) < 1.0 + 1e-12

    def test_parts(self):
        # input: 0.5 * 0.4 + 0.5 * 0.5 * 0.8 = 0.4
        assert legitimacy.input_legitimacy(0.4, 0.5, 0.8) == pytest.approx(0.4)
        # throughput: (0.3 + 1.0 + 0.5) / 3 = 0.6
        assert legitimacy.throughput_legitimacy(0.3, 1.0, 0.5) == pytest.approx(0.6)
        # output: 0.5 * 1 + 0.5 * 0.5 = 0.75
        assert legitimacy.output_legitimacy(1.0, 0.5) == pytest.approx(0.75)

    def test_combine_hand_values(self):
        # drag = 1 - 0.3 * (1 - 0.5) = 0.85; input 0.6 * 0.85 = 0.51; output 0.8 * 0.85 = 0.68
        # overall = cbrt(0.51 * 0.5 * 0.68) = cbrt(0.1734) = 0.55762
        i, o, overall = legitimacy.combine(0.6, 0.5, 0.8, 0.3)
        assert i == pytest.approx(0.51)
        assert o == pytest.approx(0.68)
        assert overall == pytest.approx(0.1734 ** (1 / 3))

    def test_combine_perfect_throughput_has_no_drag(self):
        i, o, overall = legitimacy.combine(0.6, 1.0, 0.8, 0.3)
        assert (i, o) == pytest.approx((0.6, 0.8))
        assert overall == pytest.approx((0.6 * 1.0 * 0.8) ** (1 / 3))

    def test_combine_no_part_makes_up_for_a_missing_one(self):
        assert legitimacy.combine(0.0, 1.0, 1.0, 0.3)[2] == 0.0
        assert legitimacy.combine(1.0, 0.0, 1.0, 0.0)[2] == 0.0
        assert legitimacy.combine(1.0, 1.0, 1.0, 0.3)[2] == pytest.approx(1.0)
