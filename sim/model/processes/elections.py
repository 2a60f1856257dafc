"""Local elections: council turnover, and the pause a new council may give participation."""

from __future__ import annotations

import numpy as np

from sim.model.agents import RENEWED_ATTITUDES
from sim.model.mechanisms import elections
from sim.model.processes.base import Process


class Elections(Process):
    """Every ``council.term_months`` from ``scenario.next_election_month`` the council changes.

    A share ``council.turnover_share`` of the seats changes hands; newcomers bring the
    configured attitudes, pulled toward the outgoing council's as far as the administration's
    continuity role carries the memory of what was agreed (``CouncilMember.be_replaced``).
    Without continuity, participation pauses (``design.restart_months_after_election``: ``pause``)
    and residents keep less of what they knew of the process and of their habit
    (``citizens.election_memory``: ``memory_kept``). Owns no state of its own.
    """

    sections = ("scenario", "council", "administration", "design", "citizens")

    #: The continuity the last election carried: the administration's continuity role, unless groups of
    #: residents voted for a council that carries on or starts over (``model.choices``); None before the
    #: first election, when the role's current value counts.
    continuity: float | None

    def __init__(self, model) -> None:
        super().__init__(model)
        self.continuity = None

    def carried(self) -> float:
        """The continuity the last election carried, or the administration's role before any election."""
        return self.administration.role_continuity if self.continuity is None else self.continuity

    def step(self) -> bool:
        """Hold the election if it is due this month; returns whether one was held (the model then
        decides what the new council does with participation: ``pause``, ``memory_kept``)."""
        m, c, a = self.model, self.council, self.administration
        if not elections.is_election(m.month, self.scenario.next_election_month, c.term_months):
            return False
        members = m.council.to_list()
        seats = elections.replaced_seats(len(members), c.turnover_share, m.rng)
        continuity = a.role_continuity
        if self.design.active:
            residents = np.bincount(m.population.education[m.eligible], minlength=3)
            continuity = m.choices.election_continuity(continuity, residents, m.month)
        self.continuity = continuity
        priors = {attr: getattr(c, attr) for attr in RENEWED_ATTITUDES}
        outgoing = {attr: float(m.council.agg(attr, np.mean)) for attr in RENEWED_ATTITUDES}
        for i in seats:
            members[i].be_replaced(priors, outgoing, continuity)
        return True

    def pause(self) -> int:
        """Months the new council waits before participation restarts (0 with full continuity)."""
        return elections.restart_pause(self.design.restart_months_after_election, self.carried())

    def memory_kept(self) -> float:
        """Share of what residents knew of the process, and of their habit, that they keep across the election."""
        kept = self.citizens.election_memory
        return kept + (1.0 - kept) * self.carried()
