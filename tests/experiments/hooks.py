"""Test hooks that sweeps load by name in their worker processes (the repository root on PYTHONPATH).

``SlowRuns`` is a Hydra callback, added on a sweep's command line with :func:`slow_runs`: in
every job's process (Hydra calls ``on_job_start`` there, whatever the launcher: joblib, Ray,
submitit) it makes each run sleep first, so that a test can kill a launcher, a worker or a node
while some runs of a job are finished and others are not. Tiny runs take a tenth of a second,
too short to be caught part-way otherwise.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from hydra.experimental.callback import Callback


def slow_runs(seconds: float) -> list[str]:
    """The overrides that add :class:`SlowRuns` to a sweep."""
    return ["+hydra.callbacks.slow._target_=tests.experiments.hooks.SlowRuns",
            f"+hydra.callbacks.slow.seconds={seconds}"]


class SlowRuns(Callback):
    """Every run of the job sleeps ``seconds`` before its model runs (sim.experiments.sweep imports
    ``sim.api.run_config`` when a job starts, so it sees the wrapper)."""

    def __init__(self, seconds: float = 1.0) -> None:
        self.seconds = float(seconds)

    def on_job_start(self, config: Any, **kwargs: Any) -> None:
        import sim.api

        original = sim.api.run_config
        if getattr(original, "slowed", False):
            return

        @functools.wraps(original)
        def slow(*args: Any, **kw: Any) -> Any:
            time.sleep(self.seconds)
            return original(*args, **kw)

        slow.slowed = True  # type: ignore[attr-defined]
        sim.api.run_config = slow
