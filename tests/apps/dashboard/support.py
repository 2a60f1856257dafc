"""The dashboard in a real browser, for tests/apps/dashboard/test_browser.py and benchmarks/bench_dashboard_browser.py.

``serve(log)`` starts ``solara run sim.apps.dashboard.app`` as its own process (its own session) on a free
local port and yields the page's address and the server's process id; it stops the server by its process group id.
``serve_with_launcher(log, ...)`` does the same through ``python -m sim dashboard`` (tests/apps/test_serve.py);
``kernels(url)`` counts the sessions a server holds.
``launch(playwright)`` starts Debian's chromium headless with the flags that work here (no
sandbox, no GPU, no background networking: the page must work offline).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from tests.resources import CHROMIUM

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    """A local TCP port that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(NamedTuple):
    """A running dashboard server: the page's address and the server's process id."""

    url: str
    pid: int


@contextlib.contextmanager
def _running(argv: list[str], env: dict[str, str], log: Path, url: str, start_timeout_s: float) \
        -> Iterator[subprocess.Popen]:
    """``argv`` as its own process group, once ``url`` answers; stopped by its process group id afterwards.

    Its output goes to ``log``. A server that exits or does not answer within ``start_timeout_s`` raises
    RuntimeError with the log's tail.
    """
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield proc
    finally:
        _stop_group(proc)


def _stop_group(proc: subprocess.Popen, timeout_s: float = 20) -> None:
    """SIGTERM to ``proc``'s process group, SIGKILL to what is left of it after ``timeout_s``.

    Waits for the whole group, not only its leader: a server that a leader started outlives it otherwise.
    """
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@contextlib.contextmanager
def serve(log: Path, start_timeout_s: float = 120) -> Iterator[Server]:
    """The dashboard served by ``solara run`` (production mode, no telemetry): its address and pid."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    argv = [sys.executable, "-m", "solara", "run", "sim.apps.dashboard.app", "--host", "127.0.0.1", "--port", str(port),
            "--no-open", "--production"]
    with _running(argv, {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}, log, url,
                  start_timeout_s) as proc:
        yield Server(url, proc.pid)


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, driven by ``playwright`` (a sync_playwright() context)."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed (run `make browser`)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def serve_with_launcher(log: Path, *args: str, host: str = "127.0.0.1", start_timeout_s: float = 120) \
        -> Iterator[Server]:
    """The dashboard as ``python -m sim dashboard *args`` serves it (sim/apps/serve.py), on a free port.

    ``host``: the address it is expected on (127.0.0.1; the LAN address with ``lan=true``). Yields the
    page's address and the server's process id (the launcher becomes the server).
    """
    port = free_port()
    url = f"http://{host}:{port}/"
    argv = [sys.executable, "-m", "sim", "dashboard", f"port={port}", *args]
    with _running(argv, dict(os.environ), log, url, start_timeout_s) as proc:
        yield Server(url, proc.pid)


def kernels(url: str) -> int:
    """The sessions (Solara kernels) the server holds, open or closed but not yet released (/resourcez)."""
    import json

    with urllib.request.urlopen(url + "resourcez", timeout=10) as r:
        return int(json.loads(r.read())["kernels"]["total"])
