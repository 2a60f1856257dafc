"""The council's own priorities: the local projects the municipality funds when residents do not choose them.

Rule: with the money left for local projects, the council funds projects of its own choosing,
one after another while the money lasts (what no project fits carries over to next year); each
lies in a neighbourhood drawn in proportion to its
residents (a council spreads its projects over the municipality as its voters live) and costs a
lognormal amount around the usual cost of such a project. This is the municipality deciding as
it does today (the "none" design), with the same money every design spends (docs/model.md 7.15).
"""

from __future__ import annotations

import numpy as np


def within(cost: np.ndarray, chosen: np.ndarray, order: np.ndarray, money: float) -> np.ndarray:
    """Mask of the ``chosen`` items that ``money`` pays for, taken in ``order`` (highest first) while it
    lasts; an item that no longer fits is skipped and cheaper ones after it may still fit."""
    keep = np.zeros(cost.size, dtype=bool)
    left = money
    for j in np.argsort(-np.asarray(order, dtype=float), kind="stable"):
        if chosen[j] and cost[j] <= left:
            keep[j] = True
            left -= cost[j]
    return keep


def council_projects(money: float, mean_cost: float, cost_log_sd: float, residents: np.ndarray,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(neighbourhood, cost) of the projects the council funds with ``money``.

    Candidate projects cost a lognormal amount with mean ``mean_cost`` and log-sd ``cost_log_sd`` (as
    residents' proposals) and lie in neighbourhoods drawn in proportion to ``residents`` (the residents
    per neighbourhood); the council takes them in the order drawn while the money lasts, skipping one
    that no longer fits, as residents' adopted proposals are paid (:func:`within`).
    """
    empty = np.empty(0, dtype=np.int16), np.empty(0)
    if money <= 0 or mean_cost <= 0 or residents.sum() <= 0:
        return empty
    # twice as many candidates as the money pays for on average, and a few more
    n = int(np.ceil(2 * money / mean_cost)) + 4
    cost = rng.lognormal(np.log(mean_cost) - cost_log_sd**2 / 2, cost_log_sd, n)
    where = rng.choice(residents.size, size=n, p=residents / residents.sum()).astype(np.int16)
    keep = within(cost, np.ones(n, dtype=bool), -np.arange(n), money)
    return where[keep], cost[keep]


def maintenance(initial_quality: np.ndarray, decay: float, project_quality_per_month: float) -> np.ndarray:
    """Monthly quality that regular services add per neighbourhood so that, with the council spending the
    project budget on its own priorities, each neighbourhood keeps its initial quality on average.

    Quality follows q' = q (1 - decay) + maintenance + projects; its steady state is the initial quality
    when maintenance = decay * q0 - the projects' expected monthly quality (never below 0).
    """
    return np.maximum(decay * initial_quality - project_quality_per_month, 0.0)
