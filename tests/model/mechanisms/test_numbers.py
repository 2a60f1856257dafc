"""Tests of sim/model/mechanisms/numbers.py: clip gives np.clip's value and type."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.model.mechanisms.numbers import clip

EDGES = [-0.0, 0.0, float("nan"), float("inf"), -float("inf"), 0.5, -1.0, 2.0, 1.0, 5e-324, -5e-324, 1 - 2**-53,
         0.25, np.float64(0.3), np.float64(-0.0), np.float64("nan")]
BOUNDS = [0.0, -0.0, 1.0, None, 0, 1, 0.25, -1.0, float("inf"), -float("inf")]


def same(a, b) -> bool:
    """Equal values of the same type, with the same sign of zero; NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    return bool(np.isnan(a) and np.isnan(b)) or bool(a == b and np.signbit(a) == np.signbit(b))


def test_a_float_clips_as_numpy_does_on_every_edge():
    """Every number of EDGES between every two BOUNDS (one may be None; the lower above the upper too): the
    value, the sign of a zero, NaN and the type (np.float64) of np.clip."""
    cases = 0
    for x, (lo, hi) in itertools.product(EDGES, itertools.product(BOUNDS, BOUNDS)):
        if lo is None and hi is None:
            continue
        cases += 1
        assert same(clip(x, lo, hi), np.clip(x, lo, hi)), (x, lo, hi)
    assert cases > 1500


def test_random_floats_clip_as_numpy_does():
    rng = np.random.default_rng(0)
    for x in (rng.random(2_000) * 3 - 1).tolist():
        assert same(clip(x, 0.0, 1.0), np.clip(x, 0.0, 1.0))


@pytest.mark.parametrize("x", [np.array([-0.5, 0.5, 1.5]), np.float32(1.5), np.array(2.0), 3])
def test_anything_else_is_numpys_clip(x):
    got, want = clip(x, 0.0, 1.0), np.clip(x, 0.0, 1.0)
    assert type(got) is type(want)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).dtype == np.asarray(want).dtype
