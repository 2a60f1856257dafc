"""Who takes part: the monthly participation decision and selection by lot.

Rule (one sentence): a resident who is aware of the process takes part in a month with a
logistic probability that rises with resources, engagement, being asked, habit and the
novelty of a new process, and falls with fear, fatigue and the design's complexity; a channel
she cannot use rules her out.

Sources: resources, engagement and recruitment (Verba, Schlozman & Brady 1995); habit as
aspiration-based reinforcement (Bendor, Diermeier & Ting 2003; Fowler 2006); fear of
complexity and of wasted effort (seed report); novelty and fatigue (docs/evidence/mechanisms.md
5b, 5c: turnout of participatory budgets rises over the first editions and then plateaus or
falls, "the euphoria is behind us"; fatigue grows where taking part brings little). Awareness
enters as a probability of knowing about the process (a precondition, not a weight).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from sim.config import Channel


def resources(time_available: np.ndarray, civic_skills: np.ndarray) -> np.ndarray:
    """Resources for taking part in [0, 1]: mean of time and civic skills (VSB 1995)."""
    return 0.5 * (time_available + civic_skills)


def engagement(interest: np.ndarray, efficacy: np.ndarray, trust: np.ndarray) -> np.ndarray:
    """Psychological engagement in [0, 1]: interest, external efficacy and trust."""
    return 0.4 * interest + 0.4 * efficacy + 0.2 * trust


def channel_access(channel: Channel, online: np.ndarray, age: np.ndarray,
                   time_available: np.ndarray, *, offline_base: float = 0.55, offline_time: float = 0.45,
                   offline_80plus_penalty: float = 0.2) -> np.ndarray:
    """Probability the design's channel fits the resident.

    Online only: needs internet access. Offline only (meetings, postcards): open to all but
    costs a trip, harder for those with little time and the very old:
    ``offline_base + offline_time * time - offline_80plus_penalty * [age >= 80]``, clipped.
    Hybrid: the better of the two.
    """
    online_fit = online.astype(float)
    offline_fit = np.clip(offline_base + offline_time * time_available - offline_80plus_penalty * (age >= 80),
                          0.0, 1.0)
    if channel is Channel.online:
        return online_fit
    if channel is Channel.offline:
        return offline_fit
    return np.maximum(online_fit, offline_fit)


def participation_probability(
    awareness: np.ndarray, channel_fit: np.ndarray, resources: np.ndarray,
    engagement: np.ndarray, recruitment: np.ndarray, fear: np.ndarray, habit: np.ndarray,
    *, complexity: float, facilitation: float, promise: float, base: float,
    w_resources: float, w_engagement: float, w_recruitment: float, w_fear: float,
    w_complexity: float, w_habit: float, w_promise: float, facilitation_relief: float = 0.5,
    novelty: float = 0.0, w_novelty: float = 0.0, fatigue: np.ndarray | float = 0.0, w_fatigue: float = 0.0,
) -> np.ndarray:
    """Monthly probability of taking part, in [0, 1].

    The design's complexity raises the cost directly and by amplifying fear; full facilitation
    removes a share ``facilitation_relief`` of that cost (by default half: support makes a
    demanding design feasible). The announced impact (``promise``, the expected share of
    input acted on) raises the benefit, as does the ``novelty`` of a new process; ``fatigue``
    adds to the cost.
    """
    cost = (w_complexity * complexity + w_fear * fear * (0.5 + complexity)) * (1 - facilitation_relief * facilitation)
    utility = (base + w_resources * resources + w_engagement * engagement
               + w_recruitment * recruitment + w_habit * habit + w_promise * promise
               + w_novelty * novelty - w_fatigue * fatigue - cost)
    return awareness * channel_fit * expit(utility)


def novelty(editions_done: int, decay: float) -> float:
    """Novelty of a process in [0, 1] after ``editions_done`` completed cycles: (1 - decay) ** editions.

    A new process is news and draws those who try anything once; the attention fades with each
    edition (no published decay constant: docs/evidence/mechanisms.md 5b).
    """
    return float((1.0 - decay) ** max(editions_done, 0))


def update_fatigue(fatigue: np.ndarray, took_part: np.ndarray, satisfaction: np.ndarray, rate: float,
                   relief: float, recovery: float) -> np.ndarray:
    """Fatigue after a cycle's decision: the burden of taking part again and again.

    Everyone recovers a share ``recovery``; those who took part add ``rate`` times the distance to 1,
    less a share ``relief`` of it for a satisfying experience ("no-one complains of fatigue if the
    consultation is a good one": docs/evidence/mechanisms.md 5c):

        fatigue <- (1 - recovery) * fatigue + rate * took_part * (1 - relief * satisfaction) * (1 - fatigue)
    """
    rested = (1.0 - recovery) * fatigue
    return np.clip(rested + rate * took_part * (1.0 - relief * satisfaction) * (1.0 - rested), 0.0, 1.0)


def decide(probability: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bernoulli draw per resident."""
    return rng.random(probability.size) < probability


def draw_panel(strata: np.ndarray, eligible: np.ndarray, accept: np.ndarray, size: int,
               rng: np.random.Generator, rounds: int = 5, invitations_per_seat: int = 3) -> np.ndarray:
    """Indices of a panel drawn by stratified lot (sortition), with replacement draws.

    Seats are allocated to strata in proportion to their share of the eligible population
    (largest remainders); in each stratum ``invitations_per_seat`` invitations per open seat go
    out at random, each invitee accepts with her own probability ``accept``, and unfilled seats are re-drawn from the
    same stratum for up to ``rounds`` rounds (as practitioners do; e.g. the G1000 and the
    Ostbelgien model). Unequal acceptance is what makes even a lottery slightly skewed.
    """
    idx = np.flatnonzero(eligible)
    if idx.size == 0 or size <= 0:
        return np.empty(0, dtype=np.int64)
    s = strata[idx]
    labels, counts = np.unique(s, return_counts=True)
    quota = counts / counts.sum() * min(size, idx.size)
    seats = np.floor(quota).astype(int)
    remainder = min(size, idx.size) - seats.sum()
    if remainder > 0:
        seats[np.argsort(-(quota - seats), kind="stable")[:remainder]] += 1
    chosen = []
    for label, n_seats in zip(labels, seats, strict=True):
        if n_seats == 0:
            continue
        pool = rng.permutation(idx[s == label])
        taken: list[np.ndarray] = []
        filled, cursor = 0, 0
        for _ in range(rounds):
            if filled >= n_seats or cursor >= pool.size:
                break
            invite = pool[cursor: cursor + (n_seats - filled) * invitations_per_seat]
            cursor += invite.size
            yes = invite[rng.random(invite.size) < accept[invite]][: n_seats - filled]
            taken.append(yes)
            filled += yes.size
        if taken:
            chosen.append(np.concatenate(taken))
    return np.sort(np.concatenate(chosen)) if chosen else np.empty(0, dtype=np.int64)
