"""Tests of sim/model/processes/projects.py: the ledger (residents' proposals and the council's own
projects), implementation under the hours left, deliveries and lateness, reopening, the promise record
of residents' projects and the progress report.

Projects are put in the queue by hand (each with its ledger row), on a 12-resident model with
no ties, every latent attitude at 0, awareness 0.8, the civil servants' fear of failure 0.4 (learning
rate 0.1, saturation 5). Project news moves the trust and output items of its supporters by
perceptions.delivery 0.1 sd at full strength (bad news twice as much: negativity 2): delivered +1,
late -0.5, dropped -0.75; a reopened decision moves trust and throughput by -1 * perceptions.outcome 0.2
* 2 = -0.4, and the supporters' ties hear half of it (reopen_spill 0.5) times word_of_mouth 0.1.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sim.model.mechanisms.reopening as reopening_rules
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.mechanisms.proposals import Proposals
from sim.model.processes.projects import COUNCIL, LEDGER_COLUMNS, RESIDENTS, Delivery, Project
from tests.model.processes.support import N, set_network, set_population, tiny_model


def add_project(m, remaining: float, ready: int, due: int, supporters: list[int], neighbourhood: int = 0,
                cost: float = 10_000.0, origin: str = RESIDENTS) -> Project:
    """Queue a project with a fresh ledger row."""
    m.projects.rows.append({"origin": origin, "month_delivered": None, "late": False, "reopened": False})
    p = Project(row=len(m.projects.rows) - 1, origin=origin, neighbourhood=neighbourhood, cost=cost,
                remaining_hours=remaining, ready_month=ready, due_month=due,
                supporters=np.array(supporters, dtype=np.int64), coproduced=0.3)
    m.projects.queue.append(p)
    return p


def item(m, name: str) -> np.ndarray:
    return m.population.perception[INDEX[name]]


@pytest.fixture
def model():
    m = tiny_model()
    set_network(m, [])
    set_population(m, perception=np.zeros((len(ITEMS), N)), awareness=0.8)
    m.administration.set("fear_failure", 0.4)
    m.config.design.reopen_probability = 0.0
    m.month = m.signals.month = 10
    m.staff.open_month()
    return m


def test_rates_assumed(model):
    """The signals' strengths and sizes assumed below."""
    c, s = model.config.citizens, model.config.perceptions
    assert (c.late_signal, c.abandon_signal, c.reopen_signal, c.reopen_spill) == (-0.5, -0.75, -1.0, 0.5)
    assert (s.delivery, s.outcome, s.negativity, s.public, s.word_of_mouth) == (0.1, 0.2, 2.0, 0.05, 0.1)


def test_ledger_columns_start_with_the_origin():
    assert LEDGER_COLUMNS[0] == "origin"
    assert len(set(LEDGER_COLUMNS)) == len(LEDGER_COLUMNS)


def test_hours_oldest_first_delivered_and_late(model):
    """200 - 150 = 50 h for projects, oldest first: 30, 20, 0 of [30, 30, 30].

    Project A (ready 10, due 13) is finished and delivered on time; B (due 9 < month 10) is
    still 10 h short and becomes late; C (due 20) has no hours yet and is neither.
    """
    m = model
    m.staff.spend("facilitation", 150.0)
    a = add_project(m, 30.0, ready=10, due=13, supporters=[0, 1])
    b = add_project(m, 30.0, ready=8, due=9, supporters=[2])
    c = add_project(m, 30.0, ready=12, due=20, supporters=[3])
    deliveries = m.projects.step()
    assert_allclose(m.staff.spent["implementation"], 50.0)
    assert_allclose([b.remaining_hours, c.remaining_hours], [10.0, 30.0])
    assert deliveries == [Delivery(0, 10_000.0, 0.3)]
    assert m.projects.queue == [b, c]
    rows = m.projects.rows
    assert rows[a.row]["month_delivered"] == 10 and rows[b.row]["late"] is True
    assert rows[c.row] == {"origin": RESIDENTS, "month_delivered": None, "late": False, "reopened": False}
    # supporters, trust and output: delivered +1 * 0.1; late -0.5 * 0.1 * 2 = -0.1; C's not moved
    for name in ("trust", "output"):
        assert_allclose(item(m, name)[:4], [0.1, 0.1, -0.1, 0.0], atol=1e-7)
    assert_allclose(item(m, "input"), 0.0)
    assert (m.projects.implemented, m.projects.late) == (1, 1)
    # promises: A due and kept, B due (late) and not kept
    assert (m.projects.due, m.projects.kept) == (2, 1)
    assert m.projects.promise_kept() == 0.5
    # fear of failure: 1 success, 1 failure: 0.4 + 0.1 * 2/5 * (0.5 - 0.4) = 0.404
    assert_allclose(m.administration.get("fear_failure"), 0.404)
    # the project money pays A's cost (no overrun)
    assert_allclose(m.staff.budget_spent, 10_000.0)


def test_late_news_raises_the_fear_of_wasted_effort(model):
    """A late project's supporter: fear 0.4 + fear_learning 0.3 * 0.5 * 0.6 = 0.49; delivery leaves fear alone."""
    m = model
    set_population(m, fear=0.4)
    m.staff.spend("facilitation", 200.0)
    add_project(m, 30.0, ready=8, due=9, supporters=[0])
    add_project(m, 0.0, ready=8, due=20, supporters=[1])
    m.projects.step()
    assert_allclose(m.population.fear[:3], [0.49, 0.4, 0.4])


def test_late_only_once(model):
    """A late project is not late again the next month, and its delivery does not count a second promise."""
    m = model
    m.staff.spend("facilitation", 200.0)  # no hours for projects this month
    p = add_project(m, 30.0, ready=8, due=9, supporters=[0])
    m.projects.step()
    assert p.late and m.projects.late == 1 and m.projects.due == 1
    m.month = m.signals.month = 11
    m.staff.open_month()
    deliveries = m.projects.step()
    assert len(deliveries) == 1
    # delivered late: no new promise (already counted), not kept
    assert (m.projects.late, m.projects.due, m.projects.kept) == (1, 1, 0)


def test_not_delivered_before_ready(model):
    """Hours done but the minimum implementation time not passed: stays in the queue, no signal."""
    m = model
    p = add_project(m, 30.0, ready=12, due=15, supporters=[0])
    assert m.projects.step() == []
    assert p.remaining_hours == 0.0 and m.projects.queue == [p]
    assert_allclose(m.population.perception, 0.0)
    assert_allclose(m.administration.get("fear_failure"), 0.4)


def test_reopened_projects_leave_the_queue(model, monkeypatch):
    """The council reopens the second of three projects: it leaves the queue, its ledger row is
    marked, its supporter's trust and throughput fall by 1 * 0.2 * 2 = 0.4 and her ties hear an echo;
    the administration counts a failure."""
    m = model
    set_network(m, [(2, 5)])
    monkeypatch.setattr(reopening_rules, "reopen", lambda n, p, rng: np.array([False, True, False]))
    m.staff.spend("facilitation", 200.0)
    a = add_project(m, 30.0, ready=12, due=20, supporters=[0])
    b = add_project(m, 30.0, ready=12, due=20, supporters=[2])
    c = add_project(m, 30.0, ready=12, due=20, supporters=[3])
    m.projects.step()
    assert m.projects.queue == [a, c]
    assert m.projects.rows[b.row]["reopened"] is True
    assert m.projects.reopened == 1 and m.projects.due == 1 and m.projects.kept == 0
    for name in ("trust", "throughput"):
        assert_allclose(item(m, name)[[0, 2, 3]], [0.0, -0.4, 0.0], atol=1e-7)
        # tie 5 of resident 2 hears -1 * 0.5 (reopen_spill) * 0.1 (word_of_mouth), weighed as bad news: -0.02
        assert_allclose(item(m, name)[5], -0.05 * 0.4, atol=1e-7)
    assert_allclose(item(m, "output"), 0.0)
    # 0 successes, 1 failure: 0.4 + 0.1 * 1/5 * (1 - 0.4) = 0.412
    assert_allclose(m.administration.get("fear_failure"), 0.412)
    assert "reopened" in m.signals.history[10]


def test_the_council_never_reopens_its_own_projects(model, monkeypatch):
    """Reopening draws among residents' projects only: with every draw a hit, the council's project stays."""
    m = model
    drawn = []
    monkeypatch.setattr(reopening_rules, "reopen", lambda n, p, rng: drawn.append(n) or np.ones(n, dtype=bool))
    m.staff.spend("facilitation", 200.0)
    own = add_project(m, 30.0, ready=12, due=20, supporters=[], origin=COUNCIL)
    add_project(m, 30.0, ready=12, due=20, supporters=[0])
    m.projects.step()
    assert drawn == [1]
    assert m.projects.queue == [own] and m.projects.reopened == 1


def test_nothing_to_reopen_draws_nothing(model, monkeypatch):
    """Only the council's projects open: no draw at all."""
    m = model
    monkeypatch.setattr(reopening_rules, "reopen", lambda n, p, rng: pytest.fail("no draw expected"))
    add_project(m, 30.0, ready=12, due=20, supporters=[], origin=COUNCIL)
    m.projects.step()


def test_progress_report_reaches_those_who_follow(model):
    """Everyone reached (awareness 1, continuity role 1): kept 3 of 4 promises, strength (3 - 1) / 4 = 0.5,
    trust and output +0.5 * perceptions.public 0.05 = +0.025. Nothing before any promise fell due."""
    m = model
    m.config.administration.role_continuity = 1.0
    set_population(m, awareness=1.0)
    m.projects.report_progress()
    assert "progress" not in m.signals.history.get(10, {})
    m.projects.due, m.projects.kept = 4, 3
    m.projects.report_progress()
    for name in ("trust", "output"):
        assert_allclose(item(m, name), 0.025, atol=1e-7)
    assert_allclose(item(m, "input"), 0.0)


def test_progress_report_of_broken_promises(model):
    """Kept 1 of 4: strength (1 - 3) / 4 = -0.5, weighed as bad news: -0.5 * 0.05 * 2 = -0.05."""
    m = model
    m.config.administration.role_continuity = 1.0
    set_population(m, awareness=1.0)
    m.projects.due, m.projects.kept = 4, 1
    m.projects.report_progress()
    assert_allclose(item(m, "trust"), -0.05, atol=1e-7)


def test_progress_report_drawn_with_continuity_times_awareness(model):
    """Each resident is reached with probability role_continuity 0.5 * awareness (0.8 for residents 0-5,
    0 for 6-11), drawn with the model's generator: those drawn move by +0.025 (3 of 4 kept), the others not."""
    m = model
    set_population(m, awareness=[0.8] * 6 + [0.0] * 6)
    m.projects.due, m.projects.kept = 4, 3
    rng = copy.deepcopy(m.rng)
    reached = rng.random(N) < 0.5 * m.population.awareness
    m.projects.report_progress()
    assert_allclose(item(m, "trust"), np.where(reached, 0.025, 0.0), atol=1e-7)
    assert not reached[6:].any()


def test_no_progress_report_without_the_continuity_role(model):
    m = model
    m.config.administration.role_continuity = 0.0
    m.projects.due, m.projects.kept = 4, 3
    m.projects.report_progress()
    assert "progress" not in m.signals.history.get(10, {})


def test_promise_kept_without_promises(model):
    """No promise fell due yet: counted as kept (1)."""
    assert model.projects.promise_kept() == 1.0


def test_delivered_after_its_due_month_is_late(model):
    """A project due in month 9 and delivered in month 10 let its due month pass undelivered: the
    ledger, the late count and the promise record agree that it was late."""
    m = model
    p = add_project(m, 30.0, ready=8, due=9, supporters=[0])
    assert len(m.projects.step()) == 1
    assert (m.projects.due, m.projects.kept) == (1, 0)
    assert m.projects.rows[p.row]["late"] is True
    assert m.projects.late == 1


def test_a_project_dropped_in_its_planned_month(model):
    """A project that will not be carried out leaves the queue in its planned month, before any hours:
    its supporters read a broken promise (trust and output -0.75 * 0.1 * 2 = -0.15), the promise falls due
    unkept, the administration learns of a failure (0.4 + 0.1 * 1/5 * (1 - 0.4) = 0.412) and the project
    money pays nothing for it."""
    m = model
    gone = add_project(m, 30.0, ready=12, due=20, supporters=[0, 1])
    gone.abandon_month = 10
    kept = add_project(m, 30.0, ready=12, due=20, supporters=[2])
    kept.abandon_month = 11  # not yet
    m.projects.step()
    assert m.projects.queue == [kept]
    assert m.projects.rows[gone.row]["abandoned"] is True and m.projects.abandoned == 1
    assert_allclose(item(m, "trust")[:3], [-0.15, -0.15, 0.0], atol=1e-7)
    assert (m.projects.due, m.projects.kept) == (1, 0)
    assert_allclose(m.administration.get("fear_failure"), 0.4 + 0.1 * 1 / 5 * (1 - 0.4))
    assert_allclose(m.staff.budget_spent, 0.0)
    assert "abandoned" in m.signals.history[10]


def test_an_overrun_costs_hours_and_money(model):
    """A project 50 % over its estimate needs 1.5 times its hours and, delivered, spends 1.5 times its cost."""
    m = model
    props = Proposals(np.array([0]), np.array([0], dtype=np.int16), np.array([0.5]), np.array([10_000.0]),
                      np.array([0.1]))
    m.config.administration.cost_overrun_mean = 0.5
    m.config.administration.cost_overrun_log_sd = 0.0
    m.config.administration.abandon_share = 0.0
    m.config.administration.delay_mean_months = 0.0
    m.projects.record_cycle(1, props, np.array([True]), np.array([3]), np.array([True]), np.array([True]),
                            [np.array([0, 1])], 20.0)
    p = m.projects.queue[0]
    assert p.origin == RESIDENTS
    assert_allclose([p.overrun, p.remaining_hours], [1.5, 30.0])
    p.ready_month = m.month
    m.projects.step()
    row = m.projects.rows[p.row]
    assert row["origin"] == RESIDENTS and row["author"] == 0
    assert row["month_delivered"] == 10 and row["cost_final"] == pytest.approx(15_000.0)
    assert_allclose(m.staff.budget_spent, 15_000.0)


def test_monitored_projects_wait_less(model):
    """With every project co-assessed and the effect 1, delays vanish."""
    m = model
    n = 400
    props = Proposals(np.arange(n), np.zeros(n, dtype=np.int16), np.full(n, 0.5), np.full(n, 1000.0),
                      np.full(n, 0.1))
    everything = np.ones(n, dtype=bool)
    m.config.design.coassessment = 1.0
    m.config.administration.coassessment_delay_effect = 1.0
    m.projects.record_cycle(1, props, everything, None, None, everything, [np.array([i]) for i in range(n)], 20.0)
    planned = m.month + m.config.design.implementation_months
    assert all(p.ready_month == planned for p in m.projects.queue)
    assert all(r["coassessed"] for r in m.projects.rows)


# --------------------------------------------------------------------------- the council's own projects


@pytest.fixture
def council(model):
    """Two council projects of 12,000 and 18,000 in neighbourhoods 1 and 3, entered in month 11 with 40 staff
    hours each, without overruns, delays or drops (a design that monitors everything: its residents do not
    monitor the council's projects)."""
    m = model
    m.month = m.signals.month = 11
    a = m.config.administration
    a.cost_overrun_mean, a.cost_overrun_log_sd, a.abandon_share, a.delay_mean_months = 0.0, 0.0, 0.0, 0.0
    m.config.design.coassessment = 1.0
    m.projects.record_council(np.array([1, 3], dtype=np.int16), np.array([12_000.0, 18_000.0]),
                              m.decision.council_project_hours())
    return m


def test_council_projects_in_the_ledger(council):
    """Origin 'council', no cycle, author, theme or vote; adopted in month 11, due 11 + 12 + 3 = 26
    (implementation_months 12, due_grace_months 3); not monitored by residents."""
    m = council
    d = m.config.design
    assert (d.implementation_months, d.due_grace_months) == (12, 3)
    rows = m.projects.ledger()
    assert len(rows) == 2 and all(set(LEDGER_COLUMNS) == set(r) for r in rows)
    for r, where, cost in zip(rows, (1, 3), (12_000.0, 18_000.0), strict=True):
        assert r["origin"] == COUNCIL and r["author"] is None and r["cycle"] == 0
        assert r["theme"] is None and r["votes"] is None and r["funded"] is None
        assert (r["neighbourhood"], r["cost"], r["adopted"]) == (where, cost, True)
        assert (r["month_adopted"], r["month_due"]) == (11, 26)
        assert r["coassessed"] is False and r["coproduced"] == 0.0
    assert [p.origin for p in m.projects.queue] == [COUNCIL, COUNCIL]
    assert all(p.supporters.size == 0 for p in m.projects.queue)


def test_council_projects_need_the_full_staff_hours(council):
    """No residents share the work of the council's projects: 40 h each (design.project_staff_hours),
    against 40 * (1 - 0.5 * 0.3) = 34 h for the participatory budget's own projects."""
    m = council
    assert m.decision.council_project_hours() == 40.0 and m.decision.project_staff_hours() == pytest.approx(34.0)
    assert [p.remaining_hours for p in m.projects.queue] == [40.0, 40.0]


def test_council_projects_delivered_count_as_money_spent_not_as_promises(council):
    """Delivered at 23 (ready 11 + 12): the money pays both (30,000) and services get them, but no
    promise to residents was kept or broken, nobody supported them and nothing is counted implemented."""
    m = council
    m.month = m.signals.month = 23
    m.staff.open_month()
    deliveries = m.projects.step()
    assert sorted(d.neighbourhood for d in deliveries) == [1, 3]
    assert all(d.coproduced == 0.0 for d in deliveries)
    assert_allclose(m.staff.budget_spent, 30_000.0)
    assert (m.projects.implemented, m.projects.due, m.projects.kept) == (0, 0, 0)
    assert "delivered" not in m.signals.history.get(23, {})
    assert_allclose(m.population.perception, 0.0)
    # the administration counts the successes: 0.4 + 0.1 * 2/5 * (0 - 0.4) = 0.384
    assert_allclose(m.administration.get("fear_failure"), 0.384)


def test_a_late_council_project_is_no_broken_promise_to_residents(council):
    """Past its due month (26) undelivered: its row is late and the administration counts a failure, but the
    residents' late count and promise record do not move."""
    m = council
    m.month = m.signals.month = 27
    m.staff.open_month()
    m.staff.spend("facilitation", 200.0)  # no hours: nothing delivered
    m.projects.step()
    assert all(r["late"] for r in m.projects.ledger())
    assert (m.projects.late, m.projects.due) == (0, 0)
    # 0 successes, 2 failures: 0.4 + 0.1 * 2/5 * (1 - 0.4) = 0.424
    assert_allclose(m.administration.get("fear_failure"), 0.424)


def test_a_dropped_council_project_is_not_counted_abandoned(council):
    m = council
    m.projects.queue[0].abandon_month = 11
    m.projects.step()
    assert m.projects.ledger()[0]["abandoned"] is True
    assert (m.projects.abandoned, m.projects.due) == (0, 0)
    assert len(m.projects.queue) == 1
