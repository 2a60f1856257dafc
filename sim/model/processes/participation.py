"""Who takes part in the current cycle: the open call (with outreach) or the panel by lot."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config.schema import HabitRule, Selection
from sim.model.mechanisms import participation, trust
from sim.model.network import neighbour_share
from sim.model.processes.base import Process, Result
from sim.model.processes.cycle import Phase


class Participation(Process):
    """Residents decide, month by month of the participate phase, whether to take part.

    Open call: each aware, eligible resident not yet taking part joins with the logistic
    probability of ``sim.model.mechanisms.participation`` (resources, engagement, being asked by
    peers or by outreach, habit, the announced impact against fear and complexity). Panel by
    lot: in the first month of the phase a stratified panel is drawn and invited. Facilitation
    costs staff time per new participant. After a decision, taking part (and being satisfied)
    forms a habit.
    Owns: ``taking_part`` (who takes part in the current cycle), ``history`` (who took part in each
    decided cycle), and the residents' ``habit``, ``ever_participated`` and ``cycles_participated``.
    """

    results = (
        Result("participants", "residents", "Residents taking part in the current cycle.",
               lambda m: m.participation.count()),
        Result("turnout", "share", "Participants of the current cycle as a share of all residents.",
               lambda m: m.participation.count() / m.population.size),
        Result("turnout_eligible", "share", "Participants of the current cycle as a share of the eligible residents.",
               lambda m: m.participation.count() / max(m.n_eligible, 1)),
        Result("representativeness", "index 0-1", "How closely the participants resemble the eligible residents "
               "(those of the last decision when nobody takes part).",
               lambda m: m.participation.observed_representativeness()),
    )


    sections = ("design", "citizens", "administration")

    def __init__(self, model) -> None:
        super().__init__(model)
        pop, c = model.population, self.citizens
        self.taking_part = np.zeros(pop.size, dtype=bool)
        self.resources = participation.resources(pop.time_available, pop.civic_skills, pop.low_income,
                                                 self.citizens.low_income_resource_penalty)
        self.channel_fit = participation.channel_access(
            self.design.channel, pop.online, pop.age, pop.time_available, offline_base=c.offline_fit_base,
            offline_time=c.offline_fit_time, offline_80plus_penalty=c.offline_fit_80plus_penalty)
        # Strata for sortition: education x age group (the usual quota variables of panels;
        # with dozens of seats a finer grid leaves most strata with a fraction of a seat).
        self.strata = pop.education.astype(np.int64) * 4 + pop.age_group
        self._observed = (-2, 0.0)  # (month, value) of observed_representativeness
        self._peer: tuple | None = None  # (network, taking_part, share) of peer_share
        # the age profile of real PB voters: the 65+ take part less than their time and interest say
        self.age_shift = c.weight_age_65plus * (pop.age >= 65)
        # aspirations of habit_rule=aspiration (Bendor, Diermeier & Ting 2003): start in the middle
        self.aspiration = np.full(pop.size, 0.5) if c.habit_rule is HabitRule.aspiration else None
        # who took part in each decided cycle: {cycle index: residents' indices} (who returns, and when)
        self.history: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ the month

    def step(self, phase: Phase) -> np.ndarray | None:
        """Residents join in the participate phase (being asked is a signal); returns who joined this
        month (None outside the participate phase)."""
        m, d = self.model, self.design
        if phase is not Phase.participate:
            return None
        newly = self._draw_panel() if d.selection is Selection.lot else self._open_call()
        self.taking_part |= newly
        # being asked for one's input: a sense of voice, more where feedback is promised
        m.signals.send(m.signals.asked(np.flatnonzero(newly), m.decision.feedback_strength()))
        return newly

    def facilitate(self, newcomers: np.ndarray | None) -> None:
        """Facilitation costs staff time per new participant (moderation, help desks)."""
        if newcomers is not None:
            hours = self.design.facilitation * self.administration.facilitation_hours * newcomers.sum()
            self.model.staff.spend("facilitation", hours)

    def _logit_terms(self) -> dict[str, Any]:
        d, c = self.design, self.citizens
        novelty = participation.novelty(self.model.cycles.done, c.novelty_decay)
        return dict(complexity=d.complexity, facilitation=d.facilitation, promise=self.model.decision.promise,
                    novelty=novelty, w_novelty=c.weight_novelty, woman=self.model.population.woman,
                    w_woman=c.weight_women, age_shift=self.age_shift,
                    w_resources=c.weight_resources, w_engagement=c.weight_engagement,
                    w_recruitment=c.weight_recruitment, w_fear=c.weight_fear, w_complexity=c.weight_complexity,
                    w_habit=c.weight_habit, w_promise=c.weight_promise, facilitation_relief=c.facilitation_relief)

    def _engagement(self, idx: np.ndarray | None = None) -> np.ndarray:
        """Each resident's engagement: interest, and how firmly she believes her voice counts and trusts
        the municipal government (her chance of agreeing with those survey items); ``idx`` (indices): only
        those residents', in that order."""
        pop = self.model.population
        interest = pop.interest if idx is None else pop.interest[idx]
        return participation.engagement(interest, pop.conviction("efficacy", idx), pop.conviction("trust", idx))

    def _draw_panel(self) -> np.ndarray:
        """A panel by two-stage lottery, drawn once per cycle: letters to a random sample of the
        register, volunteers as their logit for a personal invitation says, then stratified seats
        among the volunteers (``sim.model.mechanisms.participation.two_stage_lottery``)."""
        m, d, c = self.model, self.design, self.citizens
        pop = m.population
        newly = np.zeros(pop.size, dtype=bool)
        if self.taking_part.any():
            return newly
        reply = participation.participation_probability(
            np.ones(pop.size), self.channel_fit, self.resources,
            self._engagement(), np.ones(pop.size), pop.fear,
            pop.habit, base=c.base_propensity + c.panel_invitation_bonus,  # a personal letter, with a stipend
            **self._logit_terms())
        drawn = participation.two_stage_lottery(self.strata, m.eligible, reply, d.panel_size,
                                                d.panel_letters_per_seat, m.rng)
        rec = m.cycles.current
        if rec is not None:
            rec.letters, rec.volunteers = int(drawn.letters.size), int(drawn.volunteers.size)
        newly[drawn.panel] = True
        return newly

    def _open_call(self) -> np.ndarray:
        """An open call, with targeted outreach to those with fewer resources where the design has it."""
        m, d, c = self.model, self.design, self.citizens
        pop = m.population
        # being asked by peers who take part, and by proposers of earlier editions who campaign again
        recruitment = np.clip(self.peer_share() * c.recruitment_scale
                              + self.campaigners_share() * c.proposer_mobilisation, 0.0, 1.0)
        awareness = pop.awareness
        if d.selection is Selection.targeted:
            recruitment = np.clip(recruitment + d.outreach * (1.0 - self.resources) * c.outreach_recruitment_weight,
                                  0.0, 1.0)
            # Invitations reach those with fewer resources, as far as a fearful administration
            # dares to reach out.
            fear_cx = m.administration.agg("fear_complexity", np.mean)
            invited = d.outreach * (1 - fear_cx) * (1.0 - self.resources)
            awareness = np.clip(awareness + invited * (1 - awareness), 0, 1)
        may_join = m.eligible & ~self.taking_part
        per_resident = (awareness, self.channel_fit, self.resources, recruitment, pop.fear, pop.habit)
        terms = self._logit_terms()

        def chance(engagement: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
            """The monthly chance of joining of everyone, or of residents ``idx`` with their ``engagement``."""
            a, fit, res, rec, fear, habit = (x if idx is None else x[idx] for x in per_resident)
            kw = terms if idx is None else {k: v[idx] if isinstance(v, np.ndarray) else v for k, v in terms.items()}
            return participation.participation_probability(a, fit, res, engagement, rec, fear, habit,
                                                           base=c.base_propensity, **kw)

        # Everyone's chance is at most what it would be with the firmest convictions (both Phi at 1; at 0 if
        # engagement lowered the chance): only those whose draw is below that ceiling can join, and only
        # their engagement (Phi of two items, the costliest part) is needed. The same joiners as computing
        # everyone's chance (participation.decide_below).
        firm = np.full(1, 1.0 if c.weight_engagement >= 0 else 0.0, dtype=pop.perception.dtype)
        ceiling = chance(participation.engagement(pop.interest, firm, firm))
        ceiling[~may_join] = 0.0  # those who cannot join (not eligible, or already taking part)
        draw = m.rng.random(pop.size)
        return participation.decide_below(draw, ceiling, lambda idx: chance(self._engagement(idx), idx))

    # ------------------------------------------------------------------ the cycle

    def reset(self) -> None:
        """A cycle opens or closes: nobody takes part."""
        self.taking_part[:] = False

    def count(self) -> int:
        """Residents taking part in the current cycle."""
        return int(np.count_nonzero(self.taking_part))

    def peer_share(self) -> np.ndarray:
        """Share of each resident's ties taking part in the current cycle (``sim.model.network.neighbour_share``).

        The month's news (word of mouth) and recruitment both read it, and it changes only when
        someone joins or a cycle ends, so it is kept until ``taking_part`` (or the network) changes.
        """
        m = self.model
        cached = self._peer
        if cached is None or cached[0] is not m.network or not np.array_equal(cached[1], self.taking_part):
            self._peer = cached = (m.network, self.taking_part.copy(),
                                   neighbour_share(m.network, m.degree, self.taking_part))
        return cached[2]

    def campaigners_share(self) -> np.ndarray:
        """Share of each resident's ties who proposed a project in the last decided edition and take part again:
        they campaign for their projects among their ties (0 before anyone proposed). A proposer who
        stays away after a disappointment campaigns no more."""
        m = self.model
        last = m.cycles.last_decided()
        campaigners = self.taking_part & (m.population.last_proposal >= max(last, 1))
        if not campaigners.any():
            return np.zeros(m.population.size, dtype=np.float32)
        return neighbour_share(m.network, m.degree, campaigners)

    def participants(self) -> np.ndarray:
        """Indices of the residents taking part in the current cycle."""
        return np.flatnonzero(self.taking_part)

    def remember(self, participants: np.ndarray, satisfaction: np.ndarray) -> np.ndarray:
        """After a decision: taking part, and being satisfied, form a habit (eligible residents only);
        returns whether each participant had taken part before."""
        m = self.model
        pop = m.population
        took = self.taking_part.astype(float)
        c = self.citizens
        if c.habit_rule is HabitRule.satisfaction:
            habit = trust.update_habit(pop.habit, took, satisfaction, c.habit_rate)
        elif c.habit_rule is HabitRule.habit:
            habit = trust.reinforce_habit(pop.habit, took, c.habit_rate)
        else:
            assert self.aspiration is not None  # set at construction under habit_rule=aspiration
            habit, aspiration = trust.aspiration_habit(pop.habit, self.aspiration, took, satisfaction,
                                                       c.habit_rate, c.aspiration_rate)
            self.aspiration = np.where(m.eligible, aspiration, self.aspiration)
        pop.habit = np.where(m.eligible, habit, pop.habit)
        prior = pop.ever_participated[participants]
        if m.cycles.current is not None:
            self.history[m.cycles.current.index] = participants.astype(np.int32)
        pop.ever_participated[participants] = True
        pop.cycles_participated[participants] += 1
        return prior

    def fade_habit(self, kept: float) -> None:
        """Residents keep only the share ``kept`` of their habit (after an election)."""
        self.model.population.habit *= kept

    # ------------------------------------------------------------------ who takes part

    def representativeness(self) -> float:
        """Representativeness of the current participants (sim.model.outcomes)."""
        return self.model.composition.representativeness(self.taking_part)

    def observed_representativeness(self) -> float:
        """This month's representativeness: of the current participants, or, when nobody takes
        part, of the participants of the last decision."""
        if self._observed[0] != self.model.month:
            value = self.representativeness() if self.taking_part.any() else self.model.decision.representativeness
            self._observed = (self.model.month, value)
        return self._observed[1]

    def education_bias(self) -> float:
        """Share of the highly educated among participants over their share among the eligible."""
        m = self.model
        part = self.taking_part
        if not part.any():
            return 1.0
        high = m.population.education == 2
        base = high[m.eligible].mean()
        return float(high[part].mean() / base) if base > 0 else 1.0

    def record_groups(self) -> None:
        """Participants by group this month (``res.groups``)."""
        m = self.model
        m.group_records.append((m.month + 1, m.composition.counts(self.taking_part)))
