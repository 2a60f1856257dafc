"""Tests of sim/model/processes/decision.py: the promise, the feasible share, and one decision month.

The participatory-budget preset on 12 residents: 2 civil servants * 100 h = 200 h a month,
cycles of 12 months, project capacity share 0.7, 40 staff hours a project less the
co-production saving 0.5 * 0.3, authority "empower" (binding share 1), responsiveness 0.9, feedback
0.7, feedback continuity weight 0.3, continuity and realism roles 0.5. For the decision month
the participants are set by hand (residents 0-5), every one of them writes one proposal
(proposals_per_participant = 1 with equal civic skills), and the residents have no ties, so
that only the participants' own signal moves trust; all 12 residents are made eligible.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.config.schema import Authority, Channel
from sim.model.mechanisms import fears, proposals, trust
from sim.model.mechanisms.proposals import Proposals
from sim.model.processes.cycle import Phase
from tests.model.processes.support import (
    mask,
    pass_on_decision,
    set_eligible,
    set_network,
    set_population,
    step_calendar,
    tiny_model,
)

PARTICIPANTS = np.arange(6)


def test_project_staff_hours_and_capacity():
    """40 * (1 - 0.5 * 0.3) = 34 h a project; a cycle's capacity 200 * 12 * 0.7 / 34 = 49.41 projects."""
    m = tiny_model()
    assert_allclose(m.decision.project_staff_hours(), 34.0)
    assert_allclose(m.decision.cycle_capacity_projects(), 1680 / 34)


def test_feasible_share():
    """Before any cycle: expected proposals max(1, 0.02 * 10 eligible * 0.025) = 1, so feasible 1;
    after a cycle that screened in 100 proposals, of which the budget funds at most B / 15,000
    (B the citizens' budget): 1680 / 34 / min(100, B / 15,000)."""
    m = tiny_model()
    assert m.n_eligible == 10
    assert m.decision.feasible_share() == 1.0
    m.decision.last_screened = 100
    d = m.config.design
    fundable = min(100, d.budget_per_cycle_eur / d.mean_project_cost_eur)
    assert_allclose(m.decision.feasible_share(), min(1.0, 1680 / 34 / fundable))
    # without a budget, capacity alone: 1680 / 34 / 100 = 0.494118
    d.budget_per_cycle_eur = 0.0
    assert_allclose(m.decision.feasible_share(), 1680 / 34 / 100)


def test_announce_and_realism():
    """Empower binds (binding share 1): truthful = 1 + 0 * 0.9 = 1. Feasible 1: the promise is 1.
    Without a budget and 100 proposals screened in, feasible 0.494: realism 0.5 pulls halfway to
    min(1, 0.494) -> 0.5 + 0.5 * 0.494118 = 0.747059; full realism: 0.494118. At consult
    (nothing binding) the truthful promise is the responsiveness, 0.9."""
    m = tiny_model()
    assert m.decision.announce() == pytest.approx(1.0)
    assert m.decision.promise == pytest.approx(1.0) and m.decision.expectation == pytest.approx(1.0)
    m.decision.last_screened = 100
    m.config.design.budget_per_cycle_eur = 0.0
    assert m.decision.announce() == pytest.approx(0.5 + 0.5 * 1680 / 34 / 100)
    m.config.administration.role_realism = 1.0
    assert m.decision.announce() == pytest.approx(1680 / 34 / 100)
    m.config.design.authority = Authority.consult
    m.decision.last_screened = 1
    assert m.decision.announce() == pytest.approx(0.9)
    # expectations never fall below citizens.implicit_expectation (0.3)
    m.config.design.responsiveness = 0.1
    assert m.decision.announce() == pytest.approx(0.1) and m.decision.expectation == pytest.approx(0.3)


def test_feedback_strength():
    """0.7 * ((1 - 0.3) + 0.3 * 0.5) = 0.595."""
    assert_allclose(tiny_model().decision.feedback_strength(), 0.595)


def test_abandon_sends_ignored_to_participants():
    """An abandoned cycle is a response never given: every participant reads the silence as
    0.5 of the expectation (1.0, empower) broken, -0.5; trust 0.5 - 0.3 * 0.5 * 0.5 = 0.425
    (no fairness premium)."""
    m = tiny_model()
    set_network(m, [])
    set_population(m, trust=0.5, fear=0.4)
    m.decision.announce()
    m.participation.taking_part[:] = mask(12, 0, 1)
    m.decision.abandon()
    assert_allclose(m.population.trust, [0.5 - 0.3 * 0.5 * 0.5] * 2 + [0.5] * 10)
    # fear of wasted effort rises: 0.4 + 0.3 * 0.5 * 0.6
    assert_allclose(m.population.fear[:2], 0.4 + 0.3 * 0.5 * 0.6)
    assert "ignored" in m.signals.history[0]


@pytest.fixture
def decided():
    """A participatory budget in its decision month (8) with residents 0-5 taking part; step() run."""
    m = tiny_model()
    set_eligible(m, np.ones(12, dtype=bool))
    set_network(m, [])
    set_population(m, trust=0.5, efficacy=0.4, fear=0.4, habit=0.2, civic_skills=0.5)
    m.config.design.proposals_per_participant = 1.0
    step_calendar(m, range(0, 9))
    assert m.cycles.phase is Phase.decide
    m.participation.taking_part[:] = np.isin(np.arange(12), PARTICIPANTS)
    m.staff.open_month()
    m.administration.set("fear_self_interest", 0.4)
    m.administration.set("trust_in_citizens", 0.5)
    m.administration.set("fear_complexity", 0.4)
    m.council.set("fear_self_interest", 0.4)
    m.council.set("trust_in_citizens", 0.5)
    pass_on_decision(m, m.decision.step())
    return m


class TestDecisionMonth:
    def test_proposals_go_to_the_ledger(self, decided):
        """Six participants, one proposal each: six ledger rows of cycle 1, by participants."""
        m = decided
        rows = m.projects.ledger()
        assert len(rows) == 6
        assert sorted(r["author"] for r in rows) == PARTICIPANTS.tolist()
        assert {r["cycle"] for r in rows} == {1}
        rec = m.cycles.current
        assert rec.submitted == 6 == m.decision.submitted
        assert rec.screened_in == sum(r["screened_in"] for r in rows)
        assert m.decision.last_screened == rec.screened_in
        # adopted proposals were screened in and funded (a budget is voted)
        for r in rows:
            assert not r["adopted"] or (r["screened_in"] and r["funded"])
            assert r["votes"] is not None

    def test_adopted_queue_in_projects(self, decided):
        """Each adopted proposal is queued with 34 staff hours times its drawn cost overrun, ready at
        8 + 12 = 20 plus its drawn delay (whole months, at least 0), due at 20 + 3 = 23 whatever the delay."""
        m = decided
        rows = m.projects.ledger()
        adopted = [i for i, r in enumerate(rows) if r["adopted"]]
        assert adopted  # with this seed some are adopted (otherwise the loop below would check nothing)
        assert [p.row for p in m.projects.queue] == adopted
        assert m.cycles.current.adopted == len(adopted) == m.decision.adopted
        for p in m.projects.queue:
            assert_allclose(p.remaining_hours, 34.0 * p.overrun)
            assert p.ready_month >= 20 and p.due_month == 23
            assert rows[p.row]["month_due"] == 23 and rows[p.row]["month_adopted"] == 8
        # a citizens' budget pays a project when it is delivered, not at adoption
        assert m.staff.budget_spent == 0.0

    def test_participants_hear_back(self, decided):
        """Participants judge the vote honoured: done = adopted / funded; judged = 0.7 * (done - 0.5)
        + 0.3 * (done - expectation); own favourability 0.5 * (won - share won); heard by
        0.595 + 0.405 * 0.3 (public channel, something was done); plus the fairness premium
        0.5 * (0.4 + 0.595) * representativeness. Non-participants (no ties) hear of it through
        the public channel only: 0.3 * judged * trust_spillover 0.1."""
        m = decided
        pop, rec = m.population, m.cycles.current
        assert "heard" in m.signals.history[8] and "public" in m.signals.history[8]
        rows = m.projects.ledger()
        funded = sum(bool(r["funded"]) for r in rows)
        won = np.zeros(12, dtype=bool)
        for p in m.projects.queue:
            won[p.supporters] = True
        done = rec.adopted / funded
        assert done == 1.0  # empower: every funded project is adopted (no veto drawn here)
        expectation = max(rec.expected, 0.3)
        judged = 0.7 * (done - 0.5) + 0.3 * (done - expectation)
        fav = 0.5 * (won[PARTICIPANTS] - won[PARTICIPANTS].mean())
        s = np.clip((0.595 + 0.405 * 0.3) * (judged + fav), -1, 1)
        level = trust.asymmetric_update(np.full(6, 0.5), s, 0.15, 0.3)
        fairness = 0.5 * (0.4 + 0.595) * rec.representativeness
        level = level + 0.03 * fairness * (1 - level)
        assert_allclose(pop.trust[PARTICIPANTS], level)
        assert_allclose(pop.trust[6:], trust.asymmetric_update(0.5, 0.3 * judged * 0.1, 0.15, 0.3))
        # the habit of taking part: 0.5 * 0.2 + 0.5 * (1 + clip(0.5 + s, 0, 1)) / 2
        assert_allclose(pop.habit[PARTICIPANTS], 0.1 + 0.25 * (1 + np.clip(0.5 + s, 0, 1)))
        assert pop.ever_participated[PARTICIPANTS].all() and not pop.ever_participated[6:].any()

    def test_agents_learn(self, decided):
        """evidence = 0.5 * (1 - general-interest share) + 0.5 * (1 - representativeness); the
        administration's fear of self-interest moves 0.1 * 2 (permanent) toward it, the council's
        0.05 * 2; trust in citizens toward 1 - evidence."""
        m = decided
        rec = m.cycles.current
        evidence = fears.self_interest_evidence(rec.general_interest_share, rec.representativeness)
        assert_allclose(evidence, 0.5 * (1 - rec.general_interest_share) + 0.5 * (1 - rec.representativeness))
        assert_allclose(m.administration.get("fear_self_interest"), 0.4 + 0.2 * (evidence - 0.4))
        assert_allclose(m.administration.get("trust_in_citizens"), 0.5 + 0.1 * (1 - evidence - 0.5))
        assert_allclose(m.administration.get("fear_complexity"), 0.4 * (1 - 0.5 * 0.1))
        assert_allclose(m.council.get("fear_self_interest"), 0.4 + 0.05 * 2 * (evidence - 0.4))
        assert_allclose(m.council.get("trust_in_citizens"), 0.5 + 0.05 * (1 - evidence - 0.5))

    def test_ballots_and_own_neighbourhood_votes(self, decided):
        """The cycle records the ballots cast (the six eligible participants); each proposal's
        approvals from its own neighbourhood are counted from its supporters, the voters who
        approved it, and never exceed its approvals."""
        m = decided
        rows = m.projects.ledger()
        assert m.cycles.current.ballots == 6
        for r in rows:
            assert 0 <= r["own_neighbourhood_votes"] <= r["votes"]
            if not r["screened_in"]:
                assert r["votes"] == r["own_neighbourhood_votes"] == 0
        assert any(p.supporters.size for p in m.projects.queue)
        for p in m.projects.queue:
            own = int((m.population.neighbourhood[p.supporters] == p.neighbourhood).sum())
            assert rows[p.row]["own_neighbourhood_votes"] == own
            assert rows[p.row]["votes"] == p.supporters.size

    def test_hours_and_legitimacy_record(self, decided):
        """Screening 6 h * 6 proposals + reporting 10 h * feedback 0.7 = 43 h; legitimacy hears of
        6 participants reported back at 0.595."""
        m = decided
        assert_allclose(m.staff.spent["screening and reporting"], 43.0)
        assert_allclose(m.legitimacy.feedback, 0.595)
        # reach of 6 / 12 eligible against the reference 0.03: 1 - exp(-0.5 / 0.03)
        assert_allclose(m.legitimacy.reach, 1 - np.exp(-0.5 / 0.03))
        assert m.cycles.current.extra["decided"] is True


def test_consultation_supporters_are_the_authors():
    """Without a budget nobody votes: a proposal's supporters are its author alone, votes and funded are None."""
    m = tiny_model("consultation")
    set_eligible(m, np.ones(12, dtype=bool))
    set_network(m, [])
    set_population(m, civic_skills=0.5)
    m.config.design.proposals_per_participant = 1.0
    m.config.council.openness_base = 1.0  # an open council, so that something is adopted
    step_calendar(m, range(0, 6))
    assert m.cycles.phase is Phase.decide
    m.participation.taking_part[:] = np.isin(np.arange(12), PARTICIPANTS)
    pass_on_decision(m, m.decision.step())
    rows = m.projects.ledger()
    assert len(rows) == 6 and m.projects.queue
    assert all(r["votes"] is None and r["funded"] is None for r in rows)
    for p in m.projects.queue:
        assert p.supporters.tolist() == [rows[p.row]["author"]]
    assert m.staff.budget_spent == 0.0


# --------------------------------------------------------------------------- the vote's rules


def test_live_voters_follow_the_channel():
    """Offline: everyone votes live; online: nobody; hybrid: those without internet, and the others
    with citizens.live_vote_propensity (0: none of them, 1: all)."""
    voters = np.arange(12)
    m = tiny_model("participatory_budget", "design.channel=offline")
    assert m.decision._live_voters(voters).all()
    m.config.design.channel = Channel.online
    assert not m.decision._live_voters(voters).any()
    m.config.design.channel = Channel.hybrid
    set_population(m, online=np.arange(12) % 3 != 0)  # residents 0, 3, 6, 9 have no internet
    m.config.citizens.live_vote_propensity = 0.0
    assert m.decision._live_voters(voters).tolist() == (np.arange(12) % 3 == 0).tolist()
    m.config.citizens.live_vote_propensity = 1.0
    assert m.decision._live_voters(voters).all()


def test_neighbourhood_budgets_follow_the_residents():
    """Each neighbourhood's sub-budget is its share of the residents of the citizens' budget."""
    m = tiny_model("participatory_budget", "design.sub_budgets=neighbourhood")
    k = len(m.config.scenario.neighbourhoods)
    set_population(m, neighbourhood=np.arange(12) % k)
    props = _proposals(np.arange(6) % k, theme=-1)
    groups, budgets = m.decision._sub_budgets(props, np.arange(6), np.ones(6))
    residents = np.bincount(np.arange(12) % k, minlength=k)
    assert groups.tolist() == (np.arange(6) % k).tolist()
    assert_allclose(budgets, m.config.design.budget_per_cycle_eur * residents / 12)


def test_theme_budgets_follow_the_approvals():
    """Three themes; candidates of themes 0, 0, 2 with 4, 2 and 6 approvals: theme 0 gets 6 / 12 of
    the budget, theme 1 nothing, theme 2 6 / 12."""
    m = tiny_model("participatory_budget", "design.sub_budgets=theme", "design.themes=3")
    props = _proposals(np.zeros(3, dtype=int), theme=np.array([0, 0, 2]))
    groups, budgets = m.decision._sub_budgets(props, np.arange(3), np.array([4.0, 2.0, 6.0]))
    assert groups.tolist() == [0, 0, 2]
    assert_allclose(budgets, m.config.design.budget_per_cycle_eur * np.array([0.5, 0.0, 0.5]))


def test_themes_are_drawn_only_when_asked():
    """With design.themes = 0 proposals carry theme -1; with 3, themes in 0..2."""
    m = tiny_model()
    assert m.decision.design.themes == 0
    rng = np.random.default_rng(0)
    skills, orientation, hood = np.full(12, 0.5), np.full(12, 0.5), np.zeros(12, dtype=np.int16)
    none = proposals.submit(np.arange(12), skills, orientation, hood, 1.0, 0.0, 100.0, rng)
    assert (none.theme == -1).all()
    some = proposals.submit(np.arange(12), skills, orientation, hood, 1.0, 0.0, 100.0,
                                      np.random.default_rng(0), themes=3)
    assert set(some.theme.tolist()) <= {0, 1, 2} and some.size == none.size
    # the theme is drawn last: everything else is what a run without themes draws
    assert_allclose(some.cost, none.cost) and assert_allclose(some.risk, none.risk)


def test_a_vote_threshold_of_every_voter_funds_only_unanimous_projects():
    """design.vote_threshold = 1: a project needs the approval of every voter to be funded."""
    m = tiny_model()
    set_eligible(m, np.ones(12, dtype=bool))
    set_network(m, [])
    set_population(m, civic_skills=0.5)
    m.config.design.proposals_per_participant = 1.0
    m.config.design.vote_threshold = 1.0
    step_calendar(m, range(0, 9))
    m.participation.taking_part[:] = np.isin(np.arange(12), PARTICIPANTS)
    pass_on_decision(m, m.decision.step())
    rows = m.projects.ledger()
    assert rows and all(not r["funded"] or r["votes"] == PARTICIPANTS.size for r in rows)


def _proposals(neighbourhood: np.ndarray, theme: int | np.ndarray) -> Proposals:
    """Proposals in the given neighbourhoods and themes (costs, risks and authors do not matter here)."""
    n = neighbourhood.size
    theme = np.full(n, theme) if np.isscalar(theme) else theme
    return Proposals(np.arange(n), neighbourhood.astype(np.int16), np.full(n, 0.5), np.full(n, 1000.0),
                     np.full(n, 0.1), theme.astype(np.int16))
