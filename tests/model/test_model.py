"""Tests of sim/model/model.py: the wiring of the processes and the schedule of one month.

Each process's step, and every call by which ``CoproductionModel.step`` passes on what a process
returned, is wrapped to record that it was called (and with which phase), on a 12-resident
participatory budget; the order must be that of docs/model.md 3.2 as written in
``CoproductionModel.step``, the decision must run only in the decision month, and no process calls
another's step behind the schedule's back.
"""

from __future__ import annotations

import pytest

from sim.model.model import TIMESERIES_COLUMNS
from sim.model.processes.cycle import Phase
from tests.model.processes.support import tiny_model


@pytest.fixture
def traced(monkeypatch):
    """A model whose processes append (name, argument) to ``model.trace`` when they step."""
    m = tiny_model()
    m.month = -1  # as built: the first step is month 0
    m.trace = []
    targets = [("staff", "open_month"), ("elections", "step"), ("cycles", "step"), ("cycles", "pause_for_election"),
               ("information", "step"), ("information", "fade"), ("participation", "step"),
               ("participation", "reset"), ("participation", "facilitate"), ("participation", "remember"),
               ("participation", "fade_habit"), ("coproduction", "step"), ("decision", "step"),
               ("decision", "announce"), ("decision", "abandon"), ("projects", "step"), ("projects", "record_cycle"),
               ("projects", "report_progress"), ("services", "step"), ("signals", "forget"),
               ("legitimacy", "observe_decision"), ("legitimacy", "observe_reopening"), ("legitimacy", "step")]
    for attr, method in targets:
        obj = getattr(m, attr)
        original = getattr(obj, method)

        def wrapper(*args, _name=f"{attr}.{method}", _original=original):
            m.trace.append((_name, args[0] if args and isinstance(args[0], Phase) else None))
            return _original(*args)

        monkeypatch.setattr(obj, method, wrapper)
    return m


def test_month_order(traced):
    """An ordinary month: ledger opened, election, calendar, information, participation,
    projects, services, memory, legitimacy, in that order; the phase reaches information,
    participation and legitimacy; no decision outside the decision month."""
    m = traced
    m.step()
    assert m.month == 0
    names = [name for name, _ in m.trace]
    assert names == ["staff.open_month", "elections.step", "cycles.step", "information.step",
                     "participation.step", "coproduction.step", "participation.facilitate", "projects.step",
                     "legitimacy.observe_reopening", "services.step", "signals.forget", "legitimacy.step"]
    phases = {name: phase for name, phase in m.trace if phase is not None}
    assert phases == {"information.step": Phase.idle, "participation.step": Phase.idle,
                      "coproduction.step": Phase.idle, "legitimacy.step": Phase.idle}


def test_decision_only_in_the_decision_month(traced):
    """The participatory budget opens at month 3 with 2 inform and 3 participate months: the
    decision runs in month 8 only, between participation and projects."""
    m = traced
    d = m.config.design
    assert (d.start_month, d.inform_months, d.ideas_months, d.inform_first) == (3, 2, 3, True)
    decided = []
    for _ in range(12):
        m.trace.clear()
        m.step()
        names = [name for name, _ in m.trace]
        if "decision.step" in names:
            decided.append(m.month)
            i = names.index("decision.step")
            assert names[i - 1] == "participation.facilitate"
            # what was decided is passed on: the ledger, the habit, legitimacy; then the projects' month
            assert names[i + 1:i + 5] == ["projects.record_cycle", "participation.remember",
                                          "legitimacy.observe_decision", "projects.step"]
    assert decided == [8]


def test_a_cycle_opening_resets_announces_and_reports(traced):
    """The month a cycle opens (month 3), after the calendar and before the month's news: nobody
    takes part yet, the promise is announced (the record keeps it), the continuous factor reports."""
    m = traced
    for _ in range(4):
        m.trace.clear()
        m.step()
    names = [name for name, _ in m.trace]
    assert names[2:7] == ["cycles.step", "participation.reset", "decision.announce", "projects.report_progress",
                          "information.step"]
    assert m.cycles.current.start == 3 and m.cycles.current.expected == m.decision.promise > 0


def test_an_election_drops_a_running_cycle(traced):
    """An election in a cycle's participate phase, without continuity: the calendar pauses and drops
    the cycle, its participants hear nothing back (ignored), nobody takes part any more, and what
    residents knew of the process and their habit fade; all before the calendar's own month."""
    m = traced
    m.config.scenario.next_election_month = 6
    m.config.administration.role_continuity = 0.0
    for _ in range(6):  # months 0-5: the cycle opens at 3 and informs at 3-4, residents take part from 5
        m.step()
    assert m.cycles.phase is Phase.participate
    m.participation.taking_part[:2] = True
    m.trace.clear()
    m.step()  # month 6: the election
    names = [name for name, _ in m.trace]
    assert names[1:8] == ["elections.step", "cycles.pause_for_election", "decision.abandon", "participation.reset",
                          "information.fade", "participation.fade_habit", "cycles.step"]
    assert m.cycles.closed[-1].extra["abandoned"] is True and m.cycles.closed[-1].participants >= 2
    assert "ignored" in m.signals.history[6]
    assert not m.participation.taking_part.any() and m.cycles.phase is Phase.paused


def test_one_row_per_month_with_every_column(traced):
    """The DataCollector records one row per month, with exactly TIMESERIES_COLUMNS."""
    m = traced
    for _ in range(3):
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == list(TIMESERIES_COLUMNS)
    assert df["month"].tolist() == [0, 1, 2]
    assert set(m.report()) == set(TIMESERIES_COLUMNS)
