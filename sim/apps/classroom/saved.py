"""A saved room (``Room.to_json``, a file the trainer opens again), checked before anything of it is used.

The file is the trainer's, but anyone could have written it: every field is checked with its type and its range
(bounded whole numbers, finite numbers, texts of a bounded length, the game's own scenario, design, seed and
horizon for the room's settings, the game's own decisions for the room's record), and a file too large, not JSON
or nested too deep is refused before it is looked into. A refusal is a :class:`SavedError`: one line in the
trainer's language naming the field, its value and what is allowed (``SavedError.text``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from typing import Any

from sim.apps.classroom.engine import LANGUAGES, PAUSE_KINDS

SAVE_FORMAT = "classroom-room/1"
#: The largest file a room is reopened from (a saved room of 72 months is some tens of kB).
MAX_BYTES = 2_000_000
#: Objects and lists inside one another at most (a saved room's deepest: decisions, a decision, votes, a vote).
MAX_NESTING = 6
#: Seats of one role at most (a classroom, not a stadium).
MAX_SEATS = 100
#: The months a room may play (from the form: 12 to 72).
MIN_HORIZON, MAX_HORIZON = 3, 120
#: The largest seed the model takes (sim.config.schema).
MAX_SEED = 2**32 - 1
#: Decisions a saved room holds at most, votes on one decision, and a seat's votes on one option.
MAX_DECISIONS, MAX_OPTIONS, MAX_VOTES = 1_000, 50, 10_000
#: The longest text a field of a saved room may hold.
MAX_TEXT = 200
#: Who may have taken a decision (the room's record).
DECIDERS = ("seats", "model", "trainer")
#: The fields of a saved game (an engine's ``to_json``): those it must have, and those it may.
GAME_FIELDS, GAME_OPTIONAL = ("scenario", "preset", "seed", "horizon", "month", "decisions"), ("engine", "scale")


class SavedError(ValueError):
    """A saved room refused: ``what`` (a key under ``trainer.saved``: the field and its value, or the file) is not
    allowed, ``allowed`` (a key under ``trainer.saved``) says what is; ``fields`` fill both texts."""

    def __init__(self, what: str, allowed: str, **fields: Any) -> None:
        super().__init__(f"{what} {fields} not allowed ({allowed})")
        self.what, self.allowed, self.fields = what, allowed, fields

    def __reduce__(self) -> tuple[Any, ...]:  # raised in the game's process (sim.apps.classroom.worker)
        return _rebuilt, (self.what, self.allowed, self.fields)

    def text(self, lang: str) -> str:
        """The one line the trainer reads, in ``lang``."""
        # here, not at the top: the texts load the locales, which the game's process needs only for a refusal
        from sim.apps.classroom import texts

        return texts.t("trainer.reopen_refused", lang,
                       what=texts.t(f"trainer.saved.{self.what}", lang, **self.fields),
                       allowed=texts.t(f"trainer.saved.{self.allowed}", lang, **self.fields))


def _rebuilt(what: str, allowed: str, fields: dict[str, Any]) -> SavedError:
    return SavedError(what, allowed, **fields)


def refuse(field: str, value: Any, allowed: str, **fields: Any) -> SavedError:
    """The refusal of ``field`` (``settings.horizon``) for ``value`` (shown as the file wrote it, shortened)."""
    return SavedError("field", allowed, field=field, value=shown(value), **fields)


def shown(value: Any) -> str:
    """``value`` as JSON writes it, at most 60 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def read(data: bytes) -> Any:
    """The JSON of a saved room's file (not yet checked: :func:`check`); SavedError for a file too large, not
    JSON (nor UTF-8 text) or nested deeper than :data:`MAX_NESTING`."""
    if len(data) > MAX_BYTES:
        raise SavedError("size", "size_most", size=len(data), most=MAX_BYTES)
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SavedError("not_json", "a_saved_room", line=exc.lineno, column=exc.colno) from None
    except (ValueError, RecursionError):  # not UTF-8; a number of more than 4300 digits; nested beyond recursion
        raise SavedError("unreadable", "a_saved_room") from None
    deepest, todo = 0, [(parsed, 1)]
    while todo and deepest <= MAX_NESTING:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    if deepest > MAX_NESTING:
        raise SavedError("nested", "nested_most", most=MAX_NESTING)
    return parsed


def fields(data: Any, path: str, required: Collection[str], optional: Collection[str] = ()) -> dict[str, Any]:
    """``data`` (at ``path``) as an object with the ``required`` keys and no others than ``optional``."""
    names = ", ".join([*required, *optional])
    if not isinstance(data, dict):
        raise refuse(path or "the file", data, "object", fields=names)
    for key in data:
        if key not in required and key not in optional:
            raise SavedError("unknown", "object", field=_at(path, str(key)), fields=names)
    for key in required:
        if key not in data:
            raise SavedError("missing", "object", field=_at(path, key), fields=names)
    return data


def whole(data: Mapping[str, Any], key: str, path: str, least: int, most: int) -> int:
    """``data[key]``: a whole number from ``least`` to ``most`` (not true or false, not 24.0)."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise refuse(_at(path, key), value, "whole", least=least, most=most)
    return value


def number(data: Mapping[str, Any], key: str, path: str, least: float, most: float) -> float:
    """``data[key]``: a finite number from ``least`` to ``most``."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not least <= value <= most:
        raise refuse(_at(path, key), value, "number", least=least, most=most)
    return float(value)


def text(data: Mapping[str, Any], key: str, path: str, choices: Collection[str] | None = None) -> str:
    """``data[key]``: a text of at most :data:`MAX_TEXT` characters (one of ``choices`` if given)."""
    value = data[key]
    if choices is not None and value not in choices:
        raise refuse(_at(path, key), value, "one_of", choices=", ".join(choices) or '""')
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise refuse(_at(path, key), value, "text", most=MAX_TEXT)
    return value


def items(data: Mapping[str, Any], key: str, path: str, most: int) -> list[Any]:
    """``data[key]``: a list of at most ``most`` items (a tuple too: a room's ``to_json`` not yet written)."""
    value = data[key]
    if not isinstance(value, list | tuple) or len(value) > most:
        raise refuse(_at(path, key), value if not isinstance(value, list | tuple) else f"{len(value)} items",
                     "list", most=most)
    return list(value)


def same(data: Mapping[str, Any], key: str, path: str, game: Any) -> None:
    """``data[key]`` is the game's own value ``game``."""
    if data[key] != game or type(data[key]) is not type(game):
        raise refuse(_at(path, key), data[key], "same", game=shown(game))


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check(data: Any, lessons: Collection[str] | None = None) -> tuple[dict[str, Any], dict[str, Any],
                                                                     list[dict[str, Any]]]:
    """A saved room's JSON (:func:`read`) checked: its settings (the keyword arguments of
    ``sim.apps.classroom.rooms.Settings``), its game (for the engine's ``from_json``, which checks what only it
    knows: the municipality and design) and its record of decisions. ``lessons``: the lessons a room may play
    (None: not checked). SavedError for the first field that is not allowed."""
    top = fields(data, "", ("format", "settings", "game", "decisions"), ("saved",))
    if top["format"] != SAVE_FORMAT:
        raise refuse("format", top["format"], "one_of", choices=SAVE_FORMAT)
    if "saved" in top:
        text(top, "saved", "")
    game = fields(top["game"], "game", GAME_FIELDS, GAME_OPTIONAL)
    for key in ("scenario", "preset", "engine"):
        if key in game:
            text(game, key, "game")
    whole(game, "seed", "game", 0, MAX_SEED)
    horizon = whole(game, "horizon", "game", MIN_HORIZON, MAX_HORIZON)
    whole(game, "month", "game", 0, horizon)
    played = items(game, "decisions", "game", MAX_DECISIONS)
    for i, d in enumerate(played):
        path = f"game.decisions[{i}]"
        fields(d, path, ("month", "kind", "role", "option"))
        whole(d, "month", path, 0, horizon)
        text(d, "kind", path, PAUSE_KINDS)
        text(d, "role", path)
        text(d, "option", path)
    settings = fields(top["settings"], "settings", ("scenario", "preset"),
                      ("seed", "horizon", "seats_per_role", "resident_seats", "auto_model", "lesson"))
    for key in ("scenario", "preset", "seed", "horizon"):
        if key in settings:
            same(settings, key, "settings", game[key])
    for key in ("seats_per_role", "resident_seats"):
        if key in settings:
            whole(settings, key, "settings", 1, MAX_SEATS)
    if "auto_model" in settings and not isinstance(settings["auto_model"], bool):
        raise refuse("settings.auto_model", settings["auto_model"], "bool")
    if "lesson" in settings:
        text(settings, "lesson", "settings", None if lessons is None else ["", *lessons])
    record = items(top, "decisions", "", MAX_DECISIONS)
    if len(record) != len(played):
        raise SavedError("count", "count_same", field="decisions", count=len(record), game=len(played))
    for i, (d, g) in enumerate(zip(record, played, strict=True)):
        path = f"decisions[{i}]"
        fields(d, path, ("month", "kind", "role", "option", "default", "by"), ("votes", "label"))
        for key in ("month", "kind", "role", "option"):
            same(d, key, path, g[key])
        text(d, "default", path)
        text(d, "by", path, DECIDERS)
        for j, vote in enumerate(items(d, "votes", path, MAX_OPTIONS) if "votes" in d else ()):
            if not isinstance(vote, list | tuple) or len(vote) != 2:
                raise refuse(f"{path}.votes[{j}]", vote, "vote")
            text({"option": vote[0]}, "option", f"{path}.votes[{j}]")
            whole({"count": vote[1]}, "count", f"{path}.votes[{j}]", 0, MAX_VOTES)
        if "label" in d:
            fields(d["label"], f"{path}.label", (), LANGUAGES)
            for lang in d["label"]:
                text(d["label"], lang, f"{path}.label")
    return settings, game, record
