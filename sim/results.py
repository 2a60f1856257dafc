"""Tidy results of a finished model: time series, one-row summary, participation by group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import model_seed
from sim.model import TIMESERIES_COLUMNS, CoproductionModel
from sim.outcomes import DIMENSIONS, group_labels

#: Summary columns that are the final value of a time-series column.
FINAL_STATE = (
    "trust_citizens", "efficacy_citizens", "fear_citizens", "awareness_citizens", "habit_citizens",
    "trust_participants", "trust_administration", "fear_complexity_administration",
    "fear_failure_administration", "fear_self_interest_administration", "trust_council",
    "fear_self_interest_council", "commitment_council", "legitimacy", "legitimacy_input",
    "legitimacy_throughput", "legitimacy_output", "legitimacy_council", "service_quality",
    "service_quality_equity",
)
#: Summary columns that are totals over the run.
TOTALS = ("proposals_submitted", "proposals_adopted", "proposals_implemented", "decisions_reopened",
          "projects_late", "staff_hours", "budget_spent", "citizen_hours")


def timeseries(model: CoproductionModel) -> pd.DataFrame:
    """One row per step: every model reporter, with ``step`` (1-based month count)."""
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(0, "step", np.arange(1, len(df) + 1))
    return df[["step", *TIMESERIES_COLUMNS]]


def summary(model: CoproductionModel, ts: pd.DataFrame | None = None) -> pd.Series:
    """One row of outcomes for the run (see docs/model.md, Outcomes for each definition)."""
    ts = timeseries(model) if ts is None else ts
    n = model.population.size
    cycles = model.all_cycles()
    last = ts.iloc[-1]
    out: dict[str, object] = {
        "scenario": model.config.scenario.name,
        "design": model.config.design.name,
        "seed": model_seed(model.config),
        "root_seed": model.config.seed,
        "replicate": model.config.replicate,
        "steps": len(ts),
        "population": n,
        "eligible": model.n_eligible,
        "cycles": len(cycles),
    }
    turnouts = np.array([c.participants / n for c in cycles])
    out["turnout"] = float(turnouts.mean()) if cycles else 0.0
    out["turnout_eligible"] = float(np.mean([c.participants_eligible_share for c in cycles])) if cycles else 0.0
    out["turnout_first_cycle"] = float(turnouts[0]) if cycles else 0.0
    out["turnout_last_cycle"] = float(turnouts[-1]) if cycles else 0.0
    election = model.config.scenario.next_election_month
    after = [c.participants / n for c in cycles if c.start >= election]
    # 0 when no cycle starts after an election within the horizon (documented in docs/model.md, Outcomes)
    out["turnout_after_election"] = float(after[0]) if after else 0.0
    reps = [c.representativeness for c in cycles if c.participants]
    out["representativeness"] = float(np.mean(reps)) if reps else 0.0
    biases = [c.education_bias for c in cycles if c.participants]
    out["education_bias"] = float(np.mean(biases)) if biases else 1.0
    # cycles that reached a decision, after the first of them (abandoned or running cycles
    # have no repeat record)
    decided = [c for c in cycles if c.extra.get("decided")]
    repeats = [c.repeat_share for c in decided[1:] if c.participants]
    out["repeat_participation"] = float(np.mean(repeats)) if repeats else 0.0
    gis = [c.general_interest_share for c in cycles if c.submitted]
    out["general_interest_share"] = float(np.mean(gis)) if gis else 0.0
    out["general_interest_share_last"] = float(gis[-1]) if gis else 0.0
    for col in FINAL_STATE:
        out[col] = float(last[col])
    for col in TOTALS:
        out[col] = float(last[col]) if col in ("staff_hours", "budget_spent", "citizen_hours") else int(last[col])
    out["trust_citizens_mean"] = float(ts["trust_citizens"].mean())
    out["legitimacy_throughput_mean"] = float(ts["legitimacy_throughput"].mean())
    out["service_quality_mean"] = float(ts["service_quality"].mean())
    return pd.Series(out)


def groups(model: CoproductionModel) -> pd.DataFrame:
    """Tidy participation by group: step, dimension, group, population, participants."""
    labels = group_labels(list(model.config.scenario.neighbourhoods))
    dims, names = [], []
    for d in DIMENSIONS:
        dims += [d] * len(labels[d])
        names += list(labels[d])
    if not model.group_records:
        return pd.DataFrame(columns=["step", "dimension", "group", "population", "participants"])
    steps = np.array([s for s, _ in model.group_records])
    counts = np.stack([c for _, c in model.group_records])  # steps x 2 x groups
    g = len(names)
    return pd.DataFrame({
        "step": np.repeat(steps, g),
        "dimension": pd.Categorical(np.tile(dims, steps.size), categories=list(DIMENSIONS)),
        "group": np.tile(names, steps.size),
        "population": counts[:, 0, :].ravel(),
        "participants": counts[:, 1, :].ravel(),
    })
