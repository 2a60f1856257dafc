"""Tests of sim/model/processes/elections.py: council turnover, the pause, and residents' fading memory.

On a 12-resident model with the generic council (27 seats, turnover 0.4, priors trust 0.5,
fear of self-interest 0.5, commitment 0.6) the election is moved to month 5, the outgoing
council's attitudes are set by hand, and ``Elections.step`` is called once.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.processes.cycle import Phase
from sim.model.processes.elections import Election
from tests.model.processes.support import mask, set_population, tiny_model

OUTGOING = {"trust_in_citizens": 0.9, "fear_self_interest": 0.1, "commitment": 1.0}


def election_model(continuity: float):
    """A model in month 5 of a running cycle's participate phase, the election due this month."""
    m = tiny_model()
    m.config.scenario.next_election_month = 5
    m.config.administration.role_continuity = continuity
    for attr, value in OUTGOING.items():
        m.council.set(attr, value)
    for t in range(0, 6):  # the calendar: open at 3, participate from 5
        m.month = t
        m.cycles.step()
    assert m.cycles.phase is Phase.participate
    m.participation.taking_part[:] = mask(12, 0, 1)
    set_population(m, awareness=0.8, habit=0.6)
    return m


def untouched(m) -> bool:
    """Awareness and habit as election_model set them."""
    return np.allclose(m.population.awareness, 0.8) and np.allclose(m.population.habit, 0.6)


def test_priors_of_the_generic_council():
    """The expected numbers below assume these priors and this turnover."""
    c = tiny_model().config.council
    assert (c.trust_in_citizens, c.fear_self_interest, c.commitment) == (0.5, 0.5, 0.6)
    assert (c.seats, c.turnover_share) == (27, 0.4)


def test_no_election_this_month():
    """Not an election month: nothing happens."""
    m = election_model(0.5)
    m.month = 6
    assert m.elections.step() is None
    assert_allclose(m.council.get("trust_in_citizens"), 0.9)
    assert m.cycles.current is not None


@pytest.mark.parametrize("continuity", [0.0, 0.5, 1.0])
def test_seats_replaced_with_newcomer_values(continuity):
    """round(0.4 * 27) = 11 seats change hands; a newcomer's attitude is prior + continuity * (outgoing - prior)."""
    m = election_model(continuity)
    assert m.elections.step() is not None
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
    """Continuity 0: participation pauses 9 months and residents keep election_memory = 0.5 of what
    they knew and of their habit; the election itself leaves the calendar and residents to
    ``model.step``, which passes the pause and the memory on (tests/model/test_model.py). Passed on,
    the pause abandons the running cycle (resume not before 5 + 9 = 14) and awareness and habit
    fall to half (0.8 -> 0.4, 0.6 -> 0.3)."""
    m = election_model(0.0)
    election = m.elections.step()
    assert election == Election(pause=9, memory=0.5)
    assert m.cycles.current is not None and untouched(m)  # the election alone changes neither
    assert m.cycles.pause_for_election(election.pause) is not None
    m.information.fade(election.memory)
    m.participation.fade_habit(election.memory)
    assert m.cycles.current is None
    assert m.cycles.closed[0].extra["abandoned"] is True
    assert m.cycles.resume_not_before == 14 and m.cycles.start == 14
    assert_allclose(m.population.awareness, 0.4)
    assert_allclose(m.population.habit, 0.3)


def test_half_continuity_shorter_pause_less_fading():
    """Continuity 0.5: pause round(9 * 0.5) = round(4.5) = 4 months; kept = 0.5 + 0.5 * 0.5 = 0.75
    (awareness 0.8 * 0.75 = 0.6, habit 0.6 * 0.75 = 0.45, once passed on)."""
    m = election_model(0.5)
    assert m.elections.step() == Election(pause=4, memory=0.75)


def test_full_continuity_no_pause_no_fading():
    """Continuity 1: no pause and nothing fades: the cycle runs on, residents keep what they knew."""
    m = election_model(1.0)
    assert m.elections.step() == Election(pause=0, memory=1.0)
    assert m.cycles.current is not None and m.cycles.closed == []
    assert untouched(m)
    assert m.participation.count() == 2
