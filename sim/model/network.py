"""The residents' social network: neighbourhood clustering and homophily, built with numpy.

networkx builds a 200,000-node Watts-Strogatz graph in about 5 s and its stochastic block
model takes minutes (benchmarks/README.md), so the graph is built here as arrays and stored
as a scipy.sparse CSR matrix. ``to_networkx`` converts it (or a sample) for analysis.

Rule: residents are ordered by (neighbourhood, education, age group, random). Each resident
sends ``mean_degree / 2`` ties; of these slots a share is
- a *homophilous local* tie (a share share_local * homophily of the slots) to one of the next
  residents in that order, i.e. a ring lattice within groups of similar people, which
  gives clustering (Watts & Strogatz 1998) and homophily (McPherson et al. 2001);
- a *nearby* tie (share_local * (1 - homophily)) to one of the residents living next in a
  random "street" order of the same neighbourhood (a second ring), so that neighbours share
  acquaintances;
- a *random* tie (1 - share_local) to anyone in the municipality.
Ties are undirected; duplicates and self-ties are dropped, so the realised mean degree is
slightly below ``mean_degree``. At the defaults (mean degree 10, 75 % local ties,
homophily 0.6) the clustering coefficient (transitivity) is about 0.13, against about
0.001 for a random graph of the same density at municipal size (tests/model/test_network.py).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def group_key(*keys: np.ndarray) -> np.ndarray:
    """One small integer per combination of the category codes ``keys`` (first key most significant)."""
    out = np.zeros(keys[0].size, dtype=np.int64)
    for key in keys:
        out = out * (int(key.max()) + 1 if key.size else 1) + key
    return out


def sort_within(tiebreak: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Indices ordered by ``group``, and within a group by ``tiebreak``.

    The same order as ``np.lexsort((tiebreak, *group keys))``, in two stable sorts (one of floats,
    one of small integers), which is four times faster than lexsort on several keys at a million
    residents.
    """
    # without ties any sort gives the stable order, and numpy's default one is faster on floats
    by_tiebreak = np.argsort(tiebreak)
    ordered = tiebreak[by_tiebreak]
    if np.any(ordered[1:] == ordered[:-1]):
        by_tiebreak = np.argsort(tiebreak, kind="stable")
    small = group.astype(np.int16) if group.size and group.max() < np.iinfo(np.int16).max else group
    return by_tiebreak[np.argsort(small[by_tiebreak], kind="stable")]


def build_network(neighbourhood: np.ndarray, education: np.ndarray, age_group: np.ndarray,
                  mean_degree: int, share_local: float, homophily: float,
                  rng: np.random.Generator) -> sp.csr_matrix:
    """Undirected, unweighted social network as a symmetric CSR matrix of 0/1 (float32)."""
    n = neighbourhood.size
    # Each tie has two ends: mean_degree / 2 ties per resident; an odd mean_degree gives half
    # the residents one extra tie (k + 1), drawn at random.
    k = max(1, mean_degree // 2)
    extra = mean_degree % 2 == 1 and mean_degree > 1
    order = sort_within(rng.random(n), group_key(neighbourhood, education, age_group))
    nb_sorted = neighbourhood[order]
    starts = np.searchsorted(nb_sorted, np.arange(nb_sorted.max() + 1 if n else 0))
    sizes = np.bincount(nb_sorted, minlength=starts.size)
    # tie slots: slot j (1..k) of every resident, then slot k + 1 of the residents in `more`
    positions = np.arange(n)
    slots = [(j, positions) for j in range(1, k + 1)]
    if extra:
        slots.append((k + 1, np.flatnonzero(rng.random(n) < 0.5)))
    m = n * k + (slots[-1][1].size if extra else 0)
    # the draws of all slots, in the order of the slots of resident 0, then of resident 1, ...
    # (resident-major for the first k slots, then the extra ones)
    u_kind = rng.random(m)
    street = sort_within(rng.random(n), neighbourhood)
    anywhere = rng.integers(0, n, m)
    street_pos = np.empty(n, dtype=np.int64)
    street_pos[street] = positions
    src_street = street_pos[order]  # street position of the resident at each sorted position
    start_of, size_of = starts[nb_sorted], np.maximum(sizes[nb_sorted], 1)
    p_lattice = share_local * homophily
    p_local = share_local
    # int32 ends when they fit: scipy converts int64 coordinates itself, at three times the cost
    # (gathered from int32 orders, every tie end is int32 from the start: half the memory traffic)
    ends = np.int32 if n < np.iinfo(np.int32).max else np.int64
    order, street = order.astype(ends), street.astype(ends)
    sources, targets = [], []
    for j, src_pos in slots:
        # this slot's draws: column j - 1 of the resident-major block, or the extra block
        draws = slice(j - 1, n * k, k) if j <= k else slice(n * k, m)
        # Tie slots are assigned to kinds in order (lattice first, then nearby, then random),
        # as in Watts & Strogatz's rewiring: a resident's first slots form rings, which is what
        # gives clustering; only the slot on a boundary between kinds is split at random.
        kind = ((j - 1) + u_kind[draws]) / k
        # a random tie: anyone in the municipality (looked up only for the slots of that kind)
        tgt = np.empty(src_pos.size, dtype=ends)
        far = np.flatnonzero(kind >= p_local)
        if far.size:
            tgt[far] = order[anywhere[draws][far]]
        # lattice neighbour: the next residents in sorted order, wrapping inside the neighbourhood
        lattice = np.flatnonzero(kind < p_lattice)
        if lattice.size:
            at = src_pos[lattice]
            start = start_of[at]
            tgt[lattice] = order[start + (at - start + j) % size_of[at]]
        # local tie: a resident living nearby, i.e. within a few places in a random "street"
        # order of the neighbourhood; nearby residents share acquaintances (triadic closure)
        local = np.flatnonzero((kind >= p_lattice) & (kind < p_local))
        if local.size:
            at = src_pos[local]
            start = start_of[at]
            step = max(j - round(k * p_lattice), 1)
            tgt[local] = street[start + (src_street[at] - start + step) % size_of[at]]
        src = order[src_pos]
        keep = src != tgt
        sources.append(src[keep])
        targets.append(tgt[keep])
    del u_kind, anywhere  # the draws are used: free them before the matrix is built
    src, tgt = np.concatenate(sources), np.concatenate(targets)
    del sources, targets
    return symmetric_adjacency(n, src, tgt)


def symmetric_adjacency(n: int, src: np.ndarray, tgt: np.ndarray) -> sp.csr_matrix:
    """The symmetric 0/1 matrix (float32 CSR, each row's ties sorted, a tie once) of the ties ``src[i]``-``tgt[i]``.

    Each tie both ways, as one sorted list of 64-bit keys ``row * 2**32 + column``: one sort and a
    comparison of neighbours give the canonical matrix directly. It is the same matrix, to the bit, as
    scipy's from coordinates with duplicates summed and set to 1, which converts, sorts every row and
    merges in three passes, twice the time (a quarter of building Geel's residents).
    """
    rows = np.concatenate((src, tgt)).astype(np.int64)
    rows <<= 32
    rows |= np.concatenate((tgt, src))
    rows.sort()
    rows = rows[run_starts(rows)]  # a tie drawn twice (from both ends, or in two slots) is one tie
    index = np.int32 if n < np.iinfo(np.int32).max and rows.size < np.iinfo(np.int32).max else np.int64
    columns = (rows & 0xFFFFFFFF).astype(index)
    rows >>= 32
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    adj = sp.csr_matrix((np.ones(columns.size, dtype=np.float32), columns, indptr), shape=(n, n))
    adj.has_sorted_indices = True
    adj.has_canonical_format = True
    return adj


#: Below this share of flagged residents, neighbour counts are gathered from the flagged
#: residents' ties instead of a product over the whole network (same result, much less work).
SPARSE_SHARE = 0.1


def neighbours_of(adj: sp.csr_matrix, idx: np.ndarray) -> np.ndarray:
    """The ties of residents ``idx``, concatenated (a resident appears once per tie to one of them)."""
    starts = adj.indptr[idx]
    lengths = adj.indptr[idx + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=adj.indices.dtype)
    # positions of every tie of every resident in idx: the concatenated ranges [start, start + length)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    return adj.indices[offsets]


def neighbour_share(adj: sp.csr_matrix, degree: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Share of each resident's ties for which ``flag`` holds (0 for isolated residents)."""
    idx = np.flatnonzero(flag)
    if idx.size < SPARSE_SHARE * flag.size:
        # the network is symmetric: a resident's flagged ties are the flagged residents' ties to her
        counts = np.bincount(neighbours_of(adj, idx), minlength=flag.size).astype(np.float32)
        return counts / np.maximum(degree, 1)
    return (adj @ flag.astype(np.float32)) / np.maximum(degree, 1)


def tied_mean(adj: sp.csr_matrix, degree: np.ndarray, who: np.ndarray,
              values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The residents with a tie to one of ``who`` with a non-zero value (ascending), and the mean
    of ``values`` (one per resident, 0 outside ``who``) over each one's ties; everyone else's
    mean is 0."""
    values = values.astype(np.float32, copy=False)
    idx = who[values[who] != 0]
    n = values.size
    if idx.size < SPARSE_SHARE * n:
        if adj.has_sorted_indices:
            idx = sorted_unique(idx)  # a resident listed twice holds one value
        ties = neighbours_of(adj, idx)
        if adj.has_sorted_indices and idx.size and bool(np.all(values[idx] == values[idx[0]])):
            # one value for all of them (a project's supporters, the same news): a row's sum is that value
            # added once per tie to them, so only how many ties each row has to them is needed
            rows, counts = tie_counts(ties)
            return rows, repeated_sums(values[idx[0]], counts) / np.maximum(degree[rows], 1)
        if ties.size < SPARSE_SHARE * n:
            # only residents with a tie to a non-zero value get a non-zero mean: sum their ties to
            # ``idx`` only (the same sums, in the same order, as the product over the whole network)
            if adj.has_sorted_indices:
                rows, sums = tied_sums(adj, idx, ties, values)
            else:
                rows = np.unique(ties)
                sums = adj[rows] @ values
            return rows, sums / np.maximum(degree[rows], 1)
    # many are reached: one product over the whole network costs less than picking their rows
    return np.arange(n), (adj @ values) / np.maximum(degree, 1)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort (numpy 2's hashing ``unique`` is several times slower on a
    few thousand integers)."""
    ordered = np.sort(values)
    return ordered[run_starts(ordered)]


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values in ``ordered`` starts: True for an element unlike the one before it."""
    first = np.empty(ordered.size, dtype=bool)
    if ordered.size:
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def tie_counts(ties: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The residents among ``ties`` (ascending, unique) and how often each occurs."""
    ordered = np.sort(ties)
    starts = np.flatnonzero(run_starts(ordered))
    return ordered[starts], np.diff(starts, append=ordered.size)


def repeated_sums(value: np.float32, counts: np.ndarray) -> np.ndarray:
    """``value`` added to itself ``counts`` times, one term at a time in float32 as scipy's product adds a row's
    terms (from 0; the terms of residents without a value are 0 and add nothing), for every count >= 1.

    Not ``counts * value``: a running float32 sum rounds at every step and drifts from the product in the last
    bits once the count passes a few terms. ``np.cumsum`` of float32 adds one term at a time in float32.
    """
    if not counts.size:
        return np.zeros(0, dtype=np.float32)
    running = np.cumsum(np.full(int(counts.max()), value, dtype=np.float32))
    return running[counts - 1]


def tied_sums(adj: sp.csr_matrix, idx: np.ndarray, ties: np.ndarray,
              values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The residents tied to ``idx`` (ascending, unique) and ``adj[rows] @ values`` for them, to the
    last bit, for a symmetric 0/1 ``adj`` with sorted indices, float32 ``values`` that are zero
    outside ``idx``, and ``ties = neighbours_of(adj, idx)``.

    scipy's product adds a row's terms one by one in float32, in the order of its ties (ascending
    resident); zero terms add nothing (x + 0 == x). The network is symmetric, so row r's non-zero
    terms are the values of the residents of ``idx`` tied to r: ordered by r, and within r by the
    resident (``idx`` ascending and a stable sort keep that order), and added one term per row at
    a time, they give scipy's sums without copying any row. A row reached by a spill of news has
    one or two such terms, so the loop turns a few times.
    """
    lengths = adj.indptr[idx + 1] - adj.indptr[idx]
    order = np.argsort(ties, kind="stable")
    tied = ties[order]
    terms = np.repeat(values[idx], lengths)[order]
    first = run_starts(tied)  # each row's first term
    rows = tied[first]
    row_of = np.cumsum(first) - 1  # the position in ``rows`` of each term's row
    sums = np.zeros(rows.size, dtype=np.float32)
    while row_of.size:
        sums[row_of[first]] += terms[first]
        rest = ~first
        row_of, terms = row_of[rest], terms[rest]
        first = run_starts(row_of)  # each row's next term
    return rows, sums


def to_networkx(adj: sp.csr_matrix, nodes: np.ndarray | None = None):
    """networkx Graph of the whole network, or of the subgraph induced by ``nodes``."""
    import networkx as nx

    if nodes is not None:
        adj = adj[nodes][:, nodes]
    g = nx.from_scipy_sparse_array(adj)
    if nodes is not None:
        g = nx.relabel_nodes(g, dict(enumerate(np.asarray(nodes).tolist())))
    return g
