"""Tests of sim/model/processes/cycle.py: the calendar of the participation cycles (Cycles, Phase).

On a 12-resident model the design's calendar is set by hand (start month 3, two inform
months, three participate months, cycles of 12 months), then the calendar part of the month is
run month by month (``calendar_month``: what ``CoproductionModel.step`` does with the cycles, in
its order; an election's pause is ``election_pause``, the model's election branch); the phases,
openings and closings expected follow from the calendar, written out in the tests.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from sim.model.mechanisms.perceptions import ITEMS
from sim.model.processes.cycle import CycleRecord, Phase
from tests.model.processes.support import calendar_month, mask, run_calendar, set_network, set_population, tiny_model

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


def election_pause(m, pause: int) -> None:
    """An election this month whose new council pauses participation ``pause`` months: the model's
    election branch (``CoproductionModel.step``), with the pause given instead of ``Elections.pause``."""
    if pause and m.cycles.scheduled():
        if m.cycles.postpone(pause):
            m.decision.abandon()
            m.cycles.close(abandoned=True)
            m.participation.reset()


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
    """A cycle opens at its start month (index 1, start 3, with the promise) and closes 12 months later."""
    m = calendar_model()
    run_calendar(m, range(0, 3))
    assert m.cycles.current is None and m.cycles.index == 0
    run_calendar(m, range(3, 4))
    rec = m.cycles.current
    assert isinstance(rec, CycleRecord)
    assert (rec.index, rec.start) == (1, 3)
    assert rec.expected == m.decision.promise > 0
    run_calendar(m, range(4, 16))
    # month 15 = 3 + 12: cycle 1 closed (done), cycle 2 opened the same month
    assert [r.index for r in m.cycles.closed] == [1]
    assert m.cycles.done == 1
    assert (m.cycles.current.index, m.cycles.current.start) == (2, 15)
    assert m.cycles.closed[0].extra["abandoned"] is False


def test_close_counts_participants():
    """Closing a cycle records its participants and their share of the eligible, then resets participation."""
    m = calendar_model()
    run_calendar(m, range(0, 6))
    m.participation.taking_part[:] = mask(12, 0, 1, 2)
    run_calendar(m, range(6, 16))
    rec = m.cycles.closed[0]
    assert rec.participants == 3
    # 3 participants over the eligible residents
    assert_allclose(rec.participants_eligible_share, 3 / m.n_eligible)
    assert not m.participation.taking_part.any()


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
        """An election in the participate phase abandons the cycle: participants hear they were ignored,
        the record is kept as abandoned (not done), and the next cycle waits for the pause."""
        m = calendar_model()
        run_calendar(m, range(0, 6))  # month 5: participate
        set_network(m, [])
        set_population(m, perception=np.zeros((len(ITEMS), 12)))
        m.participation.taking_part[:] = mask(12, 0, 1)
        m.month = m.signals.month = 6
        election_pause(m, 4)
        c = m.cycles
        assert c.resume_not_before == 10 and c.start == 10
        assert c.current is None and c.done == 0
        assert [r.index for r in c.closed] == [1]
        assert c.closed[0].extra["abandoned"] is True and c.closed[0].participants == 2
        # the ignored signal reached the two participants: their trust fell, nobody else's did
        trust = m.population.latent("trust")
        assert (trust[:2] < 0).all() and (trust[2:] == 0).all()
        assert "ignored" in m.signals.history[6]
        assert not m.participation.taking_part.any()
        # months 6..9 wait; the new cycle informs at 10-11 and its participation starts at 12
        phases = run_calendar(m, range(6, 13))
        assert phases[4:] == [INF, INF, PART]
        assert all(ph in (IDLE, Phase.paused) for ph in phases[:4])
        assert c.current.index == 2 and c.current.start == 10

    def test_abandoned_cycle_without_participants_leaves_no_record(self):
        """An abandoned cycle nobody took part in is dropped from the records."""
        m = calendar_model()
        run_calendar(m, range(0, 4))  # month 3: inform
        election_pause(m, 4)
        assert m.cycles.closed == [] and m.cycles.current is None
        # nobody took part: nobody hears the silence
        assert "ignored" not in m.signals.history.get(3, {})

    def test_decided_cycle_runs_its_course(self):
        """An election after the decision does not end the cycle; the next one waits for the pause."""
        m = calendar_model()
        run_calendar(m, range(0, 10))  # month 9: idle after the decision
        assert m.cycles.postpone(9) is False  # resume not before 18; nothing to abandon
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
        assert m.cycles.postpone(0) is False
        election_pause(m, 0)
        assert m.cycles.current.index == 1 and m.cycles.closed == []
        assert np.array_equal(m.participation.taking_part, mask(12, 0))


def test_months_after_an_abandoned_first_cycle_are_paused():
    """Phase.paused means "after an election, before the new council restarts participation"
    (cycle.py): that holds as well when the cycle the election abandoned was the first one."""
    m = calendar_model()
    run_calendar(m, range(0, 6))
    m.participation.taking_part[:] = mask(12, 0)
    m.month = 6
    election_pause(m, 4)
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


def test_the_helper_is_the_models_calendar():
    """``calendar_month`` does what ``CoproductionModel.step`` does with the calendar: over 30 months of
    the model's own step (participation, decisions and all) the phases and the cycles opened and closed
    are those of the helper alone."""
    stepped, helped = calendar_model(), calendar_model()
    stepped.month = -1
    phases = []
    for _ in range(30):
        stepped.step()
        phases.append(stepped.cycles.phase)
    assert phases == run_calendar(helped, range(30))
    for m in (stepped, helped):
        assert [(r.index, r.start) for r in m.cycles.closed] == [(1, 3), (2, 15)]
        assert (m.cycles.current.index, m.cycles.current.start, m.cycles.done) == (3, 27, 2)


def test_first_month_of_a_phase():
    """first_month_of: month 5 is the first of the participate phase (3-4 inform), 6 and 7 are not;
    month 3 the first of inform."""
    m = calendar_model()
    firsts = {}
    for t in range(0, 9):
        calendar_month(m, t)
        firsts[t] = (m.cycles.first_month_of(PART), m.cycles.first_month_of(INF))
    assert [t for t, (part, _) in firsts.items() if part] == [5]
    assert [t for t, (_, inf) in firsts.items() if inf] == [3]


def test_scheduled_while_cycles_remain():
    """scheduled(): an active design with a cycle running or to come; not 'none', not an ad hoc design
    whose cycles are done."""
    assert not tiny_model("none").cycles.scheduled()
    m = calendar_model(permanent=False, cycles=1)
    assert m.cycles.scheduled()  # before the first cycle
    run_calendar(m, range(0, 16))  # opened at 3, closed at 15
    assert m.cycles.done == 1 and not m.cycles.scheduled()
    assert m.cycles.postpone(9) is False and m.cycles.resume_not_before == 0  # nothing left to postpone


def test_postpone_before_the_first_cycle_moves_its_start():
    """An election in month 1, before the first cycle (due at 3), with a pause of 6: nothing to abandon,
    the first cycle starts at max(3, 1 + 6) = 7; months 1-6 are idle (no cycle has run yet), and the
    cycle informs at 7-8 and takes part from 9."""
    m = calendar_model()
    run_calendar(m, range(0, 2))
    assert m.cycles.current is None
    assert m.cycles.postpone(6) is False
    assert (m.cycles.resume_not_before, m.cycles.start) == (7, 7)
    phases = run_calendar(m, range(2, 10))
    assert phases == [IDLE] * 5 + [INF, INF, PART]
    assert (m.cycles.current.index, m.cycles.current.start) == (1, 7)
