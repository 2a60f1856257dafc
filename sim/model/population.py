"""Synthetic population: one record per resident, kept as arrays (the Starsim way).

Traits are drawn from the scenario's published distributions (age bands, education by age,
online access by age, neighbourhood sizes; sources in docs/sources.md). Behavioural traits
that no statistic gives directly (time available, civic skills, interest) follow the
resource model of Verba, Schlozman & Brady (1995): skills rise with education, time is
scarcest in working age, political interest rises with education and age. Their means and
spreads are parameters of ``citizens`` (docs/parameters.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import CitizensConfig, PerceptionsConfig, ScenarioConfig
from sim.model.mechanisms import perceptions
from sim.model.mechanisms.numbers import clip

AGE_BAND_EDGES = np.array([0, 10, 20, 30, 40, 50, 60, 70, 80, 100])
#: Reporting age groups and their lower bounds.
AGE_GROUPS = ("0-17", "18-34", "35-64", "65+")
AGE_GROUP_LOWER = np.array([0, 18, 35, 65])
EDUCATION_LEVELS = ("low", "middle", "high")
#: Age below which civic skills are scaled by ``citizens.civic_skills_minor_factor``.
MINOR_SKILLS_AGE = 16


def beta_with_mean(rng: np.random.Generator, mean: np.ndarray | float, concentration: float,
                   size: int) -> np.ndarray:
    """Beta draws with the given mean(s) and concentration a+b (means clipped into (0, 1))."""
    if np.ndim(mean) == 0:
        # one mean for all: the same draws as with it spread over every resident, and faster
        m = float(clip(mean, 1e-3, 1 - 1e-3))
        return rng.beta(m * concentration, (1 - m) * concentration, size)
    m = np.clip(np.broadcast_to(mean, (size,)), 1e-3, 1 - 1e-3)
    return rng.beta(m * concentration, (1 - m) * concentration)


@dataclass
class Population:
    """All residents' fixed traits and changing state, one array entry per resident."""

    neighbourhood: np.ndarray  # int16, index into scenario.neighbourhoods
    age: np.ndarray  # int16, years
    age_group: np.ndarray  # int8, index into AGE_GROUPS
    education: np.ndarray  # int8, 0 low, 1 middle, 2 high
    online: np.ndarray  # bool, has internet access
    time_available: np.ndarray  # float, [0, 1]
    civic_skills: np.ndarray  # float, [0, 1]
    interest: np.ndarray  # float, [0, 1], political interest
    general_interest: np.ndarray  # float, [0, 1], orientation self (0) .. general interest (1)
    # changing state
    perception: np.ndarray  # float32, (items, n): latent attitude per survey item (mechanisms.perceptions.ITEMS)
    fear: np.ndarray
    awareness: np.ndarray
    woman: np.ndarray  # bool
    migration: np.ndarray  # bool, migration background (foreign origin)
    low_income: np.ndarray  # bool
    habit: np.ndarray
    perception_initial: np.ndarray  # float32, (items, n): where each resident's attitudes started
    fear_initial: np.ndarray
    ever_participated: np.ndarray  # bool
    cycles_participated: np.ndarray  # int16
    last_proposal: np.ndarray  # int16, the cycle of the resident's latest proposal (0: none yet)

    @property
    def moved(self) -> tuple[str, ...]:
        """The survey items whose latent attitudes move: all of them, or only those :meth:`move_only` kept."""
        return getattr(self, "_moved", perceptions.ITEMS)  # not a field: the fields are the residents' arrays

    def move_only(self, items: tuple[str, ...]) -> None:
        """Keep moving only the latent attitudes of ``items`` (the light path: those residents' rules read,
        ``perceptions.READ_BY_RULES``); the other rows become nan, and reading them raises (:meth:`latent`)."""
        self._moved = tuple(i for i in perceptions.ITEMS if i in items)
        for item in perceptions.ITEMS:
            if item not in self.moved:
                self.perception[perceptions.INDEX[item]] = np.nan
                self.perception_initial[perceptions.INDEX[item]] = np.nan

    @property
    def size(self) -> int:
        """Number of residents."""
        return self.age.size

    def latent(self, item: str) -> np.ndarray:
        """The latent attitude of every resident on a survey item (a view: writing it moves her)."""
        if item not in self.moved:
            raise LookupError(f"the survey item {item!r} does not move on this run: it keeps only {self.moved} "
                              "(the light path, sim.api.run_config(series=False), moves the items residents' "
                              "rules read: perceptions.READ_BY_RULES)")
        return self.perception[perceptions.INDEX[item]]

    def agrees(self, item: str) -> np.ndarray:
        """Whether each resident agrees with a survey item."""
        return self.latent(item) > 0

    def conviction(self, item: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Each resident's chance of agreeing with a survey item, in (0, 1) (perceptions.chance_to_agree).

        ``idx`` (indices): only those residents' chances, in that order, for a rule that needs only theirs
        (Phi costs about 16 ns a resident); elementwise, so the same values to the bit as everyone's.
        """
        z = self.latent(item)
        return perceptions.chance_to_agree(z if idx is None else z[idx])


def draw_gender_origin_income(age: np.ndarray, education: np.ndarray, scenario: ScenarioConfig,
                              citizens: CitizensConfig, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Gender, migration background and low income of each resident, from the scenario's shares.

    Women are more numerous among the old (``citizens.women_age_excess`` for <65, 65-84, 85+);
    a migration background is more common among the young (``citizens.migration_age_profile``
    for 0-17, 18-64, 65+); a low income is more likely with low education and a migration
    background (relative risks). Each is scaled so that its population share is the scenario's
    (docs/evidence/population.md A).
    """
    n = age.size
    excess = np.asarray(citizens.women_age_excess, dtype=float)[np.searchsorted([65, 85], age, side="right")]
    p_woman = np.clip(scenario.women_share - excess.mean() + excess, 0.0, 1.0) if n else excess
    woman = rng.random(n) < p_woman
    profile = np.asarray(citizens.migration_age_profile, dtype=float)[np.searchsorted([18, 65], age, side="right")]
    p_mig = np.clip(scenario.migration_background_share * profile / max(profile.mean(), 1e-12), 0.0, 1.0) if n \
        else profile
    migration = rng.random(n) < p_mig
    risk = (np.asarray(citizens.low_income_risk_education, dtype=float)[education]
            * np.where(migration, citizens.low_income_risk_migration, 1.0))
    p_low = np.clip(scenario.low_income_share * risk / max(risk.mean(), 1e-12), 0.0, 1.0) if n else risk
    low_income = rng.random(n) < p_low
    return woman, migration, low_income


def initial_shares(scenario: ScenarioConfig) -> dict[str, float]:
    """The share of residents who agree with each survey item at the start (the scenario's survey levels)."""
    return {"trust": scenario.initial_trust, "efficacy": scenario.initial_efficacy, "input": scenario.initial_input,
            "throughput": scenario.initial_throughput, "output": scenario.initial_output}


def synthesize(n: int, scenario: ScenarioConfig, citizens: CitizensConfig, sizes: PerceptionsConfig,
               rng: np.random.Generator) -> Population:
    """Draw n residents from the scenario's distributions and the citizens' initial state."""
    shares = np.asarray(scenario.neighbourhood_shares, dtype=float)
    neighbourhood = rng.choice(shares.size, size=n, p=shares / shares.sum()).astype(np.int16)
    neighbourhood.sort()  # residents of one neighbourhood are contiguous: cheap slicing later

    age_p = np.asarray(scenario.age_shares, dtype=float)
    band = rng.choice(age_p.size, size=n, p=age_p / age_p.sum())
    lo, hi = AGE_BAND_EDGES[band], AGE_BAND_EDGES[band + 1]
    age = (lo + rng.random(n) * (hi - lo)).astype(np.int16)
    age_group = (np.searchsorted(AGE_GROUP_LOWER, age, side="right") - 1).astype(np.int8)

    # Minors and young adults get the adult distribution as a proxy for their household's
    # education (Statbel reports attainment for 25+ only); 65+ get their own distribution.
    edu_adult = np.asarray(scenario.education_shares_adults, dtype=float)
    edu_old = np.asarray(scenario.education_shares_65plus, dtype=float)
    u = rng.random(n)
    education = np.where(
        age >= 65,
        np.searchsorted(np.cumsum(edu_old / edu_old.sum()), u, side="right"),
        np.searchsorted(np.cumsum(edu_adult / edu_adult.sum()), u, side="right"),
    ).clip(0, 2).astype(np.int8)

    online = rng.random(n) < np.asarray(scenario.online_access_by_age)[age_group]

    c = citizens
    woman, migration, low_income = draw_gender_origin_income(age, education, scenario, c, rng)
    # Time is scarcest in working age (VSB 1995, ch. 10); children's "time" is school-bound.
    time_mean = np.asarray(c.time_available_by_age, dtype=float)[age_group]
    time_available = beta_with_mean(rng, time_mean, c.time_available_concentration, n)
    # Civic skills by education level (VSB 1995: skills are acquired in school and work).
    skills_by_education = np.asarray(c.civic_skills_by_education, dtype=float)
    civic_skills = np.clip(skills_by_education[education] + rng.normal(0, c.civic_skills_sd, n), 0, 1)
    civic_skills = np.where(age < MINOR_SKILLS_AGE, civic_skills * c.civic_skills_minor_factor, civic_skills)
    interest_mean = (c.interest_base + c.interest_per_education * education + c.interest_bonus_35plus * (age >= 35)
                     + c.interest_bonus_65plus * (age >= 65))
    interest = beta_with_mean(rng, interest_mean, c.interest_concentration, n)
    general_interest = beta_with_mean(rng, c.general_interest_mean, c.general_interest_concentration, n)

    k = citizens.state_concentration
    # Perceptions start at the scenario's published survey levels (docs/sources.md).
    attitude = perceptions.initial(n, initial_shares(scenario), sizes.correlation, rng)
    # Fear of complexity is higher for those with fewer civic skills; centred so that the
    # population mean stays at fear_mean.
    fear_shift = c.fear_skill_shift * (civic_skills.mean() - civic_skills)
    fear = beta_with_mean(rng, citizens.fear_mean + fear_shift, k, n)
    awareness = np.full(n, citizens.awareness_initial)
    return Population(
        neighbourhood=neighbourhood, age=age, age_group=age_group, education=education,
        online=online, woman=woman, migration=migration, low_income=low_income,
        time_available=time_available, civic_skills=civic_skills,
        interest=interest, general_interest=general_interest,
        perception=attitude, fear=fear, awareness=awareness,
        habit=np.zeros(n), perception_initial=attitude.copy(), fear_initial=fear.copy(),
        ever_participated=np.zeros(n, dtype=bool),
        cycles_participated=np.zeros(n, dtype=np.int16),
        last_proposal=np.zeros(n, dtype=np.int16),
    )
