"""Tests of sim/model/network.py, with cases small enough to check by hand.

Expected values are worked out in the comments next to each assertion. Scenario values
(age shares, education shares, ...) are read from the presets, not copied, so these tests
follow edits of configs/. (Moved unchanged from tests/test_mechanisms.py.)
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from sim.config.compose import compose_config
from sim.model.network import build_network, neighbour_share, tied_mean, to_networkx
from sim.model.population import synthesize
from tests.helpers import arr


@pytest.fixture(scope="module")
def generic_config():
    return compose_config("generic", "none", 0)


@pytest.fixture(scope="module")
def net3000(generic_config):
    """A 3,000-resident population of the generic scenario and its network (default parameters)."""
    c = generic_config.citizens
    rng = np.random.default_rng(42)
    pop = synthesize(3000, generic_config.scenario, c, generic_config.perceptions, rng)
    adj = build_network(pop.neighbourhood, pop.education, pop.age_group, c.mean_degree,
                        c.share_local_ties, c.homophily, rng)
    return pop, adj, c


def tie_ends(adj) -> tuple[np.ndarray, np.ndarray]:
    coo = adj.tocoo()
    return coo.row, coo.col


def receivers(rng: np.random.Generator, n: int, trial: int, most: int) -> np.ndarray:
    """1 to ``most`` receivers of news among ``n`` residents: a block of neighbours (every fourth trial), else
    random ones, repeated in every third trial, sorted in every second."""
    size = int(rng.integers(1, most))
    who = (np.arange(s := int(rng.integers(0, n - size)), s + size) if trial % 4 == 0
           else rng.choice(n, size, replace=trial % 3 == 0))
    return np.sort(who) if trial % 2 else who


class TestNetwork:
    def test_symmetric_binary_no_self_loops(self, net3000):
        _, adj, _ = net3000
        assert adj.shape == (3000, 3000)
        assert (adj != adj.T).nnz == 0
        assert adj.diagonal().sum() == 0
        assert set(np.unique(adj.data).tolist()) == {1.0}

    def test_mean_degree(self, net3000):
        _, adj, c = net3000
        mean = np.diff(adj.indptr).mean()
        # duplicates are dropped, so slightly below mean_degree
        assert 0.95 * c.mean_degree <= mean <= c.mean_degree

    def test_share_of_local_ties(self, net3000, generic_config):
        pop, adj, c = net3000
        row, col = tie_ends(adj)
        local = (pop.neighbourhood[row] == pop.neighbourhood[col]).mean()
        # Random ties land in one's own neighbourhood by chance too (sum of squared shares),
        # so the realised share is share_local + (1 - share_local) * HHI.
        hhi = float(np.sum((np.bincount(pop.neighbourhood) / pop.size) ** 2))
        assert local == pytest.approx(c.share_local_ties + (1 - c.share_local_ties) * hhi, abs=0.02)
        assert abs(local - c.share_local_ties) < 0.1

    def test_clustering_far_above_random_graph(self, net3000):
        _, adj, _ = net3000
        density = adj.nnz / (adj.shape[0] * (adj.shape[0] - 1))
        # an Erdos-Renyi graph of the same density has transitivity ~ density (0.003)
        assert nx.transitivity(to_networkx(adj)) > 10 * density

    def test_homophily(self, net3000, generic_config):
        pop, adj, c = net3000
        row, col = tie_ends(adj)
        same = (pop.education[row] == pop.education[col]).mean()
        shares = np.bincount(pop.education, minlength=3) / pop.size
        baseline = float(np.sum(shares**2))  # chance that two random residents share education
        assert same > baseline + 0.1
        # without homophily, ties are blind to education
        rng = np.random.default_rng(7)
        flat = build_network(pop.neighbourhood, pop.education, pop.age_group, c.mean_degree,
                             c.share_local_ties, 0.0, rng)
        row, col = tie_ends(flat)
        assert (pop.education[row] == pop.education[col]).mean() == pytest.approx(baseline, abs=0.03)

    def test_same_rng_same_network(self, net3000, generic_config):
        pop, _, c = net3000
        args = (pop.neighbourhood, pop.education, pop.age_group, c.mean_degree, c.share_local_ties, c.homophily)
        a = build_network(*args, np.random.default_rng(5))
        b = build_network(*args, np.random.default_rng(5))
        assert (a != b).nnz == 0

    @pytest.mark.parametrize("mean_degree", [2, 3, 4, 11])
    def test_mean_degree_small_and_odd(self, net3000, mean_degree):
        # regression: an odd mean_degree used to lose a tie per resident (3 -> ~2, 11 -> ~10)
        pop, _, c = net3000
        adj = build_network(pop.neighbourhood, pop.education, pop.age_group, mean_degree, c.share_local_ties,
                            c.homophily, np.random.default_rng(0))
        assert 0.93 * mean_degree <= np.diff(adj.indptr).mean() <= mean_degree

    def test_neighbour_share_and_mean(self):
        # path 0 - 1 - 2 and an isolated resident 3
        g = nx.path_graph(3)
        g.add_node(3)
        adj = nx.to_scipy_sparse_array(g, nodelist=range(4), format="csr").astype(np.float32)
        degree = np.diff(adj.indptr).astype(np.float32)
        flag = np.array([True, False, True, True])
        assert_allclose(neighbour_share(adj, degree, flag), [0.0, 1.0, 0.0, 0.0])
        values = arr(1.0, 2.0, 4.0, 9.0)
        rows, means = tied_mean(adj, degree, np.flatnonzero(values), values)
        mean = np.zeros(4)
        mean[rows] = means
        assert_allclose(mean, [2.0, 2.5, 2.0, 0.0])  # resident 3 has no tie

    @pytest.mark.parametrize("one_value", [False, True])
    def test_tied_mean_sums_as_scipys_product_to_the_last_bit(self, net3000, one_value):
        """The sparse path adds only the terms of residents with a value (tied_sums); when every receiver
        holds the same value (a project's supporters) a row's sum is that value added once per tie
        (tie_counts, repeated_sums). Either way each mean equals the product over the whole network bit
        for bit, for sorted, unsorted and repeated receivers, clustered receivers (rows with many terms),
        values of both signs, and up to hundreds of receivers of one value."""
        _, adj, _ = net3000
        degree = np.diff(adj.indptr).astype(np.float32)
        rng = np.random.default_rng(6 if one_value else 5)
        n = adj.shape[0]
        for trial in range(60):
            who = receivers(rng, n, trial, 290 if one_value else 25)
            size = who.size
            values = np.zeros(n, dtype=np.float32)
            values[who] = (np.float32((rng.random() - 0.4) * 3) if one_value
                           else (rng.random(size) - 0.4).astype(np.float32) * (rng.random(size) < 0.9))
            rows, means = tied_mean(adj, degree, who, values)
            assert rows.size < n  # the sparse path ran
            full = (adj @ values) / np.maximum(degree, 1)
            reached = np.flatnonzero(adj[np.unique(who[values[who] != 0])].sum(axis=0))
            np.testing.assert_array_equal(rows, reached)
            assert means.dtype == full.dtype
            np.testing.assert_array_equal(means.view(np.int32), full[rows].view(np.int32))

    def test_to_networkx_subgraph(self, net3000):
        _, adj, _ = net3000
        nodes = np.arange(100, 200)
        g = to_networkx(adj, nodes)
        assert set(g.nodes) == set(range(100, 200))
        assert g.number_of_edges() == adj[nodes][:, nodes].nnz // 2


def test_sort_within_gives_lexsorts_order():
    """The two stable sorts order residents exactly as np.lexsort over the same keys."""
    from sim.model.network import group_key, sort_within

    rng = np.random.default_rng(3)
    nb, edu, age = rng.integers(0, 7, 5000), rng.integers(0, 3, 5000), rng.integers(0, 4, 5000)
    tiebreak = rng.random(5000)
    expected = np.lexsort((tiebreak, age, edu, nb))
    np.testing.assert_array_equal(sort_within(tiebreak, group_key(nb, edu, age)), expected)
    np.testing.assert_array_equal(sort_within(tiebreak, nb), np.lexsort((tiebreak, nb)))
    # tied tiebreaks keep the residents' order, as lexsort does (the stable sort is taken then)
    tied = np.round(tiebreak, 2)
    np.testing.assert_array_equal(sort_within(tied, group_key(nb, edu, age)), np.lexsort((tied, age, edu, nb)))


@pytest.mark.parametrize("n, ties", [(40, 200), (7, 0), (2, 5), (3000, 12000)])
def test_symmetric_adjacency_is_scipys_matrix_to_the_bit(n, ties):
    """The network's matrix from one sort of 64-bit keys is the matrix scipy makes from the coordinates of every tie
    both ways with duplicates summed and set to 1: the same indptr, indices (sorted, each once), data and types."""
    import scipy.sparse as sp

    from sim.model.network import symmetric_adjacency

    rng = np.random.default_rng(n + ties)
    src, tgt = rng.integers(0, n, ties).astype(np.int32), rng.integers(0, n, ties).astype(np.int32)
    keep = src != tgt
    src, tgt = src[keep], tgt[keep]
    if ties:  # a tie drawn twice, and once from each end
        src, tgt = np.concatenate((src, src[:3], tgt[:2])), np.concatenate((tgt, tgt[:3], src[:2]))
    expected = sp.csr_matrix((np.ones(2 * src.size, dtype=np.float32),
                              (np.concatenate((src, tgt)), np.concatenate((tgt, src)))), shape=(n, n))
    expected.sum_duplicates()
    expected.data[:] = 1.0
    got = symmetric_adjacency(n, src, tgt)
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(got, part), getattr(expected, part))
        assert getattr(got, part).dtype == getattr(expected, part).dtype
    assert got.shape == (n, n) and got.has_canonical_format
    assert (got != got.T).nnz == 0 and got.diagonal().sum() == 0


def test_tie_counts_and_repeated_sums():
    """tie_counts: each resident once, ascending, with how often she occurs; repeated_sums: a running float32 sum,
    which is scipy's sum of a hub's 1,000 equal terms and differs from 1,000 times the value (so the product
    would not do): 0.1 added 1,000 times in float32 is 99.99905, not 100."""
    from sim.model.network import repeated_sums, tie_counts

    rows, counts = tie_counts(np.array([5, 2, 5, 9, 2, 5], dtype=np.int32))
    assert rows.tolist() == [2, 5, 9] and counts.tolist() == [2, 3, 1]
    assert tie_counts(np.empty(0, dtype=np.int32))[0].size == 0
    v = np.float32(0.1)
    sums = repeated_sums(v, np.array([1, 3, 1000]))
    assert sums.dtype == np.float32 and sums[0] == v
    hub = sp.csr_matrix((np.ones(1000, dtype=np.float32), (np.zeros(1000, dtype=np.int32), np.arange(1, 1001))),
                        shape=(1001, 1001))
    values = np.full(1001, v, dtype=np.float32)
    assert sums[2] == (hub @ values)[0] and sums[2] != np.float32(1000) * v
    assert sums[2] == pytest.approx(99.99905, abs=1e-4)
    assert repeated_sums(v, np.array([], dtype=np.int64)).size == 0
