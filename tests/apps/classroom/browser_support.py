"""The classroom served on a free local port, for the browser test and benchmarks/bench_classroom.py.

``serve(log, **env)`` starts ``python -m sim classroom`` as its own process group and stops it by that
group's id, with the dashboard's server starter (tests/apps/dashboard/support.py, ``running``); Debian's
chromium is launched as for the dashboard.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.apps.dashboard.support import CHROMIUM, ROOT, Server, free_port, launch, running

__all__ = ["CHROMIUM", "ROOT", "Server", "launch", "serve"]


@contextlib.contextmanager
def serve(log: Path, start_timeout_s: float = 120, cull: str = "10s", **env: str) -> Iterator[Server]:
    """The classroom served on a free local port (production mode); its output goes to ``log``. ``env``: more
    of the server's environment (the public address is its own: CLASSROOM_PUBLIC_URL is not passed on)."""
    port = free_port()
    full_env = {**os.environ, **env}
    full_env.pop("CLASSROOM_PUBLIC_URL", None)
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "sim", "classroom", "host=127.0.0.1", f"port={port}", f"cull={cull}"]
    with running(argv, full_env, log, url + "/", start_timeout_s) as proc:
        yield Server(url, proc.pid)
