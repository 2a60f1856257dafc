"""Running the validation: every pattern of the catalogue over replicate seeds, and the model's ballots.

``python -m sim validate`` (or ``make validate``) runs the model on every pattern of
:data:`sim.validation.patterns.PATTERNS` over replicate seeds and writes the report
(:mod:`sim.validation.report`) into ``docs/validation/``.

Rules, so that the report stays honest:

- A *range* target holds when the replicates' mean lies in the range; a *direction* target
  ("above" or "below" a threshold, usually a paired difference against 0) holds only when the
  whole 95 % interval of the mean lies on the expected side. The interval is the t interval of the
  mean over replicates (common random numbers: every condition of a pattern runs on the same seeds).
- A pattern whose measure fails (for example a result column that does not exist) is reported as
  *not measured* with the error; the other patterns are still evaluated.

``quick`` runs the patterns marked ``quick`` at a fifth of the population with 3 replicates (the
test suite's subset); the committed report is the full run (10 replicates at real size).

:func:`ballot_comparison` gathers the statistics of the model's ballots in the participatory
budgets of Geel and District Antwerpen (every decided cycle of every replicate), which the report
sets beside their distribution over real rounds (pabulib, :mod:`sim.validation.real_ballots`).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from tqdm import tqdm

from sim.api import replicate_seeds, run_config
from sim.config.compose import compose_config
from sim.experiments import structures
from sim.io import atomic_write_text
from sim.validation.patterns import (
    BALLOT_CONDITIONS,
    LEARNED,
    PATTERNS,
    ROOT_SEED,
    Condition,
    NotMeasured,
    Pattern,
    by_id,
)
from sim.validation.real_ballots import run_ballot_statistics
from sim.validation.report import DEFAULT_OUT, structure_summary, write_report
from sim.workers import process_pool

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=24)
def _run(condition: Condition, seed: int, scale: float | None, extra: tuple[str, ...] = ()) -> Any:
    overrides = [*condition.overrides, *extra]
    if scale is not None:
        overrides.append(f"run.population_scale={scale}")
    return run_config(compose_config(condition.scenario, condition.design, seed, overrides))


def evaluate_one(pattern_id: str, seed: int, scale: float | None = None,
                 extra: tuple[str, ...] = ()) -> tuple[str, int, float, str]:
    """The measure of one pattern on one seed: (id, seed, value, error or '').

    ``extra`` overrides are added to every condition (a structure preset, sim.experiments.structures)."""
    pattern = by_id(pattern_id)
    try:
        runs = {name: _run(cond, seed, scale, tuple(extra)) for name, cond in pattern.conditions.items()}
        return pattern_id, seed, float(pattern.measure(runs)), ""
    except NotMeasured as exc:
        return pattern_id, seed, math.nan, f"not measured: {exc}"
    except Exception as exc:  # one failing pattern must not lose the others' results
        return pattern_id, seed, math.nan, f"error: {type(exc).__name__}: {exc}"


def ballot_cycles_one(label: str, seed: int, scale: float | None) -> pd.DataFrame:
    """The model's ballot statistics per decided cycle (:func:`sim.validation.real_ballots.run_ballot_statistics`)
    of one :data:`BALLOT_CONDITIONS` entry on one seed, tagged with ``model`` = ``label``."""
    stats = run_ballot_statistics(_run(BALLOT_CONDITIONS[label], seed, scale))
    stats.insert(0, "model", label)
    return stats


def ballot_comparison(replicates: int = 10, *, scale: float | None = None, jobs: int = 1,
                      root_seed: int = ROOT_SEED) -> pd.DataFrame:
    """Every decided cycle with a vote of the :data:`BALLOT_CONDITIONS` runs on the replicate seeds."""
    seeds = replicate_seeds(root_seed, replicates)
    tasks = [(label, s, scale) for label in BALLOT_CONDITIONS for s in seeds]
    log.info("ballots: %d budgets x %d replicates", len(BALLOT_CONDITIONS), replicates)
    bar = {"total": len(tasks), "desc": "ballots", "unit": "run", "disable": None}
    if jobs > 1:
        with process_pool(jobs) as pool:
            parts = list(tqdm(pool.map(ballot_cycles_one, *zip(*tasks, strict=True)), **bar))
    else:
        parts = [ballot_cycles_one(*t) for t in tqdm(tasks, **bar)]
    return pd.concat(parts, ignore_index=True)


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % t interval of the mean over replicates (nan where a replicate failed)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0 or not np.isfinite(v).all():
        return math.nan, math.nan, math.nan
    mean = float(v.mean())
    if v.size < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return mean, mean - half, mean + half


def run_patterns(patterns: Sequence[Pattern], replicates: int = 10, *, scale: float | None = None,
                 jobs: int = 1, root_seed: int = ROOT_SEED,
                 extra: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate the patterns; returns (one row per pattern, one row per pattern and replicate).

    ``extra`` overrides apply to every condition (e.g. ``sim.experiments.structures.overrides(name)``)."""
    seeds = replicate_seeds(root_seed, replicates)
    tasks = [(p.id, s, scale, tuple(extra)) for p in patterns for s in seeds]
    log.info("validation: %d patterns x %d replicates%s", len(patterns), replicates,
             f" (structure overrides {' '.join(extra)})" if extra else "")
    # a progress bar on a terminal (disable=None: none in a log or a notebook)
    bar = {"total": len(tasks), "desc": "patterns", "unit": "run", "disable": None}
    if jobs > 1:
        with process_pool(jobs) as pool:
            rows = list(tqdm(pool.map(evaluate_one, *zip(*tasks, strict=True), chunksize=max(1, len(seeds) // 2)),
                             **bar))
    else:
        rows = [evaluate_one(*t) for t in tqdm(tasks, **bar)]
    reps = pd.DataFrame(rows, columns=["id", "seed", "value", "error"])
    table = []
    for p in patterns:
        r = reps[reps["id"] == p.id]
        mean, low, high = interval(r["value"].to_numpy())
        errors = sorted(set(e for e in r["error"] if e))
        status = "not measured" if errors else ("holds" if p.target.holds(mean, low, high) else "missed")
        table.append({"id": p.id, "area": p.area, "pattern": p.what, "source": p.source, "use": p.use,
                      "target": p.target.text(p.fmt), "unit": p.unit, "mean": mean, "low": low, "high": high,
                      "replicates": int(r["value"].notna().sum()), "status": status,
                      "note": "; ".join(errors) or LEARNED.get(p.id, "")})
    return pd.DataFrame(table), reps


def choose(patterns: Sequence[str] = (), quick: bool = False, replicates: int = 10
           ) -> tuple[list[Pattern], int, float | None]:
    """The patterns to run (by id; all when none is named; only the ``quick`` ones with ``quick``), the
    replicates and the population scale: ``quick`` runs 3 replicates at a fifth of the population."""
    chosen = [by_id(i) for i in patterns] if patterns else list(PATTERNS)
    if quick:
        return [p for p in chosen if p.quick], 3, 0.2
    return chosen, replicates, None


def validate(patterns: Sequence[Pattern], replicates: int = 10, *, scale: float | None = None, jobs: int = 1,
             out: Path = DEFAULT_OUT, ballots: bool = True, command: str = "python -m sim validate"
             ) -> tuple[pd.DataFrame, Path]:
    """Run the patterns (and, with ``ballots``, the model's ballots) and write the report into ``out``;
    the table of patterns and the report's path."""
    table, reps = run_patterns(patterns, replicates, scale=scale, jobs=jobs)
    cycles = ballot_comparison(replicates, scale=scale, jobs=jobs) if ballots else None
    report = write_report(table, reps, out, replicates=replicates, scale=scale, command=command, ballots=cycles)
    return table, report


def validate_structures(names: Sequence[str], patterns: Sequence[Pattern], replicates: int = 10, *,
                        scale: float | None = None, jobs: int = 1, out: Path = DEFAULT_OUT,
                        command: str = "python -m sim validate") -> dict[str, pd.DataFrame]:
    """The report under each structure preset named (``["all"]``: every one), each into
    ``out/structures/<name>/``, and one table of all of them in ``out/structures/README.md``; the
    table of patterns per structure."""
    chosen = structures.names() if list(names) == ["all"] else list(names)
    for name in chosen:
        structures.overrides(name)  # an unknown name stops before any run
    tables = {}
    for name in chosen:
        table, reps = run_patterns(patterns, replicates, scale=scale, jobs=jobs, extra=structures.overrides(name))
        write_report(table, reps, out / "structures" / name, replicates=replicates, scale=scale,
                     command=command, structure=name)
        tables[name] = table
    atomic_write_text(out / "structures" / "README.md",
                      structure_summary(tables, replicates=replicates, scale=scale, command=command))
    return tables
