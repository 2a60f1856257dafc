"""Trust and efficacy follow responsiveness; habit follows satisfaction.

Rule: after a decision, each participant judges what became of the input in the design's own
terms (``uptake``: was the vote honoured, was acceptable input taken up), by its performance,
against what she was led to expect, or both (``group_judgement``; the form is
``citizens.judgement``), plus her own result relative to the others (``own_favourability``:
winners above, losers below). Only those who hear of it are moved; silence counts only where
there was no response at all. A positive signal raises trust and efficacy by a share of the
distance to 1, a negative one lowers them by a larger share of their level (trust is lost
faster than gained: Slovic 1993; James 2009); a fair process earns a premium for winners and
losers alike (Werner & Marien; Esaiasson et al. 2012). Residents who did not take part hear a
weaker signal through their ties and the public channel (van Dijk & Lefevere 2023).
"""

from __future__ import annotations

import numpy as np

from sim.config.schema import Judgement


def uptake(adopted: int, decided_on: int) -> float:
    """The group's outcome in the design's own terms: the share of what was up for decision that was done.

    ``decided_on`` is what the municipality had said it would decide on: in a participatory
    budget the projects the vote funded (was the vote honoured?), in a consultation, panel or
    ideas platform the proposals that passed screening (was acceptable input taken up?).
    Nothing up for decision is nothing taken up (0).
    """
    return adopted / decided_on if decided_on > 0 else 0.0


def group_judgement(outcome: float, expected: float, form: Judgement, weight_performance: float,
                    neutral: float) -> float:
    """How an outcome is judged, in [-1, 1], by one of the forms the literature tests (``Judgement``).

    performance: outcome - neutral (Van Ryzin 2013, replicated by Grimmelikhuijsen & Porumbescu
    2017: a direct performance effect); disconfirmation: outcome - expected (subtractive
    disconfirmation, Van Ryzin 2006); expectancy_disconfirmation: ``weight_performance`` of the
    first plus the rest of the second.
    """
    performance, disconfirmation = outcome - neutral, outcome - expected
    if form is Judgement.performance:
        return performance
    if form is Judgement.disconfirmation:
        return disconfirmation
    return weight_performance * performance + (1.0 - weight_performance) * disconfirmation


def own_favourability(won: np.ndarray, weight: float) -> np.ndarray:
    """Each participant's own result relative to the others: winners above, losers below, mean 0.

    A winner gets weight * (1 - share of winners), a loser -weight * share of winners: outcome
    favourability drives fairness judgements under every design (Esaiasson & Öhberg), and no
    process closes the winner-loser gap (Hänggli Fricker et al. 2024). Centring on the share of
    winners keeps the group's judgement the mean of its members' judgements.
    """
    won = np.asarray(won, dtype=float)
    share = float(won.mean()) if won.size else 0.0
    return weight * (won - share)


def heard_share(feedback: float, public_reach: float, anything_done: bool) -> float:
    """Share of participants who learn what became of their input.

    Those the municipality reports back to (``feedback``), and of the rest those the public
    channel reaches (local news, the municipal magazine, the project sites), which carries news
    only if something was done.
    """
    return feedback + (1.0 - feedback) * public_reach * float(anything_done)


def response_signal(judged: float, favourability: np.ndarray, heard: float, expected: float,
                    silence: float, responded: bool) -> np.ndarray:
    """Signal to each participant in [-1, 1] after a decision on their input.

    Those who hear (share ``heard``) take in the group's judgement plus their own
    favourability; those who do not hear are left where they were, unless there was no
    response at all (no feedback and nothing done), which they read as ``silence`` times
    their expectation broken.
    """
    signal = heard * (judged + favourability)
    if not responded:
        signal = signal - (1.0 - heard) * silence * expected
    return np.clip(signal, -1.0, 1.0)


def asymmetric_update(level: np.ndarray, signal: np.ndarray | float, gain: float, loss: float) -> np.ndarray:
    """Move ``level`` up by gain*signal*(1-level) or down by loss*|signal|*level."""
    if np.ndim(level) == 0:
        up = gain * np.maximum(signal, 0) * (1.0 - level)
        down = loss * np.maximum(np.negative(signal), 0) * level
        return np.clip(level + up - down, 0.0, 1.0)
    # A month's signals update up to a million residents, and most are of one sign (a delivery,
    # a late project, what the public channel reports): the half that moves nobody is skipped
    # (it would add or take exactly 0), and the rest is computed in place.
    signal = np.asarray(signal)
    look = signal.size > 1000  # looking at the signs pays on large arrays only
    rises = gain != 0 and (not look or signal.max() > 0)
    falls = loss != 0 and (not look or signal.min() < 0)
    down = loss * np.maximum(np.negative(signal), 0) if falls else None
    if rises:
        out = (1.0 - level) * (gain * np.maximum(signal, 0))
        out += level
        if falls:
            out -= level * down
    elif falls:
        out = level * down
        np.subtract(level, out, out=out)
    else:
        out = level.astype(np.result_type(level, signal))  # a copy: nothing moves
    return np.minimum(np.maximum(out, 0.0, out=out), 1.0, out=out)


def process_premium(level: np.ndarray, fairness: float, premium: float) -> np.ndarray:
    """Add a premium for a fair process, scaled by fairness in [0, 1]."""
    return np.clip(level + premium * fairness * (1.0 - level), 0.0, 1.0)


def revert(level: np.ndarray, baseline: np.ndarray, rate: float) -> np.ndarray:
    """Slow pull back to the initial level (memory fades)."""
    pulled = baseline - level
    pulled *= rate
    pulled += level
    return pulled


def update_habit(habit: np.ndarray, took_part: np.ndarray, satisfaction: np.ndarray, rate: float) -> np.ndarray:
    """Aspiration-based habit: taking part and being satisfied reinforce the propensity.

    habit <- (1 - rate) * habit + rate * took_part * (1 + satisfaction) / 2 (Bendor,
    Diermeier & Ting 2003; Fowler 2006): taking part is itself habit-forming, a satisfying
    experience doubly so. Satisfaction is in [0, 1].
    """
    return np.clip((1.0 - rate) * habit + rate * took_part * (1.0 + satisfaction) / 2.0, 0.0, 1.0)


def reinforce_habit(habit: np.ndarray, took_part: np.ndarray, rate: float) -> np.ndarray:
    """Habit formation alone: habit <- (1 - rate) * habit + rate * took_part.

    Taking part forms the habit whatever the experience (Gerber, Green & Shachar 2003, AJPS:
    voting in one election raises the chance of voting in the next).
    """
    return np.clip((1.0 - rate) * habit + rate * took_part, 0.0, 1.0)


def aspiration_habit(habit: np.ndarray, aspiration: np.ndarray, took_part: np.ndarray, satisfaction: np.ndarray,
                     rate: float, aspiration_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Aspiration-based learning (Bendor, Diermeier & Ting 2003; Fowler 2006): (habit, aspiration).

    A participant whose satisfaction reaches her aspiration is reinforced, habit += rate *
    (1 - habit); one below it is discouraged, habit -= rate * habit; her aspiration then moves
    towards what she experienced, aspiration += aspiration_rate * (satisfaction - aspiration).
    Non-participants' habit fades, habit *= 1 - rate, and their aspiration stays.
    """
    took = took_part > 0
    pleased = satisfaction >= aspiration
    up = habit + rate * (1.0 - habit)
    down = habit - rate * habit
    new_habit = np.where(took, np.where(pleased, up, down), (1.0 - rate) * habit)
    new_aspiration = np.where(took, aspiration + aspiration_rate * (satisfaction - aspiration), aspiration)
    return np.clip(new_habit, 0.0, 1.0), np.clip(new_aspiration, 0.0, 1.0)
