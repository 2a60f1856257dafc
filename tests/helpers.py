"""Small helpers shared by several test modules (fixtures stay in the module that uses them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: The repository's root (tests live at several depths below it).
REPO = Path(__file__).resolve().parent.parent


def arr(*values: float) -> np.ndarray:
    """A float array of the given values (shorthand for hand-written cases)."""
    return np.array(values, dtype=float)
