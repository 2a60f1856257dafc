"""Tests of sim/model/processes/elections.py: council turnover, the pause, and residents' fading memory.

On a 12-resident model with the generic council (27 seats, turnover 0.4, priors trust 0.5,
fear of self-interest 0.5, commitment 0.6) the election is moved to month 5, the outgoing
council's attitudes are set by hand, and ``Elections.step`` is called once (the council changes),
or the election part of the month is run as the model runs it (``support.election_month``: the
pause a new council gives participation, and residents' fading memory).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms.perceptions import INDEX
from sim.model.processes.cycle import Phase
from tests.model.processes.support import election_month, mask, run_calendar, set_network, set_population, tiny_model

OUTGOING = {"trust_in_citizens": 0.9, "fear_self_interest": 0.1, "commitment": 1.0}


def election_model(continuity: float):
    """A model in month 5 of a running cycle's participate phase, the election due this month."""
    m = tiny_model()
    m.config.scenario.next_election_month = 5
    m.config.administration.role_continuity = continuity
    for attr, value in OUTGOING.items():
        m.council.set(attr, value)
    run_calendar(m, range(0, 6))  # the calendar: open at 3, participate from 5
    assert m.cycles.phase is Phase.participate
    m.participation.taking_part[:] = mask(12, 0, 1)
    set_population(m, awareness=0.8, habit=0.6)
    return m


def test_priors_of_the_generic_council():
    """The expected numbers below assume these priors and this turnover."""
    c = tiny_model().config.council
    assert (c.trust_in_citizens, c.fear_self_interest, c.commitment) == (0.5, 0.5, 0.6)
    assert (c.seats, c.turnover_share) == (27, 0.4)


def test_no_election_this_month():
    """Not an election month: nothing happens."""
    m = election_model(0.5)
    m.month = 6
    assert m.elections.step() is False
    assert election_month(m) is False
    assert_allclose(m.council.get("trust_in_citizens"), 0.9)
    assert m.cycles.current is not None
    assert_allclose(m.population.awareness, 0.8)


@pytest.mark.parametrize("continuity", [0.0, 0.5, 1.0])
def test_seats_replaced_with_newcomer_values(continuity):
    """round(0.4 * 27) = 11 seats change hands; a newcomer's attitude is prior + continuity * (outgoing - prior)."""
    m = election_model(continuity)
    assert m.elections.step() is True
    trust_ = np.asarray(m.council.get("trust_in_citizens"))
    fsi = np.asarray(m.council.get("fear_self_interest"))
    commit = np.asarray(m.council.get("commitment"))
    # outgoing means 0.9, 0.1, 1.0; priors 0.5, 0.5, 0.6
    new_trust = 0.5 + continuity * (0.9 - 0.5)
    new_fsi = 0.5 + continuity * (0.1 - 0.5)
    new_commit = 0.6 + continuity * (1.0 - 0.6)
    replaced = ~np.isclose(trust_, 0.9) if continuity < 1 else np.isclose(trust_, new_trust)
    assert replaced.sum() == (11 if continuity < 1 else 27)
    assert_allclose(trust_[replaced], new_trust)
    assert_allclose(fsi[replaced], new_fsi)
    assert_allclose(commit[replaced], new_commit)
    if continuity < 1:
        assert_allclose(trust_[~replaced], 0.9)


def test_no_continuity_pauses_and_fades():
    """Continuity 0: a pause of 9 months abandons the running cycle; awareness and habit keep
    election_memory = 0.5 of their level (0.8 -> 0.4, 0.6 -> 0.3)."""
    m = election_model(0.0)
    set_network(m, [])
    assert (m.elections.pause(), m.elections.memory_kept()) == (9, 0.5)
    assert election_month(m) is True
    assert m.cycles.current is None
    assert m.cycles.closed[0].extra["abandoned"] is True
    # resume not before 5 + round(9 * (1 - 0)) = 14
    assert m.cycles.resume_not_before == 14 and m.cycles.start == 14
    assert_allclose(m.population.awareness, 0.4)
    assert_allclose(m.population.habit, 0.3)
    # the two participants heard the silence (Decision.abandon); nobody else did
    assert "ignored" in m.signals.history[5]
    assert (m.population.latent("trust")[:2] < m.population.perception_initial[INDEX["trust"], :2]).all()
    assert_allclose(m.population.perception[:, 2:], m.population.perception_initial[:, 2:])
    assert not m.participation.taking_part.any()


def test_half_continuity_shorter_pause_less_fading():
    """Continuity 0.5: pause round(9 * 0.5) = round(4.5) = 4 months; kept = 0.5 + 0.5 * 0.5 = 0.75."""
    m = election_model(0.5)
    assert (m.elections.pause(), m.elections.memory_kept()) == (4, 0.75)
    election_month(m)
    assert m.cycles.resume_not_before == 9
    # 0.8 * 0.75 = 0.6;  0.6 * 0.75 = 0.45
    assert_allclose(m.population.awareness, 0.6)
    assert_allclose(m.population.habit, 0.45)


def test_full_continuity_no_pause_no_fading():
    """Continuity 1: no pause, the cycle runs on, residents keep what they knew."""
    m = election_model(1.0)
    assert (m.elections.pause(), m.elections.memory_kept()) == (0, 1.0)
    assert election_month(m) is True
    assert m.cycles.current is not None and m.cycles.closed == []
    assert m.cycles.resume_not_before == 0
    assert_allclose(m.population.awareness, 0.8)
    assert_allclose(m.population.habit, 0.6)
    assert m.participation.count() == 2


def test_an_election_without_a_scheduled_cycle_leaves_residents_alone():
    """The 'none' design has no cycle to pause: nothing to forget of a process, whatever the continuity;
    the council still changes."""
    m = tiny_model("none")
    m.config.scenario.next_election_month = 5
    m.config.administration.role_continuity = 0.0
    m.council.set("trust_in_citizens", 0.9)
    set_population(m, awareness=0.8, habit=0.6)
    m.month = 5
    assert election_month(m) is True
    assert_allclose(m.population.awareness, 0.8)
    assert_allclose(m.population.habit, 0.6)
    assert (~np.isclose(np.asarray(m.council.get("trust_in_citizens")), 0.9)).sum() == 11
