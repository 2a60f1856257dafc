"""Residents' perceptions, measured at the end of each month as a survey would measure them."""

from __future__ import annotations

import numpy as np

from sim.config.schema import Aggregation
from sim.model.mechanisms import perceptions
from sim.model.processes.base import Process, Result


def combine(parts: tuple[float, float, float], aggregation: Aggregation) -> float:
    """One legitimacy figure from the shares agreeing with the input, throughput and output items."""
    if aggregation is Aggregation.arithmetic:
        return float(np.mean(parts))
    if aggregation is Aggregation.geometric:
        return float(np.cbrt(np.prod(parts)))
    return float(min(parts))


class Perceptions(Process):
    """The share of residents who agree with each survey item, and the council's acceptance of input.

    Every resident holds a latent attitude per item (``population.perception``, moved only by
    ``model.signals``); this process reads them as a survey of all residents would: the share who
    agree with the trust item, the efficacy item, and the input, throughput and output items of
    legitimacy (Scharpf 1999; Schmidt 2013), among all residents, among those who ever took part
    and among those who never did. Overall legitimacy combines the three parts
    (``perceptions.aggregation``). No design is given a value: a share moves only as residents'
    experiences move them. The council's acceptance of citizens' input (its members' trust in
    citizens, discounted by their fear of self-interest) is an attitude of the council, not a survey
    item. Owns the month's measures.
    """

    results = (
        Result("trust_citizens", "share", "Share of residents who agree: \"I have (a lot of) trust in the municipal "
               "government\".", lambda m: m.perceptions.shares["trust"], summary="final"),
        Result("trust_participants", "share", "The same share among the residents who ever took part (empty before "
               "anyone did).", lambda m: m.perceptions.participants["trust"], summary="final"),
        Result("trust_nonparticipants", "share", "The same share among the residents who never took part.",
               lambda m: m.perceptions.others["trust"], summary="final"),
        Result("efficacy_citizens", "share", "Share of residents who agree: \"People like me can influence what the "
               "municipality does\".", lambda m: m.perceptions.shares["efficacy"], summary="final"),
        Result("legitimacy", "share", "The three parts of legitimacy in one figure: the mean of the shares who agree "
               "with their items (perceptions.aggregation).", lambda m: m.perceptions.overall, summary="final"),
        Result("legitimacy_input", "share", "Share of residents who agree: \"The municipality involves its residents "
               "sufficiently\".", lambda m: m.perceptions.shares["input"], summary="final"),
        Result("legitimacy_throughput", "share", "Share of residents who agree: \"Decisions in my municipality are "
               "taken in a fair and open way\".", lambda m: m.perceptions.shares["throughput"], summary="final"),
        Result("legitimacy_output", "share", "Share of residents who agree: \"I am satisfied with what the "
               "municipality delivers\".", lambda m: m.perceptions.shares["output"], summary="final"),
        Result("legitimacy_council", "index 0-1", "The council's acceptance of citizens' input: its members' trust "
               "in citizens, discounted by their fear of self-interest.",
               lambda m: m.perceptions.council_acceptance, summary="final"),
    )

    shares: dict[str, float]  # share agreeing with each item, among all residents
    participants: dict[str, float]  # among those who ever took part (nan before anyone did)
    others: dict[str, float]  # among those who never took part
    overall: float  # the three legitimacy shares in one figure
    council_acceptance: float


    sections = ("perceptions", "council")

    def __init__(self, model) -> None:
        super().__init__(model)
        self.shares = dict.fromkeys(perceptions.ITEMS, 0.0)
        self.participants = dict.fromkeys(perceptions.ITEMS, float("nan"))
        self.others = dict.fromkeys(perceptions.ITEMS, float("nan"))
        self.overall = self.council_acceptance = 0.0

    def step(self) -> None:
        """Measure the month's perceptions."""
        m = self.model
        pop = m.population
        ever = pop.ever_participated
        n_ever = int(np.count_nonzero(ever))
        row = np.empty(pop.size, dtype=bool)  # who agrees with the item, one item at a time
        for k, item in enumerate(perceptions.ITEMS):
            np.greater(pop.perception[k], 0, out=row)
            total = int(np.count_nonzero(row))
            self.shares[item] = total / max(pop.size, 1)
            among = int(np.count_nonzero(np.logical_and(row, ever, out=row))) if n_ever else 0
            self.participants[item] = among / n_ever if n_ever else float("nan")
            rest = pop.size - n_ever
            self.others[item] = (total - among) / rest if rest else float("nan")
        parts = (self.shares["input"], self.shares["throughput"], self.shares["output"])
        self.overall = combine(parts, self.perceptions.aggregation)
        council = m.council
        self.council_acceptance = float(np.clip(
            council.agg("trust_in_citizens", np.mean)
            * (1 - self.council.acceptance_fear_discount * council.agg("fear_self_interest", np.mean)), 0, 1))
