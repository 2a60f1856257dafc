"""Arithmetic the mechanisms share."""

from __future__ import annotations

from typing import Any

import numpy as np


def clip(x: Any, lo: float | None, hi: float | None) -> Any:
    """``np.clip(x, lo, hi)``, with the same value and type, quicker for a single float.

    The civil servants' and council members' learning (:mod:`sim.model.mechanisms.fears`), a month's campaign
    and a few other rules clip one number at a time, about two thousand times in a calibration particle, and
    numpy's ``clip`` of a Python float costs about 5 us (it is made an array first). For a ``float`` (or
    ``np.float64``) this compares in Python as numpy's ufuncs do, down to the sign of a zero and a NaN that
    stays NaN (tests/model/mechanisms/test_numbers.py compares them on every edge case), and returns an
    ``np.float64`` as ``np.clip`` does; anything else (arrays, float32, integers) goes to ``np.clip``.
    """
    if not isinstance(x, float):
        return np.clip(x, lo, hi)
    if x != x:  # NaN passes through
        return np.float64(x)
    if lo is not None and hi is not None:  # numpy's clip: min(max(x, lo), hi), an equal bound keeps x
        y = lo if lo > x else x
        return np.float64(hi if hi < y else y)
    if hi is None:  # np.maximum(x, lo): lo when they are equal (0.0 for -0.0)
        return np.float64(x if lo is None or x > lo else lo)
    return np.float64(x if x < hi else hi)  # np.minimum(x, hi)
