"""Adopted projects: the ledger of every proposal and project, reopening, implementation under capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model.mechanisms import implementation, reopening
from sim.model.processes.base import Process, Result
from sim.model.signals import SignalKind

#: Columns of the project ledger (``res.projects``), in order.
LEDGER_COLUMNS = (
    "origin", "cycle", "proposal", "neighbourhood", "theme", "author", "cost", "general_interest", "risk",
    "screened_in", "votes", "own_neighbourhood_votes", "funded", "adopted", "month_adopted", "month_due",
    "month_delivered", "cost_final", "late", "reopened", "abandoned", "coproduced", "coassessed",
)
#: Who chose a project: residents (through the design) or the council (its own priorities).
RESIDENTS, COUNCIL = "residents", "council"


@dataclass
class Project:
    """An adopted project waiting for or under implementation (``row``: its line in the ledger)."""

    row: int
    origin: str
    neighbourhood: int
    cost: float
    remaining_hours: float
    ready_month: int
    due_month: int
    supporters: np.ndarray
    coproduced: float
    late: bool = False
    overrun: float = 1.0  # final cost and hours over the estimate
    abandon_month: int | None = None  # the month it is dropped, if it will never be carried out


@dataclass(frozen=True)
class Delivery:
    """A project delivered this month: where, at what cost, with what share of residents' work."""

    neighbourhood: int
    cost: float
    coproduced: float


class Projects(Process):
    """Keeps the ledger of all proposals and projects and implements the adopted ones.

    Projects come from residents (adopted proposals and funded votes of a design, with the residents
    who backed them as supporters) and from the council (its own priorities, bought with the project
    money residents did not decide on; no supporters). Each month the council may first reopen open
    decisions taken with residents (each with the design's yearly probability, lowered by the
    guardian role and the council's commitment); a reopened project is dropped, its supporters see
    a decision taken with them undone (a signal), and the administration counts it a failure. Then
    the hours left in the staff ledger go to the oldest projects first; a project is delivered when
    it has its hours and its minimum implementation time and its delay (drawn at adoption) have
    passed, and is late (once) when its due month passes undelivered.
    At adoption each project draws its cost overrun (in money and hours) and whether it will be
    dropped, in its planned month, without being carried out; residents monitoring a project's
    delivery (``design.coassessment``) shorten its delays.
    Delivery, lateness and a project dropped are signals to the project's supporters; the
    administration's fear of failure learns from the month's successes and failures.
    Owns: the ledger rows, ``queue`` (open projects), the promise record of residents' projects
    (``due``: promises that fell due, ``kept``: delivered on time) and the counts of residents'
    projects ``implemented``, ``reopened``, ``late`` and ``abandoned``; what delivered projects cost is
    paid through the cost ledger (``model.staff.pay``).
    """

    results = (
        Result("proposals_implemented", "projects", "Residents' projects delivered so far.",
               lambda m: m.projects.implemented, summary="total"),
        Result("decisions_reopened", "decisions", "Decisions taken with residents that the council reopened so far.",
               lambda m: m.projects.reopened, summary="total"),
        Result("projects_late", "projects", "Residents' projects that passed their due month undelivered so far.",
               lambda m: m.projects.late, summary="total"),
        Result("projects_abandoned", "projects", "Residents' projects dropped without being carried out so far.",
               lambda m: m.projects.abandoned, summary="total"),
    )

    rows: list[dict[str, Any]]  # the ledger
    queue: list[Project]  # open projects
    due: int  # residents' promises that fell due
    kept: int  # of which delivered on time
    implemented: int
    reopened: int
    late: int
    abandoned: int


    sections = ("design", "citizens", "administration", "council", "production")

    def __init__(self, model) -> None:
        super().__init__(model)
        self.rows: list[dict[str, Any]] = []
        self.queue: list[Project] = []
        self.due = 0
        self.kept = 0
        self.implemented = 0
        self.reopened = 0
        self.late = 0
        self.abandoned = 0

    # ------------------------------------------------------------------ the ledger

    def record_cycle(self, cycle: int, props, screened_in: np.ndarray, votes: np.ndarray | None,
                     funded: np.ndarray | None, adopted: np.ndarray, supporters: list[np.ndarray],
                     staff_hours: float, own_votes: np.ndarray | None = None) -> None:
        """Enter a decided cycle's proposals in the ledger; queue the adopted ones for implementation.

        ``votes`` and ``own_votes`` (approvals from the proposal's own neighbourhood) are ``None``
        without a ballot.
        """
        d = self.design
        for j in range(props.size):
            row = {
                "origin": RESIDENTS, "cycle": cycle, "proposal": j, "neighbourhood": int(props.neighbourhood[j]),
                "theme": int(props.theme[j]) if props.theme[j] >= 0 else None,
                "author": int(props.author[j]), "cost": float(props.cost[j]),
                "general_interest": float(props.general_interest[j]), "risk": float(props.risk[j]),
                "screened_in": bool(screened_in[j]), "votes": None if votes is None else int(votes[j]),
                "own_neighbourhood_votes": None if own_votes is None else int(own_votes[j]),
                "funded": None if funded is None else bool(funded[j]),
            }
            self._enter(row, bool(adopted[j]), staff_hours, supporters[j], d.coproduction, RESIDENTS)

    def record_council(self, neighbourhood: np.ndarray, cost: np.ndarray, staff_hours: float) -> None:
        """Enter the council's own projects (``mechanisms.priorities``) in the ledger and queue them."""
        empty = np.empty(0, dtype=np.int64)
        for j in range(cost.size):
            row = {"origin": COUNCIL, "cycle": 0, "proposal": j, "neighbourhood": int(neighbourhood[j]), "theme": None,
                   "author": None, "cost": float(cost[j]), "general_interest": None, "risk": None,
                   "screened_in": None, "votes": None, "own_neighbourhood_votes": None, "funded": None}
            self._enter(row, True, staff_hours, empty, 0.0, COUNCIL)

    def _enter(self, row: dict[str, Any], adopted: bool, staff_hours: float, supporters: np.ndarray,
               coproduced: float, origin: str) -> None:
        """One ledger row; an adopted project draws its delay, overrun and whether it will be dropped, and
        is queued. Residents monitor a share of their projects (co-assessment), which shortens delays."""
        m, d, a = self.model, self.design, self.administration
        months = d.implementation_months if origin == RESIDENTS else a.own_project_months
        planned, due = m.month + months, m.month + months + d.due_grace_months
        monitored = bool(adopted and origin == RESIDENTS and d.coassessment > 0 and m.rng.random() < d.coassessment)
        row.update({"adopted": adopted, "month_adopted": m.month if adopted else None,
                    "month_due": due if adopted else None, "month_delivered": None, "cost_final": None,
                    "late": False, "reopened": False, "abandoned": False,
                    "coproduced": coproduced if adopted else 0.0, "coassessed": monitored})
        self.rows.append(row)
        if not adopted:
            return
        # delays beyond the plan (permits, procurement, contractors): the delivery-lag distribution
        delay = implementation.delays(1, a.delay_mean_months * (1.0 - a.coassessment_delay_effect * monitored),
                                      m.rng)[0]
        overrun = float(implementation.overruns(1, a.cost_overrun_mean, a.cost_overrun_log_sd, m.rng)[0])
        dropped = bool(implementation.never_carried_out(1, a.abandon_share, m.rng)[0])
        self.queue.append(Project(
            row=len(self.rows) - 1, origin=origin, neighbourhood=row["neighbourhood"], cost=row["cost"],
            remaining_hours=staff_hours * overrun, ready_month=planned + int(delay), due_month=due,
            supporters=supporters, coproduced=coproduced, overrun=overrun,
            abandon_month=planned if dropped else None))

    def report_progress(self) -> None:
        """The continuous factor shows what earlier cycles delivered and what they did not (seed report).

        Residents who follow the process hear the record of promises kept and broken: each is
        reached with the chance of her awareness times the continuity role. Nothing to report before
        any promise fell due.
        """
        m, a = self.model, self.administration
        if self.due == 0 or a.role_continuity == 0:
            return
        reached = np.flatnonzero(m.rng.random(m.population.size) < a.role_continuity * m.population.awareness)
        m.signals.send(m.signals.progress(reached, self.kept, self.due - self.kept))

    def promise_kept(self) -> float:
        """Share of the residents' projects that fell due which were kept (1 when none fell due yet)."""
        return self.kept / self.due if self.due else 1.0

    # ------------------------------------------------------------------ the month

    def step(self) -> list[Delivery]:
        """Reopening, projects dropped, then implementation with the hours left; returns this month's deliveries."""
        self._reopen()
        self._drop_abandoned()
        return self._implement(self.model.staff.left_for_projects())

    def _broken(self, projects: list[Project]) -> int:
        """Residents' projects among ``projects``: promises broken (unless already counted as late)."""
        return sum(1 for p in projects if p.origin == RESIDENTS and not p.late)

    def _drop_abandoned(self) -> None:
        """Projects found not to be carried out in their planned month are dropped: a promise broken."""
        m, a, c = self.model, self.administration, self.citizens
        gone = [p for p in self.queue if p.abandon_month is not None and p.abandon_month <= m.month]
        if not gone:
            return
        for p in gone:
            self.rows[p.row]["abandoned"] = True
            m.budget.release(p.origin, p.cost)  # the money comes back: the council spends it at the year's end
            m.signals.send(m.signals.project(SignalKind.abandoned, p.supporters, c.abandon_signal))
        self.due += self._broken(gone)
        self.abandoned += sum(1 for p in gone if p.origin == RESIDENTS)
        self.queue = [p for p in self.queue if p.abandon_month is None or p.abandon_month > m.month]
        m.administration.do("learn_from_projects", 0, len(gone), a.learning_rate, a.failure_saturation)

    def _reopen(self) -> None:
        """The council may reopen decisions taken with residents (never its own, which it simply changes)."""
        m, d, a = self.model, self.design, self.administration
        open_decisions = [p for p in self.queue if p.origin == RESIDENTS]
        if not open_decisions:
            return
        p = reopening.monthly_reopen_probability(d.reopen_probability, a.role_guardian,
                                                 m.council.agg("commitment", np.mean),
                                                 guardian_effect=a.guardian_effect,
                                                 commitment_effect=self.council.commitment_effect)
        mask = m.choices.reopen(reopening.reopen(len(open_decisions), p, m.rng), m.month)
        hit = [proj for proj, h in zip(open_decisions, mask, strict=True) if h]
        if not hit:
            return
        for proj in hit:
            # Supporters see a decision taken with them undone; their ties hear of it; the money comes back.
            m.signals.send(m.signals.reopened(proj.supporters))
            self.rows[proj.row]["reopened"] = True
            m.budget.release(proj.origin, proj.cost)
        self.due += self._broken(hit)
        gone = {id(proj) for proj in hit}
        self.queue = [q for q in self.queue if id(q) not in gone]
        self.reopened += len(hit)
        m.administration.do("learn_from_projects", 0, len(hit), a.learning_rate, a.failure_saturation)

    def _implement(self, hours_free: float) -> list[Delivery]:
        m, a, c = self.model, self.administration, self.citizens
        deliveries: list[Delivery] = []
        if not self.queue:
            return deliveries
        remaining = np.array([p.remaining_hours for p in self.queue])
        given = implementation.allocate_hours(remaining, hours_free)
        m.staff.spend("implementation", float(given.sum()))
        for p, g in zip(self.queue, given, strict=True):
            p.remaining_hours -= g
        ready = np.array([p.ready_month for p in self.queue])
        done = implementation.delivered(np.array([p.remaining_hours for p in self.queue]), ready, m.month)
        successes, failures = 0, 0
        for p, fin in zip(self.queue, done, strict=True):
            residents = p.origin == RESIDENTS
            if not p.late and m.month > p.due_month:
                # past its due month and not yet reported late: late now, delivered this month or not
                p.late = True
                self.rows[p.row]["late"] = True
                failures += 1
                if residents:
                    self.late += 1
                    self.due += 1
                    m.signals.send(m.signals.project(SignalKind.late, p.supporters, c.late_signal))
            if fin:
                successes += 1
                deliveries.append(Delivery(p.neighbourhood, p.cost, p.coproduced))
                self.rows[p.row]["month_delivered"] = m.month
                self.rows[p.row]["cost_final"] = p.cost * p.overrun
                # the project money pays a project when it is delivered, at its final cost (the cost
                # ledger: m.staff.pay); the overrun (or what it cost less) is settled with the common money
                m.staff.pay(p.cost * p.overrun)
                m.budget.overrun(p.origin, p.cost * (p.overrun - 1.0))
                if residents:
                    self.due += 0 if p.late else 1
                    self.kept += 1 if m.month <= p.due_month else 0
                    self.implemented += 1
                    m.signals.send(m.signals.project(SignalKind.delivered, p.supporters, 1.0))
        self.queue = [p for p, fin in zip(self.queue, done, strict=True) if not fin]
        m.administration.do("learn_from_projects", successes, failures, a.learning_rate, a.failure_saturation)
        return deliveries

    def ledger(self) -> list[dict[str, Any]]:
        """The ledger rows (one per proposal or council project), in the order they were entered."""
        return self.rows
