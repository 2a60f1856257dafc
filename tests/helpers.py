"""Small helpers shared by several test modules (fixtures stay in the module that uses them)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

#: The repository's root (tests live at several depths below it).
REPO = Path(__file__).resolve().parent.parent


def arr(*values: float) -> np.ndarray:
    """A float array of the given values (shorthand for hand-written cases)."""
    return np.array(values, dtype=float)


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (as the system hands them out)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 that a socket listens on while the block runs."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def repo_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that must import this checkout's ``sim`` and ``tests``.

    The repository root goes first on PYTHONPATH: worker processes that a subprocess starts
    elsewhere (loky, Ray, SLURM, Redis or Dask workers) then import the same code as the test,
    whichever checkout the virtual environment's editable install points to. HYDRA_FULL_ERROR is
    left out, so errors look as a user sees them.
    """
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *[p for p in [env.get("PYTHONPATH", "")] if p]])
    env.update(extra)
    return env


def alive(processes: list) -> list:
    """The psutil processes of the list that still run (a zombie, dead but not yet reaped, does not)."""
    import psutil

    out = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def wait_until(condition, timeout: float, interval: float = 0.1) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds passed; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return bool(value)
        time.sleep(interval)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group of ``proc`` (started with ``start_new_session=True``: it and every process it
    started) if ``proc`` still runs, and reap ``proc``."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def statuses(out: Path) -> dict[Path, int]:
    """Each finished (or failed) run's status file in the sweep folder ``out`` and its modification time."""
    from sim.io import STATUS

    return {p: p.stat().st_mtime_ns for p in out.glob(f"runs/*/*/{STATUS}")}


def rerun_redoes_only_the_missing(cmd: list[str], out: Path, env: dict[str, str], before: dict[Path, int],
                                  total: int) -> pd.DataFrame:
    """Run the sweep ``cmd`` again on ``out`` after it was cut short: it succeeds, all ``total`` runs are
    finished and none of ``before`` (its :func:`statuses`) was redone. The gathered runs (runs.parquet)."""
    again = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    after = statuses(out)
    assert len(after) == total, f"{len(after)} runs finished after the rerun, not {total}"
    assert all(after[p] == t for p, t in before.items()), "a finished run was redone"
    return pd.read_parquet(out / "runs.parquet")
