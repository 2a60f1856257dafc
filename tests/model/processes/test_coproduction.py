"""Tests of sim/model/processes/coproduction.py: citizen hours, professional hours under the capacity cap.

A 12-resident co-production design (coproduction 0.8, 4 citizen hours a month; one staff hour
per 4 volunteer hours, at most 0.5 of the month's 200 staff hours; complementarity 1,
co-production quality 0.02) with the neighbourhoods set by hand: residents 0-3 in
neighbourhood 0, 4-7 in 1, 8-11 in 2 (3 and 4 empty). Residents 0, 1 and 4 co-produce: the
decision to co-produce (tested in tests/model/mechanisms/test_production.py) is replaced here by "those taking
part, with certainty", and every resident is aware and eligible, so that the hours can be
checked by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import production
from sim.model.processes.cycle import Phase
from tests.model.processes.support import mask, set_eligible, set_population, tiny_model


@pytest.fixture(autouse=True)
def coproducers_by_hand(monkeypatch):
    """Those taking part co-produce, nobody else."""
    monkeypatch.setattr(production, "coproduction_probability",
                        lambda efficacy, older, need, engaged, **_: np.asarray(engaged, dtype=float))


def coproducing_model(design: str = "coproduction"):
    m = tiny_model(design)
    set_population(m, neighbourhood=[0] * 4 + [1] * 4 + [2] * 4, awareness=1.0)
    set_eligible(m, np.ones(12, dtype=bool))
    m.services.neighbourhood_population = np.bincount(m.population.neighbourhood, minlength=5)
    m.participation.taking_part[:] = mask(12, 0, 1, 4)
    m.staff.open_month()
    return m


def test_parameters_assumed():
    """The hand computations assume these parameters."""
    m = coproducing_model()
    d, a, p = m.config.design, m.config.administration, m.config.production
    assert (d.coproduction, d.citizen_effort_hours) == (0.8, 4)
    assert (a.volunteer_hours_per_staff_hour, a.coproduction_capacity_share) == (4.0, 0.5)
    assert (p.complementarity, p.coproduction_quality) == (1.0, 0.02)
    assert m.staff.capacity() == 200.0
    assert len(m.services.quality) == 5


def test_citizen_and_professional_hours():
    """citizen = co-producers * 4 h * 0.8 = [6.4, 3.2, 0, 0, 0]; professionals match a quarter:
    [1.6, 0.8, ...] = 2.4 h, under the cap of 100 h; quality added = 0.02 * output per resident."""
    m = coproducing_model()
    added = m.coproduction.step(Phase.participate)
    assert_allclose(m.coproduction.citizen_hours, 9.6)
    assert_allclose(m.staff.spent["coproduction"], 2.4)
    # per resident (4 per neighbourhood): professional 0.4 and 0.2, citizen 1.6 and 0.8
    # output 0.4 + sqrt(0.4 * 1.6) = 1.2;  0.2 + sqrt(0.2 * 0.8) = 0.6
    assert_allclose(added, [0.024, 0.012, 0.0, 0.0, 0.0])


def test_professional_hours_capped_by_capacity_share():
    """Cap 200 * 0.006 = 1.2 h < 2.4 h wanted: every neighbourhood's professionals get half."""
    m = coproducing_model()
    m.config.administration.coproduction_capacity_share = 0.006
    added = m.coproduction.step(Phase.participate)
    assert_allclose(m.staff.spent["coproduction"], 1.2)
    assert_allclose(m.coproduction.citizen_hours, 9.6)  # citizens' effort is not capped
    # professional per resident 0.2 and 0.1: 0.2 + sqrt(0.2*1.6) ; 0.1 + sqrt(0.1*0.8)
    assert_allclose(added[:2], 0.02 * np.array([0.2 + np.sqrt(0.32), 0.1 + np.sqrt(0.08)]))


def test_runs_through_a_running_cycle():
    """While a cycle runs and someone takes part, co-producers also work in the idle and decide months."""
    m = coproducing_model()
    assert m.coproduction.step(Phase.idle) is not None
    assert m.coproduction.step(Phase.decide) is not None
    assert_allclose(m.coproduction.citizen_hours, 2 * 9.6)


def test_not_while_paused():
    """Not while participation pauses after an election."""
    m = coproducing_model()
    assert m.coproduction.step(Phase.paused) is None
    assert m.coproduction.citizen_hours == 0.0
    assert m.staff.spent["coproduction"] == 0.0


def test_nobody_taking_part_outside_participation():
    """Idle and nobody taking part: nothing co-produced."""
    m = coproducing_model()
    m.participation.reset()
    assert m.coproduction.step(Phase.idle) is None


def test_none_without_coproduction():
    """A design without citizen effort (the participatory budget: 0 hours) co-produces nothing."""
    m = coproducing_model("participatory_budget")
    assert m.config.design.citizen_effort_hours == 0
    assert not m.coproduction.active()
    assert m.coproduction.step(Phase.participate) is None
    assert m.staff.spent["coproduction"] == 0.0 and m.coproduction.citizen_hours == 0.0


def test_self_efficacy_is_the_conviction_that_ones_voice_counts(monkeypatch):
    """The decision to co-produce reads each resident's efficacy as her chance of agreeing with the efficacy
    item, Phi(latent): latent -1, 0, 1 give 0.158655, 0.5, 0.841345; need is 1 - her neighbourhood's quality."""
    m = coproducing_model()
    m.population.latent("efficacy")[:] = np.resize([-1.0, 0.0, 1.0], 12)
    m.services.quality = np.array([0.2, 0.5, 0.9, 0.5, 0.5])
    seen = {}

    def probability(efficacy, older, need, engaged, **_):
        seen.update(efficacy=np.asarray(efficacy), need=np.asarray(need))
        return np.asarray(engaged, dtype=float)

    monkeypatch.setattr(production, "coproduction_probability", probability)
    m.coproduction.step(Phase.participate)
    assert_allclose(seen["efficacy"], np.resize([0.158655, 0.5, 0.841345], 12), atol=1e-6)
    assert_allclose(seen["need"], np.repeat([0.8, 0.5, 0.1], 4))
