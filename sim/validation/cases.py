"""Municipalities differ for reasons: the model predicts the turnout of real participatory budgets.

Issue 17, point 5. ``docs/data/pb_cases.csv`` (notes: ``docs/evidence/pb_cases.md``) lists real
participatory budgets with their residents, minimum voting age, budget, voting channels, campaign
effort, personal invitations and turnout. Each complete row becomes a run of the ``generic``
scenario with the ``participatory_budget`` design (:func:`case_overrides`): the model itself, not a
regression, turns a case's characteristics into a turnout. Two parameters are free:

- ``citizens.base_propensity`` (b), the intercept of the participation logit (calibrated on Geel;
  its prior in the schema is (-9, -5));
- c1, the effect of the campaign: ``design.inform_intensity = C0 + c1 * campaign_code / 2``.

Every case is run once on a grid over (b, c1) (:func:`run_grid`, cached in
``docs/validation/cases_grid.parquet`` so that a rerun recomputes only points whose settings or
model code changed). Then, leaving out one whole case at a time (its rounds share design and
population), the parameters are fitted to the other cases by least squares on log turnout, with
the model's log turnout interpolated over the grid (:func:`fit_parameters`), and the held-out case
is predicted with an interval: the spread of the fits over a bootstrap of the remaining cases plus
the run-to-run spread of the model (:func:`leave_one_out`). A null model (the mean log turnout of
the other cases) is the benchmark. The fit can fail: nothing is tuned to a held-out case.

``python -m sim.validation.cases [replicates=2] [jobs=2]`` regenerates ``docs/validation/cases.md``,
``cases.csv`` and ``cases.png``/``cases.svg`` (:func:`main`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.interpolate import PchipInterpolator, make_interp_spline

from sim.workers import process_pool

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
#: The cross-case table and where the outputs go.
TABLE = ROOT / "docs" / "data" / "pb_cases.csv"
OUT = ROOT / "docs" / "validation"
GRID_CACHE = OUT / "cases_grid.parquet"

SCENARIO = "generic"
DESIGN = "participatory_budget"
#: At most this many residents are simulated (``run.population_scale`` = this / residents; outputs are shares).
MAX_SIMULATED = 40_000
#: Campaign intensity of a case coded 0 (passive information only): fixed, not fitted.
C0 = 0.4
#: The grid of the free parameters: base propensity (the schema's prior) and campaign effect (the
#: intensity of a code-2 campaign then runs from C0 - 0.3 = 0.1 to C0 + 0.6 = 1.0, the lever's top).
B_GRID: tuple[float, ...] = tuple(float(x) for x in np.round(np.linspace(-9.0, -5.0, 7), 6))
C1_GRID: tuple[float, ...] = (-0.3, 0.0, 0.3, 0.6)
#: Edition assumed where the table has NOT FOUND (a mature process; in the model turnout changes little
#: after the third edition).
DEFAULT_EDITION = 5
#: The month the first cycle opens (the preset's), and the election month: beyond every horizon.
START_MONTH = 3
NO_ELECTION = 1200
#: Root seed of the runs; replicate r runs with the seed derived from (ROOT_SEED, r).
ROOT_SEED = 0
#: Coverage of the intervals, bootstrap resamples, noise draws per resample, fine-grid resolution.
LEVEL = 0.9
BOOTSTRAP = 200
NOISE_DRAWS = 25
FINE = (161, 91)
#: Runs of a grid written to the cache between saves (an interrupted run keeps its work).
SAVE_EVERY = 60
#: Model files whose content identifies the model version of a cached run.
_MODEL_FILES = ("sim/model/**/*.py", "sim/config/*.py", "sim/api.py", "sim/results.py",
                "configs/config.yaml", "configs/scenario/*.yaml", "configs/design/*.yaml",
                "configs/structure/*.yaml")


# ---------------------------------------------------------------------------------------- the table

def _missing(value: Any) -> bool:
    """A cell the table marks as not found (``NOT FOUND``, ``NF``) or leaves empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    text = str(value).strip()
    return text == "" or text.upper().startswith("NOT FOUND") or text.upper() == "NF"


def _number(value: Any) -> float | None:
    """The number in a cell, or None when it is missing or not a plain number."""
    if _missing(value):
        return None
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def parse_age(value: Any) -> int | None:
    """Minimum voting age from the table: a leading number as given ("16 (2015 rule)" -> 16); "none ..."
    (no minimum) -> 0; a range of ages ("12-27 only": an upper limit the model has not) or NOT FOUND -> None."""
    if _missing(value):
        return None
    text = str(value).strip().lower()
    if text.startswith("none"):
        return 0
    if re.match(r"^\d+\s*-\s*\d+", text):
        return None
    match = re.match(r"^(\d+)", text)
    return int(match.group(1)) if match else None


def load_table(path: Path = TABLE) -> pd.DataFrame:
    """The cross-case table as strings, exactly as written (NOT FOUND stays a string)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def parse_cases(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed rows the model can run, and the rows left out with the reason.

    A row is used when residents, minimum age, budget, voting channel, campaign code and turnout of
    residents are all present (values the table tags as estimates count as present, as in its own
    definition of a complete row). NOT FOUND in the edition is taken as :data:`DEFAULT_EDITION`
    (``edition_found`` False); NOT FOUND in projects funded leaves the preset's mean project cost.
    Pure: no files, no runs.
    """
    used, left = [], []
    for _, r in raw.iterrows():
        reasons = []
        residents = _number(r["residents"])
        age = parse_age(r["eligible_age"])
        budget = _number(r["budget_eur"])
        code = _number(r["campaign_code"])
        turnout = _number(r["turnout_residents"])
        if residents is None:
            reasons.append("residents NOT FOUND")
        if age is None:
            reasons.append(f"minimum age not usable ({r['eligible_age']})")
        if budget is None:
            reasons.append("budget NOT FOUND")
        if _missing(r["online_only"]):
            reasons.append("voting channels NOT FOUND")
        if code is None or code not in (0, 1, 2):
            reasons.append("campaign code NOT FOUND")
        if turnout is None:
            reasons.append("turnout of residents NOT FOUND")
        if reasons or residents is None or budget is None or code is None or turnout is None:
            left.append({"case_id": r["case_id"], "year": int(r["year"]), "reason": "; ".join(reasons)})
            continue
        edition = _number(r["edition"])
        funded = _number(r["projects_funded"])
        used.append({
            "case_id": r["case_id"], "city": r["city"], "country": r["country"], "year": int(r["year"]),
            "edition": int(edition) if edition is not None else DEFAULT_EDITION,
            "edition_found": edition is not None,
            "residents": int(residents), "eligible_age": age,
            "age_none": str(r["eligible_age"]).strip().lower().startswith("none"),
            "budget_eur": float(budget), "budget_per_resident": float(budget) / float(residents),
            "projects_funded": int(funded) if funded else None,
            "online": str(r["online_only"]).strip().upper().startswith("Y"),
            "invitation": str(r["personal_invitation"]).strip().upper().startswith("Y"),
            "campaign_code": int(code), "campaign_quality": r["campaign_code_quality"],
            "voters": int(_number(r["voters"]) or 0), "turnout": float(turnout),
        })
    cases = pd.DataFrame(used)
    if len(cases):
        cases.insert(0, "row_id", [f"{c} {y}" for c, y in zip(cases["case_id"], cases["year"], strict=True)])
    return cases, pd.DataFrame(left, columns=["case_id", "year", "reason"])


# ---------------------------------------------------------------------------------------- the runs

def intensity(code: int, c1: float, c0: float = C0) -> float:
    """Campaign intensity of a case with ``campaign_code`` under campaign effect c1 (``design.inform_intensity``)."""
    value = round(c0 + c1 * code / 2.0, 6)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"inform_intensity {value} (c0={c0}, c1={c1}, code={code}) is outside [0, 1]")
    return value


def population_scale(residents: int, max_simulated: int = MAX_SIMULATED) -> float:
    """``run.population_scale`` that simulates at most ``max_simulated`` residents (1 for smaller areas)."""
    return 1.0 if residents <= max_simulated else float(f"{max_simulated / residents:.6g}")


def steps_for(edition: int, start_month: int = START_MONTH) -> int:
    """Months to run so that cycle ``edition`` has closed (each cycle lasts 12 months from ``start_month``)."""
    return start_month + 12 * edition + 1


#: The generic scenario's yearly municipal spending per resident (configs/scenario/generic.yaml, Belfius 2018).
ANNUAL_EUR_PER_RESIDENT = 1652


def case_overrides(row: Mapping[str, Any], c1: float, *, c0: float = C0,
                   max_simulated: int = MAX_SIMULATED) -> list[str]:
    """Hydra overrides that make the generic scenario's participatory budget a case (without the base
    propensity and the horizon, which :func:`run_overrides` adds).

    Residents and minimum age as published (no minimum: 0); the round's budget as the citizens' budget
    per 12-month cycle and as the year's project money; the mean project cost from budget / projects
    funded where known; online channel where voting was online only (assisted points included), else
    hybrid; a personal letter with a voting code where every eligible resident got one; the campaign
    code as the campaign's intensity; no election within the run.
    """
    budget = float(row["budget_eur"])
    out = [
        f"scenario.population={int(row['residents'])}",
        f"run.population_scale={population_scale(int(row['residents']), max_simulated)!r}",
        f"scenario.min_participation_age={int(row['eligible_age'])}",
        f"scenario.citizens_budget_eur={budget!r}",
        f"scenario.project_budget_eur={budget!r}",
        # the municipality's whole budget at the generic scenario's EUR 1,652 a resident (Belfius 2018):
        # context only (the model never reads it), but it must hold the citizens' budget (Paris: EUR 100 M)
        f"scenario.annual_budget_eur={int(row['residents']) * ANNUAL_EUR_PER_RESIDENT!r}",
        "scenario.budget_cycle_months=12",
        f"scenario.next_election_month={NO_ELECTION}",
        f"design.start_month={START_MONTH}",
        f"design.channel={'online' if row['online'] else 'hybrid'}",
        f"design.personal_invitation={'true' if row['invitation'] else 'false'}",
        f"design.inform_intensity={intensity(int(row['campaign_code']), c1, c0)!r}",
        "run.record_groups=false",
    ]
    funded = row.get("projects_funded")
    if funded is not None and not (isinstance(funded, float) and math.isnan(funded)) and funded > 0:
        out.append(f"design.mean_project_cost_eur={round(budget / float(funded), 2)!r}")
    return out


def run_overrides(overrides: Sequence[str], base_propensity: float, editions: int, replicate: int) -> list[str]:
    """A case's overrides plus the base propensity, the horizon of ``editions`` cycles and the replicate."""
    return [*overrides, f"citizens.base_propensity={round(float(base_propensity), 6)!r}",
            f"run.steps={steps_for(editions)}", f"replicate={int(replicate)}"]


def run_key(overrides: Sequence[str]) -> str:
    """Identity of a run in the cache: its settings (order-free)."""
    text = json.dumps([*sorted(overrides), f"seed={ROOT_SEED}", SCENARIO, DESIGN])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def model_version(root: Path = ROOT) -> str:
    """A fingerprint of the model's code and presets: a cached run of another version is run again."""
    digest = hashlib.sha256()
    for pattern in _MODEL_FILES:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class RunSpec:
    """One run: its overrides (with base propensity, horizon and replicate) and the editions it measures."""

    overrides: tuple[str, ...]
    editions: int
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", run_key(self.overrides))


def simulate(spec: RunSpec) -> dict[str, Any]:
    """Run the model (public API) and measure each edition's turnout: participants / all residents.

    Module-level so that worker processes can receive it. A count of 0 participants is kept (the
    log turnout then uses half a participant, see :func:`grid_frame`).
    """
    import sim  # the model (mesa, pandas) loads in the worker that runs it, not in the parent that plans

    start = time.perf_counter()
    res = sim.run_config(sim.compose_config(SCENARIO, DESIGN, ROOT_SEED, list(spec.overrides)))
    cyc = res.cycles
    population = int(res.summary["population"])
    participants = []
    for e in range(1, spec.editions + 1):
        done = cyc[(cyc["cycle"] == e) & cyc["decided"] & ~cyc["running"]]
        if done.empty:
            raise RuntimeError(f"edition {e} did not close within the run ({' '.join(spec.overrides)})")
        participants.append(int(done["participants"].iloc[0]))
    return {"key": spec.key, "overrides": " ".join(spec.overrides), "population": population,
            "participants": participants, "seconds": round(time.perf_counter() - start, 3)}


def grid_specs(cases: pd.DataFrame, b_grid: Sequence[float] = B_GRID, c1_grid: Sequence[float] = C1_GRID,
               replicates: int = 2, *, c0: float = C0, max_simulated: int = MAX_SIMULATED
               ) -> tuple[list[RunSpec], pd.DataFrame]:
    """The runs of the grid and the index that maps each (row, b, c1, replicate) to a run and its edition.

    Rows of one case with the same settings (e.g. West Begroot 2020-2022) share a run that lasts to the
    latest of their editions; a case coded 0 has the same runs for every c1. Pure.
    """
    specs: dict[str, RunSpec] = {}
    index = []
    for _, row in cases.iterrows():
        same = cases[cases["case_id"] == row["case_id"]]
        for c1 in c1_grid:
            base = case_overrides(row, c1, c0=c0, max_simulated=max_simulated)
            editions = max(int(r["edition"]) for _, r in same.iterrows()
                           if case_overrides(r, c1, c0=c0, max_simulated=max_simulated) == base)
            for b in b_grid:
                for rep in range(replicates):
                    spec = RunSpec(tuple(run_overrides(base, b, editions, rep)), editions)
                    specs.setdefault(spec.key, spec)
                    index.append({"row_id": row["row_id"], "b": float(b), "c1": float(c1), "replicate": rep,
                                  "key": spec.key, "edition": int(row["edition"])})
    return list(specs.values()), pd.DataFrame(index)


def _read_cache(path: Path | None, version: str) -> pd.DataFrame:
    if path is None or not path.exists():
        return pd.DataFrame(columns=["key", "model_version", "overrides", "population", "participants", "seconds"])
    cache = pd.read_parquet(path)
    return cache[cache["model_version"] == version].drop_duplicates("key", keep="last")


def _write_cache(path: Path | None, cache: pd.DataFrame) -> None:
    if path is None:
        return
    from sim.io import atomic_parquet  # pyarrow only where a cache is written

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_parquet(path, cache.reset_index(drop=True))


def execute(specs: Sequence[RunSpec], *, jobs: int = 2, cache_path: Path | None = GRID_CACHE,
            version: str | None = None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Run the specs not yet in the cache (of this model version), in ``jobs`` processes; returns the
    cache rows of all specs and counts of runs computed and reused."""
    version = version or model_version()
    cache = _read_cache(cache_path, version)
    have = set(cache["key"])
    todo = [s for s in specs if s.key not in have]
    log.info("%d runs: %d in the cache (model %s), %d to run in %d process(es)",
             len(specs), len(specs) - len(todo), version, len(todo), jobs)
    new: list[dict[str, Any]] = []

    def merged() -> pd.DataFrame:
        parts = [f for f in (cache, pd.DataFrame(new)) if len(f)]
        return pd.concat(parts, ignore_index=True) if parts else cache

    def keep(row: dict[str, Any]) -> None:
        new.append({**row, "model_version": version})
        if len(new) % SAVE_EVERY == 0 or len(new) == len(todo):
            _write_cache(cache_path, merged())
            log.info("%d of %d runs done", len(new), len(todo))

    if jobs > 1 and len(todo) > 1:
        with process_pool(jobs) as pool:
            for row in pool.map(simulate, todo, chunksize=4):
                keep(row)
    else:
        for spec in todo:
            keep(simulate(spec))
    cache = merged()
    wanted = {s.key for s in specs}
    return cache[cache["key"].isin(wanted)].reset_index(drop=True), {"computed": len(todo),
                                                                     "reused": len(specs) - len(todo)}


def grid_frame(index: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per (case row, b, c1, replicate) with the model's turnout and log turnout of that row's
    edition. Zero participants count as half a participant in the log (a continuity correction). Pure."""
    by_key = runs.set_index("key")
    participants = [int(by_key.at[k, "participants"][e - 1]) for k, e in zip(index["key"], index["edition"],
                                                                               strict=True)]
    population = by_key.loc[index["key"], "population"].to_numpy(dtype=float)
    out = index.copy()
    out["participants"] = participants
    out["population"] = population
    out["turnout"] = out["participants"] / population
    out["log_turnout"] = np.log(np.maximum(out["participants"], 0.5) / population)
    return out


def run_grid(cases: pd.DataFrame, *, b_grid: Sequence[float] = B_GRID, c1_grid: Sequence[float] = C1_GRID,
             replicates: int = 2, jobs: int = 2, cache_path: Path | None = GRID_CACHE, c0: float = C0,
             max_simulated: int = MAX_SIMULATED) -> tuple[pd.DataFrame, dict[str, int]]:
    """The model's turnout for every case row on the grid (cached); see :func:`grid_specs`, :func:`execute`."""
    specs, index = grid_specs(cases, b_grid, c1_grid, replicates, c0=c0, max_simulated=max_simulated)
    runs, counts = execute(specs, jobs=jobs, cache_path=cache_path)
    return grid_frame(index, runs), counts


# ---------------------------------------------------------------------------------------- the fit

@dataclass
class Surface:
    """The model's log turnout of each case row on a fine grid of (b, c1), interpolated from the run grid.

    ``mean[r, i, j]``: mean over replicates at ``b[i]``, ``c1[j]``; ``var``: the run-to-run variance of
    one run's log turnout there; ``replicates``: runs per grid point.
    """

    rows: list[str]
    b: np.ndarray
    c1: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    replicates: int


def _interpolate(x: np.ndarray, values: np.ndarray, at: np.ndarray, axis: int, shape_preserving: bool) -> np.ndarray:
    """Interpolate ``values`` along ``axis`` from the points ``x`` to ``at``: PCHIP (shape-preserving, no
    overshoot between noisy grid points) where there are at least 4 points and it is asked for, else linear."""
    if len(x) == 1:
        return np.repeat(values, len(at), axis=axis)
    if shape_preserving and len(x) >= 4:
        return PchipInterpolator(x, values, axis=axis)(at)
    return make_interp_spline(x, values, k=1, axis=axis)(at)


def build_surface(grid: pd.DataFrame, rows: Sequence[str], fine: tuple[int, int] = FINE) -> Surface:
    """Interpolate each row's mean log turnout over the run grid (tensor-product PCHIP where a direction
    has at least 4 points, else linear) and its run-to-run variance (linear) on a fine grid. Pure."""
    b_grid = np.sort(grid["b"].unique()).astype(float)
    c1_grid = np.sort(grid["c1"].unique()).astype(float)
    replicates = int(grid["replicate"].nunique())
    agg = grid.groupby(["row_id", "b", "c1"])["log_turnout"].agg(["mean", "var"]).fillna(0.0)
    full = pd.MultiIndex.from_product([list(rows), b_grid, c1_grid], names=["row_id", "b", "c1"])
    agg = agg.reindex(full)
    if agg["mean"].isna().any():
        missing = sorted(set(agg.index[agg["mean"].isna()].get_level_values(0)))
        raise ValueError(f"the grid lacks points for {missing}")
    shape = (len(rows), len(b_grid), len(c1_grid))
    b_fine = np.linspace(b_grid[0], b_grid[-1], fine[0]) if len(b_grid) > 1 else b_grid
    c1_fine = np.linspace(c1_grid[0], c1_grid[-1], fine[1]) if len(c1_grid) > 1 else c1_grid
    out = []
    for column, smooth in (("mean", True), ("var", False)):
        values = agg[column].to_numpy(dtype=float).reshape(shape)
        values = _interpolate(b_grid, values, b_fine, 1, smooth)
        out.append(_interpolate(c1_grid, values, c1_fine, 2, smooth))
    return Surface(list(rows), b_fine, c1_fine, out[0], np.maximum(out[1], 0.0), replicates)


def case_weights(cases: pd.DataFrame, counts: Mapping[str, float] | None = None) -> np.ndarray:
    """Weight of each row in the fit: each case counts ``counts[case]`` times (default 1), shared equally
    among its rows (rounds of one case are not independent evidence)."""
    n_rows = cases.groupby("case_id")["row_id"].transform("count").to_numpy(dtype=float)
    k = np.ones(len(cases)) if counts is None else np.array([float(counts.get(c, 0.0)) for c in cases["case_id"]])
    return k / n_rows


def fit_parameters(surface: Surface, y: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least squares on log turnout over the fine grid, for one or many weight vectors.

    ``weights`` of shape (rows,) or (fits, rows); returns the fine-grid indices (i, j) of the best
    (b, c1) of each fit (arrays of shape (fits,)). The fit stays inside the run grid: no extrapolation.
    """
    w = np.atleast_2d(weights)
    sq = (y[:, None, None] - surface.mean) ** 2
    sse = w @ sq.reshape(len(y), -1)
    best = np.argmin(sse, axis=1)
    i, j = np.unravel_index(best, surface.mean.shape[1:])
    return np.asarray(i), np.asarray(j)


def leave_one_out(surface: Surface, cases: pd.DataFrame, *, level: float = LEVEL, bootstrap: int = BOOTSTRAP,
                  noise_draws: int = NOISE_DRAWS, seed: int = 0) -> pd.DataFrame:
    """Predict each case from a fit to the other cases; one row per case row.

    For held-out case k: (b, c1) fitted to the other cases (:func:`fit_parameters`); the prediction is
    the model's mean log turnout there. The interval (``level``) is the spread of predictions over
    ``bootstrap`` resamples of the other cases (refitted each time) plus the run-to-run spread of one
    run (normal on the log scale, variance times 1 + 1/replicates: the observation is one realisation,
    the model's value a mean). A wider interval adds the misfit: the residual spread of the fit to the
    other cases. The null model predicts the mean log turnout of the other cases (each case once) with a
    t interval. All intervals are on the log scale, so turnout stays positive. Deterministic given ``seed``.
    """
    y = np.log(cases["turnout"].to_numpy(dtype=float))
    ids = cases["case_id"].to_numpy()
    order = list(dict.fromkeys(ids))
    case_mean = {c: float(y[ids == c].mean()) for c in order}
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    stoch = 1.0 + 1.0 / max(surface.replicates, 1)
    rows = []
    for fold, k in enumerate(order):
        others = [c for c in order if c != k]
        held = np.flatnonzero(ids == k)
        w = case_weights(cases, dict.fromkeys(others, 1.0))
        (i,), (j,) = fit_parameters(surface, y, w)
        fitted = surface.mean[:, i, j]
        resid = y - fitted
        n = len(others)
        sigma = math.sqrt(float(np.sum(w * resid**2) / np.sum(w)) * n / max(n - 2, 1))
        rng = np.random.default_rng([seed, fold])
        draw = rng.integers(0, n, size=(bootstrap, n))
        counts = [dict(zip(*np.unique(np.asarray(others)[d], return_counts=True), strict=True)) for d in draw]
        bw = np.stack([case_weights(cases, {c: float(v) for c, v in cnt.items()}) for cnt in counts])
        bi, bj = fit_parameters(surface, y, bw)
        z = rng.standard_normal((bootstrap, noise_draws))
        null = np.array([case_mean[c] for c in others])
        t = stats.t.ppf(hi_q, n - 1) * null.std(ddof=1) * math.sqrt(1 + 1 / n)
        for r in held:
            centre = surface.mean[r, bi, bj][:, None]
            sd = np.sqrt(surface.var[r, bi, bj] * stoch)[:, None]
            draws = (centre + sd * z).ravel()
            wide = (centre + np.sqrt(sd**2 + sigma**2) * z).ravel()
            lo, hi = np.exp(np.quantile(draws, [lo_q, hi_q]))
            lo_w, hi_w = np.exp(np.quantile(wide, [lo_q, hi_q]))
            obs = float(np.exp(y[r]))
            pred = float(np.exp(fitted[r]))
            rows.append({
                "row_id": cases["row_id"].iat[r], "case_id": k, "year": int(cases["year"].iat[r]),
                "edition": int(cases["edition"].iat[r]), "observed": obs, "predicted": pred,
                "lo": float(lo), "hi": float(hi), "covered": bool(lo <= obs <= hi),
                "lo_misfit": float(lo_w), "hi_misfit": float(hi_w), "covered_misfit": bool(lo_w <= obs <= hi_w),
                "null": float(np.exp(null.mean())), "null_lo": float(np.exp(null.mean() - t)),
                "null_hi": float(np.exp(null.mean() + t)),
                "null_covered": bool(np.exp(null.mean() - t) <= obs <= np.exp(null.mean() + t)),
                "log_error": float(fitted[r] - y[r]), "null_log_error": float(null.mean() - y[r]),
                "b_fit": float(surface.b[i]), "c1_fit": float(surface.c1[j]),
                "b_boot_sd": float(surface.b[bi].std()), "c1_boot_sd": float(surface.c1[bj].std()),
                "at_bound": bool(i in (0, len(surface.b) - 1) or j in (0, len(surface.c1) - 1)),
                "sigma_misfit": sigma,
            })
    return pd.DataFrame(rows)


def fit_all(surface: Surface, cases: pd.DataFrame) -> dict[str, Any]:
    """The fit to every case (what the fitted model says, not a validation): parameters and per-row fit."""
    y = np.log(cases["turnout"].to_numpy(dtype=float))
    (i,), (j,) = fit_parameters(surface, y, case_weights(cases))
    fitted = surface.mean[:, i, j]
    return {"b": float(surface.b[i]), "c1": float(surface.c1[j]), "fitted": np.exp(fitted),
            "log_error": fitted - y,
            "at_bound": bool(i in (0, len(surface.b) - 1) or j in (0, len(surface.c1) - 1))}


def summarise(pred: pd.DataFrame) -> dict[str, float]:
    """Headline numbers: coverage (rows; cases, each case once), mean absolute log error of the model
    and of the null model (each case once: the mean over its rows), the skill 1 - model/null."""
    per_case = pred.groupby("case_id").agg(
        covered=("covered", "mean"), covered_misfit=("covered_misfit", "mean"),
        null_covered=("null_covered", "mean"),
        err=("log_error", lambda s: s.abs().mean()), null_err=("null_log_error", lambda s: s.abs().mean()))
    mae, mae_null = float(per_case["err"].mean()), float(per_case["null_err"].mean())
    return {
        "cases": len(per_case), "rows": len(pred),
        "rows_covered": int(pred["covered"].sum()), "coverage_rows": float(pred["covered"].mean()),
        "coverage_cases": float(per_case["covered"].mean()),
        "coverage_misfit_cases": float(per_case["covered_misfit"].mean()),
        "coverage_null_cases": float(per_case["null_covered"].mean()),
        "mae_log": mae, "mae_log_null": mae_null, "skill": 1.0 - mae / mae_null if mae_null > 0 else float("nan"),
        "cases_better_than_null": int((per_case["err"] < per_case["null_err"]).sum()),
        "rows_at_bound": int(pred["at_bound"].sum()),
        "rmse_log": float(np.sqrt((pred.groupby("case_id")["log_error"].apply(lambda s: (s**2).mean())).mean())),
    }


# ---------------------------------------------------------------------------------------- what matters

#: The reference municipality of the counterfactuals, and one change at a time.
REFERENCE: dict[str, Any] = {"residents": 40_000, "eligible_age": 12, "budget_eur": 200_000.0, "projects_funded": None,
                             "online": False, "invitation": False, "campaign_code": 1, "edition": 6}
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "reference": ("40,000 residents, from 12, EUR 5/resident, paper and online, no letter, campaign 1", {}),
    "invitation": ("a personal letter with a voting code", {"invitation": True}),
    "online": ("online only", {"online": True}),
    "campaign 0": ("passive information only (code 0)", {"campaign_code": 0}),
    "campaign 2": ("outreach in the neighbourhoods (code 2)", {"campaign_code": 2}),
    "age 0": ("no minimum age", {"eligible_age": 0}),
    "age 18": ("from 18", {"eligible_age": 18}),
    "budget 1": ("EUR 1/resident", {"budget_eur": 40_000.0}),
    "budget 15": ("EUR 15/resident", {"budget_eur": 600_000.0}),
}


def effect_specs(b: float, c1: float, replicates: int = 4) -> tuple[list[RunSpec], pd.DataFrame]:
    """Runs of the reference municipality and its variants at the fitted (b, c1). Pure."""
    specs, index = [], []
    for name, (_, change) in VARIANTS.items():
        row = {**REFERENCE, **change}
        base = case_overrides(row, round(c1, 4))
        for rep in range(replicates):
            spec = RunSpec(tuple(run_overrides(base, round(b, 4), row["edition"], rep)), row["edition"])
            specs.append(spec)
            index.append({"variant": name, "replicate": rep, "key": spec.key})
    return specs, pd.DataFrame(index)


def effects_table(index: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Turnout by variant and edition (mean over replicates) and its ratio to the reference. Pure."""
    by_key = runs.set_index("key")
    rows = []
    for _, r in index.iterrows():
        parts = by_key.at[r["key"], "participants"]
        pop = float(by_key.at[r["key"], "population"])
        rows += [{"variant": r["variant"], "replicate": r["replicate"], "edition": e + 1, "turnout": p / pop}
                 for e, p in enumerate(parts)]
    long = pd.DataFrame(rows)
    table = long.groupby(["variant", "edition"])["turnout"].agg(["mean", "min", "max"]).reset_index()
    ref = table[table["variant"] == "reference"].set_index("edition")["mean"]
    table["ratio"] = table["mean"] / table["edition"].map(ref)
    return table


# ---------------------------------------------------------------------------------------- outputs

def _pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f} %"


def predictions_table(cases: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """The LOO predictions beside each row's characteristics (what cases.csv holds). Pure."""
    cols = ["row_id", "country", "edition_found", "residents", "eligible_age", "budget_per_resident", "online",
            "invitation", "campaign_code", "campaign_quality"]
    out = cases[cols].merge(pred, on="row_id")
    first = ["case_id", "year", "edition", *cols[1:]]
    return out[first + [c for c in out.columns if c not in first and c != "row_id"]]


def _group_bias(table: pd.DataFrame, column: str) -> list[tuple[str, float, int]]:
    """Mean log error (model minus observed) by a characteristic: the mean over a case's rounds with that value,
    then over cases (a case whose rounds differ, e.g. a letter from its third round, counts in both groups)."""
    per_case = table.groupby([column, "case_id"])["log_error"].mean().reset_index()
    out = []
    for v, g in per_case.groupby(column):
        name = ("yes" if v else "no") if isinstance(v, bool | np.bool_) else str(v)
        out.append((name, float(g["log_error"].mean()), len(g)))
    return out


def _versus_null(summary: Mapping[str, float]) -> str:
    """How the model's error compares with the null model's, in words."""
    if abs(summary["skill"]) < 0.05:
        return ("the model predicts **no better** than the average of the other cases (the errors differ by less "
                "than 5 %)")
    if summary["skill"] < 0:
        return (f"the model predicts **worse** than the average of the other cases (its error is "
                f"{-100 * summary['skill']:.0f} % larger)")
    return f"the model's error is {100 * summary['skill']:.0f} % smaller"


#: Characteristics of the counterfactual table, as the reading names them.
_EFFECT_NAMES = {"invitation": "a personal letter with a voting code", "online": "online-only voting",
                 "campaign 0": "passive information (code 0)", "campaign 2": "outreach in the neighbourhoods (code 2)",
                 "age 0": "no minimum age", "age 18": "a minimum age of 18", "budget 1": "EUR 1 per resident",
                 "budget 15": "EUR 15 per resident"}


def reading(table: pd.DataFrame, summary: Mapping[str, float], full: Mapping[str, Any],
            effects: pd.DataFrame | None) -> list[str]:
    """A short plain-language reading of the results, written from the numbers (so that a rerun on a
    revised model rewrites it)."""
    lines = [
        f"- **Against the null model.** Predicting each case from the others, the model's mean absolute log error "
        f"is {summary['mae_log']:.2f} (a typical factor of {math.exp(summary['mae_log']):.2f}), the null model's "
        f"(the mean of the other cases) {summary['mae_log_null']:.2f} "
        f"(factor {math.exp(summary['mae_log_null']):.2f}): {_versus_null(summary)}; it is closer than the null "
        f"model on {summary['cases_better_than_null']} of {summary['cases']} cases.",
        f"- **Intervals.** {summary['rows_covered']} of {summary['rows']} rounds "
        f"({_pct(summary['coverage_cases'], 0)} of cases, each case once) fall inside the {int(100 * LEVEL)} % "
        "interval made of parameter and run-to-run uncertainty: far fewer than 90 % would mean that the cases "
        "differ for reasons the model does not have. Adding the misfit left by the fit to the other cases "
        f"covers {_pct(summary['coverage_misfit_cases'], 0)} (the null model's t interval: "
        f"{_pct(summary['coverage_null_cases'], 0)}).",
    ]
    if effects is not None and len(effects):
        first = effects[effects["edition"] == 1].set_index("variant")
        later = effects[effects["edition"] == 4].set_index("variant")
        ref1 = first.at["reference", "mean"]
        size = {v: float(first.at[v, "ratio"]) for v in _EFFECT_NAMES}
        large = [v for v in _EFFECT_NAMES if abs(math.log(size[v])) >= math.log(1.2)]
        small = [v for v in _EFFECT_NAMES if v not in large]
        text = "; ".join(f"{_EFFECT_NAMES[v]} x{size[v]:.2f}" for v in large) or "none"
        rest = max((abs(size[v] - 1) for v in small), default=0.0)
        lines.append(
            f"- **What explains the differences, according to the fitted model** (all {summary['cases']} cases: "
            f"b = {full['b']:.2f}, c1 = {full['c1']:.2f}; a reference municipality of 40,000 with turnout "
            f"{_pct(ref1)} in its first edition, one characteristic changed at a time, table below). Characteristics "
            f"that move turnout by more than a factor 1.2: {text}. All others move it by at most "
            f"{100 * rest:.0f} %: " + "; ".join(f"{_EFFECT_NAMES[v]} x{size[v]:.2f}" for v in small)
            + f". Over editions the reference's turnout rises: x{later.at['reference', 'mean'] / ref1:.2f} by the "
            "fourth.")
    per_case = table.groupby("case_id").agg(e=("log_error", "mean"), obs=("observed", "mean"),
                                            pred=("predicted", "mean"), lo=("observed", lambda s: np.log(s).mean()),
                                            lp=("predicted", lambda s: np.log(s).mean()))
    corr = float(np.corrcoef(per_case["lo"], per_case["lp"])[0, 1]) if len(per_case) > 2 else float("nan")
    lines.append(
        f"- **Spread.** Observed turnout runs from {_pct(table['observed'].min())} to {_pct(table['observed'].max())} "
        f"(sd of log turnout across cases {per_case['lo'].std():.2f}); the held-out predictions from "
        f"{_pct(table['predicted'].min())} to {_pct(table['predicted'].max())} (sd {per_case['lp'].std():.2f}); "
        f"correlation of predicted and observed log turnout across cases {corr:.2f}.")
    trends = []
    for case, g in table.groupby("case_id"):
        if len(g) > 1:
            g = g.sort_values("edition")
            trends.append(f"{case} editions {g['edition'].iat[0]}-{g['edition'].iat[-1]}: observed "
                          f"x{g['observed'].iat[-1] / g['observed'].iat[0]:.2f}, model "
                          f"x{g['predicted'].iat[-1] / g['predicted'].iat[0]:.2f}")
    if trends:
        lines.append("- **Over editions** (first to last round of a case; rounds can also differ in rules and "
                     "budget): " + "; ".join(trends) + ".")
    for column, label in (("invitation", "personal letter"), ("online", "online only"),
                          ("country", "country"), ("campaign_code", "campaign code")):
        parts = [f"{v}: {b:+.2f} ({n} case{'s' if n != 1 else ''})" for v, b, n in _group_bias(table, column)]
        lines.append(f"- Mean log error (prediction minus observed; > 0 over-predicts) by {label}: "
                     + "; ".join(parts) + ".")
    worst = per_case.reindex(per_case["e"].abs().sort_values(ascending=False).index).head(4)
    misses = [f"{c} (observed {_pct(r['obs'])}, predicted {_pct(r['pred'])})" for c, r in worst.iterrows()]
    lines.append("- **Largest misses:** " + "; ".join(misses) + ".")
    spread = table.groupby("case_id")[["b_fit", "c1_fit"]].first()
    lines.append(f"- **Stability of the fit.** Across the {len(spread)} leave-one-out fits b runs from "
                 f"{spread['b_fit'].min():.2f} to {spread['b_fit'].max():.2f} and c1 from "
                 f"{spread['c1_fit'].min():.2f} to {spread['c1_fit'].max():.2f}"
                 + (f"; {summary['rows_at_bound']} rounds were predicted from a fit on the edge of the grid"
                    if summary["rows_at_bound"] else "") + ".")
    return lines


def markdown(table: pd.DataFrame, excluded: pd.DataFrame, summary: Mapping[str, float], full: Mapping[str, Any],
             effects: pd.DataFrame | None, meta: Mapping[str, Any]) -> str:
    """The report ``docs/validation/cases.md``. Pure."""
    lvl = int(100 * LEVEL)
    e_zeros = int(((table["campaign_code"] == 0) & (table["campaign_quality"] != "S")).sum())
    lines = [
        "# Cross-case validation: the model predicts the turnout of real participatory budgets",
        "",
        f"Generated by `{meta.get('command', 'python -m sim.validation.cases')}` (issue 17, point 5); do not edit by "
        "hand. Table and sources: [pb_cases.csv](../data/pb_cases.csv), [pb_cases.md](../evidence/pb_cases.md). "
        f"Model version {meta.get('version', '?')} ({meta.get('git', '?')}); {meta.get('runs', '?')} runs "
        f"({meta.get('computed', '?')} computed, {meta.get('reused', '?')} reused from the cache), "
        f"{meta.get('replicates', '?')} replicate seeds per grid point; "
        f"wall time of this invocation {meta.get('seconds', 0) / 60:.1f} min; the runs took "
        f"{meta.get('run_seconds', 0) / 60:.1f} min of process time when they were computed.",
        "",
        *(["**Warning: the model's files changed while the runs were made; the results may mix model versions. "
            "Rerun to recompute.**", ""] if meta.get("changed") else []),
        "## What was done",
        "",
        f"- **The cases.** {summary['rows']} rounds of {summary['cases']} participatory budgets with residents, "
        "minimum age, budget, channel, campaign code and turnout of residents (the table's complete rows); the rows "
        "left out and why are listed below.",
        f"- **Each round is a run of the model**: the `{SCENARIO}` scenario with the `{DESIGN}` design, "
        "`scenario.population` = residents (simulating at most "
        f"{MAX_SIMULATED:,} with `run.population_scale`; outputs are shares, money scales with the population), "
        "`scenario.min_participation_age` as published (\"none\": 0, no minimum), the round's budget as "
        "`scenario.citizens_budget_eur` per 12-month cycle and as `scenario.project_budget_eur`, "
        "`design.mean_project_cost_eur` = budget / projects funded where known (else the preset's EUR 15,000), "
        "`design.channel=online` where voting was online only (assisted points included), else `hybrid`, "
        "`design.personal_invitation=true` where every eligible resident got a letter with a voting code, "
        f"`design.inform_intensity` = {C0} + c1 x campaign code / 2, and no election within the run. The run lasts "
        f"until the round's edition has closed (`run.steps` = {START_MONTH} + 12 x edition + 1) and the model's "
        "turnout is that cycle's participants over all simulated residents.",
        f"- **Two free parameters**: `citizens.base_propensity` b on the grid {', '.join(f'{x:g}' for x in B_GRID)} "
        f"(the schema's prior) and the campaign effect c1 on {', '.join(f'{x:g}' for x in C1_GRID)} (a code-2 "
        "campaign then has intensity 0.1 to 1.0: c1 < 0 would say more effort goes with less turnout than the model "
        "expects). Every other parameter is the model's default.",
        "- **Leave one case out.** For each case, b and c1 are fitted to the *other* cases by least squares on log "
        "turnout (each case weighs 1, shared among its rounds), with the model's log turnout interpolated over the "
        "grid (PCHIP, fine grid 161 x 91, no extrapolation); the held-out case's rounds are then predicted. The "
        f"{lvl} % interval combines the spread of the fits over {BOOTSTRAP} bootstrap resamples of the other cases "
        "and the run-to-run spread of one run; a wider interval adds the misfit (the residual spread of the fit "
        "to the other cases). The **null model** predicts the mean log turnout of the other cases.",
        "",
        "## Results",
        "",
        f"- Cases: {summary['cases']}; rounds: {summary['rows']}.",
        f"- Rounds inside the {lvl} % interval: {summary['rows_covered']} of {summary['rows']}; share of cases "
        f"covered (each case once): {_pct(summary['coverage_cases'], 0)}; with the misfit: "
        f"{_pct(summary['coverage_misfit_cases'], 0)}; "
        f"null model's interval: {_pct(summary['coverage_null_cases'], 0)}.",
        f"- Mean absolute log error (each case once): model {summary['mae_log']:.3f}, null model "
        f"{summary['mae_log_null']:.3f}; skill 1 - model/null = {summary['skill']:+.2f}; the model is closer than the "
        f"null model on {summary['cases_better_than_null']} of {summary['cases']} cases.",
        *([f"- Sensitivity: without the rounds coded 0 for want of any described outreach (quality E; "
             f"{meta['sensitivity']['cases']} cases left), model {meta['sensitivity']['mae_log']:.3f} against null "
             f"{meta['sensitivity']['mae_log_null']:.3f}, "
             f"{_pct(meta['sensitivity']['coverage_cases'], 0)} of cases covered."] if meta.get("sensitivity") else []),
        f"- Fit to all cases (not a validation): b = {full['b']:.3f}, c1 = {full['c1']:.3f}"
        + (" (on the edge of the grid)" if full["at_bound"] else "") + ".",
        "",
        "![observed against predicted](cases.png)",
        "",
        f"| round | ed. | residents | age | EUR/res. | online only | letter | campaign | observed | predicted "
        f"[{lvl} % interval] | in | with misfit | in | null | b, c1 (fit without the case) |",
        "|---|---:|---:|---:|---:|---|---|---:|---:|---|---|---|---|---:|---|",
    ]
    for _, r in table.iterrows():
        ed = f"{r['edition']}" + ("" if r["edition_found"] else "*")
        lines.append(
            f"| {r['case_id']} {r['year']} | {ed} | {r['residents']:,} | {r['eligible_age']} | "
            f"{r['budget_per_resident']:.2f} | {'yes' if r['online'] else 'no'} | "
            f"{'yes' if r['invitation'] else 'no'} | "
            f"{r['campaign_code']} | {_pct(r['observed'], 2)} | {_pct(r['predicted'], 2)} "
            f"[{_pct(r['lo'], 2)}, {_pct(r['hi'], 2)}] | {'yes' if r['covered'] else '**no**'} | "
            f"[{_pct(r['lo_misfit'], 2)}, {_pct(r['hi_misfit'], 2)}] | {'yes' if r['covered_misfit'] else '**no**'} | "
            f"{_pct(r['null'], 2)} | {r['b_fit']:.2f}, {r['c1_fit']:.2f} |")
    lines += ["", "\\* edition NOT FOUND in the table: taken as "
              f"{DEFAULT_EDITION} (a mature process; in the model turnout changes little after the third edition).",
              "", "## Reading", ""]
    lines += reading(table, summary, full, effects)
    if effects is not None and len(effects):
        lines += ["", "### The fitted model's turnout by characteristic", "",
                  f"At the fit to all cases (b = {full['b']:.2f}, c1 = {full['c1']:.2f}), a reference municipality "
                  "changed one characteristic at a time (mean over "
                  f"{meta.get('effect_replicates', '?')} seeds; the ratio is to the reference in the same edition):",
                  "",
                  "| variant | what changes | turnout, 1st edition (range) | ratio | turnout, 4th edition | ratio |",
                  "|---|---|---|---:|---|---:|"]
        for name, (text, _) in VARIANTS.items():
            e1 = effects[(effects["variant"] == name) & (effects["edition"] == 1)].iloc[0]
            e4 = effects[(effects["variant"] == name) & (effects["edition"] == 4)].iloc[0]
            lines.append(f"| {name} | {text} | {_pct(e1['mean'], 2)} ({_pct(e1['min'], 2)}-{_pct(e1['max'], 2)}) | "
                         f"{e1['ratio']:.2f} | {_pct(e4['mean'], 2)} | {e4['ratio']:.2f} |")
        ref = effects[effects["variant"] == "reference"].sort_values("edition")
        lines += ["", "The reference's turnout by edition: "
                  + ", ".join(f"{int(e)}: {_pct(t, 2)}" for e, t in zip(ref["edition"], ref["mean"], strict=True))
                  + "."]
    lines += ["", "## Rows left out", "", "| round | reason |", "|---|---|"]
    lines += [f"| {r['case_id']} {r['year']} | {r['reason']} |" for _, r in excluded.iterrows()]
    lines += [
        "", "## Caveats", "",
        "- Each round is simulated as if the process had always had that round's rules (age, budget, letter); "
        "rounds of one case whose settings are equal share one run.",
        "- Two-year rounds (Helsinki's OmaStadi, Geel) are simulated as yearly cycles: the k-th round is the k-th "
        "cycle with the round's budget; forgetting between rounds (awareness, habit, perceptions fade by the month) "
        "is therefore that of one year, not two.",
        "- The turnout counts are those of the table: some are votes or ballots rather than persons (District "
        "Antwerpen, Ichtegem, Lisbon; pabulib's city-wide files are lower bounds), and several populations are of "
        "another year (docs/evidence/pb_cases.md, caveats).",
        f"- Campaign codes are the table's; {e_zeros} of the zeros used here rest on the absence of any outreach "
        "in sources that describe the round (quality E), "
        "not on a stated description. The fit gives them the same weight; the sensitivity above drops them.",
        "- The personal letter is coded from the table's column: Centrum Begroot 2020 is coded without a letter "
        "(\"unclear\", letters documented for 2021-2022 only).",
        "- The model's other parameters (among them the letter's reach, `citizens.letter_reach`, and the novelty "
        "and habit terms that shape turnout over editions) are its defaults, not fitted here; a case's "
        "characteristics reach the model only through the levers listed above (nothing about its country, "
        "its ballot rules or its voting-age population beyond the minimum age).",
        "- The parameters are confined to the grid; a fit on its edge (flagged) says the data ask for a value "
        "outside the prior.",
        "", "## Reproduce", "",
        "```",
        "nice -n 10 python -m sim.validation.cases replicates=2 jobs=2",
        "```",
        "",
        "Runs are cached in `docs/validation/cases_grid.parquet` by their settings and the model's version (a "
        "fingerprint of sim/model, sim/config and the presets): a rerun only runs what changed.",
    ]
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame, path: Path) -> None:
    """Observed against predicted turnout (log axes) with the intervals, and each case's error beside the
    null model's; written as PNG and SVG (``path`` with either suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="paper")
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 6.2), gridspec_kw={"width_ratios": [1.35, 1]})
    palette = {True: "#d95f02", False: "#1b9e77"}
    for inv, g in table.groupby("invitation"):
        colour = palette[bool(inv)]
        ax.errorbar(g["observed"], g["predicted"], yerr=[g["predicted"] - g["lo"], g["hi"] - g["predicted"]],
                    fmt="none", ecolor=colour, elinewidth=2.2, alpha=0.8, zorder=2)
        ax.errorbar(g["observed"], g["predicted"],
                    yerr=[g["predicted"] - g["lo_misfit"], g["hi_misfit"] - g["predicted"]],
                    fmt="none", ecolor=colour, elinewidth=0.8, alpha=0.35, zorder=1)
        for online, marker in ((True, "s"), (False, "o")):
            h = g[g["online"] == online]
            ax.scatter(h["observed"], h["predicted"], color=colour, marker=marker, s=38, zorder=3,
                       edgecolor="white", linewidth=0.6,
                       label=f"{'letter with voting code' if inv else 'no letter'}, "
                             f"{'online only' if online else 'paper/live too'}")
    lo = min(table[["observed", "lo_misfit"]].min()) * 0.8
    hi = max(table[["observed", "hi_misfit"]].max()) * 1.25
    ax.plot([lo, hi], [lo, hi], color="#555555", lw=1, ls="--", zorder=0, label="predicted = observed")
    null = table.groupby("case_id")["null"].first()
    ax.axhspan(null.min(), null.max(), color="#bbbbbb", alpha=0.25, zorder=0,
               label="null model (mean of the other cases)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    names = [ax.text(r["observed"], r["predicted"], f"{r['case_id'].split('-', 1)[1].title()} {str(r['year'])[2:]}",
                     fontsize=6.5, color="#333333") for _, r in table.iterrows()]
    ticks = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]
    for setter in (ax.set_xticks, ax.set_yticks):
        setter([t for t in ticks if lo <= t <= hi])
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:g} %"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:g} %"))
    ax.minorticks_off()
    ax.set_xlabel("observed turnout (voters / residents)")
    ax.set_ylabel("predicted by the model fitted to the other cases")
    ax.set_title(f"Leave one case out: prediction, {int(100 * LEVEL)} % interval (thick) and with misfit (thin)",
                 fontsize=9)
    ax.legend(fontsize=7, loc="upper left", frameon=True)
    from adjustText import adjust_text

    # names beside their points without overlaps (a thin leader where a name had to move)
    adjust_text(names, x=list(table["observed"]), y=list(table["predicted"]), ax=ax,
                arrowprops={"arrowstyle": "-", "color": "0.55", "lw": 0.5})
    per_case = table.groupby("case_id").agg(model=("log_error", lambda s: s.abs().mean()),
                                            null=("null_log_error", lambda s: s.abs().mean()))
    per_case = per_case.sort_values("model")
    y = np.arange(len(per_case))
    bx.scatter(per_case["null"], y, marker="|", s=120, color="#777777", label="null model", zorder=2)
    bx.scatter(per_case["model"], y, marker="o", s=30, color="#7570b3", label="model", zorder=3)
    bx.hlines(y, per_case[["model", "null"]].min(axis=1), per_case[["model", "null"]].max(axis=1),
              color="#cccccc", lw=1, zorder=1)
    bx.set_yticks(y)
    bx.set_yticklabels(per_case.index, fontsize=7)
    bx.set_xlabel("absolute log error (mean over the case's rounds)")
    bx.set_title("Error of each held-out case: model against null model", fontsize=9)
    bx.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    for suffix in (".png", ".svg"):
        fig.savefig(path.with_suffix(suffix), dpi=130, metadata={"Date": None} if suffix == ".svg" else None)
    plt.close(fig)


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"git {head}{' with uncommitted changes' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "git state unknown"


def write_outputs(table: pd.DataFrame, excluded: pd.DataFrame, summary: Mapping[str, float],
                  full: Mapping[str, Any], effects: pd.DataFrame | None, meta: Mapping[str, Any],
                  out: Path = OUT) -> Path:
    """Write cases.md, cases.csv, cases.png and cases.svg into ``out``; returns the Markdown's path."""
    from sim.io import atomic_write_text  # the writers' file helpers only when writing

    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "cases.csv", index=False, float_format="%.6g")
    figure(table, out / "cases.png")
    path = out / "cases.md"
    atomic_write_text(path, markdown(table, excluded, summary, full, effects, meta))
    return path


def _parse_args(argv: Sequence[str]) -> dict[str, str]:
    args = {}
    for a in argv:
        key, sep, value = a.partition("=")
        if not sep:
            raise SystemExit(f"arguments are key=value (replicates=2 jobs=2), not {a!r}")
        args[key.lstrip("-").replace("-", "_")] = value
    unknown = set(args) - {"replicates", "jobs", "bootstrap", "effect_replicates", "out", "table", "cache"}
    if unknown:
        raise SystemExit(f"unknown argument(s) {sorted(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sim.validation.cases [replicates=2] [jobs=2] [bootstrap=200] [effect_replicates=4]``:
    run (or reuse) the grid, fit leaving one case out, and write docs/validation/cases.*."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parse_args(argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    replicates, jobs = int(args.get("replicates", 2)), int(args.get("jobs", 2))
    bootstrap, eff_reps = int(args.get("bootstrap", BOOTSTRAP)), int(args.get("effect_replicates", 4))
    out = Path(args.get("out", OUT))
    cache = Path(args.get("cache", out / GRID_CACHE.name))
    start = time.perf_counter()
    cases, excluded = parse_cases(load_table(Path(args.get("table", TABLE))))
    log.info("%d rounds of %d cases; %d rows left out", len(cases), cases["case_id"].nunique(), len(excluded))
    version = model_version()
    specs, index = grid_specs(cases, replicates=replicates)
    runs, counts = execute(specs, jobs=jobs, cache_path=cache, version=version)
    grid = grid_frame(index, runs)
    if model_version() != version:
        log.warning("the model's files changed while the grid ran (%s -> %s): the runs may mix versions; "
                    "rerun to recompute them", version, model_version())
    surface = build_surface(grid, list(cases["row_id"]))
    pred = leave_one_out(surface, cases, bootstrap=bootstrap)
    full = fit_all(surface, cases)
    # sensitivity (docs/evidence/pb_cases.md): without the code-0 rounds that rest on absence of evidence (E)
    firm = cases[~((cases["campaign_code"] == 0) & (cases["campaign_quality"] != "S"))].reset_index(drop=True)
    sens = summarise(leave_one_out(build_surface(grid, list(firm["row_id"])), firm, bootstrap=bootstrap))
    espec, eindex = effect_specs(full["b"], full["c1"], eff_reps)
    eruns, ecounts = execute(espec, jobs=jobs, cache_path=cache, version=version)
    effects = effects_table(eindex, eruns)
    table = predictions_table(cases, pred)
    summary = summarise(pred)
    meta: dict[str, Any] = {"command": "python -m sim.validation.cases " + " ".join(argv), "version": version,
            "git": _git_state(), "runs": len(specs) + len(espec), "computed": counts["computed"] + ecounts["computed"],
            "reused": counts["reused"] + ecounts["reused"], "replicates": replicates,
            "effect_replicates": eff_reps, "seconds": time.perf_counter() - start, "sensitivity": sens,
            "run_seconds": float(runs["seconds"].sum() + eruns["seconds"].sum())}
    meta["changed"] = model_version() != version
    path = write_outputs(table, excluded, summary, full, effects, meta, out)
    log.info("wrote %s (%.1f min): coverage %.0f %% of cases, MAE log %.3f against null %.3f", path,
             float(meta["seconds"]) / 60, 100 * summary["coverage_cases"], summary["mae_log"], summary["mae_log_null"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
