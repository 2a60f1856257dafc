"""Tests of sim/model/mechanisms/allocation.py: scores by channel, thresholds, no-skip, sub-budgets.

Every case is small enough to check by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal

from sim.model.mechanisms import allocation, budgeting


def ballots(rows: list[list[int]], m: int) -> sp.csr_matrix:
    """Voters x projects 0/1 matrix: ``rows[i]`` lists the projects voter i approves."""
    dense = np.zeros((len(rows), m), dtype=np.int8)
    for i, r in enumerate(rows):
        dense[i, r] = 1
    return sp.csr_matrix(dense)


# four voters, three projects: approvals 3, 2, 1
B = ballots([[0, 1], [0, 1], [0], [2]], 3)


def test_channel_scores_weigh_the_channels_not_the_voters():
    """Voters 0-2 online, voter 3 live, live share 0.8: project 0 has 3/3 online, 0/1 live:
    0.2 * 1 = 0.2; project 1: 0.2 * 2/3; project 2: 0.8 * 1/1 = 0.8. One live vote outweighs three."""
    live = np.array([False, False, False, True])
    assert_allclose(allocation.channel_scores(B, live, 0.8), [0.2, 0.2 * 2 / 3, 0.8])


def test_channel_scores_with_one_channel_only():
    """Without live voters the online approval rates carry the whole result, and the other way round."""
    assert_allclose(allocation.channel_scores(B, np.zeros(4, dtype=bool), 0.8), [3 / 4, 2 / 4, 1 / 4])
    assert_allclose(allocation.channel_scores(B, np.ones(4, dtype=bool), 0.8), [3 / 4, 2 / 4, 1 / 4])


def test_sub_budgets_in_proportion():
    assert_allclose(allocation.sub_budgets(100.0, 3, np.array([1, 3, 0])), [25.0, 75.0, 0.0])
    assert_allclose(allocation.sub_budgets(90.0, 3, np.zeros(3)), [30.0, 30.0, 30.0])
    with pytest.raises(ValueError, match="2 entries for 3 groups"):
        allocation.sub_budgets(1.0, 3, np.ones(2))


def test_greedy_equals_the_plain_rule():
    """Costs 6, 5, 1, budget 7: greedy takes 0 (3 votes), skips 1 (5 > 1 left), takes 2."""
    costs = np.array([6.0, 5.0, 1.0])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy"), [True, False, True])


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    costs = np.array([6.0, 5.0, 1.0])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy_no_skip"), [True, False, False])


def test_vote_threshold_is_a_share_of_voters():
    """A threshold of half the 4 voters needs 2 approvals: project 2 (1 approval) is passed over
    although money is left; at 0.25 it is funded."""
    costs = np.array([6.0, 5.0, 1.0])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy", threshold_share=0.5), [True, False, False])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy", threshold_share=0.25), [True, False, True])


def test_a_project_nobody_approved_is_never_funded():
    b = ballots([[0], [0]], 2)
    assert_array_equal(allocation.fund(np.array([1.0, 1.0]), b, 10.0, "greedy"), [True, False])
    assert_array_equal(allocation.fund(np.array([1.0, 1.0]), b, 10.0, "equal_shares"), [True, False])


def test_scores_set_the_greedy_order():
    """With channel scores favouring project 2, it is funded first; 0 (cost 6) then no longer fits in 7 - 1.5."""
    costs = np.array([6.0, 5.0, 1.5])
    scores = np.array([0.2, 0.1, 0.8])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy", scores=scores), [False, True, True])


def test_groups_fund_within_their_own_budget():
    """Projects 0, 1 in group 0 (budget 6), project 2 in group 1 (budget 1): group 0 funds 0 (cost 6),
    group 1 funds 2; with one budget of 7 the same costs fund 0 and 2 as well, but a budget of 5 + 2
    split the other way funds 1 and 2."""
    costs = np.array([6.0, 5.0, 1.0])
    groups = np.array([0, 0, 1])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy", groups=groups, group_budgets=np.array([6.0, 1.0])),
                       [True, False, True])
    assert_array_equal(allocation.fund(costs, B, 7.0, "greedy", groups=groups, group_budgets=np.array([5.0, 2.0])),
                       [False, True, True])


def test_equal_shares_per_group_is_the_rule_on_the_group():
    rng = np.random.default_rng(3)
    b = sp.csr_matrix((rng.random((40, 6)) < 0.4).astype(np.int8))
    costs = rng.uniform(1, 10, 6)
    groups = np.array([0, 1, 0, 1, 0, 1])
    budgets = np.array([8.0, 12.0])
    got = allocation.fund(costs, b, 20.0, "equal_shares", groups=groups, group_budgets=budgets)
    for g in (0, 1):
        cols = np.flatnonzero(groups == g)
        want = budgeting.method_of_equal_shares(costs[cols], b[:, cols], budgets[g])
        want &= np.asarray(b[:, cols].sum(axis=0)).ravel() > 0
        assert_array_equal(got[cols], want)
