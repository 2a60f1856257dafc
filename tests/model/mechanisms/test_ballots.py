"""Tests of sim/model/mechanisms/ballots.py: the random-utility approval vote."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.model.mechanisms.ballots import approval_ballots, best_first, noisy_cost, standard_gumbel


def test_standard_gumbel_matches_numpys_draws():
    """Same uniforms, same transformation: equal to rng.gumbel up to the last bits of log."""
    a = np.random.default_rng(5).gumbel(size=(300, 200))
    b = standard_gumbel(np.random.default_rng(5), (300, 200))
    np.testing.assert_allclose(b, a, rtol=1e-13, atol=1e-13)


def test_noisy_cost_is_the_negated_noisy_utility_to_the_last_bit():
    """noisy_cost forms -(score + G) in fewer passes: the same bits as negating score + standard_gumbel."""
    score = np.random.default_rng(3).normal(size=(400, 150)) * 3
    want = -(score + standard_gumbel(np.random.default_rng(8), score.shape))
    got = noisy_cost(np.random.default_rng(8), score.copy(), np.empty_like(score))
    np.testing.assert_array_equal(got, want)


def test_standard_gumbel_has_the_gumbel_moments():
    g = standard_gumbel(np.random.default_rng(1), (400_000,))
    assert abs(g.mean() - np.euler_gamma) < 0.01  # mean = Euler's gamma, 0.5772
    assert abs(g.var() - np.pi ** 2 / 6) < 0.02  # variance = pi^2 / 6, 1.645


def test_each_voter_approves_k_distinct_projects():
    rng = np.random.default_rng(2)
    b = approval_ballots(rng, rng.integers(0, 3, 50), rng.random(50), rng.integers(0, 3, 7), rng.random(7),
                         3, 1.0, 1.5, block=20)  # blocks of 2 voters
    assert b.shape == (50, 7)
    np.testing.assert_array_equal(np.asarray(b.sum(axis=1)).ravel(), 3)
    assert b.max() == 1


def test_fewer_candidates_than_approvals_approves_all():
    rng = np.random.default_rng(0)
    b = approval_ballots(rng, np.zeros(4, int), np.full(4, 0.5), np.array([0, 1]), np.array([0.2, 0.9]), 3, 1, 1)
    assert (b.toarray() == 1).all()


def test_blocks_draw_what_one_matrix_draws():
    """Filling the ballots in blocks of voters gives the same ballots as one block."""
    args = (np.arange(30) % 4, np.linspace(0, 1, 30), np.array([0, 1, 2, 3, 0, 1]), np.linspace(0.1, 0.9, 6), 2,
            1.0, 1.5)
    one = approval_ballots(np.random.default_rng(9), *args, block=10_000)
    blocks = approval_ballots(np.random.default_rng(9), *args, block=12)
    assert (one != blocks).nnz == 0


def test_utilities_shape_the_vote():
    """A strong own-neighbourhood weight makes voters approve the project next door."""
    rng = np.random.default_rng(4)
    home = np.repeat([0, 1], 500)
    b = approval_ballots(rng, home, np.zeros(1000), np.array([0, 1, 2]), np.zeros(3), 1, 8.0, 0.0).toarray()
    assert b[:500, 0].mean() > 0.95 and b[500:, 1].mean() > 0.95


def test_voters_use_fewer_approvals_than_allowed():
    """fill 0.5 with k = 3: 1 + Binomial(2, 0.5) approvals, mean 2, each voter at least 1 and at most 3."""
    rng = np.random.default_rng(7)
    n = 20_000
    b = approval_ballots(rng, np.zeros(n, int), np.full(n, 0.5), np.arange(6) % 2, np.linspace(0, 1, 6),
                         3, 1.0, 1.5, fill=0.5)
    used = np.asarray(b.sum(axis=1)).ravel()
    assert used.min() == 1 and used.max() == 3
    assert abs(used.mean() - 2.0) < 0.03


def test_a_voter_using_one_approval_keeps_her_favourite():
    """With fill 0 every voter approves exactly one project: her best (here, the one next door)."""
    rng = np.random.default_rng(8)
    home = np.repeat([0, 1], 500)
    b = approval_ballots(rng, home, np.zeros(1000), np.array([0, 1, 2]), np.zeros(3), 3, 8.0, 0.0,
                         fill=0.0).toarray()
    assert (b.sum(axis=1) == 1).all()
    assert b[:500, 0].mean() > 0.95 and b[500:, 1].mean() > 0.95


def test_valence_gives_a_project_appeal_to_every_voter():
    """One approval among three projects with no place or interest terms: a rank-ordered logit, so a
    valence of 1 draws e / (e + 2) = 0.5761 of the voters, the two others 1 / (e + 2) = 0.2119 each
    (20,000 voters: binomial sd 0.0035, within 0.012)."""
    rng = np.random.default_rng(11)
    n = 20_000
    b = approval_ballots(rng, np.zeros(n, int), np.zeros(n), np.array([1, 2, 3]), np.zeros(3), 1, 0.0, 0.0,
                         valence=np.array([1.0, 0.0, 0.0])).toarray()
    e = np.e
    np.testing.assert_allclose(b.mean(axis=0), [e / (e + 2), 1 / (e + 2), 1 / (e + 2)], atol=0.012)


def test_no_valence_is_zero_valence():
    """valence None and valence 0 draw the same ballots (the same Gumbel draws, nothing added)."""
    args = (np.arange(40) % 3, np.linspace(0, 1, 40), np.array([0, 1, 2, 0]), np.linspace(0.2, 0.8, 4), 2, 1.0, 1.5)
    plain = approval_ballots(np.random.default_rng(3), *args)
    zero = approval_ballots(np.random.default_rng(3), *args, valence=np.zeros(4))
    assert (plain != zero).nnz == 0


def test_friends_favour_their_proposers_project():
    """Voters 0-9,999 are ties of project 0's proposer (friends_weight 1): e / (e + 2) = 0.5761 of them approve
    it; the other 10,000 approve it as often as any other project, 1/3. With friends_weight 0 the ties do not
    count."""
    n = 20_000
    friends = sp.csr_matrix((np.ones(n // 2), (np.arange(n // 2), np.zeros(n // 2, int))), shape=(n, 3))
    args = (np.zeros(n, int), np.zeros(n), np.array([1, 2, 3]), np.zeros(3), 1, 0.0, 0.0)
    b = approval_ballots(np.random.default_rng(12), *args, friends=friends, friends_weight=1.0).toarray()
    assert abs(b[: n // 2, 0].mean() - np.e / (np.e + 2)) < 0.015
    assert abs(b[n // 2:, 0].mean() - 1 / 3) < 0.015
    unweighted = approval_ballots(np.random.default_rng(12), *args, friends=friends, friends_weight=0.0)
    assert (unweighted != approval_ballots(np.random.default_rng(12), *args)).nnz == 0


def test_best_first_is_the_partitions_set_in_sorted_order():
    """Each row's k smallest costs, smallest first: the set argpartition picks, ordered as a sort of
    their costs orders it (the ballots' k best by utility); the costs are left as they were."""
    rng = np.random.default_rng(8)
    for k in (1, 3, 5):
        cost = rng.gumbel(size=(400, 7 * k))
        before = cost.copy()
        best = best_first(cost, k)
        np.testing.assert_array_equal(cost, before)
        part = np.argpartition(cost, k - 1, axis=1)[:, :k]
        order = np.argsort(np.take_along_axis(cost, part, axis=1), axis=1, kind="stable")
        np.testing.assert_array_equal(best, np.take_along_axis(part, order, axis=1))
    # as many candidates as approvals: every candidate, cheapest first
    cost = rng.random((50, 3))
    np.testing.assert_array_equal(best_first(cost, 3), np.argsort(cost, axis=1))


def test_best_first_declines_a_tie():
    """A tie among a row's k best, or between its k-th and the next, is left to the partition (None)."""
    assert best_first(np.array([[0.3, 0.1, 0.1, 0.9]]), 2) is None
    assert best_first(np.array([[0.3, 0.1, 0.3, 0.9]]), 2) is None
    assert best_first(np.array([[0.3, 0.1, 0.2, 0.2]]), 2) is None
    np.testing.assert_array_equal(best_first(np.array([[0.3, 0.1, 0.2, 0.25]]), 2), [[1, 2]])


def _formula_ballots(seed: int, home: np.ndarray, orientation: np.ndarray, place: np.ndarray, interest: np.ndarray,
                     k: int, place_weight: float, interest_weight: float, valence: np.ndarray,
                     friends: sp.csr_matrix, friends_weight: float) -> np.ndarray:
    """The module docstring's utility written out over the whole voters x candidates matrix, in the order
    of its terms, each voter's k best by a full sort (fill 1: no approvals left unused)."""
    u = interest_weight * orientation[:, None] * interest[None, :]
    u = u + np.where(home[:, None] == place[None, :], place_weight, 0.0)
    u = u + valence[None, :]
    u = u + friends_weight * friends.toarray()
    u = u + standard_gumbel(np.random.default_rng(seed), u.shape)
    best = np.argsort(-u, axis=1, kind="stable")[:, :k]
    out = np.zeros(u.shape, dtype=np.int8)
    np.put_along_axis(out, best, 1, axis=1)
    return out


def test_ballots_are_each_voters_best_utilities_by_the_formula():
    """The vote in blocks of voters, each voter's best found by a few passes of argmin, approves what the
    utility formula written out over all voters at once and sorted approves: the same draws, the same
    sums, the same ballots, for candidates across the town (place -1) and in neighbourhoods no voter
    lives in, at any block size, and with tie entries listed twice (added up)."""
    rng = np.random.default_rng(21)
    for trial in range(40):
        n, m, k = int(rng.integers(1, 400)), int(rng.integers(1, 30)), int(rng.integers(1, 5))
        home, place = rng.integers(0, 6, n), rng.integers(-1, 9, m)
        orientation, interest, valence = rng.random(n), rng.random(m), rng.normal(0, 1, m)
        rows, cols = np.sort(rng.integers(0, n, 3 * n)), rng.integers(0, m, 3 * n)
        indptr = np.searchsorted(rows, np.arange(n + 1))  # (row, column) pairs as drawn: some twice
        friends = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), cols, indptr), shape=(n, m))
        assert not friends.has_canonical_format
        pw, iw, fw = (float(w) for w in rng.normal(0, 1.5, 3))
        seed = int(rng.integers(1 << 30))
        ballots = approval_ballots(np.random.default_rng(seed), home, orientation, place, interest, k, pw, iw,
                                   block=int(rng.choice([7, 100, 1 << 18])), valence=valence,
                                   friends=friends, friends_weight=fw)
        expected = _formula_ballots(seed, home, orientation, place, interest, min(k, m), pw, iw, valence,
                                    friends, fw)
        np.testing.assert_array_equal(ballots.toarray(), expected, err_msg=f"trial {trial}")
