"""The classroom served on a free local port, for the browser test and benchmarks/bench_classroom.py.

``serve(log, **env)`` starts ``python -m sim classroom`` as its own process group and stops it by that
group's id; Debian's chromium is launched as for the dashboard (tests/apps/dashboard/support.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.apps.dashboard.support import CHROMIUM, ROOT, Server, free_port, launch

__all__ = ["CHROMIUM", "ROOT", "Server", "launch", "serve"]


@contextlib.contextmanager
def serve(log: Path, start_timeout_s: float = 120, cull: str = "10s", **env: str) -> Iterator[Server]:
    """The classroom served on a free local port (production mode); its output goes to ``log``."""
    port = free_port()
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", ""))
                                                            if p), **env}
    full_env.pop("CLASSROOM_PUBLIC_URL", None)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim", "classroom", "host=127.0.0.1", f"port={port}",
                                 f"cull={cull}"], cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the classroom server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Server(url, proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
