"""The cycle's decision: proposals, screening, the ballot of a participatory budget, adoption, feedback."""

from __future__ import annotations

import numpy as np

from sim.config.schema import AllocationRule, Channel, Selection, SubBudgets
from sim.model.mechanisms import adoption, allocation, fears, proposals, trust
from sim.model.mechanisms import ballots as ballot_mechanism
from sim.model.processes.base import Process, Result
from sim.model.signals import SignalKind


class Decision(Process):
    """What the municipality does with a cycle's input, and what participants make of it.

    At the opening of a cycle it announces what it will do with the input (``announce``: the
    design's authority and responsiveness, inflated by over-promising, pulled by the preacher
    of realism toward what capacity can deliver). In the decision month: participants submit
    proposals; the administration screens them; in a participatory budget participants vote
    and the allocation rule funds projects within the budget; the council adopts (as far as
    it is open to citizens' input, at most what the realism role lets capacity carry); the
    adopted proposals go to ``model.projects``; participants hear back and judge the outcome
    against the promise (a signal); administration and council learn from the cycle's
    evidence (their agents' methods).
    Owns: ``promise`` (the share of input participants were led to expect acted on),
    ``representativeness`` (of the last decision's participants), ``last_screened``,
    ``general_interest_share``, ``submitted``, ``adopted`` (cumulative counts).
    """

    results = (
        Result("general_interest_share", "share", "Share of the last decided cycle's proposals that serve the "
               "general interest.", lambda m: m.decision.general_interest_share),
        Result("proposals_submitted", "proposals", "Proposals submitted so far.", lambda m: m.decision.submitted,
               summary="total"),
        Result("proposals_adopted", "proposals", "Proposals adopted so far.", lambda m: m.decision.adopted,
               summary="total"),
    )

    promise: float  # the share of input participants were led to expect acted on
    expectation: float  # what they expect: at least citizens.implicit_expectation
    representativeness: float  # of the last decision's participants
    last_screened: int | None  # proposals that passed the last screening (None before any)
    general_interest_share: float  # of the last decision's proposals
    submitted: int
    adopted: int


    sections = ("design", "citizens", "administration", "council", "proposals")

    def __init__(self, model) -> None:
        super().__init__(model)
        self.promise = 0.0
        self.expectation = 0.0
        self.representativeness = 0.0
        self.last_screened: int | None = None
        self.general_interest_share = 0.0
        self.submitted = 0
        self.adopted = 0

    # ------------------------------------------------------------------ promises

    def project_staff_hours(self) -> float:
        """Staff hours one adopted project needs; residents' share of the work saves some of them."""
        d, a = self.design, self.administration
        return max(d.project_staff_hours * (1.0 - a.coproduction_staff_saving * d.coproduction), 1e-9)

    def council_project_hours(self) -> float:
        """Staff hours one of the council's own projects needs (no residents share its work)."""
        return max(self.administration.own_project_staff_hours, 1e-9)

    def cycle_capacity_projects(self) -> float:
        """Projects the hours of one cycle can implement (``administration.project_capacity_share`` of them)."""
        d, a = self.design, self.administration
        return self.model.staff.capacity() * d.cycle_months * a.project_capacity_share / self.project_staff_hours()

    def feasible_share(self) -> float:
        """Share of what the cycle will put up for decision that money and capacity can deliver.

        Up for decision are the proposals expected to pass screening (the last cycle's, or a
        first guess from the expected turnout); with a citizens' budget, no more of them than
        the budget can fund at the mean project cost. Capacity is the staff hours of a cycle
        available for projects (``administration.project_capacity_share``); without a citizens'
        budget, the cycle's share of the year's project money pays for what is adopted.
        """
        m, d, a = self.model, self.design, self.administration
        hours = m.staff.capacity() * d.cycle_months * a.project_capacity_share
        if self.last_screened is None:
            expected_turnout = (a.first_cycle_turnout_guess * m.n_eligible if d.selection is not Selection.lot
                                else d.panel_size)
            expected = max(1.0, expected_turnout * d.proposals_per_participant)
        else:
            expected = max(1.0, self.last_screened)
        if d.budget_per_cycle_eur > 0:
            expected = max(1.0, min(expected, m.budget.citizens_budget() / d.mean_project_cost_eur))
            affordable = expected
        else:
            affordable = m.budget.yearly() * min(d.cycle_months, 12) / 12 / d.mean_project_cost_eur
        return float(min(1.0, hours / self.project_staff_hours() / expected, affordable / expected))

    def binding(self) -> float:
        """Share of the citizens' decisions that bind the council at the design's authority level."""
        return adoption.binding_share(self.design.authority, self.council)

    def announce(self) -> float:
        """What participants are led to expect at the opening of a cycle; returns the promise.

        The announcement (``promise``) follows the design, over-promising and realism; what
        participants then expect (``expectation``) is no less than ``citizens.implicit_expectation``:
        being asked raises expectations whatever is announced.
        """
        d = self.design
        inflation = self.model.choices.promise_inflation(d.promise_inflation, self.model.month)
        self.promise = adoption.promised_share(self.binding(), d.responsiveness, inflation,
                                               self.administration.role_realism, self.feasible_share())
        self.expectation = max(self.promise, self.citizens.implicit_expectation)
        return self.promise

    def equal_shares(self) -> bool:
        """Whether a citizens' budget is allocated by the method of equal shares."""
        d = self.design
        return d.budget_per_cycle_eur > 0 and d.allocation_rule is AllocationRule.equal_shares

    def feedback_strength(self) -> float:
        """How strongly participants hear back: design.feedback, carried in part by the continuity role."""
        d, a = self.design, self.administration
        w = a.feedback_continuity_weight
        return d.feedback * ((1.0 - w) + w * a.role_continuity)

    def abandon(self) -> None:
        """A cycle dropped before its decision: the input was asked for and met with silence."""
        m = self.model
        idx = m.participation.participants()
        signal = trust.response_signal(0.0, np.zeros(idx.size), 0.0, self.expectation,
                                       self.citizens.silence_penalty, responded=False)
        m.signals.send(m.signals.response(SignalKind.ignored, idx, signal))

    # ------------------------------------------------------------------ the decision month

    def step(self) -> None:
        """The cycle's decision (the month after its participation phase)."""
        m, d, a, c = self.model, self.design, self.administration, self.council
        pop, rec = m.population, m.cycles.current
        if rec is None:
            return
        part = m.participation
        idx = part.participants()
        repr_ = part.representativeness()
        pr = self.proposals
        frame = proposals.framing(d.permanent, m.cycles.done, d.facilitation,
                                  permanence_weight=pr.framing_permanence_weight,
                                  facilitation_weight=pr.framing_facilitation_weight,
                                  time_scale=pr.framing_time_scale)
        props = proposals.submit(idx, pop.civic_skills, pop.general_interest, pop.neighbourhood,
                                 d.proposals_per_participant, frame, d.mean_project_cost_eur, m.rng,
                                 framing_strength=pr.framing_strength, noise=pr.orientation_noise,
                                 cost_log_sd=pr.cost_log_sd, risk_a=pr.risk_beta_a, risk_b=pr.risk_beta_b,
                                 themes=d.themes, valence_sd=pr.valence_sd)
        gi_share = proposals.general_interest_share(props)
        pop.last_proposal[props.author] = rec.index
        admin = m.administration
        risk_aversion, gi_bar = m.choices.screening(a.risk_aversion, a.general_interest_bar, m.month, props.size)
        passed = adoption.screen(props.risk, props.general_interest, admin.agg("fear_failure", np.mean),
                                 admin.agg("fear_self_interest", np.mean), repr_,
                                 admin.agg("trust_in_citizens", np.mean), risk_aversion=risk_aversion,
                                 general_interest_bar=gi_bar,
                                 within_rules=m.rng.random(props.size) < pr.within_rules_share)
        screening = a.screening_hours * props.size
        council = m.council
        binding = self.binding()
        # each member's openness to citizens' advice, from her own trust and fears
        openness = adoption.council_openness(
            np.asarray(council.get("trust_in_citizens")), np.asarray(council.get("fear_self_interest")),
            np.asarray(council.get("fear_losing_control")), repr_, binding, base=c.openness_base,
            trust_weight=c.openness_trust_weight, self_interest_weight=c.openness_self_interest_weight,
            control_weight=c.openness_control_weight)
        cap = int(np.ceil(self.cycle_capacity_projects() * (1.0 + a.realism_cap_factor * (1.0 - a.role_realism))))
        voted = d.budget_per_cycle_eur > 0 and props.size > 0
        # the council votes member by member on what reaches it as advice
        advice = adoption.council_vote(props.size, d.responsiveness * openness, c.vote_cohesion, m.rng)
        if voted:
            funded, votes, supporters, own_votes, rec.ballots = self._vote(props, passed, idx)
            decided_on = funded
            priority = np.asarray([s.size for s in supporters], dtype=float)
            advice = m.choices.council_vote(advice, funded, binding, m.month, m.rng)  # or as the majority decides
            adopted = adoption.adopt(funded, binding, c.veto_share, advice, cap, m.rng, priority=priority)
        else:
            funded, votes, own_votes = None, None, None
            decided_on = passed
            priority = props.general_interest
            advice = m.choices.council_vote(advice, passed, binding, m.month, m.rng)  # or as the majority decides
            adopted = adoption.adopt(passed, binding, c.veto_share, advice, cap, m.rng, priority=priority)
            supporters = [np.array([au]) for au in props.author]
        # every euro comes from the project money (model.budget): a vote from the citizens' budget set
        # aside for it, other adoptions from the common money, as far as it reaches
        if voted:
            m.budget.fund_vote(props.cost, adopted)
        else:
            adopted = m.budget.afford(props.cost, adopted, priority)
        n_adopted = int(adopted.sum())

        # who won: authors of adopted proposals and voters who approved one
        won = np.zeros(pop.size, dtype=bool)
        for j in np.flatnonzero(adopted):
            won[supporters[j]] = True
        m.projects.record_cycle(rec.index, props, passed, votes, funded, adopted, supporters,
                                self.project_staff_hours(), own_votes)

        # feedback: participants judge what became of their input, in the design's own terms
        feedback, level = m.choices.feedback(self.feedback_strength(), d.feedback, m.month)
        reporting = a.reporting_hours * level
        cz = self.citizens
        done = trust.uptake(n_adopted, int(decided_on.sum()))
        judged = trust.group_judgement(done, self.expectation, cz.judgement, cz.weight_performance,
                                       cz.neutral_outcome)
        responded = feedback > 0 or n_adopted > 0
        heard = trust.heard_share(feedback, cz.public_channel_reach, responded)
        signal = trust.response_signal(judged, trust.own_favourability(won[idx], cz.own_outcome_weight), heard,
                                       self.expectation, cz.silence_penalty, responded)
        signals = m.signals
        signals.send(signals.response(SignalKind.heard, idx, signal))
        # Procedural fairness as experienced: being supported and being heard back, in a process open
        # to a representative public (voice without a hearing is not fair), winners and losers alike;
        # a budget shared by equal shares is perceived as fairer (Hänggli Fricker et al. 2024).
        sizes = m.config.perceptions
        signals.send(signals.fair_process(idx, 0.5 * (d.facilitation + feedback) * repr_, sizes.fair_process))
        if self.equal_shares():
            signals.send(signals.fair_process(idx, 1.0, sizes.equal_shares))
        if responded:
            # the public channel: residents who did not take part read what became of the input
            reads = m.rng.random(pop.size) < cz.public_channel_reach
            reads[idx] = False
            signals.send(signals.public(np.flatnonzero(reads), judged))
        satisfaction = np.zeros(pop.size)
        satisfaction[idx] = np.clip(0.5 + signal, 0.0, 1.0)
        prior = part.remember(idx, satisfaction)

        # administration and council learn about self-interest and complexity
        evidence = fears.self_interest_evidence(gi_share, repr_)
        # A permanent process makes the evidence count more: it is part of a structural story.
        a_weight = a.permanence_evidence_weight if d.permanent else 1.0
        admin.do("learn_from_cycle", evidence, a.learning_rate, a_weight, a.complexity_learning)
        council.do("learn_from_cycle", evidence, c.learning_rate, a_weight)

        rec.submitted, rec.screened_in, rec.adopted = props.size, int(passed.sum()), n_adopted
        rec.general_interest_share = gi_share
        rec.representativeness = repr_
        rec.extra["decided"] = True
        rec.education_bias = part.education_bias()
        rec.repeat_share = float(prior.mean()) if idx.size else 0.0
        self.last_screened = int(passed.sum())
        self.representativeness = repr_
        self.general_interest_share = gi_share
        self.submitted += props.size
        self.adopted += n_adopted
        m.staff.spend("screening and reporting", screening + reporting)

    def _vote(self, props: proposals.Proposals, passed: np.ndarray,
              voters: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray, int]:
        """Participants vote on the screened proposals; the allocation rule picks projects.

        Returns the mask of funded proposals, the approvals each received, its supporters (the
        voters who approved it), how many of its approvals came from its own neighbourhood and the
        number of ballots cast (the eligible participants, 0 without a proposal on the ballot; both
        for comparing the model's ballots with real ones, sim.validation.real_ballots).
        """
        m, d, c = self.model, self.design, self.citizens
        pop = m.population
        cand = np.flatnonzero(passed)
        funded = np.zeros(props.size, dtype=bool)
        votes = np.zeros(props.size, dtype=np.int64)
        supporters = [np.empty(0, dtype=np.int64) for _ in range(props.size)]
        own_votes = np.zeros(props.size, dtype=np.int64)
        eligible_voters = voters[m.eligible[voters]]
        if cand.size == 0 or eligible_voters.size == 0:
            return funded, votes, supporters, own_votes, 0
        ballots = ballot_mechanism.approval_ballots(
            m.rng, pop.neighbourhood[eligible_voters], pop.general_interest[eligible_voters],
            props.neighbourhood[cand], props.general_interest[cand], d.approvals_per_ballot,
            c.ballot_neighbourhood_weight, c.ballot_general_interest_weight, fill=c.approval_fill,
            valence=props.valence[cand], friends=m.network[eligible_voters][:, props.author[cand]],
            friends_weight=self.proposals.friends_weight)
        costs = props.cost[cand]
        counts = np.asarray(ballots.sum(axis=0)).ravel()
        scores = None
        if d.channel_weights:
            scores = allocation.channel_scores(ballots, self._live_voters(eligible_voters), d.live_vote_share)
        groups, group_budgets = self._sub_budgets(props, cand, counts)
        chosen = allocation.fund(costs, ballots, m.budget.citizens_budget(), d.allocation_rule.name, scores=scores,
                                 threshold_share=d.vote_threshold, groups=groups, group_budgets=group_budgets)
        funded[cand[chosen]] = True
        votes[cand] = counts
        csc = ballots.tocsc()
        for jj, j in enumerate(cand):
            supporters[j] = eligible_voters[csc.indices[csc.indptr[jj]: csc.indptr[jj + 1]]]
        # approvals from the proposal's own neighbourhood: one comparison per approval
        column = np.repeat(np.arange(cand.size), np.diff(csc.indptr))
        own = pop.neighbourhood[eligible_voters[csc.indices]] == props.neighbourhood[cand][column]
        own_votes[cand] = np.bincount(column, weights=own, minlength=cand.size).astype(np.int64)
        return funded, votes, supporters, own_votes, int(eligible_voters.size)

    def _live_voters(self, voters: np.ndarray) -> np.ndarray:
        """Mask of the voters who vote live (the rest vote online).

        A design of one channel decides for everyone; in a hybrid design those without internet
        vote live and the others with probability ``citizens.live_vote_propensity``.
        """
        channel = self.design.channel
        if channel is not Channel.hybrid:
            return np.full(voters.size, channel is Channel.offline)
        online = self.model.population.online[voters]
        return ~online | (self.model.rng.random(voters.size) < self.citizens.live_vote_propensity)

    def _sub_budgets(self, props: proposals.Proposals, cand: np.ndarray,
                     counts: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Each candidate's group and each group's budget, or ``(None, None)`` for one budget.

        A neighbourhood's budget is its share of the residents; a theme's, its share of the approvals.
        """
        d, m = self.design, self.model
        if d.sub_budgets is SubBudgets.none:
            return None, None
        if d.sub_budgets is SubBudgets.neighbourhood:
            groups = props.neighbourhood[cand].astype(np.intp)
            residents = np.bincount(m.population.neighbourhood, minlength=len(m.config.scenario.neighbourhoods))
            return groups, allocation.sub_budgets(m.budget.citizens_budget(), residents.size, residents)
        groups = props.theme[cand].astype(np.intp)
        approvals = np.bincount(groups, weights=counts, minlength=d.themes)
        return groups, allocation.sub_budgets(m.budget.citizens_budget(), d.themes, approvals)
