"""Tests of sim/model/processes/cycle.py: the calendar of the participation cycles (Cycles, Phase).

On a 12-resident model the design's calendar is set by hand (start month 3, two inform
months, three participate months, cycles of 12 months), then ``Cycles.step`` is called month
by month; the phases, openings and closings expected follow from the calendar, written out
in the tests.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from sim.model.processes.cycle import CycleRecord, Phase
from tests.model.processes.support import mask, tiny_model

IDLE, INF, PART, DEC = Phase.idle, Phase.inform, Phase.participate, Phase.decide


def calendar_model(design: str = "participatory_budget", permanent: bool = True, cycles: int = 1,
                   inform_first: bool = True):
    """A model with start 3, inform 2, participate 3, cycle 12 months."""
    m = tiny_model(design)
    d = m.config.design
    d.start_month, d.inform_months, d.ideas_months, d.cycle_months = 3, 2, 3, 12
    d.permanent, d.cycles, d.inform_first = permanent, cycles, inform_first
    m.cycles.start = d.start_month
    return m


def run_calendar(m, months: range) -> list[Phase]:
    """Step only the calendar over ``months``; the phase of each (what ``model.step`` does when a
    cycle opens or closes is tested in tests/model/test_model.py)."""
    phases = []
    for t in months:
        m.month = t
        phases.append(m.cycles.step().phase)
    return phases


def test_phases_over_a_cycle():
    """Idle before month 3; inform 3-4; participate 5-7; decide 8; idle 9-14; the next cycle opens at 15."""
    m = calendar_model()
    phases = run_calendar(m, range(0, 18))
    assert phases == [IDLE] * 3 + [INF] * 2 + [PART] * 3 + [DEC] + [IDLE] * 6 + [INF] * 2 + [PART]
    assert [m.cycles.phase_at(t) for t in range(15, 18)] == [INF, INF, PART]


def test_without_inform_first_participation_starts_at_once():
    """inform_first false: participate 3-5, decide 6."""
    m = calendar_model(inform_first=False)
    assert [m.cycles.phase_at(t) for t in range(2, 8)] == [IDLE, PART, PART, PART, DEC, IDLE]


def test_open_and_close_records():
    """A cycle opens at its start month (index 1, start 3; the month reports it opened) and closes
    12 months later (the month reports the closed record and the new one opened)."""
    m = calendar_model()
    run_calendar(m, range(0, 3))
    assert m.cycles.current is None and m.cycles.index == 0
    m.month = 3
    month = m.cycles.step()
    rec = m.cycles.current
    assert isinstance(rec, CycleRecord) and month.opened is rec and month.closed is None
    assert (rec.index, rec.start) == (1, 3)
    run_calendar(m, range(4, 15))
    m.month = 15
    month = m.cycles.step()
    assert month.closed is rec and month.opened is m.cycles.current
    # month 15 = 3 + 12: cycle 1 closed (done), cycle 2 opened the same month
    assert [r.index for r in m.cycles.closed] == [1]
    assert m.cycles.done == 1
    assert (m.cycles.current.index, m.cycles.current.start) == (2, 15)
    assert m.cycles.closed[0].extra["abandoned"] is False


def test_close_counts_participants():
    """Closing a cycle records its participants and their share of the eligible (``model.step`` then
    resets participation)."""
    m = calendar_model()
    run_calendar(m, range(0, 6))
    m.participation.taking_part[:] = mask(12, 0, 1, 2)
    run_calendar(m, range(6, 16))
    rec = m.cycles.closed[0]
    assert rec.participants == 3
    # 3 participants over the eligible residents
    assert_allclose(rec.participants_eligible_share, 3 / m.n_eligible)


def test_ad_hoc_design_runs_its_cycles_then_stops():
    """An ad hoc design with two cycles: opens at 3 and 15, closes at 15 and 27, idle ever after."""
    m = calendar_model(permanent=False, cycles=2)
    run_calendar(m, range(0, 27))
    assert m.cycles.done == 1 and m.cycles.current.index == 2
    phases = run_calendar(m, range(27, 45))
    assert m.cycles.done == 2
    assert m.cycles.current is None and m.cycles.start is None
    assert set(phases) == {IDLE}
    assert [r.index for r in m.cycles.closed] == [1, 2]


def test_permanent_design_keeps_cycling():
    """A permanent design opens a new cycle every 12 months: cycles 1..4 by month 39."""
    m = calendar_model(permanent=True, cycles=1)
    run_calendar(m, range(0, 40))
    assert m.cycles.done == 3
    assert m.cycles.current.index == 4 and m.cycles.current.start == 39


def test_inactive_design_is_always_idle():
    """The 'none' design never opens a cycle."""
    m = tiny_model("none")
    assert m.cycles.start is None
    assert set(run_calendar(m, range(0, 30))) == {IDLE}
    assert m.cycles.index == 0 and not m.cycles.ran()


class TestElectionPause:
    def test_abandoned_cycle(self):
        """An election in the participate phase abandons the cycle: the record is kept as abandoned
        (not done) and returned (``model.step`` then tells its participants they were ignored and
        resets participation), and the next cycle waits for the pause."""
        m = calendar_model()
        run_calendar(m, range(0, 6))  # month 5: participate
        m.participation.taking_part[:] = mask(12, 0, 1)
        m.month = 6
        dropped = m.cycles.pause_for_election(4)
        c = m.cycles
        assert c.resume_not_before == 10 and c.start == 10
        assert c.current is None and c.done == 0
        assert [r.index for r in c.closed] == [1] and dropped is c.closed[0]
        assert c.closed[0].extra["abandoned"] is True and c.closed[0].participants == 2
        # months 6..9 wait; the new cycle informs at 10-11 and its participation starts at 12
        phases = run_calendar(m, range(6, 13))
        assert phases[4:] == [INF, INF, PART]
        assert all(ph in (IDLE, Phase.paused) for ph in phases[:4])
        assert c.current.index == 2 and c.current.start == 10

    def test_abandoned_cycle_without_participants_leaves_no_record(self):
        """An abandoned cycle nobody took part in is dropped from the records."""
        m = calendar_model()
        run_calendar(m, range(0, 4))  # month 3: inform
        assert m.cycles.pause_for_election(4).participants == 0
        assert m.cycles.closed == [] and m.cycles.current is None

    def test_decided_cycle_runs_its_course(self):
        """An election after the decision does not end the cycle; the next one waits for the pause."""
        m = calendar_model()
        run_calendar(m, range(0, 10))  # month 9: idle after the decision
        assert m.cycles.pause_for_election(9) is None  # resume not before 18; nothing dropped
        assert m.cycles.current.index == 1
        run_calendar(m, range(10, 16))
        # closed at 15 = 3 + 12, but the next starts at max(15, 18) = 18
        assert m.cycles.done == 1 and m.cycles.current is None and m.cycles.start == 18
        assert m.cycles.phase_at(16) is Phase.paused
        run_calendar(m, range(16, 19))
        assert m.cycles.current.start == 18

    def test_no_pause_changes_nothing(self):
        """A pause of zero months (full continuity) leaves the calendar alone."""
        m = calendar_model()
        run_calendar(m, range(0, 6))
        m.participation.taking_part[:] = mask(12, 0)
        m.cycles.pause_for_election(0)
        assert m.cycles.current.index == 1 and m.cycles.closed == []
        assert np.array_equal(m.participation.taking_part, mask(12, 0))


def test_months_after_an_abandoned_first_cycle_are_paused():
    """Phase.paused means "after an election, before the new council restarts participation"
    (cycle.py): that holds as well when the cycle the election abandoned was the first one."""
    m = calendar_model()
    run_calendar(m, range(0, 6))
    m.participation.taking_part[:] = mask(12, 0)
    m.month = 6
    m.cycles.pause_for_election(4)
    assert [m.cycles.phase_at(t) for t in range(6, 10)] == [Phase.paused] * 4


def test_all_adds_the_running_cycle_provisionally():
    """all(): the closed cycles, plus the running one only while someone takes part in it (marked running)."""
    m = calendar_model()
    run_calendar(m, range(0, 6))
    assert m.cycles.all() == [] and not m.cycles.ran()
    m.participation.taking_part[:] = mask(12, 0, 1, 2)
    running = m.cycles.all()
    assert len(running) == 1
    assert running[0].index == 1 and running[0].participants == 3
    assert running[0].extra == {"abandoned": False, "running": True}
    # the provisional copy does not touch the live record, and nothing is closed yet
    assert m.cycles.current.participants == 0 and m.cycles.current.extra == {}
    assert not m.cycles.ran()
