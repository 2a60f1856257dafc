"""How the fears of citizens, administration and council are learned.

Rules (seed report; Voorberg, Bekkers & Tummers 2015):
- fear of failure falls with projects delivered and rises with projects that fail
  (reopened or late): "no project is flawless; learn and improve next time";
- fear of self-interest moves toward the evidence: unrepresentative turnout and proposals
  for private interests raise it, representative turnout and general-interest proposals
  lower it;
- fear of complexity falls with each cycle run (learning by doing);
- citizens' fear of wasted effort rises when input is ignored and falls when it matters.
"""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms.numbers import clip


def learn_failure(fear: np.ndarray | float, successes: int, failures: int, rate: float, saturation: int = 5):
    """Fear of failure after a month's successes and failures.

    Fewer than ``saturation`` events in a month count proportionally less.
    """
    total = successes + failures
    if total == 0:
        return fear
    evidence = failures / total
    return clip(fear + rate * min(total, saturation) / saturation * (evidence - fear), 0.0, 1.0)


def self_interest_evidence(general_interest_share: float, representativeness: float) -> float:
    """Evidence in [0, 1] that input serves self-interest."""
    return 0.5 * (1.0 - general_interest_share) + 0.5 * (1.0 - representativeness)


def learn_toward(level: np.ndarray | float, evidence: float, rate: float):
    """Move a fear or a trust toward the evidence by ``rate``."""
    return clip(level + rate * (evidence - level), 0.0, 1.0)


def learn_by_doing(fear: np.ndarray | float, rate: float, share: float = 0.5):
    """Fear of complexity after one more cycle run: a share ``share * rate`` of it is lost."""
    return clip(fear * (1.0 - share * rate), 0.0, 1.0)


def citizens_wasted_effort(fear: np.ndarray, signal: np.ndarray | float, rate: float) -> np.ndarray:
    """Citizens' fear after a responsiveness signal: ignored input raises it, heard input lowers it."""
    return np.clip(fear + rate * np.clip(-signal, 0, None) * (1 - fear)
                   - rate * np.clip(signal, 0, None) * fear, 0.0, 1.0)


def remember(fear: np.ndarray, initial: np.ndarray, rate: float) -> np.ndarray:
    """Fear after a month without news: a share ``rate`` of the way back to the resident's initial fear.

    What information took away returns as it is forgotten, and fear raised by a failure fades the
    same way: no news leaves fear where it started, not at zero (no ratchet in either direction).
    """
    if not rate:
        return fear
    out = initial - fear
    out *= rate
    out += fear
    return out
