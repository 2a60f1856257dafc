"""Rooms: the state a class shares, kept in one process-wide store keyed by a short room code.

Solara keeps a ``solara.reactive`` value per browser session (per kernel), so nothing a room shares
may live in one: the room, its game, its seats and votes live here, in a ``RoomStore`` that every
session of the server reads. A session holds only the room's code (and its own language).

Concurrency. Every change to a room happens under the room's lock and ends in ``_publish``, which
builds an immutable ``RoomView`` once (the same object for the projector and all 30 seats) and
wakes the sessions that wait in ``Room.wait`` (each in its own thread: a seat's click never renders
another session). The game's months run in a worker thread (``_ADVANCE``), outside the lock: while
they run, the room is ``RUNNING`` and takes no decision, so only that worker touches the game.

Lifetime. ``RoomStore.close`` (the trainer) and ``RoomStore.reap`` (rooms idle for longer than
``idle_seconds``) remove a room: its game, views and seats go with it, and every waiting session
wakes up to see it closed.
"""

from __future__ import annotations

import collections
import enum
import io
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from sim.apps.classroom import saved
from sim.apps.classroom.engine import GHOSTS, TRAINER, Game, Pause, is_resident_role
from sim.apps.classroom.saved import SAVE_FORMAT

#: Room codes use letters and digits that cannot be mistaken for one another on a projector or a
#: phone keyboard (none of 0 O D Q, 1 I L, 2 Z, 5 S, 8 B, G, U V): 20 symbols, 5 of them, 3.2 million codes.
ALPHABET = "ACEFHJKMNPRTWXY34679"
CODE_LENGTH = 5
#: Wrong codes a browser session may try per ``GUESS_WINDOW_S`` before joining is refused for a while.
MAX_WRONG_CODES = 8
GUESS_WINDOW_S = 60.0
#: Months run in these worker threads, never in a page's event handler.
_ADVANCE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="room-advance")


class Phase(enum.StrEnum):
    """Where a room is: waiting for the start, running months, waiting for a decision, over, closed."""

    LOBBY = "lobby"
    RUNNING = "running"
    DECIDING = "deciding"
    ENDED = "ended"
    CLOSED = "closed"


class RoomError(Exception):
    """A request the room refuses; ``key`` is the translation key of the reason shown to the user."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Settings:
    """What the trainer chose when opening the room."""

    scenario: str
    preset: str
    seed: int = 0
    horizon: int = 24
    seats_per_role: int = 1  # administration and council roles
    resident_seats: int = 10  # each group of residents
    auto_model: bool = False  # the model decides at once for a role nobody took
    lesson: str = ""  # the lesson the room plays ("": free play): its debrief questions

    def capacity(self, role: str) -> int:
        """How many seats ``role`` has."""
        return self.resident_seats if is_resident_role(role) else self.seats_per_role


@dataclass(frozen=True)
class Decision:
    """A decision the room took: which pause, which option, who took it and how the seats voted."""

    month: int
    kind: str
    role: str
    option: str
    default: str
    by: str  # "seats", "model" or "trainer"
    votes: tuple[tuple[str, int], ...] = ()
    label: Mapping[str, str] = field(default_factory=dict)  # the option's words, {lang: text}


@dataclass(frozen=True)
class GameData:
    """What the pages show of the game, captured while no worker runs its months."""

    month: int
    series: pd.DataFrame
    events: tuple[dict[str, Any], ...]
    timeline: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RoomView:
    """A room as every page draws it, at one version. Immutable and shared by all sessions."""

    code: str
    version: int
    phase: Phase
    settings: Settings
    roles: tuple[str, ...]
    seats: Mapping[str, int]  # role -> seats taken
    pending: Pause | None
    votes: Mapping[str, int]  # option -> votes for the pending pause
    voters: int  # seats of the pending role that have chosen
    decisions: tuple[Decision, ...]
    game: GameData
    ghosts: Mapping[str, pd.DataFrame]

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.game.month

    def seats_of(self, role: str) -> int:
        """Seats taken in ``role``."""
        return self.seats.get(role, 0)

    def timeline(self) -> list[dict[str, Any]]:
        """The engine's timeline of decisions, each with who took it (the room's record) and its votes."""
        rows = []
        for entry, decision in zip(self.game.timeline, self.decisions, strict=False):
            rows.append({**entry, "by": decision.by, "votes": dict(decision.votes)})
        return rows


EngineFactory = Callable[[Settings], Game]
EngineLoader = Callable[[dict[str, Any]], Game]


class Room:
    """One class playing one municipality (see the module's docstring for the locking rules)."""

    def __init__(self, code: str, settings: Settings, game: Game, owner: str, clock: Callable[[], float]) -> None:
        self.code = code
        self.settings = settings
        self.owner = owner  # the trainer's browser session
        self._game = game
        self._clock = clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._phase = Phase.LOBBY
        self._seats: dict[str, str] = {}  # session -> role
        self._votes: dict[str, str] = {}  # session -> option, for the pending pause
        self._pending: Pause | None = None
        self._decisions: list[Decision] = []
        self._ghosts: dict[str, pd.DataFrame] = {}
        self._roles = tuple(game.roles())
        self._game_data = self._capture()
        self._version = 0
        self._view = self._make_view()
        self.last_active = clock()

    # ------------------------------------------------------------------ reading

    def view(self) -> RoomView:
        """The room as it is now (the same object until the next change)."""
        return self._view

    @property
    def running(self) -> bool:
        """Whether a worker runs the months now (the pages may not know yet: see ``_run_months``)."""
        with self._lock:
            return self._phase is Phase.RUNNING

    @property
    def closed(self) -> bool:
        """Whether the room was closed (its pages show so and stop waiting)."""
        return self._phase is Phase.CLOSED

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the room's version differs from ``seen`` (or it closes, or ``timeout`` passes); the
        version now."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen or self.closed, timeout=timeout)
            return self._version

    def seat(self, session: str) -> tuple[str, str | None] | None:
        """The role a session holds here and its vote on the pending pause, or None."""
        with self._lock:
            role = self._seats.get(session)
            return None if role is None else (role, self._votes.get(session))

    def free(self, role: str) -> int:
        """Seats still free in ``role``."""
        with self._lock:
            return self.settings.capacity(role) - sum(1 for r in self._seats.values() if r == role)

    # ------------------------------------------------------------------ seats

    def join(self, session: str, role: str) -> None:
        """Give ``session`` a seat in ``role`` (its seat so far, if any, is left)."""
        with self._lock:
            self._check_open()
            if role not in self._roles:
                raise RoomError("seat.full")
            if self._seats.get(session) == role:
                return
            if self.free(role) <= 0:
                raise RoomError("seat.full")
            self._seats.pop(session, None)
            self._votes.pop(session, None)
            self._seats[session] = role
            self._publish(capture=False)

    def leave(self, session: str) -> None:
        """Free the session's seat (a vote it cast on the pending pause is withdrawn)."""
        with self._lock:
            if self._seats.pop(session, None) is not None:
                self._votes.pop(session, None)
                self._publish(capture=False)

    # ------------------------------------------------------------------ play

    def start(self, session: str) -> None:
        """The trainer starts the months."""
        with self._lock:
            self._check_owner(session)
            if self._phase is not Phase.LOBBY:
                return
            self._run_months()

    def vote(self, session: str, option: str) -> None:
        """A seat chooses an option of the pending pause; the last seat of the role to choose decides it."""
        with self._lock:
            self._check_open()
            pause, role = self._pending, self._seats.get(session)
            if pause is None or self._phase is not Phase.DECIDING or role != pause.role:
                raise RoomError("seat.other_decides")
            pause.option(option)
            self._votes[session] = option
            if len(self._votes) >= sum(1 for r in self._seats.values() if r == role):
                self._decide(self._plurality(pause), "seats")
            else:
                self._publish(capture=False)

    def proceed(self, session: str) -> None:
        """The trainer's Continue: close the vote (the seats' plurality) or let the model decide."""
        with self._lock:
            self._check_owner(session)
            pause = self._pending
            if pause is None or self._phase is not Phase.DECIDING or pause.role == TRAINER:
                return
            if self._votes:
                self._decide(self._plurality(pause), "seats")
            else:
                self._decide(pause.default, "model")

    def choose(self, session: str, option: str) -> None:
        """The trainer takes a decision that is the trainer's (role ``trainer``)."""
        with self._lock:
            self._check_owner(session)
            pause = self._pending
            if pause is None or self._phase is not Phase.DECIDING or pause.role != TRAINER:
                return
            pause.option(option)
            self._decide(option, "trainer")

    def close(self) -> None:
        """Close the room for good: drop the game and the seats, wake every page."""
        with self._lock:
            self._phase = Phase.CLOSED
            self._seats.clear()
            self._votes.clear()
            self._pending = None
            if self._game is not None:
                self._game.close()  # its worker and ghost runs stop; the model is let go
            self._game = None  # type: ignore[assignment]
            self._ghosts = {}
            self._publish(capture=False)

    # ------------------------------------------------------------------ saving

    def to_json(self) -> dict[str, Any]:
        """The room's run as JSON-ready data (settings, the game, the decisions and who took them)."""
        with self._lock:
            if self._phase is Phase.RUNNING:
                raise RoomError("projector.running")
            self._check_open()
            return {"format": SAVE_FORMAT, "saved": datetime.now(UTC).isoformat(timespec="seconds"),
                    "settings": asdict(self.settings), "game": self._game.to_json(),
                    "decisions": [asdict(d) for d in self._decisions]}

    def csv_series(self) -> str:
        """The months of the run, with the ghost runs' values beside each column (``<column>_preset``, ...)."""
        view = self.view()
        table = view.game.series.set_index("month")
        for which, ghost in view.ghosts.items():
            table = table.join(ghost.set_index("month").add_suffix(f"_{which}"), how="outer")
        buf = io.StringIO()
        table.reset_index().to_csv(buf, index=False, float_format="%.5f")
        return buf.getvalue()

    def csv_timeline(self) -> str:
        """One row per decision: month, kind, role, option, the model's own choice, who took it, what moved."""
        rows = []
        for entry in self.view().timeline():
            rows.append({"month": entry["month"], "kind": entry["kind"], "role": entry["role"],
                         "option": entry["option"], "default": entry["default"], "by": entry["by"],
                         "votes": json.dumps(entry["votes"]), "moved_months": entry["moved_months"],
                         **{f"moved_{k}": round(v, 5) for k, v in entry["moved"].items()}})
        buf = io.StringIO()
        pd.DataFrame(rows).to_csv(buf, index=False)
        return buf.getvalue()

    def restore(self, decisions: list[dict[str, Any]]) -> None:
        """Take up a saved run: its record of decisions, and its pending pause or its end."""
        with self._lock:
            self._decisions = [Decision(**{**d, "votes": tuple(tuple(v) for v in d.get("votes", ()))})
                               for d in decisions]
            if self._game.month() == 0 and not self._decisions:
                return
            self._ghosts = {which: self._game.ghost(which) for which in GHOSTS}
            # a reopened room waits for its seats or the trainer, even when the model would decide at once
            self._after_months(self._game.advance(), auto=False)

    # ------------------------------------------------------------------ inside

    def _check_open(self) -> None:
        if self.closed:
            raise RoomError("seat.closed")

    def _check_owner(self, session: str) -> None:
        self._check_open()
        if session != self.owner:
            raise RoomError("trainer.not_owner")

    def _plurality(self, pause: Pause) -> str:
        """The option most seats chose; a tie goes to the option chosen first."""
        counts = collections.Counter(self._votes.values())
        best = max(counts.values())
        return next(option for option in self._votes.values() if counts[option] == best)

    def _decide(self, option: str, by: str) -> None:
        pause = self._pending
        assert pause is not None
        votes = tuple(sorted(collections.Counter(self._votes.values()).items()))
        self._game.decide(option)
        self._decisions.append(Decision(pause.month, pause.kind, pause.role, option, pause.default, by, votes,
                                        dict(pause.option(option).label)))
        self._pending = None
        self._votes.clear()
        self._run_months()

    def _run_months(self) -> None:
        """Hand the months to a worker; the room runs (and takes no decision) until the next pause.

        The pages hear at once that the months run, with the decision just taken (from the room's own
        record, not the game's: the worker owns the game now), so a decision reaches the projector
        before the model moves on; they hear again at the next pause.
        """
        self._phase = Phase.RUNNING
        self._publish(capture=False)
        _ADVANCE.submit(self._advance)

    def _advance(self) -> None:
        game = self._game
        if game is None:  # closed before the worker started
            return
        try:
            pause = game.advance()
            if self.closed:  # closed while the months ran: the game is gone
                return
            # the ghost runs are computed beside the room's months; shown once they are done, waited for at the end
            if not self._ghosts and (pause is None or game.ghosts_ready()):
                self._ghosts = {which: game.ghost(which) for which in GHOSTS}
        except Exception:  # the worker's error must reach the log, not vanish in a future
            logging.getLogger(__name__).exception("room %s: the game failed", self.code)
            raise
        with self._lock:
            if not self.closed:
                self._after_months(pause)

    def _after_months(self, pause: Pause | None, auto: bool = True) -> None:
        """A pause reached (or the end): wait for its seats or the trainer, or let the model decide at once."""
        self._game_data = self._capture()  # no worker runs the months now
        if pause is None:
            self._phase = Phase.ENDED
            self._pending = None
            self._publish(capture=False)
            return
        self._pending = pause
        self._phase = Phase.DECIDING
        nobody = pause.role != TRAINER and not any(r == pause.role for r in self._seats.values())
        if auto and nobody and self.settings.auto_model:
            self._decide(pause.default, "model")
        else:
            self._publish(capture=False)

    def _capture(self) -> GameData:
        game = self._game
        return GameData(game.month(), game.series(), tuple(game.events()), tuple(game.timeline()))

    def _make_view(self) -> RoomView:
        pause = self._pending
        seats = collections.Counter(self._seats.values())
        return RoomView(code=self.code, version=self._version, phase=self._phase, settings=self.settings,
                        roles=self._roles, seats=dict(seats), pending=pause,
                        votes=dict(collections.Counter(self._votes.values())), voters=len(self._votes),
                        decisions=tuple(self._decisions), game=self._game_data, ghosts=dict(self._ghosts))

    def _publish(self, capture: bool) -> None:
        """A new version: build the view once and wake the pages. ``capture``: read the game again (only
        where no worker runs its months: a seat joining while they run must not)."""
        if capture and self._game is not None:
            self._game_data = self._capture()
        self._version += 1
        self.last_active = self._clock()
        self._view = self._make_view()
        self._changed.notify_all()


@dataclass
class _Guesses:
    times: collections.deque[float] = field(default_factory=collections.deque)


class RoomStore:
    """All open rooms of the server, keyed by code; the code is the only key a participant needs."""

    def __init__(self, new_game: EngineFactory, load_game: EngineLoader, idle_seconds: float = 7200.0,
                 clock: Callable[[], float] = time.monotonic,
                 on_closed: Callable[[str, int], None] | None = None) -> None:
        self._new_game = new_game
        self._on_closed = on_closed  # (code, rooms still open), after a room is gone
        self._load_game = load_game
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._rooms: dict[str, Room] = {}
        self._guesses: dict[str, _Guesses] = {}
        self._lock = threading.Lock()
        self._reaper: threading.Thread | None = None

    def __len__(self) -> int:
        return len(self._rooms)

    def open(self, settings: Settings, owner: str) -> Room:
        """A new room for the trainer's session ``owner`` (a room it had open is closed)."""
        game = self._new_game(settings)
        return self._add(lambda code: Room(code, settings, game, owner, self._clock), owner)

    def reopen(self, data: Any, owner: str, lessons: Collection[str] | None = None) -> Room:
        """A saved room (``Room.to_json``) under a new code, owned by ``owner``. Every field is checked first
        (``saved.check``; ``lessons``: those a room may play, None for any), the game's own by its engine's
        ``from_json`` before it is built: ``saved.SavedError`` naming the first that is not allowed."""
        values, game_data, decisions = saved.check(data, lessons)
        settings = Settings(**values)
        game = self._load_game(game_data)
        room = self._add(lambda code: Room(code, settings, game, owner, self._clock), owner)
        room.restore(decisions)
        return room

    def get(self, code: str) -> Room | None:
        """The open room with this code (spaces and case ignored), or None."""
        return self._rooms.get(normalize(code))

    def find(self, code: str, session: str) -> Room:
        """The room a participant asks for, counting wrong codes per session (RoomError ``seat.unknown`` or
        ``seat.too_many``)."""
        now = self._clock()
        with self._lock:
            guesses = self._guesses.setdefault(session, _Guesses())
            while guesses.times and now - guesses.times[0] > GUESS_WINDOW_S:
                guesses.times.popleft()
            if len(guesses.times) >= MAX_WRONG_CODES:
                raise RoomError("seat.too_many")
            room = self.get(code)
            if room is None:
                guesses.times.append(now)
                raise RoomError("seat.unknown")
            if not guesses.times:
                self._guesses.pop(session, None)
            return room

    def owned_by(self, session: str) -> Room | None:
        """The room the trainer's session has open, if any."""
        return next((r for r in list(self._rooms.values()) if r.owner == session), None)

    def seat_of(self, session: str) -> Room | None:
        """The room in which this session holds a seat, if any."""
        return next((r for r in list(self._rooms.values()) if r.seat(session) is not None), None)

    def close(self, code: str) -> None:
        """Close and remove a room."""
        with self._lock:
            room = self._rooms.pop(normalize(code), None)
        if room is not None:
            room.close()
            if self._on_closed is not None:
                self._on_closed(room.code, len(self._rooms))

    def reap(self) -> list[str]:
        """Close the rooms idle for longer than ``idle_seconds`` (and forget old wrong guesses); their codes."""
        now = self._clock()
        idle = [code for code, room in list(self._rooms.items()) if now - room.last_active > self.idle_seconds]
        for code in idle:
            self.close(code)
        with self._lock:
            for session, guesses in list(self._guesses.items()):
                if not guesses.times or now - guesses.times[-1] > GUESS_WINDOW_S:
                    del self._guesses[session]
        return idle

    def start_reaper(self, every_s: float | None = None) -> None:
        """Reap idle rooms in a daemon thread, every ``every_s`` seconds (default: a tenth of the idle time,
        between 1 s and a minute)."""
        with self._lock:
            if self._reaper is not None:
                return
            period = every_s if every_s is not None else min(60.0, max(1.0, self.idle_seconds / 10))

            def loop() -> None:
                while True:
                    time.sleep(period)
                    self.reap()

            self._reaper = threading.Thread(target=loop, name="room-reaper", daemon=True)
            self._reaper.start()

    def _add(self, make: Callable[[str], Room], owner: str) -> Room:
        old = self.owned_by(owner)
        if old is not None:
            self.close(old.code)
        with self._lock:
            while (code := new_code()) in self._rooms:
                pass
            room = make(code)
            self._rooms[code] = room
        logging.getLogger("classroom").info("room %s opened (rooms open: %d)", code, len(self._rooms))
        return room


def new_code() -> str:
    """A random room code from ``ALPHABET``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str:
    """A code as typed (any case, spaces, dashes) in the store's form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def with_settings(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with some fields changed (for the trainer's form)."""
    return replace(settings, **changes)
