"""The Mesa model: the population, its network, the agents, and the processes of one month.

``CoproductionModel.step`` is the schedule of a month (docs/model.md 3.2); each part of it
is a process class in ``sim/model/processes/`` that owns its state. All randomness comes from
``self.rng`` (seeded from the config), so a config and seed give the same run on any
machine and in any process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mesa
import numpy as np
import scipy.sparse as sp

from sim.config.schema import Config, model_seed
from sim.model.agents import Citizen, CivilServant, CouncilMember
from sim.model.choices import Choices
from sim.model.mechanisms.perceptions import READ_BY_RULES
from sim.model.outcomes import Composition
from sim.model.population import Population, beta_with_mean
from sim.model.processes.base import Result
from sim.model.processes.budget import ProjectBudget
from sim.model.processes.coproduction import Coproduction
from sim.model.processes.cycle import CycleRecord, Cycles, Phase
from sim.model.processes.decision import Decision
from sim.model.processes.elections import Elections
from sim.model.processes.information import Information
from sim.model.processes.participation import Participation
from sim.model.processes.perceptions import Perceptions
from sim.model.processes.projects import Projects
from sim.model.processes.services import Services
from sim.model.processes.staff import StaffLedger
from sim.model.residents import SharedResidents, build_residents
from sim.model.signals import SignalBoard


def _agents_mean(agents: str, attr: str) -> Callable[[CoproductionModel], float]:
    """The mean of ``attr`` over the civil servants (``agents`` "administration") or the council."""
    return lambda m: float(np.mean(getattr(m, agents).get(attr)))


#: The model's own results: the states of residents, civil servants and council members as the
#: month leaves them that are not survey items (those are the Perceptions process's), which signals
#: and several processes move (each process declares its own).
ATTITUDES: tuple[Result, ...] = (
    Result("fear_citizens", "index 0-1", "Residents' mean fear of taking part (complexity, wasted effort).",
           lambda m: float(m.population.fear.mean()), summary="final"),
    Result("habit_citizens", "index 0-1", "Residents' mean habit of taking part.",
           lambda m: float(m.population.habit.mean()), summary="final"),
    Result("trust_administration", "index 0-1", "Civil servants' mean trust in citizens.",
           _agents_mean("administration", "trust_in_citizens"), summary="final"),
    Result("fear_complexity_administration", "index 0-1", "Civil servants' mean fear that participation is "
           "too complex.", _agents_mean("administration", "fear_complexity"), summary="final"),
    Result("fear_failure_administration", "index 0-1", "Civil servants' mean fear of failing.",
           _agents_mean("administration", "fear_failure"), summary="final"),
    Result("fear_self_interest_administration", "index 0-1", "Civil servants' mean fear of self-interest.",
           _agents_mean("administration", "fear_self_interest"), summary="final"),
    Result("trust_council", "index 0-1", "Council members' mean trust in citizens.",
           _agents_mean("council", "trust_in_citizens"), summary="final"),
    Result("fear_self_interest_council", "index 0-1", "Council members' mean fear of self-interest.",
           _agents_mean("council", "fear_self_interest"), summary="final"),
    Result("commitment_council", "index 0-1", "Council members' mean commitment to decisions taken with "
           "residents.", _agents_mean("council", "commitment"), summary="final"),
)

#: Every result of the model, in the order of the time series' columns: the calendar, who takes part,
#: what residents know, the attitudes, legitimacy, services, decisions, projects, costs. A new
#: output is one ``Result`` in the part that measures it (and its words in sim/locales/).
RESULTS: tuple[Result, ...] = (*Cycles.results, *Participation.results, *Information.results, *ATTITUDES,
                               *Perceptions.results, *Services.results, *Decision.results, *Projects.results,
                               *StaffLedger.results, *ProjectBudget.results, *Coproduction.results)
#: Time-series columns, in order (the summary uses the same names).
TIMESERIES_COLUMNS: tuple[str, ...] = tuple(r.name for r in RESULTS)

__all__ = ["ATTITUDES", "RESULTS", "TIMESERIES_COLUMNS", "CoproductionModel", "CycleRecord", "Phase", "Result"]


class CoproductionModel(mesa.Model):
    """Citizens, administration and council in one municipality, month by month.

    Build it from a validated :class:`sim.config.schema.Config` (``sim.run`` does this from the
    presets); ``model.run_for(model.config.run.steps)`` runs the horizon. Residents' state is
    kept as arrays in ``model.population``; ``Citizen`` agents are views of its rows, created
    on first use (``model.citizens``, ``model.citizen(i)``), because creating a Mesa agent per
    resident costs more than the whole run of a large municipality and no rule needs them.
    Civil servants and council members are ordinary agents (``model.administration``,
    ``model.council``) with their own methods.
    """

    # What a model holds (set in __init__), typed, so that every read across processes is checked.
    config: Config
    population: Population
    network: sp.csr_matrix
    degree: np.ndarray
    eligible: np.ndarray
    n_eligible: int
    composition: Composition
    administration: mesa.agent.AgentSet
    council: mesa.agent.AgentSet
    month: int
    series: bool
    signals: SignalBoard
    staff: StaffLedger
    budget: ProjectBudget
    services: Services
    cycles: Cycles
    elections: Elections
    information: Information
    participation: Participation
    coproduction: Coproduction
    decision: Decision
    projects: Projects
    perceptions: Perceptions
    group_records: list[tuple[int, np.ndarray]]
    choices: Choices

    def __init__(self, config: Config, *, series: bool = True, residents: SharedResidents | None = None) -> None:
        """``series=False`` skips the month's survey, the time series and the record of what moved residents'
        perceptions (``SignalBoard.history``): all three only measure, nothing in the month reads them;
        without the survey only the survey items residents' rules read need to move
        (``Population.move_only``); for callers that need only the cycles, groups and projects (the ABC
        calibration). ``residents`` builds the residents once for runs that share them
        (:mod:`sim.model.residents`); the run is the same."""
        super().__init__(rng=model_seed(config))
        self.config = config
        self.series = series
        cfg, s = config, config.scenario
        # the residents and their network first, from the generator (or as ``residents`` built them for an
        # earlier run that reads the same in the build: the same arrays and generator state)
        self.population, self.network = (build_residents(config, self.rng) if residents is None
                                         else residents.residents(config, self.rng))
        pop = self.population
        if not series:  # no survey: only the attitudes residents' rules read need to move
            pop.move_only(READ_BY_RULES)
        self.degree = np.diff(self.network.indptr).astype(np.float32)
        self.eligible = pop.age >= cfg.design.min_age
        self.n_eligible = int(self.eligible.sum())
        self.composition = Composition(pop, len(s.neighbourhoods), self.eligible)

        # Civil servants and council members differ: each draws her attitudes around the
        # configured means (Beta, concentration attitude_concentration).
        a = cfg.administration

        def draw(mean: float, concentration: float, n: int) -> list[float]:
            return beta_with_mean(self.rng, mean, concentration, n).tolist()

        k = a.attitude_concentration
        CivilServant.create_agents(self, a.staff, hours=a.hours_per_month, expertise=a.expertise,
                                   trust_in_citizens=draw(a.trust_in_citizens, k, a.staff),
                                   fear_complexity=draw(a.fear_complexity, k, a.staff),
                                   fear_failure=draw(a.fear_failure, k, a.staff),
                                   fear_self_interest=draw(a.fear_self_interest, k, a.staff))
        c = cfg.council
        k = c.attitude_concentration
        CouncilMember.create_agents(self, c.seats, trust_in_citizens=draw(c.trust_in_citizens, k, c.seats),
                                    fear_self_interest=draw(c.fear_self_interest, k, c.seats),
                                    fear_losing_control=draw(c.fear_losing_control, k, c.seats),
                                    commitment=draw(c.commitment, k, c.seats))
        self.administration = self.agents_by_type[CivilServant]
        self.council = self.agents_by_type[CouncilMember]
        self._citizens: mesa.agent.AgentSet | None = None
        self._citizen_list: list[Citizen] | None = None

        self.month = -1
        # people's decisions at the decision points (sim/model/choices.py); none: the model decides all
        self.choices = Choices()
        self.signals = SignalBoard(pop, self.network, self.degree, cfg.citizens, cfg.perceptions, record=series)
        self.staff = StaffLedger(self)
        self.budget = ProjectBudget(self)
        self.services = Services(self)  # draws the neighbourhoods' initial quality
        self.cycles = Cycles(self)
        self.elections = Elections(self)
        self.information = Information(self)
        self.participation = Participation(self)
        self.coproduction = Coproduction(self)
        self.decision = Decision(self)
        self.projects = Projects(self)
        self.perceptions = Perceptions(self)

        # every declared result is a reporter of the model (a function of it), in the time series' order
        self.datacollector = mesa.DataCollector(model_reporters={r.name: r.measure for r in RESULTS})
        self.group_records = []

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        """Advance the municipality by one month, in the order of docs/model.md 3.2.

        Every call that decides the order of the month is here; each process does its part and
        returns what happened, which the month passes on.
        """
        self.month += 1
        self.signals.month = self.month
        self.staff.open_month()
        self.budget.open_year()
        # An election first: a new council may pause participation, cutting short a cycle before
        # anyone takes part in it this month, and residents forget part of what they knew.
        if self.elections.step() and self.elections.pause() and self.cycles.scheduled():
            if self.cycles.postpone(self.elections.pause()):
                self.decision.abandon()  # participants of the cut cycle hear nothing more: silence
                self.cycles.close(abandoned=True)
                self.participation.reset()
            kept = self.elections.memory_kept()
            self.information.fade(kept)
            self.participation.fade_habit(kept)
        # The calendar: close the cycle whose time is up, open the next. At the opening the
        # municipality announces what it will do with the input, and the continuous factor
        # reports what earlier cycles delivered, before anyone decides to take part.
        if self.cycles.closing():
            self.cycles.close()
            self.participation.reset()
        if self.cycles.opening():
            record = self.cycles.open()
            # the cycle's design as the preset has it, or as the roles decide (model.choices)
            self.choices.open_round(self.config.design, self.month, record.index)
            self.participation.reset()
            self.budget.set_aside()  # a citizens' budget is set aside for the cycle's vote
            record.expected = self.decision.announce()
            self.projects.report_progress()
        phase = self.cycles.advance()
        # News reaches residents before they decide whether to take part.
        self.information.step(phase)
        # Residents take part (or a panel is drawn); then co-producers work, and the newcomers'
        # facilitation is booked after the co-producers' hours.
        newcomers = self.participation.step(phase)
        coproduced = self.coproduction.step(phase)
        self.participation.facilitate(newcomers)
        # The month after the participation phase, the input is decided on; participants hear back.
        if phase is Phase.decide:
            self.decision.step()
        # In the last month of a budget year the council spends what residents did not decide on,
        # on its own priorities (all of it without participation): the same money for every design.
        if self.budget.closing_year():
            self.projects.record_council(*self.budget.council_projects(), self.decision.council_project_hours())
        # Open decisions may be reopened before this month's work on them; then the staff hours
        # left after informing, facilitating, co-producing and deciding go to implementation.
        deliveries = self.projects.step()
        # Deliveries and co-production change the services residents see.
        self.services.step(deliveries, coproduced)
        # Memory fades: perceptions drift back to where residents started, fear to its first level,
        # and civil servants' learned attitudes to theirs.
        self.signals.forget()
        self.administration.do("forget", self.config.administration.attitude_memory)
        # The month's survey: the share of residents who agree with each item.
        if self.series:
            self.perceptions.step()
            self.datacollector.collect(self)
        if self.config.run.record_groups:
            self.participation.record_groups()

    # ------------------------------------------------------------------ residents as agents

    @property
    def citizens(self) -> mesa.agent.AgentSet:
        """The residents as Mesa agents (created on first use; views of ``population``)."""
        if self._citizens is None:
            Citizen.create_agents(self, self.population.size, index=np.arange(self.population.size))
            self._citizens = self.agents_by_type[Citizen]
        return self._citizens

    def citizen(self, index: int) -> Citizen:
        """The Citizen agent of resident ``index``."""
        if self._citizen_list is None:
            self._citizen_list = sorted(self.citizens.to_list(), key=lambda c: c.index)
        return self._citizen_list[index]

    def all_cycles(self) -> list[CycleRecord]:
        """Closed cycles plus, provisionally, the running one if anyone took part in it."""
        return self.cycles.all()

    # ------------------------------------------------------------------ measurement

    def report(self) -> dict[str, Any]:
        """This month's value of every time-series column (what the DataCollector records)."""
        return {k: f(self) for k, f in self.datacollector.model_reporters.items()}
