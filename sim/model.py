"""The Mesa model: wires the population, network, agents and mechanisms into one monthly step.

Schedule of one step (one month), in order:

1. election (if due): council turnover; participation pauses unless the administration
   carries continuity;
2. calendar: which phase of the design's cycle this month is (inform, participate, decide);
3. information: campaign and word of mouth raise awareness and lower fear;
4. participation: aware residents decide to take part (or a panel is drawn by lot);
   co-producers contribute effort;
5. decision (the month after a cycle's participation phase): proposals, screening, vote and
   allocation, council adoption, feedback; trust, efficacy, fear, habit and the fears of
   administration and council learn from it;
6. reopening of open decisions; implementation of queued projects under capacity;
7. production of service quality; slow reversion of trust and efficacy;
8. measurement: legitimacy, turnout, composition; the DataCollector records one row.

All randomness comes from ``self.rng`` (seeded from the config), so a config and seed give
the same run on any machine and in any process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mesa
import numpy as np

from sim.agents import Citizen, CivilServant, CouncilMember
from sim.config import AllocationRule, Config, Selection, model_seed
from sim.mechanisms import (
    adoption,
    budgeting,
    elections,
    fears,
    implementation,
    information,
    legitimacy,
    participation,
    production,
    proposals,
    reopening,
    trust,
)
from sim.network import build_network, neighbour_mean, neighbour_share
from sim.outcomes import group_codes, representativeness
from sim.population import synthesize

#: Time-series columns (model reporters), in order. The summary uses the same names.
TIMESERIES_COLUMNS = (
    "month", "phase", "cycle", "participants", "turnout", "turnout_eligible", "representativeness",
    "awareness_citizens", "trust_citizens", "efficacy_citizens", "fear_citizens", "habit_citizens",
    "trust_participants", "trust_administration", "fear_complexity_administration",
    "fear_failure_administration", "fear_self_interest_administration", "trust_council",
    "fear_self_interest_council", "commitment_council", "legitimacy", "legitimacy_input",
    "legitimacy_throughput", "legitimacy_output", "legitimacy_council", "service_quality",
    "service_quality_equity", "general_interest_share", "proposals_submitted", "proposals_adopted",
    "proposals_implemented", "decisions_reopened", "projects_late", "staff_hours", "budget_spent",
    "citizen_hours",
)

PHASES = ("idle", "inform", "participate", "decide", "paused")


@dataclass
class Project:
    """An adopted proposal waiting for or under implementation."""

    neighbourhood: int
    cost: float
    remaining_hours: float
    ready_month: int
    due_month: int
    supporters: np.ndarray
    coproduced: float
    late: bool = False


@dataclass
class CycleRecord:
    """What happened in one participation cycle."""

    index: int
    start: int
    participants: int = 0
    participants_eligible_share: float = 0.0
    representativeness: float = 0.0
    repeat_share: float = 0.0
    submitted: int = 0
    screened_in: int = 0
    adopted: int = 0
    general_interest_share: float = 0.0
    education_bias: float = 1.0
    expected: float = 0.0
    extra: dict = field(default_factory=dict)


class CoproductionModel(mesa.Model):
    """Citizens, administration and council in one municipality, month by month.

    Build it from a validated :class:`sim.config.Config` (``sim.run`` does this from the
    presets); ``model.run_for(model.config.run.steps)`` runs the horizon. Citizens are
    ``Citizen`` agents over the arrays in ``model.population``; civil servants and council
    members are ordinary agents (``model.administration``, ``model.council``).
    """

    def __init__(self, config: Config) -> None:
        super().__init__(rng=model_seed(config))
        self.config = config
        cfg, s, d = config, config.scenario, config.design
        n = round(s.population * cfg.run.population_scale)

        self.population = pop = synthesize(n, s, cfg.citizens, self.rng)
        self.network = build_network(pop.neighbourhood, pop.education, pop.age_group,
                                     cfg.citizens.mean_degree, cfg.citizens.share_local_ties,
                                     cfg.citizens.homophily, self.rng)
        self.degree = np.diff(self.network.indptr).astype(np.float32)
        self.eligible = pop.age >= d.min_age
        self.n_eligible = int(self.eligible.sum())
        self.codes = group_codes(pop)
        self.n_groups = {"education": 3, "age": 4, "neighbourhood": len(s.neighbourhoods),
                         "online_access": 2}
        self.neighbourhood_population = np.bincount(pop.neighbourhood, minlength=len(s.neighbourhoods))
        self.resources = participation.resources(pop.time_available, pop.civic_skills)
        ci = cfg.citizens
        self.channel_fit = participation.channel_access(
            d.channel, pop.online, pop.age, pop.time_available, offline_base=ci.offline_fit_base,
            offline_time=ci.offline_fit_time, offline_80plus_penalty=ci.offline_fit_80plus_penalty)
        # Strata for sortition: education x age group (the usual quota variables of panels;
        # with dozens of seats a finer grid leaves most strata with a fraction of a seat).
        self.strata = pop.education.astype(np.int64) * 4 + pop.age_group

        Citizen.create_agents(self, n, index=np.arange(n))
        a = cfg.administration
        CivilServant.create_agents(self, a.staff, hours=a.hours_per_month, expertise=a.expertise,
                                   trust_in_citizens=a.trust_in_citizens, fear_complexity=a.fear_complexity,
                                   fear_failure=a.fear_failure, fear_self_interest=a.fear_self_interest)
        c = cfg.council
        CouncilMember.create_agents(self, c.seats, trust_in_citizens=c.trust_in_citizens,
                                    fear_self_interest=c.fear_self_interest,
                                    fear_losing_control=c.fear_losing_control, commitment=c.commitment)
        self.citizens = self.agents_by_type[Citizen]
        self.administration = self.agents_by_type[CivilServant]
        self.council = self.agents_by_type[CouncilMember]

        rng_q = self.rng.normal(0.0, s.service_quality_spread, len(s.neighbourhoods))
        self.quality = np.clip(s.service_quality_initial + rng_q, 0.0, 1.0)

        # calendar and process state
        self.month = -1
        self.cycle_start = d.start_month if d.active else None
        self.cycles_done = 0
        self.cycle_index = 0
        self.cycle_participants = np.zeros(n, dtype=bool)  # took part in the current cycle
        self.cycle_joined_participation = np.zeros(n, dtype=bool)
        self.cycles: list[CycleRecord] = []
        self.current_cycle: CycleRecord | None = None
        self.queue: list[Project] = []
        self.expected_share = 0.0
        self.last_representativeness = 0.0
        self.last_reach = 0.0
        self.last_feedback = 0.0
        self.reopen_rate_smoothed = 0.0
        self.due_total = 0
        self.kept_total = 0
        self.last_screened = None
        self.resume_not_before = 0

        # cumulative outcomes
        self.proposals_submitted = 0
        self.proposals_adopted = 0
        self.proposals_implemented = 0
        self.decisions_reopened = 0
        self.projects_late = 0
        self.staff_hours = 0.0
        self.budget_spent = 0.0
        self.citizen_hours = 0.0
        self.general_interest_share = 0.0

        self.datacollector = mesa.DataCollector(model_reporters={k: k for k in TIMESERIES_COLUMNS})
        self.group_records: list[tuple[int, np.ndarray]] = []

    # ------------------------------------------------------------------ helpers

    def citizen(self, index: int) -> Citizen:
        """The Citizen agent of resident ``index``."""
        return self._citizen_list()[index]

    def _citizen_list(self) -> list[Citizen]:
        if getattr(self, "_citizens_cache", None) is None:
            self._citizens_cache = sorted(self.citizens.to_list(), key=lambda c: c.index)
        return self._citizens_cache

    def _admin_mean(self, attr: str) -> float:
        return float(np.mean(self.administration.get(attr)))

    def _council_mean(self, attr: str) -> float:
        return float(np.mean(self.council.get(attr)))

    def _phase(self) -> str:
        d = self.config.design
        if not d.active or self.cycle_start is None:
            return "idle"
        offset = self.month - self.cycle_start
        if offset < 0:
            return "paused" if self.cycles_done else "idle"
        inform = d.inform_months if d.inform_first else 0
        if offset < inform:
            return "inform"
        if offset < inform + d.ideas_months:
            return "participate"
        if offset == inform + d.ideas_months:
            return "decide"
        return "idle"

    def _capacity_hours(self) -> float:
        return float(np.sum(self.administration.get("hours")))

    def _project_staff_hours(self) -> float:
        """Staff hours one adopted project needs; residents' share of the work saves some of them."""
        d, a = self.config.design, self.config.administration
        return max(d.project_staff_hours * (1.0 - a.coproduction_staff_saving * d.coproduction), 1e-9)

    def _feedback_strength(self) -> float:
        """How strongly participants hear back: design.feedback, carried in part by the continuity role."""
        d, a = self.config.design, self.config.administration
        w = a.feedback_continuity_weight
        return d.feedback * ((1.0 - w) + w * a.role_continuity)

    # ------------------------------------------------------------------ step

    def step(self) -> None:
        """Advance the municipality by one month."""
        self.month += 1
        cfg, d = self.config, self.config.design
        self._election()
        self._roll_cycle()
        phase = self._phase()
        hours_free = self._capacity_hours()
        hours_free -= self._inform(phase)
        if phase == "participate":
            hours_free -= self._participate()
        elif d.active and self._coproducing() and self.cycle_participants.any() and phase != "paused":
            hours_free -= self._coproduce()
        if phase == "decide":
            hours_free -= self._decide()
        self._reopen()
        hours_free = max(hours_free, 0.0)
        self._implement(hours_free)
        self._revert()
        self._measure(phase)
        self.datacollector.collect(self)
        if cfg.run.record_groups:
            self._record_groups()

    # ------------------------------------------------------------------ sub-steps

    def _election(self) -> None:
        c, a = self.config.council, self.config.administration
        if not elections.is_election(self.month, self.config.scenario.next_election_month, c.term_months):
            return
        members = self.council.to_list()
        seats = elections.replaced_seats(len(members), c.turnover_share, self.rng)
        continuity = a.role_continuity
        for attr, prior in (("trust_in_citizens", c.trust_in_citizens),
                            ("fear_self_interest", c.fear_self_interest),
                            ("commitment", c.commitment)):
            outgoing = self._council_mean(attr)
            for i in seats:
                setattr(members[i], attr, elections.newcomer_value(prior, outgoing, continuity))
        for i, m in enumerate(members):
            m.terms = 0 if i in set(seats.tolist()) else m.terms + 1
        d = self.config.design
        pause = elections.restart_pause(d.restart_months_after_election, continuity)
        if d.active and pause > 0 and self.cycle_start is not None:
            # A new council restarts participation after a pause: a cycle that has not yet
            # reached its decision is abandoned; a decided cycle runs its course; the next
            # cycle waits for the pause to end.
            self.resume_not_before = self.month + pause
            if self.current_cycle is not None and self._phase() in ("inform", "participate"):
                self._close_cycle(abandoned=True)
                self.cycle_start = self.resume_not_before
            elif self.current_cycle is None:
                self.cycle_start = max(self.cycle_start, self.resume_not_before)
            # Without continuity, what residents knew of the process fades faster.
            kept = self.config.citizens.election_memory
            self.population.awareness *= kept + (1.0 - kept) * continuity
            self.population.habit *= kept + (1.0 - kept) * continuity

    def _roll_cycle(self) -> None:
        """Start a new cycle when the calendar says so."""
        d = self.config.design
        if not d.active or self.cycle_start is None:
            return
        if self.month == self.cycle_start + d.cycle_months and self.current_cycle is not None:
            self._close_cycle()
            more = d.permanent or self.cycles_done < d.cycles
            self.cycle_start = max(self.month, self.resume_not_before) if more else None
        if self.cycle_start is not None and self.month == self.cycle_start and self.current_cycle is None:
            self._open_cycle()

    def all_cycles(self) -> list[CycleRecord]:
        """Closed cycles plus, provisionally, the running one if anyone took part in it."""
        rec = self.current_cycle
        if rec is None or not self.cycle_participants.any():
            return list(self.cycles)
        part = self.cycle_participants
        running = CycleRecord(**{**rec.__dict__, "extra": {**rec.extra, "abandoned": False, "running": True}})
        running.participants = int(part.sum())
        running.participants_eligible_share = running.participants / max(self.n_eligible, 1)
        if not running.representativeness:
            running.representativeness = representativeness(self.codes, part, self.eligible, self.n_groups)
            running.education_bias = self._education_bias()
        return [*self.cycles, running]

    def _open_cycle(self) -> None:
        d = self.config.design
        self.cycle_index += 1
        self.current_cycle = CycleRecord(index=self.cycle_index, start=self.month)
        self.cycle_participants[:] = False
        self.cycle_joined_participation[:] = False
        self.population.participating[:] = False
        # What participants are led to expect: authority and responsiveness, inflated by
        # over-promising, pulled to what capacity delivers by the realism role.
        self.expected_share = adoption.promised_share(
            d.authority, d.responsiveness, d.promise_inflation,
            self.config.administration.role_realism, self._feasible_share())
        self.current_cycle.expected = self.expected_share
        self._progress_report()

    def _progress_report(self) -> None:
        """The continuous factor shows what earlier cycles delivered (seed report).

        Residents who follow the process (in proportion to their awareness) hear how many
        promises were kept; the report is as strong as the continuity role. Nothing to
        report before any project was due.
        """
        a, c = self.config.administration, self.config.citizens
        if self.due_total == 0 or a.role_continuity == 0:
            return
        pop = self.population
        kept = self.kept_total / self.due_total
        signal = a.role_continuity * (kept - 0.5) * pop.awareness
        pop.trust = trust.asymmetric_update(pop.trust, signal, c.trust_gain, c.trust_loss)
        pop.efficacy = trust.asymmetric_update(pop.efficacy, signal, c.trust_gain, c.trust_loss)

    def _feasible_share(self) -> float:
        """Share of the expected screened proposals that capacity can implement in one cycle."""
        d, a = self.config.design, self.config.administration
        hours = self._capacity_hours() * d.cycle_months * a.project_capacity_share
        per_project = self._project_staff_hours()
        if self.last_screened is None:
            expected_turnout = (a.first_cycle_turnout_guess * self.n_eligible if d.selection is not Selection.lot
                                else d.panel_size)
            expected = max(1.0, expected_turnout * d.proposals_per_participant)
        else:
            expected = max(1.0, self.last_screened)
        return float(min(1.0, hours / per_project / expected))

    def _close_cycle(self, abandoned: bool = False) -> None:
        rec = self.current_cycle
        if rec is None:
            return
        took_part = self.cycle_participants
        if abandoned and took_part.any():
            # Input asked for and then dropped by the restart: an ignored contribution.
            idx = np.flatnonzero(took_part)
            feedback = self._feedback_strength()
            signal = trust.responsiveness_signal(np.zeros(idx.size, dtype=bool), 0.0, self.expected_share, feedback,
                                                 silence=self.config.citizens.silence_penalty)
            self._apply_signal(idx, signal, fairness=0.0)
            self._spill_signal(idx, signal)
            rec.representativeness = representativeness(self.codes, took_part, self.eligible, self.n_groups)
            rec.education_bias = self._education_bias()
        rec.participants = int(took_part.sum())
        rec.participants_eligible_share = rec.participants / max(self.n_eligible, 1)
        rec.extra["abandoned"] = abandoned
        if not abandoned or rec.participants:
            self.cycles.append(rec)
        if not abandoned:
            self.cycles_done += 1
        self.current_cycle = None
        self.population.participating[:] = False
        # the cycle is over: nobody co-produces or counts as taking part until the next one
        self.cycle_participants[:] = False

    def _inform(self, phase: str) -> float:
        """Information campaign and word of mouth; returns staff hours spent."""
        cfg, d, a = self.config, self.config.design, self.config.administration
        pop = self.population
        fear_cx = self._admin_mean("fear_complexity")
        willingness = 1.0 - a.campaign_fear_damping * fear_cx  # a fearful administration scales campaigns down
        campaign, hours = 0.0, 0.0
        if d.active and phase in ("inform", "participate"):
            intensity = d.inform_intensity if phase == "inform" else d.participate_intensity * d.inform_intensity
            campaign = np.clip(intensity * willingness + a.inspirator_reach * a.role_inspirator, 0.0, 1.0)
            hours = a.role_inspirator * a.inspiring_hours * pop.size / 1000.0
        elif d.active and d.permanent and phase == "idle":
            # the continuous factor keeps the process visible between cycles
            campaign = a.continuity_visibility * a.role_continuity
        peer = neighbour_share(self.network, self.degree, pop.participating)
        reached = information.reach_probability(campaign, cfg.citizens.information_reach, peer,
                                                cfg.citizens.word_of_mouth)
        pop.awareness = information.update_awareness(pop.awareness, reached, cfg.citizens.awareness_decay)
        if campaign > 0 or pop.participating.any():
            # Informing about the process and the budget lowers fear of complexity.
            pop.fear = information.reduce_fear(pop.fear, reached, cfg.citizens.fear_information_effect)
        if d.active and phase == "inform":
            pop.efficacy = np.clip(pop.efficacy + a.inspirator_efficacy * a.role_inspirator * reached
                                   * (1 - pop.efficacy), 0, 1)
        self.staff_hours += hours
        return hours

    def _participate(self) -> float:
        """Residents decide to take part this month; returns staff hours used."""
        d, c, a = self.config.design, self.config.citizens, self.config.administration
        pop = self.population
        newly: np.ndarray
        if d.selection is Selection.lot:
            if self.cycle_participants.any():
                newly = np.zeros(pop.size, dtype=bool)
            else:
                accept = participation.participation_probability(
                    np.ones(pop.size), self.channel_fit, self.resources,
                    participation.engagement(pop.interest, pop.efficacy, pop.trust),
                    np.ones(pop.size), pop.fear, pop.habit,
                    complexity=d.complexity, facilitation=d.facilitation, promise=self.expected_share,
                    base=c.base_propensity + c.panel_invitation_bonus,  # a personal invitation with a stipend
                    w_resources=c.weight_resources, w_engagement=c.weight_engagement,
                    w_recruitment=c.weight_recruitment, w_fear=c.weight_fear,
                    w_complexity=c.weight_complexity, w_habit=c.weight_habit, w_promise=c.weight_promise,
                    facilitation_relief=c.facilitation_relief)
                panel = participation.draw_panel(self.strata, self.eligible, accept, d.panel_size, self.rng,
                                                 rounds=d.panel_rounds,
                                                 invitations_per_seat=d.panel_invitations_per_seat)
                newly = np.zeros(pop.size, dtype=bool)
                newly[panel] = True
        else:
            peer = neighbour_share(self.network, self.degree, pop.participating)
            recruitment = np.clip(peer * c.recruitment_scale, 0.0, 1.0)
            if d.selection is Selection.targeted:
                recruitment = np.clip(recruitment + d.outreach * (1.0 - self.resources) * c.outreach_recruitment_weight,
                                      0.0, 1.0)
            fear_cx = self._admin_mean("fear_complexity")
            awareness = pop.awareness
            if d.selection is Selection.targeted:
                # Invitations reach those with fewer resources, as far as a fearful
                # administration dares to reach out.
                invited = d.outreach * (1 - fear_cx) * (1.0 - self.resources)
                awareness = np.clip(awareness + invited * (1 - awareness), 0, 1)
            p = participation.participation_probability(
                awareness, self.channel_fit, self.resources,
                participation.engagement(pop.interest, pop.efficacy, pop.trust),
                recruitment, pop.fear, pop.habit,
                complexity=d.complexity, facilitation=d.facilitation, promise=self.expected_share,
                base=c.base_propensity, w_resources=c.weight_resources,
                w_engagement=c.weight_engagement, w_recruitment=c.weight_recruitment,
                w_fear=c.weight_fear, w_complexity=c.weight_complexity, w_habit=c.weight_habit,
                w_promise=c.weight_promise, facilitation_relief=c.facilitation_relief)
            p = np.where(self.eligible & ~self.cycle_participants, p, 0.0)
            newly = participation.decide(p, self.rng)
        self.cycle_participants |= newly
        self.cycle_joined_participation |= newly
        pop.participating = self.cycle_participants.copy()
        hours = 0.0
        if self._coproducing():
            hours += self._coproduce()
        # facilitation costs staff time per participant (moderation, help desks)
        fac_hours = d.facilitation * a.facilitation_hours * newly.sum()
        self.staff_hours += fac_hours
        return hours + fac_hours

    def _coproducing(self) -> bool:
        """Whether residents co-produce an ongoing service in this design."""
        d = self.config.design
        return d.coproduction > 0 and d.citizen_effort_hours > 0

    def _coproduce(self) -> float:
        """Co-producers contribute effort to their neighbourhood's service; returns staff hours."""
        d, prod, a = self.config.design, self.config.production, self.config.administration
        pop = self.population
        k = len(self.quality)
        producers = self.cycle_participants
        citizen = np.bincount(pop.neighbourhood[producers], minlength=k) * d.citizen_effort_hours * d.coproduction
        # Professionals match citizen effort (by default one staff hour supports four volunteer
        # hours) as far as free capacity allows: the complement of Ostrom (1996).
        wanted = citizen / a.volunteer_hours_per_staff_hour
        capacity = self._capacity_hours() * a.coproduction_capacity_share
        total = wanted.sum()
        professional = wanted if total <= capacity else wanted * (capacity / total)
        per_res = np.maximum(self.neighbourhood_population, 1)
        out = production.coproduced_output(professional / per_res, citizen / per_res, prod.complementarity)
        self._coproduction_added = prod.coproduction_quality * out
        self.citizen_hours += float(citizen.sum())
        self.staff_hours += float(professional.sum())
        return float(professional.sum())

    def _decide(self) -> float:
        """The cycle's decision: proposals, screening, vote, adoption, feedback; returns hours."""
        cfg, d, a = self.config, self.config.design, self.config.administration
        pop, rec = self.population, self.current_cycle
        if rec is None:
            return 0.0
        idx = np.flatnonzero(self.cycle_participants)
        repr_ = representativeness(self.codes, self.cycle_participants, self.eligible, self.n_groups)
        pr = cfg.proposals
        frame = proposals.framing(d.permanent, self.cycles_done, d.facilitation,
                                  permanence_weight=pr.framing_permanence_weight,
                                  facilitation_weight=pr.framing_facilitation_weight,
                                  time_scale=pr.framing_time_scale)
        props = proposals.submit(idx, pop.civic_skills, pop.general_interest, pop.neighbourhood,
                                 d.proposals_per_participant, frame, d.mean_project_cost_eur, self.rng,
                                 framing_strength=pr.framing_strength, noise=pr.orientation_noise,
                                 cost_log_sd=pr.cost_log_sd, risk_a=pr.risk_beta_a, risk_b=pr.risk_beta_b)
        gi_share = proposals.general_interest_share(props)
        passed = adoption.screen(props.risk, props.general_interest, self._admin_mean("fear_failure"),
                                 self._admin_mean("fear_self_interest"), repr_,
                                 self._admin_mean("trust_in_citizens"), risk_aversion=a.risk_aversion,
                                 general_interest_bar=a.general_interest_bar)
        hours = a.screening_hours * props.size
        openness = adoption.council_openness(
            self._council_mean("trust_in_citizens"), self._council_mean("fear_self_interest"),
            self._council_mean("fear_losing_control"), repr_, d.authority, base=cfg.council.openness_base,
            trust_weight=cfg.council.openness_trust_weight,
            self_interest_weight=cfg.council.openness_self_interest_weight,
            control_weight=cfg.council.openness_control_weight)
        per_project = self._project_staff_hours()
        capacity_projects = self._capacity_hours() * d.cycle_months * a.project_capacity_share / per_project
        cap = int(np.ceil(capacity_projects * (1.0 + a.realism_cap_factor * (1.0 - a.role_realism))))
        supporters: list[np.ndarray]
        if d.budget_per_cycle_eur > 0 and props.size:
            selected, supporters_all = self._vote(props, passed, idx)
            adopted = adoption.adopt(selected, d.responsiveness, openness, cap, self.rng,
                                     priority=np.asarray([s.size for s in supporters_all], dtype=float))
            supporters = supporters_all
        else:
            adopted = adoption.adopt(passed, d.responsiveness, openness, cap, self.rng,
                                     priority=props.general_interest)
            supporters = [np.array([au]) for au in props.author]
        n_adopted = int(adopted.sum())
        acted_share = n_adopted / props.size if props.size else 0.0

        # who won: authors of adopted proposals and voters who approved one
        won = np.zeros(pop.size, dtype=bool)
        for j in np.flatnonzero(adopted):
            won[supporters[j]] = True
            self.queue.append(Project(
                neighbourhood=int(props.neighbourhood[j]), cost=float(props.cost[j]),
                remaining_hours=per_project, ready_month=self.month + d.implementation_months,
                due_month=self.month + d.implementation_months + d.due_grace_months, supporters=supporters[j],
                coproduced=d.coproduction))
        self.budget_spent += float(props.cost[adopted].sum()) if d.budget_per_cycle_eur > 0 else 0.0

        # feedback and learning of the participants
        feedback = self._feedback_strength()
        hours += a.reporting_hours * d.feedback
        signal = trust.responsiveness_signal(won[idx], acted_share, self.expected_share, feedback,
                                             silence=cfg.citizens.silence_penalty)
        # Procedural fairness as experienced: being supported and being heard back, in a
        # process open to a representative public (voice without a hearing is not fair).
        fairness = 0.5 * (d.facilitation + feedback) * repr_
        self._apply_signal(idx, signal, fairness)
        # the others hear of it through their ties (indirect, weaker)
        self._spill_signal(idx, signal)
        satisfaction = np.zeros(pop.size)
        satisfaction[idx] = np.clip(0.5 + signal, 0.0, 1.0)
        took = self.cycle_participants.astype(float)
        pop.habit = np.where(self.eligible,
                             trust.update_habit(pop.habit, took, satisfaction, cfg.citizens.habit_rate),
                             pop.habit)
        prior = pop.ever_participated[idx]
        pop.ever_participated[idx] = True
        pop.cycles_participated[idx] += 1

        # administration and council learn about self-interest and complexity
        evidence = fears.self_interest_evidence(gi_share, repr_)
        # A permanent process makes the evidence count more: it is part of a structural story.
        weight = a.permanence_evidence_weight if d.permanent else 1.0
        for cs in self.administration:
            cs.fear_self_interest = float(fears.learn_toward(cs.fear_self_interest, evidence, a.learning_rate * weight))
            cs.fear_complexity = float(fears.learn_by_doing(cs.fear_complexity, a.learning_rate,
                                                            a.complexity_learning))
            cs.trust_in_citizens = float(fears.learn_toward(cs.trust_in_citizens, 1 - evidence, a.learning_rate))
        for m in self.council:
            m.fear_self_interest = float(fears.learn_toward(m.fear_self_interest, evidence,
                                                            cfg.council.learning_rate * weight))
            m.trust_in_citizens = float(fears.learn_toward(m.trust_in_citizens, 1 - evidence,
                                                           cfg.council.learning_rate))

        rec.submitted, rec.screened_in, rec.adopted = props.size, int(passed.sum()), n_adopted
        rec.general_interest_share = gi_share
        rec.representativeness = repr_
        rec.extra["decided"] = True
        rec.education_bias = self._education_bias()
        rec.repeat_share = float(prior.mean()) if idx.size else 0.0
        self.last_screened = int(passed.sum())
        self.last_representativeness = repr_
        self.last_reach = legitimacy.reach(idx.size / max(self.n_eligible, 1), cfg.legitimacy.turnout_reference)
        self.last_feedback = feedback
        self.general_interest_share = gi_share
        self.proposals_submitted += props.size
        self.proposals_adopted += n_adopted
        self.staff_hours += hours
        return hours

    def _education_bias(self) -> float:
        """Share of the highly educated among participants over their share among the eligible."""
        part = self.cycle_participants
        if not part.any():
            return 1.0
        high = self.population.education == 2
        base = high[self.eligible].mean()
        return float(high[part].mean() / base) if base > 0 else 1.0

    def _vote(self, props: proposals.Proposals, passed: np.ndarray, voters: np.ndarray):
        """Participants vote on the screened proposals; the allocation rule picks projects."""
        d, c = self.config.design, self.config.citizens
        pop = self.population
        cand = np.flatnonzero(passed)
        selected = np.zeros(props.size, dtype=bool)
        supporters = [np.empty(0, dtype=np.int64) for _ in range(props.size)]
        eligible_voters = voters[self.eligible[voters]]
        if cand.size == 0 or eligible_voters.size == 0:
            return selected, supporters
        k = min(d.approvals_per_ballot, cand.size)
        # Voters favour projects in their own neighbourhood and, as far as they are oriented
        # to it, projects for the general interest; Gumbel noise gives a random-utility ballot.
        same = pop.neighbourhood[eligible_voters][:, None] == props.neighbourhood[cand][None, :]
        score = (c.ballot_neighbourhood_weight * same
                 + c.ballot_general_interest_weight * pop.general_interest[eligible_voters][:, None]
                 * props.general_interest[cand][None, :] + self.rng.gumbel(size=same.shape))
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(eligible_voters.size), k)
        cols = top.ravel()
        import scipy.sparse as sp

        ballots = sp.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)),
                                shape=(eligible_voters.size, cand.size))
        costs = props.cost[cand]
        counts = np.asarray(ballots.sum(axis=0)).ravel()
        if d.allocation_rule is AllocationRule.equal_shares:
            chosen = budgeting.method_of_equal_shares(costs, ballots, d.budget_per_cycle_eur)
        else:
            chosen = budgeting.greedy_approval(costs, counts, d.budget_per_cycle_eur)
        # A project nobody voted for is not funded (pabutools' greedy would fill the budget with it).
        chosen &= counts > 0
        selected[cand[chosen]] = True
        csc = ballots.tocsc()
        for jj, j in enumerate(cand):
            supporters[j] = eligible_voters[csc.indices[csc.indptr[jj]: csc.indptr[jj + 1]]]
        return selected, supporters

    def _apply_signal(self, idx: np.ndarray, signal: np.ndarray, fairness: float) -> None:
        c = self.config.citizens
        pop = self.population
        pop.trust[idx] = trust.process_premium(
            trust.asymmetric_update(pop.trust[idx], signal, c.trust_gain, c.trust_loss), fairness, c.process_premium)
        k = c.efficacy_learning_factor  # efficacy learns faster than trust from one's own experience
        pop.efficacy[idx] = trust.asymmetric_update(pop.efficacy[idx], signal, c.trust_gain * k, c.trust_loss * k)
        pop.fear[idx] = fears.citizens_wasted_effort(pop.fear[idx], signal, c.trust_loss)

    def _spill_signal(self, idx: np.ndarray, signal: np.ndarray) -> None:
        c = self.config.citizens
        pop = self.population
        if idx.size == 0 or c.trust_spillover == 0:
            return
        values = np.zeros(pop.size, dtype=np.float32)
        values[idx] = signal
        heard = neighbour_mean(self.network, self.degree, values) * c.trust_spillover
        others = np.ones(pop.size, dtype=bool)
        others[idx] = False
        pop.trust[others] = trust.asymmetric_update(pop.trust[others], heard[others], c.trust_gain, c.trust_loss)
        pop.efficacy[others] = trust.asymmetric_update(pop.efficacy[others], heard[others],
                                                       c.trust_gain, c.trust_loss)

    def _reopen(self) -> None:
        d, a = self.config.design, self.config.administration
        if not self.queue:
            self.reopen_rate_smoothed *= 1.0 - self.config.legitimacy.memory
            return
        p = reopening.monthly_reopen_probability(d.reopen_probability, a.role_guardian,
                                                 self._council_mean("commitment"),
                                                 guardian_effect=a.guardian_effect,
                                                 commitment_effect=self.config.council.commitment_effect)
        mask = reopening.reopen(len(self.queue), p, self.rng)
        n_re = int(mask.sum())
        if n_re:
            c = self.config.citizens
            pop = self.population
            for proj, hit in zip(self.queue, mask, strict=True):
                if hit:
                    # Supporters see a decision taken with them undone.
                    sup = proj.supporters
                    sig = np.full(sup.size, c.reopen_signal)
                    pop.trust[sup] = trust.asymmetric_update(pop.trust[sup], sig, c.trust_gain, c.trust_loss)
                    pop.efficacy[sup] = trust.asymmetric_update(pop.efficacy[sup], sig, c.trust_gain, c.trust_loss)
                    self._spill_signal(sup, sig * c.reopen_spill)
            # a reopened decision is a promise broken (unless already counted as late)
            self.due_total += sum(1 for p_, hit in zip(self.queue, mask, strict=True) if hit and not p_.late)
            self.queue = [p_ for p_, hit in zip(self.queue, mask, strict=True) if not hit]
            self.decisions_reopened += n_re
            for cs in self.administration:
                cs.fear_failure = float(fears.learn_failure(cs.fear_failure, 0, n_re, a.learning_rate,
                                                            a.failure_saturation))
        mem = self.config.legitimacy.memory
        share = n_re / max(len(self.queue) + n_re, 1)
        self.reopen_rate_smoothed = (1 - mem) * self.reopen_rate_smoothed + mem * min(1.0, share * 12)

    def _implement(self, hours_free: float) -> None:
        a, prod = self.config.administration, self.config.production
        pop = self.population
        k = len(self.quality)
        added = np.zeros(k)
        if self.queue:
            remaining = np.array([p.remaining_hours for p in self.queue])
            given = implementation.allocate_hours(remaining, hours_free)
            self.staff_hours += float(given.sum())
            for p, g in zip(self.queue, given, strict=True):
                p.remaining_hours -= g
            ready = np.array([p.ready_month for p in self.queue])
            done = implementation.delivered(np.array([p.remaining_hours for p in self.queue]), ready, self.month)
            successes, failures = 0, 0
            c = self.config.citizens
            # professional input of this month's deliveries: the administration's expertise
            prof = np.array([self._admin_mean("expertise")])
            for p, fin in zip(self.queue, done, strict=True):
                if fin:
                    on_time = self.month <= p.due_month
                    self.due_total += 0 if p.late else 1
                    self.kept_total += 1 if on_time else 0
                    successes += 1
                    # Professional input (expertise) and citizens' share of the work combine.
                    cit = np.array([p.coproduced])
                    quality = production.coproduced_output(prof, cit, prod.complementarity)[0]
                    added[p.neighbourhood] += (prod.project_quality * quality * p.cost
                                               / max(self.neighbourhood_population[p.neighbourhood], 1))
                    sup = p.supporters
                    delivered_signal = np.full(sup.size, c.delivery_signal)
                    pop.trust[sup] = trust.asymmetric_update(pop.trust[sup], delivered_signal,
                                                             c.trust_gain, c.trust_loss)
                    pop.efficacy[sup] = trust.asymmetric_update(pop.efficacy[sup], delivered_signal,
                                                                c.trust_gain, c.trust_loss)
                elif not p.late and self.month > p.due_month:
                    p.late = True
                    self.projects_late += 1
                    self.due_total += 1
                    failures += 1
                    sup = p.supporters
                    late_signal = np.full(sup.size, c.late_signal)
                    pop.trust[sup] = trust.asymmetric_update(pop.trust[sup], late_signal, c.trust_gain, c.trust_loss)
                    pop.efficacy[sup] = trust.asymmetric_update(pop.efficacy[sup], late_signal,
                                                                c.trust_gain, c.trust_loss)
            self.proposals_implemented += successes
            self.queue = [p for p, fin in zip(self.queue, done, strict=True) if not fin]
            for cs in self.administration:
                cs.fear_failure = float(fears.learn_failure(cs.fear_failure, successes, failures, a.learning_rate,
                                                            a.failure_saturation))
        coadd = getattr(self, "_coproduction_added", None)
        if coadd is not None:
            added += coadd
            self._coproduction_added = None
        before = self.quality
        self.quality = production.update_quality(self.quality, prod.decay, prod.professional_maintenance, added)
        # Residents notice better or worse services in their neighbourhood.
        delta = (self.quality - before)[pop.neighbourhood]
        c = self.config.citizens
        pop.trust = trust.asymmetric_update(pop.trust, delta, c.quality_trust_effect,
                                            c.quality_trust_effect * c.trust_loss / max(c.trust_gain, 1e-9))

    def _revert(self) -> None:
        c = self.config.citizens
        pop = self.population
        pop.trust = trust.revert(pop.trust, pop.trust_initial, c.trust_reversion)
        pop.efficacy = trust.revert(pop.efficacy, pop.efficacy_initial, c.trust_reversion)

    # ------------------------------------------------------------------ measurement

    def _measure(self, phase: str) -> None:
        cfg, d = self.config, self.config.design
        pop = self.population
        n = pop.size
        self.phase = phase
        self.cycle = self.cycle_index if self.current_cycle is not None else 0
        cur = int(self.cycle_participants.sum())
        self.participants = cur
        self.turnout = cur / n
        self.turnout_eligible = cur / max(self.n_eligible, 1)
        self.representativeness = (representativeness(self.codes, self.cycle_participants, self.eligible,
                                                      self.n_groups) if cur else self.last_representativeness)
        self.awareness_citizens = float(pop.awareness.mean())
        self.trust_citizens = float(pop.trust.mean())
        self.efficacy_citizens = float(pop.efficacy.mean())
        self.fear_citizens = float(pop.fear.mean())
        self.habit_citizens = float(pop.habit.mean())
        ever = pop.ever_participated
        self.trust_participants = float(pop.trust[ever].mean()) if ever.any() else self.trust_citizens
        self.trust_administration = self._admin_mean("trust_in_citizens")
        self.fear_complexity_administration = self._admin_mean("fear_complexity")
        self.fear_failure_administration = self._admin_mean("fear_failure")
        self.fear_self_interest_administration = self._admin_mean("fear_self_interest")
        self.trust_council = self._council_mean("trust_in_citizens")
        self.fear_self_interest_council = self._council_mean("fear_self_interest")
        self.commitment_council = self._council_mean("commitment")
        w = self.neighbourhood_population
        self.service_quality = float(np.average(self.quality, weights=np.maximum(w, 1)))
        self.service_quality_equity = production.equity(self.quality, w)

        lg = cfg.legitimacy
        reach_now = legitimacy.reach(self.turnout_eligible, lg.turnout_reference) if cur else 0.0
        self.last_reach = max(reach_now, self.last_reach * (1 - lg.memory))
        inp = legitimacy.input_legitimacy(self.efficacy_citizens, self.last_reach, self.representativeness)
        base = lg.transparency_baseline
        transparency = base + (1.0 - base) * self.last_feedback if d.active else base
        self.last_feedback *= 1 - lg.memory * lg.feedback_memory_share
        stability = 1.0 - self.reopen_rate_smoothed
        process_ran = d.active and (bool(self.cycles) or cur > 0)
        fairness = (0.5 * self.representativeness + 0.5 * d.facilitation if process_ran
                    else lg.fairness_without_process)
        thr = legitimacy.throughput_legitimacy(transparency, stability, fairness)
        promise_kept = self.kept_total / self.due_total if self.due_total else 1.0
        out = legitimacy.output_legitimacy(promise_kept, self.service_quality)
        i2, o2, overall = legitimacy.combine(inp, thr, out, lg.process_spillover)
        self.legitimacy_input, self.legitimacy_throughput, self.legitimacy_output = i2, thr, o2
        self.legitimacy = overall
        self.legitimacy_council = float(np.clip(
            self.trust_council * (1 - lg.council_fear_discount * self.fear_self_interest_council), 0, 1))

    def _record_groups(self) -> None:
        parts = self.cycle_participants
        counts = np.concatenate([
            np.stack([np.bincount(c, minlength=self.n_groups[d]), np.bincount(c[parts], minlength=self.n_groups[d])])
            for d, c in self.codes.items()], axis=1)
        self.group_records.append((self.month + 1, counts))
