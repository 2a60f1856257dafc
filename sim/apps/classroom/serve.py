"""Serve the classroom on this computer or on the classroom network (LAN mode).

``python -m sim classroom lan=true`` finds this machine's address on the local network, binds the
server to that address only (not ``0.0.0.0``: not on every interface such as a VPN or a second
network card), prints the address for participants, and sets:

- ``SOLARA_KERNEL_CULL_TIMEOUT`` (default here ``2m``, at most ``24h``): a closed browser tab's kernel (its
  page state) is dropped after this, instead of Solara's 24 hours.
- ``SOLARA_KERNEL_MAX_PER_SESSION`` (default here ``4``): at most this many open pages per browser
  cookie, so that one device cannot fill the server's memory.
- ``CLASSROOM_PUBLIC_URL``: the address the QR code and the join line show.
- production mode, no telemetry, no Solara banner.

It serves Solara's own ASGI app through a guard that answers 404 to every path a classroom does not
need: only the pages (``/``, ``/trainer``, ``/join``), the websocket of a page and the static files
the pages load are served (of Solara's CDN proxy, only the files already in its offline cache:
``sim.apps.serve.cached``); Solara's diagnostic ``/resourcez`` and its test and auth routes are not.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
from pathlib import Path

from sim.apps import serve as shared

log = logging.getLogger(__name__)

#: The classroom's pages; their assets and what is never served are the dashboard's (sim.apps.serve).
PAGES = frozenset({"/", "/trainer", "/join"})


def allowed(path: str, cache: Path | None = None) -> bool:
    """Whether the guard lets a request for ``path`` through (:func:`sim.apps.serve.allowed`, the classroom's
    pages; ``cache``: Solara's offline cache of its CDN, whose files alone pass)."""
    return shared.allowed(path, PAGES, cache)


def guard(app: shared.ASGIApp, cache: Path | None = None) -> shared.ASGIApp:
    """``app`` behind the path filter of :func:`allowed`; everything else is a plain 404
    (:func:`sim.apps.serve.guard`)."""
    return shared.guard(app, PAGES, cache)


def lan_address() -> str:
    """This machine's address on its local network (the dashboard's rule, ``sim.apps.serve.lan_address``: the
    source address of a route outwards), else the loopback address."""
    return shared.lan_address() or shared.LOCALHOST


def configure(host: str, port: int, public_host: str | None, cull: str, max_per_session: int) -> str:
    """Set the environment Solara reads at import (the dashboard's settings for a classroom,
    ``sim.apps.serve.solara_settings``, where the environment has not set them); the public URL participants use."""
    public = f"http://{public_host or host}:{port}"
    for key, value in shared.solara_settings(cull, per_session=max_per_session).items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("SOLARA_MODE", "production")
    os.environ.setdefault("SOLARA_SESSION_SAME_SITE", "lax")  # plain http on a LAN: no cross-site cookie
    os.environ["SOLARA_APP"] = "sim.apps.classroom.app"
    os.environ["CLASSROOM_PUBLIC_URL"] = os.environ.get("CLASSROOM_PUBLIC_URL") or public
    return os.environ["CLASSROOM_PUBLIC_URL"]


def run(lan: bool = False, host: str = "127.0.0.1", port: int = 8765, cull: str = "2m",
        max_per_session: int = 4) -> int:
    """Serve the classroom until stopped (Ctrl+C): on ``host``, or with ``lan`` on this machine's address on
    the local network; ``cull`` and ``max_per_session`` as in the module's docstring. Prints where to go.
    ConfigError for a ``cull`` that is no duration from 0 to 24h (``sim.apps.serve.check_cull``), before anything
    is set or announced."""
    shared.check_cull(cull)
    host = lan_address() if lan else host
    public_host = lan_address() if host == "0.0.0.0" else None
    public = configure(host, port, public_host, cull, max_per_session)

    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: every thread's stack to the log
    for noisy in ("solara", "reacton"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log.info("Classroom at %s/trainer (participants: %s/join); bound to %s:%d", public, public, host, port)
    shared.run_guarded(host, port, PAGES)
    return 0
