"""Implementation under capacity, with delays, cost overruns and projects never carried out.

Rule: adopted projects queue in order of adoption; each month the administration's free
hours go to the oldest projects first; a project is delivered when it has received its
staff hours and its minimum implementation time and its own delay have passed. When capacity
is short, delivery lags promises. Some projects cost more than estimated (in money and in
hours), and a few are never carried out: attrition happens in implementation, as in the
published rounds (docs/evidence/mechanisms.md 4c), not at the vote.
"""

from __future__ import annotations

import numpy as np


def allocate_hours(remaining: np.ndarray, available: float) -> np.ndarray:
    """Hours given to each queued project this month (first come, first served)."""
    if remaining.size == 0 or available <= 0:
        return np.zeros_like(remaining)
    cum = np.cumsum(remaining)
    before = cum - remaining
    return np.clip(available - before, 0.0, remaining)


def delivered(remaining: np.ndarray, ready_month: np.ndarray, month: int) -> np.ndarray:
    """Mask of projects whose hours are done and whose minimum duration has passed."""
    return (remaining <= 1e-9) & (ready_month <= month)


def delays(n: int, mean_months: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole months of delay of ``n`` adopted projects beyond their planned implementation time.

    Exponential with mean ``mean_months`` (rounded down to whole months): most projects are a
    little late, a few very late, as in the published rounds (Madrid 2016: 17.9 % of the winners
    done by January 2018; Aarau 2023: 14 of 17 delivered). No draw is made when ``mean_months``
    is 0, so that a run without delays consumes no random numbers for them. ``mean_months`` may
    give one mean per project (residents monitoring a project shorten its delays).
    """
    if n == 0 or np.all(np.asarray(mean_months) <= 0):
        return np.zeros(n, dtype=np.int64)
    return np.floor(rng.exponential(mean_months, n)).astype(np.int64)


def overruns(n: int, mean: float, log_sd: float, rng: np.random.Generator) -> np.ndarray:
    """Cost-overrun factors of ``n`` adopted projects: lognormal with mean ``1 + mean`` and log-sd ``log_sd``.

    Most projects end near the mean overrun, a few far above it and some below their estimate
    (overruns are fat-tailed: Flyvbjerg et al. 2018). No draw is made when both are 0.
    """
    if n == 0 or (mean <= 0 and log_sd <= 0):
        return np.ones(n)
    return rng.lognormal(np.log1p(mean) - log_sd**2 / 2, log_sd, n)


def never_carried_out(n: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Mask of the ``n`` adopted projects that will be dropped in implementation (chance ``share`` each).

    No draw is made when ``share`` is 0.
    """
    if n == 0 or share <= 0:
        return np.zeros(n, dtype=bool)
    return rng.random(n) < share
