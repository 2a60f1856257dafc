"""Reopening of decisions already taken.

Rule: each month every adopted, not yet delivered decision is reopened by the council with a
probability that the design allows per year, lowered by the guardian of the framework and by
the council's commitment to it; a reopened decision is dropped ("we avoid coming back on
earlier decisions", seed report).
"""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms.numbers import clip


def monthly_reopen_probability(per_year: float, guardian: float, commitment: float, *,
                               guardian_effect: float = 0.8, commitment_effect: float = 0.5) -> float:
    """Monthly reopening probability of one open decision.

    The guardian role removes up to ``guardian_effect`` and the council's commitment up to
    ``commitment_effect`` of the yearly probability.
    """
    yearly = per_year * (1.0 - guardian_effect * guardian) * (1.0 - commitment_effect * commitment)
    return float(1.0 - (1.0 - clip(yearly, 0.0, 1.0)) ** (1.0 / 12.0))


def reopen(n_open: int, probability: float, rng: np.random.Generator) -> np.ndarray:
    """Mask of the open decisions reopened this month."""
    return rng.random(n_open) < probability
