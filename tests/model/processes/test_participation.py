"""Tests of sim/model/processes/participation.py: who joins, the panel, habit, facilitation hours.

On a 12-resident model the eligible residents are set by hand (residents 0-5); where a
test needs certainty about who joins, the Bernoulli draw of the open call is replaced by
"joins whenever the probability is positive", so that only the process's own gating (eligible,
not yet taking part, the participate phase) decides.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sim.model.mechanisms.participation as participation_rules
from sim.model.processes.cycle import CycleRecord, Phase
from tests.model.processes.support import mask, set_eligible, set_population, tiny_model

ELIGIBLE = mask(12, 0, 1, 2, 3, 4, 5)


@pytest.fixture
def certain(monkeypatch):
    """Everyone with a positive probability joins (the open call's draw made certain)."""
    monkeypatch.setattr(participation_rules, "decide", lambda p, rng: p > 0)


def open_call_model():
    m = tiny_model()  # participatory budget: open call, facilitation 0.4
    set_eligible(m, ELIGIBLE)
    set_population(m, awareness=1.0, trust=0.8, efficacy=0.8, fear=0.1, habit=0.5)
    m.staff.open_month()
    return m


def test_only_eligible_residents_join(certain):
    """The open call: residents 0-5 (eligible) join, 6-11 (too young) never do."""
    m = open_call_model()
    m.participation.step(Phase.participate)
    assert np.array_equal(m.participation.taking_part, ELIGIBLE)
    assert m.participation.count() == 6
    assert m.participation.participants().tolist() == [0, 1, 2, 3, 4, 5]


def test_only_eligible_join_with_the_real_draw():
    """With the model's own random draw over a year of months, still nobody ineligible joins."""
    m = open_call_model()
    for _ in range(12):
        m.participation.step(Phase.participate)
    assert m.participation.taking_part.any()
    assert not m.participation.taking_part[~ELIGIBLE].any()


@pytest.mark.parametrize("phase", [Phase.idle, Phase.inform, Phase.decide, Phase.paused])
def test_nobody_joins_outside_the_participate_phase(certain, phase):
    """Residents join only in the participate phase (and no facilitation is booked otherwise)."""
    m = open_call_model()
    m.participation.step(phase)
    assert m.participation.count() == 0
    assert m.staff.spent["facilitation"] == 0.0


def test_facilitation_hours_per_newcomer(certain):
    """Facilitation costs design.facilitation * facilitation_hours per new participant:
    6 newcomers * 0.4 * 0.5 h = 1.2 h; the next month nobody is new, so nothing more is booked."""
    m = open_call_model()
    assert (m.config.design.facilitation, m.config.administration.facilitation_hours) == (0.4, 0.5)
    m.participation.facilitate(m.participation.step(Phase.participate))
    assert_allclose(m.staff.spent["facilitation"], 1.2)
    m.participation.facilitate(m.participation.step(Phase.participate))
    assert_allclose(m.staff.spent["facilitation"], 1.2)
    assert_allclose(m.staff.free, 200 - 1.2)


def test_panel_drawn_once_per_cycle():
    """Panel by lot: drawn in the first participate month from the eligible only; later months
    add nobody; after reset (a new cycle) a panel is drawn again. (Letters are answered almost
    always here, so that a dozen residents can fill a panel.)"""
    m = tiny_model("citizens_panel")
    m.config.citizens.panel_invitation_bonus = 10.0
    set_eligible(m, ELIGIBLE)
    set_population(m, trust=0.8, efficacy=0.8, fear=0.1, habit=0.5)
    m.staff.open_month()
    part = m.participation
    part.facilitate(part.step(Phase.participate))
    first = part.taking_part.copy()
    assert first.any()
    assert not first[~ELIGIBLE].any()
    # facilitation 0.9 * 0.5 h per panel member
    assert_allclose(m.staff.spent["facilitation"], 0.9 * 0.5 * first.sum())
    part.facilitate(part.step(Phase.participate))
    assert np.array_equal(part.taking_part, first)
    assert_allclose(m.staff.spent["facilitation"], 0.9 * 0.5 * first.sum())
    part.reset()
    assert part.count() == 0
    part.step(Phase.participate)
    assert part.taking_part.any() and not part.taking_part[~ELIGIBLE].any()


def test_remember_forms_habit_for_eligible_only():
    """habit <- 0.5 * habit + 0.5 * took_part * (1 + satisfaction) / 2 (habit_rate 0.5), eligible only.

    Participants 0 and 1 (satisfaction 0.6 and 0.0), eligible non-participants 2-5, ineligible 6-11,
    all at habit 0.2. The cycle's record keeps the share who had taken part before (1 of 2).
    """
    m = tiny_model()
    set_eligible(m, ELIGIBLE)
    set_population(m, habit=0.2)
    assert m.config.citizens.habit_rate == 0.5
    part = m.participation
    part.taking_part[:] = mask(12, 0, 1)
    m.population.ever_participated[1] = True
    satisfaction = np.zeros(12)
    satisfaction[0] = 0.6
    m.cycles.current = CycleRecord(index=1, start=0)
    part.remember(np.array([0, 1]), satisfaction)
    # 0: 0.1 + 0.5 * 1.6 / 2 = 0.5;  1: 0.1 + 0.5 * 1.0 / 2 = 0.35;  2-5: 0.1;  6-11: unchanged 0.2
    assert_allclose(m.population.habit, [0.5, 0.35] + [0.1] * 4 + [0.2] * 6)
    assert m.cycles.current.repeat_share == 0.5
    assert m.population.ever_participated[:2].all() and not m.population.ever_participated[2:].any()
    assert m.population.cycles_participated.tolist() == [1, 1] + [0] * 10


def test_fade_habit():
    """After an election residents keep the share ``kept`` of their habit (0.4 * 0.5 = 0.2)."""
    m = tiny_model()
    set_population(m, habit=0.4)
    m.participation.fade_habit(0.5)
    assert_allclose(m.population.habit, 0.2)


def test_education_bias():
    """Share of the highly educated among participants over their share among the eligible.

    Education set to high for residents 0 and 1 of the six eligible (share 1/3); participants 0 and 2
    (share 1/2): bias (1/2) / (1/3) = 1.5. Nobody taking part: 1.
    """
    m = tiny_model()
    set_eligible(m, ELIGIBLE)
    set_population(m, education=[2, 2] + [0] * 10)
    assert m.participation.education_bias() == 1.0
    m.participation.taking_part[:] = mask(12, 0, 2)
    assert_allclose(m.participation.education_bias(), 1.5)
