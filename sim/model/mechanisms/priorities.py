"""The council's own priorities: the local projects the municipality funds when residents do not choose them.

Rule: with the money left for local projects, the council funds projects of its own choosing,
one after another while the money lasts; each lies in a neighbourhood drawn in proportion to its
residents (a council spreads its projects over the municipality as its voters live) and costs a
lognormal amount around the usual cost of such a project. This is the municipality deciding as
it does today (the "none" design), with the same money every design spends (docs/model.md 7.15).
"""

from __future__ import annotations

import numpy as np


def council_projects(money: float, mean_cost: float, cost_log_sd: float, residents: np.ndarray,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(neighbourhood, cost) of the projects the council funds with ``money``.

    Costs are lognormal with mean ``mean_cost`` and log-sd ``cost_log_sd`` (as residents' proposals);
    projects are taken in the order drawn while their total stays within ``money`` (the first one
    that does not fit ends the list: what is left stays unspent this year). ``residents`` holds the
    residents per neighbourhood.
    """
    empty = np.empty(0, dtype=np.int16), np.empty(0)
    if money <= 0 or mean_cost <= 0 or residents.sum() <= 0:
        return empty
    # enough draws that their total surely exceeds the money (each costs mean_cost on average)
    n = int(np.ceil(2 * money / mean_cost)) + 2
    cost = rng.lognormal(np.log(mean_cost) - cost_log_sd**2 / 2, cost_log_sd, n)
    fits = int(np.searchsorted(np.cumsum(cost), money, side="right"))
    where = rng.choice(residents.size, size=fits, p=residents / residents.sum()).astype(np.int16)
    return where, cost[:fits]


def maintenance(initial_quality: np.ndarray, decay: float, project_quality_per_month: float) -> np.ndarray:
    """Monthly quality that regular services add per neighbourhood so that, with the council spending the
    project budget on its own priorities, each neighbourhood keeps its initial quality on average.

    Quality follows q' = q (1 - decay) + maintenance + projects; its steady state is the initial quality
    when maintenance = decay * q0 - the projects' expected monthly quality (never below 0).
    """
    return np.maximum(decay * initial_quality - project_quality_per_month, 0.0)
