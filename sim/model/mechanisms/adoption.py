"""Screening by the administration and adoption by the council.

Rule: the administration lets a proposal through if its risk is below what its fear of
failure tolerates and its general-interest score clears a bar that its fear of
self-interest raises when turnout is unrepresentative. The design's authority decides who
decides (IAP2; Arnstein 1969; Fung 2006): a share of the citizens' decisions binds the council
(``binding_share``; all of them at empower, where the council ratifies and vetoes only on legal
or feasibility grounds), the rest is advice that the council follows with a probability set by
the design's responsiveness, its trust in citizens and its own fears; the preacher of realism
caps the advice the council takes up at what capacity can deliver (binding decisions are
adopted whatever the capacity: what fails then is delivery, see ``sim.model.processes.projects``).

Sources: organisational barriers and risk aversion (Voorberg, Bekkers & Tummers 2015);
the three fears and the four roles (seed report); the authority levels (IAP2 spectrum,
docs/evidence/mechanisms.md 3).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from sim.config.schema import Authority, CouncilConfig
from sim.model.mechanisms.numbers import clip


def binding_share(authority: Authority, council: CouncilConfig) -> float:
    """Share of citizens' decisions that bind the council at this authority level (``council.binding_*``).

    Without participation (``none``) nothing is decided by citizens (0).
    """
    if authority is Authority.none:
        return 0.0
    return float(getattr(council, f"binding_{authority.name}"))


def screen(risk: np.ndarray, general_interest: np.ndarray, fear_failure: float,
           fear_self_interest: float, representativeness: float, trust_in_citizens: float = 0.5, *,
           risk_aversion: float = 0.8, general_interest_bar: float = 0.6,
           within_rules: np.ndarray | None = None) -> np.ndarray:
    """Mask of proposals that pass the administration's screening.

    ``within_rules`` (a mask; default all) marks the proposals within the rules of the call and
    the municipality's competence: the eligibility and cost checks every published round
    applies first (Geel 2022 put 11 of 26 ideas to the vote).

    Risk tolerance falls with fear of failure (by ``risk_aversion`` per unit at trust 0.5);
    trust in citizens softens that (civil servants who trust citizens accept more of their
    risk: Voorberg, Bekkers & Tummers 2015). The general-interest bar rises with fear of
    self-interest when turnout is unrepresentative, up to ``general_interest_bar``.
    """
    risk_tolerance = 1.0 - risk_aversion * fear_failure * (1.25 - 0.5 * trust_in_citizens)
    gi_bar = general_interest_bar * fear_self_interest * (1.0 - representativeness)
    passed = (risk <= risk_tolerance) & (general_interest >= gi_bar)
    return passed if within_rules is None else passed & within_rules


def council_openness(trust_in_citizens: np.ndarray | float, fear_self_interest: np.ndarray | float,
                     fear_losing_control: np.ndarray | float, representativeness: float,
                     binding: float, *, base: float = 0.8, trust_weight: float = 0.4,
                     self_interest_weight: float = 0.4, control_weight: float = 0.3) -> np.ndarray | float:
    """Willingness in [0, 1] of a council member (or, given arrays, of each member) to follow
    citizens' advice.

    ``base`` at trust 0.5 without fears, plus ``trust_weight`` per unit of trust above 0.5,
    minus ``self_interest_weight`` times fear of self-interest times unrepresentativeness,
    minus ``control_weight`` times fear of losing control times the share of decisions the
    design makes binding (the more it hands over, the more a council afraid of losing control
    resists the rest).
    """
    w = binding
    value = (base + trust_weight * (trust_in_citizens - 0.5)
             - self_interest_weight * fear_self_interest * (1.0 - representativeness)
             - control_weight * fear_losing_control * w)
    out = np.clip(value, 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out


def council_vote(n_candidates: int, yes_probability: np.ndarray | float, cohesion: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Mask of the candidates a simple majority of the council votes for.

    Member i votes yes on candidate j with her own probability p_i (responsiveness times her
    openness). Votes are correlated through a shared shock per candidate (a Gaussian copula):
    yes_ij = [Phi(sqrt(c) z_j + sqrt(1 - c) e_ij) < p_i], c = ``cohesion``. With cohesion 1 the
    members vote as a bloc and a candidate passes with the median member's probability; with 0
    they vote independently, and the majority passes almost every candidate with p above 1/2
    and almost none below. A candidate passes with more than half the votes.
    """
    members = np.asarray(yes_probability, dtype=float)
    if n_candidates == 0 or members.size == 0:
        return np.zeros(n_candidates, dtype=bool)
    shared = rng.standard_normal(n_candidates)
    own = rng.standard_normal((members.size, n_candidates))
    u = ndtr(np.sqrt(cohesion) * shared[None, :] + np.sqrt(1.0 - cohesion) * own)
    yes = u < members[:, None]
    return yes.sum(axis=0) * 2 > members.size


def adopt(candidates: np.ndarray, binding: float, veto: float, advice: float | np.ndarray,
          capacity_cap: int | None, rng: np.random.Generator, priority: np.ndarray | None = None) -> np.ndarray:
    """Mask of adopted proposals among ``candidates`` (a mask).

    Each candidate is a binding decision with probability ``binding`` (adopted unless vetoed,
    probability ``veto``) and otherwise advice, adopted with probability ``advice`` or, given a
    mask, where the council's vote passed it (``council_vote``). ``capacity_cap`` (from the realism role)
    keeps at most that many adoptions in all, by dropping advice in order of ``priority``
    (lowest first); binding decisions are never dropped for capacity.
    """
    draw_binding, draw_adopt = rng.random(candidates.size), rng.random(candidates.size)
    bound = candidates & (draw_binding < binding)
    adopted_bound = bound & (draw_adopt >= veto)
    taken = advice if isinstance(advice, np.ndarray) else draw_adopt < advice
    advice = candidates & ~bound & taken
    if capacity_cap is not None:
        room = max(capacity_cap - int(adopted_bound.sum()), 0)
        if advice.sum() > room:
            idx = np.flatnonzero(advice)
            prio = priority[idx] if priority is not None else np.zeros(idx.size)
            keep = idx[np.argsort(-prio, kind="stable")[:room]]
            advice = np.zeros_like(advice)
            advice[keep] = True
    return adopted_bound | advice


def promised_share(binding: float, responsiveness: float, promise_inflation: float,
                   realism: float, feasible_share: float) -> float:
    """Share of what is up for decision that participants are led to expect done, in [0, 1].

    What the design commits to is its binding share plus the responsiveness it promises for
    the rest (IAP2: the promise to the public of each level); over-promising inflates it. The
    preacher of realism pulls the announcement back to the truthful level, and no higher than
    what budget and capacity can deliver (``feasible_share``; "input that leads to too little is
    experienced as negative by everyone", seed report).
    """
    truthful = binding + (1.0 - binding) * responsiveness
    announced = truthful * (1.0 + promise_inflation)
    honest = min(truthful, feasible_share)
    return float(clip((1.0 - realism) * announced + realism * honest, 0.0, 1.0))
