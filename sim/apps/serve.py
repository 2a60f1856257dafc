"""Serving the trainers' dashboard (sim/apps/dashboard/): on this computer, or to a classroom on its network.

::

    python -m sim dashboard                    # http://127.0.0.1:8765, this computer only
    python -m sim dashboard lan=true           # the classroom: every address of this computer, port 8765
    make dashboard                             # the same as the first (LAN=true for the second)

The launcher runs ``solara run sim.apps.dashboard.app`` in production mode (no reloading, no
telemetry) with the settings a room of students needs:

* **Closed sessions release their memory.** Solara keeps a closed page's session for 24 hours
  by default (a reconnect finds it again); a class of 25 that each open a municipality left
  hundreds of MB behind. :data:`CULL_TIMEOUT` (``cull=``) is how long a closed session is kept:
  long enough for a student's wifi to drop and come back, short enough that the memory of the
  session is freed during the lesson (``SOLARA_KERNEL_CULL_TIMEOUT``).
* **Localhost unless asked.** Without ``lan=true`` the server binds 127.0.0.1: nobody else can
  reach it. ``lan=true`` binds this computer's address on its local network only
  (:func:`lan_address`; not 0.0.0.0, so not a VPN or a second network card), prints the address
  students type, and caps the sessions that run at once (``sessions=``, default
  :data:`LAN_SESSIONS`; ``SOLARA_KERNEL_MAX_COUNT``), so that a room cannot exhaust the trainer's
  laptop.

What a LAN exposes: the dashboard page, its websocket and Solara's static files, and Solara's
health pages (``/readyz``; ``/resourcez`` gives counts of sessions and threads and, with
``?verbose``, the computer's processor and memory load; no names, since no token is set). Every
student gets a session of their own (their own municipality, sliders and runs); no page reads or
writes a file named by a visitor, and no one can run code. There is no login: serve it on the
classroom's network only, never on one open to the internet, and stop it (Ctrl+C) after the lesson.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Mapping
from typing import NoReturn

log = logging.getLogger(__name__)

__all__ = ["CULL_TIMEOUT", "LAN_SESSIONS", "LOCALHOST", "command", "environment", "lan_address", "serve",
           "solara_settings"]

#: How long a closed page's session is kept for a reconnect before its memory is released.
CULL_TIMEOUT = "60s"
#: Sessions that may run at once when the dashboard is served to a classroom (lan=true).
LAN_SESSIONS = 40
#: The Solara app.
APP = "sim.apps.dashboard.app"
#: The address that serves this computer only.
LOCALHOST = "127.0.0.1"
#: An address that is routed but never reached (TEST-NET-1, RFC 5737): its route names the LAN address.
_ROUTED = ("192.0.2.1", 9)


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
    """The server's command line, bound to ``host`` (this computer only unless given a LAN address)."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--no-open",
            "--production"]


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


def serve(port: int = 8765, host: str = LOCALHOST, cull: str = CULL_TIMEOUT, sessions: int | None = None) -> NoReturn:
    """Become the dashboard's server on ``host`` (this process is replaced; Ctrl+C stops it).

    ``sessions``: at most this many at once (0: no cap); None for :data:`LAN_SESSIONS` on a LAN address and
    no cap on this computer only. The process becomes Solara's (``exec``) rather than starting it as a
    child, so a signal that stops the launcher stops the server: no server is left running without it.
    """
    import solara.util

    solara.util.parse_timedelta(cull)  # ValueError for a wrong duration, before the server starts
    cap = (0 if host == LOCALHOST else LAN_SESSIONS) if sessions is None else sessions
    argv, env = command(port, host), environment(cull, cap)
    log.info("dashboard at http://%s:%d (closed sessions kept %s%s)", host, port, cull,
             f"; at most {cap} sessions at once" if cap else "")
    logging.shutdown()  # flush before the process is replaced
    os.execve(argv[0], argv, env)
