"""Tests of sim/model/model.py: the wiring of the processes and the schedule of one month.

Each process's part of the month is wrapped to record that it was called (and with which phase),
on a 12-resident participatory budget; the order must be that of docs/model.md 3.2 as written in
``CoproductionModel.step``: the decision runs only in the decision month, the council's own projects
only in the last month of a budget year, and an election that pauses participation cuts the running
cycle short before the calendar moves on.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms.perceptions import INDEX
from sim.model.model import TIMESERIES_COLUMNS
from sim.model.processes.cycle import Phase
from tests.model.processes.support import tiny_model

#: (process, method) wrapped to trace the month, in the order of CoproductionModel.step.
TARGETS = [("staff", "open_month"), ("budget", "open_year"), ("elections", "step"), ("decision", "abandon"),
           ("cycles", "close"), ("information", "fade"), ("participation", "fade_habit"), ("cycles", "open"),
           ("decision", "announce"), ("projects", "report_progress"), ("cycles", "advance"),
           ("information", "step"), ("participation", "step"), ("coproduction", "step"),
           ("participation", "facilitate"), ("decision", "step"), ("projects", "record_council"),
           ("projects", "step"), ("services", "step"), ("signals", "forget"), ("perceptions", "step")]

#: What every month does, whatever happens in it.
EVERY_MONTH = ["staff.open_month", "budget.open_year", "elections.step", "cycles.advance", "information.step",
               "participation.step", "coproduction.step", "participation.facilitate", "projects.step",
               "services.step", "signals.forget", "perceptions.step"]


def traced_model(*overrides: str):
    """A model whose processes append (name, phase argument) to ``model.trace`` when called."""
    m = tiny_model("participatory_budget", *overrides)
    m.month = -1  # as built: the first step is month 0
    m.signals.month = -1
    m.trace = []
    mp = pytest.MonkeyPatch()
    for attr, method in TARGETS:
        obj = getattr(m, attr)
        original = getattr(obj, method)

        def wrapper(*args, _name=f"{attr}.{method}", _original=original, **kwargs):
            m.trace.append((_name, args[0] if args and isinstance(args[0], Phase) else None))
            return _original(*args, **kwargs)

        mp.setattr(obj, method, wrapper)
    return m, mp


@pytest.fixture
def traced():
    m, mp = traced_model()
    yield m
    mp.undo()


def names(m) -> list[str]:
    return [name for name, _ in m.trace]


def test_month_order(traced):
    """An ordinary month (0): ledger and budget year opened, election, calendar, information,
    participation, co-production, facilitation, projects, services, memory, survey, in that order;
    the phase reaches information, participation and co-production; no decision, no council projects."""
    m = traced
    m.step()
    assert m.month == 0
    assert names(m) == EVERY_MONTH
    phases = {name: phase for name, phase in m.trace if phase is not None}
    assert phases == {"information.step": Phase.idle, "participation.step": Phase.idle,
                      "coproduction.step": Phase.idle}


def test_a_cycle_opens_with_its_promise_and_the_progress_report(traced):
    """Month 3 (design.start_month): the cycle opens, the promise is announced and progress is reported
    before the month's phase (inform) is known to the other processes."""
    m = traced
    for _ in range(4):
        m.trace.clear()
        m.step()
    assert m.month == 3
    got = names(m)
    i = got.index("cycles.advance")
    assert got[i - 3:i] == ["cycles.open", "decision.announce", "projects.report_progress"]
    assert m.cycles.current.expected == m.decision.promise
    assert dict(m.trace)["information.step"] is Phase.inform


def test_decision_only_in_the_decision_month(traced):
    """The participatory budget opens at month 3 with 2 inform and 3 participate months: the
    decision runs in month 8 only, after participation and facilitation, before projects."""
    m = traced
    d = m.config.design
    assert (d.start_month, d.inform_months, d.ideas_months, d.inform_first) == (3, 2, 3, True)
    decided = []
    for _ in range(12):
        m.trace.clear()
        m.step()
        got = names(m)
        if "decision.step" in got:
            decided.append(m.month)
            i = got.index("decision.step")
            assert got[i - 1] == "participation.facilitate" and got[i + 1] == "projects.step"
    assert decided == [8]


def test_council_projects_in_the_last_month_of_each_budget_year(traced):
    """Months 11 and 23 close a budget year: the council's own projects are recorded after the
    decision month's work and before the month's implementation; in no other month."""
    m = traced
    council = []
    for _ in range(24):
        m.trace.clear()
        m.step()
        got = names(m)
        if "projects.record_council" in got:
            council.append(m.month)
            assert got[got.index("projects.record_council") + 1] == "projects.step"
    assert council == [11, 23]


def test_an_election_that_pauses_cuts_the_cycle_short():
    """An election in month 6 (the participate phase) without continuity: the pause (9 months) abandons
    the cycle, whose participants hear the silence, before residents forget part of what they knew and
    before the calendar moves on; the month's phase is then paused."""
    m, mp = traced_model("scenario.next_election_month=6", "administration.role_continuity=0.0")
    try:
        for _ in range(7):
            m.trace.clear()
            m.step()
        assert m.month == 6
        got = names(m)
        i = got.index("elections.step")
        assert got[i + 1:i + 6] == ["decision.abandon", "cycles.close", "information.fade",
                                    "participation.fade_habit", "cycles.advance"]
        assert m.cycles.phase is Phase.paused and m.cycles.current is None
        assert m.cycles.resume_not_before == 6 + 9
    finally:
        mp.undo()


def test_an_election_with_full_continuity_changes_nothing_in_the_calendar():
    """With full continuity the new council does not pause: no abandon, no fading, the cycle runs on."""
    m, mp = traced_model("scenario.next_election_month=6", "administration.role_continuity=1.0")
    try:
        for _ in range(7):
            m.trace.clear()
            m.step()
        assert names(m) == EVERY_MONTH
        assert m.cycles.phase is Phase.participate and m.cycles.current.index == 1
    finally:
        mp.undo()


def test_one_row_per_month_with_every_column(traced):
    """The DataCollector records one row per month, with exactly TIMESERIES_COLUMNS."""
    m = traced
    for _ in range(3):
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == list(TIMESERIES_COLUMNS)
    assert df["month"].tolist() == [0, 1, 2]
    assert set(m.report()) == set(TIMESERIES_COLUMNS)


def test_memory_fades_every_month():
    """A month of the 'none' design (nothing to hear but services): trust drifts back toward where each resident
    started by 1 - 0.5 ** (1 / 36) of the gap (perceptions.memory_half_life_months 36), the fear of wasted
    effort by citizens.fear_memory 0.02, and each civil servant's learned attitudes by
    administration.attitude_memory 0.01 (fear of failure 0.6 -> 0.6 + 0.01 * (start - 0.6))."""
    m = tiny_model("none")
    m.month = m.signals.month = -1
    pop = m.population
    assert (m.config.perceptions.memory_half_life_months, m.config.citizens.fear_memory,
            m.config.administration.attitude_memory) == (36.0, 0.02, 0.01)
    pop.latent("trust")[:] = pop.perception_initial[INDEX["trust"]] + 1.0
    pop.fear = pop.fear_initial + 0.3
    m.administration.set("fear_failure", 0.6)
    start = np.array([s.initial["fear_failure"] for s in m.administration])
    m.step()
    rate = 1 - 0.5 ** (1 / 36)
    assert_allclose(pop.latent("trust"), pop.perception_initial[INDEX["trust"]] + (1 - rate), rtol=1e-5)
    assert_allclose(pop.fear, pop.fear_initial + 0.3 * 0.98)
    assert_allclose(m.administration.get("fear_failure"), 0.6 + 0.01 * (start - 0.6))
