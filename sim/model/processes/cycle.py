"""The calendar of a design's participation cycles, and the record of each cycle."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sim.model.processes.base import Process, Result


class Phase(enum.Enum):
    """The phase of the participation cycle in a month."""

    idle = "idle"  # no cycle running, or between its decision and its end
    inform = "inform"  # information campaign before involvement (design.inform_first)
    participate = "participate"  # residents take part (ideas, votes, a panel)
    decide = "decide"  # the month after participation: proposals are screened, voted, adopted
    paused = "paused"  # after an election, before the new council restarts participation


@dataclass
class CycleRecord:
    """What happened in one participation cycle (one row of ``res.cycles``)."""

    index: int
    start: int
    participants: int = 0
    participants_eligible_share: float = 0.0
    representativeness: float = 0.0
    repeat_share: float = 0.0
    submitted: int = 0
    screened_in: int = 0
    adopted: int = 0
    general_interest_share: float = 0.0
    education_bias: float = 1.0
    expected: float = 0.0
    letters: int = 0  # invitations sent for a panel by lot (0 for an open call)
    volunteers: int = 0  # residents who replied yes to them
    ballots: int = 0  # ballots cast in a participatory budget's vote (0 without a vote)
    extra: dict = field(default_factory=dict)


class Cycles(Process):
    """Opens and closes the design's cycles on its calendar; keeps their records.

    A cycle starts at ``design.start_month``; its phases are inform (if ``inform_first``),
    participate (``ideas_months``), one decision month, then idle until ``cycle_months`` have
    passed; an ad hoc design runs ``design.cycles`` cycles, a permanent one cycles until the
    horizon. An election may pause the calendar (``postpone``).
    State: ``start`` (month the current or next cycle starts; None when no more cycles),
    ``done`` (cycles completed), ``index`` (of the latest cycle opened), ``current`` (the
    running cycle's record, or None), ``closed`` (records of closed cycles), ``resume_not_before``.
    """

    results = (
        Result("month", "month", "The calendar month of the run (0 = January 2025).", lambda m: m.month),
        Result("phase", "-", "The phase of the participation cycle this month.", lambda m: m.cycles.phase.value),
        Result("cycle", "-", "The number of the running cycle; 0 when none runs.",
               lambda m: m.cycles.index if m.cycles.current is not None else 0),
    )

    start: int | None  # month the current or next cycle starts (None: no more cycles)
    done: int  # cycles completed
    index: int  # of the latest cycle opened
    current: CycleRecord | None  # the running cycle's record
    closed: list[CycleRecord]  # records of closed cycles
    resume_not_before: int
    phase: Phase


    sections = ("design",)

    def __init__(self, model) -> None:
        super().__init__(model)
        d = self.design
        self.start: int | None = d.start_month if d.active else None
        self.done = 0
        self.index = 0
        self.current: CycleRecord | None = None
        self.closed: list[CycleRecord] = []
        self.resume_not_before = 0
        self.phase = self.phase_at(-1)

    def phase_at(self, month: int) -> Phase:
        """The phase of ``month`` under the calendar as it stands."""
        d = self.design
        if not d.active or self.start is None:
            return Phase.idle
        offset = month - self.start
        if offset < 0:
            # before the first cycle: idle; before a later (or restarted) one: paused by an election
            return Phase.paused if self.index else Phase.idle
        inform = d.inform_months if d.inform_first else 0
        if offset < inform:
            return Phase.inform
        if offset < inform + d.ideas_months:
            return Phase.participate
        if offset == inform + d.ideas_months:
            return Phase.decide
        return Phase.idle

    def closing(self) -> bool:
        """Whether the current cycle's time is up this month."""
        d = self.design
        return (d.active and self.start is not None and self.current is not None
                and self.model.month == self.start + d.cycle_months)

    def opening(self) -> bool:
        """Whether a new cycle opens this month."""
        return (self.design.active and self.start is not None and self.current is None
                and self.model.month == self.start)

    def open(self) -> CycleRecord:
        """A new cycle opens (the model then resets who takes part and announces the promise)."""
        self.index += 1
        self.current = CycleRecord(index=self.index, start=self.model.month)
        return self.current

    def first_month_of(self, phase: Phase) -> bool:
        """Whether this month is the first of ``phase`` in the current cycle."""
        month = self.model.month
        return self.phase_at(month) is phase and self.phase_at(month - 1) is not phase

    def advance(self) -> Phase:
        """The month's phase under the calendar as it stands."""
        self.phase = self.phase_at(self.model.month)
        return self.phase

    def close(self, abandoned: bool = False) -> None:
        """Record the end of the current cycle (``abandoned``: before its decision, e.g. by an election).

        The model resets who takes part afterwards (``Participation.reset``) and, for an abandoned
        cycle, first lets its participants hear the silence (``Decision.abandon``).
        """
        m, rec = self.model, self.current
        if rec is None:
            return
        part = m.participation
        if abandoned and part.taking_part.any():
            rec.representativeness = part.representativeness()
            rec.education_bias = part.education_bias()
        rec.participants = part.count()
        rec.participants_eligible_share = rec.participants / max(m.n_eligible, 1)
        rec.extra["abandoned"] = abandoned
        if not abandoned or rec.participants:
            self.closed.append(rec)
        if abandoned:
            self.start = self.resume_not_before
        else:
            self.done += 1
            more = self.design.permanent or self.done < self.design.cycles
            self.start = max(m.month, self.resume_not_before) if more else None
        self.current = None

    def scheduled(self) -> bool:
        """Whether the design has a cycle running or still to come."""
        return self.design.active and self.start is not None

    def postpone(self, pause: int) -> bool:
        """A new council restarts participation after ``pause`` months: the next cycle waits; returns
        whether the running cycle, not yet at its decision, must be abandoned (a decided cycle runs
        its course)."""
        m = self.model
        if not (self.scheduled() and pause > 0):
            return False
        self.resume_not_before = m.month + pause
        if self.current is not None and self.phase_at(m.month) in (Phase.inform, Phase.participate):
            return True
        if self.current is None and self.start is not None:
            self.start = max(self.start, self.resume_not_before)
        return False

    def last_decided(self) -> int:
        """Index of the latest cycle that reached its decision (0: none yet)."""
        return max((r.index for r in self.closed if r.extra.get("decided")), default=0)

    def ran(self) -> bool:
        """Whether any cycle has been closed (the process has a record to judge)."""
        return bool(self.closed)

    def all(self) -> list[CycleRecord]:
        """Closed cycles plus, provisionally, the running one if anyone took part in it."""
        rec, part = self.current, self.model.participation
        if rec is None or not part.taking_part.any():
            return list(self.closed)
        running = CycleRecord(**{**rec.__dict__, "extra": {**rec.extra, "abandoned": False, "running": True}})
        running.participants = part.count()
        running.participants_eligible_share = running.participants / max(self.model.n_eligible, 1)
        if not running.representativeness:
            running.representativeness = part.representativeness()
            running.education_bias = part.education_bias()
        return [*self.closed, running]
