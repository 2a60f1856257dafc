"""Tests of sim/model/processes/staff.py: the StaffLedger of the civil servants' hours.

A 12-resident model has 2 civil servants with 100 hours a month: capacity 200.
"""

from __future__ import annotations

from numpy.testing import assert_allclose

from tests.model.processes.support import tiny_model


def test_capacity_and_open_month():
    """Capacity is the sum of the civil servants' hours; a month opens with all of them free."""
    m = tiny_model()
    assert m.staff.capacity() == 2 * 100.0
    m.administration.to_list()[0].hours = 50.0
    assert m.staff.capacity() == 150.0
    m.staff.open_month()
    assert m.staff.free == 150.0


def test_spend_books_by_activity_and_in_total():
    """spend books hours on an activity, in the run total and against the month's free hours."""
    m = tiny_model()
    s = m.staff
    s.open_month()
    assert s.spend("informing", 10.0) == 10.0
    s.spend("facilitation", 5.5)
    s.spend("informing", 2.0)
    assert dict(s.spent) == {"informing": 12.0, "facilitation": 5.5}
    assert_allclose(s.total, 17.5)
    assert_allclose(s.free, 200 - 17.5)
    assert_allclose(s.left_for_projects(), 182.5)
    # a new month restores the free hours, the totals run on
    s.open_month()
    assert s.free == 200.0
    assert_allclose(s.total, 17.5)


def test_free_never_negative_for_projects():
    """An overspent month leaves nothing for projects: it does not borrow (free -50 -> 0 for projects)."""
    m = tiny_model()
    s = m.staff
    s.open_month()
    s.spend("screening and reporting", 250.0)
    assert s.free == -50.0
    assert s.left_for_projects() == 0.0


def test_results_are_the_totals():
    """The staff_hours column reports the total hours over the run, budget_spent what the citizens' budget paid."""
    m = tiny_model()
    m.staff.open_month()
    m.staff.spend("implementation", 7.0)
    m.staff.pay(1000.0)
    m.staff.pay(500.0)
    results = {r.name: r.measure(m) for r in m.staff.results}
    assert results == {"staff_hours": 7.0, "budget_spent": 1500.0}
