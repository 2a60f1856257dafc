"""Serve the classroom on this computer or on the classroom network (LAN mode).

``python -m sim classroom lan=true`` finds this machine's address on the local network, binds the
server to that address only (not ``0.0.0.0``: not on every interface such as a VPN or a second
network card), prints the address for participants, and sets:

- ``SOLARA_KERNEL_CULL_TIMEOUT`` (default here ``2m``): a closed browser tab's kernel (its page
  state) is dropped after this, instead of Solara's 24 hours.
- ``SOLARA_KERNEL_MAX_PER_SESSION`` (default here ``4``): at most this many open pages per browser
  cookie, so that one device cannot fill the server's memory.
- ``CLASSROOM_PUBLIC_URL``: the address the QR code and the join line show.
- production mode, no telemetry, no Solara banner.

It serves Solara's own ASGI app through a guard that answers 404 to every path a classroom does not
need: only the pages (``/``, ``/trainer``, ``/join``), the websocket of a page and the static files
the pages load are served; Solara's diagnostic ``/resourcez`` and its test and auth routes are not.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sim.apps import serve as shared

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

#: Paths the pages need (exact, or a prefix ending in "/").
ALLOWED_EXACT = {"/", "/trainer", "/join", "/favicon.ico"}
ALLOWED_PREFIXES = ("/jupyter/api/kernels/", "/jupyter/nbextensions/", "/_solara/cdn/", "/static/",
                    "/_solara/api/close/")
BLOCKED = ("/resourcez", "/readyz", "/_solara/api/evict/", "/_solara/auth/")


def allowed(path: str) -> bool:
    """Whether the guard lets a request for ``path`` through."""
    if any(path.startswith(b) for b in BLOCKED):
        return False
    return path in ALLOWED_EXACT or path.startswith(ALLOWED_PREFIXES)


def guard(app: ASGIApp) -> ASGIApp:
    """``app`` behind the path filter of ``allowed``; everything else is a plain 404."""

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]],
                      send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket") and not allowed(scope.get("path", "/")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": b"not found"})
            return
        await app(scope, receive, send)

    return guarded


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
    the local network; ``cull`` and ``max_per_session`` as in the module's docstring. Prints where to go."""
    host = lan_address() if lan else host
    public_host = lan_address() if host == "0.0.0.0" else None
    public = configure(host, port, public_host, cull, max_per_session)

    import solara.server.settings as solara_settings
    import uvicorn
    from solara.server import starlette

    solara_settings.main.mode = "production"
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: every thread's stack to the log
    for noisy in ("solara", "reacton"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log.info("Classroom at %s/trainer (participants: %s/join); bound to %s:%d", public, public, host, port)
    uvicorn.run(guard(starlette.app), host=host, port=port, log_level="warning", ws_ping_interval=20,
                ws_ping_timeout=20)
    return 0
