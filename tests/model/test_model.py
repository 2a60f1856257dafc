"""Tests of sim/model/model.py: the wiring of the processes and the schedule of one month.

Each process's step is wrapped to record that it was called (and with which phase), on a
12-resident participatory budget; the order must be that of docs/model.md 3.2 as written in
``CoproductionModel.step``, and the decision must run only in the decision month.
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
    targets = [("staff", "open_month"), ("elections", "step"), ("cycles", "step"), ("information", "step"),
               ("participation", "step"), ("decision", "step"), ("projects", "step"), ("services", "step"),
               ("signals", "forget"), ("legitimacy", "step")]
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
                     "participation.step", "projects.step", "services.step", "signals.forget", "legitimacy.step"]
    phases = {name: phase for name, phase in m.trace if phase is not None}
    assert phases == {"information.step": Phase.idle, "participation.step": Phase.idle,
                      "legitimacy.step": Phase.idle}


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
            assert names[i - 1] == "participation.step" and names[i + 1] == "projects.step"
    assert decided == [8]


def test_one_row_per_month_with_every_column(traced):
    """The DataCollector records one row per month, with exactly TIMESERIES_COLUMNS."""
    m = traced
    for _ in range(3):
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == list(TIMESERIES_COLUMNS)
    assert df["month"].tolist() == [0, 1, 2]
    assert set(m.report()) == set(TIMESERIES_COLUMNS)
