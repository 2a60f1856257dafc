"""A room's game in a process of its own, so that the model's months never hold the server's interpreter.

Why. The server renders every page of every room (Solara, one Python process). When a room's model
ran in a thread of that process (``ModelGame``'s worker and its ghost runs), its months and the 31
pages that redraw after a decision took turns on one interpreter lock: a deciding vote reached the
projector in 1.6 s median, 3.9 s at worst (benchmarks/results/bench_classroom.md, before). Here each
room's :class:`~sim.apps.classroom.game.ModelGame` lives in a child process and the room talks to it
through a pipe (:class:`ProcessGame`, the same ``Game`` interface): the server's threads only wait on
the pipe while the months run, and the operating system, not the interpreter lock, shares the cores.

Lifetime. Children come from a fork server started once (``forkserver``: it has imported the model
before any room opens, so a room's process starts in a fork, and it forks from a process without the
server's threads). Closing the room kills its process: all of the room's memory goes back to the
system at once. A child whose server is gone (killed) reads the end of its pipe and exits; the fork
server does the same when its parent dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sim.apps.classroom.engine import Pause
from sim.apps.classroom.game import ROLES, ModelGame

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["sim.apps.classroom.game"])
#: Seconds a closed room's process may take to end before it is killed.
STOP_TIMEOUT_S = 5.0


class GameProcessError(RuntimeError):
    """The game's process ended without an answer (it crashed or was killed)."""


def _child(conn: multiprocessing.connection.Connection, how: str, args: Any) -> None:
    """The game's process: build the game, then answer the room's calls until told to stop or the pipe ends."""
    try:
        game = ModelGame(*args) if how == "new" else ModelGame.from_json(args)
    except Exception as exc:  # a wrong saved room or setting: the server raises it in the room's thread
        conn.send(("error", exc))
        return
    conn.send(("ok", None))
    while True:
        try:
            name, call_args = conn.recv()
        except (EOFError, OSError):  # the server is gone
            break
        if name == "close":
            break
        try:
            conn.send(("ok", getattr(game, name)(*call_args)))
        except Exception as exc:
            conn.send(("error", exc))
    # no clean-up worth waiting for: the model holds nothing but memory (its worker threads may be mid-month)
    os._exit(0)


class ProcessGame:
    """A :class:`~sim.apps.classroom.game.ModelGame` in a child process (implements ``engine.Game``).

    Calls are answered one at a time (a lock around each round trip); ``close`` does not wait for a
    call in flight: it kills the process, and the waiting call ends as the game's end (``advance``
    returns None) or with :class:`GameProcessError`.
    """

    def __init__(self, scenario: str, preset: str, seed: int, horizon: int, scale: float = 1.0) -> None:
        self._horizon = int(horizon)
        self._start("new", (scenario, preset, int(seed), int(horizon), float(scale)))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProcessGame:
        """The game ``ModelGame.to_json`` described, rebuilt (its decisions replayed) in a new process; its fields
        checked here first (``ModelGame.check_json``: SavedError), a decision that does not replay there."""
        ModelGame.check_json(data)
        game = cls.__new__(cls)
        game._horizon = int(data["horizon"])
        game._start("load", dict(data))
        return game

    def _start(self, how: str, args: Any) -> None:
        self._lock = threading.Lock()
        self._closed = False
        ours, theirs = _CONTEXT.Pipe()
        self._conn = ours
        self._process = _CONTEXT.Process(target=_child, args=(theirs, how, args), name="classroom-game", daemon=True)
        self._process.start()
        self._pid = self._process.pid
        theirs.close()  # only the child holds its end: the pipe ends when the child does
        self._receive()  # the game is built (or its error raised here)

    def _receive(self) -> Any:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise GameProcessError("the game's process ended") from exc
        if kind == "error":
            raise value
        return value

    def _call(self, name: str, *args: Any) -> Any:
        with self._lock:
            if self._closed:
                raise GameProcessError("the game was closed")
            try:
                self._conn.send((name, args))
            except OSError as exc:
                raise GameProcessError("the game's process ended") from exc
            return self._receive()

    @property
    def pid(self) -> int | None:
        """The game's process id (None once it ended)."""
        return None if self._closed else self._pid

    # ------------------------------------------------------------------ the interface

    def roles(self) -> tuple[str, ...]:
        """The roles a room can seat (the same for every municipality: no round trip)."""
        return ROLES

    def horizon(self) -> int:
        """Months the game runs."""
        return self._horizon

    def advance(self) -> Pause | None:
        """Run months until the next decision point (in the game's process); None at the end or once closed."""
        try:
            pause: Pause | None = self._call("advance")
        except GameProcessError:
            if self._closed:
                return None
            raise
        return pause

    def decide(self, option_key: str) -> None:
        """Take the pending pause's choice."""
        self._call("decide", option_key)

    def month(self) -> int:
        """Months completed."""
        return int(self._call("month"))

    def series(self) -> pd.DataFrame:
        """One row per month from month 0."""
        frame: pd.DataFrame = self._call("series")
        return frame

    def events(self) -> list[dict[str, Any]]:
        """What happened, month by month."""
        return list(self._call("events"))

    def timeline(self) -> list[dict[str, Any]]:
        """Each decision and what moved after it."""
        return list(self._call("timeline"))

    def ghosts_ready(self) -> bool:
        """Whether both ghost runs are done."""
        return bool(self._call("ghosts_ready"))

    def ghost(self, which: str) -> pd.DataFrame:
        """A ghost run (waits for it in the game's process)."""
        frame: pd.DataFrame = self._call("ghost", which)
        return frame

    def to_json(self) -> dict[str, Any]:
        """Enough to rebuild the game (``from_json``)."""
        data: dict[str, Any] = self._call("to_json")
        return data

    def close(self) -> None:
        """End the game's process (its memory goes back to the system); a call in flight ends too."""
        if self._closed:
            return
        self._closed = True
        self._process.kill()
        self._process.join(STOP_TIMEOUT_S)
        if self._lock.acquire(timeout=STOP_TIMEOUT_S):  # no call in flight any more: the pipe can go
            self._conn.close()
            self._lock.release()
        self._process.close()


__all__ = ["GameProcessError", "ProcessGame"]
