"""Answers for a policymaker: what a design changes, whether that matters, what it costs, who it leaves out.

The notebooks, the municipal report (:mod:`sim.apps.report`) and the dashboard
(:mod:`sim.apps.dashboard`) read the model through these functions, so that all give the same
answer to the same question: one function, :func:`verdicts`, says "better", "worse" or "no clear
difference" everywhere.

* :func:`measure` adds to each run's row (``sim.compare(..., measure=measure)``) what the
  summary does not hold: the costs (staff cost, project money plus staff cost, residents' hours
  apart, cost per participant and per delivered project) and, per group of residents, how well
  the group is represented among the participants.
* :func:`verdicts` compares each design with a baseline on the same drawn residents and says
  in words whether it does **better**, **worse**, or makes **no clear difference**. A verdict
  needs both a large enough effect and a clear one: the mean paired difference must reach the
  outcome's threshold of what matters (:data:`THRESHOLDS`, stated and changeable), and its
  95 % interval must lie on one side of zero. Otherwise: "no clear difference", with the
  reason (below the threshold, the interval holds zero, or one run has no interval). An outcome the baseline cannot
  have (turnout of "no participation") is **not comparable**, never "better".
* :func:`costs` and :func:`who_takes_part` give the per-design tables with 95 % intervals;
  :func:`left_out` lists the groups a design under-represents (:data:`LEFT_OUT`).

The thresholds are a judgement, not a finding: they say how large a change must be before
the notebook and the report call it a difference worth acting on. The defaults, and why, are
in :data:`THRESHOLDS`; every caller can pass its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim import plots, texts
from sim.config import provenance
from sim.experiments.uncertainty import robust_verdicts
from sim.model.outcomes import GROUP_ORDER
from sim.plots import BOOTSTRAP_RESAMPLES, PERCENT, PERCEPTIONS

if TYPE_CHECKING:
    from sim.api import RunResult
    from sim.config.schema import Config

__all__ = ["BOOTSTRAP_RESAMPLES", "COSTS", "LEFT_OUT", "OUTCOMES", "PARTICIPATION_OUTCOMES", "PERCEPTIONS",
           "THRESHOLDS", "WHO_DIMENSIONS", "costs", "decimals", "group_name", "input_value", "inputs",
           "interval_words", "left_out", "measure", "plain_words", "robust_words", "scale_words", "verdict_word",
           "verdict_words", "verdicts", "who_takes_part"]

#: The outcomes a policymaker's comparison judges, in the order tables list them.
OUTCOMES: tuple[str, ...] = ("turnout", "representativeness", "legitimacy", "legitimacy_input",
                             "legitimacy_throughput", "legitimacy_output", "trust_citizens", "efficacy_citizens",
                             "service_quality")

#: The smallest mean difference (in the outcome's display unit: percentage points for the outcomes of
#: :data:`PERCENT`, points of a 0-1 index otherwise) that counts as a difference worth acting on.
#:
#: * Residents' perceptions (the shares of residents who trust the municipality, feel they can
#:   influence it, feel involved, find decisions fair, are satisfied with what it delivers, and
#:   legitimacy, their mean): 2 percentage points. That is about half the change the Flemish
#:   Gemeente-Stadsmonitor reports between editions (the share who trust their municipal
#:   government fell from 34 % in 2020 to 29 % in 2023 in the average municipality), and within
#:   the sampling error of a municipal survey (a share near 30 % from the few hundred to a thousand
#:   respondents a municipality has in the Gemeente-Stadsmonitor has a 95 % margin of 3 to 4
#:   points): a smaller change would go unnoticed in the municipality's own figures.
#: * Turnout: half a percentage point, about one in six of the participants of a typical Flemish
#:   participatory budget (3 % of residents).
#: * Representativeness and service quality (0-1 indices): 0.02.
#:
#: A judgement, not a finding: change it to your own.
THRESHOLDS: dict[str, float] = {
    "turnout": 0.5, "turnout_eligible": 0.5, "representativeness": 0.02, "service_quality": 0.02,
    "service_quality_equity": 0.02, **dict.fromkeys(PERCEPTIONS, 2.0),
}

#: Outcomes that exist only where residents take part: a baseline without participation has
#: none of them, so a design is never called "better" on them than doing nothing.
PARTICIPATION_OUTCOMES: tuple[str, ...] = ("turnout", "turnout_eligible", "representativeness")

#: The cost columns :func:`measure` adds, in the order tables list them (defined with the figures, whose
#: intervals of costs respect their bound).
COSTS: tuple[str, ...] = plots.COSTS

#: The dimensions of who takes part that the answers report (the model's groups, neighbourhood
#: and internet access aside).
WHO_DIMENSIONS: tuple[str, ...] = ("education", "age", "gender", "migration", "income")

#: A group is *left out* when its share among the participants is below this fraction of its
#: share among the residents (0.8: the "four-fifths rule" of adverse-impact analysis, used
#: here as a plain, stated yardstick).
LEFT_OUT: float = 0.8


def _who_column(dimension: str, group: str) -> str:
    return f"who:{dimension}:{group}"


def measure(result: RunResult) -> dict[str, float]:
    """Costs and representation of one finished run (extra columns for ``sim.compare``).

    Costs over the whole run. Every design has the same project money (``scenario.project_budget_eur``):
    residents decide on part of it through the design, the council spends the rest on its own
    projects (the ledger's ``origin``). The summary already holds ``staff_hours`` (every civil-servant
    hour booked in the run's ledger, the council's projects' included), ``budget_spent`` (the final
    cost of every delivered project, whoever chose it: the ledger's ``cost_final`` adds up to it) and
    ``budget_residents``/``budget_council`` (the project money each committed). Added here:

    * ``staff_cost_eur``: the staff hours at ``administration.hour_cost_eur``;
    * ``total_cost_eur``: project money spent plus staff cost (residents' hours apart);
    * ``residents_hours``: participations (a resident in a round) times
      ``design.participant_hours``, plus the hours residents co-produce;
    * ``residents_took_part``: residents who took part at least once;
    * ``cost_per_participant_eur``: staff cost of running participation (everything but
      implementation) per resident who took part (NaN when nobody did);
    * ``cost_per_project_eur``: project money spent plus implementation hours per delivered
      project, the council's and the residents' (NaN when none was delivered).

    Representation: for each group of :data:`WHO_DIMENSIONS`, ``who:<dimension>:<group>`` is
    the group's share among the participants (summed over the months) divided by its share
    among the residents: 1 is its fair share, below :data:`LEFT_OUT` the group is left out
    (NaN when nobody took part). Counts are of the simulated residents (at
    ``run.population_scale`` < 1, a sample).
    """
    cfg = result.settings
    spent = result.model.staff.spent
    hour = float(cfg.administration.hour_cost_eur)
    s = result.summary
    staff_hours = float(s["staff_hours"])
    implementation = float(spent.get("implementation", 0.0))
    took_part = int(result.model.population.ever_participated.sum())
    participations = int(result.cycles["participants"].sum()) if len(result.cycles) else 0
    delivered = int(result.projects["month_delivered"].notna().sum())  # the council's projects too
    out: dict[str, float] = {
        "staff_cost_eur": staff_hours * hour,
        "total_cost_eur": staff_hours * hour + float(s["budget_spent"]),
        "residents_hours": participations * float(cfg.design.participant_hours) + float(s["citizen_hours"]),
        "residents_took_part": float(took_part),
        "cost_per_participant_eur": (staff_hours - implementation) * hour / took_part if took_part else np.nan,
        "cost_per_project_eur": ((float(s["budget_spent"]) + implementation * hour) / delivered
                                 if delivered else np.nan),
    }
    g = result.groups
    g = g[g["dimension"].isin(WHO_DIMENSIONS)]
    totals = g.groupby(["dimension", "group"], sort=False, observed=True)[["population", "participants"]].sum()
    for dimension in WHO_DIMENSIONS:
        if dimension not in totals.index.get_level_values(0):
            continue
        t = totals.loc[dimension]
        part, pop = t["participants"].to_numpy(float), t["population"].to_numpy(float)
        ratio = (part / part.sum()) / (pop / pop.sum()) if part.sum() > 0 else np.full(len(t), np.nan)
        out.update({_who_column(dimension, str(group)): float(r) for group, r in zip(t.index, ratio, strict=True)})
    return out


def _interval(d: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % t-interval of the mean of ``d`` (NaN bounds for fewer than two values)."""
    if d.size == 0:
        return np.nan, np.nan, np.nan
    lo, hi = plots.t_interval(d) if d.size > 1 else (np.nan, np.nan)
    return float(d.mean()), float(lo), float(hi)


def verdicts(runs: pd.DataFrame, baseline: str, outcomes: Sequence[str] = OUTCOMES,
             thresholds: Mapping[str, float] | None = None, by: str = "design",
             pair: str | Sequence[str] | None = None, lower_is_better: Sequence[str] = ()) -> pd.DataFrame:
    """Each condition against ``baseline`` on runs paired by ``pair``: difference, interval, verdict.

    ``pair`` names the column(s) that match runs across conditions; by default ``replicate``,
    and ``(draw, replicate)`` for a comparison over posterior draws (a ``draw`` column).

    One row per condition and outcome: ``difference`` (mean paired difference; percentage
    points for :data:`PERCENT`), ``ci_low``/``ci_high`` (its 95 % t-interval), ``n``,
    ``threshold`` (from ``thresholds``, else :data:`THRESHOLDS`), ``verdict`` and ``reason`` (a
    code; ``texts.phrase("reason_" + reason, lang)`` says it in words):

    * "better" / "worse" (reason ``clear``): |difference| >= threshold and the interval excludes
      zero (higher is better unless the outcome is in ``lower_is_better``);
    * "no clear difference", reason ``below_threshold``, ``interval_holds_zero``, or ``too_few_runs``
      (a difference of at least the threshold on a single pair of runs: one run has no interval);
    * "not comparable" (``baseline_has_none``): an outcome of :data:`PARTICIPATION_OUTCOMES`
      against a baseline whose runs all have it 0 (no participation has no turnout).

    Raises ``KeyError`` naming an outcome without a threshold, ``ValueError`` when the baseline
    has no runs or shares no ``pair`` with a condition.
    """
    limits = {**THRESHOLDS, **(thresholds or {})}
    missing = [o for o in outcomes if o not in limits]
    if missing:
        raise KeyError(f"no threshold for outcome(s) {missing}; pass thresholds={{'{missing[0]}': ...}}")
    bad = {o: v for o, v in limits.items() if not (np.isfinite(v) and v >= 0)}
    if bad:
        raise ValueError(f"thresholds must be finite and >= 0; got {bad}")
    if pair is None:
        pair = ["draw", "replicate"] if "draw" in runs.columns else ["replicate"]
    pair = [pair] if isinstance(pair, str) else list(pair)
    base = runs[runs[by] == baseline].set_index(pair)
    if base.empty:
        raise ValueError(f"no runs of the baseline {by}={baseline!r}; {by}s: {sorted(runs[by].unique())}")
    rows = []
    for cond, g in runs[runs[by] != baseline].groupby(by, sort=False, observed=True):
        g = g.set_index(pair)
        common = g.index.intersection(base.index)
        if common.empty:
            raise ValueError(f"{by}={cond!r} shares no {pair} with the baseline {baseline!r}")
        for o in outcomes:
            scale = 100.0 if o in PERCENT else 1.0
            d = (g.loc[common, o].astype(float) - base.loc[common, o].astype(float)).to_numpy() * scale
            mean, lo, hi = _interval(d)
            if o in PARTICIPATION_OUTCOMES and np.all(base.loc[common, o].astype(float) == 0):
                verdict, reason = "not comparable", "baseline_has_none"
            elif abs(mean) < limits[o]:
                verdict, reason = "no clear difference", "below_threshold"
            elif d.size < 2:  # one pair of runs: no interval
                verdict, reason = "no clear difference", "too_few_runs"
            elif not (lo > 0 or hi < 0):  # the interval holds zero (or is undefined)
                verdict, reason = "no clear difference", "interval_holds_zero"
            else:
                verdict = "better" if (lo > 0) != (o in lower_is_better) else "worse"
                reason = "clear"
            rows.append({by: cond, "outcome": o, "difference": mean, "ci_low": lo, "ci_high": hi, "n": int(d.size),
                         "threshold": float(limits[o]), "verdict": verdict, "reason": reason})
    return pd.DataFrame(rows)


#: The verdicts in the order the plain-words table lists them.
VERDICTS: tuple[str, ...] = ("better", "worse", "no clear difference", "not comparable")


def plain_words(table: pd.DataFrame, lang: str = "en", by: str = "design") -> pd.DataFrame:
    """The verdicts as a table in words: one row per design, one column per verdict, outcome names in cells."""
    rows = {}
    for cond, g in table.groupby(by, sort=False, observed=True):
        row = {}
        for v in VERDICTS:
            names = [texts.label(o, lang).split(" (")[0] for o in g.loc[g["verdict"] == v, "outcome"]]
            row[verdict_word(v, lang)] = ", ".join(names) or "-"
        rows[texts.name_or_key(by, cond, lang)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = texts.phrase("design_word", lang)
    return out


#: sim.experiments.uncertainty.robust_verdicts' verdicts -> texts phrase keys.
ROBUST_PHRASES = {"better (holds)": "robust_better", "worse (holds)": "robust_worse",
                  "no clear difference (holds)": "robust_same",
                  "uncertain: depends on the assumptions": "robust_uncertain"}


def robust_words(runs: pd.DataFrame, baseline: str, lang: str = "en", by: str = "design",
                 threshold: float = 0.9, thresholds: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Which conclusions hold under the calibration's uncertainty, in words.

    ``runs`` is a posterior comparison (``sim.compare(..., posterior=, draws=)``, matched on draw and
    replicate). One row per design (in words), one column per outcome (turnout and
    representativeness left out: no participation has none); each cell says whether the design
    does better or worse than ``baseline`` by at least the threshold of what matters (the one
    :func:`verdicts` uses: :data:`THRESHOLDS`, or ``thresholds``) in at least ``threshold`` of the
    matched runs ("holds"), makes no difference that matters in as many ("no clear difference,
    holds"), or neither ("depends on the assumptions"), with the share of matched runs in which
    it does better by at least the threshold.
    """
    outcomes = [o for o in OUTCOMES if o not in PARTICIPATION_OUTCOMES]
    limits = {**THRESHOLDS, **(thresholds or {})}
    margins = {o: limits[o] / (100.0 if o in PERCENT else 1.0) for o in outcomes}  # in the columns' own units
    table = robust_verdicts(runs, baseline, outcomes, by=by, threshold=threshold, margins=margins)
    rows = {}
    for cond, g in table.groupby(by, sort=False):
        g = g.set_index("outcome")
        rows[texts.name_or_key(by, cond, lang)] = {
            texts.label(o, lang).split(" (")[0]:
                f"{texts.phrase(ROBUST_PHRASES[g.loc[o, 'verdict']], lang)} "
                f"({texts.number(100 * g.loc[o, 'p_better'], lang)} %)" for o in outcomes}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = texts.phrase("design_word", lang)
    return out


def costs(runs: pd.DataFrame, by: str = "design") -> pd.DataFrame:
    """Per condition and cost column of :data:`COSTS`: n, mean and the 95 % bootstrap interval of the mean.

    The interval is :func:`sim.plots.bootstrap_interval` (as :func:`sim.plots.interval_table` gives it for
    every cost): it never leaves the range of the runs' costs, so
    never goes below zero.
    """
    missing = [c for c in COSTS if c not in runs.columns]
    if missing:
        raise KeyError(f"runs lack cost column(s) {missing}: "
                       "run sim.compare(..., measure=sim.experiments.answers.measure)")
    return plots.interval_table(runs, COSTS, by, percent=False)


def who_takes_part(runs: pd.DataFrame, by: str = "design") -> pd.DataFrame:
    """Per condition, dimension and group: the representation ratio's mean and 95 % interval.

    Groups come in their natural order (education low, middle, high; age by age). A condition
    whose runs never had a participant gives NaN.
    """
    cols = [c for c in runs.columns if c.startswith("who:")]
    if not cols:
        raise KeyError("runs have no who:<dimension>:<group> columns: run sim.compare(..., "
                       "measure=sim.experiments.answers.measure)")
    rows = []
    for cond, g in runs.groupby(by, sort=False, observed=True):
        for c in cols:
            _, dimension, group = c.split(":", 2)
            x = g[c].astype(float).to_numpy()
            x = x[np.isfinite(x)]
            mean, lo, hi = _interval(x)
            rows.append({by: cond, "dimension": dimension, "group": group, "ratio": mean, "ci_low": lo,
                         "ci_high": hi, "n": int(x.size)})
    out = pd.DataFrame(rows)
    order = {(d, grp): i for d, groups in GROUP_ORDER.items() for i, grp in enumerate(groups)}
    out["_c"] = out[by].map({c: i for i, c in enumerate(dict.fromkeys(runs[by]))})
    out["_d"] = out["dimension"].map({d: i for i, d in enumerate(WHO_DIMENSIONS)})
    out["_o"] = [order.get((d, grp), len(order)) for d, grp in zip(out["dimension"], out["group"], strict=True)]
    return out.sort_values(["_c", "_d", "_o"], kind="stable").drop(columns=["_c", "_d", "_o"]).reset_index(drop=True)


def group_name(dimension: str, group: str, lang: str = "en") -> str:
    """A group in words: "education low" for an ordinal level, the group's own name where it says it all."""
    words = texts.name_or_key("group", group, lang)
    if dimension in ("education",):
        return f"{texts.name('dimension', dimension, lang)}: {words}"
    return words


def left_out(table: pd.DataFrame, below: float = LEFT_OUT, by: str = "design",
             skip: Sequence[tuple[str, str]] = (("age", "0-17"),)) -> pd.DataFrame:
    """Groups whose mean representation ratio (from :func:`who_takes_part`) is below ``below``.

    ``skip`` leaves out groups that a design excludes by rule rather than by who comes (most
    children are below every design's minimum age).
    """
    t = table[~pd.Series(list(zip(table["dimension"], table["group"], strict=True)), index=table.index).isin(
        list(skip))]
    return t[t["ratio"] < below].reset_index(drop=True)


def interval_words(mean: float, low: float, high: float, lang: str = "en", decimals: int = 2,
                   signed: bool = False) -> str:
    """A mean and its interval as ``lang`` writes them: "0.35 [0.30, 0.40]" / "0,35 [0,30; 0,40]" ("-" for none)."""
    head = texts.number(mean, lang, decimals, signed=signed)
    if low != low or high != high:
        return head
    sep = "; " if lang == "nl" else ", "
    return f"{head} [{texts.number(low, lang, decimals, signed=signed)}{sep}" \
           f"{texts.number(high, lang, decimals, signed=signed)}]"


def decimals(outcome: str) -> int:
    """The decimals a value or a difference of ``outcome`` is written with in tables: one for percent and
    percentage points (:data:`PERCENT`), none for costs, hours and counts of residents (:data:`COSTS`), two
    for an index from 0 to 1 and the rest."""
    return 1 if outcome in PERCENT else 0 if outcome in COSTS else 2


def verdict_word(verdict: str, lang: str = "en") -> str:
    """A verdict of :func:`verdicts` ("better", "no clear difference", ...) in ``lang``."""
    return texts.phrase(f"verdict_{verdict.replace(' ', '_')}", lang)


def verdict_words(table: pd.DataFrame, lang: str = "en", by: str = "design") -> pd.DataFrame:
    """A table of :func:`verdicts` in words, one row per condition and outcome: the condition (design presets
    named), the outcome's label, the difference with its 95 % interval as ``lang`` writes numbers ("–" where
    the outcomes are not comparable), the verdict and why."""
    return pd.DataFrame({
        plots.column_name(by, lang): [texts.name_or_key(by, c, lang) for c in table[by]],
        texts.phrase("outcome_word", lang): [plots.label(o, lang) for o in table["outcome"]],
        texts.phrase("difference_word", lang): [
            "\u2013" if r.verdict == "not comparable" else
            interval_words(r.difference, r.ci_low, r.ci_high, lang, decimals(r.outcome), signed=True)
            for r in table.itertuples()],
        texts.phrase("verdict_word", lang): [verdict_word(v, lang) for v in table["verdict"]],
        texts.phrase("reason_word", lang): [texts.phrase(f"reason_{r}", lang) for r in table["reason"]],
    })


def scale_words(scenario: str, residents: int, scale: float, replicates: int, seed: int, lang: str = "en") -> str:
    """What was simulated, in one line a notebook prints under its title: every resident of ``scenario`` (of
    ``residents``), or, with a ``scale`` below 1, a warning in capitals that counts and hours are those of the
    simulated part only and that budgets are not scaled down with it."""
    simulated = round(residents * scale)
    return texts.phrase("nb_every_resident" if simulated == residents else "nb_scaled_down", lang,
                        simulated=texts.number(simulated, lang), residents=texts.number(residents, lang),
                        place=texts.name_or_key("scenario", scenario, lang),
                        share=texts.number(100 * simulated / residents, lang), replicates=replicates, seed=seed)


def input_value(key: str, value: object, lang: str = "en") -> str:
    """A scenario input's value (``scenario.<key>``) in words and numbers as ``lang`` writes them."""
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, float) for v in value):
            return "; ".join(texts.number(100 * float(v), lang, 1) + " %" for v in value)
        return ", ".join(str(v) for v in value)
    if key.endswith("_eur"):
        return "EUR " + texts.number(float(value), lang)  # type: ignore[arg-type]
    if key.startswith("initial_") or key.endswith("_share"):
        return texts.number(100 * float(value), lang, 0) + " %"  # type: ignore[arg-type]
    if isinstance(value, float):
        return texts.number(value, lang, 2)
    return texts.number(value, lang) if isinstance(value, int) else str(value)


def inputs(config: Config, preset: str, given: Sequence[str] = (), lang: str = "en",
           source_file: str | None = None) -> pd.DataFrame:
    """Every number of the municipality of ``config``: its value, status and source, in words (``lang``).

    ``preset`` is the scenario preset it was built on (``generic`` for a municipality file), ``given``
    the keys a municipality file (``source_file``) set. The status comes from the presets' comments
    and the schema (:mod:`sim.config.provenance`): published, proxy, assumed, or from the file; the
    source is their English note in ``lang`` (:func:`sim.texts.source_note`).
    Columns: key, status (the codes) and input, value, status_words, source (the words).
    """
    s = config.scenario
    rows = []
    for i in provenance.scenario_inputs(preset, given=given):
        note = texts.source_note(i.note, lang) or (texts.phrase("input_from_file", lang, file=source_file or "")
                                                   if i.status == "given" else "")
        rows.append({"key": i.key, "status": i.status, "input": texts.phrase("input_" + i.key, lang),
                     "value": input_value(i.key, getattr(s, i.key), lang),
                     "status_words": texts.phrase("status_" + i.status, lang), "source": note})
    return pd.DataFrame(rows)
