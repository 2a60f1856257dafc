"""Elections and council turnover.

Rule: every term a share of the council is replaced; newcomers bring the prior attitudes of
the council configuration, pulled toward those of the outgoing council as far as the
administration's continuity role carries the memory of what was agreed and achieved.
"""

from __future__ import annotations

import numpy as np


def is_election(month: int, first_election: int, term_months: int) -> bool:
    """Whether an election takes place at this month."""
    return month >= first_election and (month - first_election) % term_months == 0


def replaced_seats(n_seats: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of the seats that change hands."""
    n = round(share * n_seats)
    return np.sort(rng.choice(n_seats, size=n, replace=False)) if n else np.empty(0, dtype=int)


def newcomer_value(prior: float, outgoing_mean: float, continuity: float) -> float:
    """Attitude of a newcomer: the prior, pulled toward the outgoing mean by continuity."""
    return prior + continuity * (outgoing_mean - prior)


def restart_pause(restart_months: int, continuity: float) -> int:
    """Months participation pauses after an election (none with full continuity)."""
    return round(restart_months * (1.0 - continuity))
