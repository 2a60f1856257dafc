"""Hydra callback of every sweep: a progress bar while it runs, gathering when it ends.

Registered in configs/config.yaml (``hydra.callbacks.experiment``). Hydra calls
``on_multirun_end`` in the launching process without the jobs' results, so the jobs write
their own run folders (sim.experiments.sweep) and this callback reads them: a thread polls the
sweep folder for finished runs to draw the progress bar (runs done, failed, remaining, time
left), and at the end sim.experiments.collect gathers everything into tidy tables and figures.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from math import prod
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.experiments.sweep import STATUS, total_runs

log = logging.getLogger(__name__)


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


#: Progress threads by sweep folder. Module-level, not on the callback: launchers pickle the
#: callbacks with each job, and a thread cannot be pickled.
_THREADS: dict[str, _Progress] = {}
#: Import threads by sweep folder (see _preload).
_PRELOAD: dict[str, threading.Thread] = {}


class ExperimentCallback(Callback):
    """Progress bar during a multirun; gathering of results and figures at its end."""

    def __init__(self, progress: bool = True, collect: bool = True) -> None:
        self.progress, self.collect = progress, collect

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Start the progress bar (the jobs have not started yet) and preload the gathering code."""
        sweep_dir = Path(config.hydra.sweep.dir)
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
        """Stop the bar, then gather the sweep's runs into tables and figures."""
        _release_local_workers(config)
        thread = _THREADS.pop(str(Path(config.hydra.sweep.dir)), None)
        if thread is not None:
            thread.stop.set()
            thread.join(timeout=30)
        if not self.collect:
            return
        sweep_dir = Path(config.hydra.sweep.dir)
        loader = _PRELOAD.pop(str(sweep_dir), None)
        if loader is not None:
            loader.join(timeout=120)
        # lazy: pandas and pyarrow load (in _preload's thread) while the jobs run, not when Hydra reads the callback
        from sim.experiments.collect import collect

        out = collect(sweep_dir, figures=bool(config.experiment.figures))
        n_ok, n_failed = len(out["runs"]), len(out["failures"])
        log.info("gathered %d runs (%d failed) into %s/runs.parquet, summary_table.parquet and figures/",
                 n_ok, n_failed, sweep_dir)
