"""Tests of sim/model/processes/participation.py: who joins, the panel, habit, facilitation hours,
being asked (a signal), and proposers who campaign again.

On a 12-resident model the eligible residents are set by hand (residents 0-5); where a
test needs certainty about who joins, the Bernoulli draw of the open call is replaced by
"joins whenever the probability is positive", so that only the process's own gating (eligible,
not yet taking part, the participate phase) decides. Residents' latent attitudes are set to 1
(a conviction Phi(1) = 0.84 that their voice counts and that they trust the municipality).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sim.model.mechanisms.participation as participation_rules
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.processes.cycle import CycleRecord, Phase
from tests.model.processes.support import mask, set_eligible, set_network, set_population, tiny_model

ELIGIBLE = mask(12, 0, 1, 2, 3, 4, 5)


def everyones_chance(ceiling: np.ndarray, chance) -> np.ndarray:
    """The open call's chance of every resident who may join (a positive ceiling), 0 for the others."""
    p = np.zeros(ceiling.size)
    idx = np.flatnonzero(ceiling > 0)
    p[idx] = chance(idx)
    return p


@pytest.fixture
def certain(monkeypatch):
    """Everyone with a positive probability joins (the open call's draw made certain)."""
    monkeypatch.setattr(participation_rules, "decide_below",
                        lambda draw, ceiling, chance: everyones_chance(ceiling, chance) > 0)


def open_call_model():
    m = tiny_model()  # participatory budget: open call, facilitation 0.4
    set_eligible(m, ELIGIBLE)
    set_network(m, [])
    set_population(m, awareness=1.0, perception=np.ones((len(ITEMS), 12)), fear=0.1, habit=0.5)
    m.staff.open_month()
    return m


def test_only_eligible_residents_join(certain):
    """The open call: residents 0-5 (eligible) join, 6-11 (too young) never do."""
    m = open_call_model()
    newly = m.participation.step(Phase.participate)
    assert np.array_equal(newly, ELIGIBLE)
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
    newly = m.participation.step(phase)
    assert newly is None
    m.participation.facilitate(newly)
    assert m.participation.count() == 0
    assert m.staff.spent["facilitation"] == 0.0
    assert "asked" not in m.signals.history.get(0, {})


def test_facilitation_hours_per_newcomer(certain):
    """Facilitation costs design.facilitation * facilitation_hours per new participant:
    6 newcomers * 0.4 * 0.5 h = 1.2 h; the next month nobody is new, so nothing more is booked."""
    m = open_call_model()
    assert (m.config.design.facilitation, m.config.administration.facilitation_hours) == (0.4, 0.5)
    m.participation.facilitate(m.participation.step(Phase.participate))
    assert_allclose(m.staff.spent["facilitation"], 1.2)
    newly = m.participation.step(Phase.participate)
    assert not newly.any()
    m.participation.facilitate(newly)
    assert_allclose(m.staff.spent["facilitation"], 1.2)
    assert_allclose(m.staff.free, 200 - 1.2)


def test_panel_drawn_once_per_cycle():
    """Panel by lot: drawn in the first participate month from the eligible only; later months
    add nobody; after reset (a new cycle) a panel is drawn again. (Letters are answered almost
    always here, so that a dozen residents can fill a panel.)"""
    m = tiny_model("citizens_panel")
    m.config.citizens.panel_invitation_bonus = 10.0
    set_eligible(m, ELIGIBLE)
    set_population(m, perception=np.ones((len(ITEMS), 12)), fear=0.1, habit=0.5)
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
    all at habit 0.2.
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
    prior = part.remember(np.array([0, 1]), satisfaction)
    # 0: 0.1 + 0.5 * 1.6 / 2 = 0.5;  1: 0.1 + 0.5 * 1.0 / 2 = 0.35;  2-5: 0.1;  6-11: unchanged 0.2
    assert_allclose(m.population.habit, [0.5, 0.35] + [0.1] * 4 + [0.2] * 6)
    assert prior.tolist() == [False, True]
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


def test_being_asked_raises_voice_of_those_who_join(certain):
    """Joining is being asked for one's input: efficacy and input of the six who join rise by
    asked + (asked_with_feedback - asked) * feedback strength = 0.05 + 0.07 * 0.595 = 0.09165 sd
    (feedback strength 0.7 * (0.7 + 0.3 * 0.5) = 0.595); nobody else, and no other item, moves.
    The next month nobody is new, and nobody is asked again."""
    m = open_call_model()
    s = m.config.perceptions
    assert (s.asked, s.asked_with_feedback) == (0.05, 0.12)
    assert_allclose(m.decision.feedback_strength(), 0.595)
    m.participation.step(Phase.participate)
    z = m.population.perception
    gain = 0.05 + (0.12 - 0.05) * 0.595
    for item in ("efficacy", "input"):
        assert_allclose(z[INDEX[item]], np.where(ELIGIBLE, 1.0 + gain, 1.0), rtol=1e-6)
    for item in ("trust", "throughput", "output"):
        assert_allclose(z[INDEX[item]], 1.0)
    # the share agreeing does not change (everyone already agreed): recorded as 0
    assert m.signals.history[0]["asked"]["efficacy"] == 0.0
    m.participation.step(Phase.participate)
    assert_allclose(z[INDEX["efficacy"]], np.where(ELIGIBLE, 1.0 + gain, 1.0), rtol=1e-6)


def test_campaigners_are_last_editions_proposers_who_take_part_again():
    """In cycle 3, with cycle 2 the last decided one, residents 0 (proposed in cycle 2) and 1 (proposed in
    cycle 1) take part again, 2 (proposed in cycle 2) stays away: only 0 campaigns (last_proposal >= 2).
    Ties 3-0, 3-1, 3-2, 4-0: resident 3 has 1 campaigner among 3 ties (1/3), resident 4 one among one (1);
    the others 0. If cycle 2 was abandoned (cycle 1 the last decided), residents 0 and 1 both campaign."""
    m = tiny_model()
    set_network(m, [(3, 0), (3, 1), (3, 2), (4, 0)])
    m.cycles.index = 3
    m.cycles.closed = [CycleRecord(1, 3, extra={"decided": True}), CycleRecord(2, 15, extra={"decided": True})]
    m.population.last_proposal[:3] = [2, 1, 2]
    m.participation.taking_part[:] = mask(12, 0, 1)
    assert_allclose(m.participation.campaigners_share(), [0, 0, 0, 1 / 3, 1] + [0] * 7, rtol=1e-6)
    m.cycles.closed[1].extra["decided"] = False
    assert_allclose(m.participation.campaigners_share(), [0, 0, 0, 2 / 3, 1] + [0] * 7, rtol=1e-6)
    # nobody proposed yet (first cycle): no campaigners
    m.population.last_proposal[:] = 0
    m.cycles.index, m.cycles.closed = 1, []
    assert not m.participation.campaigners_share().any()


def test_proposers_mobilise_their_ties(monkeypatch):
    """The open call's recruitment adds campaigners_share * citizens.proposer_mobilisation to the peers'
    share * recruitment_scale. Resident 5 (eligible, not taking part) has 7 ties, of whom resident 0 takes
    part: recruitment 3.0 * 1/7 without a campaign, 3.0 * 1/7 + 2.0 * 1/7 with resident 0 a proposer of the
    last edition; her utility rises by w_recruitment 2.0 * 2.0 / 7 = 0.571429 (everything else equal), which
    the probability shows as logit(p / (awareness * channel fit))."""
    m = open_call_model()
    c = m.config.citizens
    assert (c.recruitment_scale, c.proposer_mobilisation, c.weight_recruitment) == (3.0, 2.0, 2.0)
    set_network(m, [(5, j) for j in (0, 6, 7, 8, 9, 10, 11)])
    m.participation.taking_part[:] = mask(12, 0)
    m.cycles.index = 2
    seen = []
    monkeypatch.setattr(participation_rules, "decide_below",
                        lambda draw, ceiling, chance: seen.append(everyones_chance(ceiling, chance))
                        or np.zeros(draw.size, bool))
    m.participation.step(Phase.participate)  # resident 0 never proposed: no campaign
    m.population.last_proposal[0] = 1
    m.participation.step(Phase.participate)  # resident 0 proposed in cycle 1 and campaigns in cycle 2
    fit = m.participation.channel_fit[5]
    assert fit > 0
    u_without, u_with = (np.log(p[5] / fit) - np.log1p(-p[5] / fit) for p in seen)
    assert_allclose(u_with - u_without, 2.0 * 2.0 / 7, rtol=1e-6)
    # those who take part already are not drawn again
    assert seen[0][0] == seen[1][0] == 0.0


def test_engagement_reads_convictions():
    """Engagement 0.4 * interest + 0.4 * Phi(efficacy latent) + 0.2 * Phi(trust latent): interest 0.5, efficacy
    latent 0 and trust latent 1 give 0.2 + 0.2 + 0.2 * 0.841345 = 0.568269."""
    m = tiny_model()
    set_population(m, interest=0.5, perception=np.zeros((len(ITEMS), 12)))
    m.population.latent("trust")[:] = 1.0
    assert_allclose(m.participation._engagement(), 0.568269, atol=1e-6)


def test_the_open_call_asks_the_chance_only_below_its_ceiling(monkeypatch):
    """Over the participate months of two editions of Geel's budget (a tenth of its residents), the ceiling of
    the open call is above every resident's chance (computed for everyone), the joiners are exactly those
    whose draw is below their chance, and the chance was needed for only a few of those who may join."""
    from sim.config.compose import compose_config
    from sim.model.model import CoproductionModel

    real = participation_rules.decide_below
    looked, may = [], []

    def checked(draw, ceiling, chance):
        p = everyones_chance(ceiling, chance)
        assert (p <= ceiling).all()
        out = real(draw, ceiling, lambda idx: looked.append(idx.size) or chance(idx))
        np.testing.assert_array_equal(out, draw < p)
        may.append(int(np.count_nonzero(ceiling > 0)))
        return out

    monkeypatch.setattr(participation_rules, "decide_below", checked)
    m = CoproductionModel(compose_config("geel", "participatory_budget", 3, ["run.population_scale=0.1"]),
                          series=False)
    m.run_for(30)
    assert len(may) >= 4 and sum(looked) < 0.2 * sum(may), (looked, may)
