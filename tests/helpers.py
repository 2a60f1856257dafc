"""Small helpers shared by several test modules (fixtures stay in the module that uses them)."""

from __future__ import annotations

import numpy as np


def arr(*values: float) -> np.ndarray:
    """A float array of the given values (shorthand for hand-written cases)."""
    return np.array(values, dtype=float)
