"""Tests of sim/mechanisms/implementation.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.mechanisms import implementation
from tests.helpers import arr


class TestImplementation:
    def test_allocate_hours_fifo(self):
        # 25 hours for queue [10, 20, 30]: the first gets 10, the second the remaining 15
        assert_allclose(implementation.allocate_hours(arr(10, 20, 30), 25.0), [10, 15, 0])

    def test_allocate_hours_edge_cases(self):
        assert_allclose(implementation.allocate_hours(arr(10, 20), 0.0), [0, 0])
        assert_allclose(implementation.allocate_hours(arr(10, 20), -5.0), [0, 0])
        assert_allclose(implementation.allocate_hours(arr(10, 20), 100.0), [10, 20])
        assert implementation.allocate_hours(np.zeros(0), 10.0).size == 0
        # a finished project (0 hours left) at the head does not absorb hours
        assert_allclose(implementation.allocate_hours(arr(0, 5, 5), 7.0), [0, 5, 2])

    def test_allocate_hours_conserves(self):
        rng = np.random.default_rng(1)
        remaining = rng.uniform(0, 50, 20)
        for available in (0.0, 13.0, 200.0, 2000.0):
            given = implementation.allocate_hours(remaining, available)
            assert given.sum() == pytest.approx(min(available, remaining.sum()))
            assert ((given >= 0) & (given <= remaining + 1e-12)).all()

    def test_delivered(self):
        # needs both: hours done and the minimum time passed
        done = implementation.delivered(arr(0, 0, 5, 1e-12), np.array([3, 5, 3, 3]), 4)
        assert_array_equal(done, [True, False, False, True])


def test_delays_are_whole_months_with_the_given_mean():
    from sim.mechanisms.implementation import delays

    rng = np.random.default_rng(0)
    d = delays(50_000, 9.0, rng)
    assert d.dtype.kind == "i" and (d >= 0).all()
    # floor of an exponential with mean 9: mean 9 - about 0.5
    assert 8.3 < d.mean() < 8.7
    assert (delays(5, 0.0, rng) == 0).all() and delays(0, 9.0, rng).size == 0
