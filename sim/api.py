"""The public Python API: run a composed config, replicate it, compare designs.

The CLI (``python -m sim``), notebooks, sweeps and the dashboard all compose through
:func:`sim.config.compose.compose_config` and run through :func:`run_config`, so the same presets
and the same code path serve everyone.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from sim import results, writable
from sim.config.compose import check_arguments, check_option, compose_config, text_list
from sim.config.keys import ConfigError, integral, key_whole, one_line, outcome_names, whole, with_values
from sim.config.schema import Config, ExperimentKind, derive_seed
from sim.io import STATUS, mark_failed, mark_ok, reserve_room, run_files, with_run_columns, write_run
from sim.model.model import CoproductionModel
from sim.model.residents import SharedResidents
from sim.posterior import check_source, draw_parameters, shown_source
from sim.workers import process_pool


def _save_folder(folder: object) -> Path:
    """The folder ``RunResult.save`` writes into: a path (text or Path) that is not empty and not a file; TypeError
    or ConfigError naming ``folder`` (an empty text wrote the run into the working folder; a file, None or a folder
    that cannot be made raised a bare error)."""
    if not isinstance(folder, str | os.PathLike) or isinstance(folder, bytes):
        raise TypeError(f"folder={folder!r} ({type(folder).__name__}) is not a path; allowed: a folder's path")
    if str(folder) == "":
        raise ConfigError("folder='' names no folder; allowed: a folder's path (not empty)")
    path, shown, allowed = Path(folder), f"folder={str(folder)!r}", "a folder that can be made and written"
    writable.check_folder(path, shown, allowed)  # its names fit, not a file, the nearest folder above takes files
    # a sweep's gathered tables or a calibration's files would be replaced by this run's
    writable.check_results_folder(path, ExperimentKind.single, f"{shown}: {path}", "this run",
                                  "a folder of its own for the run", plain=True)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # made impossible since the check (a file put there, a full disk)
        raise ConfigError(f"{shown}: {path} cannot be made ({exc.strerror or exc}); allowed: {allowed}") from None
    return path


@dataclass
class RunResult:
    """Everything a run produced.

    ``groups``, ``projects`` and ``cycles`` are the finished model's tables (:mod:`sim.results`), made on
    first use and kept: :func:`run_config` makes all three at once on the normal path, while a light run
    (``series=False``, the ABC's particles) makes only those its measures read (the project ledger,
    which no calibration pattern reads, costs about 3 % of a Geel run).
    """

    timeseries: pd.DataFrame
    summary: pd.Series
    #: The validated configuration the run was built from.
    settings: Config
    model: CoproductionModel

    @functools.cached_property
    def groups(self) -> pd.DataFrame:
        """Participation by group (:func:`sim.results.groups`)."""
        return results.groups(self.model)

    @functools.cached_property
    def projects(self) -> pd.DataFrame:
        """The project ledger (:func:`sim.results.projects`)."""
        return results.projects(self.model)

    @functools.cached_property
    def cycles(self) -> pd.DataFrame:
        """The cycle table (:func:`sim.results.cycles`)."""
        return results.cycles(self.model)

    @functools.cached_property
    def config(self) -> DictConfig:
        """The configuration as an OmegaConf node (for YAML and key access), built on first use.

        Converting the schema takes about 30 ms, a sixth of a Kampenhout run; a sweep that never
        looks at it does not pay for it.
        """
        return OmegaConf.structured(self.settings)

    def save(self, folder: str | Path, figures: bool = True) -> Path:
        """Write config, tables (``sim.io.write_run``) and, with ``figures``, the standard figures into ``folder``.

        ``status.json`` is written last: ``ok`` with the sha256 of every file this save wrote (no other file of
        the folder), or, when a write fails (a full disk), ``failed`` with the error, which is raised again. A run
        saved into the folder before is replaced: its files that this one does not write (its figures, when this
        one has none) are removed, as its status lists them (:func:`sim.io.run_files`). A folder that holds a
        sweep's or an experiment's results is refused (:func:`sim.writable.other_experiment`).
        """
        path = _save_folder(folder)
        try:
            reserve_room(path)
            earlier = run_files(path)  # a run saved here before: replaced, none of its files left to pass as this one's
            (path / STATUS).unlink(missing_ok=True)
            written = write_run(self, path)
            if figures:
                # lazy: matplotlib and seaborn are loaded only where figures are drawn, never by a sweep's runs
                from sim import plots

                ts = with_run_columns(self.timeseries, self.summary)
                groups = with_run_columns(self.groups, self.summary)
                s = self.settings
                for name, fig in plots.standard_figures(ts, groups, election_month=s.scenario.next_election_month,
                                                        min_age=s.design.min_age).items():
                    plots.save(fig, path / "figures", name)
                    written += [f"figures/{name}.png", f"figures/{name}.svg"]
            for stale in sorted(set(earlier) - set(written)):
                (path / stale).unlink(missing_ok=True)
        except Exception as exc:
            mark_failed(path, exc)
            raise
        mark_ok(path, written)
        return path


def run_config(config: Config, *, series: bool = True, residents: SharedResidents | None = None) -> RunResult:
    """Build the model from a validated config, run its horizon, gather the tidy results.

    ``series=False`` is the light path for callers that need only the cycles, groups and projects (the
    ABC calibration): the month's survey and the time series are skipped (they only measure), the
    ``timeseries`` is empty and the ``summary`` holds only its first columns
    (:func:`sim.results.cycle_summary`: the run's identity, turnout and what else its cycles measure), and
    only the latent attitudes that residents' rules read move (``perceptions.READ_BY_RULES``; the other
    survey items' rows are nan). Those numbers are the normal path's (tests/test_results.py checks it). ``residents``
    (:class:`sim.model.residents.SharedResidents`) builds the residents once for the runs given it that share
    them (a seed's designs); each run is the same as without it.
    """
    model = CoproductionModel(config, series=series, residents=residents)
    model.run_for(config.run.steps)
    if not series:  # the tables are made when a measure reads them
        summary = pd.Series(results.cycle_summary(model))
        return RunResult(timeseries=_no_series(), summary=summary, settings=config, model=model)
    ts = results.timeseries(model)
    out = RunResult(timeseries=ts, summary=results.summary(model, ts), settings=config, model=model)
    for table in ("groups", "projects", "cycles"):  # all three at once: the run's tables as it ended
        getattr(out, table)
    return out


@functools.cache
def _empty_series() -> pd.DataFrame:
    return pd.DataFrame(columns=["step", *results.TIMESERIES_COLUMNS])


def _no_series() -> pd.DataFrame:
    """The light path's time series: no rows, the normal columns (a copy of one frame made once per process:
    a new frame of that many columns takes about 2 ms)."""
    return _empty_series().copy()


def run(scenario: str | None = None, design: str | None = None, seed: int | None = None,
        overrides: Sequence[str] = ()) -> RunResult:
    """Run one scenario and design; ``overrides`` are Hydra overrides such as "citizens.fear_mean=0.6".

    An override of what an argument given sets (``seed=`` beside ``seed``, ``design=`` beside ``design``) is
    refused (ConfigError): the argument would win without a word.
    """
    seed = integral(seed)
    owned = {**({"seed": "seed"} if seed is not None else {}), **({"design": "design"} if design is not None else {})}
    _refuse_owned("run", check_arguments(scenario, design, seed, overrides), owned)
    return run_config(compose_config(scenario, design, seed, overrides))


#: The most replicates per design (and posterior draw) that :func:`compare`, :func:`replicate_runs` and the report
#: run; the most posterior draws; the most processes; the most runs of one comparison (designs x draws x
#: replicates). Each run keeps a row of about a hundred numbers until the end: beyond these a comparison would
#: not fit in memory or not finish, and a typo (replicates=100000000) ends in a MemoryError after minutes.
MAX_REPLICATES = 10_000
MAX_DRAWS = 10_000
MAX_JOBS = 1_024
MAX_RUNS = 100_000


#: The keys :func:`compare` and :func:`replicate_runs` set from their own arguments (a key, or a section as
#: ``design.*``), and the argument that sets each: an override of one would be ignored, or relabel every row.
OWNED: dict[str, str] = {"design": "designs", "design.name": "designs", "seed": "seed", "replicate": "replicates"}


def owned_override(overrides: Sequence[str], owned: Mapping[str, str]) -> tuple[int, str, str] | None:
    """The first of ``overrides`` that sets a key of ``owned`` (``{key or section.*: what sets it}``): its index,
    the key it sets and what sets that key; None when there is none."""
    for i, o in enumerate(overrides):
        key = o.partition("=")[0].lstrip("+~").strip()
        for pattern, by in owned.items():
            if key == pattern or (pattern.endswith(".*") and key.startswith(pattern[:-1])):
                return i, key, by
    return None


def _refuse_owned(function: str, overrides: Sequence[str], owned: Mapping[str, str]) -> None:
    """ConfigError naming the first override of a key that ``function`` sets from its argument."""
    found = owned_override(overrides, owned)
    if found is not None:
        i, key, argument = found
        raise ConfigError(f"overrides[{i}]={overrides[i]!r} sets {key}, which {function} sets from its argument "
                          f"{argument}; allowed: the argument {argument}, and overrides of other keys")


def _designs(designs: object) -> list[str]:
    """``designs`` as a list of distinct preset names; TypeError or ConfigError naming ``designs``."""
    out = text_list("designs", designs, "a design name", "design names")
    if not out:
        raise ConfigError("designs=[] is empty; allowed: a list of one or more design names")
    for d in out:
        check_option("design", d)
    twice = sorted({d for d in out if out.count(d) > 1})
    if twice:
        raise ConfigError(f"designs={out!r} names {twice[0]!r} twice; allowed: each design once")
    return out


def _measure(measure: object) -> None:
    if measure is not None and not callable(measure):
        raise TypeError(f"measure={measure!r} ({type(measure).__name__}) is not a function; allowed: None or a "
                        "module-level function of a RunResult that returns a dict of extra columns")


def _measured(measure: Callable[[RunResult], dict], extra: object) -> Mapping[str, Any]:
    """``extra``, what ``measure`` returned for a run, if it is what a row can take: a mapping of column names
    (texts) to values. TypeError naming ``measure`` and what it returned, at the first run."""
    if isinstance(extra, Mapping):
        bad = [k for k in extra if not isinstance(k, str)]
        if not bad:
            return extra
    shown = one_line(extra)
    what = f"{shown}, whose key {bad[0]!r} is not a text" if isinstance(extra, Mapping) else \
        f"{shown} ({type(extra).__name__})"
    raise TypeError(f"measure={getattr(measure, '__qualname__', repr(measure))} returned {what}; allowed: a dict "
                    "of extra columns, {name (a text): value}")


def replicate_seeds(root_seed: int, replicates: int) -> list[int]:
    """Seeds of replicates 0..n-1, derived from one root seed (numpy SeedSequence).

    Replicate r's seed depends only on (root_seed, r): adding replicates never changes
    existing ones. These are the seeds that ``replicate=r`` gives a run with ``seed=root_seed``.
    ``root_seed`` is a seed (a whole number from 0 to 2**32 - 1, not None: that would give other seeds at every
    call) and ``replicates`` a whole number from 0 to :data:`MAX_REPLICATES`; TypeError or ConfigError naming
    either.
    """
    root_seed = key_whole("root_seed", root_seed, "seed")
    replicates = whole("replicates", replicates, 0, MAX_REPLICATES)
    return [derive_seed(root_seed, r) for r in range(replicates)]


def _filled_columns() -> dict[str, set[str]]:
    """The columns :func:`replicate_runs` fills in each of its tables, known before any run: a run's summary
    (:data:`sim.results.IDENTITY` and the outcomes), time series and groups, and its tags."""
    tags = {"scenario", "design", "seed", "replicate"}
    return {"summary": {*results.IDENTITY, *outcome_names()}, "timeseries": {*_empty_series().columns, *tags},
            "groups": {*results.GROUP_COLUMNS, *tags}}


#: The tables :func:`replicate_runs` returns, joined over its runs.
REPLICATE_TABLES = ("summary", "timeseries", "groups")


def _refuse_filled(columns: Mapping[str, Any]) -> None:
    """ConfigError naming the first of ``columns`` (replicate_runs' extra columns) that has the name of a column
    replicate_runs fills itself: it would replace that column in every row (turnout=0.5, replicate=7); TypeError
    naming one whose value is not a single value (a list, a Series)."""
    filled = _filled_columns()
    for name, value in columns.items():
        tables = [table for table, names in filled.items() if name in names]
        if tables:
            raise ConfigError(f"{name}={one_line(value)} names a column replicate_runs fills itself (in "
                              f"{', '.join(tables)}); allowed: columns of other names, such as variant='...'")
        if not pd.api.types.is_scalar(value):  # a list gave pandas' length error after the first run; a Series
            # filled only the rows its index matched
            raise TypeError(f"{name}={one_line(value)} ({type(value).__name__}) is not a single value; allowed: one "
                            "text, number or True/False, the same in every row of the run's tables")


def replicate_runs(scenario: str | None, design: str | None, replicates: int, seed: int = 0,
                   overrides: Sequence[str] = (), *, each: Mapping[str, Callable[[RunResult], Any]] | None = None,
                   **columns: Any) -> dict[str, Any]:
    """``replicates`` runs of one design with the seeds ``compare`` gives them, and their tables joined.

    Replicate r runs with the seed derived from (``seed``, r), as in :func:`compare`, so a
    notebook's time series match its comparison run by run. Returns ``summary`` (one row per
    run, plus ``columns``), ``timeseries`` and ``groups`` (each row tagged with its run's
    scenario name, design, seed and replicate, plus ``columns``, so that figures can name the
    runs), and for each ``name: f`` of ``each`` the list ``[f(result) for each run]`` (e.g. a
    frame of the finished model). A column of ``columns`` may not have the name of a column the tables have
    (``turnout``, ``replicate``, ``step``, ...): it would replace that column in every row (ConfigError naming
    it, before any run).
    """
    replicates = whole("replicates", replicates, 1, MAX_REPLICATES)
    seed = integral(seed)
    _refuse_filled(columns)
    if each is not None and (not isinstance(each, Mapping) or not all(callable(f) for f in each.values())):
        raise TypeError(f"each={each!r} is not a mapping of names to functions; allowed: None or "
                        "{name: function of a RunResult}")
    taken = [name for name in each or {} if name in REPLICATE_TABLES]
    if taken:  # its lists would be mixed into the table of that name
        raise ConfigError(f"each={{{taken[0]!r}: ...}} names a table replicate_runs returns itself; allowed: other "
                          f"names than {', '.join(REPLICATE_TABLES)}")
    # the design is replicate_runs' argument design, when it is given; without it an override may choose one
    owned = {"seed": "seed", "replicate": "replicates"} | ({"design": "design", "design.name": "design"}
                                                            if design is not None else {})
    _refuse_owned("replicate_runs", check_arguments(scenario, design, seed, overrides), owned)
    composed = compose_config(scenario, design, seed, overrides)
    out: dict[str, Any] = {**{k: [] for k in REPLICATE_TABLES}, **{k: [] for k in each or {}}}
    for r in range(replicates):
        res = run_config(dataclasses.replace(composed, replicate=r))
        tags = {"scenario": composed.scenario.name, "design": composed.design.name, "seed": int(res.summary["seed"]),
                "replicate": r, **columns}
        out["summary"].append(res.summary.to_frame().T.assign(**columns))
        out["timeseries"].append(res.timeseries.assign(**tags))
        out["groups"].append(res.groups.assign(**tags))
        for name, f in (each or {}).items():
            out[name].append(f(res))
    for key in REPLICATE_TABLES:
        out[key] = pd.concat(out[key], ignore_index=True)
    return out


def _summary_row(config: Config, measure: Callable[[RunResult], dict] | None = None,
                 residents: SharedResidents | None = None) -> dict:
    """The summary of one run, with ``measure(result)``'s extra columns when given."""
    result = run_config(config, residents=residents)
    row = result.summary.to_dict()
    if measure is not None:
        extra = _measured(measure, measure(result))
        clash = sorted(set(extra) & set(row))
        if clash:
            raise ValueError(f"measure returned column(s) {clash} that the summary already has")
        row.update(extra)
    return row


def _summary_rows(configs: Sequence[Config], measure: Callable[[RunResult], dict] | None = None) -> list[dict]:
    """The rows of runs on one seed (a replicate's designs), whose residents are built once
    (:class:`sim.model.residents.SharedResidents`: each run is the run it would be alone)."""
    shared = SharedResidents(configs)
    return [_summary_row(c, measure, shared) for c in configs]


def _rows(jobs: list[Config], designs: int, n_jobs: int, measure: Callable[[RunResult], dict] | None) -> list[dict]:
    """The rows of ``jobs`` (design-major: the k-th run of every design shares a seed), in their order.

    One task per replicate (and draw) runs its designs from one build of its residents; with fewer
    replicates than two per process, one run per task keeps every process busy instead."""
    per = len(jobs) // designs
    grouped = n_jobs == 1 or per >= 2 * n_jobs
    tasks = [list(range(k, len(jobs), per)) for k in range(per)] if grouped else [[i] for i in range(len(jobs))]
    configs = [[jobs[i] for i in task] for task in tasks]
    bar = {"total": len(tasks), "desc": "runs", "unit": "task", "disable": None}  # on a terminal only
    if n_jobs > 1:  # no more processes than tasks; an error stops the tasks not yet started (Executor.map)
        with process_pool(min(n_jobs, len(tasks))) as pool:
            done = list(tqdm(pool.map(functools.partial(_summary_rows, measure=measure), configs), **bar))
    else:
        done = [_summary_rows(c, measure) for c in tqdm(configs, **bar)]
    rows: list[dict] = [{} for _ in jobs]
    for task, task_rows in zip(tasks, done, strict=True):
        for i, row in zip(task, task_rows, strict=True):
            rows[i] = row
    return rows


@dataclass(frozen=True)
class Comparison:
    """A comparison whose arguments are checked and whose runs are composed (:func:`plan_comparison`), not run yet.

    ``jobs`` are the runs' configs, design-major (the k-th run of every design shares a seed); ``drawn`` the
    posterior's parameter sets (None without a posterior).
    """

    designs: list[str]
    replicates: int
    n_jobs: int
    jobs: list[Config]
    drawn: pd.DataFrame | None
    measure: Callable[[RunResult], dict] | None


def plan_comparison(scenario: str | None = None, designs: Sequence[str] = ("none", "participatory_budget"),
                    replicates: int = 10, seed: int = 0, overrides: Sequence[str] = (),
                    n_jobs: int = 1, posterior: str | Path | pd.DataFrame | None = None, draws: int = 0,
                    measure: Callable[[RunResult], dict] | None = None) -> Comparison:
    """Check :func:`compare`'s arguments and compose its runs, running none: every wrong argument is a TypeError
    or ConfigError naming it here, before the first run (the report checks here before it starts)."""
    designs = _designs(designs)
    replicates = whole("replicates", replicates, 1, MAX_REPLICATES)
    n_jobs = whole("n_jobs", n_jobs, 1, MAX_JOBS)
    draws = whole("draws", draws, 0, MAX_DRAWS)
    seed = integral(seed)
    _measure(measure)
    if posterior is not None:
        check_source(posterior, "posterior", "None, ")
    overrides = check_arguments(scenario, None, seed, overrides)
    _refuse_owned("compare", overrides, OWNED)
    runs = len(designs) * max(draws, 1) * replicates
    if runs > MAX_RUNS:
        raise ConfigError(f"{len(designs)} designs x {max(draws, 1)} draws x replicates={replicates} are {runs:,} "
                          f"runs; allowed: at most {MAX_RUNS:,} runs in one comparison (fewer replicates or draws)")
    # compose each design once; replicates differ only in their index
    composed = {d: compose_config(scenario, d, seed, overrides) for d in designs}
    drawn = None
    if posterior is not None or draws:
        if posterior is None or not draws:
            shown = "None" if posterior is None else shown_source(posterior)
            raise ConfigError(f"posterior={shown}, draws={draws!r}: a posterior comparison needs both "
                              "a posterior and draws >= 1")
        try:
            # the runs' seed (seed=None: the config's), which draws the parameter sets
            drawn = draw_parameters(posterior, draws, composed[designs[0]].seed)
        except ValueError as exc:  # not a posterior (FileNotFoundError, for none there, names it already)
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"posterior={shown_source(posterior)} cannot be read ({' '.join(str(exc).split())}); "
                              "allowed: an ABC calibration's folder or its posterior.parquet") from None
        keys = [c for c in drawn.columns if c != "draw"]
        clash = next((i for i, o in enumerate(overrides) if o.split("=", 1)[0].lstrip("+~") in keys), None)
        if clash is not None:
            key = overrides[clash].split("=", 1)[0].lstrip("+~")
            raise ConfigError(f"overrides[{clash}]={overrides[clash]!r}: {key} is drawn from the posterior; allowed: "
                              "overrides of the keys it does not draw (without posterior=, any key)")
        jobs = [dataclasses.replace(with_values(composed[d], dict(zip(keys, row, strict=True))), replicate=r)
                for d in designs for row in drawn[keys].itertuples(index=False) for r in range(replicates)]
    else:
        jobs = [dataclasses.replace(composed[d], replicate=r) for d in designs for r in range(replicates)]
    return Comparison(designs=designs, replicates=replicates, n_jobs=n_jobs, jobs=jobs, drawn=drawn, measure=measure)


def run_comparison(plan: Comparison) -> pd.DataFrame:
    """Run a planned comparison (:func:`plan_comparison`); the frame :func:`compare` returns."""
    rows = _rows(plan.jobs, len(plan.designs), plan.n_jobs, plan.measure)
    df = pd.DataFrame(rows)
    first = ["scenario", "design", "replicate", "seed", "root_seed"]
    if plan.drawn is not None:
        per_design = plan.drawn.loc[plan.drawn.index.repeat(plan.replicates)].reset_index(drop=True)
        params = pd.concat([per_design] * len(plan.designs), ignore_index=True)
        df = pd.concat([df, params], axis=1)  # the drawn keys are config keys, never summary columns
        first = ["scenario", "design", "draw", "replicate", "seed", "root_seed"]
    return df[first + [c for c in df.columns if c not in first]]


def compare(scenario: str | None = None, designs: Sequence[str] = ("none", "participatory_budget"),
            replicates: int = 10, seed: int = 0, overrides: Sequence[str] = (),
            n_jobs: int = 1, posterior: str | Path | pd.DataFrame | None = None, draws: int = 0,
            measure: Callable[[RunResult], dict] | None = None) -> pd.DataFrame:
    """Run each design with the same replicates; one row per design and replicate.

    Replicate r of every design runs with the seed derived from (seed, r), exactly as the run
    with ``seed=<seed> replicate=<r>`` of a sweep does. Designs share seeds (common random
    numbers), so differences between designs are not differences in the drawn population, and
    a replicate's designs run together from one build of its residents (:mod:`sim.model.residents`).
    ``n_jobs > 1`` runs the replicates in parallel processes.

    With ``posterior`` (an ABC calibration's folder or ``posterior.parquet``, see
    :mod:`sim.experiments.abc`, or a frame: the one :func:`sim.posterior.load_posterior` returns or a
    ``posterior.parquet``'s particles, checked as the file is) and ``draws=n``, each design runs
    ``replicates`` replicates on each of ``n`` parameter sets resampled from the posterior
    (:func:`sim.posterior.draw_parameters`, seeded by ``seed``): one row per design, draw and replicate,
    with the columns ``draw`` and the drawn parameters. Draw d and replicate r share parameters and seed
    across designs, so :func:`sim.experiments.uncertainty.beats` can match them. An override of a key the
    posterior draws is refused (``ConfigError``).

    ``measure`` (a module-level function, so that parallel processes can receive it) adds its
    columns to each run's row, computed from the whole ``RunResult`` (its tables and finished
    model): :func:`sim.experiments.answers.measure` adds costs and who takes part. It returns a dict
    ``{column name: value}``; anything else is a TypeError naming it at the first run.

    Whole numbers may be of any integral type (``numpy.int64`` too, not bool). ``replicates`` is at most
    :data:`MAX_REPLICATES` (10,000), ``draws`` :data:`MAX_DRAWS` (10,000), ``n_jobs`` :data:`MAX_JOBS`
    (1,024), and a comparison at most :data:`MAX_RUNS` (100,000) runs. An override of a key compare sets
    from its arguments (:data:`OWNED`: ``design``, ``design.name``, ``seed``, ``replicate``) is refused.
    Every check is made before the first run (:func:`plan_comparison`).
    """
    return run_comparison(plan_comparison(scenario, designs, replicates, seed, overrides, n_jobs, posterior, draws,
                                          measure))
