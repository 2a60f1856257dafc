"""The municipality's money for local projects, year by year: the same money for every design."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.model.mechanisms import priorities
from sim.model.processes.base import Process

#: Months in a budget year.
YEAR = 12


class ProjectBudget(Process):
    """Who chooses what the project money buys: the council, or residents through the design.

    Each budget year (twelve months from the start of the run) opens with
    ``scenario.project_budget_eur``, scaled to the simulated share of the residents
    (``run.population_scale``), as every money amount of the run. A design draws on it: a
    participatory budget's vote commits the projects it funds (at most its citizens' budget per
    cycle, also scaled); other designs commit the cost of the proposals the council adopts, as far
    as the year's money reaches. In the year's last month the council funds projects of its own
    choosing with what is left (``mechanisms.priorities``), which is all of it without
    participation. So every design spends the same money; what differs is who chose the projects,
    what residents experienced, and the staff time the process took.
    Owns: ``available`` (money left this year), ``committed`` (money committed per chooser over the
    run: "residents", "council").
    """

    sections = ("scenario", "design", "run", "proposals", "production")

    def __init__(self, model) -> None:
        super().__init__(model)
        self.scale = self.run.population_scale
        self.available = 0.0
        self.committed = {"residents": 0.0, "council": 0.0}

    def yearly(self) -> float:
        """The project money of one budget year (scaled to the simulated residents)."""
        return self.scenario.project_budget_eur * self.scale

    def citizens_budget(self) -> float:
        """The citizens' budget of one participatory-budget cycle (scaled; 0 without one)."""
        return self.design.budget_per_cycle_eur * self.scale

    def open_year(self) -> bool:
        """A new budget year opens in month 0, 12, 24, ...: the year's money is available; returns whether it opened."""
        if self.model.month % YEAR:
            return False
        self.available = self.yearly()
        return True

    def closing_year(self) -> bool:
        """Whether this month is the last of a budget year (the council then spends what is left)."""
        return self.model.month % YEAR == YEAR - 1

    def afford(self, cost: np.ndarray, chosen: np.ndarray, order: np.ndarray) -> np.ndarray:
        """Of the ``chosen`` proposals, those the year's money pays for, taken in ``order`` (highest
        first) while it lasts; commits their cost to residents' choices and returns the mask."""
        keep = np.zeros(cost.size, dtype=bool)
        left = self.available
        for j in np.argsort(-np.asarray(order, dtype=float), kind="stable"):
            if chosen[j] and cost[j] <= left:
                keep[j] = True
                left -= cost[j]
        self.commit("residents", float(cost[keep].sum()))
        return keep

    def commit(self, chooser: str, amount: float) -> None:
        """Commit ``amount`` of this year's money to projects chosen by ``chooser`` ("residents", "council")."""
        self.available -= amount
        self.committed[chooser] += amount

    def council_projects(self) -> tuple[np.ndarray, np.ndarray]:
        """In the year's last month, the council funds its own projects with what is left:
        (neighbourhood, cost) of each; commits their cost."""
        m = self.model
        residents = m.services.neighbourhood_population
        where, cost = priorities.council_projects(self.available, self.scenario.project_mean_cost_eur,
                                                   self.proposals.cost_log_sd, residents, m.rng)
        self.commit("council", float(cost.sum()))
        return where, cost

    def project_quality_per_month(self) -> float:
        """Quality a month's share of the year's project money adds per resident, on average, when the
        council spends it on its own priorities (spread over neighbourhoods as residents live)."""
        m = self.model
        expertise = float(np.mean(m.administration.get("expertise")))
        per_resident = self.yearly() / YEAR / max(m.population.size, 1)
        return self.production.project_quality * expertise * per_resident

    def reporters(self) -> dict[str, Callable[[Any], Any]]:
        return {"budget_residents": lambda _: self.committed["residents"],
                "budget_council": lambda _: self.committed["council"]}
