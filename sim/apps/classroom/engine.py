"""The game engine's interface: what a room needs from the simulation, and nothing of its rules.

The room (``classroom.rooms``) and the pages (``classroom.app``) only talk to a ``Game``. The
engine driven by the model, ``sim.apps.classroom.game.ModelGame``, implements this protocol.

One addition to the interface agreed in issue 20: ``roles()``, the roles the game can ask (the
resident groups depend on the municipality), so that seats can be offered before the first pause.
Who took a decision (a seat, the model, the trainer) is the room's record, not the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import pandas as pd

#: The languages every text of a game comes in.
LANGUAGES = ("nl", "en")
#: The moments at which the simulation pauses for a decision.
PAUSE_KINDS = ("design", "inform_first", "promise", "screening", "council_vote", "feedback", "reopen_request",
               "election")
#: The administration's four roles (issue 20).
ADMINISTRATION = ("inspirator", "continuity", "guardian", "realism")
COUNCIL = ("council_majority", "council_opposition")
#: The ghost runs beside the room's: the model alone under the preset, and without participation.
GHOSTS = ("preset", "none")
#: A pause for this role is decided on the trainer's page.
TRAINER = "trainer"
RESIDENTS_PREFIX = "residents_"


def is_resident_role(role: str) -> bool:
    """Whether ``role`` is a group of residents (``residents_<group>``)."""
    return role.startswith(RESIDENTS_PREFIX)


@dataclass(frozen=True)
class Option:
    """One choice of a pause: its words and one line that says its consequence and why."""

    key: str
    label: dict[str, str]
    why: dict[str, str]


@dataclass(frozen=True)
class Pause:
    """A decision point: who decides, when, the question, the options and the model's own choice."""

    kind: str
    role: str
    month: int
    question: dict[str, str]
    options: tuple[Option, ...]
    default: str

    def option(self, key: str) -> Option:
        """The option with this key (KeyError if there is none)."""
        for opt in self.options:
            if opt.key == key:
                return opt
        raise KeyError(f"pause {self.kind} at month {self.month} has no option {key!r}")


@runtime_checkable
class Game(Protocol):
    """A municipality played by a room: months run until the next decision point."""

    def roles(self) -> tuple[str, ...]: ...

    def advance(self) -> Pause | None: ...

    def decide(self, option_key: str) -> None: ...

    def month(self) -> int: ...

    def series(self) -> pd.DataFrame: ...

    def events(self) -> list[dict[str, Any]]: ...

    def timeline(self) -> list[dict[str, Any]]: ...

    def ghost(self, which: str) -> pd.DataFrame: ...

    def ghosts_ready(self) -> bool: ...

    def horizon(self) -> int: ...

    def close(self) -> None: ...

    def to_json(self) -> dict[str, Any]: ...
