"""Tests of sim/model/mechanisms/elections.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sim.model.mechanisms import elections


class TestElections:
    def test_is_election(self):
        assert elections.is_election(69, 69, 72)
        assert elections.is_election(69 + 72, 69, 72)
        assert not elections.is_election(68, 69, 72)
        assert not elections.is_election(70, 69, 72)
        assert not elections.is_election(0, 69, 72)

    def test_replaced_seats(self):
        rng = np.random.default_rng(0)
        seats = elections.replaced_seats(35, 0.4, rng)  # round(14.0) = 14
        assert seats.size == 14
        assert np.unique(seats).size == 14
        assert_array_equal(seats, np.sort(seats))
        assert ((seats >= 0) & (seats < 35)).all()
        assert elections.replaced_seats(35, 0.0, rng).size == 0
        assert elections.replaced_seats(35, 1.0, rng).size == 35

    def test_newcomer_and_pause(self):
        # 0.5 + 0.5 * (0.8 - 0.5) = 0.65
        assert elections.newcomer_value(0.5, 0.8, 0.5) == pytest.approx(0.65)
        assert elections.newcomer_value(0.5, 0.8, 0.0) == 0.5
        assert elections.newcomer_value(0.5, 0.8, 1.0) == pytest.approx(0.8)
        assert elections.restart_pause(9, 0.0) == 9
        assert elections.restart_pause(9, 1.0) == 0
        assert elections.restart_pause(10, 0.5) == 5
