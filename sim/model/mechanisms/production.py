"""Co-production of service quality (Ostrom 1996).

Rule: quality in each neighbourhood decays and is maintained by regular professional
services; delivered projects add quality in proportion to their cost per resident; where
residents co-produce, citizen input C and professional input P combine as
P + complementarity * sqrt(P * C), so citizens' effort adds most where professionals match
it and nothing where they cannot (the two are complements, not substitutes).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def coproduced_output(professional: np.ndarray, citizen: np.ndarray, complementarity: float) -> np.ndarray:
    """Output of professional and citizen inputs (both >= 0, same units)."""
    return professional + complementarity * np.sqrt(np.maximum(professional, 0) * np.maximum(citizen, 0))


def update_quality(quality: np.ndarray, decay: float, maintenance: np.ndarray | float, added: np.ndarray) -> np.ndarray:
    """Quality per neighbourhood after a month, kept in [0, 1]."""
    return np.clip(quality * (1.0 - decay) + maintenance + added, 0.0, 1.0)


def equity(values: np.ndarray, weights: np.ndarray) -> float:
    """1 - population-weighted Gini coefficient of neighbourhood values (1 = equal)."""
    w = np.asarray(weights, dtype=float)
    v = np.asarray(values, dtype=float)
    if v.size < 2 or w.sum() <= 0 or v.max() <= 0:
        return 1.0
    mean = np.average(v, weights=w)
    diff = np.abs(v[:, None] - v[None, :])
    gini = (w[:, None] * w[None, :] * diff).sum() / (2 * w.sum() ** 2 * mean)
    return float(np.clip(1.0 - gini, 0.0, 1.0))


def coproduction_probability(efficacy: np.ndarray, older: np.ndarray, need: np.ndarray, engaged: np.ndarray,
                             *, base: float, w_efficacy: float, w_older: float, w_need: float,
                             w_engaged: float, woman: np.ndarray | float = 0.0, w_woman: float = 0.0) -> np.ndarray:
    """Monthly probability that a resident who knows of the process co-produces, in (0, 1).

    A logit apart from the decision to take part: self-efficacy, being 65 or older, poor local
    services (``need`` = 1 - quality) and taking part in the current cycle raise it (Parrado,
    Van Ryzin, Bovaird & Löffler 2013, five European countries: women and older citizens
    co-produce more, self-efficacy matters most, good performance discourages co-production,
    consultation encourages it).
    """
    return expit(base + w_efficacy * efficacy + w_older * older + w_need * need + w_engaged * engaged
                 + w_woman * woman)
