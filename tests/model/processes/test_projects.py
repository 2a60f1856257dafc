"""Tests of sim/model/processes/projects.py: implementation under the hours left, deliveries and
lateness, reopening, the promise record and the progress report.

Projects are put in the queue by hand (each with its ledger row), on a 12-resident model with
no ties, residents' trust 0.5, the civil servants' fear of failure 0.4 (learning rate 0.1,
saturation 5). Signals use the generic rates: gain 0.15, loss 0.3, delivery +0.5, late -0.5,
reopened -1.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sim.model.mechanisms.reopening as reopening_rules
from sim.model.mechanisms.proposals import Proposals
from sim.model.processes.projects import Delivery, Project
from tests.model.processes.support import decided, set_network, set_population, tiny_model


def add_project(m, remaining: float, ready: int, due: int, supporters: list[int], neighbourhood: int = 0,
                cost: float = 10_000.0) -> Project:
    """Queue a project with a fresh ledger row."""
    m.projects.rows.append({"month_delivered": None, "late": False, "reopened": False})
    p = Project(row=len(m.projects.rows) - 1, neighbourhood=neighbourhood, cost=cost, remaining_hours=remaining,
                ready_month=ready, due_month=due, supporters=np.array(supporters, dtype=np.int64), coproduced=0.3)
    m.projects.queue.append(p)
    return p


@pytest.fixture
def model():
    m = tiny_model()
    set_network(m, [])
    set_population(m, trust=0.5, efficacy=0.4, awareness=0.8)
    m.administration.set("fear_failure", 0.4)
    m.config.design.reopen_probability = 0.0
    m.month = m.signals.month = 10
    m.staff.open_month()
    return m


def test_rates_assumed(model):
    """The signals' strengths assumed below."""
    c = model.config.citizens
    assert (c.delivery_signal, c.late_signal, c.reopen_signal, c.reopen_spill) == (0.5, -0.5, -1.0, 0.5)


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
    deliveries = m.projects.step().deliveries
    assert_allclose(m.staff.spent["implementation"], 50.0)
    assert_allclose([b.remaining_hours, c.remaining_hours], [10.0, 30.0])
    assert deliveries == [Delivery(0, 10_000.0, 0.3)]
    assert m.projects.queue == [b, c]
    rows = m.projects.rows
    assert rows[a.row]["month_delivered"] == 10 and rows[b.row]["late"] is True
    assert rows[c.row] == {"month_delivered": None, "late": False, "reopened": False}
    # supporters: delivered 0.5 + 0.15*0.5*0.5 = 0.5375; late 0.5 - 0.3*0.5*0.5 = 0.425
    assert_allclose(m.population.trust[:4], [0.5375, 0.5375, 0.425, 0.5])
    assert (m.projects.implemented, m.projects.late) == (1, 1)
    # promises: A due and kept, B due (late) and not kept
    assert (m.projects.due, m.projects.kept) == (2, 1)
    assert m.projects.promise_kept() == 0.5
    # fear of failure: 1 success, 1 failure: 0.4 + 0.1 * 2/5 * (0.5 - 0.4) = 0.404
    assert_allclose(m.administration.get("fear_failure"), 0.404)


def test_late_only_once(model):
    """A late project is not late again the next month, and its delivery does not count a second promise."""
    m = model
    m.staff.spend("facilitation", 200.0)  # no hours for projects this month
    p = add_project(m, 30.0, ready=8, due=9, supporters=[0])
    m.projects.step()
    assert p.late and m.projects.late == 1 and m.projects.due == 1
    m.month = 11
    m.staff.open_month()
    deliveries = m.projects.step().deliveries
    assert len(deliveries) == 1
    # delivered late: no new promise (already counted), not kept
    assert (m.projects.late, m.projects.due, m.projects.kept) == (1, 1, 0)


def test_not_delivered_before_ready(model):
    """Hours done but the minimum implementation time not passed: stays in the queue, no signal."""
    m = model
    p = add_project(m, 30.0, ready=12, due=15, supporters=[0])
    assert m.projects.step().deliveries == []
    assert p.remaining_hours == 0.0 and m.projects.queue == [p]
    assert_allclose(m.population.trust, 0.5)
    assert_allclose(m.administration.get("fear_failure"), 0.4)


def test_reopened_projects_leave_the_queue(model, monkeypatch):
    """The council reopens the second of three projects: it leaves the queue, its ledger row is
    marked, its supporters' trust falls 0.5 - 0.3 * 1 * 0.5 = 0.35 and their ties hear an echo;
    the administration counts a failure; the month reports a share 1/3 reopened (for legitimacy)."""
    m = model
    set_network(m, [(2, 5)])
    monkeypatch.setattr(reopening_rules, "reopen", lambda n, p, rng: np.array([False, True, False]))
    m.staff.spend("facilitation", 200.0)
    a = add_project(m, 30.0, ready=12, due=20, supporters=[0])
    b = add_project(m, 30.0, ready=12, due=20, supporters=[2])
    c = add_project(m, 30.0, ready=12, due=20, supporters=[3])
    month = m.projects.step()
    assert month.reopened_share == pytest.approx(1 / 3)
    assert m.projects.queue == [a, c]
    assert m.projects.rows[b.row]["reopened"] is True
    assert m.projects.reopened == 1 and m.projects.due == 1 and m.projects.kept == 0
    assert_allclose(m.population.trust[[0, 2, 3]], [0.5, 0.35, 0.5])
    # tie 5 of resident 2: hears -1 * 0.5 (spill) * 0.1 (spillover) = -0.05 -> 0.5 - 0.3*0.05*0.5 = 0.4925
    assert_allclose(m.population.trust[5], 0.4925)
    # 0 successes, 1 failure: 0.4 + 0.1 * 1/5 * (1 - 0.4) = 0.412
    assert_allclose(m.administration.get("fear_failure"), 0.412)


def test_progress_report(model):
    """The continuous factor reports kept promises: strength 0.5 * (3/4 - 0.5) * awareness 0.8 = 0.1;
    trust 0.5 + 0.15 * 0.1 * 0.5 = 0.5075. Nothing before any promise fell due."""
    m = model
    m.projects.report_progress()
    assert "progress" not in m.signals.history.get(10, {})
    m.projects.due, m.projects.kept = 4, 3
    m.projects.report_progress()
    assert_allclose(m.population.trust, 0.5075)


def test_promise_kept_without_promises(model):
    """No promise fell due yet: counted as kept (1)."""
    assert model.projects.promise_kept() == 1.0


def test_delivered_after_its_due_month_is_late(model):
    """A project due in month 9 and delivered in month 10 let its due month pass undelivered: the
    ledger, the late count and the promise record should agree that it was late."""
    m = model
    p = add_project(m, 30.0, ready=8, due=9, supporters=[0])
    assert len(m.projects.step().deliveries) == 1
    assert (m.projects.due, m.projects.kept) == (1, 0)  # holds today: a promise broken
    assert m.projects.rows[p.row]["late"] is True
    assert m.projects.late == 1


def test_a_project_dropped_in_its_planned_month(model):
    """A project that will not be carried out leaves the queue in its planned month, before any hours:
    its supporters read a broken promise (-0.75: 0.5 - 0.3 * 0.5 * 0.75 = 0.3875), the promise falls due
    unkept, the administration learns of a failure (0.4 + 0.1 * 1/5 * (1 - 0.4) = 0.412) and the citizens'
    budget pays nothing for it."""
    m = model
    gone = add_project(m, 30.0, ready=12, due=20, supporters=[0, 1])
    gone.abandon_month = 10
    kept = add_project(m, 30.0, ready=12, due=20, supporters=[2])
    kept.abandon_month = 11  # not yet
    m.projects.step()
    assert m.projects.queue == [kept]
    assert m.projects.rows[gone.row]["abandoned"] is True and m.projects.abandoned == 1
    assert_allclose(m.population.trust[:3], [0.5 - 0.3 * 0.5 * 0.75] * 2 + [0.5])
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
    m.projects.record_cycle(decided(props, np.array([True]), np.array([3]), np.array([True]), np.array([True]),
                                    [np.array([0, 1])], 20.0))
    p = m.projects.queue[0]
    assert_allclose([p.overrun, p.remaining_hours], [1.5, 30.0])
    p.ready_month = m.month
    m.projects.step()
    row = m.projects.rows[p.row]
    assert row["month_delivered"] == 10 and row["cost_final"] == pytest.approx(15_000.0)
    assert_allclose(m.staff.budget_spent, 15_000.0)


def test_monitored_projects_wait_less(model):
    """With every project co-assessed and the effect 1, delays vanish; without, the mean is 4 months."""
    m = model
    n = 400
    props = Proposals(np.arange(n), np.zeros(n, dtype=np.int16), np.full(n, 0.5), np.full(n, 1000.0),
                      np.full(n, 0.1))
    everything = np.ones(n, dtype=bool)
    m.config.design.coassessment = 1.0
    m.config.administration.coassessment_delay_effect = 1.0
    m.projects.record_cycle(decided(props, everything, None, None, everything, [np.array([i]) for i in range(n)],
                                    20.0))
    planned = m.month + m.config.design.implementation_months
    assert all(p.ready_month == planned for p in m.projects.queue)
    assert all(r["coassessed"] for r in m.projects.rows)
