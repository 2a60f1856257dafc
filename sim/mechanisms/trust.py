"""Trust and efficacy follow responsiveness; habit follows satisfaction.

Rule: after a decision, each participant compares what happened (her own win or loss and
the share of input acted on) with what she was led to expect; a positive gap raises trust
and efficacy by a share of the distance to 1, a negative gap lowers them by a larger share
of their level (trust is lost faster than gained: Slovic 1993); a fair process earns a small
premium for winners and losers alike (procedural fairness; van Dijk & Lefevere 2023 on
panels whose advice is or is not followed). Non-participants get a weaker, indirect signal.
"""

from __future__ import annotations

import numpy as np


def responsiveness_signal(won: np.ndarray, acted_share: float, expected: float,
                          feedback: float, silence: float = 0.5) -> np.ndarray:
    """Signal in [-1, 1]: experienced responsiveness minus expectation.

    Without feedback, participants learn little of what became of their input and read the
    silence as being partly ignored: the signal shrinks toward -silence * expected
    (by default -expected / 2).
    """
    experienced = 0.5 * won.astype(float) + 0.5 * acted_share
    return feedback * (experienced - expected) + (1.0 - feedback) * (-silence * expected)


def asymmetric_update(level: np.ndarray, signal: np.ndarray, gain: float, loss: float) -> np.ndarray:
    """Move ``level`` up by gain*signal*(1-level) or down by loss*|signal|*level."""
    up = gain * np.maximum(signal, 0)
    up = up * (1.0 - level)
    down = loss * np.maximum(np.negative(signal), 0)
    down = down * level
    out = level + up
    if np.ndim(out) == 0:
        return np.clip(out - down, 0.0, 1.0)
    out -= down  # in place: a month's signals update up to a million residents
    return np.minimum(np.maximum(out, 0.0, out=out), 1.0, out=out)


def process_premium(level: np.ndarray, fairness: float, premium: float) -> np.ndarray:
    """Add a premium for a fair process, scaled by fairness in [0, 1]."""
    return np.clip(level + premium * fairness * (1.0 - level), 0.0, 1.0)


def revert(level: np.ndarray, baseline: np.ndarray, rate: float) -> np.ndarray:
    """Slow pull back to the initial level (memory fades)."""
    return level + rate * (baseline - level)


def update_habit(habit: np.ndarray, took_part: np.ndarray, satisfaction: np.ndarray, rate: float) -> np.ndarray:
    """Aspiration-based habit: taking part and being satisfied reinforce the propensity.

    habit <- (1 - rate) * habit + rate * took_part * (1 + satisfaction) / 2 (Bendor,
    Diermeier & Ting 2003; Fowler 2006): taking part is itself habit-forming, a satisfying
    experience doubly so. Satisfaction is in [0, 1].
    """
    return np.clip((1.0 - rate) * habit + rate * took_part * (1.0 + satisfaction) / 2.0, 0.0, 1.0)
