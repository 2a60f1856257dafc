"""Implementation under capacity, with delays.

Rule: adopted projects queue in order of adoption; each month the administration's free
hours go to the oldest projects first; a project is delivered when it has received its
staff hours and its minimum implementation time has passed. When capacity is short, delivery
lags promises.
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
