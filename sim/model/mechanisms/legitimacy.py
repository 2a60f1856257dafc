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


def input_legitimacy(efficacy_mean: float, reach_value: float, representativeness: float,
                     weight_efficacy: float = 0.5) -> float:
    """Input legitimacy in [0, 1]: w * efficacy + (1 - w) * reach * representativeness."""
    value = weight_efficacy * efficacy_mean + (1.0 - weight_efficacy) * reach_value * representativeness
    return float(np.clip(value, 0.0, 1.0))


def throughput_legitimacy(transparency: float, stability: float, fairness: float,
                          weights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> float:
    """Throughput legitimacy in [0, 1]: weighted mean of its three components (weights normalised)."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    value = (weights[0] * transparency + weights[1] * stability + weights[2] * fairness) / total
    return float(np.clip(value, 0.0, 1.0))


def output_legitimacy(promise_kept: float, service_quality: float, weight_promise: float = 0.5) -> float:
    """Output legitimacy in [0, 1]: w * promises kept + (1 - w) * service quality."""
    return float(np.clip(weight_promise * promise_kept + (1.0 - weight_promise) * service_quality, 0.0, 1.0))


def process_fairness(representativeness: float, facilitation: float, weight_representation: float,
                     equal_shares: bool, equal_shares_bonus: float) -> float:
    """Perceived fairness of a process in [0, 1]: who took part and how they were supported,
    plus a bonus where a citizens' budget is allocated by equal shares (Hänggli Fricker et al. 2024:
    perceived as fairer than greedy)."""
    value = weight_representation * representativeness + (1.0 - weight_representation) * facilitation
    return float(np.clip(value + (equal_shares_bonus if equal_shares else 0.0), 0.0, 1.0))


def combine(input_part: float, throughput: float, output_part: float, spillover: float,
            aggregation: str = "geometric") -> tuple[float, float, float]:
    """(input, output, overall) after the throughput spill-over.

    Overall is the geometric mean of the three parts (``aggregation="geometric"``), their
    arithmetic mean (``"arithmetic"``) or the weakest of them (``"minimum"``); see
    :class:`sim.config.schema.Aggregation` for the reasons behind each.
    """
    drag = 1.0 - spillover * (1.0 - throughput)
    i, o = input_part * drag, output_part * drag
    parts = (max(i, 0.0), max(throughput, 0.0), max(o, 0.0))
    if aggregation == "geometric":
        overall = float(np.cbrt(parts[0] * parts[1] * parts[2]))
    elif aggregation == "arithmetic":
        overall = float(sum(parts) / 3.0)
    elif aggregation == "minimum":
        overall = float(min(parts))
    else:
        raise ValueError(f"aggregation={aggregation!r}: allowed geometric, arithmetic, minimum")
    return i, o, overall
