"""Tests of sim/model/mechanisms/proposals.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved from tests/test_mechanisms.py; valence added.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sim.model.mechanisms import proposals
from tests.helpers import arr


class TestProposals:
    def test_framing_grows_with_cycles_only_when_permanent(self):
        # permanent: 0.5 * (1 - exp(-c / 2)) + 0.3 * 0.3; c = 2 -> 0.31606 + 0.09 = 0.40606
        assert proposals.framing(True, 0, 0.3) == pytest.approx(0.09)
        assert proposals.framing(True, 2, 0.3) == pytest.approx(0.5 * (1 - math.exp(-1)) + 0.09)
        perm = [proposals.framing(True, c, 0.3) for c in range(6)]
        adhoc = [proposals.framing(False, c, 0.3) for c in range(6)]
        assert np.all(np.diff(perm) > 0)
        assert adhoc == pytest.approx([0.09] * 6)
        assert proposals.framing(True, 1000, 1.0) == pytest.approx(0.8)

    def test_submit_empty(self):
        rng = np.random.default_rng(0)
        skills, orient, nb = np.ones(5), np.full(5, 0.5), np.zeros(5, dtype=np.int16)
        assert proposals.submit(np.arange(5), skills, orient, nb, 0.0, 0.0, 1e4, rng).size == 0
        assert proposals.submit(np.empty(0, dtype=np.int64), skills, orient, nb, 0.5, 0.0, 1e4, rng).size == 0

    def test_submit_authors_costs_and_framing(self):
        rng = np.random.default_rng(0)
        n = 20_000
        skills, orient = np.ones(n), np.full(n, 0.5)
        nb = (np.arange(n) % 3).astype(np.int16)
        part = np.arange(0, n, 2)
        # rate 1 with equal skills: p_submit = 1 * skills / mean(skills) = 1, every participant submits
        props = proposals.submit(part, skills, orient, nb, 1.0, 0.0, 15_000.0, rng)
        assert_array_equal(props.author, part)
        assert_array_equal(props.neighbourhood, nb[part])
        # lognormal with the given mean: sd of the mean is 15000 * 0.63 / 100 = 94
        assert props.cost.mean() == pytest.approx(15_000, rel=0.03)
        assert ((props.risk >= 0) & (props.risk <= 1)).all()
        assert ((props.general_interest >= 0) & (props.general_interest <= 1)).all()
        # no framing: g ~ 0.5 ; full framing: 0.5 + 1 * 0.5 * 0.6 = 0.8
        assert props.general_interest.mean() == pytest.approx(0.5, abs=0.01)
        framed = proposals.submit(part, skills, orient, nb, 1.0, 1.0, 15_000.0, rng)
        assert framed.general_interest.mean() == pytest.approx(0.8, abs=0.01)

    def test_submit_rate_scales_with_civic_skills(self):
        rng = np.random.default_rng(3)
        n = 20_000
        # half with skills 0.2, half 0.8 (mean 0.5): p_submit = 0.1 * skills / 0.5 = 0.04 and 0.16;
        # the mean over participants is the rate, 0.1
        skills = np.where(np.arange(n) < n // 2, 0.2, 0.8)
        props = proposals.submit(np.arange(n), skills, np.full(n, 0.5), np.zeros(n, dtype=np.int16),
                                 0.1, 0.0, 1e4, rng)
        low = (props.author < n // 2).sum() / (n // 2)
        high = (props.author >= n // 2).sum() / (n // 2)
        assert low == pytest.approx(0.04, abs=0.01)
        assert high == pytest.approx(0.16, abs=0.015)
        assert props.size / n == pytest.approx(0.1, abs=0.01)

    def test_general_interest_share(self):
        e = np.zeros(4)
        props = proposals.Proposals(np.arange(4), np.zeros(4, dtype=np.int16), arr(0.2, 0.6, 0.9, 0.5), e, e)
        assert proposals.general_interest_share(props) == 0.5  # 0.6 and 0.9; 0.5 is not > 0.5
        empty = proposals.Proposals(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int16),
                                    np.empty(0), np.empty(0), np.empty(0))
        assert proposals.general_interest_share(empty) == 0.0


def test_valence_is_normal_with_the_given_spread_and_drawn_last():
    """valence_sd 1: 5,000 proposals' valences have mean 0 (within 0.05) and sd 1 (within 0.03); every other draw
    is what a run without valence draws, whose valences are all 0."""
    n = 5_000
    args = (np.arange(n), np.full(n, 0.5), np.full(n, 0.5), np.zeros(n, dtype=np.int16), 1.0, 0.0, 15_000.0)
    plain = proposals.submit(*args, np.random.default_rng(4))
    spread = proposals.submit(*args, np.random.default_rng(4), valence_sd=1.0)
    assert not plain.valence.any()
    assert abs(spread.valence.mean()) < 0.05 and abs(spread.valence.std() - 1.0) < 0.03
    assert_array_equal(spread.author, plain.author)
    assert_array_equal(spread.cost, plain.cost)
    assert_array_equal(spread.risk, plain.risk)


def test_proposals_without_valence_have_none():
    p = proposals.Proposals(arr(0), np.zeros(1, dtype=np.int16), arr(0.5), arr(100.0), arr(0.1))
    assert p.valence.tolist() == [0.0] and p.theme.tolist() == [-1]
