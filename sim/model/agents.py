"""Mesa agents: citizens (views over the population arrays), civil servants, council members.

Citizens' rules run vectorised over the whole population (``sim.model.mechanisms``); a
``Citizen`` agent is a thin, inspectable view of one row of those arrays, so that a user can
look at one resident (``model.citizen(17).trusts``) and Mesa's DataCollector can read
citizens like any agent. Civil servants and council members are few and ordinary agents
with their own state.
"""

from __future__ import annotations

import mesa

from sim.model.mechanisms import elections, fears
from sim.model.population import AGE_GROUPS, EDUCATION_LEVELS


class Citizen(mesa.Agent):
    """One resident; every attribute reads the model's population arrays at ``index``.

    State (ranges; initial distributions in docs/model.md): ``perception(item)``, the latent attitude on
    each survey item (``trusts``, ``agrees(item)``: whether she agrees); fear, awareness, habit in [0, 1];
    participating (this cycle), ever_participated. Traits:
    neighbourhood, age (years), education (low/middle/high), online, woman, migration
    (background), low_income (bools), time_available, civic_skills, interest,
    general_interest in [0, 1].
    """

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    def _get(self, name: str):
        return getattr(self.model.population, name)[self.index].item()

    fear = property(lambda self: self._get("fear"))
    awareness = property(lambda self: self._get("awareness"))
    habit = property(lambda self: self._get("habit"))
    woman = property(lambda self: self._get("woman"))
    migration = property(lambda self: self._get("migration"))
    low_income = property(lambda self: self._get("low_income"))
    ever_participated = property(lambda self: self._get("ever_participated"))
    age = property(lambda self: self._get("age"))
    online = property(lambda self: self._get("online"))
    time_available = property(lambda self: self._get("time_available"))
    civic_skills = property(lambda self: self._get("civic_skills"))
    interest = property(lambda self: self._get("interest"))
    general_interest = property(lambda self: self._get("general_interest"))

    def perception(self, item: str) -> float:
        """Her latent attitude on a survey item (sim.model.mechanisms.perceptions.ITEMS); she agrees when > 0."""
        return float(self.model.population.latent(item)[self.index])

    def agrees(self, item: str) -> bool:
        """Whether she agrees with a survey item."""
        return self.perception(item) > 0

    @property
    def trusts(self) -> bool:
        """Whether she agrees that she trusts the municipal government."""
        return self.agrees("trust")

    @property
    def participating(self) -> bool:
        """Whether the resident takes part in the current cycle."""
        return bool(self.model.participation.taking_part[self.index])

    @property
    def education(self) -> str:
        """Education level: low, middle or high."""
        return EDUCATION_LEVELS[self._get("education")]

    @property
    def age_group(self) -> str:
        """Reporting age group."""
        return AGE_GROUPS[self._get("age_group")]

    @property
    def neighbourhood(self) -> str:
        """Name of the resident's neighbourhood."""
        return self.model.config.scenario.neighbourhoods[self._get("neighbourhood")]

    @property
    def ties(self) -> list[int]:
        """Indices of the residents this resident has a social tie with."""
        adj = self.model.network
        return adj.indices[adj.indptr[self.index]: adj.indptr[self.index + 1]].tolist()

    def __repr__(self) -> str:
        return (f"Citizen(index={self.index}, neighbourhood={self.neighbourhood!r}, age={self.age}, "
                f"education={self.education!r}, trusts={self.trusts}, fear={self.fear:.3f})")


#: The civil servants' attitudes that experience moves (and forgetting returns).
LEARNED_ATTITUDES = ("trust_in_citizens", "fear_complexity", "fear_failure", "fear_self_interest")


class CivilServant(mesa.Agent):
    """A civil servant working on participation.

    Rule: informs, screens, implements and reports with her monthly hours; her fear of
    failure learns from the projects delivered and failed, her fears of self-interest and
    complexity and her trust in citizens from each cycle's evidence (seed report: "learn and
    improve next time"; Voorberg, Bekkers & Tummers 2015). State: hours (per month),
    expertise, trust_in_citizens, fear_complexity, fear_failure, fear_self_interest in [0, 1].
    """

    def __init__(self, model: mesa.Model, hours: float, expertise: float, trust_in_citizens: float,
                 fear_complexity: float, fear_failure: float, fear_self_interest: float) -> None:
        super().__init__(model)
        self.hours = hours
        self.expertise = expertise
        self.trust_in_citizens = trust_in_citizens
        self.fear_complexity = fear_complexity
        self.fear_failure = fear_failure
        self.fear_self_interest = fear_self_interest
        self.initial = {attr: getattr(self, attr) for attr in LEARNED_ATTITUDES}

    def forget(self, rate: float) -> None:
        """What was learned fades: each learned attitude drifts a share ``rate`` back to where she started
        (a municipality that stops running cycles loses its ease with them; no fear only ever falls)."""
        for attr in LEARNED_ATTITUDES:
            value = getattr(self, attr)
            setattr(self, attr, float(value + rate * (self.initial[attr] - value)))

    def learn_from_projects(self, successes: int, failures: int, rate: float, saturation: int) -> None:
        """Fear of failure moves toward the month's share of failures (projects reopened, dropped or late,
        the council's own included: the administration carries them all out)."""
        self.fear_failure = float(fears.learn_failure(self.fear_failure, successes, failures, rate, saturation))

    def learn_from_cycle(self, evidence: float, rate: float, permanence_weight: float,
                         complexity_learning: float) -> None:
        """After a decided cycle: fear of self-interest moves toward the evidence (faster in a
        permanent process), trust in citizens toward its complement, and having run a cycle
        lowers the fear of complexity (learning by doing)."""
        self.fear_self_interest = float(fears.learn_toward(self.fear_self_interest, evidence, rate * permanence_weight))
        self.fear_complexity = float(fears.learn_by_doing(self.fear_complexity, rate, complexity_learning))
        self.trust_in_citizens = float(fears.learn_toward(self.trust_in_citizens, 1 - evidence, rate))


#: The council members' attitudes that an election renews.
RENEWED_ATTITUDES = ("trust_in_citizens", "fear_self_interest", "commitment")


class CouncilMember(mesa.Agent):
    """An elected council member.

    Rule: each member votes on citizens' advice as far as she trusts citizens and does not fear
    self-interest or losing control (``sim.model.mechanisms.adoption.council_openness`` on her own
    attitudes, ``council_vote`` for the majority); a member learns from each cycle's evidence, and at an election
    a member may be replaced by a newcomer. State: trust_in_citizens, fear_self_interest,
    fear_losing_control, commitment (to the agreed framework) in [0, 1].
    """

    def __init__(self, model: mesa.Model, trust_in_citizens: float, fear_self_interest: float,
                 fear_losing_control: float, commitment: float) -> None:
        super().__init__(model)
        self.trust_in_citizens = trust_in_citizens
        self.fear_self_interest = fear_self_interest
        self.fear_losing_control = fear_losing_control
        self.commitment = commitment

    def learn_from_cycle(self, evidence: float, rate: float, permanence_weight: float) -> None:
        """Fear of self-interest moves toward the cycle's evidence, trust in citizens toward its complement."""
        self.fear_self_interest = float(fears.learn_toward(self.fear_self_interest, evidence, rate * permanence_weight))
        self.trust_in_citizens = float(fears.learn_toward(self.trust_in_citizens, 1 - evidence, rate))

    def be_replaced(self, priors: dict[str, float], outgoing: dict[str, float], continuity: float) -> None:
        """A newcomer takes the seat: her attitudes are the configured priors, pulled toward the
        outgoing council's as far as the administration's continuity carries its memory."""
        for attr in RENEWED_ATTITUDES:
            setattr(self, attr, elections.newcomer_value(priors[attr], outgoing[attr], continuity))
