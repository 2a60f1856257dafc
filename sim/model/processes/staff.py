"""The ledger of what the month costs the municipality: staff hours, and the project money paid."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from sim.model.processes.base import Process, Result

if TYPE_CHECKING:  # the model imports the processes
    from sim.model.model import CoproductionModel


class StaffLedger(Process):
    """One account of the civil servants' hours: what each activity spent, what is left.

    Each month opens with the civil servants' hours (``administration.hours_per_month`` per
    civil servant); informing, facilitation, co-production, screening and reporting spend
    from it in the order of the month's schedule, and implementation gets what is left (never
    less than zero: an overspent month leaves nothing for projects, it does not borrow). The project
    money pays for every delivered project, at its final cost, from the same ledger (``pay``),
    whoever chose it (residents through the design, or the council).
    State: ``free`` (hours left this month), ``total`` and ``spent`` (hours over the run, in all and
    per activity), ``budget_spent`` (euros paid for delivered projects over the run).
    """

    results = (
        Result("staff_hours", "hours", "Staff hours spent on participation and its projects so far.",
               lambda m: m.staff.total, summary="total"),
        Result("budget_spent", "EUR", "Project money paid for delivered projects so far, whoever chose them.",
               lambda m: m.staff.budget_spent, summary="total"),
    )

    free: float  # hours left this month
    total: float  # hours over the run
    spent: dict[str, float]  # hours over the run, per activity
    budget_spent: float  # euros paid for delivered projects over the run

    def __init__(self, model: CoproductionModel) -> None:
        super().__init__(model)
        self.free = 0.0
        self.total = 0.0
        self.spent = defaultdict(float)
        self.budget_spent = 0.0

    def capacity(self) -> float:
        """The civil servants' hours in one month."""
        return float(np.sum(self.model.administration.get("hours")))

    def open_month(self) -> None:
        """A new month: every civil servant's hours are available again."""
        self.free = self.capacity()

    def spend(self, activity: str, hours: float) -> float:
        """Book ``hours`` on ``activity``; returns them."""
        self.free -= hours
        self.total += hours
        self.spent[activity] += hours
        return hours

    def pay(self, eur: float) -> None:
        """The project money pays ``eur`` for a delivered project."""
        self.budget_spent += eur

    def left_for_projects(self) -> float:
        """Hours left for implementing projects this month (at least zero)."""
        return max(self.free, 0.0)
