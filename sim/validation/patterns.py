"""The catalogue of the validation report: documented, published patterns the model is held to.

The report has three tiers (issue 17, point 7):

- *calibration* (:data:`CALIBRATION`): the pattern's target informed a parameter value; it is
  expected to hold and shows the calibration worked;
- *verification* (:data:`VERIFICATION`): the model does what its brief says; a directional check
  that the functional form guarantees (each :class:`Check` says why) is a unit test in
  ``tests/model/test_patterns.py``, not evidence, and the report lists it without counting it;
- *validation* (:data:`VALIDATION`): a quantitative, published pattern, with a numeric range, whose
  source set no parameter: a test the model can fail. Only these count in the report's headline.

Each :class:`Pattern` names what it is, its published source, its tier, the conditions it runs (a
scenario, a design and overrides each), the measure it takes of their runs and its
:class:`Target` (a range, or a direction that holds only when the whole 95 % interval of the mean
lies on the expected side).
:data:`LEARNED` keeps what was learned from each missed pattern; ranges come from the sources and
are never moved to make a pattern pass. :data:`BALLOT_CONDITIONS` and :data:`BALLOT_NOTES` are the
participatory budgets whose ballots are compared with real rounds, and what was learned there.

:mod:`sim.validation.run` evaluates the patterns over replicate seeds; :mod:`sim.validation.report`
writes the report.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

#: Root seed of the replicates every pattern runs on (the same seeds for every condition).
ROOT_SEED = 2026


class NotMeasured(RuntimeError):
    """The model does not produce what a pattern's measure needs."""


@dataclasses.dataclass(frozen=True)
class Condition:
    """One way to run the model: a scenario, a design preset and overrides."""

    scenario: str
    design: str
    overrides: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Target:
    """What the source says: the value lies in [lo, hi] (range) or beyond a threshold (direction)."""

    kind: Literal["range", "above", "below"]
    lo: float = -math.inf
    hi: float = math.inf

    @classmethod
    def range(cls, lo: float, hi: float) -> Target:
        return cls("range", lo, hi)

    @classmethod
    def above(cls, x: float = 0.0) -> Target:
        return cls("above", lo=x)

    @classmethod
    def below(cls, x: float = 0.0) -> Target:
        return cls("below", hi=x)

    def holds(self, mean: float, low: float, high: float) -> bool:
        """Range: the mean in [lo, hi]. Direction: the whole interval beyond the threshold."""
        if not np.isfinite(mean):
            return False
        if self.kind == "range":
            return self.lo <= mean <= self.hi
        if self.kind == "above":
            return low > self.lo
        return high < self.hi

    def text(self, fmt: str) -> str:
        if self.kind == "range":
            return f"{self.lo:{fmt}} to {self.hi:{fmt}}"
        if self.kind == "above":
            return f"> {self.lo:{fmt}}"
        return f"< {self.hi:{fmt}}"


Measure = Callable[[Mapping[str, Any]], float]


@dataclasses.dataclass(frozen=True)
class Pattern:
    """A documented pattern: what it is, its source, how the model is run and measured, the target."""

    id: str
    area: str
    what: str
    source: str
    use: Literal["calibration", "validation"]
    conditions: Mapping[str, Condition]
    measure: Measure
    target: Target
    unit: str = ""
    fmt: str = ".3g"
    quick: bool = False
    observed: float | None = None
    """A calibration pattern's observed value in the modelled case, which the ABC calibration
    (:mod:`sim.experiments.abc`) fits; its target range is the spread across cases."""
    observed_source: str = ""


# ---------------------------------------------------------------- what the measures read

def summary(run: Any, key: str) -> float:
    """One value of a run's summary; NotMeasured if the model does not report it."""
    if key not in run.summary.index:
        raise NotMeasured(f"summary has no {key!r}")
    return float(run.summary[key])


def column(run: Any, table: str, name: str) -> pd.Series:
    """A column of one of a run's tables (timeseries, groups, projects, cycles)."""
    df = getattr(run, table)
    if name not in df.columns:
        raise NotMeasured(f"{table} has no column {name!r}")
    return df[name]


def cycle_values(run: Any, name: str) -> np.ndarray:
    """A cycle-table column over the cycles that reached a decision."""
    cyc = run.cycles
    decided = cyc[column(run, "cycles", "decided").astype(bool)]
    if decided.empty:
        raise NotMeasured("no cycle reached a decision")
    return decided[name].to_numpy(dtype=float)


def group_rate(run: Any, dimension: str, group: str) -> float:
    """Participants per resident of a group, summed over the months of the run."""
    g = run.groups
    rows = g[(g["dimension"] == dimension) & (g["group"] == group)]
    if rows.empty:
        raise NotMeasured(f"groups has no {dimension}={group}")
    pop = float(rows["population"].sum())
    return float(rows["participants"].sum()) / pop if pop else math.nan


def group_ratio(run: Any, dimension: str, over: str, under: str) -> float:
    """How many times more often residents of group ``over`` take part than those of ``under``."""
    low = group_rate(run, dimension, under)
    return group_rate(run, dimension, over) / low if low > 0 else math.nan


def diff(a: str, b: str, key: str) -> Measure:
    """The paired difference of a summary value: condition ``a`` minus condition ``b``."""
    return lambda runs: summary(runs[a], key) - summary(runs[b], key)


def one(name: str, key: str) -> Measure:
    return lambda runs: summary(runs[name], key)


def share(num: float, den: float) -> float:
    return num / den if den else math.nan


# ---------------------------------------------------------------- the measures of single patterns

def _residents(run: Any) -> pd.DataFrame:
    """The rows of a run's project ledger that residents proposed (not the council's own projects)."""
    p = run.projects
    if "origin" not in p.columns:
        raise NotMeasured("projects has no column 'origin'")
    return p[p["origin"] == "residents"]


def _screened_share(runs: Mapping[str, Any]) -> float:
    r = runs["x"]
    return share(cycle_values(r, "screened_in").sum(), cycle_values(r, "submitted").sum())


def _reply_rate(runs: Mapping[str, Any]) -> float:
    r = runs["x"]
    return share(cycle_values(r, "volunteers").sum(), cycle_values(r, "letters").sum())


def _winners_not_carried_out(runs: Mapping[str, Any]) -> float:
    """Vote winners that were not adopted, adopted and later reopened (cancelled), or dropped in implementation."""
    p = _residents(runs["x"])
    won = p[p["funded"].fillna(False).astype(bool)]
    lost = (~won["adopted"].astype(bool)) | won["reopened"].astype(bool) | won["abandoned"].astype(bool)
    return share(float(lost.sum()), float(len(won)))


def _delivered_within(months: int) -> Measure:
    def measure(runs: Mapping[str, Any]) -> float:
        r = runs["x"]
        p = _residents(r)
        adopted = p[p["adopted"].astype(bool)]
        # only projects adopted early enough to be observed for ``months`` months
        horizon = int(r.summary["steps"])
        seen = adopted[adopted["month_adopted"] + months <= horizon]
        if seen.empty:
            raise NotMeasured(f"no project adopted {months} months before the end")
        lag = seen["month_delivered"] - seen["month_adopted"]
        return share(float((lag <= months).sum()), float(len(seen)))
    return measure


def _turnouts(run: Any) -> np.ndarray:
    t = cycle_values(run, "eligible_share")
    if t.size < 3:
        raise NotMeasured(f"only {t.size} decided cycles")
    return t


def _last_over_peak(runs: Mapping[str, Any]) -> float:
    t = _turnouts(runs["x"])
    return float(t[-1] / t.max()) if t.max() > 0 else math.nan


def _neighbourhoods_funded(run: Any) -> float:
    p = _residents(run)
    funded = p[p["funded"].fillna(False).astype(bool)]
    return float(funded.groupby("cycle")["neighbourhood"].nunique().mean()) if len(funded) else 0.0


def _equal_shares_spreads(runs: Mapping[str, Any]) -> float:
    return _neighbourhoods_funded(runs["equal_shares"]) - _neighbourhoods_funded(runs["greedy"])


def _second_over_first(runs: Mapping[str, Any]) -> float:
    t = _turnouts(runs["x"])
    return float(t[1] / t[0]) if t[0] > 0 else math.nan


def _after_a_gap(election: int) -> Measure:
    """Turnout of the first decided edition that starts after the election (and the pause it brings)
    over that of the last decided edition before it."""
    def measure(runs: Mapping[str, Any]) -> float:
        c = runs["x"].cycles
        decided = c[c["decided"].astype(bool)]
        before, after = decided[decided["start"] < election], decided[decided["start"] > election]
        if before.empty or after.empty:
            raise NotMeasured(f"no decided edition on both sides of month {election}")
        return share(float(after["eligible_share"].iloc[0]), float(before["eligible_share"].iloc[-1]))
    return measure


def _elasticity(big: str, base: str, ratio: float) -> Measure:
    """ln(turnout ratio) / ln(budget ratio) between two conditions whose budgets differ by ``ratio``."""
    def measure(runs: Mapping[str, Any]) -> float:
        q = share(summary(runs[big], "turnout"), summary(runs[base], "turnout"))
        return float(np.log(q) / np.log(ratio)) if q > 0 else math.nan
    return measure


def _participants_of(run: Any, dimension: str, group: str) -> float:
    g = run.groups
    rows = g[(g["dimension"] == dimension) & (g["group"] == group)]
    if rows.empty:
        raise NotMeasured(f"groups has no {dimension}={group}")
    return float(rows["participants"].sum())


def _women_share(runs: Mapping[str, Any]) -> float:
    r = runs["x"]
    women, men = _participants_of(r, "gender", "women"), _participants_of(r, "gender", "men")
    return share(women, women + men)


def _ballot(statistic: str) -> Measure:
    """The median over a run's decided cycles of one ballot statistic (sim.validation.real_ballots)."""
    def measure(runs: Mapping[str, Any]) -> float:
        from sim.validation.real_ballots import run_ballot_statistics  # the pabulib reader stays out of the catalogue

        stats = run_ballot_statistics(runs["x"])
        if stats.empty:
            raise NotMeasured("no decided cycle with a vote")
        return float(stats[statistic].median())
    return measure


def _adopted_per_submitted(runs: Mapping[str, Any]) -> float:
    p = _residents(runs["x"])
    return share(float(p["adopted"].astype(bool).sum()), float(len(p)))


def _return_after_adoption(runs: Mapping[str, Any]) -> float:
    """How many times more often a proposer whose proposal was adopted takes part in the next decided
    edition than one whose proposal was not (pooled over editions)."""
    r = runs["x"]
    history = r.model.participation.history
    p = _residents(r)
    editions = sorted(history)
    back = {True: [0, 0], False: [0, 0]}
    for this, following in itertools.pairwise(editions):
        rows = p[p["cycle"] == this]
        again = np.isin(rows["author"].to_numpy(dtype=np.int64), history[following])
        for adopted in (True, False):
            sel = rows["adopted"].astype(bool).to_numpy() == adopted
            back[adopted][0] += int(again[sel].sum())
            back[adopted][1] += int(sel.sum())
    if min(back[True][1], back[False][1]) == 0:
        raise NotMeasured("no proposer with (or without) an adopted proposal before a later edition")
    return share(share(*back[True]), share(*back[False]))


def _funded_per_cycle(run: Any) -> float:
    p = _residents(run)
    funded = p[p["funded"].fillna(False).astype(bool)]
    decided = p["cycle"].nunique()
    if decided == 0:
        raise NotMeasured("no decided cycle")
    return float(len(funded)) / decided


def _more_funded_per_cycle(runs: Mapping[str, Any]) -> float:
    """Projects funded per cycle by equal shares minus by greedy, on the same residents (same seeds)."""
    return _funded_per_cycle(runs["equal_shares"]) - _funded_per_cycle(runs["greedy"])


# ---------------------------------------------------------------- the patterns

K, G, AD = "kampenhout", "geel", "antwerp_district"
PB = "participatory_budget"
#: Twelve yearly editions of a participatory budget in the generic Flemish municipality (24,087
#: residents, a yearly citizens' budget of EUR 170,000), no election in between.
EDITIONS = Condition("generic", PB, ("run.steps=150", "scenario.next_election_month=200"))
#: The same, with an election in the inform phase of the fourth edition that a new council follows by a
#: pause of 14 months (no continuity): the fourth edition is dropped, the next waits.
GAP = Condition("generic", PB, ("run.steps=100", "scenario.next_election_month=40",
                                "administration.role_continuity=0.0", "design.restart_months_after_election=14"))

CALIBRATION: tuple[Pattern, ...] = (
    Pattern("T1", "turnout", "PB vote turnout, share of eligible residents who take part in a cycle (Geel)",
            "Manfredi & Calvo 2019 (Madrid 1.7-3.3 %); APUR 2018 (Paris 4-6.5 %); Geel 2022 (docs/sources.md)",
            "calibration", {"x": Condition(G, PB)}, one("x", "turnout_eligible"), Target.range(0.015, 0.08),
            "share", quick=True, observed=1553 / 36160,
            observed_source="Geel 2022: 1,553 voters over the about 36,160 residents of voting age the Geel "
                            "preset holds at full size"),
    Pattern("D1", "turnout", "After its peak, turnout declines: last of twelve yearly editions over the peak "
            "edition (Paris, Lisbon)",
            "Le Monde 2021 (Paris 2014-2021: 0.74); O Corvo, TVI24, CM (Lisbon 2008-2019: 0.66) "
            "(docs/evidence/validation_patterns.md V01)",
            "calibration", {"x": EDITIONS}, _last_over_peak, Target.range(0.66, 0.74), "ratio", observed=0.70,
            observed_source="the mean of Paris (0.74) and Lisbon (0.66), the two long series kept out of the "
                            "validation pattern V01"),
    Pattern("P1", "panels", "Share of residents who answer a letter inviting them to a panel by lot with yes (Geel)",
            "Mechelen 2020 (8.9 %); Brussels 2021 (about 11 %); Ostbelgien (11.5 %); G1000 (about 3 %) "
            "(docs/evidence/population.md C.1)",
            "calibration", {"x": Condition(G, "citizens_panel")}, _reply_rate, Target.range(0.03, 0.115), "share",
            quick=True, observed=447 / 5000,
            observed_source="Mechelen 2020: 447 of 5,000 letters answered yes (the nearest Flemish case)"),
    Pattern("W3", "who takes part", "PB voters peak in middle age (participation rate 35-64 over 65+)",
            "APUR 2018 (Paris: 68 % aged 25-54); City of Warsaw 2018; Częstochowa 2015; "
            "Tybuchowska-Hartlińska 2016",
            "calibration", {"x": Condition(G, PB)},
            lambda runs: group_ratio(runs["x"], "age", "35-64", "65+"), Target.range(1.0, 2.06), "ratio",
            observed=1.9,
            observed_source="Częstochowa PB 2015: voters aged 41-60 (28.5 %) and over 60 (16.9 %) against the "
                            "city's residents of those ages (GUS 2018 via poland.gg): rate ratio 1.75 for 41-60 "
                            "over 61+, 1.98 for 41-59 over 60+, 2.06 for 26-60 over 61+, the observed value their "
                            "middle; the range runs from 1 (every case with published ages peaks in middle age: "
                            "Paris, Warsaw, a Polish survey) to Częstochowa's highest alignment"),
    Pattern("S1", "proposals and screening", "Share of submitted proposals that reach the vote (Geel PB)",
            "City of Warsaw BO 2015-19 (62-67 %); Geel 2022, 11 of 26 (42 %) (docs/sources.md)",
            "calibration", {"x": Condition(G, PB)}, _screened_share, Target.range(0.42, 0.67), "share",
            quick=True, observed=11 / 26, observed_source="Geel 2022: 11 of 26 ideas put to the vote"),
    Pattern("F2", "funding and delivery", "Vote winners abandoned or vetoed after the vote are few (share of winners)",
            "City of Warsaw (0.4 %); Madrid (1.9 %); first editions up to 9-18 % (Paris 12e 2015, Aarau); the same "
            "rounds set administration.abandon_share",
            "calibration", {"x": Condition(G, PB)}, _winners_not_carried_out, Target.range(0.0, 0.18), "share",
            quick=True),
)

VALIDATION: tuple[Pattern, ...] = (
    # ---- turnout over editions
    Pattern("V01", "turnout", "After its peak, turnout declines: last of twelve yearly editions over the peak "
            "edition (interquartile range over 12 PBs)",
            "pabulib voter counts (Faliszewski et al. 2023: Wrocław, Łódź, Gdynia, Katowice, Poznań, Kraków, "
            "Chicago 49th, Vallejo, Seattle, Cambridge MA); City of Warsaw; City of Helsinki "
            "(docs/evidence/validation_patterns.md V01; Paris and Lisbon calibrate D1)",
            "validation", {"x": EDITIONS}, _last_over_peak, Target.range(0.45, 0.89), "ratio"),
    Pattern("V11", "turnout", "Turnout of the second edition over the first",
            "City of Helsinki 2019-21 (0.95); City of Warsaw 2014-15 (1.03); Europa Press, Madrid 2016-17 (1.47)",
            "validation", {"x": EDITIONS}, _second_over_first, Target.range(0.95, 1.47), "ratio", quick=True),
    Pattern("V07", "turnout", "A skipped edition costs turnout: first edition after a pause of a year or more over "
            "the last before it",
            "Le Monde 2021 (Paris 2021 after the 2020 gap: 0.74); City of Warsaw (2016: 0.74); pabulib (Łódź 2023: "
            "0.54)",
            "validation", {"x": GAP}, _after_a_gap(40), Target.range(0.54, 0.74), "ratio"),
    Pattern("V17", "turnout", "A bigger budget buys little turnout (elasticity of turnout to a threefold budget)",
            "City of Warsaw 2014-2020 (-0.37); decide.madrid.es and Europa Press, Madrid 2016-17 (+0.76)",
            "validation", {"big": Condition(G, PB, ("design.budget_per_cycle_eur=300000",
                                                    "scenario.project_budget_eur=150000")),
                           "base": Condition(G, PB)},
            _elasticity("big", "base", 3.0), Target.range(-0.37, 0.76), "elasticity"),
    # ---- who takes part
    Pattern("V02", "who takes part", "Women are a majority of PB voters (women's share of participants)",
            "pabulib voter records, 43 city-years in 8 Polish cities (interquartile range; Faliszewski et al. "
            "2023); Helsinki 2021, PBNYC cycle 2, Madrid 2018 (same direction)",
            "validation", {"x": Condition(G, PB)}, _women_share, Target.range(0.574, 0.608), "share"),
    # ---- ballots (pabulib rounds held out of the valence estimate; docs/pabulib_valence.md)
    Pattern("V03G", "ballots", "Vote Gini over the projects on the ballot (Geel; real rounds of 16-30 projects)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(G, PB)}, _ballot("vote_gini"), Target.range(0.28, 0.35), "Gini"),
    Pattern("V03A", "ballots", "Vote Gini over the projects on the ballot (District Antwerpen; real rounds of 60-160)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(AD, PB)}, _ballot("vote_gini"), Target.range(0.32, 0.37), "Gini"),
    Pattern("V04G", "ballots", "Share of the votes won by the top tenth of the projects (Geel; real rounds of 16-30)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(G, PB)}, _ballot("top10_vote_share"), Target.range(0.22, 0.27), "share"),
    Pattern("V04A", "ballots", "Share of the votes won by the top tenth of the projects (District Antwerpen; real "
            "rounds of 60-160)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(AD, PB)}, _ballot("top10_vote_share"), Target.range(0.24, 0.26), "share"),
    Pattern("V05G", "funding and delivery", "Share of the ballot's projects funded (Geel; real rounds of 16-30)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(G, PB)}, _ballot("funded_project_share"), Target.range(0.28, 0.45),
            "share"),
    Pattern("V05A", "funding and delivery", "Share of the ballot's projects funded (District Antwerpen; real rounds "
            "of 60-160; NYC, Helsinki, Reykjavík, Paris, Lisbon 0.12-0.35)",
            "pabulib validation half (Faliszewski et al. 2023; docs/pabulib_valence.md)",
            "validation", {"x": Condition(AD, PB)}, _ballot("funded_project_share"), Target.range(0.17, 0.26),
            "share"),
    Pattern("F4", "funding and delivery", "Equal shares funds more projects than greedy (projects funded per "
            "cycle, difference; Geel's ballot of about 23 projects)",
            "pabulib validation half, rounds of 16-30 projects, both rules replayed (interquartile range; "
            "docs/pabulib_valence.md); Aarau 2023: 17 against 7 (equalshares.net)",
            "validation", {"equal_shares": Condition(G, PB, ("design.allocation_rule=equal_shares",)),
                           "greedy": Condition(G, PB, ("design.allocation_rule=greedy",))},
            _more_funded_per_cycle, Target.range(2.0, 7.0), "projects"),
    Pattern("F5", "funding and delivery", "Equal shares spreads funding over more neighbourhoods than greedy "
            "(neighbourhoods funded per cycle, difference; Geel)",
            "Aarau 2023 (all districts against the centre and city-wide only: equalshares.net); Hänggli Fricker "
            "et al. 2024",
            "validation", {"equal_shares": Condition(G, PB, ("design.allocation_rule=equal_shares",)),
                           "greedy": Condition(G, PB, ("design.allocation_rule=greedy",))},
            _equal_shares_spreads, Target.above(0.0), "neighbourhoods"),
    # ---- delivery and uptake
    Pattern("V09", "funding and delivery", "Half to three quarters of the winners are delivered within three years "
            "(District Antwerpen)",
            "AFP 2021 (Paris 2014-19: over half); TSF and Negócios (Lisbon: 60-75 %)",
            "validation", {"x": Condition(AD, PB)}, _delivered_within(36), Target.range(0.5, 0.75), "share"),
    Pattern("V14", "proposals and screening", "Adopted projects per submitted proposal (Geel PB)",
            "NIK 2019 (22 Polish municipalities: 0.20); Lisbon 2017, 2019; Reykjavík 2022-23; Madrid 2016; "
            "Helsinki 2021; Paris 2016 (0.035-0.07) (docs/evidence/validation_patterns.md V14; Geel and Warsaw "
            "left out: they calibrate S1)",
            "validation", {"x": Condition(G, PB)}, _adopted_per_submitted, Target.range(0.035, 0.20), "share"),
    Pattern("V16", "proposals and screening", "An ideas platform takes up few of its ideas (adopted over submitted)",
            "El País 2017 (Decide Madrid: 0.02 %); CrowdLaw, Better Reykjavík (about 9 %)",
            "validation", {"x": Condition(G, "ideas_platform")}, _adopted_per_submitted, Target.range(0.0002, 0.09),
            "share"),
    Pattern("R1", "returning", "A proposer whose proposal was adopted comes back more often (next edition, ratio "
            "adopted / not adopted; District Antwerpen)",
            "Sjoberg, Mellon & Peixoto 2017 (FixMyStreet, n = 399,364: +57 %); mySociety 2015 (+54 %)",
            "validation", {"x": Condition(AD, PB)}, _return_after_adoption, Target.range(1.54, 1.57), "ratio"),
    # ---- co-production
    Pattern("C3", "co-production", "Untargeted co-production widens inequality of service quality "
            "(equity, co-production 0.8 minus 0)",
            "Jakobsen & Andersen 2013; Steen, Brandsen & Verschuere 2018",
            "validation",
            {"together": Condition(K, "coproduction", ("administration.hours_per_month=120",
                                                       "design.coproduction=0.8")),
             "alone": Condition(K, "coproduction", ("administration.hours_per_month=120", "design.coproduction=0.0"))},
            diff("together", "alone", "service_quality_equity"), Target.below(0.0), "equity"),
)

#: Every pattern the report runs: calibration first, then validation.
PATTERNS: tuple[Pattern, ...] = CALIBRATION + VALIDATION


@dataclasses.dataclass(frozen=True)
class Check:
    """A verification check: what the brief says the model must show, why its functional form guarantees
    the direction, and the unit test that checks it (tests/model/test_patterns.py)."""

    id: str
    what: str
    guaranteed: str
    test: str


VERIFICATION: tuple[Check, ...] = (
    Check("T5", "More citizen fear lowers turnout",
          "fear enters the participation logit with a negative weight (citizens.weight_fear > 0)",
          "test_fear_lowers_turnout"),
    Check("T6", "A complex design lowers turnout",
          "complexity enters the logit as a cost and amplifies fear (citizens.weight_complexity > 0)",
          "test_complex_design_lowers_turnout"),
    Check("T7", "Informing first softens fear's effect on turnout",
          "informed residents lose part of their fear (citizens.fear_information_effect > 0) and become aware",
          "test_informing_first_softens_fear"),
    Check("T8", "Over-promising raises early turnout",
          "the announced promise enters the logit with a positive weight (citizens.weight_promise > 0)",
          "test_overpromising_raises_early_turnout_but_costs_trust"),
    Check("T9", "Continuity carries turnout across an election",
          "without continuity the new council pauses participation and residents forget awareness and habit",
          "test_continuity_carries_turnout_across_an_election"),
    Check("W1", "Open calls over-represent the highly educated",
          "civic skills rise with education and enter the logit through resources (citizens.weight_resources > 0)",
          "test_random_selection_narrows_the_resource_gap"),
    Check("W2", "A panel by lot narrows the education gap",
          "the panel's seats are allocated to education-by-age strata in proportion to the population",
          "test_random_selection_narrows_the_resource_gap"),
    Check("S2", "A permanent process raises the general-interest share of proposals",
          "framing toward the general interest grows only with the cycles of a permanent process",
          "test_permanence_raises_general_interest_and_lowers_fear_of_self_interest"),
    Check("S3", "A permanent process lowers the administration's fear of self-interest",
          "the fear learns toward the evidence faster in a permanent process (administration."
          "permanence_evidence_weight > 1) and the evidence improves with the general-interest share",
          "test_permanence_raises_general_interest_and_lowers_fear_of_self_interest"),
    Check("L1", "Asking and ignoring leaves participants below the same residents never asked",
          "input that is ignored is a response of negative strength (perceptions.outcome times negativity); "
          "its size, not its sign, rests on assumed effect sizes (docs/evidence/perceptions.md B2)",
          "test_asking_and_ignoring_is_worse_than_not_asking"),
    Check("L2", "Asking and ignoring leaves the population below never asking",
          "the participants' loss, its echo through their ties and the public channel's bad news (van Dijk & "
          "Lefevere's sign) outweigh being asked; the margin rests on assumed sizes",
          "test_ignoring_lowers_mean_trust_against_no_participation"),
    Check("L5", "Reopening decisions lowers throughput legitimacy",
          "a reopened decision is bad news on the throughput item for its supporters and their ties",
          "test_reopening_lowers_throughput_legitimacy_and_trust"),
    Check("L6", "Reopening decisions lowers trust",
          "a reopened decision is bad news on the trust item for its supporters and their ties",
          "test_reopening_lowers_throughput_legitimacy_and_trust"),
    Check("L7", "Over-promising costs participants' trust later",
          "with judgement by disconfirmation, a higher expectation lowers the judged outcome",
          "test_overpromising_raises_early_turnout_but_costs_trust"),
    Check("L8", "Realism protects participants' trust under inflated promises",
          "the preacher of realism pulls the promise toward what capacity can deliver (lower expectation)",
          "test_realism_protects_trust_when_promises_are_inflated"),
    Check("L9", "Continuity carries participants' trust across an election",
          "without continuity the running cycle is abandoned: its participants hear silence (bad news)",
          "test_continuity_carries_trust_across_an_election"),
    Check("C1", "Co-production adds quality beyond professionals alone",
          "citizen input adds complementarity * sqrt(P * C) >= 0 to the professional input P",
          "test_coproduction_adds_quality_when_capacity_matches"),
    Check("C2", "Without staff capacity to match, co-production adds much less",
          "the complement sqrt(P * C) vanishes with the professionals' matching hours P",
          "test_coproduction_adds_quality_when_capacity_matches"),
    Check("F3", "A minority of adopted projects is delivered within a year",
          "implementation takes design.implementation_months (12 in a PB) plus an exponential delay",
          "test_a_minority_of_projects_is_delivered_within_a_year"),
)

#: What was learned from a pattern the model misses (written after reading the report; never a
#: reason to move a range).
LEARNED: dict[str, str] = {
    "W3": "Calibration since the age term citizens.weight_age_65plus was added (the 65+ have the most free time "
          "and interest in the model, so open calls skewed old where PB voters peak in middle age). At the "
          "posterior's best point (docs/calibration) the ratio is 2.2, just above Częstochowa's highest "
          "alignment (2.06): ABC traded it against the other patterns.",
    "D1": "At the defaults (the posterior's best point, 0.73 on the four seeds that chose it) twelve editions "
          "fall to 0.77 of their peak on these ten seeds, a little above Paris and Lisbon (0.66-0.74); the "
          "posterior's runs reach 0.64-0.75, and the novelty's decay is hardly pinned down (docs/calibration).",
    "S1": "The posterior's best point holds proposals.within_rules_share at 0.38, below the 0.42 of Geel's 11 of "
          "26; ABC traded S1 against the other patterns (its posterior interval is 0.27-0.65).",
    "V02": "The model draws residents' gender but gives it no effect on taking part (Flemish surveys find men "
           "and women equally often), so participants are about half women; the women's majority among PB "
           "voters elsewhere needs a mechanism the model lacks (e.g. the local and care themes of PB ballots).",
    "V03G": "Geel's votes are a little less concentrated (Gini 0.25) than in real rounds of 16-30 projects "
            "(0.28-0.35), though at the median of all real rounds: the valence spread estimated on pabulib's "
            "estimation half, over Geel's few proposals per village, concentrates votes less than rounds of "
            "that length do. District Antwerpen's long ballot falls inside (V03A).",
    "V05G": "The model funds 62 % of Geel's ballot where real rounds of that length fund 28-45 %: the ballot's "
            "cost relative to the budget is too low. The mean cost of a proposal (design.mean_project_cost_eur, "
            "EUR 15,000) is an assumption of order of magnitude, and the number of proposals on the ballot "
            "is not fitted to the budget; real rounds' funded share follows from that ratio.",
    "V05A": "As V05G, more strongly: District Antwerpen's EUR 1.4 million a year covers every proposal on the "
            "model's ballot (70 to 110 a cycle at about EUR 13,000), where the district funded 60-78 of 150-160 "
            "proposals and real long ballots fund 17-26 %.",
    "F4": "Equal shares funds only 0.6 more projects per cycle than greedy on Geel's ballot, against 2-7 in real "
          "rounds of that length: with most of the ballot funded by either rule (V05G), the rules have little to "
          "choose between. The same cause as V05G; F5 (more neighbourhoods funded) holds.",
    "V09": "94 % of District Antwerpen's winners are delivered within three years, where Paris and Lisbon "
           "delivered half to three quarters: the model's delays (12 months of implementation plus a mean "
           "delay of a few months) and abandonment (3 %) leave out projects that stall for years.",
    "V14": "Adopted projects per submitted proposal in Geel (0.21) lie just above the range (0.035-0.2): they "
           "follow from the too large funded share (V05G).",
    "R1": "A proposer whose project was adopted comes back only about 1.05 times as often as one whose project "
          "was not, against 1.54-1.57 on FixMyStreet: the outcome moves a proposer's perceptions (effect sizes "
          "assumed, docs/evidence/perceptions.md), and those reach her turnout only through the engagement term "
          "of the logit; the model has no direct reinforcement of a success.",
    "C3": "Untargeted co-production narrows the inequality of service quality a little (+0.011 equity) where "
          "Jakobsen & Andersen and Steen et al. expect it to widen: the model spreads what co-producers add "
          "over their neighbourhood's service, and the highly educated, who co-produce more, live in every "
          "neighbourhood, so their input is not concentrated where they live.",
}

#: The model's participatory budgets whose ballots are compared with real rounds.
BALLOT_CONDITIONS: dict[str, Condition] = {"Geel": Condition(G, PB),
                                           "District Antwerpen": Condition("antwerp_district", PB)}


#: What was learned where the model's ballots fall outside the real rounds' interquartile range
#: (written after reading the section at 10 replicates, real size; never a reason to change a subset).
BALLOT_NOTES: dict[str, str] = {
    "vote_gini": "District Antwerpen's votes are more concentrated (Gini 0.33) than the median real round "
                 "(0.25), as real ballots of its length are (0.32-0.37 in rounds of 60-160 projects, pattern "
                 "V03A, which holds): the comparison with all rounds mixes short and long ballots.",
    "top10_vote_share": "As the Gini: the most popular tenth of the model's ballot draws about 15 % of the votes, "
                        "a quarter in real rounds.",
    "funded_project_share": "District Antwerpen's budget (EUR 1.4 million a year) covers nearly every proposal "
                            "on the model's ballot (70 to 110 a cycle at a median cost of about EUR 13,000, some "
                            "EUR 1.2 million in all), where real rounds fund about 40 % of theirs: for that budget "
                            "the model's proposals are too cheap or too few (the district funded 60-78 projects a "
                            "year from 150-160 proposals; docs/model.md, Calibration). The model submits a little more "
                            "than observed and screens out about 45 %, so its ballot is long enough; its proposals' "
                            "mean cost (EUR 15,000) is only the order of the district's project costs "
                            "(docs/sources.md).",
    "own_area_vote_share": "The weight carries the strength of localism estimated in Wrocław, not its share: the "
                           "share depends on how many areas there are and how many proposals each has on the "
                           "ballot (Wrocław: 49 areas, 3 to 4.5 projects each; Geel: 12 villages and a few "
                           "proposals a cycle, so many voters have none from their own; District Antwerpen: "
                           "22 neighbourhoods, more proposals).",
}


def shared_runs(patterns: Sequence[Pattern],
                ballots: Sequence[str] = ()) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The patterns and ballot budgets (labels of :data:`BALLOT_CONDITIONS`) grouped by the conditions they
    share, in the given order: a list of (pattern ids, ballot labels). Each group's conditions run once
    however many of its patterns measure them: the validation's unit of work on one seed
    (:mod:`sim.validation.run`), and an ABC particle's stage (:mod:`sim.experiments.abc`)."""
    items: list[tuple[str, str, set[Condition]]] = [("p", p.id, set(p.conditions.values())) for p in patterns]
    items += [("b", label, {BALLOT_CONDITIONS[label]}) for label in ballots]
    groups: list[tuple[list[tuple[str, str]], set[Condition]]] = []
    for kind, name, conds in items:
        joined = [g for g in groups if g[1] & conds]
        merged: tuple[list[tuple[str, str]], set[Condition]] = ([], set(conds))
        for g in joined:
            merged[0].extend(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        merged[0].append((kind, name))
        groups.append(merged)
    order = {("p", p.id): i for i, p in enumerate(patterns)} | {("b", b): len(patterns) + i
                                                                for i, b in enumerate(ballots)}
    groups.sort(key=lambda g: min(order[m] for m in g[0]))
    return [(tuple(n for k, n in sorted(g[0], key=order.__getitem__) if k == "p"),
             tuple(n for k, n in sorted(g[0], key=order.__getitem__) if k == "b")) for g in groups]


def calibration_patterns() -> list[Pattern]:
    """The calibration patterns that carry an observed value: what the ABC calibration fits
    (:mod:`sim.experiments.abc`) and whose municipalities bound its population scale."""
    return [p for p in PATTERNS if p.use == "calibration" and p.observed is not None]


def observed_values(patterns: Sequence[Pattern]) -> dict[str, float]:
    """``{pattern id: observed value}`` of the patterns that carry one: what a calibration fits them to."""
    return {p.id: float(p.observed) for p in patterns if p.observed is not None}


def by_id(pattern_id: str) -> Pattern:
    """The calibration or validation pattern ``pattern_id``."""
    for p in PATTERNS:
        if p.id == pattern_id:
            return p
    raise KeyError(f"unknown pattern {pattern_id!r}; known: {', '.join(p.id for p in PATTERNS)}")
