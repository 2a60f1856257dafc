"""Tidy results of a finished model: time series, one-row summary, participation by group,
the project ledger and the cycle table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.schema import model_seed
from sim.model.model import RESULTS, TIMESERIES_COLUMNS, CoproductionModel
from sim.model.outcomes import DIMENSIONS, group_labels
from sim.model.processes.projects import LEDGER_COLUMNS

#: The type of each column of the cycle table (``res.cycles``), in order.
CYCLE_TYPES = {"cycle": "int64", "start": "int64", "participants": "int64", "eligible_share": "float64",
               "representativeness": "float64", "education_bias": "float64", "repeat_share": "float64",
               "promised_share": "float64", "letters": "int64", "volunteers": "int64", "ballots": "int64",
               "submitted": "int64", "screened_in": "int64", "adopted": "int64", "general_interest_share": "float64",
               "decided": "bool", "abandoned": "bool", "running": "bool"}
#: Columns of the cycle table, in order.
CYCLE_COLUMNS = tuple(CYCLE_TYPES)
#: The attribute of a cycle's record that gives each column of the cycle table, but its flags (``extra``).
_CYCLE_ATTRIBUTES = {"cycle": "index", "start": "start", "participants": "participants",
                     "eligible_share": "participants_eligible_share", "representativeness": "representativeness",
                     "education_bias": "education_bias", "repeat_share": "repeat_share", "promised_share": "expected",
                     "letters": "letters", "volunteers": "volunteers", "ballots": "ballots", "submitted": "submitted",
                     "screened_in": "screened_in", "adopted": "adopted",
                     "general_interest_share": "general_interest_share"}

#: Columns of participation by group (``res.groups``), in order.
GROUP_COLUMNS = ("step", "dimension", "group", "population", "participants")

#: The summary's columns that say which run it is; its other columns are the outcomes
#: (:func:`sim.config.keys.outcome_names`, which tests/config/test_compose.py checks against a run's summary).
IDENTITY = ("scenario", "design", "seed", "root_seed", "replicate", "steps")

#: Residents' trust, efficacy and fear lead the summary's final states (their place since the
#: summary's first version, which stored tables keep); the other final states follow in the order
#: of the time series.
_LEADING = ("trust_citizens", "efficacy_citizens", "fear_citizens")
#: Summary columns that are the final value of a result (declared with ``summary="final"``).
FINAL_STATE: tuple[str, ...] = (*_LEADING,
                                *(r.name for r in RESULTS if r.summary == "final" and r.name not in _LEADING))
#: Summary columns that are totals over the run (declared with ``summary="total"``).
TOTALS: tuple[str, ...] = tuple(r.name for r in RESULTS if r.summary == "total")


def timeseries(model: CoproductionModel) -> pd.DataFrame:
    """One row per step: every model reporter, with ``step`` (1-based month count)."""
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(0, "step", np.arange(1, len(df) + 1))
    return df[["step", *TIMESERIES_COLUMNS]]


def summary(model: CoproductionModel, ts: pd.DataFrame | None = None) -> pd.Series:
    """One row of outcomes for the run (see docs/model.md, Outcomes for each definition)."""
    ts = timeseries(model) if ts is None else ts
    out = cycle_summary(model)
    out["steps"] = len(ts)
    last = ts.iloc[-1]
    for col in FINAL_STATE:
        out[col] = float(last[col])
    for col in TOTALS:
        # counts stay whole numbers, hours and euros floats: as the time series holds them
        out[col] = int(last[col]) if pd.api.types.is_integer_dtype(ts[col]) else float(last[col])
    out["trust_citizens_mean"] = float(ts["trust_citizens"].mean())
    out["legitimacy_throughput_mean"] = float(ts["legitimacy_throughput"].mean())
    out["service_quality_mean"] = float(ts["service_quality"].mean())
    return pd.Series(out)


def cycle_summary(model: CoproductionModel) -> dict[str, object]:
    """The summary's first columns: the run's identity and what its cycles measure (turnout,
    representativeness, repeat participation, general-interest share), which need no time series."""
    n = model.population.size
    cycles = model.all_cycles()
    out: dict[str, object] = {
        "scenario": model.config.scenario.name,
        "design": model.config.design.name,
        "seed": model_seed(model.config),
        "root_seed": model.config.seed,
        "replicate": model.config.replicate,
        "steps": model.month + 1,  # the months run: one row of the time series each
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
    return out


def groups(model: CoproductionModel) -> pd.DataFrame:
    """Tidy participation by group: step, dimension, group, population, participants."""
    labels = group_labels(list(model.config.scenario.neighbourhoods))
    dims, names = [], []
    for d in DIMENSIONS:
        dims += [d] * len(labels[d])
        names += list(labels[d])
    if not model.group_records:
        return pd.DataFrame(columns=list(GROUP_COLUMNS))
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


def projects(model: CoproductionModel) -> pd.DataFrame:
    """The project ledger: one row per proposal of every decided cycle and per project the council funded
    on its own priorities (``origin``: residents or council; docs/model.md, Outcomes).

    Months are the model's month index (the time series' ``month``; its ``step`` is month + 1);
    a missing value means "not applicable" (``votes``, ``own_neighbourhood_votes`` -- approvals
    from voters of the proposal's own neighbourhood -- and ``funded`` without a ballot,
    ``month_adopted`` and ``month_due`` for proposals not adopted; ``author``, ``general_interest``,
    ``risk`` and ``screened_in`` of the council's projects) or "not yet"
    (``month_delivered`` and ``cost_final`` of a project not delivered within the horizon;
    ``theme`` where proposals carry no theme).
    """
    names = list(model.config.scenario.neighbourhoods)
    df = pd.DataFrame(model.projects.ledger(), columns=list(LEDGER_COLUMNS))
    df["neighbourhood"] = [names[i] for i in df["neighbourhood"]]
    types = {"origin": "str", "cycle": "int64", "proposal": "int64", "neighbourhood": "str", "theme": "Int64",
             "author": "Int64", "cost": "float64", "general_interest": "float64", "risk": "float64",
             "screened_in": "boolean",
             "votes": "Int64", "own_neighbourhood_votes": "Int64", "funded": "boolean", "adopted": "bool",
             "month_adopted": "Int64", "month_due": "Int64", "month_delivered": "Int64", "cost_final": "float64",
             "late": "bool", "reopened": "bool", "abandoned": "bool", "coproduced": "float64", "coassessed": "bool"}
    if set(types) != set(LEDGER_COLUMNS):  # pragma: no cover - a wiring error
        raise RuntimeError(f"ledger columns without a type: {set(LEDGER_COLUMNS) ^ set(types)}")
    return df.astype(types)


def cycles(model: CoproductionModel) -> pd.DataFrame:
    """The cycle table: one row per participation cycle (closed ones, and the running one if
    anyone took part in it, marked ``running``), as the summary counts them.

    Made column by column in its types (:data:`CYCLE_TYPES`): the same table made from records and
    then converted took about 3 ms, as long as a month of Geel, and a calibration particle makes three.
    """
    records = model.all_cycles()
    columns = {name: [getattr(c, attr) for c in records] for name, attr in _CYCLE_ATTRIBUTES.items()}
    for flag in ("decided", "abandoned", "running"):
        columns[flag] = [bool(c.extra.get(flag, False)) for c in records]
    return pd.DataFrame({name: np.array(columns[name], dtype=CYCLE_TYPES[name]) for name in CYCLE_COLUMNS})
