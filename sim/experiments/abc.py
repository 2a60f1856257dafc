"""Calibration against several patterns at once: approximate Bayesian computation (ABC-SMC, pyabc).

What is fitted
    The *calibration* patterns of the validation report (:data:`sim.validation.patterns.CALIBRATION`
    with an ``observed`` value; never a validation pattern), each at its observed value in the
    modelled case: Geel's turnout (T1), turnout over twelve yearly editions (D1: the last edition
    over the peak, Paris and Lisbon), the share of panel letters answered yes (P1, Mechelen), the
    age profile of PB voters (W3, Częstochowa) and the share of Geel's ideas that reach the vote (S1).
Over what
    Every parameter the schema marks *calibrated* (``provenance="calibrated"``), each with the
    uniform prior the schema declares (``prior=(a, b)``, listed in docs/parameters.md). The
    *assumed* effect sizes that declare a prior (no published estimate: issue 17, point 2) are not
    fitted here, because no calibration pattern measures them: a comparison over the posterior
    (:func:`sim.posterior.draw_parameters`) draws them from their priors beside the calibrated
    parameters, so their uncertainty is carried into every result drawn from the posterior.
How
    ABC-SMC (Del Moral, Doucet & Jasra 2012; Toni et al. 2009) as pyabc implements it (Schälte et
    al. 2022, Bioinformatics): a population of parameter sets is drawn from the prior, each is
    simulated once, and those whose summary statistics lie within an acceptance threshold of the
    observations are kept; each generation perturbs the last population and lowers the threshold
    (pyabc's median epsilon). The distance is Euclidean over the patterns, each difference divided
    by half the width of the pattern's target range: the range is the spread of the measure
    across the cases the literature reports, so a miss of half that spread weighs one unit in
    every pattern.
    Early rejection: a particle's patterns are measured a group at a time, the shortest runs
    first (Geel's participatory budget for T1, W3 and S1, then the panel for P1, then the twelve
    editions of 150 months for D1); once the distance over the patterns measured so far is above
    the generation's threshold the particle is rejected without the longer runs. The distance
    over some patterns never exceeds the whole distance, so the same particles are accepted with
    the same distances as when every pattern runs (``fit(early_rejection=False)``; a test compares).

Why pyabc
    It is maintained, on PyPI, does ABC-SMC with adaptive thresholds and perturbation kernels,
    keeps every generation in an SQL database that can be reopened and analysed, and evaluates
    particles on local processes (pyabc's sampler interface; ours: :mod:`sim.experiments.abc_sampler`), on
    Redis workers or on a Dask cluster
    (``DaskDistributedSampler``; a SLURM cluster through ``dask-jobqueue``). sbi needs neural
    density estimators (torch) and many simulations to train; ELFI's ABC-SMC is less maintained.

Randomness
    Each particle's model runs use a seed derived from the experiment's seed and the particle's
    parameter values (:func:`particle_seed`), so a particle gives the same statistics in any
    process. The parameter proposals come from numpy's global generator, which pyabc uses: on local
    processes each evaluation seeds it from the experiment's seed, the generation and the evaluation's
    number, and a generation is the first acceptances in the order of those numbers
    (:class:`sim.experiments.abc_sampler.DeterministicSampler`), so a calibration is identical from run to
    run on one process or several (``experiment.jobs``). pyabc's Redis and Dask samplers keep whichever
    particles finish first: their posterior is the same in distribution, not bit for bit.

Outputs (:func:`write_results`)
    ``abc.db`` (pyabc's database; a calibration fills ``.abc.db.partial``, then writes its files and moves the
    database into the hidden folder ``.abc.new`` and only then puts them in place of the last one's, abc.json
    last (:func:`_switch`), so that stopping it loses nothing: the next start finishes a switch that was stopped),
    ``posterior.parquet`` (every generation's particles: generation, weight, distance, parameters,
    statistics; the last generation is the posterior),
    ``abc.json`` (the sha256 of the other files and a checksum of its own content, by which a calibration
    started again with the same settings is kept (:func:`finished_before`); priors, observations, thresholds,
    evaluations (and those of pyabc's calibration sample),
    each generation's effective sample size (:func:`effective_sample_size`), seconds, and per parameter the
    posterior mean, sd, 95 % interval and the ratio of posterior to prior sd, which says how
    much the patterns pin it down), ``fit.csv`` (each pattern's observation beside the
    posterior's statistics) and ``figures/abc_posterior.{png,svg}``.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import io
import json
import logging
import os
import pickle
import struct
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyabc

from sim.api import run_config
from sim.config.compose import compose_config, mapping
from sim.config.keys import ConfigError, declared_priors, with_values
from sim.config.params_doc import GROUPS, params_of
from sim.experiments.abc_sampler import DeterministicSampler
from sim.experiments.abc_settings import check_run, fit_arguments, redis_password, shown_scheduler
from sim.experiments.sweep import RESULT_CODE, build_config, json_digest, own_checksum, run_config_node, source_digest
from sim.io import (
    MAX_RUN_FILE_BYTES,
    MAX_STATUS_BYTES,
    atomic_parquet,
    atomic_write_text,
    json_of,
    open_regular,
    read_regular,
    regular_sha256,
    remove,
)
from sim.model.residents import SharedResidents
from sim.plots import save
from sim.validation.patterns import by_id, calibration_patterns, observed_values, shared_runs
from sim.workers import die_with_parent

log = logging.getLogger(__name__)

__all__ = [
    "Prior",
    "calibrated_parameters",
    "calibration_patterns",
    "fit",
    "particle_seed",
    "run_experiment",
    "simulate",
    "summarise",
    "write_results",
]


@dataclasses.dataclass(frozen=True)
class Prior:
    """Uniform prior of one calibrated parameter (from the schema's ``prior=``)."""

    key: str
    lo: float
    hi: float

    @property
    def name(self) -> str:
        """The parameter's name in pyabc and the database (dots become double underscores)."""
        return self.key.replace(".", "__")

    @property
    def sd(self) -> float:
        """Standard deviation of the uniform prior."""
        return (self.hi - self.lo) / np.sqrt(12.0)


def calibrated_parameters() -> list[Prior]:
    """Every schema parameter with provenance *calibrated*, with its prior, in the docs' group order.

    Raises ``ValueError`` naming a calibrated parameter that declares no prior.
    """
    # in the docs' group order (citizens before proposals): the order of pyabc's parameters
    # fixes which random numbers each one draws, so it is part of a calibration's result
    declared = {key: (lo, hi) for key, lo, hi in declared_priors("calibrated")}
    out = []
    for group in GROUPS:
        for key, f in params_of(group):
            if f.metadata.get("provenance") != "calibrated":
                continue
            if key not in declared:
                raise ValueError(f"{key} is marked calibrated but declares no prior (param(..., prior=(a, b)))")
            out.append(Prior(key, *declared[key]))
    return out


def _scale_of(pattern: Any) -> float:
    """Half the width of a pattern's target range: the unit of its distance."""
    t = pattern.target
    if t.kind != "range":
        raise ValueError(f"calibration pattern {pattern.id} has a {t.kind} target; ABC needs a range")
    return (t.hi - t.lo) / 2.0


def particle_seed(root: int, values: Sequence[float]) -> int:
    """Seed of a particle's runs: SeedSequence of ``root`` and the bits of its parameter values."""
    bits = [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in values]
    return int(np.random.SeedSequence([int(root), *bits]).generate_state(1, np.uint32)[0])


@functools.lru_cache(maxsize=32)
def _composed(condition: Any, overrides: tuple[str, ...]) -> Any:
    """A pattern condition's preset composed once per process (Hydra's compose takes ~0.2 s)."""
    return compose_config(condition.scenario, condition.design, None, [*condition.overrides, *overrides])


def _stages(patterns: Sequence[Any], overrides: tuple[str, ...]) -> list[list[Any]]:
    """The patterns grouped by the conditions they share (:func:`sim.validation.patterns.shared_runs`, as the
    validation groups them), cheapest group first: ordered by the months their runs simulate (``run.steps``),
    then by more patterns first, so that an early rejection (:meth:`_Model.accept`) skips the longest runs.
    """
    by = {p.id: p for p in patterns}
    groups = [[by[i] for i in ids] for ids, _ in shared_runs(patterns)]

    def months(group: list[Any]) -> tuple[int, int]:
        conds = {c for p in group for c in p.conditions.values()}
        return sum(int(_composed(c, overrides).run.steps) for c in conds), -len(group)

    return sorted(groups, key=months)


def measures(values: Mapping[str, float], *, seed: int, patterns: Sequence[Any] | None = None,
             overrides: Sequence[str] = (), series: bool = False) -> Iterator[dict[str, float]]:
    """The patterns' measures for one parameter set, one group of patterns at a time (:func:`_stages`).

    Each distinct condition of the patterns (scenario, design, its overrides) is composed once
    with ``overrides`` (e.g. ``run.population_scale=0.25``) and runs with ``seed`` and the
    parameter values (:func:`sim.config.keys.with_values`); a measure the run cannot give is ``nan``,
    which no acceptance threshold accepts. The runs take the light path (``series=False``,
    :func:`sim.api.run_config`: no survey, no time series; the calibration patterns read cycles,
    groups and the summary's turnout), about a third less work a particle; the values are those of
    the normal path (``series=True``; tests/experiments/test_abc.py checks it). Conditions that differ
    only in the design build their residents once (:class:`sim.model.residents.SharedResidents`: Geel's
    panel starts from the residents its budget built). A group's runs depend on the values and the seed
    only, never on the groups before it (a shared build is the build the run would make itself).
    """
    patterns = list(patterns) if patterns is not None else calibration_patterns()
    settings = {**{k: float(v) for k, v in values.items()}, "seed": int(seed)}
    stages = _stages(patterns, tuple(overrides))
    configs = {cond: with_values(_composed(cond, tuple(overrides)), settings)
               for group in stages for p in group for cond in p.conditions.values()}
    shared = SharedResidents(configs.values())  # Geel's budget and panel: one build of its residents for both
    for group in stages:
        runs: dict[Any, Any] = {}
        out: dict[str, float] = {}
        for p in group:
            named = {}
            for name, cond in p.conditions.items():
                if cond not in runs:
                    runs[cond] = run_config(configs[cond], series=series, residents=shared)
                named[name] = runs[cond]
            try:
                out[p.id] = float(p.measure(named))
            except Exception:  # a run without the measure's material (no cycle, no letters) is rejected
                out[p.id] = float("nan")
        yield out


def simulate(values: Mapping[str, float], *, seed: int, patterns: Sequence[Any] | None = None,
             overrides: Sequence[str] = (), series: bool = False) -> dict[str, float]:
    """The patterns' measures for one parameter set: ``{pattern id: value}`` (every group of :func:`measures`)."""
    return _merged(measures(values, seed=seed, patterns=patterns, overrides=overrides, series=series))


def _merged(stages: Iterator[dict[str, float]]) -> dict[str, float]:
    """Every stage's measures in one mapping (all of :func:`measures`, run to the end)."""
    out: dict[str, float] = {}
    for stage in stages:
        out.update(stage)
    return out


def partial_distance(stats: Mapping[str, float], observed: Mapping[str, float],
                     weights: Mapping[str, float]) -> float:
    """The Euclidean distance over the patterns measured so far (``nan`` measures: infinite).

    The terms are non-negative, so the distance over some patterns is never above the distance
    over all of them: a parameter set already farther than the threshold is rejected whatever
    the remaining patterns would give.
    """
    d = np.array([weights[k] * (stats[k] - observed[k]) for k in stats], dtype=float)
    return float("inf") if np.isnan(d).any() else float(np.sqrt(np.sum(d * d)))


class _Model(pyabc.Model):
    """The picklable model pyabc evaluates: pyabc parameters in, the patterns' measures out.

    ``accept`` rejects early (pyabc's model interface lets a model decide acceptance itself, as
    its ``IntegratedModel`` does): the groups of patterns run cheapest first (:func:`_stages`),
    and once the distance over the patterns measured so far exceeds the generation's threshold
    the particle is rejected without running the rest (twelve editions, 150 months, are the
    longest runs). Since that partial distance never exceeds the whole one and every group's runs
    depend only on the particle, exactly the particles a full evaluation would accept are
    accepted, with the same distances (tests/experiments/test_abc.py compares both).
    """

    def __init__(self, priors: Sequence[Prior], pattern_ids: Sequence[str], seed: int,
                 overrides: Sequence[str], weights: Mapping[str, float], *, early: bool = True):
        super().__init__(name="coproduction-sim")
        self.priors, self.pattern_ids = list(priors), list(pattern_ids)
        self.seed, self.overrides = int(seed), list(overrides)
        self.weights, self.early = dict(weights), bool(early)
        self.launcher = os.getpid()  # the process that runs the ABC: local samplers' workers die with it

    def _measures(self, parameter: Mapping[str, float]) -> Iterator[dict[str, float]]:
        die_with_parent(self.launcher)  # only in a direct child (pyabc's local processes); once per process
        values = {p.key: float(parameter[p.name]) for p in self.priors}
        return measures(values, seed=particle_seed(self.seed, list(values.values())),
                        patterns=[by_id(i) for i in self.pattern_ids], overrides=self.overrides)

    def sample(self, pars: Mapping[str, float]) -> dict[str, float]:
        """Every pattern's measure (pyabc's first generation calibrates its threshold on these)."""
        return _merged(self._measures(pars))

    def accept(self, t: int, pars: Any, sum_stat_calculator: Any, distance_calculator: Any,
               eps_calculator: Any, acceptor: Any, x_0: dict) -> Any:
        """Measure group by group, stop when the partial distance exceeds ``eps(t)``; else pyabc's acceptor."""
        eps = float(eps_calculator(t))
        stats: dict[str, float] = {}
        for stage in self._measures(pars):
            stats.update(stage)
            if self.early and len(stats) < len(self.pattern_ids):
                d = partial_distance(stats, x_0, self.weights)
                if d > eps * (1 + 1e-9):  # a margin for rounding: never reject what the acceptor would keep
                    return pyabc.ModelResult(sum_stat=sum_stat_calculator(stats), distance=d, accepted=False)
        result = pyabc.ModelResult(sum_stat=sum_stat_calculator(stats))
        verdict = acceptor(distance_function=distance_calculator, eps=eps_calculator, x=result.sum_stat,
                           x_0=x_0, t=t, par=pars)
        result.distance, result.accepted, result.weight = verdict.distance, verdict.accept, verdict.weight
        return result


def _sampler(jobs: int, scheduler: str, seed: int) -> Any:
    """The sampler: local processes whose generations the seed fixes (:class:`DeterministicSampler`), or pyabc's
    for a Dask scheduler (``tcp://host:8786``) or Redis (``redis://host:6379``), which keep what finishes first."""
    from pyabc.sampler import DaskDistributedSampler

    if scheduler.startswith("redis://"):
        from urllib.parse import urlparse

        from pyabc.sampler import RedisEvalParallelSampler

        url = urlparse(scheduler)
        sampler = RedisEvalParallelSampler(host=url.hostname or "localhost", port=url.port or 6379,
                                           password=redis_password(scheduler))
        sampler.show_progress = sys.stderr.isatty()
        return sampler
    if scheduler:
        from distributed import Client

        return DaskDistributedSampler(dask_client=Client(scheduler))
    sampler = DeterministicSampler(seed, n_procs=jobs or os.cpu_count() or 1)
    # pyabc's own progress bar of each generation's accepted particles, on a terminal only
    sampler.show_progress = sys.stderr.isatty()
    return sampler


class RedisWatchdog(threading.Thread):
    """Keeps pyabc's Redis sampler going when a worker dies, and stops it when no worker works.

    pyabc 0.13's ``RedisEvalParallelSampler``, once a generation has its particles, waits for
    every particle started before the last accepted one, as long as a worker is signed up to the
    generation (``N_WORKER`` > 0). A worker leaves ``N_WORKER`` only on a normal end or SIGTERM;
    after SIGKILL, the OOM killer or a lost machine its particle is never reported and the
    master waits forever. This thread, in the master, reads the current analysis (pyabc sets it
    in Redis when the run starts), its generation and the generation's counters every ``poll``
    seconds and

    - when every particle is accepted and no counter changed for ``grace`` seconds, sets the
      generation's ``N_WORKER`` to 0, as ``abc-redis-manager reset-workers`` would, and logs it:
      the ABC goes on without the lost particle (live workers later count the counter below
      zero, harmlessly);
    - when no particle was evaluated for ``timeout`` seconds while particles are missing (no
      worker, or workers that signed up and died, e.g. because they cannot import ``sim``),
      makes the master raise :class:`WorkersGone` with what to check: a pickled object whose
      unpickling raises it is pushed into the queue the master reads its results from.
    """

    def __init__(self, redis: Any, *, grace: float = 20.0, timeout: float = 600.0, poll: float = 0.5) -> None:
        super().__init__(daemon=True, name="sim-redis-watchdog")
        self.redis, self.analysis_id = redis, ""
        self.grace, self.timeout, self.poll = grace, timeout, poll
        self.stop = threading.Event()
        self.released: list[int] = []  # generations whose wait was released

    def _counters(self, t: int) -> tuple[int | None, ...]:
        keys = [f"{name}_{self.analysis_id}_{t}" for name in ("n_eval", "n_acc", "n_req", "n_worker")]
        return tuple(None if v is None else int(v) for v in self.redis.mget(keys))

    def run(self) -> None:
        state, since = None, time.monotonic()
        while not self.stop.wait(self.poll):
            ana = self.redis.get("analysis_id")
            if ana is None:
                continue
            self.analysis_id = ana.decode()
            raw = self.redis.get(f"generation_{self.analysis_id}")
            if raw is None:
                continue
            t = int(raw)
            counters = self._counters(t)
            if (t, counters) != state:
                state, since = (t, counters), time.monotonic()
                continue
            n_eval, n_acc, n_req, n_worker = counters
            if n_acc is None or n_req is None:
                continue
            stalled = time.monotonic() - since
            if n_acc >= n_req and (n_worker or 0) > 0 and stalled > self.grace and t not in self.released:
                log.warning("ABC generation %d: every particle is in, but %d Redis worker(s) have not reported for "
                            "%.0f s: taken for dead (killed, out of memory or a lost machine); going on without "
                            "their particles", t, n_worker, stalled)
                self.redis.set(f"n_worker_{self.analysis_id}_{t}", 0)
                self.released.append(t)
            elif n_acc < n_req and stalled > self.timeout:
                message = (f"no Redis worker has evaluated a particle of ABC generation {t} for {stalled:.0f} s "
                           f"({n_acc} of {n_req} accepted, {n_eval} evaluated, {n_worker or 0} worker(s) signed "
                           "up): start workers with `abc-redis-worker --host=<host> --port=<port>` in the same "
                           "environment and checkout as this process (`python -c 'import sim'` must work there: "
                           "a worker that cannot import sim signs up, logs ModuleNotFoundError and exits)")
                self.redis.rpush(f"queue_{self.analysis_id}_{t}", pickle.dumps(_Raise(message)))
                return


class WorkersGone(RuntimeError):
    """The ABC's Redis workers evaluate nothing (see :class:`RedisWatchdog`)."""


class _Raise:
    """Unpickled by the ABC's master (pyabc reads results from Redis by unpickling), raises WorkersGone."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _workers_gone, (self.message,)


def _workers_gone(message: str) -> None:
    raise WorkersGone(message)


def fit(db_path: Path, *, priors: Sequence[Prior] | None = None, patterns: Sequence[Any] | None = None,
        observed: Mapping[str, float] | None = None, population: int = 100, generations: int = 6,
        min_epsilon: float = 0.0, seed: int = 0, jobs: int = 0, scheduler: str = "",
        overrides: Sequence[str] = (), watchdog: Mapping[str, float] | None = None,
        early_rejection: bool = True) -> Any:
    """Run ABC-SMC and return pyabc's ``History`` (stored in the SQLite file ``db_path``).

    ``observed`` replaces the patterns' observed values (a recovery test fits data the model made);
    ``jobs`` local processes (0: all cores), the Dask ``scheduler`` (``tcp://host:8786``) or Redis
    workers (``redis://host:6379``; ``abc-redis-worker`` processes) evaluate the particles. With
    Redis, a :class:`RedisWatchdog` (``watchdog``: its ``grace`` and ``timeout`` in seconds) keeps the
    ABC going when a worker dies and raises :class:`WorkersGone` when no worker works.
    ``early_rejection`` (:meth:`_Model.accept`) leaves the accepted particles as they are and
    skips the runs of particles already rejected; ``False`` runs every pattern of every particle.
    """
    population, generations, min_epsilon, seed, jobs, scheduler, overrides = fit_arguments(  # before anything
        priors=priors, population=population, generations=generations, min_epsilon=min_epsilon, seed=seed, jobs=jobs,
        scheduler=scheduler, overrides=overrides)
    priors = list(priors) if priors is not None else calibrated_parameters()
    patterns = list(patterns) if patterns is not None else calibration_patterns()
    obs = observed_values(patterns) if observed is None else dict(observed)
    missing = [p.id for p in patterns if p.id not in obs]
    if missing:
        raise ValueError(f"observed values missing for patterns {missing}")
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.lo, p.hi - p.lo) for p in priors})
    weights = {p.id: 1.0 / _scale_of(p) for p in patterns}
    distance = pyabc.PNormDistance(p=2, fixed_weights=weights)
    model = _Model(priors, [p.id for p in patterns], seed, overrides, weights, early=early_rejection)
    for p in patterns:  # composed once here: pyabc's local workers start as copies of this process each generation
        for cond in p.conditions.values():
            _composed(cond, tuple(overrides))
    np.random.seed(int(seed) % 2**32)  # noqa: NPY002 (pyabc draws its proposals from the global generator)
    db_path = _clear_database(db_path)  # a new calibration; pyabc would append a second run to the same file
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyabc's and SQLAlchemy's deprecation notices
        sampler = _sampler(jobs, scheduler, seed)
        abc = pyabc.ABCSMC(model, prior, distance, population_size=int(population), sampler=sampler)
        # quoted: SQLAlchemy decodes %-escapes in the URL's path ("run%20one", "x%2F..%2F..": elsewhere)
        abc.new("sqlite:///" + quote(str(db_path.absolute())), obs)
        guard = None
        if scheduler.startswith("redis://"):
            guard = RedisWatchdog(sampler.redis, **(watchdog or {}))
            guard.start()
        try:
            history = abc.run(max_nr_populations=int(generations), minimum_epsilon=float(min_epsilon))
        except ValueError as exc:
            # pyabc's first threshold is the median distance of its calibration sample: nan when most of those
            # particles of the prior could not be measured (no decided cycle, no voter of an age group)
            if "epsilon threshold nan" not in str(exc):
                raise
            shown = f" with overrides {list(overrides)}" if overrides else ""
            raise ConfigError(f"most particles of the prior cannot be measured{shown}: their runs hold no decided "
                              "cycle or no voter of a group a pattern compares (pyabc's first threshold is nan); "
                              "allowed: municipalities large enough to measure every pattern, such as a larger "
                              "run.population_scale") from None
        finally:
            if guard is not None:
                guard.stop.set()
            if scheduler and not scheduler.startswith("redis://"):
                sampler.client.close()
    return history


#: The first bytes of every SQLite database file (sqlite.org/fileformat.html, "The Database Header").
SQLITE_HEADER = b"SQLite format 3\x00"
#: The largest abc.db read (bytes): pyabc's database of thousands of particles over dozens of generations is well
#: under a GiB; it is read a block at a time (its checksum, its header), never whole.
MAX_DATABASE_BYTES = 64 << 30


def _clear_database(given: Any) -> Path:
    """``given`` as a Path, with room made there for a new database: a link there is removed (never written through,
    nor what it points to), an SQLite database or an empty file is removed; anything else there (a user's file, a
    folder, a FIFO), or a ``given`` that is no path, is refused, left as it is: ``ConfigError`` naming it."""
    allowed = "the path of a new file, an empty file or an SQLite database (pyabc's) to replace"
    if not isinstance(given, str | os.PathLike) or not str(given):
        raise ConfigError(f"db_path={given!r} ({type(given).__name__}) is not a file's path; allowed: {allowed}")
    db_path = Path(given)
    shown = f"db_path={db_path}"
    if db_path.is_symlink():
        db_path.unlink()
        return db_path
    if not os.path.lexists(db_path):
        return db_path
    if db_path.is_dir():
        raise ConfigError(f"{shown}: a folder; allowed: {allowed}")
    try:
        with open_regular(db_path, MAX_DATABASE_BYTES) as f:
            head = f.read(len(SQLITE_HEADER))
    except ValueError as exc:  # names the path
        raise ConfigError(f"db_path={exc}; allowed: {allowed}") from None
    if head and head != SQLITE_HEADER:
        raise ConfigError(f"{shown}: a file that is not an SQLite database (its first bytes are not 'SQLite format "
                          f"3'); allowed: {allowed}")
    db_path.unlink()
    return db_path


def particles(history: Any, priors: Sequence[Prior]) -> pd.DataFrame:
    """Every generation's accepted particles: generation, weight (summing to 1 per generation),
    distance, the parameters under their schema keys and the patterns' statistics."""
    rows = []
    for t in range(history.max_t + 1):
        pop = history.get_population(t=t)
        for i, particle in enumerate(pop.particles):
            rows.append({"generation": t, "particle": i, "weight": float(particle.weight),
                         "distance": float(particle.distance),
                         **{p.key: float(particle.parameter[p.name]) for p in priors},
                         **{f"stat.{k}": float(v) for k, v in particle.sum_stat.items()}})
    df = pd.DataFrame(rows)
    df["weight"] = df["weight"] / df.groupby("generation")["weight"].transform("sum")
    return df


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights, (sum w)^2 / sum w^2: how many equally weighted
    particles the weighted population is worth (its size when all weights are equal, 1 when one weight holds
    everything). pyabc logs it per generation; an SMC posterior whose last generation is worth a few dozen
    particles gives rough quantiles, which is why abc.json keeps it."""
    w = np.asarray(weights, dtype=float)
    total = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / total if total > 0 else 0.0


#: Below this share of the population, the last generation's effective sample size is warned about
#: (Del Moral, Doucet & Jasra 2012 resample an SMC population when its ESS falls below half of it).
LOW_ESS_SHARE = 0.5


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return float(np.interp(q * cw[-1], cw, x[order]))


def summarise(df: pd.DataFrame, priors: Sequence[Prior], patterns: Sequence[Any],
              observed: Mapping[str, float]) -> tuple[dict[str, dict[str, float]], pd.DataFrame]:
    """Posterior per parameter (mean, sd, 95 % interval, sd over prior sd) and the pattern fit."""
    last = df[df["generation"] == df["generation"].max()]
    w = last["weight"].to_numpy()
    post: dict[str, dict[str, float]] = {}
    for p in priors:
        x = last[p.key].to_numpy()
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        post[p.key] = {"prior_lo": p.lo, "prior_hi": p.hi, "mean": mean, "sd": sd,
                       "q2.5": _weighted_quantile(x, w, 0.025), "q97.5": _weighted_quantile(x, w, 0.975),
                       "sd_over_prior_sd": sd / p.sd}
    fit_rows = []
    for pat in patterns:
        x = last[f"stat.{pat.id}"].to_numpy()
        fit_rows.append({"id": pat.id, "pattern": pat.what, "observed": float(observed[pat.id]),
                         "source": pat.observed_source, "target": pat.target.text(pat.fmt),
                         "posterior_mean": float(np.sum(w * x)), "q2.5": _weighted_quantile(x, w, 0.025),
                         "q97.5": _weighted_quantile(x, w, 0.975)})
    return post, pd.DataFrame(fit_rows)


def write_results(history: Any, out_dir: Path, *, priors: Sequence[Prior], patterns: Sequence[Any],
                  observed: Mapping[str, float], info: Mapping[str, Any], figures: bool = True,
                  database: Path | None = None) -> dict:
    """Write posterior.parquet, fit.csv and abc.json (and move ``database``, pyabc's finished database, in as abc.db)
    into the hidden folder :data:`STAGING`, then put them in place of the last calibration's (:func:`_switch`,
    abc.json last) and draw the figure; return the abc.json content (with ``files``: the sha256 of the files
    written, and of those ``info["files"]`` names; ``checksum``: that of abc.json's own content)."""
    staging = out_dir / STAGING
    remove(staging)  # a calibration stopped while it wrote its files there; a link: removed, never written through
    staging.mkdir(parents=True)
    df = particles(history, priors)
    files = {**info.get("files", {}), "posterior.parquet": atomic_parquet(staging / "posterior.parquet", df)}
    post, fit_table = summarise(df, priors, patterns, observed)
    files["fit.csv"] = atomic_write_text(staging / "fit.csv", fit_table.to_csv(index=False))
    every = history.get_all_populations()
    pops = every[every["t"] >= 0]
    ess = [effective_sample_size(w.to_numpy()) for _, w in df.groupby("generation", sort=True)["weight"]]
    result = {
        **info,
        "patterns": {p.id: {"observed": float(observed[p.id]), "scale": _scale_of(p), "source": p.observed_source}
                     for p in patterns},
        "priors": {p.key: {"uniform": [p.lo, p.hi]} for p in priors},
        "posterior": post,
        "fit": fit_table.drop(columns=["pattern", "source"]).to_dict(orient="records"),
        "epsilons": [float(e) for e in pops["epsilon"]],
        "evaluations": int(pops["samples"].sum()),
        # pyabc's calibration sample (generation -1): particles of the prior, all run in full, that set the first
        # threshold (the median of their distances); model runs too, not counted in ``evaluations``
        "calibration_evaluations": int(every.loc[every["t"] < 0, "samples"].sum()),
        "effective_sample_sizes": [round(e, 1) for e in ess],
        "generations_run": int(history.max_t + 1),
        "files": files,  # checksums: a calibration started again with the same settings keeps intact results
    }
    size = int((df["generation"] == df["generation"].max()).sum())
    if ess and ess[-1] < LOW_ESS_SHARE * size:
        log.warning("ABC: the last generation's %d weighted particles are worth %.0f equally weighted ones (effective "
                    "sample size): the posterior's intervals are rough; a larger experiment.abc_population narrows "
                    "their error", size, ess[-1])
    if database is not None:  # read through the history above: moved only now
        files["abc.db"] = regular_sha256(database, MAX_DATABASE_BYTES)
        os.replace(database, staging / "abc.db")
    # as it reads back, with the checksum of its own content: an abc.json edited by hand is not a finished one's
    result = json.loads(json.dumps(result, default=str))
    result["checksum"] = own_checksum(result)
    atomic_write_text(staging / "abc.json", json.dumps(result, indent=2))
    _switch(staging, out_dir)
    if figures:
        _figure(df, priors, fit_table, out_dir)
    return result


def _switch(staging: Path, out_dir: Path) -> None:
    """Put a finished calibration's files, whole in ``staging``, in place of the last one's in ``out_dir``, abc.json
    (which says the others are whole) last, and remove ``staging``. The last one's figure is removed first (drawn
    again from the new files). Stopped part-way, the next start finishes it (:func:`_finish_switch`)."""
    figures = out_dir / "figures"
    if figures.is_dir() and not figures.is_symlink():  # never through a link (sim.plots.save replaces it)
        for ext in ("png", "svg"):
            remove(figures / f"abc_posterior.{ext}")
    for name in RESULT_FILES:
        if os.path.lexists(staging / name):  # else moved already, by a switch that was stopped
            os.replace(staging / name, out_dir / name)
    remove(staging)


def _finish_switch(out_dir: Path) -> None:
    """Finish the switch of a calibration stopped while its files replaced the last one's (:func:`_switch`): when
    its staging folder holds a whole abc.json whose files (in the staging folder, or moved already) match their
    checksums, the switch is completed; otherwise (stopped while it wrote them, before any replace: the last
    calibration's files are as they were) the staging folder is removed."""
    staging = out_dir / STAGING
    if not os.path.lexists(staging):
        return
    try:
        if staging.is_symlink() or not staging.is_dir():
            raise NotKept(f"{staging}: not a folder")
        _verified(staging / "abc.json",
                  lambda name: staging / name if os.path.lexists(staging / name) else out_dir / name)
    except NotKept as exc:
        log.info("%s: the files of a calibration stopped before they were whole are removed (%s)", staging, exc)
        remove(staging)
        return
    log.warning("%s: a calibration finished here was stopped while its files replaced the last one's: they are put "
                "in place now", out_dir)
    _switch(staging, out_dir)


def _figure(df: pd.DataFrame, priors: Sequence[Prior], fit_table: pd.DataFrame, out_dir: Path) -> None:
    import matplotlib.pyplot as plt


    last = df[df["generation"] == df["generation"].max()]
    n = len(priors)
    cols = max(n, len(fit_table))
    fig, axes = plt.subplots(2, cols, figsize=(4.2 * cols, 7.6), squeeze=False)
    for ax, p in zip(axes[0], priors, strict=False):
        ax.hist(last[p.key], bins=20, weights=last["weight"], range=(p.lo, p.hi), density=True,
                color="#4C72B0", alpha=0.8, label="posterior (last generation)")
        ax.axhline(1.0 / (p.hi - p.lo), color="0.4", ls="--", label="prior (uniform)")
        ax.set(title=p.key, xlabel="value", ylabel="density")
    for ax, row in zip(axes[1], fit_table.itertuples(), strict=False):
        x = last[f"stat.{row.id}"]
        ax.hist(x, bins=20, weights=last["weight"], color="#55A868", alpha=0.8, label="runs of the posterior")
        ax.axvline(row.observed, color="k", lw=2, label="observed value")
        ax.set(title="\n".join(textwrap.wrap(f"{row.id}: {row.pattern}", 40)[:3]),
               xlabel=f"{row.id} (observed {row.observed:.3g})", ylabel="weight")
    for ax in [*axes[0][n:], *axes[1][len(fit_table):]]:
        ax.set_visible(False)
    # one legend per row, beside the panels, never over the data
    for row_axes, y in ((axes[0], 0.97), (axes[1], 0.47)):
        handles, labels = row_axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper right", bbox_to_anchor=(1.0, y), fontsize="small", frameon=False)
    fig.suptitle("ABC-SMC calibration: marginal posteriors (top) and the fit of each pattern (bottom)", x=0.4)
    fig.tight_layout(rect=(0, 0, 0.84, 0.97))
    save(fig, out_dir / "figures", "abc_posterior")


#: What a finished calibration's results depend on besides its settings: the model's code and this module's,
#: and the patterns it fits (:func:`sim.experiments.sweep.source_digest`).
CALIBRATION_CODE = (*RESULT_CODE, "experiments/abc.py", "validation/patterns.py")
#: The files a calibration's abc.json records the checksums of (the results drawn from the database, and it).
CHECKED_FILES = ("posterior.parquet", "fit.csv", "abc.db")
#: A calibration's result files, in the order they replace the last one's: abc.json, which says the others are
#: whole (their checksums), last.
RESULT_FILES = (*CHECKED_FILES, "abc.json")
#: The hidden folder a finished calibration writes its files into before they replace the last one's.
STAGING = ".abc.new"


def calibration_key(cfg: Any) -> str:
    """Hash of what a calibration's result depends on: its resolved settings (without how it runs: the number
    of processes, the scheduler, the figures), the configurations its patterns run (composed from the presets,
    which a calibration reads beside its own settings), the code (:data:`CALIBRATION_CODE`) and the versions of
    the libraries that draw and weigh its particles."""
    data = mapping(cfg)
    data.pop("hydra", None)
    for key in ("jobs", "scheduler", "figures"):
        data.get("experiment", {}).pop(key, None)
    overrides = _overrides(cfg)
    data["conditions"] = {repr(c): dataclasses.asdict(_composed(c, overrides))
                          for p in calibration_patterns() for c in p.conditions.values()}
    data["code"] = source_digest(Path(__file__).resolve().parents[1], CALIBRATION_CODE)
    data["libraries"] = {name: importlib.metadata.version(name) for name in ("pyabc", "numpy", "scipy", "mesa")}
    return json_digest(data)


def _overrides(cfg: Any) -> tuple[str, ...]:
    """What a calibration adds to each pattern's condition: the population scale of its runs."""
    return (f"run.population_scale={float(cfg.run.population_scale)!r}",)


class NotKept(ValueError):
    """A calibration's files that are not taken as finished: the message names the file and why."""


def _verified(record: Path, locate: Callable[[str], Path]) -> dict:
    """The content of a calibration's abc.json ``record`` when it and the files it lists are whole: ``record`` a
    regular file of at most :data:`sim.io.MAX_STATUS_BYTES`, no link (:func:`sim.io.read_regular`), a JSON object
    whose ``checksum`` is that of the rest of it, and each of :data:`CHECKED_FILES`, where ``locate(name)`` says,
    a regular file matching the checksum it records; ``NotKept`` naming the first file that is not."""
    try:
        result = json_of(record, read_regular(record, MAX_STATUS_BYTES))
    except ValueError as exc:  # each names the file and what is wrong with it
        raise NotKept(str(exc)) from None
    except OSError as exc:
        raise NotKept(f"{record}: missing or unreadable ({exc.strerror or exc})") from None
    if not isinstance(result, dict) or result.get("checksum") != own_checksum(result) \
            or not isinstance(result.get("files"), dict):
        raise NotKept(f"{record}: its checksum does not match its content (edited by hand, damaged, or written "
                      "before abc.json had one)")
    for name in CHECKED_FILES:
        path = locate(name)
        try:
            same = regular_sha256(path, MAX_DATABASE_BYTES if name == "abc.db" else MAX_RUN_FILE_BYTES) \
                == result["files"].get(name)
        except ValueError as exc:  # names the file
            raise NotKept(str(exc)) from None
        except OSError as exc:
            raise NotKept(f"{path}: missing or unreadable ({exc.strerror or exc})") from None
        if not same:
            raise NotKept(f"{path}: its checksum does not match {record.name}'s (changed after the calibration "
                          "finished)")
    return result


def _finished(out_dir: Path, key: str) -> dict | None:
    """The abc.json of the calibration finished in ``out_dir`` with the :func:`calibration_key` ``key``, its files
    whole (:func:`_verified`); None when the folder holds no abc.json; ``NotKept`` saying why one is not kept
    (damaged, or from other settings or code)."""
    record = out_dir / "abc.json"
    if not os.path.lexists(record):
        return None
    result = _verified(record, lambda name: out_dir / name)
    if result.get("key") != key:
        raise NotKept(f"{record}: a calibration with other settings or code; its results stay until this one has "
                      "finished")
    return result


def finished_before(out_dir: Path, key: str) -> dict | None:
    """The abc.json of a calibration finished in ``out_dir`` with the same :func:`calibration_key`, its own content
    and its files matching the checksums it records; None if there is none (or it is damaged, or from other
    settings or code)."""
    try:
        return _finished(out_dir, key)
    except NotKept:
        return None


def _check_result_names(out_dir: Path) -> None:
    """Stop (one line, exit status 1) when a folder stands where a result file goes, which no rename replaces:
    before the first particle, not after the whole calibration."""
    from sim.experiments.callbacks import SweepError  # lazy: the callbacks' module loads filelock

    for name in (*RESULT_FILES, "experiment.json"):
        path = out_dir / name
        if path.is_dir() and not path.is_symlink():
            raise SweepError(f"error: {path} is a folder, where the calibration writes its {name}; allowed: a file or "
                             "nothing there (move the folder away; nothing was computed)")


def run_experiment(cfg: Any, out_dir: Path) -> dict:
    """``python -m sim +experiment=calibration_abc``: fit, write, return the summary.

    A calibration finished in ``out_dir`` with the same settings and code (:func:`finished_before`) is kept and
    its summary returned, not computed again (a new one: another folder, or remove its abc.json). A damaged one
    is calibrated anew, with a line saying why; a calibration stopped while its files replaced the last one's
    has the switch finished first (:func:`_finish_switch`).
    """
    check_run(cfg)  # the scheduler's form, the population scale for every pattern's municipality
    build_config(run_config_node(cfg, {}))  # the experiment's settings, checked before any particle
    _check_result_names(out_dir)
    key = calibration_key(cfg)
    _finish_switch(out_dir)
    try:
        kept = _finished(out_dir, key)
    except NotKept as exc:
        log.info("%s: calibrating anew: %s", out_dir, exc)
        kept = None
    if kept is not None:
        log.info("%s: a calibration with the same settings and code finished here before; its results are kept, "
                 "not computed again (to calibrate anew, choose another folder or remove its abc.json)", out_dir)
        if cfg.experiment.figures and not (out_dir / "figures" / "abc_posterior.png").exists():
            priors, patterns = calibrated_parameters(), calibration_patterns()
            df = pd.read_parquet(io.BytesIO(read_regular(out_dir / "posterior.parquet", MAX_RUN_FILE_BYTES)))
            _figure(df, priors, summarise(df, priors, patterns, observed_values(patterns))[1],
                    out_dir)
        return kept
    e = cfg.experiment
    overrides = list(_overrides(cfg))
    priors, patterns = calibrated_parameters(), calibration_patterns()
    observed = observed_values(patterns)
    log.info("ABC-SMC: %d parameters against %d patterns, %d particles a generation, at most %d generations",
             len(priors), len(patterns), int(e.abc_population), int(e.abc_generations))
    start = time.perf_counter()
    # The calibration fills a working database beside the last finished one, which stays whole (with the
    # results drawn from it) until this one has finished: a calibration stopped part-way loses nothing.
    working = out_dir / ".abc.db.partial"
    remove(working)  # whatever a stopped calibration left there; a link: removed, never written through
    history = fit(working, priors=priors, patterns=patterns, observed=observed,
                  population=int(e.abc_population), generations=int(e.abc_generations),
                  min_epsilon=float(e.abc_min_epsilon), seed=int(cfg.seed), jobs=int(e.jobs),
                  scheduler=str(e.scheduler), overrides=overrides)
    info = {"experiment": e.name, "seed": int(cfg.seed), "population": int(e.abc_population),
            "max_generations": int(e.abc_generations), "min_epsilon": float(e.abc_min_epsilon),
            "population_scale": float(cfg.run.population_scale), "jobs": int(e.jobs) or os.cpu_count(),
            "scheduler": shown_scheduler(e.scheduler) or "local", "seconds": round(time.perf_counter() - start, 1),
            "library": "pyabc ABCSMC, PNormDistance(p=2) with fixed weights 1 / half-range"}
    # the finished database goes in place of the last one with the files drawn from it, abc.json last
    return write_results(history, out_dir, priors=priors, patterns=patterns, observed=observed,
                         info={**info, "key": key}, figures=bool(e.figures), database=working)
