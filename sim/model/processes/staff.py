"""The ledger of the administration's staff hours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from sim.model.processes.base import Process


class StaffLedger(Process):
    """One account of the civil servants' hours: what each activity spent, what is left.

    Each month opens with the civil servants' hours (``administration.hours_per_month`` per
    civil servant); informing, facilitation, co-production, screening and reporting spend
    from it in the order of the month's schedule, and implementation gets what is left (never
    less than zero: an overspent month leaves nothing for projects, it does not borrow).
    State: ``free`` (hours left this month), ``spent`` (total hours per activity over the run).
    """

    def __init__(self, model) -> None:
        super().__init__(model)
        self.free = 0.0
        self.total = 0.0
        self.spent: dict[str, float] = defaultdict(float)

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

    def left_for_projects(self) -> float:
        """Hours left for implementing projects this month (at least zero)."""
        return max(self.free, 0.0)

    def reporters(self) -> dict[str, Callable[[Any], Any]]:
        return {"staff_hours": lambda m: self.total}
