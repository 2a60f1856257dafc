"""Hydra callback of every sweep: a lock on its folder, a progress bar while it runs, gathering when it ends.

Registered in configs/config.yaml (``hydra.callbacks.experiment``). Hydra calls
``on_multirun_end`` in the launching process without the jobs' results, so the jobs write
their own run folders (sim.experiments.sweep) and this callback reads them: a thread polls the
sweep folder for finished runs to draw the progress bar (runs done, failed, remaining, time
left), and at the end sim.experiments.collect gathers everything into tidy tables and figures.

One sweep at a time on a folder: the launching process holds a lock on ``<sweep dir>/.sweep.lock``
(``filelock``: an OS lock, released by the kernel when the process dies, so a killed sweep never
leaves a stale one) from the start of the multirun to its end, and writes who holds it in
``.sweep.owner.json``. A second sweep on the same folder stops before any job, with one line
naming the folder and the other process.

Hydra turns an exception raised in a callback into a warning and goes on (exit status 0), so
what must stop the command (the folder in use, gathering that failed, damaged runs) raises
:class:`SweepError`, a ``SystemExit``: its message is printed and the command exits with 1.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import sys
import threading
from math import prod
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim import writable
from sim.config.keys import ConfigError
from sim.config.schema import IN_PROCESS_KINDS, IN_PROCESS_NAMES
from sim.experiments.sweep import STATUS, experiment_kind, plain_run, total_runs
from sim.io import atomic_write_text

log = logging.getLogger(__name__)

#: The lock file and the description of its holder, in the sweep folder.
LOCK, OWNER = ".sweep.lock", ".sweep.owner.json"


class SweepError(SystemExit):
    """Stops the sweep's command with a one-line message (exit status 1); see the module's docstring. The lock's
    refusals (:func:`lock_file`) stop the other commands that lock so too: a single run, collect, a report."""


def lock_folder(sweep_dir: Path, advice: str = "wait until it ends, or choose another hydra.sweep.dir",
                what: str = "sweep") -> Any:
    """Take the sweep folder's lock (:func:`lock_file` on ``<folder>/.sweep.lock``), or raise :class:`SweepError`
    naming the folder, its holder and ``advice`` (``what`` holds the folder: a sweep, or a single run, which takes the
    same lock on its folder).

    Returns the held ``filelock.FileLock`` (release it with :func:`unlock_folder`).
    """
    return lock_file(sweep_dir / LOCK, sweep_dir / OWNER, f"the {what} folder {sweep_dir}", what, advice)


def lock_file(path: Path, owner: Path, shown: str, what: str, advice: str) -> Any:
    """Take the lock file ``path`` (``filelock``: an OS lock, released by the kernel when the process dies; its folder
    made if need be) and write who holds it in ``owner``; or raise :class:`SweepError`, one line:
    ``error: <shown> is in use by another <what> (<its holder>); <advice>`` (or why it cannot be locked). Every
    lock of the package is this one: a sweep's and a single run's on their folder, a report's on its file.

    Returns the held ``filelock.FileLock`` (release it with :func:`unlock_file`).
    """
    from filelock import FileLock, Timeout

    lock = FileLock(path, thread_local=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:  # another process holds it (a TimeoutError, so before OSError below)
        try:
            holder = json.loads(owner.read_text())
            who = (f"pid {holder['pid']} on {holder['host']}, started {holder['started']}: "
                   f"{holder['command']}")
        except (OSError, ValueError, KeyError, TypeError):
            who = "a process that has not said who it is yet"
        raise SweepError(f"error: {shown} is in use by another {what} ({who}); {advice}") from None
    except OSError as exc:  # a full disk, a file where the folder should be, no permission
        raise SweepError(f"error: {shown} cannot be locked for this {what} ({type(exc).__name__}: {exc})") from None
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": datetime.datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(["python -m sim", *sys.argv[1:]])}
    try:
        atomic_write_text(owner, json.dumps(holder, indent=2))
    except OSError as exc:  # a full disk, a folder where the file should be: no lock without its note
        lock.release()
        raise SweepError(f"error: {shown} cannot be locked for this {what}: {owner} cannot be written "
                         f"({type(exc).__name__}: {exc})") from None
    return lock


def unlock_folder(sweep_dir: Path, lock: Any) -> None:
    """Release a lock taken by :func:`lock_folder`."""
    unlock_file(sweep_dir / OWNER, lock)


def unlock_file(owner: Path, lock: Any) -> None:
    """Release a lock taken by :func:`lock_file` with the note ``owner`` (removed first). The lock file stays, empty:
    a process may have it open to try it, and could take the lock on the removed file while a third locks a new
    one of the same name (filelock removed its files on release in 3.20.4 and stopped in 3.29.5 for this reason,
    tox-dev/filelock#574)."""
    owner.unlink(missing_ok=True)
    lock.release()


def count_conditions(config: DictConfig) -> int | None:
    """Number of conditions (sweep points without the batch index), or None if unknown."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    items: dict[str, str] = {}
    params = config.hydra.sweeper.get("params") or {}
    for k, v in params.items():
        items[str(k)] = f"{k}={v}"
    for o in config.hydra.overrides.task:
        key = o.split("=", 1)[0].lstrip("+~")
        items[key] = o
    sizes = []
    try:
        for o in OverridesParser.create().parse_overrides(list(items.values())):
            if o.key_or_group == "experiment.batch" or not o.is_sweep_override():
                continue
            if o.is_interval_sweep() or (hasattr(o, "is_glob") and o.is_glob()):
                return None
            sizes.append(len(list(o.sweep_string_iterator())))
    except Exception:  # an exotic sweep: run without a total
        return None
    return prod(sizes) if sizes else 1


class _Progress(threading.Thread):
    """Polls the sweep folder for status files and updates a tqdm bar."""

    def __init__(self, sweep_dir: Path, total: int | None, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.sweep_dir, self.total, self.interval = sweep_dir, total, interval
        self.stop = threading.Event()
        self.seen: dict[Path, str] = {}

    def _scan(self) -> tuple[int, int]:
        for p in self.sweep_dir.glob(f"**/{STATUS}"):
            if p not in self.seen:
                try:
                    self.seen[p] = json.loads(p.read_text()).get("status", "?")
                except (OSError, ValueError):
                    continue
        failed = sum(1 for s in self.seen.values() if s == "failed")
        return len(self.seen), failed

    def run(self) -> None:
        from tqdm import tqdm

        done, failed = self._scan()
        # runs found at the start were finished by an earlier, interrupted sweep (resume)
        bar = tqdm(total=self.total, initial=done, desc="runs", unit="run", file=sys.stderr,
                   dynamic_ncols=True, mininterval=0.5)
        bar.set_postfix(failed=failed, refresh=False)
        while True:
            stopping = self.stop.wait(self.interval)
            now, failed = self._scan()
            if now > bar.n:
                bar.update(now - bar.n)
            bar.set_postfix(failed=failed)
            if stopping:
                break
        bar.close()


def _preload(figures: bool) -> None:
    """Import what gathering (and drawing) needs, so that the end of a sweep does not wait for it.

    Runs in a thread while the jobs run: pandas, pyarrow, scipy and the plotting stack take
    about a second to import, which would otherwise add to the serial tail of every sweep.
    A failure here is ignored: the same import is made again, and reported, when gathering.
    The imports are the point of this function: they are made here, in a thread, on purpose.
    """
    try:
        import pyarrow.parquet  # noqa: F401
        import scipy.stats  # noqa: F401

        # lazy, on purpose: the gathering code loads in this thread while the jobs run
        import sim.experiments.collect

        if figures:
            # lazy, on purpose: the plotting stack too, when the sweep draws figures
            import sim.plots  # noqa: F401
    except Exception:  # reported by the real import in sim.experiments.collect
        pass


def _release_local_workers(config: DictConfig) -> None:
    """Let the joblib launcher's idle worker processes exit while the results are gathered.

    joblib keeps its loky workers for reuse and stops them only when the interpreter exits,
    waiting for each to shut down; started here without waiting, that happens on the core
    that gathering leaves free. A later joblib call in the same process starts new workers.
    loky has no public accessor that does not create an executor when none exists, so this
    reads its module-level ``_executor`` (tests/experiments/test_sweep.py checks that it still works).
    """
    if "joblib" not in str(config.hydra.launcher.get("_target_", "")).lower():
        return
    try:
        from joblib.externals.loky import reusable_executor
    except ImportError:
        return
    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=False)


def check_results_folder(folder: Path, config: DictConfig, key: str, error: type[SystemExit]) -> None:
    """Stop with ``error`` (one line, exit status 1) when ``folder`` holds results of another sort than the run,
    sweep or experiment ``config`` describes would write there (:func:`sim.writable.other_experiment`)."""
    kind = experiment_kind(config)
    # a single run without an experiment writes its files into the folder itself; in a sweep, every kind has runs/
    plain = key == "hydra.run.dir" and plain_run(config)
    if key == "hydra.sweep.dir":
        what = f"a sweep of kind {kind.name}"
    else:
        what = "a single run" if plain else f"a run of kind {kind.name}"
    try:
        writable.check_results_folder(folder, kind, f"{key}={folder}", what, f"a folder of its own (another {key})",
                                      plain=plain)
    except ConfigError as exc:
        raise error(f"error: {exc}") from None


def kind_is_swept(config: DictConfig) -> bool:
    """Whether a sweep's overrides choose the experiment (``+experiment=a,b``, ``experiment.kind=...``): its jobs
    may be of other kinds than the config the sweep starts from."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(list(config.hydra.overrides.task))
    except Exception:  # checked before Hydra started (sim.experiments.prevalidate): here only be safe
        return True
    return any(o.is_sweep_override() and o.key_or_group.lstrip("+~") in ("experiment", "experiment.kind")
               for o in parsed)


#: Progress threads by sweep folder. Module-level, not on the callback: launchers pickle the
#: callbacks with each job, and a thread cannot be pickled.
_THREADS: dict[str, _Progress] = {}
#: Import threads by sweep folder (see _preload).
_PRELOAD: dict[str, threading.Thread] = {}
#: Held folder locks by sweep folder (see lock_folder).
_LOCKS: dict[str, Any] = {}


class ExperimentCallback(Callback):
    """Progress bar during a multirun; gathering of results and figures at its end."""

    def __init__(self, progress: bool = True, collect: bool = True) -> None:
        self.progress, self.collect = progress, collect

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Before Hydra makes a single run's folder: one line, exit status 1, when it cannot be made or written
        (``outputs`` a file, a read-only folder: :func:`sim.writable.check_folder`), instead of Hydra's traceback of
        the failed ``mkdir``, or when it holds another sort of experiment (:func:`sim.writable.other_experiment`). A
        folder named through ``${hydra:...}``, which resolves only once Hydra has set its settings, is left to
        Hydra."""
        from omegaconf.errors import OmegaConfBaseException

        try:
            folder = Path(str(config.hydra.run.dir))
        except OmegaConfBaseException:
            return
        try:  # what Hydra does next is make the folder; here an error is one line
            writable.check_folder(folder, f"hydra.run.dir={folder}", "a folder that can be made and written")
        except ConfigError as exc:
            raise SweepError(f"error: {exc}") from None
        # before Hydra writes its .hydra/ files and log into the folder: another sort of experiment's stay whole
        # (checked again once the folder is locked: sim.__main__)
        check_results_folder(folder, config, "hydra.run.dir", SweepError)

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Lock the folder, start the progress bar (the jobs have not started yet), preload the gathering code."""
        sweep_dir = Path(config.hydra.sweep.dir)
        # before the lock's files (another sort of experiment's folder is left as it is), unless the sweep chooses
        # the experiment itself (+experiment=a,b): then each job checks its own kind (sim.__main__)
        if not kind_is_swept(config):
            check_results_folder(sweep_dir, config, "hydra.sweep.dir", SweepError)
        _LOCKS[str(sweep_dir)] = lock_folder(sweep_dir)
        if self.collect:
            figures = bool(config.experiment.figures)
            loader = _PRELOAD[str(sweep_dir)] = threading.Thread(target=_preload, args=(figures,), daemon=True)
            loader.start()
        if not self.progress:
            return
        sweep_dir.mkdir(parents=True, exist_ok=True)
        n_conditions = count_conditions(config)
        total = total_runs(config, n_conditions) if n_conditions is not None else None
        thread = _THREADS[str(sweep_dir)] = _Progress(sweep_dir, total)
        thread.start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Stop the bar, gather the sweep's runs into tables and figures, release the folder.

        Raises :class:`SweepError` when gathering fails (a full disk: the tables are missing) or
        finds damaged runs, so that the command exits with 1 instead of 0.
        """
        sweep_dir = Path(config.hydra.sweep.dir)
        lock = _LOCKS.pop(str(sweep_dir), None)
        try:
            self._end(config, sweep_dir)
        finally:
            if lock is not None:
                unlock_folder(sweep_dir, lock)

    def _end(self, config: DictConfig, sweep_dir: Path) -> None:
        _release_local_workers(config)
        thread = _THREADS.pop(str(sweep_dir), None)
        if thread is not None:
            thread.stop.set()
            thread.join(timeout=30)
        # a sweep of experiments run in one process each (calibrations, discoveries) has no runs to gather; its
        # jobs' kind is what they recorded when the sweep chose the experiment itself (+experiment=a,b)
        in_process = experiment_kind(config) in IN_PROCESS_KINDS or writable.folder_kind(sweep_dir) in IN_PROCESS_NAMES
        if not self.collect or in_process:
            return
        loader = _PRELOAD.pop(str(sweep_dir), None)
        if loader is not None:
            loader.join(timeout=120)
        # lazy: pandas and pyarrow load (in _preload's thread) while the jobs run, not when Hydra reads the callback
        from sim.experiments.collect import collect

        try:
            out = collect(sweep_dir, figures=bool(config.experiment.figures))
        except Exception as exc:
            log.debug("gathering %s failed", sweep_dir, exc_info=True)  # the traceback only when debugging
            raise SweepError(f"error: gathering the runs of {sweep_dir} failed ({type(exc).__name__}: {exc}); its "
                             f"tables are missing or stale. The finished runs are kept: once the cause is fixed, "
                             f"`python -m sim collect dir={sweep_dir}` gathers them") from None
        n_ok, n_failed, n_damaged = len(out["runs"]), len(out["failures"]), len(out["damaged"])
        log.info("gathered %d runs (%d failed) into %s/runs.parquet, summary_table.parquet and figures/",
                 n_ok, n_failed, sweep_dir)
        if n_damaged:
            raise SweepError(f"error: {n_damaged} damaged runs in {sweep_dir} were not gathered (listed in "
                             "damaged.csv); start the sweep again to redo them")
