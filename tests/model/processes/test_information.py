"""Tests of sim/model/processes/information.py: one month of the campaign and of word of mouth.

A 12-resident participatory-budget model (inform intensity 0.7, participate intensity 0.5;
administration: campaign fear damping 0.5, inspirator role 0.5 with reach 0.3 and 0.5 hours per
1,000 residents; perceptions.inspiration 0.02 sd a month at full reach and role; citizens:
information reach 0.25, word of mouth 0.5, awareness decay 0.03, fear information effect 0.15,
letter reach 0.7), all residents at awareness 0.2, fear 0.4, every latent attitude 0, the civil
servants' fear of complexity 0.4, and no ties unless a test sets them. Each expected value is
worked out in a comment.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.processes.cycle import Phase
from tests.model.processes.support import mask, run_calendar, set_network, set_population, tiny_model


def informed_model(design: str = "participatory_budget"):
    m = tiny_model(design)
    set_population(m, awareness=0.2, fear=0.4, perception=np.zeros((len(ITEMS), 12)))
    set_network(m, [])
    m.administration.set("fear_complexity", 0.4)
    m.staff.open_month()
    return m


def test_parameters_assumed():
    """The hand computations assume these parameters of the presets."""
    m = informed_model()
    d, a, c = m.config.design, m.config.administration, m.config.citizens
    assert (d.inform_intensity, d.participate_intensity) == (0.7, 0.5)
    assert (a.campaign_fear_damping, a.role_inspirator, a.inspirator_reach,
            a.inspiring_hours, a.role_continuity, a.continuity_visibility) == (0.5, 0.5, 0.3, 0.5, 0.5, 0.1)
    assert (c.information_reach, c.word_of_mouth, c.awareness_decay, c.fear_information_effect, c.letter_reach) == (
        0.25, 0.5, 0.03, 0.15, 0.7)
    assert m.config.perceptions.inspiration == 0.02


def test_inform_phase():
    """Inform phase: awareness and fear after one month, the inspirator's efficacy, hours booked."""
    m = informed_model()
    m.information.step(Phase.inform)
    pop = m.population
    # willingness 1 - 0.5*0.4 = 0.8; campaign 0.7*0.8 + 0.3*0.5 = 0.71; reached 0.71*0.25 = 0.1775
    # awareness 0.2 + 0.1775*0.8 - (1 - 0.1775)*0.03*0.2 = 0.2 + 0.142 - 0.004935 = 0.337065
    assert_allclose(pop.awareness, 0.337065)
    # fear 0.4 * (1 - 0.15*0.1775) = 0.38935
    assert_allclose(pop.fear, 0.38935)
    # inspirator: each resident's efficacy moves by reach 0.1775 * role 0.5 * 0.02 sd = 0.001775
    z = pop.perception
    assert_allclose(z[INDEX["efficacy"]], 0.001775, rtol=1e-5)
    # no other item moves
    assert_allclose(np.delete(z, INDEX["efficacy"], axis=0), 0.0)
    assert "inspiration" in m.signals.history[0]
    # hours: 0.5 (role) * 0.5 h * 12 residents / 1000 = 0.003, booked as "informing"
    assert_allclose(m.staff.spent["informing"], 0.003)
    assert_allclose(m.staff.free, 200 - 0.003)


def test_participate_phase_no_inspiration():
    """Participate phase: a weaker campaign, and the inspirator does not raise efficacy."""
    m = informed_model()
    m.information.step(Phase.participate)
    pop = m.population
    # campaign 0.5*0.7*0.8 + 0.15 = 0.43; reached 0.1075
    # awareness 0.2 + 0.1075*0.8 - 0.8925*0.03*0.2 = 0.2 + 0.086 - 0.005355 = 0.280645
    assert_allclose(pop.awareness, 0.280645)
    assert_allclose(pop.fear, 0.4 * (1 - 0.15 * 0.1075))
    assert_allclose(pop.perception, 0.0)
    assert "inspiration" not in m.signals.history.get(0, {})
    assert_allclose(m.staff.spent["informing"], 0.003)


def test_word_of_mouth_from_participants():
    """Residents whose ties take part hear of the process: 1 - (1 - p_campaign)(1 - p_peers).

    Ties: 0-1 and 0-2-3; resident 0 takes part. Resident 1's only tie takes part (share 1),
    resident 2 has half its ties taking part (0.5), resident 3 none.
    """
    m = informed_model()
    set_network(m, [(0, 1), (0, 2), (2, 3)])
    m.participation.taking_part[:] = mask(12, 0)
    m.information.step(Phase.participate)
    # p_campaign 0.1075; p_peers(share) = 1 - exp(-0.5 * share)
    r1 = 1 - (1 - 0.1075) * math.exp(-0.5)
    r2 = 1 - (1 - 0.1075) * math.exp(-0.25)
    r3 = 0.1075

    def awareness(r: float) -> float:
        return 0.2 + r * 0.8 - (1 - r) * 0.03 * 0.2

    assert_allclose(m.population.awareness[1:4], [awareness(r1), awareness(r2), awareness(r3)], rtol=1e-6)
    # resident 0's ties (1 and 2) do not take part
    assert_allclose(m.population.awareness[0], awareness(r3))


def test_no_campaign_no_participants_only_decay():
    """No design: no campaign and nobody taking part, so no word of mouth; awareness decays
    (0.2 * (1 - 0.03) = 0.194), fear is untouched, no hours are spent."""
    m = informed_model("none")
    set_network(m, [(0, 1), (1, 2)])
    m.information.step(Phase.idle)
    assert_allclose(m.population.awareness, 0.194)
    assert_allclose(m.population.fear, 0.4)
    assert m.staff.spent["informing"] == 0.0


def test_no_word_of_mouth_when_nobody_takes_part():
    """With a campaign but nobody taking part, ties carry no news: a ring network gives the same
    awareness as no network (everyone at 0.337065, the campaign alone)."""
    a, b = informed_model(), informed_model()
    set_network(b, [(i, (i + 1) % 12) for i in range(12)])
    a.information.step(Phase.inform)
    b.information.step(Phase.inform)
    assert np.array_equal(a.population.awareness, b.population.awareness)
    assert_allclose(b.population.awareness, 0.337065)


def test_continuous_factor_between_cycles():
    """A permanent design keeps the process visible while idle: campaign 0.1 * 0.5 = 0.05, no hours."""
    m = informed_model()
    assert m.config.design.permanent
    m.information.step(Phase.idle)
    # reached 0.05*0.25 = 0.0125; awareness 0.2 + 0.0125*0.8 - 0.9875*0.03*0.2 = 0.204075
    assert_allclose(m.population.awareness, 0.204075)
    assert_allclose(m.population.fear, 0.4 * (1 - 0.15 * 0.0125))
    assert m.staff.spent["informing"] == 0.0


@pytest.mark.parametrize("kept", [0.5, 0.0])
def test_fade(kept):
    """After an election residents keep the share ``kept`` of their awareness."""
    m = informed_model()
    m.information.fade(kept)
    assert_allclose(m.population.awareness, 0.2 * kept)


def test_personal_letter_in_the_first_month_of_participation():
    """design.personal_invitation: in the first participate month (5: the cycle opens at 3, informs
    3-4) every eligible resident gets a letter, read by 0.7 of them: reached 1 - (1 - 0.1075) * 0.3
    = 0.73225, awareness 0.2 + 0.73225 * 0.8 - 0.26775 * 0.03 * 0.2 = 0.784193; the ineligible only hear
    the campaign (0.280645). The next month no letter is sent."""
    m = informed_model()
    m.config.design.personal_invitation = True
    eligible = mask(12, 0, 1, 2, 3, 4, 5)
    m.eligible = eligible
    assert run_calendar(m, range(0, 6))[-1] is Phase.participate
    m.information.step(Phase.participate)
    assert_allclose(m.population.awareness, np.where(eligible, 0.784193, 0.280645), rtol=1e-6)
    run_calendar(m, range(6, 7))
    set_population(m, awareness=0.2)
    m.information.step(Phase.participate)
    assert_allclose(m.population.awareness, 0.280645, rtol=1e-6)


def test_no_letter_without_personal_invitation():
    """The same first participate month without letters: the campaign alone (0.280645 for everyone)."""
    m = informed_model()
    assert not m.config.design.personal_invitation
    run_calendar(m, range(0, 6))
    m.information.step(Phase.participate)
    assert_allclose(m.population.awareness, 0.280645, rtol=1e-6)
