"""Tests of sim/model/processes/decision.py: the promise, the feasible share, and one decision month.

The participatory-budget preset on 12 residents: 2 civil servants * 100 h = 200 h a month,
cycles of 12 months, project capacity share 0.7, 40 staff hours a project less the
co-production saving 0.5 * 0.3, authority "empower" (binding share 1), responsiveness 0.9, feedback
0.7, feedback continuity weight 0.3, continuity and realism roles 0.5. Money is scaled with the
residents (0.0005); the tests set it so that the scaled amounts are those of a municipality that can
pay for projects: a citizens' budget of EUR 85,000 a cycle and EUR 170,000 of project money a year
(``MONEY``). For the decision month the participants are set by hand (residents 0-5), every one of
them writes one proposal (proposals_per_participant = 1 with equal civic skills), and the residents
have no ties, so that only the participants' own signals and the public channel move perceptions; all
12 residents are made eligible and start with every latent attitude at 0.

Participants' signals (sizes of the generic config): the response to their input moves trust,
efficacy, input and throughput by strength * perceptions.outcome 0.2 (bad news * negativity 2); the
process's fairness moves throughput by fairness * perceptions.fair_process 0.1; residents who did not
take part and read the local news (citizens.public_channel_reach 0.3, drawn) move trust, input and
throughput by the group's judgement * perceptions.public 0.05 (bad news * 2).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.config.schema import Authority, Channel
from sim.model.mechanisms import fears, perceptions, proposals
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.mechanisms.proposals import Proposals
from sim.model.processes.cycle import Phase
from sim.model.processes.projects import RESIDENTS
from tests.model.processes.support import N, calendar_month, mask, set_eligible, set_network, set_population, tiny_model

PARTICIPANTS = np.arange(6)
#: A citizens' budget of 170,000,000 * 0.0005 = EUR 85,000 a cycle; 340,000,000 * 0.0005 = EUR 170,000 a year.
MONEY = ("scenario.citizens_budget_eur=170000000", "scenario.project_budget_eur=340000000",
         "scenario.annual_budget_eur=4000000000")  # the whole budget holds the citizens' budget (scaled)


def item(m, name: str) -> np.ndarray:
    return m.population.perception[INDEX[name]]


def test_project_staff_hours_and_capacity():
    """40 * (1 - 0.5 * 0.3) = 34 h a project; a cycle's capacity 200 * 12 * 0.7 / 34 = 49.41 projects."""
    m = tiny_model()
    assert_allclose(m.decision.project_staff_hours(), 34.0)
    assert_allclose(m.decision.cycle_capacity_projects(), 1680 / 34)


def test_feasible_share():
    """Before any cycle: expected proposals max(1, 0.02 * 10 eligible * 0.025) = 1, so feasible 1.
    After a cycle that screened in 100 proposals, of which the citizens' budget funds at most
    85,000 / 15,000 = 5.667: capacity 1680 / 34 / 5.667 = 8.7 and money 5.667 / 5.667 both suffice: 1.
    Without a citizens' budget the cycle's share of the year's money pays for 170,000 / 15,000 = 11.333
    of the 100: feasible min(1680 / 34 / 100 = 0.494, 0.11333) = 0.11333."""
    m = tiny_model("participatory_budget", *MONEY)
    assert m.n_eligible == 10
    assert (m.budget.citizens_budget(), m.budget.yearly()) == (85_000.0, 170_000.0)
    assert m.decision.feasible_share() == 1.0
    m.decision.last_screened = 100
    assert m.decision.feasible_share() == 1.0
    m.config.design.budget_per_cycle_eur = 0.0
    assert_allclose(m.decision.feasible_share(), 170_000 / 15_000 / 100)
    # with more money than capacity, capacity decides: 0.494118
    m.config.scenario.project_budget_eur = 1e10
    assert_allclose(m.decision.feasible_share(), 1680 / 34 / 100)


def test_a_tiny_models_own_money_buys_little():
    """Without MONEY a 12-resident model has EUR 85 a year (170,000 * 0.0005), a 176th of a project: the
    feasible share of 100 screened-in proposals is 85 / 15,000 / 100."""
    m = tiny_model()
    m.decision.last_screened = 100
    m.config.design.budget_per_cycle_eur = 0.0
    assert_allclose(m.decision.feasible_share(), 85 / 15_000 / 100)


def test_announce_and_realism():
    """Empower binds (binding share 1): truthful = 1 + 0 * 0.9 = 1. Feasible 1: the promise is 1.
    Without a budget and 100 proposals screened in, feasible 0.11333: realism 0.5 pulls halfway to
    min(1, 0.11333) -> 0.5 + 0.5 * 0.11333 = 0.556667; full realism: 0.11333. At consult
    (nothing binding) the truthful promise is the responsiveness, 0.9."""
    m = tiny_model("participatory_budget", *MONEY)
    assert m.decision.announce() == pytest.approx(1.0)
    assert m.decision.promise == pytest.approx(1.0) and m.decision.expectation == pytest.approx(1.0)
    m.decision.last_screened = 100
    m.config.design.budget_per_cycle_eur = 0.0
    assert m.decision.announce() == pytest.approx(0.5 + 0.5 * 170_000 / 15_000 / 100)
    m.config.administration.role_realism = 1.0
    assert m.decision.announce() == pytest.approx(170_000 / 15_000 / 100)
    m.config.design.authority = Authority.consult
    m.decision.last_screened = 1
    assert m.decision.announce() == pytest.approx(0.9)
    # expectations never fall below citizens.implicit_expectation (0.3)
    m.config.design.responsiveness = 0.1
    assert m.decision.announce() == pytest.approx(0.1) and m.decision.expectation == pytest.approx(0.3)


def test_feedback_strength():
    """0.7 * ((1 - 0.3) + 0.3 * 0.5) = 0.595."""
    assert_allclose(tiny_model().decision.feedback_strength(), 0.595)


def test_council_project_hours():
    """The council's own projects take the design's full 40 staff hours: no residents share the work."""
    assert tiny_model().decision.council_project_hours() == 40.0


def test_abandon_sends_ignored_to_participants():
    """An abandoned cycle is a response never given: every participant reads the silence as
    0.5 of the expectation (1.0, empower) broken, strength -0.5: trust, efficacy, input and throughput
    -0.5 * 0.2 * 2 = -0.2 (no fairness, no output); fear of wasted effort 0.4 + 0.3 * 0.5 * 0.6 = 0.49."""
    m = tiny_model()
    set_network(m, [])
    set_population(m, perception=np.zeros((len(ITEMS), N)), fear=0.4)
    m.decision.announce()
    m.participation.taking_part[:] = mask(12, 0, 1)
    m.decision.abandon()
    for name in ("trust", "efficacy", "input", "throughput"):
        assert_allclose(item(m, name), [-0.2] * 2 + [0.0] * 10, atol=1e-7)
    assert_allclose(item(m, "output"), 0.0)
    assert_allclose(m.population.fear, [0.49] * 2 + [0.4] * 10)
    assert "ignored" in m.signals.history[0]


def test_abandon_without_participants_sends_nothing():
    m = tiny_model()
    m.decision.announce()
    before = m.population.perception.copy()
    m.decision.abandon()
    assert np.array_equal(m.population.perception, before)
    assert "ignored" not in m.signals.history.get(0, {})


def decision_month(design: str = "participatory_budget", *overrides: str, reach: float | None = None):
    """A design in its decision month with residents 0-5 taking part, before its decision."""
    m = tiny_model(design, *MONEY, *overrides)
    set_eligible(m, np.ones(12, dtype=bool))
    set_network(m, [])
    set_population(m, perception=np.zeros((len(ITEMS), N)), fear=0.4, habit=0.2, civic_skills=0.5)
    m.config.design.proposals_per_participant = 1.0
    if reach is not None:
        m.config.citizens.public_channel_reach = reach
    m.budget.open_year()
    t = 0
    while calendar_month(m, t) is not Phase.decide:
        t += 1
        assert t < 36, "no decision month"
    m.participation.taking_part[:] = np.isin(np.arange(12), PARTICIPANTS)
    m.staff.open_month()
    return m


@pytest.fixture
def decided():
    """A participatory budget in its decision month (8) with residents 0-5 taking part; step() run."""
    m = decision_month()
    assert m.month == 8
    m.administration.set("fear_self_interest", 0.4)
    m.administration.set("trust_in_citizens", 0.5)
    m.administration.set("fear_complexity", 0.4)
    m.council.set("fear_self_interest", 0.4)
    m.council.set("trust_in_citizens", 0.5)
    m.decision.step()
    return m


def hand_signal(m) -> tuple[float, np.ndarray, float]:
    """(the group's judgement, each participant's response strength, the process's fairness) from the ledger
    and the cycle's record, by the formulas of sim.model.mechanisms.trust (see TestDecisionMonth)."""
    rec = m.cycles.current
    rows = m.projects.ledger()
    decided_on = sum(bool(r["funded"]) for r in rows)
    won = np.zeros(12, dtype=bool)
    for p in m.projects.queue:
        won[p.supporters] = True
    done = rec.adopted / decided_on
    expectation = max(rec.expected, 0.3)
    judged = 0.7 * (done - 0.5) + 0.3 * (done - expectation)
    fav = 0.5 * (won[PARTICIPANTS] - won[PARTICIPANTS].mean())
    reach = m.config.citizens.public_channel_reach
    heard = 0.595 + 0.405 * reach if rec.adopted else 0.595
    strength = np.clip(heard * (judged + fav), -1, 1)
    fairness = 0.5 * (0.4 + 0.595) * rec.representativeness
    return judged, strength, fairness


class TestDecisionMonth:
    def test_proposals_go_to_the_ledger(self, decided):
        """Six participants, one proposal each: six ledger rows of residents' origin, cycle 1, by participants,
        who are now last edition's proposers."""
        m = decided
        rows = m.projects.ledger()
        assert len(rows) == 6
        assert sorted(r["author"] for r in rows) == PARTICIPANTS.tolist()
        assert {r["cycle"] for r in rows} == {1} and {r["origin"] for r in rows} == {RESIDENTS}
        assert m.population.last_proposal.tolist() == [1] * 6 + [0] * 6
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
        # the project money pays a project when it is delivered, not at adoption
        assert m.staff.budget_spent == 0.0

    def test_adopted_projects_commit_the_years_money(self, decided):
        """What the vote funded and the council adopted is committed to residents' choices: the year's
        EUR 170,000 less their cost is left for the council's own projects; the citizens' budget caps it."""
        m = decided
        cost = sum(r["cost"] for r in m.projects.ledger() if r["adopted"])
        assert 0 < cost <= 85_000
        assert_allclose(m.budget.committed["residents"], cost)
        assert_allclose(m.budget.available, 170_000 - cost)

    def test_participants_hear_back(self, decided):
        """Participants judge the vote honoured: done = adopted / funded; judged = 0.7 * (done - 0.5)
        + 0.3 * (done - expectation); own favourability 0.5 * (won - share won); heard by
        0.595 + 0.405 * 0.3 (public channel, something was done). Strength s = heard * (judged + fav):
        trust, efficacy and input move by s * 0.2 (s * 0.4 if bad news), throughput as much plus the
        fairness 0.5 * (0.4 + 0.595) * representativeness * 0.1; output does not move."""
        m = decided
        assert "heard" in m.signals.history[8] and "fair_process" in m.signals.history[8]
        _, s, fairness = hand_signal(m)
        assert m.cycles.current.adopted == sum(bool(r["funded"]) for r in m.projects.ledger())  # empower: all
        moved = perceptions.shift(s, 0.2, 0.4)
        for name in ("trust", "efficacy", "input"):
            assert_allclose(item(m, name)[PARTICIPANTS], moved, rtol=1e-5, atol=1e-7)
        assert_allclose(item(m, "throughput")[PARTICIPANTS], moved + fairness * 0.1, rtol=1e-5, atol=1e-7)
        assert_allclose(item(m, "output"), 0.0)
        # the fear of wasted effort follows the response
        assert_allclose(m.population.fear[PARTICIPANTS], fears.citizens_wasted_effort(np.full(6, 0.4), s, 0.3))
        # the habit of taking part: 0.5 * 0.2 + 0.5 * (1 + clip(0.5 + s, 0, 1)) / 2; the others' fades to 0.1
        assert_allclose(m.population.habit[PARTICIPANTS], 0.1 + 0.25 * (1 + np.clip(0.5 + s, 0, 1)))
        assert_allclose(m.population.habit[6:], 0.1)
        assert m.population.ever_participated[PARTICIPANTS].all() and not m.population.ever_participated[6:].any()

    def test_residents_who_did_not_take_part_read_the_news(self, decided):
        """Non-participants have no ties: only the public channel moves them, each reader by the group's
        judgement on trust, input and throughput (0.05 sd per unit, bad news twice), never on efficacy or
        output; the readers were drawn, so each one moved exactly that or not at all."""
        m = decided
        judged, _, _ = hand_signal(m)
        news = float(perceptions.shift(judged, 0.05, 0.1))
        assert news != 0.0
        readers = item(m, "trust")[6:] != 0
        for name in ("trust", "input", "throughput"):
            assert_allclose(item(m, name)[6:], np.where(readers, news, 0.0), atol=1e-7)
        assert_allclose(item(m, "efficacy")[6:], 0.0)
        assert_allclose(item(m, "output")[6:], 0.0)

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

    def test_hours_and_record(self, decided):
        """Screening 6 h * 6 proposals + reporting 10 h * feedback 0.7 = 43 h; the cycle is marked decided."""
        m = decided
        assert_allclose(m.staff.spent["screening and reporting"], 43.0)
        assert m.cycles.current.extra["decided"] is True
        assert m.decision.representativeness == m.cycles.current.representativeness > 0


@pytest.mark.parametrize("reach", [0.0, 1.0])
def test_public_channel_readers(reach):
    """citizens.public_channel_reach 1: every resident who did not take part reads the news (and only they);
    0: nobody does, and nothing is recorded for the public channel."""
    m = decision_month(reach=reach)
    m.decision.step()
    moved = item(m, "trust")[6:] != 0
    assert moved.all() if reach else not moved.any()
    assert ("public" in m.signals.history[8]) == bool(reach)


class RecordingGenerator:
    """The model's generator, recording every draw of one uniform per resident."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.per_resident: list[np.ndarray] = []

    def random(self, size=None, **kwargs):
        draws = self.rng.random(size, **kwargs)
        if size == N:
            self.per_resident.append(draws.copy())
        return draws

    def __getattr__(self, name: str):
        return getattr(self.rng, name)


def test_public_channel_draws_its_readers_with_the_models_generator(monkeypatch):
    """Readers are drawn with probability citizens.public_channel_reach 0.3 from the model's generator,
    participants excluded: the readers are those of the model's last draw of one uniform per resident
    (the news comes right after it) below 0.3, less the participants."""
    m = decision_month()
    seen = {}
    original = m.signals.public

    def public(who, judged):
        seen["who"] = who.copy()
        return original(who, judged)

    monkeypatch.setattr(m.signals, "public", public)
    m.rng = recording = RecordingGenerator(m.rng)
    m.decision.step()
    expected = np.flatnonzero((recording.per_resident[-1] < 0.3) & ~np.isin(np.arange(N), PARTICIPANTS))
    assert expected.size and seen["who"].tolist() == expected.tolist()


def test_nothing_to_report_means_no_news():
    """A tokenistic consultation that adopts nothing and gives no feedback (design.feedback 0) did not respond:
    participants read the silence, and the public channel has nothing to carry."""
    m = decision_month("tokenistic_consultation", "council.openness_base=0.0", reach=1.0)
    m.config.design.feedback = 0.0
    m.config.design.responsiveness = 0.0
    m.decision.announce()
    m.decision.step()
    assert m.decision.adopted == 0
    assert "public" not in m.signals.history[m.month]
    assert (item(m, "trust")[PARTICIPANTS] < 0).all()
    assert_allclose(item(m, "trust")[6:], 0.0)


def test_equal_shares_is_perceived_as_fairer():
    """A participatory budget allocated by equal shares: participants' throughput rises by perceptions.equal_shares
    0.3 sd more than under the greedy rule, whatever else happened (the same draws up to the allocation)."""
    greedy = decision_month()
    fair = decision_month("participatory_budget", "design.allocation_rule=equal_shares")
    assert not greedy.decision.equal_shares() and fair.decision.equal_shares()
    assert fair.config.perceptions.equal_shares == 0.3
    greedy.decision.step()
    fair.decision.step()
    assert "fair_process" in fair.signals.history[8]
    # the two rules may fund different projects: compare each with its own response
    for m, extra in ((greedy, 0.0), (fair, 0.3)):
        _, s, fairness = hand_signal(m)
        assert_allclose(item(m, "throughput")[PARTICIPANTS],
                        perceptions.shift(s, 0.2, 0.4) + fairness * 0.1 + extra, rtol=1e-5, atol=1e-7)


def test_consultation_supporters_are_the_authors():
    """Without a budget nobody votes: a proposal's supporters are its author alone, votes and funded are None;
    what the council adopts is paid from the year's project money."""
    m = decision_month("consultation", "council.openness_base=1.0")  # an open council: something is adopted
    assert m.month == 5  # start 3, no inform phase, two participate months (3-4)
    m.decision.step()
    rows = m.projects.ledger()
    assert len(rows) == 6 and m.projects.queue
    assert all(r["votes"] is None and r["funded"] is None for r in rows)
    for p in m.projects.queue:
        assert p.supporters.tolist() == [rows[p.row]["author"]]
    assert m.staff.budget_spent == 0.0
    assert_allclose(m.budget.committed["residents"], sum(r["cost"] for r in rows if r["adopted"]))


def test_consultation_adopts_no_more_than_the_money_pays():
    """The same consultation in a municipality whose year of project money is EUR 85 (the tiny model's own):
    the council's adoptions cannot be paid, so nothing is adopted and nothing committed."""
    m = decision_month("consultation", "council.openness_base=1.0", "scenario.project_budget_eur=100000")
    assert m.budget.available == 50.0
    m.decision.step()
    rows = m.projects.ledger()
    assert len(rows) == 6 and not any(r["adopted"] for r in rows)
    assert m.budget.committed["residents"] == 0.0 and m.decision.adopted == 0


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
    """Each neighbourhood's sub-budget is its share of the residents of the citizens' budget, scaled with the
    residents: 170,000 * 0.0005 = EUR 85 for the 12."""
    m = tiny_model("participatory_budget", "design.sub_budgets=neighbourhood")
    k = len(m.config.scenario.neighbourhoods)
    set_population(m, neighbourhood=np.arange(12) % k)
    props = _proposals(np.arange(6) % k, theme=-1)
    groups, budgets = m.decision._sub_budgets(props, np.arange(6), np.ones(6))
    residents = np.bincount(np.arange(12) % k, minlength=k)
    assert groups.tolist() == (np.arange(6) % k).tolist()
    assert_allclose(budgets, 85.0 * residents / 12)


def test_theme_budgets_follow_the_approvals():
    """Three themes; candidates of themes 0, 0, 2 with 4, 2 and 6 approvals: theme 0 gets 6 / 12 of
    the (scaled) budget of EUR 85, theme 1 nothing, theme 2 6 / 12."""
    m = tiny_model("participatory_budget", "design.sub_budgets=theme", "design.themes=3")
    props = _proposals(np.zeros(3, dtype=int), theme=np.array([0, 0, 2]))
    groups, budgets = m.decision._sub_budgets(props, np.arange(3), np.array([4.0, 2.0, 6.0]))
    assert groups.tolist() == [0, 0, 2]
    assert_allclose(budgets, 85.0 * np.array([0.5, 0.0, 0.5]))


def test_themes_are_drawn_only_when_asked():
    """With design.themes = 0 proposals carry theme -1; with 3, themes in 0..2."""
    m = tiny_model()
    assert m.decision.design.themes == 0
    rng = np.random.default_rng(0)
    skills, orientation, hood = np.full(12, 0.5), np.full(12, 0.5), np.zeros(12, dtype=np.int16)
    none = proposals.submit(np.arange(12), skills, orientation, hood, 1.0, 0.0, 100.0, rng)
    assert (none.theme == -1).all()
    some = proposals.submit(np.arange(12), skills, orientation, hood, 1.0, 0.0, 100.0, np.random.default_rng(0),
                            themes=3)
    assert set(some.theme.tolist()) <= {0, 1, 2} and some.size == none.size
    # the theme is drawn last: everything else is what a run without themes draws
    assert_allclose(some.cost, none.cost) and assert_allclose(some.risk, none.risk)


def test_a_vote_threshold_of_every_voter_funds_only_unanimous_projects():
    """design.vote_threshold = 1: a project needs the approval of every voter to be funded; with the threshold 0
    (the default) the same ballots fund projects that not everyone approved."""
    funded = {}
    for threshold in (1.0, 0.0):
        m = decision_month()
        m.config.design.vote_threshold = threshold
        m.decision.step()
        rows = m.projects.ledger()
        assert rows
        funded[threshold] = [r["votes"] for r in rows if r["funded"]]
    assert all(v == PARTICIPANTS.size for v in funded[1.0])
    assert any(v < PARTICIPANTS.size for v in funded[0.0])


def _proposals(neighbourhood: np.ndarray, theme: int | np.ndarray) -> Proposals:
    """Proposals in the given neighbourhoods and themes (costs, risks and authors do not matter here)."""
    n = neighbourhood.size
    theme = np.full(n, theme) if np.isscalar(theme) else theme
    return Proposals(np.arange(n), neighbourhood.astype(np.int16), np.full(n, 0.5), np.full(n, 1000.0),
                     np.full(n, 0.1), theme.astype(np.int16))
