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

``quick`` runs the patterns marked ``quick`` at a fifth of the population with 3 replicates, or as many as
``replicates`` gives when it is not the default 10 (the test suite's subset); the committed report is the full
run (10 replicates at real size).

:func:`ballot_comparison` gathers the statistics of the model's ballots in the participatory
budgets of Geel and District Antwerpen (every decided cycle of every replicate), which the report
sets beside their distribution over real rounds (pabulib, :mod:`sim.validation.real_ballots`).
"""

from __future__ import annotations

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
from sim.config.keys import ConfigError
from sim.experiments import structures
from sim.io import atomic_write_text, plain_folder
from sim.model.residents import SharedResidents
from sim.validation.patterns import (
    BALLOT_CONDITIONS,
    LEARNED,
    PATTERNS,
    ROOT_SEED,
    Condition,
    NotMeasured,
    Pattern,
    by_id,
    shared_runs,
)
from sim.validation.real_ballots import run_ballot_statistics
from sim.validation.report import DEFAULT_OUT, structure_summary, write_report
from sim.workers import process_pool

log = logging.getLogger(__name__)


def _overrides(condition: Condition, scale: float | None, extra: Sequence[str]) -> list[str]:
    overrides = [*condition.overrides, *extra]
    if scale is not None:
        overrides.append(f"run.population_scale={scale}")
    return overrides


def _config(condition: Condition, seed: int, scale: float | None, extra: Sequence[str] = ()) -> Any:
    """A condition's config on one seed (the composition itself is kept by compose_config)."""
    return compose_config(condition.scenario, condition.design, seed, _overrides(condition, scale, extra))


def evaluate_unit(pattern_ids: Sequence[str], ballot_labels: Sequence[str], seed: int, scale: float | None = None,
                  extra: Sequence[str] = ()) -> tuple[list[tuple[str, int, float, str]], list[pd.DataFrame]]:
    """The measures of some patterns and the ballot statistics of some budgets on one seed, each condition
    run once: ([(id, seed, value, error or '') per pattern], [ballot statistics per budget]).

    A run is dropped as soon as no pattern or budget left needs it; conditions that differ only in the design
    build their residents once (:class:`sim.model.residents.SharedResidents`, the same runs). ``extra`` overrides
    are added to every condition of the patterns (a structure preset, sim.experiments.structures), never to the
    ballots'."""
    patterns = [by_id(i) for i in pattern_ids]
    uses: dict[tuple[Condition, tuple[str, ...]], int] = {}
    needs = [[(c, tuple(extra)) for c in dict.fromkeys(p.conditions.values())] for p in patterns]
    needs += [[(BALLOT_CONDITIONS[label], ())] for label in ballot_labels]
    for keys in needs:
        for key in keys:
            uses[key] = uses.get(key, 0) + 1
    runs: dict[tuple[Condition, tuple[str, ...]], Any] = {}
    configs: dict[tuple[Condition, tuple[str, ...]], Any] = {}
    for key in uses:
        try:
            configs[key] = _config(key[0], seed, scale, key[1])
        except Exception:  # composed again when a pattern needs it, which reports the error
            continue
    shared = SharedResidents(configs.values())  # designs compared on one scenario and seed: one build

    def run(key: tuple[Condition, tuple[str, ...]]) -> Any:
        if key not in runs:
            config = configs[key] if key in configs else _config(key[0], seed, scale, key[1])
            runs[key] = run_config(config, residents=shared)
        return runs[key]

    def done(keys: list[tuple[Condition, tuple[str, ...]]]) -> None:
        for key in keys:
            uses[key] -= 1
            if not uses[key]:
                runs.pop(key, None)

    rows = []
    for pattern, keys in zip(patterns, needs, strict=False):
        try:
            named = {name: run((cond, tuple(extra))) for name, cond in pattern.conditions.items()}
            rows.append((pattern.id, seed, float(pattern.measure(named)), ""))
        except NotMeasured as exc:
            rows.append((pattern.id, seed, math.nan, f"not measured: {exc}"))
        except Exception as exc:  # one failing pattern must not lose the others' results
            rows.append((pattern.id, seed, math.nan, f"error: {type(exc).__name__}: {exc}"))
        done(keys)
    frames = []
    for label, keys in zip(ballot_labels, needs[len(patterns):], strict=True):
        stats = run_ballot_statistics(run(keys[0]))
        stats.insert(0, "model", label)
        frames.append(stats)
        done(keys)
    return rows, frames


def evaluate_one(pattern_id: str, seed: int, scale: float | None = None,
                 extra: tuple[str, ...] = ()) -> tuple[str, int, float, str]:
    """The measure of one pattern on one seed: (id, seed, value, error or '').

    ``extra`` overrides are added to every condition (a structure preset, sim.experiments.structures)."""
    return evaluate_unit((pattern_id,), (), seed, scale, extra)[0][0]


def _evaluate(patterns: Sequence[Pattern], ballots: Sequence[str], replicates: int, *, scale: float | None,
              jobs: int, root_seed: int, extra: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Every pattern and ballot budget on the replicate seeds, each condition run once per seed: (one row
    per pattern and replicate, the ballot statistics of every decided cycle or None without budgets),
    ordered by pattern (budget) and then seed, whatever order the work was done in."""
    seeds = replicate_seeds(root_seed, replicates)
    units = shared_runs(patterns, ballots)
    tasks = [(ids, labels, s, scale, tuple(extra)) for s in seeds for ids, labels in units]
    # a progress bar on a terminal (disable=None: none in a log or a notebook)
    bar = {"total": len(tasks), "desc": "validation", "unit": "task", "disable": None}
    if jobs > 1:
        for p in patterns:  # composed here once; the workers start as copies of this process and keep them
            for cond in p.conditions.values():
                compose_config(cond.scenario, cond.design, None, _overrides(cond, scale, extra))
        for label in ballots:
            cond = BALLOT_CONDITIONS[label]
            compose_config(cond.scenario, cond.design, None, _overrides(cond, scale, ()))
        with process_pool(jobs) as pool:
            done = list(tqdm(pool.map(evaluate_unit, *zip(*tasks, strict=True)), **bar))
    else:
        done = [evaluate_unit(*t) for t in tqdm(tasks, **bar)]
    found: dict[tuple[str, int], list[tuple[str, int, float, str]]] = {}
    for unit_rows, _ in done:
        for row in unit_rows:
            found.setdefault((row[0], row[1]), []).append(row)
    rows = [found[(p.id, s)].pop(0) for p in patterns for s in seeds]
    reps = pd.DataFrame(rows, columns=["id", "seed", "value", "error"])
    if not ballots:
        return reps, None
    frames = {(label, s): f for (_, labels, s, *_), (_, fs) in zip(tasks, done, strict=True)
              for label, f in zip(labels, fs, strict=True)}
    return reps, pd.concat([frames[(label, s)] for label in ballots for s in seeds], ignore_index=True)


def ballot_comparison(replicates: int = 10, *, scale: float | None = None, jobs: int = 1,
                      root_seed: int = ROOT_SEED) -> pd.DataFrame:
    """Every decided cycle with a vote of the :data:`BALLOT_CONDITIONS` runs on the replicate seeds."""
    log.info("ballots: %d budgets x %d replicates", len(BALLOT_CONDITIONS), replicates)
    _, cycles = _evaluate([], list(BALLOT_CONDITIONS), replicates, scale=scale, jobs=jobs, root_seed=root_seed)
    assert cycles is not None
    return cycles


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
    log.info("validation: %d patterns x %d replicates%s", len(patterns), replicates,
             f" (structure overrides {' '.join(extra)})" if extra else "")
    reps, _ = _evaluate(patterns, [], replicates, scale=scale, jobs=jobs, root_seed=root_seed, extra=extra)
    return _table(patterns, reps), reps


def _table(patterns: Sequence[Pattern], reps: pd.DataFrame) -> pd.DataFrame:
    """One row per pattern: mean, 95 % interval, replicates, and whether its target holds."""
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
    return pd.DataFrame(table)


#: The replicates of a validation when replicates= is not given (the command's default), and of a quick one.
REPLICATES, QUICK_REPLICATES = 10, 3


def choose(patterns: Sequence[str] = (), quick: bool = False, replicates: int | None = None
           ) -> tuple[list[Pattern], int, float | None]:
    """The patterns to run (by id; all when none is named; only the ``quick`` ones with ``quick``), the
    replicates and the population scale: ``quick`` runs at a fifth of the population; ``replicates`` as given,
    or when not given 10, and 3 with ``quick`` (``quick=true replicates=50`` runs 50; it ran 3).
    ``quick`` with a named pattern that is not a quick one is a ConfigError naming it and the quick ones, before
    any run (``quick=true patterns=D1,W3`` ran no pattern and failed after the ballots)."""
    chosen = [by_id(i) for i in patterns] if patterns else list(PATTERNS)
    if not quick:
        return chosen, REPLICATES if replicates is None else replicates, None
    slow = [p.id for p in chosen if not p.quick]
    if patterns and slow:
        if len(slow) == 1:
            named = f"{slow[0]} is not a quick pattern"
        elif len(slow) == len(chosen):
            named = f"none of {', '.join(slow)} is a quick pattern"
        else:
            named = f"{', '.join(slow)} are not quick patterns"
        raise ConfigError(f"patterns={','.join(patterns)} with quick=true: {named}; allowed: the quick patterns "
                          f"({', '.join(p.id for p in PATTERNS if p.quick)}), or quick=false")
    return [p for p in chosen if p.quick], QUICK_REPLICATES if replicates is None else replicates, 0.2


def validate(patterns: Sequence[Pattern], replicates: int = 10, *, scale: float | None = None, jobs: int = 1,
             out: Path = DEFAULT_OUT, ballots: bool = True, command: str = "python -m sim validate"
             ) -> tuple[pd.DataFrame, Path]:
    """Run the patterns (and, with ``ballots``, the model's ballots) and write the report into ``out``;
    the table of patterns and the report's path."""
    log.info("validation: %d patterns x %d replicates%s", len(patterns), replicates,
             f", and the ballots of {len(BALLOT_CONDITIONS)} budgets" if ballots else "")
    # one pass: the patterns and the ballots share their runs (Geel's and District Antwerpen's budgets)
    reps, cycles = _evaluate(patterns, list(BALLOT_CONDITIONS) if ballots else [], replicates, scale=scale,
                             jobs=jobs, root_seed=ROOT_SEED)
    table = _table(patterns, reps)
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
        folder = plain_folder(_structures_folder(out) / name)
        write_report(table, reps, folder, replicates=replicates, scale=scale,
                     command=command, structure=name)
        tables[name] = table
    atomic_write_text(_structures_folder(out) / "README.md",
                      structure_summary(tables, replicates=replicates, scale=scale, command=command))
    return tables


def _structures_folder(out: Path) -> Path:
    """``out/structures``, a real folder (:func:`sim.io.plain_folder`): a link in its place (or in place of a
    structure's folder in it) is removed, never written through. ``out`` itself is the folder the user named: a
    link she typed is followed, as any path she types."""
    return plain_folder(out / "structures")
