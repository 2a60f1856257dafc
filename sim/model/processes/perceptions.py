"""Residents' perceptions, measured at the end of each month as a survey would measure them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.config.schema import Aggregation
from sim.model.mechanisms import perceptions
from sim.model.processes.base import Process


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
        agree = pop.perception > 0
        ever = pop.ever_participated
        n_ever = int(np.count_nonzero(ever))
        for k, item in enumerate(perceptions.ITEMS):
            row = agree[k]
            total = int(np.count_nonzero(row))
            self.shares[item] = total / max(pop.size, 1)
            among = int(np.count_nonzero(row[ever])) if n_ever else 0
            self.participants[item] = among / n_ever if n_ever else float("nan")
            rest = pop.size - n_ever
            self.others[item] = (total - among) / rest if rest else float("nan")
        parts = (self.shares["input"], self.shares["throughput"], self.shares["output"])
        self.overall = combine(parts, self.perceptions.aggregation)
        council = m.council
        self.council_acceptance = float(np.clip(
            council.agg("trust_in_citizens", np.mean)
            * (1 - self.council.acceptance_fear_discount * council.agg("fear_self_interest", np.mean)), 0, 1))

    def reporters(self) -> dict[str, Callable[[Any], Any]]:
        return {"trust_citizens": lambda _: self.shares["trust"],
                "trust_participants": lambda _: self.participants["trust"],
                "trust_nonparticipants": lambda _: self.others["trust"],
                "efficacy_citizens": lambda _: self.shares["efficacy"],
                "legitimacy": lambda _: self.overall,
                "legitimacy_input": lambda _: self.shares["input"],
                "legitimacy_throughput": lambda _: self.shares["throughput"],
                "legitimacy_output": lambda _: self.shares["output"],
                "legitimacy_council": lambda _: self.council_acceptance}
