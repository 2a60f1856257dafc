"""Screening by the administration and adoption by the council.

Rule: the administration lets a proposal through if its risk is below what its fear of
failure tolerates and its general-interest score clears a bar that its fear of
self-interest raises when turnout is unrepresentative; the council adopts each proposal it
receives with a probability set by the design's responsiveness, its trust in citizens and
its own fears; the preacher of realism caps the number adopted at what capacity can deliver.

Sources: organisational barriers and risk aversion (Voorberg, Bekkers & Tummers 2015);
the three fears and the four roles (seed report).
"""

from __future__ import annotations

import numpy as np

from sim.config import Authority

#: Weight of citizens' input that each level of the IAP2 spectrum stands for.
AUTHORITY_WEIGHT = {
    Authority.none: 0.0, Authority.inform: 0.1, Authority.consult: 0.4,
    Authority.involve: 0.6, Authority.collaborate: 0.8, Authority.empower: 1.0,
}


def screen(risk: np.ndarray, general_interest: np.ndarray, fear_failure: float,
           fear_self_interest: float, representativeness: float, trust_in_citizens: float = 0.5, *,
           risk_aversion: float = 0.8, general_interest_bar: float = 0.6) -> np.ndarray:
    """Mask of proposals that pass the administration's screening.

    Risk tolerance falls with fear of failure (by ``risk_aversion`` per unit at trust 0.5);
    trust in citizens softens that (civil servants who trust citizens accept more of their
    risk: Voorberg, Bekkers & Tummers 2015). The general-interest bar rises with fear of
    self-interest when turnout is unrepresentative, up to ``general_interest_bar``.
    """
    risk_tolerance = 1.0 - risk_aversion * fear_failure * (1.25 - 0.5 * trust_in_citizens)
    gi_bar = general_interest_bar * fear_self_interest * (1.0 - representativeness)
    return (risk <= risk_tolerance) & (general_interest >= gi_bar)


def council_openness(trust_in_citizens: float, fear_self_interest: float,
                     fear_losing_control: float, representativeness: float,
                     authority: Authority, *, base: float = 0.8, trust_weight: float = 0.4,
                     self_interest_weight: float = 0.4, control_weight: float = 0.3) -> float:
    """Council's willingness in [0, 1] to follow citizens' input.

    ``base`` at trust 0.5 without fears, plus ``trust_weight`` per unit of trust above 0.5,
    minus ``self_interest_weight`` times fear of self-interest times unrepresentativeness,
    minus ``control_weight`` times fear of losing control times the authority's weight.
    """
    w = AUTHORITY_WEIGHT[authority]
    value = (base + trust_weight * (trust_in_citizens - 0.5)
             - self_interest_weight * fear_self_interest * (1.0 - representativeness)
             - control_weight * fear_losing_control * w)
    return float(np.clip(value, 0.0, 1.0))


def adopt(candidates: np.ndarray, responsiveness: float, openness: float, capacity_cap: int | None,
          rng: np.random.Generator, priority: np.ndarray | None = None) -> np.ndarray:
    """Mask of adopted proposals among ``candidates`` (a mask).

    Each candidate is adopted with probability responsiveness * openness. ``capacity_cap``
    (from the realism role) keeps at most that many, in order of ``priority`` (highest first).
    """
    adopted = candidates & (rng.random(candidates.size) < responsiveness * openness)
    if capacity_cap is not None and adopted.sum() > capacity_cap:
        idx = np.flatnonzero(adopted)
        prio = priority[idx] if priority is not None else np.zeros(idx.size)
        keep = idx[np.argsort(-prio, kind="stable")[: max(capacity_cap, 0)]]
        adopted = np.zeros_like(adopted)
        adopted[keep] = True
    return adopted


def promised_share(authority: Authority, responsiveness: float, promise_inflation: float,
                   realism: float, feasible_share: float) -> float:
    """Share of input participants are led to expect will be acted on, in [0, 1].

    What is announced is the design's authority and responsiveness, inflated by
    over-promising; the preacher of realism pulls the announcement back to the truthful
    level, and no higher than what capacity can deliver ("input that leads to too little is
    experienced as negative by everyone").
    """
    truthful = AUTHORITY_WEIGHT[authority] * (0.5 + 0.5 * responsiveness)
    announced = truthful * (1.0 + promise_inflation)
    honest = min(truthful, feasible_share)
    return float(np.clip((1.0 - realism) * announced + realism * honest, 0.0, 1.0))
