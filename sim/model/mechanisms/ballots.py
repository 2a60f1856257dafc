"""Approval ballots of a participatory budget: a random-utility vote (docs/model.md 7.7).

Each voter approves the ``k`` screened proposals with the highest utility

    u_ij = v_j + w_place * [project j is in voter i's neighbourhood]
           + w_interest * orientation_i * general_interest_j + w_friends * [i is a tie of j's proposer] + G_ij,

with v_j the project's valence (its appeal to every voter: how attractive, how well presented;
spread estimated from pabulib rounds, docs/pabulib_valence.md) and G_ij standard Gumbel noise, so
the approvals follow a Plackett-Luce (rank-ordered logit) model, the usual random-utility model
of ballots (McFadden 1974; Train 2009, ch. 7). Proposers campaign among their ties, who favour
their projects (``friends``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: Ballot scores computed at once (voters x candidates); bounds the memory of a large vote.
BALLOT_BLOCK = 1 << 18


def standard_gumbel(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard Gumbel draws, the same as ``rng.gumbel(size=shape)`` to the last bit or two.

    numpy's ``Generator.gumbel`` computes -log(-log(1 - U)) one draw at a time; this does the
    same sums on the same uniforms U (one double per draw, in the same order) with numpy's
    vectorised log, three times faster on a million-resident vote. The results differ from
    ``rng.gumbel`` only in the last bits of the log; where ``rng.gumbel`` would redraw a U of
    exactly 0 (probability 2**-53 per draw), this returns -inf, a utility no ballot picks.
    """
    u = rng.random(shape)
    np.subtract(1.0, u, out=u)
    np.log(u, out=u)
    np.negative(u, out=u)
    np.log(u, out=u)
    return np.negative(u, out=u)


def noisy_cost(rng: np.random.Generator, score: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """``-(score + G)`` in place of ``score``, with ``G`` standard Gumbel drawn into ``scratch`` (same shape).

    The same numbers, to the last bit, as ``-(score + standard_gumbel(rng, score.shape))`` on the same
    generator: ``standard_gumbel`` ends by negating ``log(-log(1 - U))`` and the sum is negated again;
    here ``log(-log(1 - U)) - score`` is formed directly (rounding to nearest is symmetric in sign, so
    ``a - b == -(b + -a)`` exactly), two passes fewer over a voters x candidates block, and the uniforms
    fill a buffer the caller reuses from block to block instead of a new array each time.
    """
    u = rng.random(out=scratch)
    np.subtract(1.0, u, out=u)
    np.log(u, out=u)
    np.negative(u, out=u)
    np.log(u, out=u)  # -G
    return np.subtract(u, score, out=score)


def best_first(cost: np.ndarray, k: int) -> np.ndarray | None:
    """Each row's ``k`` smallest entries, smallest first (column indices), or None if a row ties
    among them or at the k-th place.

    Without ties this is the set ``np.argpartition(cost, k - 1)[:, :k]`` picks, in the order a sort
    by cost gives it, so the ballots are the same; a few passes of ``argmin`` over a block of voters
    cost a tenth of a partition of every voter's row. ``cost`` is left as it was.
    """
    rows = np.arange(cost.shape[0])
    best = np.empty((rows.size, k), dtype=np.intp)
    taken = np.empty((rows.size, k), dtype=cost.dtype)
    for j in range(k):
        best[:, j] = np.argmin(cost, axis=1)
        taken[:, j] = cost[rows, best[:, j]]
        cost[rows, best[:, j]] = np.inf  # out of the next passes
    tied = bool(np.any(taken[:, 1:] == taken[:, :-1]))
    if not tied and k < cost.shape[1]:
        tied = bool(np.any(cost.min(axis=1) == taken[:, -1]))  # the next best ties with the k-th
    for j in range(k):
        cost[rows, best[:, j]] = taken[:, j]
    return None if tied else best


def approval_ballots(rng: np.random.Generator, home: np.ndarray, orientation: np.ndarray,
                     place: np.ndarray, interest: np.ndarray, approvals: int,
                     place_weight: float, interest_weight: float,
                     block: int = BALLOT_BLOCK, fill: float = 1.0, valence: np.ndarray | None = None,
                     friends: sp.csr_matrix | None = None, friends_weight: float = 0.0) -> sp.csr_matrix:
    """The voters x candidates 0/1 matrix of approvals; each voter approves up to ``approvals`` projects.

    Voter i approves her k_i best projects, k_i = 1 + Binomial(k - 1, ``fill``) with
    k = min(approvals, candidates): real voters use fewer approvals than allowed (with fill 1,
    all of them, and no draw is made).

    ``home`` and ``orientation`` describe the voters (neighbourhood code, general-interest
    orientation in [0, 1]); ``place``, ``interest`` and ``valence`` the candidates (neighbourhood
    code, general-interest score, appeal); ``friends`` (voters x candidates, 1 where the voter is
    a tie of the candidate's proposer) adds ``friends_weight``. Ballots are filled in blocks of voters
    of at most ``block`` scores:
    the generator's draws follow each other, so the blocks draw exactly what one voters x
    candidates matrix would, with far less memory.
    """
    n, m = home.size, place.size
    k = min(approvals, m)
    top = np.empty((n, k), dtype=np.intp)
    rows_per_block = max(1, block // max(m, 1))
    place_row, interest_row = place[None, :], interest[None, :]
    # two buffers of one block, reused by every block (a new array of a few MB costs its page faults)
    scores, noise = np.empty((min(rows_per_block, n), m)), np.empty((min(rows_per_block, n), m))
    for lo in range(0, n, rows_per_block):
        hi = min(lo + rows_per_block, n)
        # utility = general-interest fit + place weight [own neighbourhood] + Gumbel, in place
        score = np.multiply(interest_weight * orientation[lo:hi, None], interest_row, out=scores[:hi - lo])
        np.add(score, place_weight, out=score, where=home[lo:hi, None] == place_row)
        if valence is not None:
            score += valence[None, :]
        if friends is not None and friends_weight:
            # the friends' weight where the block's voter is a tie of the proposer: the sums the dense
            # product ``friends_weight * friends[lo:hi].toarray()`` gives, without the zeros
            tied = friends[lo:hi]  # a new matrix: a tie listed twice is summed in it, as toarray sums it
            tied.sum_duplicates()
            score[np.repeat(np.arange(hi - lo), np.diff(tied.indptr)), tied.indices] += friends_weight * tied.data
        cost = noisy_cost(rng, score, noise[:hi - lo])  # the utility's opposite, smallest best
        best = best_first(cost, k)
        if best is None:  # a tie among a voter's best: the partition decides, as it always did
            best = np.argpartition(cost, k - 1, axis=1)[:, :k]
            if fill < 1.0 and k > 1:
                # order the k best by utility, so that a voter using fewer approvals keeps her favourites
                order = np.argsort(np.take_along_axis(cost, best, axis=1), axis=1, kind="stable")
                best = np.take_along_axis(best, order, axis=1)
        top[lo:hi] = best
    if fill < 1.0 and k > 1:
        used = 1 + rng.binomial(k - 1, fill, size=n)
        keep = np.arange(k)[None, :] < used[:, None]
    else:
        keep = np.ones((n, k), dtype=bool)
    rows = np.repeat(np.arange(n), k).reshape(n, k)[keep]
    return sp.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, top[keep])), shape=(n, m))
