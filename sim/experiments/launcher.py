"""Hydra's joblib launcher ends with one line when a worker process dies (:func:`catch_dead_workers`).

A loky worker that dies on its own (killed, or stopped by the system for want of memory) ends
joblib's ``Parallel`` with ``TerminatedWorkerError``, which Hydra prints as a traceback. Every run
writes its results and its status itself (:mod:`sim.experiments.sweep`), so the runs finished
before stay finished; the sweep stops with one line that says so and how to go on (the same
command again redoes only the missing runs), exit status 1. The launcher itself dying is handled
elsewhere: its workers die with it (:mod:`sim.workers`).

Why a wrapper of Hydra's launcher rather than a launcher of our own: Hydra instantiates launchers only
from the ``hydra_plugins`` package, which this package does not install into.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["WorkerDied", "catch_dead_workers", "exit_code"]


class WorkerDied(SystemExit):
    """A sweep stopped because a worker process died: one line on stderr, exit status 1 (a SystemExit, which
    Hydra passes on where it would print another exception with its traceback)."""


def catch_dead_workers() -> None:
    """Make Hydra's joblib launcher (``hydra/launcher=local`` or ``joblib``) raise :class:`WorkerDied` where a
    worker's death raised loky's ``TerminatedWorkerError``; once per process (later calls do nothing)."""
    try:
        from hydra_plugins.hydra_joblib_launcher.joblib_launcher import (  # type: ignore[import-untyped]
            JoblibLauncher,
        )
    except ImportError:  # the plugin is not installed (no experiments extra): nothing to wrap
        return
    if getattr(JoblibLauncher.launch, "catches_dead_workers", False):
        return
    JoblibLauncher.launch = _catching(JoblibLauncher.launch)


def _catching(launch: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(launch)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return launch(self, *args, **kwargs)
        except Exception as exc:
            from joblib.externals.loky.process_executor import TerminatedWorkerError  # loaded by now

            if not isinstance(exc, TerminatedWorkerError):
                raise
            log.debug("a worker process died", exc_info=True)
            folder = self.config.hydra.sweep.dir if getattr(self, "config", None) is not None else "its folder"
            raise WorkerDied(  # on a line of its own, after the progress bar's
                f"\nerror: a worker process of the sweep died{exit_code(exc)} (killed, or out of memory); the runs "
                f"finished are kept in {folder}, nothing was gathered; start the same command again to run the "
                "missing runs and gather") from None

    wrapped.catches_dead_workers = True  # type: ignore[attr-defined]
    return wrapped


def exit_code(exc: BaseException) -> str:
    """`` (exit code SIGKILL(-9))`` from loky's message (it names the workers' exit codes in braces), or nothing."""
    found = re.search(r"The exit codes of the workers are \{([^}]*)\}", str(exc))
    return f" (exit code {found.group(1).strip()})" if found else ""
