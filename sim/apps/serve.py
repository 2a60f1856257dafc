"""Serving the trainers' dashboard (sim/apps/dashboard/): on this computer, or to a classroom on its network.

::

    python -m sim dashboard                    # http://127.0.0.1:8765, this computer only
    python -m sim dashboard lan=true           # the classroom: every address of this computer, port 8765
    make dashboard                             # the same as the first (LAN=true for the second)

The launcher serves Solara's app ``sim.apps.dashboard.app`` in production mode (no reloading, no
telemetry; this module run as a program, :func:`main`) with the settings a room of students needs:

* **Closed sessions release their memory.** Solara keeps a closed page's session for 24 hours
  by default (a reconnect finds it again); a class of 25 that each open a municipality left
  hundreds of MB behind. :data:`CULL_TIMEOUT` (``cull=``) is how long a closed session is kept:
  long enough for a student's wifi to drop and come back, short enough that the memory of the
  session is freed during the lesson (``SOLARA_KERNEL_CULL_TIMEOUT``). At most :data:`MAX_CULL` (24h,
  Solara's own default; the classroom's ``cull=`` too): ``cull=1e400s`` was infinite, and no closed
  session was ever released.
* **Localhost unless asked.** Without ``lan=true`` the server binds 127.0.0.1: nobody else can
  reach it. ``lan=true`` binds this computer's address on its local network only
  (:func:`lan_address`; not 0.0.0.0, so not a VPN or a second network card), prints the address
  students type, and caps the sessions that run at once (``sessions=``, default
  :data:`LAN_SESSIONS`; ``SOLARA_KERNEL_MAX_COUNT``), so that a room cannot exhaust the trainer's
  laptop.

What a LAN exposes: the dashboard page, its websocket and the static files it loads, nothing else.
In LAN mode the server is Solara's own web app behind a path filter (:func:`guard`, shared with the
classroom, sim/apps/classroom/serve.py) that answers 404 to every other path: Solara's diagnostic
pages (``/resourcez`` would show counts of sessions and, with ``?verbose``, the computer's processor
and memory load; ``/readyz``) and its test and auth routes are not served. Solara's CDN proxy
(``/_solara/cdn/``) passes only for a file already in its offline cache (:func:`cached`): for a folder
of the cache Solara deleted the folder (a leftover of an old layout, it assumes) and for anything not
cached it downloaded the path from the CDN into the cache, at any visitor's request. On this computer only
(without ``lan=true``) every path of Solara's is served, diagnostics included (nobody else can reach
it, and the tests and the sessions benchmark count sessions through ``/resourcez``), but of the CDN
proxy too only the cached files: any web page the trainer's browser opens could name
``http://127.0.0.1:8765/_solara/cdn/...``.
In both modes a closing page's call that Solara's handler cannot read (:func:`close_refused`: no page id, an
empty or overlong one, or one that is no page of its session) is a plain 400: Solara answered 500 and printed a
traceback in the trainer's terminal, for any visitor who sent one.
Every student gets a session of their own (their own municipality, sliders and runs); no page reads
or writes a file named by a visitor, and no one can run code. There is no login: serve it on the
classroom's network only, never on one open to the internet, and stop it (Ctrl+C) after the lesson.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
import urllib.parse
from collections.abc import Awaitable, Callable, Collection, Mapping, MutableMapping
from pathlib import Path
from typing import Any, NoReturn

log = logging.getLogger(__name__)

__all__ = ["CULL_TIMEOUT", "LAN_SESSIONS", "LOCALHOST", "MAX_CULL", "allowed", "bind_error", "cached", "check_cull",
           "close_refused", "command", "environment", "guard", "lan_address", "serve", "solara_pages",
           "solara_settings"]

#: How long a closed page's session is kept for a reconnect before its memory is released.
CULL_TIMEOUT = "60s"
#: The longest a closed session may be kept (``cull=``, the dashboard's and the classroom's): Solara's own default.
MAX_CULL = "24h"
#: Sessions that may run at once when the dashboard is served to a classroom (lan=true).
LAN_SESSIONS = 40
#: The Solara app.
APP = "sim.apps.dashboard.app"
#: The address that serves this computer only.
LOCALHOST = "127.0.0.1"
#: An address that is routed but never reached (TEST-NET-1, RFC 5737): its route names the LAN address.
_ROUTED = ("192.0.2.1", 9)
#: The dashboard's pages (the classroom has its own: sim/apps/classroom/serve.py).
PAGES = frozenset({"/"})
#: What every page needs besides itself (path prefixes): a page's websocket, Solara's and Jupyter's static
#: files, and the call a closing page makes.
ASSETS = ("/jupyter/api/kernels/", "/jupyter/nbextensions/", "/static/", "/_solara/api/close/")
#: Solara's proxy of its CDN (the pages' scripts and fonts, from its offline cache): only a cached file passes.
CDN = "/_solara/cdn/"
#: Never served on a network, whatever the pages: Solara's diagnostics and its test and auth routes.
BLOCKED = ("/resourcez", "/readyz", "/_solara/api/evict/", "/_solara/auth/")
#: The call a closing page makes: this, its session's (kernel's) id, ``?session_id=`` and the page's id.
CLOSE = "/_solara/api/close/"
#: The longest page id a closing page's call may name (a browser's is a UUID, 36 characters).
MAX_PAGE_ID = 100

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def cached(path: str, cache: Path) -> bool:
    """Whether ``path`` (what follows :data:`CDN`) names a file that Solara's CDN proxy would serve from its offline
    cache ``cache`` as it is: a regular file (Solara keeps a one-part path such as ``pkg@1.0`` as
    ``pkg@1.0/__main.js``), named by plain parts (no empty part, ``.``, ``..``, backslash or NUL, which the
    proxy would normalise). Anything else, Solara's proxy would delete (a folder) or download into the cache."""
    parts = path.split("/")
    if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        return False
    file = cache.joinpath(*parts) if len(parts) > 1 else cache / path / "__main.js"
    try:
        return file.is_file()
    except (OSError, ValueError):  # a name too long for the file system
        return False


def allowed(path: str, pages: Collection[str] | None = PAGES, cache: Path | None = None) -> bool:
    """Whether :func:`guard` lets a request for ``path`` through: one of ``pages`` (or the favicon), an asset
    (:data:`ASSETS`) or a file of Solara's offline cache ``cache`` (:func:`cached`; None: no such file), never a
    :data:`BLOCKED` path. ``pages`` None (this computer only): every path but the CDN proxy's not cached."""
    if path.startswith(CDN):
        return cache is not None and cached(path.removeprefix(CDN), cache)
    if pages is None:
        return True
    if any(path.startswith(b) for b in BLOCKED):
        return False
    return path in pages or path == "/favicon.ico" or path.startswith(ASSETS)


def close_refused(path: str, query: bytes, open_pages: Callable[[str], Collection[str] | None] | None = None) \
        -> bool:
    """Whether :func:`guard` refuses a closing page's call (``path`` :data:`CLOSE` and a session's id, ``query``
    its query string) before Solara reads it: without a page id (``session_id``), with an empty one or one longer
    than :data:`MAX_PAGE_ID`, or (``open_pages``: the page ids of an open session, None for no such session) with
    one that is no page of its session. Solara's handler failed on each but the long one with a KeyError: a 500
    and a traceback in the trainer's terminal, at any visitor's request (a page chooses its session's id).
    Any other path: False."""
    if not path.startswith(CLOSE):
        return False
    # as Solara reads it (Starlette's query parameters): the last session_id of the query, blank ones kept
    ids = [v for k, v in urllib.parse.parse_qsl(query.decode("latin-1"), keep_blank_values=True) if k == "session_id"]
    if not ids or not 0 < len(ids[-1]) <= MAX_PAGE_ID:
        return True
    known = None if open_pages is None else open_pages(path.removeprefix(CLOSE))
    return known is not None and ids[-1] not in known


def guard(app: ASGIApp, pages: Collection[str] | None = PAGES, cache: Path | None = None,
          open_pages: Callable[[str], Collection[str] | None] | None = None) -> ASGIApp:
    """``app`` (an ASGI app: Solara's) behind the path filter of :func:`allowed` (``cache``: Solara's offline cache
    of its CDN, None if it has none); everything else is a plain 404 (a websocket is closed with 1008, policy
    violation), without calling ``app``. A closing page's call that Solara could not handle
    (:func:`close_refused`; ``open_pages``: the page ids of an open session, None for none) is a plain 400."""
    pages = None if pages is None else frozenset(pages)

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]],
                      send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket"):
            path = scope.get("path", "/")
            if not allowed(path, pages, cache):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await _plain(send, 404, b"not found")
                return
            if scope["type"] == "http" and close_refused(path, scope.get("query_string", b""), open_pages):
                await _plain(send, 400, b"bad request")
                return
        await app(scope, receive, send)

    return guarded


async def _plain(send: Callable[[Any], Awaitable[None]], status: int, body: bytes) -> None:
    """A plain-text answer ``status`` of ``body``."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body})


def solara_pages(kernel_id: str) -> Collection[str] | None:
    """The page ids of Solara's open session ``kernel_id`` (its kernel context's), None for no such session
    (:func:`guard`'s ``open_pages`` in the server's process)."""
    from solara.server import kernel_context  # Solara's server: imported by the server's process alone

    context = kernel_context.contexts.get(kernel_id)
    return None if context is None else context.page_status


def check_cull(cull: str) -> float:
    """``cull`` (how long a closed session is kept) in seconds: a duration Solara reads (60s, 5m, 1h), more than 0
    and at most :data:`MAX_CULL`; else ConfigError, one line naming ``cull=``, the value and what is allowed."""
    import solara.util

    from sim.config.keys import ConfigError  # what the command line reports as one line (exit 2)

    try:
        seconds = solara.util.parse_timedelta(cull)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= solara.util.parse_timedelta(MAX_CULL):  # False for nan, inf and 1e400s too
        raise ConfigError(f"cull={cull} is not allowed; allowed: a duration such as 60s, 5m or 1h, more than 0 and "
                          f"at most {MAX_CULL}")
    return seconds


def solara_settings(cull: str, sessions: int = 0, per_session: int | None = None) -> dict[str, str]:
    """Solara's settings for serving a classroom (environment variables Solara reads when it starts), for the
    dashboard and the classroom (sim/apps/classroom/serve.py) alike: a closed page's session kept ``cull``
    (then its memory is released), no telemetry, at most ``sessions`` sessions at once (0: no cap; left out)
    and ``per_session`` open pages per browser (None: Solara's own cap; left out)."""
    env = {"SOLARA_KERNEL_CULL_TIMEOUT": cull, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    if sessions > 0:
        env["SOLARA_KERNEL_MAX_COUNT"] = str(sessions)
    if per_session is not None:
        env["SOLARA_KERNEL_MAX_PER_SESSION"] = str(per_session)
    return env


def environment(cull: str = CULL_TIMEOUT, sessions: int = 0, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The dashboard server's environment: ``base`` (os.environ) with Solara's settings for a classroom
    (:func:`solara_settings`; without a cap on the sessions, none that ``base`` had)."""
    env = dict(os.environ if base is None else base)
    env.pop("SOLARA_KERNEL_MAX_COUNT", None)
    return env | solara_settings(cull, sessions)


def command(port: int = 8765, host: str = LOCALHOST) -> list[str]:
    """The server's command line, bound to ``host``: Solara's app behind :func:`guard` (this module run as a
    program, :func:`main`; on this computer only, its filter of the CDN proxy alone)."""
    return [sys.executable, "-m", "sim.apps.serve", "--host", host, "--port", str(port)]


def run_guarded(host: str, port: int, pages: Collection[str] | None = PAGES) -> None:
    """Serve the Solara app the environment names (``SOLARA_APP``) on ``host``:``port`` behind :func:`guard`
    until stopped (the dashboard, and the classroom; ``pages`` None: every path but the CDN proxy's not
    cached)."""
    import solara.server.settings as settings
    import solara.settings
    import uvicorn
    from solara.server import starlette

    settings.main.mode = "production"
    cache = Path(settings.assets.proxy_cache_dir) if solara.settings.assets.proxy else None
    uvicorn.run(guard(starlette.app, pages, cache, solara_pages), host=host, port=port, log_level="warning",
                ws_ping_interval=20, ws_ping_timeout=20)


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.apps.serve --host H --port P``: the dashboard behind :func:`guard` (what :func:`serve`
    becomes; the settings come from its environment). On 127.0.0.1, every path but the CDN proxy's not cached."""
    ap = argparse.ArgumentParser(prog="python -m sim.apps.serve", description=main.__doc__)
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args(argv)
    os.environ["SOLARA_APP"] = APP  # read when Solara's server is imported
    os.environ.setdefault("SOLARA_MODE", "production")
    run_guarded(args.host, args.port, None if args.host == LOCALHOST else PAGES)
    return 0


def lan_address() -> str | None:
    """This computer's address on its local network (what students type), None when it is on none (the dashboard
    and the classroom, sim/apps/classroom/serve.py, bind it in LAN mode).

    The source address of its route outwards: a UDP socket's ``connect`` picks the interface and
    sends nothing, so no packet leaves and no name is looked up.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_ROUTED)
            address = str(probe.getsockname()[0])
        except OSError:  # no route: not on a network
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def bind_error(host: str, port: int) -> OSError | None:
    """Why a server could not listen on ``host``:``port`` (None if it can), found before it starts: the address is
    looked up and a probe socket bound to it and closed at once (as uvicorn binds: ``SO_REUSEADDR``). A name
    that does not resolve, an address of another computer, a port in use or one that needs administrator rights
    each give the ``OSError`` the server would meet (an empty host, which would mean every address, too)."""
    if not host.strip():
        return OSError(None, "an empty address would serve every address of this computer")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except UnicodeError:  # a name no DNS label can hold (e.g. longer than 63 characters)
        return OSError(None, "not a host name")
    except OSError as exc:  # socket.gaierror: a name that does not resolve
        return exc
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return exc
    return None


def serve(port: int = 8765, host: str = LOCALHOST, cull: str = CULL_TIMEOUT, sessions: int | None = None) -> NoReturn:
    """Become the dashboard's server on ``host`` (this process is replaced; Ctrl+C stops it).

    ``sessions``: at most this many at once (0: no cap); None for :data:`LAN_SESSIONS` on a LAN address and
    no cap on this computer only. The process becomes Solara's (``exec``) rather than starting it as a
    child, so a signal that stops the launcher stops the server: no server is left running without it.
    """
    check_cull(cull)  # ConfigError for a wrong duration, before the server starts
    cap = (0 if host == LOCALHOST else LAN_SESSIONS) if sessions is None else sessions
    argv, env = command(port, host), environment(cull, cap)
    log.info("dashboard at http://%s:%d (closed sessions kept %s%s)", host, port, cull,
             f"; at most {cap} sessions at once" if cap else "")
    logging.shutdown()  # flush before the process is replaced
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    sys.exit(main())
