"""Inform, then involve: awareness, fear of complexity and word of mouth.

Rule: a campaign reaches each resident with a monthly probability proportional to its
intensity; ties who take part pass the news on; those reached become aware and lose part of
their fear of complexity ("the remedy for fear of complexity is informing", seed report).
Awareness fades without news.
"""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms.numbers import clip


def reach_probability(campaign: float, information_reach: float, peer_share: np.ndarray,
                      word_of_mouth: float) -> np.ndarray:
    """Monthly probability that news of the process reaches each resident.

    Campaign and word of mouth are independent channels: 1 - (1-p_campaign)(1-p_peers),
    with p_peers = 1 - exp(-word_of_mouth * share of ties taking part).
    """
    p_campaign = clip(campaign * information_reach, 0.0, 1.0)
    # 1 - p_peers = 1 - (1 - exp(-word_of_mouth * share)), computed in place (a million residents)
    missed_by_peers = np.multiply(peer_share, -word_of_mouth)
    np.exp(missed_by_peers, out=missed_by_peers)
    np.subtract(1.0, missed_by_peers, out=missed_by_peers)  # p_peers
    np.subtract(1.0, missed_by_peers, out=missed_by_peers)
    reached = (1.0 - p_campaign) * missed_by_peers
    return np.subtract(1.0, reached, out=reached)


def update_awareness(awareness: np.ndarray, reached: np.ndarray, decay: float) -> np.ndarray:
    """Expected awareness after a month: reached residents close the gap, others fade."""
    # awareness + reached * (1 - awareness) - (1 - reached) * decay * awareness, in place
    out = 1.0 - awareness
    out *= reached
    out += awareness
    faded = 1.0 - reached
    faded *= decay
    faded *= awareness
    out -= faded
    return np.clip(out, 0.0, 1.0, out=out)


def fade_awareness(awareness: np.ndarray, decay: float) -> np.ndarray:
    """Awareness after a month in which news reaches nobody: :func:`update_awareness` with ``reached`` 0 for
    every resident, to the last bit, in four passes instead of nine (the months between the cycles of a design
    whose participants leave when its cycle closes, such as most of a citizens' panel's months)."""
    # update_awareness forms awareness + 0 * (1 - awareness) - (1 - 0) * decay * awareness: the first two terms
    # are awareness exactly, the last is decay * awareness rounded once in double precision (the reach is)
    faded = np.multiply(awareness, np.float64(decay))
    out = np.subtract(awareness, faded, out=faded).astype(awareness.dtype, copy=False)
    return np.clip(out, 0.0, 1.0, out=out)


def reduce_fear(fear: np.ndarray, reached: np.ndarray, effect: float) -> np.ndarray:
    """Fear after information: a share ``effect`` of the fear of those reached is removed."""
    kept = np.multiply(reached, effect)
    np.subtract(1.0, kept, out=kept)
    kept *= fear
    return np.clip(kept, 0.0, 1.0, out=kept)
