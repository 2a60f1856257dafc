"""The three parts of legitimacy (Scharpf 1999; Schmidt 2013).

- input: how many and how representative: the reach of the process and the
  representativeness of its participants, with citizens' belief that input matters;
- throughput: transparency (feedback, progress reports), stability (decisions not
  reopened) and fairness (representative selection, facilitation) of the process;
- output: what is delivered against what was promised, and the quality of services.
A poor process drags the other two down (Schmidt 2013): input and output are scaled by
1 - spillover * (1 - throughput). Overall legitimacy is the geometric mean of the three,
so that no part can make up for another that is missing.
"""

from __future__ import annotations

import numpy as np


def reach(turnout_eligible: float, reference: float) -> float:
    """Reach of a process in [0, 1): 1 - exp(-turnout / reference)."""
    return float(1.0 - np.exp(-turnout_eligible / reference))


def input_legitimacy(efficacy_mean: float, reach_value: float, representativeness: float) -> float:
    """Input legitimacy in [0, 1]."""
    return float(np.clip(0.5 * efficacy_mean + 0.5 * reach_value * representativeness, 0.0, 1.0))


def throughput_legitimacy(transparency: float, stability: float, fairness: float) -> float:
    """Throughput legitimacy in [0, 1]: mean of its three components."""
    return float(np.clip((transparency + stability + fairness) / 3.0, 0.0, 1.0))


def output_legitimacy(promise_kept: float, service_quality: float) -> float:
    """Output legitimacy in [0, 1]."""
    return float(np.clip(0.5 * promise_kept + 0.5 * service_quality, 0.0, 1.0))


def combine(input_part: float, throughput: float, output_part: float, spillover: float) -> tuple[float, float, float]:
    """(input, output, overall) after the throughput spill-over; overall is the geometric mean."""
    drag = 1.0 - spillover * (1.0 - throughput)
    i, o = input_part * drag, output_part * drag
    overall = float(np.cbrt(max(i, 0.0) * max(throughput, 0.0) * max(o, 0.0)))
    return i, o, overall
