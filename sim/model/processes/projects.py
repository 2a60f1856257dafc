"""Adopted projects: the ledger of every proposal, reopening, implementation under capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.mechanisms import implementation, reopening
from sim.model.processes.base import Process, Result
from sim.model.signals import SignalKind

if TYPE_CHECKING:
    from sim.model.model import CoproductionModel
    from sim.model.processes.decision import Decided

#: Columns of the project ledger (``res.projects``), in order.
LEDGER_COLUMNS = (
    "cycle", "proposal", "neighbourhood", "theme", "author", "cost", "general_interest", "risk", "screened_in",
    "votes", "own_neighbourhood_votes", "funded", "adopted", "month_adopted", "month_due", "month_delivered",
    "cost_final", "late", "reopened", "abandoned", "coproduced", "coassessed",
)


@dataclass
class Project:
    """An adopted proposal waiting for or under implementation (``row``: its line in the ledger)."""

    row: int
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
class ProjectsMonth:
    """What happened to the projects this month: the deliveries, and the share of the open decisions
    that was reopened (None when no decision was open)."""

    deliveries: list[Delivery]
    reopened_share: float | None


@dataclass(frozen=True)
class Delivery:
    """A project delivered this month: where, at what cost, with what share of residents' work."""

    neighbourhood: int
    cost: float
    coproduced: float


class Projects(Process):
    """Keeps the ledger of all proposals and implements the adopted ones.

    Each month the council may first reopen open decisions (each with the design's yearly
    probability, lowered by the guardian role and the council's commitment); a reopened
    project is dropped, its supporters see a decision taken with them undone (a signal), and
    the administration counts it a failure. Then the hours left in the staff ledger go to
    the oldest projects first; a project is delivered when it has its hours and its minimum
    implementation time and its delay (drawn at adoption) have passed, and is late (once) when its
    due month passes undelivered.
    At adoption each project draws its cost overrun (in money and hours) and whether it will
    be dropped, in its planned month, without being carried out; residents monitoring a
    project's delivery (``design.coassessment``) shorten its delays.
    Delivery, lateness and a project dropped are signals to the project's supporters; the
    administration's fear of failure learns from the month's successes and failures. A citizens'
    budget pays a delivered project at its final cost (``model.staff.pay``).
    Owns: the ledger rows, ``queue`` (open projects), the promise record (``due``: promises
    that fell due, ``kept``: delivered on time) and the counts of
    ``implemented``, ``reopened``, ``late`` and ``abandoned`` projects.
    """

    sections = ("design", "citizens", "administration", "council", "production")

    results = (
        Result("proposals_implemented", "projects", "Adopted projects delivered so far.",
               lambda m: m.projects.implemented, summary="total"),
        Result("decisions_reopened", "decisions", "Adopted decisions the council reopened so far.",
               lambda m: m.projects.reopened, summary="total"),
        Result("projects_late", "projects", "Projects that passed their due month undelivered so far.",
               lambda m: m.projects.late, summary="total"),
        Result("projects_abandoned", "projects", "Adopted projects dropped without being carried out so far.",
               lambda m: m.projects.abandoned, summary="total"),
    )

    rows: list[dict[str, Any]]  # the ledger: one row per proposal
    queue: list[Project]  # adopted projects not yet delivered, reopened or dropped
    due: int  # promises that fell due
    kept: int  # of them, delivered on time
    implemented: int
    reopened: int
    late: int
    abandoned: int

    def __init__(self, model: CoproductionModel) -> None:
        super().__init__(model)
        self.rows = []
        self.queue = []
        self.due = 0
        self.kept = 0
        self.implemented = 0
        self.reopened = 0
        self.late = 0
        self.abandoned = 0

    # ------------------------------------------------------------------ the ledger

    def record_cycle(self, decided: Decided) -> None:
        """Enter a decided cycle's proposals in the ledger; queue the adopted ones for implementation.

        ``votes`` and ``own_votes`` (approvals from the proposal's own neighbourhood) are ``None``
        without a ballot.
        """
        cycle, props, screened_in, votes = decided.cycle, decided.proposals, decided.screened_in, decided.votes
        funded, adopted, supporters, own_votes = decided.funded, decided.adopted, decided.supporters, decided.own_votes
        staff_hours = decided.project_staff_hours
        m, d, a = self.model, self.design, self.administration
        planned, due = m.month + d.implementation_months, m.month + d.implementation_months + d.due_grace_months
        n = int(adopted.sum())
        # residents monitor a share of the projects (co-assessment); that shortens their delays
        monitored = m.rng.random(n) < d.coassessment if d.coassessment > 0 else np.zeros(n, dtype=bool)
        # delays beyond the plan (permits, procurement, contractors): the delivery-lag distribution
        delay = implementation.delays(n, a.delay_mean_months * (1.0 - a.coassessment_delay_effect * monitored), m.rng)
        overrun = implementation.overruns(n, a.cost_overrun_mean, a.cost_overrun_log_sd, m.rng)
        dropped = implementation.never_carried_out(n, a.abandon_share, m.rng)
        k = 0
        for j in range(props.size):
            self.rows.append({
                "cycle": cycle, "proposal": j, "neighbourhood": int(props.neighbourhood[j]),
                "theme": int(props.theme[j]) if props.theme[j] >= 0 else None,
                "author": int(props.author[j]), "cost": float(props.cost[j]),
                "general_interest": float(props.general_interest[j]), "risk": float(props.risk[j]),
                "screened_in": bool(screened_in[j]), "votes": None if votes is None else int(votes[j]),
                "own_neighbourhood_votes": None if own_votes is None else int(own_votes[j]),
                "funded": None if funded is None else bool(funded[j]), "adopted": bool(adopted[j]),
                "month_adopted": m.month if adopted[j] else None, "month_due": due if adopted[j] else None,
                "month_delivered": None, "cost_final": None, "late": False, "reopened": False, "abandoned": False,
                "coproduced": d.coproduction if adopted[j] else 0.0,
                "coassessed": bool(monitored[k]) if adopted[j] else False,
            })
            if adopted[j]:
                self.queue.append(Project(
                    row=len(self.rows) - 1, neighbourhood=int(props.neighbourhood[j]), cost=float(props.cost[j]),
                    remaining_hours=staff_hours * float(overrun[k]), ready_month=planned + int(delay[k]),
                    due_month=due, supporters=supporters[j], coproduced=d.coproduction, overrun=float(overrun[k]),
                    abandon_month=planned if dropped[k] else None))
                k += 1

    def report_progress(self) -> None:
        """The continuous factor shows what earlier cycles delivered (seed report).

        Residents who follow the process (in proportion to their awareness) hear how many
        promises were kept; the report is as strong as the continuity role. Nothing to report
        before any project was due.
        """
        m, a = self.model, self.administration
        if self.due == 0 or a.role_continuity == 0:
            return
        kept = self.kept / self.due
        strength = a.role_continuity * (kept - 0.5) * m.population.awareness
        m.signals.send(m.signals.standard(SignalKind.progress, None, strength))

    def promise_kept(self) -> float:
        """Share of the promises that fell due which were kept (1 when none fell due yet)."""
        return self.kept / self.due if self.due else 1.0

    # ------------------------------------------------------------------ the month

    def step(self) -> ProjectsMonth:
        """Reopening, projects dropped, then implementation with the hours left; this month's deliveries
        and the share of open decisions reopened."""
        reopened_share = self._reopen()
        self._drop_abandoned()
        return ProjectsMonth(self._implement(self.model.staff.left_for_projects()), reopened_share)

    def _drop_abandoned(self) -> None:
        """Projects found not to be carried out in their planned month are dropped: a promise broken."""
        m, a, c = self.model, self.administration, self.citizens
        gone = [p for p in self.queue if p.abandon_month is not None and p.abandon_month <= m.month]
        if not gone:
            return
        for p in gone:
            self.rows[p.row]["abandoned"] = True
            m.signals.send(m.signals.standard(SignalKind.abandoned, p.supporters,
                                              np.full(p.supporters.size, c.abandon_signal)))
        self.due += sum(1 for p in gone if not p.late)
        self.abandoned += len(gone)
        self.queue = [p for p in self.queue if p.abandon_month is None or p.abandon_month > m.month]
        m.administration.do("learn_from_projects", 0, len(gone), a.learning_rate, a.failure_saturation)

    def _reopen(self) -> float | None:
        """The council may reopen open decisions; returns the share reopened (None: none was open)."""
        m, d, a = self.model, self.design, self.administration
        if not self.queue:
            return None
        p = reopening.monthly_reopen_probability(d.reopen_probability, a.role_guardian,
                                                 m.council.agg("commitment", np.mean),
                                                 guardian_effect=a.guardian_effect,
                                                 commitment_effect=self.council.commitment_effect)
        mask = reopening.reopen(len(self.queue), p, m.rng)
        n_re = int(mask.sum())
        if n_re:
            c = self.citizens
            for proj, hit in zip(self.queue, mask, strict=True):
                if hit:
                    # Supporters see a decision taken with them undone; their ties hear of it.
                    strength = np.full(proj.supporters.size, c.reopen_signal)
                    m.signals.send(m.signals.standard(SignalKind.reopened, proj.supporters, strength,
                                                      spill=c.reopen_spill))
                    self.rows[proj.row]["reopened"] = True
            # a reopened decision is a promise broken (unless already counted as late)
            self.due += sum(1 for p_, hit in zip(self.queue, mask, strict=True) if hit and not p_.late)
            self.queue = [p_ for p_, hit in zip(self.queue, mask, strict=True) if not hit]
            self.reopened += n_re
            m.administration.do("learn_from_projects", 0, n_re, a.learning_rate, a.failure_saturation)
        return n_re / max(len(self.queue) + n_re, 1)

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
            if not p.late and m.month > p.due_month:
                # past its due month and not yet reported late: late now, delivered this month or not
                p.late = True
                self.rows[p.row]["late"] = True
                self.late += 1
                self.due += 1
                failures += 1
                m.signals.send(m.signals.standard(SignalKind.late, p.supporters,
                                                  np.full(p.supporters.size, c.late_signal)))
            if fin:
                self.due += 0 if p.late else 1
                self.kept += 1 if m.month <= p.due_month else 0
                successes += 1
                deliveries.append(Delivery(p.neighbourhood, p.cost, p.coproduced))
                self.rows[p.row]["month_delivered"] = m.month
                self.rows[p.row]["cost_final"] = p.cost * p.overrun
                if self.design.budget_per_cycle_eur > 0:
                    # the citizens' budget pays a project when it is delivered, at its final cost
                    m.staff.pay(p.cost * p.overrun)
                m.signals.send(m.signals.standard(SignalKind.delivered, p.supporters,
                                                  np.full(p.supporters.size, c.delivery_signal)))
        self.implemented += successes
        self.queue = [p for p, fin in zip(self.queue, done, strict=True) if not fin]
        m.administration.do("learn_from_projects", successes, failures, a.learning_rate, a.failure_saturation)
        return deliveries

    def ledger(self) -> list[dict[str, Any]]:
        """The ledger rows (one per proposal), in order of cycle and proposal."""
        return self.rows
