"""The municipality's money for local projects, year by year: the same money for every design."""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms import priorities
from sim.model.processes.base import Process, Result

#: Months in a budget year.
YEAR = 12
#: Who chooses what a project buys.
RESIDENTS, COUNCIL = "residents", "council"


class ProjectBudget(Process):
    """Who chooses what the project money buys: the council, or residents through the design.

    Each budget year (twelve months from the start of the run) adds ``scenario.project_budget_eur``,
    scaled to the simulated share of the residents (``run.population_scale``) as every money amount
    of a run, to the common money. A participatory budget sets its citizens' budget aside when a
    cycle opens (``reserved``); its vote funds projects from it, and what the vote leaves returns
    to the common money. Other designs commit the cost of the proposals the council adopts from the
    common money, as far as it reaches. Cost overruns are paid from the
    common money when a project is delivered. In the year's last month the council funds projects
    of its own choosing with what is common money then (``mechanisms.priorities``), which is all of
    it without participation; what it cannot spend (no project fits) carries over. So every design
    spends the same money over a run; what differs is who chose the projects, what residents
    experienced, and the staff time the process took.
    Owns: ``available`` (common money), ``reserved`` (the citizens' budget set aside), ``committed``
    (money committed per chooser over the run, overruns included).
    """

    results = (
        Result("budget_residents", "EUR", "Project money committed to projects residents chose so far (their "
               "estimates and the overruns of those delivered).", lambda m: m.budget.committed[RESIDENTS],
               summary="total"),
        Result("budget_council", "EUR", "Project money committed to the council's own projects so far.",
               lambda m: m.budget.committed[COUNCIL], summary="total"),
    )

    scale: float  # the simulated share of the residents, which scales every amount of money
    available: float  # the common money
    reserved: float  # a citizens' budget set aside for its vote
    committed: dict[str, float]  # money committed per chooser over the run


    sections = ("scenario", "design", "run", "proposals", "production")

    def __init__(self, model) -> None:
        super().__init__(model)
        self.scale = self.run.population_scale
        self.available = 0.0
        self.reserved = 0.0
        self.committed = {RESIDENTS: 0.0, COUNCIL: 0.0}

    def yearly(self) -> float:
        """The project money of one budget year (scaled to the simulated residents)."""
        return self.scenario.project_budget_eur * self.scale

    def citizens_budget(self) -> float:
        """The citizens' budget of one participatory-budget cycle (scaled; 0 without one)."""
        return self.design.budget_per_cycle_eur * self.scale

    def open_year(self) -> bool:
        """A new budget year opens in month 0, 12, 24, ...: its money comes in; returns whether it opened."""
        if self.model.month % YEAR:
            return False
        self.available += self.yearly()
        return True

    def closing_year(self) -> bool:
        """Whether this month is the last of a budget year (the council then spends the common money)."""
        return self.model.month % YEAR == YEAR - 1

    def set_aside(self) -> None:
        """A participatory budget's cycle opens: its citizens' budget is set aside from the common money
        (advanced from the next year's money if this year's does not hold it)."""
        amount = self.citizens_budget()
        self.available -= amount
        self.reserved += amount

    def fund_vote(self, cost: np.ndarray, adopted: np.ndarray) -> None:
        """The vote's adopted projects are paid from the citizens' budget set aside; what they leave
        returns to the common money."""
        spent = float(cost[adopted].sum())
        self.available += self.reserved - spent
        self.reserved = 0.0
        self.committed[RESIDENTS] += spent

    def afford(self, cost: np.ndarray, chosen: np.ndarray, order: np.ndarray) -> np.ndarray:
        """Of the ``chosen`` proposals, those the common money pays for, taken in ``order`` (highest
        first) while it lasts, a proposal that no longer fits skipped; commits their cost to
        residents' choices and returns the mask."""
        keep = priorities.within(cost, chosen, order, max(self.available, 0.0))
        self.commit(RESIDENTS, float(cost[keep].sum()))
        return keep

    def commit(self, chooser: str, amount: float) -> None:
        """Commit ``amount`` of the common money to projects chosen by ``chooser`` ("residents", "council")."""
        self.available -= amount
        self.committed[chooser] += amount

    def overrun(self, chooser: str, amount: float) -> None:
        """A project delivered over its estimate: the difference is paid from the common money."""
        self.commit(chooser, amount)

    def release(self, chooser: str, amount: float) -> None:
        """A project dropped or reopened before delivery: its money returns to the common money."""
        self.commit(chooser, -amount)

    def council_projects(self) -> tuple[np.ndarray, np.ndarray]:
        """In the year's last month, the council funds its own projects with the common money:
        (neighbourhood, cost) of each; commits their cost. What no project fits carries over."""
        m = self.model
        residents = m.services.neighbourhood_population
        where, cost = priorities.council_projects(max(self.available, 0.0), self.scenario.project_mean_cost_eur,
                                                   self.proposals.cost_log_sd, residents, m.rng)
        self.commit(COUNCIL, float(cost.sum()))
        return where, cost

    def project_quality_per_month(self) -> float:
        """Quality a month's share of the year's project money adds per resident, on average, when the
        council spends it on its own priorities (spread over neighbourhoods as residents live)."""
        m = self.model
        expertise = float(np.mean(m.administration.get("expertise")))
        per_resident = self.yearly() / YEAR / max(m.population.size, 1)
        return self.production.project_quality * expertise * per_resident
