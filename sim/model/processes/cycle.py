"""The calendar of a design's participation cycles, and the record of each cycle."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.model.processes.base import Process, Result

if TYPE_CHECKING:  # the model imports the processes
    from sim.model.model import CoproductionModel


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


@dataclass(frozen=True)
class CalendarMonth:
    """What the calendar did this month: the month's phase, and the cycle it closed or opened."""

    phase: Phase
    closed: CycleRecord | None = None
    opened: CycleRecord | None = None


class Cycles(Process):
    """Opens and closes the design's cycles on its calendar; keeps their records.

    A cycle starts at ``design.start_month``; its phases are inform (if ``inform_first``),
    participate (``ideas_months``), one decision month, then idle until ``cycle_months`` have
    passed; an ad hoc design runs ``design.cycles`` cycles, a permanent one cycles until the
    horizon. An election may pause the calendar (``pause_for_election``).
    State: ``start`` (month the current or next cycle starts; None when no more cycles),
    ``done`` (cycles completed), ``index`` (of the latest cycle opened), ``current`` (the
    running cycle's record, or None), ``closed`` (records of closed cycles), ``resume_not_before``.
    """

    sections = ("design",)

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
    resume_not_before: int  # after an election's pause
    phase: Phase  # this month's

    def __init__(self, model: CoproductionModel) -> None:
        super().__init__(model)
        d = self.design
        self.start = d.start_month if d.active else None
        self.done = 0
        self.index = 0
        self.current = None
        self.closed = []
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

    def step(self) -> CalendarMonth:
        """Close the cycle whose time is up, open the next when it is due; the month's phase and what
        was closed or opened (``model.step`` passes that on: resets, the announcement, the report)."""
        m, d = self.model, self.design
        closed = opened = None
        if d.active and self.start is not None:
            if m.month == self.start + d.cycle_months and self.current is not None:
                closed = self.close()
                more = d.permanent or self.done < d.cycles
                self.start = max(m.month, self.resume_not_before) if more else None
            if self.start is not None and m.month == self.start and self.current is None:
                opened = self.open()
        self.phase = self.phase_at(m.month)
        return CalendarMonth(self.phase, closed, opened)

    def open(self) -> CycleRecord:
        """A new cycle: its record (what is announced for it is set by ``model.step``)."""
        self.index += 1
        self.current = CycleRecord(index=self.index, start=self.model.month)
        return self.current

    def close(self, abandoned: bool = False) -> CycleRecord | None:
        """End the current cycle (``abandoned``: before its decision, e.g. by an election); its record.

        Who took part is read here, before ``model.step`` resets participation for the next cycle.
        """
        m, rec = self.model, self.current
        if rec is None:
            return None
        part = m.participation
        if abandoned and part.taking_part.any():
            rec.representativeness = part.representativeness()
            rec.education_bias = part.education_bias()
        rec.participants = part.count()
        rec.participants_eligible_share = rec.participants / max(m.n_eligible, 1)
        rec.extra["abandoned"] = abandoned
        if not abandoned or rec.participants:
            self.closed.append(rec)
        if not abandoned:
            self.done += 1
        self.current = None
        return rec

    def pause_for_election(self, pause: int) -> CycleRecord | None:
        """A new council restarts participation after ``pause`` months: a cycle that has not yet
        reached its decision is abandoned (its record is returned); a decided cycle runs its course;
        the next waits."""
        m = self.model
        if not (self.design.active and pause > 0 and self.start is not None):
            return None
        self.resume_not_before = m.month + pause
        dropped = None
        if self.current is not None and self.phase_at(m.month) in (Phase.inform, Phase.participate):
            dropped = self.close(abandoned=True)
            self.start = self.resume_not_before
        elif self.current is None:
            self.start = max(self.start, self.resume_not_before)
        return dropped

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
