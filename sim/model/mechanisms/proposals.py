"""Proposals: who submits, what they serve, what they cost.

Rule: each participant of the ideas phase submits a proposal with a fixed probability,
more likely with more civic skills; a proposal serves the general interest as much as its
author is oriented to it, shifted up by framing. Framing grows with each cycle of a
*permanent* process and with facilitation ("giving participation a permanent role frames the
general interest and goes beyond ad hoc nice ideas", seed report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model.mechanisms.numbers import clip


@dataclass
class Proposals:
    """Proposals of one cycle, as arrays (one entry per proposal)."""

    author: np.ndarray  # int64, resident index
    neighbourhood: np.ndarray  # int16
    general_interest: np.ndarray  # float [0, 1]
    cost: np.ndarray  # float EUR
    risk: np.ndarray  # float [0, 1], chance of trouble in implementation
    # int16, theme index; -1 where proposals carry no theme (design.themes = 0); none given: no themes
    theme: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int16))
    # float, appeal to every voter beyond place and general interest; none given: no valence
    valence: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __post_init__(self) -> None:
        if self.theme.size == 0 and self.author.size:
            self.theme = np.full(self.author.size, -1, dtype=np.int16)
        if self.valence.size == 0 and self.author.size:
            self.valence = np.zeros(self.author.size)

    @property
    def size(self) -> int:
        """Number of proposals."""
        return self.author.size


def framing(permanent: bool, cycles_done: int, facilitation: float, *, permanence_weight: float = 0.5,
            facilitation_weight: float = 0.3, time_scale: float = 2.0) -> float:
    """Strength in [0, 1] with which the process frames the general interest.

    A permanent process approaches ``permanence_weight`` with a time scale of ``time_scale``
    cycles; facilitation adds ``facilitation_weight`` per unit.
    """
    structural = (1.0 - np.exp(-cycles_done / time_scale)) if permanent else 0.0
    return float(clip(permanence_weight * structural + facilitation_weight * facilitation, 0.0, 1.0))


def submit(participants: np.ndarray, civic_skills: np.ndarray, orientation: np.ndarray,
           neighbourhood: np.ndarray, rate: float, frame: float, mean_cost: float,
           rng: np.random.Generator, *, framing_strength: float = 0.6, noise: float = 0.05,
           cost_log_sd: float = 0.6, risk_a: float = 2.0, risk_b: float = 5.0, themes: int = 0,
           valence_sd: float = 0.0) -> Proposals:
    """Draw the cycle's proposals from its participants (indices).

    A proposal's general-interest score is its author's orientation g moved by
    ``frame * framing_strength`` of the way to 1, plus Normal(0, ``noise``); its cost is
    lognormal with mean ``mean_cost`` and log-sd ``cost_log_sd``; its risk is Beta(``risk_a``,
    ``risk_b``); with ``themes`` > 0 its theme is drawn uniformly among them (no published
    distribution of proposals over themes was found); its valence, its appeal to every voter
    beyond place and general interest, is Normal(0, ``valence_sd``) (estimated from pabulib rounds:
    docs/pabulib_valence.md).
    """
    if participants.size == 0 or rate <= 0:
        empty = np.empty(0)
        return Proposals(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int16), empty, empty, empty,
                         np.empty(0, dtype=np.int16), empty)
    # Civic skills make writing a proposal likelier; normalised so that ``rate`` is the mean
    # number of proposals per participant.
    skills = civic_skills[participants]
    p_submit = np.clip(rate * skills / max(float(skills.mean()), 1e-9), 0.0, 1.0)
    authors = participants[rng.random(participants.size) < p_submit]
    g = orientation[authors]
    g = np.clip(g + frame * (1.0 - g) * framing_strength + rng.normal(0.0, noise, authors.size), 0.0, 1.0)
    # Lognormal costs with the given mean (default sigma 0.6: most projects small, some large).
    sigma = cost_log_sd
    cost = rng.lognormal(np.log(mean_cost) - sigma**2 / 2, sigma, authors.size)
    risk = rng.beta(risk_a, risk_b, authors.size)
    theme = (rng.integers(0, themes, authors.size) if themes > 0 else np.full(authors.size, -1)).astype(np.int16)
    valence = rng.normal(0.0, valence_sd, authors.size) if valence_sd > 0 else np.zeros(authors.size)
    return Proposals(authors, neighbourhood[authors], g, cost, risk, theme, valence)


def general_interest_share(proposals: Proposals) -> float:
    """Share of proposals that serve the general interest more than their authors' own (g > 0.5)."""
    return float((proposals.general_interest > 0.5).mean()) if proposals.size else 0.0
