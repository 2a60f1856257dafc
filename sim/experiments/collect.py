"""Gather a sweep's per-run outputs into tidy tables and figures.

    python -m sim collect dir=<sweep dir>

rebuilds, at any time, from the run folders that sim.experiments.sweep writes:

- ``runs.parquet``: one row per finished run: the swept parameters, replicate, seeds, and
  every summary outcome;
- ``timeseries.parquet``: the per-step series of every run, with the run's parameters;
- ``projects.parquet``, ``cycles.parquet``: every run's project ledger and cycle table, with
  the run's parameters;
- ``failures.parquet``: one row per failed run: parameters, error (tracebacks and configs are
  in each run's error.json);
- ``summary_table.parquet`` (and ``.csv``): per condition and outcome, n, mean, sd and a 95 %
  t-interval of the mean;
- ``sensitivity.parquet`` for Morris and Sobol experiments (SALib indices per outcome);
- ``figures/``: the experiment's figures (PNG and SVG).

Only runs whose ``status.json`` says ok are read, so a run still being written, or a
half-written file, is never taken for a result; and each of their files is checked against the
sha256 its status recorded. A damaged run (an unreadable status.json, a truncated table, a
corrupt summary.json) is named in one line, left out of the tables and listed in
``damaged.csv``; starting the sweep again redoes it. ``python -m sim collect`` exits with 1 when
a run is damaged or a table could not be written.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config.keys import ConfigError, check_outcomes
from sim.config.schema import IN_PROCESS_NAMES
from sim.experiments import sensitivity, structures
from sim.experiments.sweep import STATUS, DamagedRun, check_run, read_status, verified_bytes
from sim.experiments.uncertainty import beats, intervals
from sim.io import MAX_RUN_FILE_BYTES, atomic_parquet, atomic_write, atomic_write_text, read_regular, remove
from sim.writable import recorded_kind

log = logging.getLogger(__name__)

#: Columns of params.json that identify a run rather than a condition (the last four say where it ran:
#: sim.experiments.sweep.where).
RUN_COLUMNS = ("replicate", "root_seed", "seed", "experiment", "run_id", "sample", "draw", "run_seconds",
               "model_seconds", "model_cpu_seconds", "host", "pid", "ray_node", "slurm_job")
#: Outcomes shown in the figures when the experiment names none.
DEFAULT_OUTCOMES = ("turnout", "legitimacy", "service_quality", "trust_citizens")


def run_dirs(sweep_dir: Path, unreadable: list[Path] | None = None) -> list[Path]:
    """Folders of all runs (finished or failed) under a sweep folder, in a stable order.

    A folder that cannot be listed (no permission to read it) could hold runs: it is added to
    ``unreadable``, so that gathering names it instead of leaving its runs out in silence. Links to
    folders are not followed (a run folder's files are read where the sweep wrote them, never elsewhere).
    """
    def refused(exc: OSError) -> None:
        if unreadable is not None and exc.filename is not None:
            unreadable.append(Path(exc.filename))

    found = [Path(root) for root, dirs, files in os.walk(sweep_dir, onerror=refused)
             if STATUS in files or STATUS in dirs]
    return sorted(found)


def _read_json(path: Path) -> dict:
    """A JSON file of the sweep (experiment.json, a run's error.json): a regular file of a bounded size, never a
    link, a FIFO or a device (``ValueError``)."""
    return json.loads(read_regular(path, MAX_RUN_FILE_BYTES))


#: Per-run tables gathered into one table each, with the run's parameters as columns.
PER_RUN_TABLES = ("timeseries", "projects", "cycles")


def _read_run(run_dir: Path, status: dict) -> tuple[dict, dict, dict]:
    """A finished run's (params, summary, per-run tables as pyarrow tables), every file verified."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    params, summary = check_run(run_dir, status)
    tables = {}
    for name in PER_RUN_TABLES:
        file = f"{name}.parquet"
        if file not in status["files"]:  # a run finished before the table existed has none of it
            continue
        try:
            data = verified_bytes(run_dir, file, status)
            tables[name] = pq.ParquetFile(pa.BufferReader(data)).read(use_threads=False)
        except (pa.ArrowException, OSError) as exc:
            raise DamagedRun(f"{run_dir / file}: not a readable Parquet file ({exc})") from None
    return params, summary, tables


def gather(sweep_dir: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame, list[str], pd.DataFrame]:
    """(runs, per-run tables by name, failures, condition columns, damaged runs) of a sweep folder.

    The per-run tables (``PER_RUN_TABLES``) are read with pyarrow and joined with their runs'
    parameters in one step (reading each file through pandas and adding columns run by run took
    several times longer on sweeps of hundreds of runs). A damaged run is logged in one line
    naming its file and listed in the last table (run_dir, problem), not among the runs.
    """
    rows, failures, damaged = [], [], []
    tables: dict[str, list] = {name: [] for name in PER_RUN_TABLES}
    owners: dict[str, list[dict]] = {name: [] for name in PER_RUN_TABLES}
    conditions: list[str] = []
    unreadable: list[Path] = []
    seen: dict[Any, Path] = {}  # a finished run's (run id, hash): its folder
    for d in run_dirs(sweep_dir, unreadable):
        try:
            status = read_status(d)
            if status["status"] == "ok":
                params, summary, run_tables = _read_run(d, status)
        except DamagedRun as exc:
            log.error("damaged run (not gathered; the sweep started again redoes it): %s", exc)
            damaged.append({"run_dir": str(d.relative_to(sweep_dir)), "problem": str(exc)})
            continue
        same = (d.name, status.get("hash")) if isinstance(status.get("hash"), str) else None
        if status["status"] == "ok" and same in seen:
            # the same run (same config, code and run id) in two condition folders: a sweep started again with
            # a value written out that the first left at its default names its condition differently. Runs of
            # one folder are never the same run (samples or draws that repeat a point are runs of their own).
            log.warning("the same run twice, counted once: %s is %s", d.relative_to(sweep_dir),
                        seen[same].relative_to(sweep_dir))
            continue
        if status["status"] == "ok" and same is not None:
            seen[same] = d
        if status["status"] == "ok":
            conditions += [k for k in params if k not in conditions and k not in RUN_COLUMNS
                           and not k.startswith("x.")]
            rows.append({**params, **{k: v for k, v in summary.items() if k not in params},
                         "run_seconds": status.get("seconds"), "model_seconds": status.get("model_seconds"),
                         "model_cpu_seconds": status.get("model_cpu_seconds")})
            for name, table in run_tables.items():
                tables[name].append(table)
                owners[name].append(params)
        else:
            err = _error_details(d)
            failures.append({**err["params"], "run_dir": str(d.relative_to(sweep_dir)),
                             "error": status.get("error", err["error"])})
    for folder in unreadable:
        problem = f"{folder}: a folder that cannot be read (its runs, if any, are not gathered)"
        log.error("damaged run (not gathered; the sweep started again redoes it): %s", problem)
        damaged.append({"run_dir": str(folder.relative_to(sweep_dir)) if folder != sweep_dir else ".",
                        "problem": problem})
    joined = {name: _with_params(tables[name], owners[name]) for name in PER_RUN_TABLES}
    return (pd.DataFrame(rows), joined, pd.DataFrame(failures), conditions,
            pd.DataFrame(damaged, columns=["run_dir", "problem"]))


def _error_details(run_dir: Path) -> dict[str, Any]:
    """A failed run's error.json as ``{"params": {...}, "error": str}``; whatever it holds (nothing, not
    JSON, not an object, a folder), the failure itself is in status.json, so a bad error.json only loses
    its details and never stops the gathering."""
    try:
        err = _read_json(run_dir / "error.json")
    except (OSError, ValueError):
        err = {}
    err = err if isinstance(err, dict) else {}
    params = err.get("params")
    return {"params": params if isinstance(params, dict) else {}, "error": str(err.get("error", "unknown"))}


def _with_params(tables: list, params_rows: list[dict]) -> pd.DataFrame:
    """One table from the runs' tables, each row with its run's parameters."""
    import pyarrow as pa

    if not tables:
        return pd.DataFrame()
    out = pa.concat_tables(tables, promote_options="permissive").to_pandas()
    params = pd.DataFrame(params_rows)
    params = params.iloc[np.repeat(np.arange(len(params)), [t.num_rows for t in tables])].reset_index(drop=True)
    for k in params.columns:  # a parameter named like a table's column replaces it in place
        out[k] = params[k]
    return out


def summary_table(runs: pd.DataFrame, conditions: list[str], outcomes: list[str] | None = None) -> pd.DataFrame:
    """Tidy: per condition and outcome, n, mean, sd, and a 95 % t-interval of the mean."""
    from scipy import stats

    numeric = [c for c in runs.select_dtypes("number").columns
               if c not in conditions and c not in RUN_COLUMNS and not c.startswith("x.")]
    outcomes = [o for o in (outcomes or numeric) if o in runs.columns]
    long = runs.melt(id_vars=conditions, value_vars=outcomes, var_name="outcome", value_name="value")
    keys = [*conditions, "outcome"]
    g = long.groupby(keys, dropna=False, sort=True)["value"]
    table = g.agg(n="count", mean="mean", sd="std").reset_index()
    half = stats.t.ppf(0.975, np.maximum(table["n"] - 1, 1)) * table["sd"] / np.sqrt(table["n"])
    half = half.where(table["n"] > 1)
    table["ci_low"] = table["mean"] - half
    table["ci_high"] = table["mean"] + half
    return table


def posterior_tables(runs: pd.DataFrame, conditions: list[str],
                     outcomes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A posterior comparison's (intervals, beats) per the conditions other than ``design``.

    Intervals (:func:`sim.experiments.uncertainty.intervals`) hold 95 % of the runs over parameter draws and
    replicates together; ``beats`` is long: for each outcome and pair of designs, ``p_beats``, the
    share of matched (draw, replicate) runs in which ``design`` comes out higher than ``versus``.
    """
    others = [c for c in conditions if c != "design"]
    groups = runs.groupby(others, sort=False) if others else [((), runs)]
    ints, wins = [], []
    for key, g in groups:
        fixed = dict(zip(others, key if isinstance(key, tuple) else (key,), strict=True))
        ints.append(intervals(g, outcomes).assign(**fixed))
        for o in outcomes:
            wide = beats(g, o)
            table = pd.DataFrame([(a, b, wide.loc[a, b]) for a in wide.index for b in wide.columns if a != b],
                                 columns=["design", "versus", "p_beats"])
            wins.append(table.assign(outcome=o, **fixed))
    return pd.concat(ints, ignore_index=True), pd.concat(wins, ignore_index=True)


class DamagedExperiment(ValueError):
    """A sweep's experiment.json holds a value gathering cannot use (edited by hand: ``"outcomes": []``); the message
    names the file, the key, the value as written and what is allowed. Nothing is gathered: the command exits with 1,
    as for damaged runs, and the sweep started again writes the file anew."""


def _experiment_info(sweep_dir: Path) -> dict:
    path = Path(sweep_dir) / "experiment.json"
    try:
        info = _read_json(path) if path.exists() else {}
    except (OSError, ValueError) as exc:  # every job writes it again: the sweep started again repairs it
        log.error("%s: unreadable or not valid JSON (%s); gathered as a plain grid of runs", path, exc)
        return {}
    if not isinstance(info, dict):
        log.error("%s: not a JSON object; gathered as a plain grid of runs", path)
        return {}
    if "outcomes" in info:  # what gathering summarises and draws: a value it cannot use is not guessed at
        try:
            check_outcomes(info["outcomes"], "outcomes", json.dumps)
        except ConfigError as exc:
            raise DamagedExperiment(f"{path}: {exc}") from None
    return info


#: The tables and notes gathering derives from the runs (besides runs.parquet, the per-run tables and
#: failures.parquet, written every time): one not written by a gathering is removed, never left stale.
DERIVED = ("summary_table.parquet", "summary_table.csv", "uncertainty.parquet", "beats.parquet",
           "structures.parquet", "structures.md", "sensitivity.parquet")


def check_sweep_folder(sweep_dir: str | Path) -> dict:
    """The experiment.json of a folder gathering may write its tables into; FileNotFoundError (one line naming
    ``dir=``) for a folder that holds no sweep: no runs/ and no experiment.json, or an experiment run in one
    process (an ABC calibration, a calibration, a scenario discovery), whose results are not runs;
    :class:`DamagedExperiment` for an experiment.json whose outcomes gathering cannot use."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise FileNotFoundError(f"no sweep folder at {sweep_dir}")
    if not (sweep_dir / "runs").is_dir() and not (sweep_dir / "experiment.json").is_file():
        # gathering writes its tables into the folder: never into one that holds no sweep
        raise FileNotFoundError(f"dir={sweep_dir} is not a sweep folder (no runs/ and no experiment.json in it); "
                                "allowed: the folder of a sweep (hydra.sweep.dir) or of an experiment")
    info = _experiment_info(sweep_dir)
    kind = recorded_kind(info) or "grid"
    if kind in IN_PROCESS_NAMES:
        raise FileNotFoundError(f"dir={sweep_dir} holds an experiment of kind {kind}, whose results are its own "
                                "files, not runs to gather; allowed: the folder of a sweep (hydra.sweep.dir)")
    return info


def collect(sweep_dir: str | Path, figures: bool = True, *, info: dict | None = None) -> dict[str, pd.DataFrame]:
    """Gather the sweep folder's runs into tables (written beside the runs) and figures.

    ``info`` is what :func:`check_sweep_folder` returned for the folder, when the caller checked it already
    (the collect command, before it locks the folder); else the folder is checked here.
    Tables and figures of an earlier gathering that this one does not make (no run left, every run damaged
    or failed) are removed: what the folder shows is always what its runs give now.
    """
    sweep_dir = Path(sweep_dir)
    info = check_sweep_folder(sweep_dir) if info is None else info
    runs, per_run, failures, conditions, damaged = gather(sweep_dir)
    timeseries = per_run["timeseries"]
    out: dict[str, pd.DataFrame] = {"runs": runs, **per_run, "failures": failures, "damaged": damaged}
    if not damaged.empty:
        atomic_write(sweep_dir / "damaged.csv", lambda p: damaged.to_csv(p, index=False))
    else:
        (sweep_dir / "damaged.csv").unlink(missing_ok=True)
    if not runs.empty:
        # a value that is the same in every run (e.g. a fixed override) is not a condition
        conditions = [c for c in conditions if c in runs.columns and runs[c].nunique(dropna=False) > 1]
        sort = [c for c in [*conditions, "draw", "replicate", "sample"] if c in runs.columns]
        runs = runs.sort_values(sort, kind="stable").reset_index(drop=True)
        out["runs"] = runs
        table = summary_table(runs, conditions)
        out["summary_table"] = table
        atomic_parquet(sweep_dir / "summary_table.parquet", table)
        atomic_write(sweep_dir / "summary_table.csv", lambda p: table.to_csv(p, index=False))
    atomic_parquet(sweep_dir / "runs.parquet", runs)
    for name, table in per_run.items():
        atomic_parquet(sweep_dir / f"{name}.parquet", table)
    atomic_parquet(sweep_dir / "failures.parquet", failures)
    kind = info.get("kind", "grid")
    outcomes = [o for o in info.get("outcomes", DEFAULT_OUTCOMES) if not runs.empty and o in runs.columns]
    if not runs.empty and "draw" in runs.columns and "design" in conditions:
        out["uncertainty"], out["beats"] = posterior_tables(runs, conditions, outcomes)
        atomic_parquet(sweep_dir / "uncertainty.parquet", out["uncertainty"])
        atomic_parquet(sweep_dir / "beats.parquet", out["beats"])
    if not runs.empty and {"structure", "design"} <= set(conditions) and "default" in set(runs["structure"]):
        out["structures"] = structures.rankings(runs, outcomes)
        atomic_parquet(sweep_dir / "structures.parquet", out["structures"])
        atomic_write_text(sweep_dir / "structures.md", "# Design rankings under each structure\n\n"
                          + structures.markdown(out["structures"]))
    if kind in ("morris", "sobol") and not runs.empty:
        sens = _sensitivity(runs, info, outcomes, conditions)
        if sens is not None:
            out["sensitivity"] = sens
            atomic_parquet(sweep_dir / "sensitivity.parquet", sens)
    if figures and info.get("figures", True) and not runs.empty:
        _figures(sweep_dir / "figures", kind, runs, timeseries, conditions, outcomes, out.get("sensitivity"))
    written = {f"{name}.parquet" for name in out} | ({"summary_table.csv"} if "summary_table" in out else set()) \
        | ({"structures.md"} if "structures" in out else set())
    for name in DERIVED:
        if name not in written and os.path.lexists(sweep_dir / name):
            log.warning("%s: removed, no run gives it now (every run failed, damaged or gone)", sweep_dir / name)
            remove(sweep_dir / name)
    if runs.empty and os.path.lexists(sweep_dir / "figures"):
        log.warning("%s: removed, no run to draw", sweep_dir / "figures")
        remove(sweep_dir / "figures")
    return out


def _sensitivity(runs: pd.DataFrame, info: dict, outcomes: list[str], conditions: list[str]) -> pd.DataFrame | None:
    prob = sensitivity.problem(info.get("parameters", []), info.get("lower", []), info.get("upper", []))
    x = sensitivity.sample(info["kind"], prob, int(info["samples"]), int(info.get("levels", 4)),
                           int(info.get("seed", 0)))
    frames = []
    groups = runs.groupby(conditions, dropna=False) if conditions else [((), runs)]
    for cond, g in groups:
        if len(g) != x.shape[0]:  # failed runs leave holes: the design is incomplete
            continue
        g = g.sort_values("sample")
        for o in outcomes:
            idx = sensitivity.analyze(info["kind"], prob, x, g[o].to_numpy(dtype=float),
                                      int(info.get("levels", 4)), int(info.get("seed", 0)))
            idx.insert(0, "outcome", o)
            for c, v in zip(conditions, cond if isinstance(cond, tuple) else (cond,), strict=False):
                idx.insert(0, c, v)
            frames.append(idx)
    return pd.concat(frames, ignore_index=True) if frames else None


def _figures(folder: Path, kind: str, runs: pd.DataFrame, timeseries: pd.DataFrame, conditions: list[str],
             outcomes: list[str], sens: pd.DataFrame | None) -> None:
    # lazy: matplotlib and seaborn only when a sweep's figures are drawn (experiment.figures)
    from sim import plots

    if kind in ("morris", "sobol"):
        if sens is not None:
            plots.save(plots.sensitivity(sens, kind), folder, f"sensitivity_{kind}")
        return
    for o in outcomes:
        plots.save(plots.conditions(runs, o, conditions), folder, f"outcome_{o}")
    if not timeseries.empty and conditions:
        plots.save(plots.conditions_over_time(timeseries, outcomes, conditions[0]), folder, "timeseries")
