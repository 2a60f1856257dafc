"""How participants judge what became of their input; habit follows satisfaction.

Rule: after a decision, each participant judges what became of the input in the design's own
terms (``uptake``: was the vote honoured, was acceptable input taken up), by its performance,
against what she was led to expect, or both (``group_judgement``; the form is
``citizens.judgement``), plus her own result relative to the others (``own_favourability``:
winners above, losers below). Only those who hear of it are moved; silence counts only where
there was no response at all. The judgement is the strength of a signal
(``sim.model.signals``) that moves her perceptions by an effect size from evidence
(``sim.model.mechanisms.perceptions``).
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


def heard_share(feedback: float, public_reach: float, responded: bool) -> float:
    """Share of participants who learn what became of their input.

    Those the municipality reports back to (``feedback``), and of the rest those the public
    channel reaches (local news, the municipal magazine, the project sites), which carries news
    of the decision whenever the municipality responded (reported back, or did something): the
    same news the residents who did not take part read.
    """
    return feedback + (1.0 - feedback) * public_reach * float(responded)


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
