"""Tests of sim/model/mechanisms/priorities.py: the council's own projects and the maintenance that
keeps services where residents know them."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import priorities


def test_council_projects_stay_within_the_money():
    rng = np.random.default_rng(0)
    where, cost = priorities.council_projects(100_000.0, 15_000.0, 0.6, np.array([100, 300]), rng)
    assert cost.sum() <= 100_000.0
    # the next project drawn would not have fitted: at most one mean cost is left unspent on average
    assert cost.size >= 3
    assert set(np.unique(where)) <= {0, 1}


def test_council_projects_follow_where_residents_live():
    """Over many years, a neighbourhood with three times the residents gets about three times the projects."""
    rng = np.random.default_rng(1)
    counts = np.zeros(2)
    for _ in range(300):
        where, _ = priorities.council_projects(150_000.0, 15_000.0, 0.6, np.array([1000, 3000]), rng)
        counts += np.bincount(where, minlength=2)
    assert counts[1] / counts[0] == pytest.approx(3.0, rel=0.15)


def test_mean_cost_of_council_projects():
    rng = np.random.default_rng(2)
    costs = np.concatenate([priorities.council_projects(1e6, 20_000.0, 0.6, np.array([1]), rng)[1]
                            for _ in range(50)])
    assert costs.mean() == pytest.approx(20_000.0, rel=0.05)


@pytest.mark.parametrize("money", [0.0, -5.0])
def test_no_money_no_projects(money):
    where, cost = priorities.council_projects(money, 15_000.0, 0.6, np.array([10]), np.random.default_rng(0))
    assert where.size == cost.size == 0


def test_maintenance_keeps_the_initial_quality():
    """q' = q (1 - 0.01) + m + 0.001 stays at q when m = 0.01 q - 0.001; never below 0."""
    q0 = np.array([0.5, 0.05])
    m = priorities.maintenance(q0, 0.01, 0.001)
    assert_allclose(m, [0.004, 0.0])
    assert_allclose(q0[0] * 0.99 + m[0] + 0.001, q0[0])
