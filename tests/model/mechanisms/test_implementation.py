"""Tests of sim/model/mechanisms/implementation.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.model.mechanisms import implementation
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
    from sim.model.mechanisms.implementation import delays

    rng = np.random.default_rng(0)
    d = delays(50_000, 9.0, rng)
    assert d.dtype.kind == "i" and (d >= 0).all()
    # floor of an exponential with mean 9: mean 9 - about 0.5
    assert 8.3 < d.mean() < 8.7
    assert (delays(5, 0.0, rng) == 0).all() and delays(0, 9.0, rng).size == 0


def test_overruns_have_the_given_mean_and_no_draw_without_them():
    from sim.model.mechanisms.implementation import overruns

    rng = np.random.default_rng(1)
    f = overruns(200_000, 0.2, 0.3, rng)
    assert (f > 0).all() and abs(f.mean() - 1.2) < 0.005
    # fat upper tail: the mean above the median
    assert np.median(f) < f.mean()
    state = rng.bit_generator.state
    assert (overruns(5, 0.0, 0.0, rng) == 1.0).all()
    assert rng.bit_generator.state == state


def test_never_carried_out_with_the_given_share_and_no_draw_without_it():
    from sim.model.mechanisms.implementation import never_carried_out

    rng = np.random.default_rng(2)
    assert abs(never_carried_out(100_000, 0.02, rng).mean() - 0.02) < 0.002
    state = rng.bit_generator.state
    assert not never_carried_out(5, 0.0, rng).any()
    assert rng.bit_generator.state == state


def test_delays_with_one_mean_per_project():
    from sim.model.mechanisms.implementation import delays

    d = delays(40_000, np.repeat([8.0, 0.0], 20_000), np.random.default_rng(3))
    assert (d[20_000:] == 0).all() and 7.3 < d[:20_000].mean() < 7.7
