"""Who takes part: the monthly participation decision and selection by lot.

Rule (one sentence): a resident who is aware of the process takes part in a month with a
logistic probability that rises with resources, engagement, being asked (by peers, by proposers
who campaign again, by outreach) and habit, and falls with fear and the design's complexity; a
channel she cannot use rules her out.

Sources: resources, engagement and recruitment (Verba, Schlozman & Brady 1995); habit as
aspiration-based reinforcement (Bendor, Diermeier & Ting 2003; Fowler 2006); fear of
complexity and of wasted effort (seed report). Turnout over editions (docs/evidence/mechanisms.md
4d, 5b, 5c) follows from what residents experienced (engagement and fear move with the
outcomes of their input and the delivery of their projects), from the novelty of a new process,
which draws those who try anything once and fades edition by edition ("the euphoria is behind
us"), and from proposers who campaign among their ties ("at a friend's request", Warsaw
evaluation); no term grows or shrinks with the count of editions alone but novelty.
Awareness enters as a probability of knowing about the process (a precondition, not a weight).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from sim.config.schema import Channel


def resources(time_available: np.ndarray, civic_skills: np.ndarray, low_income: np.ndarray | None = None,
              low_income_penalty: float = 0.0) -> np.ndarray:
    """Resources for taking part in [0, 1]: mean of time and civic skills, less a penalty for a
    low income (money is the third of Verba, Schlozman & Brady's resources)."""
    out = 0.5 * (time_available + civic_skills)
    if low_income is not None and low_income_penalty:
        out = np.clip(out - low_income_penalty * low_income, 0.0, 1.0)
    return out


def engagement(interest: np.ndarray, efficacy: np.ndarray, trust: np.ndarray) -> np.ndarray:
    """Psychological engagement in [0, 1]: interest, external efficacy and trust."""
    out = np.multiply(interest, 0.4)
    term = np.multiply(efficacy, 0.4)
    out += term
    out += np.multiply(trust, 0.2, out=term)
    return out


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
    woman: np.ndarray | float = 0.0, w_woman: float = 0.0, age_shift: np.ndarray | float = 0.0,
    novelty: float = 0.0, w_novelty: float = 0.0,
) -> np.ndarray:
    """Monthly probability of taking part, in [0, 1].

    The design's complexity raises the cost directly and by amplifying fear; full facilitation
    removes a share ``facilitation_relief`` of that cost (by default half: support makes a
    demanding design feasible). The announced impact (``promise``, the expected share of
    input acted on) raises the benefit, as does the ``novelty`` of a new process. ``age_shift`` is a
    resident's age-group term of the logit (the age profile
    of real PB voters, docs/model.md 7.1).
    """
    # cost = (w_complexity * complexity + w_fear * fear * (0.5 + complexity)) * (1 - facilitation_relief * facilitation)
    # utility = base + w_resources * resources + w_engagement * engagement + w_recruitment * recruitment
    #           + w_habit * habit + w_promise * promise + w_novelty * novelty + w_woman * woman + age_shift - cost
    # term by term, in this order, into one array (a million residents: no array per term)
    utility = np.multiply(resources, w_resources)
    utility += base
    term = np.multiply(engagement, w_engagement)
    utility += term
    utility += np.multiply(recruitment, w_recruitment, out=term)
    utility += np.multiply(habit, w_habit, out=term)
    utility += w_promise * promise
    utility += w_novelty * novelty
    utility += np.multiply(woman, w_woman, out=term) if np.ndim(woman) else w_woman * woman
    utility += age_shift
    cost = np.multiply(fear, w_fear, out=term)
    cost *= 0.5 + complexity
    cost += w_complexity * complexity
    cost *= 1 - facilitation_relief * facilitation
    utility -= cost
    probability = np.multiply(awareness, channel_fit, out=term)
    probability *= expit(utility, out=utility)
    return probability


def novelty(editions_done: int, decay: float) -> float:
    """Novelty of a process in [0, 1] after ``editions_done`` completed editions: (1 - decay) ** editions.

    A new process is news and draws those who try anything once; the attention fades with each
    edition (no published decay constant: docs/evidence/mechanisms.md 5b).
    """
    return float((1.0 - decay) ** max(editions_done, 0))


#: How far above its ceiling a chance may come by rounding (relative): the exact chance and its ceiling are
#: the same float operations on inputs of which the ceiling's are larger, so they can differ from the order of
#: the real numbers only by a few units in the last place (1e-16); a resident within this margin is looked at.
CEILING_MARGIN = 1e-9


def decide_below(draw: np.ndarray, ceiling: np.ndarray, chance: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Bernoulli outcomes ``draw < p`` per resident, where ``p`` is at most ``ceiling`` and costly to compute.

    ``draw``: each resident's uniform draw in [0, 1) (``rng.random(n)``); ``ceiling``: an upper
    bound of each resident's chance; ``chance(idx)``: the exact chances of residents ``idx`` (ascending
    indices). A resident whose draw is at or above her ceiling cannot succeed whatever her chance, so the
    chance is computed only for those below it (thinning, Lewis & Shedler 1979). Computed element by
    element, the chances of a subset are those of everyone, to the bit, so the outcomes are exactly
    ``draw < p`` with ``p`` computed for all: what changes is only how many residents' ``p`` is needed.
    """
    out = np.zeros(draw.size, dtype=bool)
    look = np.flatnonzero(draw < ceiling * (1.0 + CEILING_MARGIN))
    if look.size:
        out[look] = draw[look] < chance(look)
    return out


def seat_quotas(strata: np.ndarray, seats: int) -> tuple[np.ndarray, np.ndarray]:
    """(labels, seats per label): ``seats`` allocated to the strata in proportion to their size.

    Largest remainders: each stratum gets the floor of its proportional share, the seats left
    over go to the largest remainders (ties to the first stratum).
    """
    labels, counts = np.unique(strata, return_counts=True)
    quota = counts / max(int(counts.sum()), 1) * seats
    out = np.floor(quota).astype(int)
    remainder = seats - int(out.sum())
    if remainder > 0:
        out[np.argsort(-(quota - out), kind="stable")[:remainder]] += 1
    return labels, out


@dataclass(frozen=True)
class Lottery:
    """The result of a two-stage lottery: who got a letter, who volunteered, who was seated."""

    letters: np.ndarray
    volunteers: np.ndarray
    panel: np.ndarray


def two_stage_lottery(strata: np.ndarray, eligible: np.ndarray, reply: np.ndarray, seats: int,
                      letters_per_seat: int, rng: np.random.Generator) -> Lottery:
    """A citizens' panel drawn as real ones are (docs/evidence/population.md C.3).

    Stage 1: letters to ``seats * letters_per_seat`` eligible residents drawn at random from the
    register; each volunteers with her own probability ``reply`` (a few percent, more often the
    educated, interested and efficacious: Jacquet 2017). Stage 2: seats are allocated to the
    strata in proportion to the eligible population (``seat_quotas``) and drawn at random among
    each stratum's volunteers; seats a stratum cannot fill (too few volunteers) go to volunteers
    of any stratum, at random, as organisers relax quotas. The panel is smaller than ``seats``
    only if there are fewer volunteers than seats.
    """
    idx = np.flatnonzero(eligible)
    empty = np.empty(0, dtype=np.int64)
    if idx.size == 0 or seats <= 0:
        return Lottery(empty, empty, empty)
    n_letters = min(idx.size, seats * letters_per_seat)
    letters = np.sort(rng.choice(idx, size=n_letters, replace=False))
    volunteers = letters[rng.random(letters.size) < reply[letters]]
    labels, quota = seat_quotas(strata[idx], min(seats, idx.size))
    chosen = []
    for label, n in zip(labels, quota, strict=True):
        pool = volunteers[strata[volunteers] == label]
        if n and pool.size:
            chosen.append(rng.choice(pool, size=min(n, pool.size), replace=False))
    seated = np.concatenate(chosen) if chosen else empty
    missing = min(seats, volunteers.size) - seated.size
    if missing > 0:
        rest = np.setdiff1d(volunteers, seated)
        seated = np.concatenate([seated, rng.choice(rest, size=missing, replace=False)])
    return Lottery(letters, volunteers, np.sort(seated).astype(np.int64))
