"""Local elections: council turnover, and the pause a new council may give participation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.agents import RENEWED_ATTITUDES
from sim.model.mechanisms import elections
from sim.model.processes.base import Process


@dataclass(frozen=True)
class Election:
    """An election held this month: how long participation pauses (0: no pause) and the share of
    what residents knew of the process, and of their habit, that they keep through the pause."""

    pause: int
    memory: float


class Elections(Process):
    """Every ``council.term_months`` from ``scenario.next_election_month`` the council changes.

    A share ``council.turnover_share`` of the seats changes hands; newcomers bring the
    configured attitudes, pulled toward the outgoing council's as far as the administration's
    continuity role carries the memory of what was agreed (``CouncilMember.be_replaced``).
    Without continuity, participation pauses (``design.restart_months_after_election``) and
    residents keep less of what they knew of the process and of their habit
    (``citizens.election_memory``): ``step`` returns both, and ``model.step`` pauses the calendar
    and lets information and habit fade. Owns no state of its own.
    """

    sections = ("scenario", "council", "administration", "design", "citizens")

    def step(self) -> Election | None:
        """Hold the election if it is due this month: the council changes; returns the pause it gives
        participation and what residents keep (None when there is no election this month)."""
        m, c, a = self.model, self.council, self.administration
        if not elections.is_election(m.month, self.scenario.next_election_month, c.term_months):
            return None
        members = m.council.to_list()
        seats = elections.replaced_seats(len(members), c.turnover_share, m.rng)
        continuity = a.role_continuity
        priors = {attr: getattr(c, attr) for attr in RENEWED_ATTITUDES}
        outgoing = {attr: float(m.council.agg(attr, np.mean)) for attr in RENEWED_ATTITUDES}
        for i in seats:
            members[i].be_replaced(priors, outgoing, continuity)
        d = self.design
        pause = elections.restart_pause(d.restart_months_after_election, continuity)
        if not (d.active and pause > 0 and m.cycles.start is not None):
            return Election(pause=0, memory=1.0)
        # Without continuity, what residents knew of the process fades faster.
        kept = self.citizens.election_memory
        return Election(pause=pause, memory=kept + (1.0 - kept) * continuity)
