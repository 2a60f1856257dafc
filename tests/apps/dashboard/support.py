"""The dashboard in a real browser, for tests/apps/dashboard/test_browser.py and benchmarks/bench_dashboard_browser.py.

``serve(log)`` starts ``solara run sim.apps.dashboard.app`` as its own process (its own session) on a free
local port and yields the page's address and the server's process id; it stops the server by its process group id.
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
def serve(log: Path, start_timeout_s: float = 120) -> Iterator[Server]:
    """The dashboard served by ``solara run`` (production mode, no telemetry): its address and pid.

    The server's output goes to ``log``. A server that exits or does not answer within
    ``start_timeout_s`` raises RuntimeError with the log's tail.
    """
    port = free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "solara", "run", "sim.apps.dashboard.app", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-open", "--production"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
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
        yield Server(url, proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, driven by ``playwright`` (a sync_playwright() context)."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed (run `make browser`)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
