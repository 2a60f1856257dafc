"""A saved room opened again (the trainer's file, which anyone could have written): every field is checked with its
type and range before anything is built, and a refusal is one line in the trainer's language naming the field, its
value and what is allowed. Before, ``"horizon": Infinity`` raised OverflowError and deep nesting RecursionError
(neither caught), the caught errors reached the trainer as Python's words ("'int' object is not iterable"), and
resident_seats=-5, seats_per_role="x" or 10**12, a settings.horizon or scenario other than the game's, or
game.month=1e9 were accepted and failed later, at a participant's join."""

import copy
import json
from dataclasses import asdict
from typing import Any

import pytest

from sim.apps.classroom import saved
from sim.apps.classroom.game import ModelGame
from sim.apps.classroom.rooms import RoomStore, Settings
from sim.apps.classroom.saved import SavedError
from sim.config.compose import compose_config
from sim.config.keys import ConfigError

SETTINGS = Settings("kampenhout", "participatory_budget", seed=1, horizon=24)
DECISION = {"month": 4, "kind": "design", "role": "trainer", "option": "keep"}


def room(**game: Any) -> dict[str, Any]:
    """A saved room in its lobby (no decision yet), as Room.to_json writes it; ``game``: fields of its game."""
    return {"format": saved.SAVE_FORMAT, "saved": "2026-12-05T20:00:00+00:00", "settings": asdict(SETTINGS),
            "game": {"engine": "model", "scenario": "kampenhout", "preset": "participatory_budget", "seed": 1,
                     "horizon": 24, "scale": 0.1, "month": 0, "decisions": [], **game},
            "decisions": []}


def with_decision() -> dict[str, Any]:
    data = room(decisions=[dict(DECISION)])
    data["decisions"] = [{**DECISION, "default": "keep", "by": "trainer", "votes": [["keep", 2]],
                          "label": {"nl": "Houden", "en": "Keep"}}]
    return data


def changed(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``data`` with the field at ``path`` ("settings.horizon", "decisions.0.by") set to ``value`` (DELETE: removed)."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


DELETE = object()


def store() -> RoomStore:
    def never(settings: Settings) -> ModelGame:  # pragma: no cover - no room is opened here
        raise AssertionError("a new game was asked for")

    return RoomStore(never, ModelGame.from_json)


def refused(raw: bytes, lang: str = "en") -> str:
    """The line the trainer reads for the file ``raw`` (as the trainer's page reopens it)."""
    with pytest.raises(SavedError) as refusal:
        store().reopen(saved.read(raw), "T", lessons=["citizens_budget"])
    return refusal.value.text(lang)


def dumped(data: Any) -> bytes:
    return json.dumps(data).encode()


START = "This file cannot be reopened: "


@pytest.mark.parametrize(("data", "line"), [
    # the tester's cases
    (changed(room(), "settings.resident_seats", -5),
     "settings.resident_seats = -5; allowed: a whole number from 1 to 100."),
    (changed(room(), "settings.seats_per_role", "x"),
     'settings.seats_per_role = "x"; allowed: a whole number from 1 to 100.'),
    (changed(room(), "settings.seats_per_role", 10**12),
     "settings.seats_per_role = 1000000000000; allowed: a whole number from 1 to 100."),
    (changed(room(), "settings.horizon", 999), "settings.horizon = 999; allowed: the game's own value, 24."),
    (changed(room(), "settings.scenario", "geel"), 'settings.scenario = "geel"; allowed: the game\'s own value, '
                                                   '"kampenhout".'),
    (room(month=1e9), "game.month = 1000000000.0; allowed: a whole number from 0 to 24."),
    (room(month=25), "game.month = 25; allowed: a whole number from 0 to 24."),
    # the raw Python text the trainer saw ("'int' object is not iterable", "'settings'")
    (changed(room(), "decisions", 5), "decisions = 5; allowed: a list of at most 1000 items."),
    (changed(room(), "settings", DELETE), "settings is missing; allowed: an object with the fields format, settings, "
                                          "game, decisions, saved."),
    (changed(room(), "settings.colour", "red"), "settings.colour is not a field of a saved room; allowed: an object "
                                                "with the fields scenario, preset, seed, horizon, seats_per_role, "
                                                "resident_seats, auto_model, lesson."),
    ([1, 2], "the file = [1, 2]; allowed: an object with the fields format, settings, game, decisions, saved."),
    (changed(room(), "format", "classroom-room/2"), 'format = "classroom-room/2"; allowed: one of: classroom-room/1.'),
    # every other field
    (room(seed=-1), "game.seed = -1; allowed: a whole number from 0 to 4294967295."),
    (room(horizon=24.0), "game.horizon = 24.0; allowed: a whole number from 3 to 120."),
    (room(horizon=True), "game.horizon = true; allowed: a whole number from 3 to 120."),
    (room(scenario="atlantis"), 'settings.scenario = "kampenhout"; allowed: the game\'s own value, "atlantis".'),
    (changed(room(scenario="atlantis"), "settings.scenario", "atlantis"),
     'game.scenario = "atlantis"; allowed: one of: kampenhout, geel, generic, antwerp_district.'),
    (room(scale=0), "game.scale = 0; allowed: a number from 0.0001 to 1.0."),
    (room(engine="other"), 'game.engine = "other"; allowed: one of: model.'),
    (changed(room(), "settings.auto_model", "yes"), 'settings.auto_model = "yes"; allowed: true or false.'),
    (changed(room(), "settings.lesson", "hacking"), 'settings.lesson = "hacking"; allowed: one of: , citizens_budget.'),
    (changed(room(), "saved", "x" * 300), "saved = " + json.dumps("x" * 300)[:59] + "…; allowed: a text of at most 200 "
                                          "characters."),
    (changed(with_decision(), "decisions.0.by", "god"), 'decisions[0].by = "god"; allowed: one of: seats, model, '
                                                        'trainer.'),
    (changed(with_decision(), "decisions.0.month", 5), "decisions[0].month = 5; allowed: the game's own value, 4."),
    (changed(with_decision(), "decisions.0.votes", [["keep", -1]]),
     "decisions[0].votes[0].count = -1; allowed: a whole number from 0 to 10000."),
    (changed(with_decision(), "decisions.0.votes", [["keep"]]),
     'decisions[0].votes[0] = ["keep"]; allowed: a pair [option, number of votes].'),
    (changed(with_decision(), "decisions.0.label", {"fr": "Garder"}),
     "decisions[0].label.fr is not a field of a saved room; allowed: an object with the fields nl, en."),
    (changed(with_decision(), "decisions", []), "decisions holds 0 decisions; allowed: as many as the game's decisions "
                                                "(game.decisions), 1."),
    (changed(with_decision(), "game.decisions.0.kind", "coup"),
     'game.decisions[0].kind = "coup"; allowed: one of: design, inform_first, promise, screening, council_vote, '
     'feedback, reopen_request, election.'),
])
def test_a_field_not_allowed_is_one_line_naming_it(data: Any, line: str) -> None:
    assert refused(dumped(data)) == START + line


@pytest.mark.parametrize(("raw", "line"), [
    # OverflowError (int(inf)) escaped the page's handler
    (dumped(room()).replace(b'"horizon": 24, "scale"', b'"horizon": Infinity, "scale"'),
     "game.horizon = Infinity; allowed: a whole number from 3 to 120."),
    (dumped(room()).replace(b'"month": 0', b'"month": 1e400'), "game.month = Infinity; allowed: a whole number from 0 "
                                                                "to 24."),
    (dumped(room()).replace(b'"scale": 0.1', b'"scale": NaN'),
     "game.scale = NaN; allowed: a number from 0.0001 to 1.0."),
    # RecursionError escaped it
    (b"[" * 100_000 + b"]" * 100_000, "it cannot be read as JSON text (UTF-8); allowed: a file saved with “Save room "
                                      "(JSON)”."),
    (dumped(changed(room(), "saved", [[[[[[[]]]]]]])),
     "it nests objects and lists more than 6 deep; allowed: at most 6 deep."),
    (b" " * (saved.MAX_BYTES + 1), f"it is {saved.MAX_BYTES + 1} bytes; allowed: at most {saved.MAX_BYTES} bytes."),
    (b'{"format": ', "it is not JSON (line 1, column 12); allowed: a file saved with “Save room (JSON)”."),
    (b"\xff\xfe\x00", "it cannot be read as JSON text (UTF-8); allowed: a file saved with “Save room (JSON)”."),
    (b"1" * 5000, "it cannot be read as JSON text (UTF-8); allowed: a file saved with “Save room (JSON)”."),
])
def test_a_file_that_cannot_be_read_is_one_line(raw: bytes, line: str) -> None:
    assert refused(raw) == START + line


#: The smallest game.scale that gives Kampenhout (12,528 residents) the model's 10 residents, of two digits.
KAMPENHOUT_LEAST = "a number from 0.00076 to 1.0 for kampenhout (at least 10 simulated residents)."


@pytest.mark.parametrize("scale", [0.0001, 0.0005, 0.00075])
def test_a_scale_too_small_for_the_municipality_is_one_line(scale: float) -> None:
    """A game.scale from 0.0001 to 1 that gives the municipality fewer residents than the model needs: the model's
    ConfigError ("gives 6 residents; at least 10 are needed") reached the page's catch-all, a traceback in the log
    and "This room could not be reopened (the server's log says why)" for the trainer."""
    assert refused(dumped(room(scale=scale))) == START + f"game.scale = {scale}; allowed: {KAMPENHOUT_LEAST}"
    assert refused(dumped(room(scale=scale)), "nl") == (
        f"Dit bestand kan niet heropend worden: game.scale = {scale}; toegelaten: een getal van 0.00076 tot 1.0 voor "
        "kampenhout (minstens 10 gesimuleerde inwoners).")


@pytest.mark.parametrize("scenario", ["kampenhout", "geel", "generic"])
def test_the_smallest_scale_refused_is_the_models_own_bound(scenario: str) -> None:
    """The scale the refusal names is the model's: the config check takes it, and one step (of its last digit) less
    it refuses (ConfigError), as the saved room's check does."""
    data = changed(changed(room(), "game.scenario", scenario), "settings.scenario", scenario)
    with pytest.raises(SavedError) as refusal:
        ModelGame.check_json(changed(data, "game.scale", 1e-4)["game"])
    least = refusal.value.fields["least"]
    mantissa, exponent = f"{least:.1e}".split("e")
    below = float(f"{round(float(mantissa) * 10) - 1}e{int(exponent) - 1}")
    assert compose_config(scenario, "participatory_budget", 1, [f"run.population_scale={least}"])
    ModelGame.check_json(changed(data, "game.scale", least)["game"])
    with pytest.raises(ConfigError, match="at least 10 are needed"):
        compose_config(scenario, "participatory_budget", 1, [f"run.population_scale={below}"])
    with pytest.raises(SavedError):
        ModelGame.check_json(changed(data, "game.scale", below)["game"])


def test_a_room_at_the_smallest_scale_reopens() -> None:
    rooms = store()
    reopened = rooms.reopen(saved.read(dumped(room(scale=0.00076))), "T")
    try:
        assert reopened.to_json()["game"]["scale"] == 0.00076
    finally:
        rooms.close(reopened.code)


def test_the_line_is_in_the_trainers_language() -> None:
    assert refused(dumped(changed(room(), "settings.resident_seats", -5)), "nl") == (
        "Dit bestand kan niet heropend worden: settings.resident_seats = -5; toegelaten: een geheel getal van 1 tot "
        "100.")
    assert refused(b'{"format": ', "nl") == ("Dit bestand kan niet heropend worden: het is geen JSON (regel 1, kolom "
                                            "12); toegelaten: een bestand bewaard met “Bewaar de kamer (JSON)”.")


def test_a_decision_the_game_does_not_offer_is_named() -> None:
    """Replayed: the game asks its first decision, and the file's option is none of that pause's."""
    from sim.apps.classroom.game import ModelGame as Game

    game = Game("kampenhout", "participatory_budget", 1, 24, 0.1)
    pause = game.advance()
    game.close()
    first = {"month": pause.month, "kind": pause.kind, "role": pause.role, "option": "bribe"}
    data = room(decisions=[first])
    data["decisions"] = [{**first, "default": pause.default, "by": "trainer"}]
    line = refused(dumped(data))
    assert line.startswith(START + 'game.decisions[0].option = "bribe"; allowed: one of: ') and \
        pause.default in line, line


def test_a_saved_error_crosses_the_games_process() -> None:
    """The game is rebuilt in a process of its own (sim.apps.classroom.worker): its refusal comes back whole."""
    import pickle

    error = saved.refuse("settings.horizon", 999, "same", game="24")
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, SavedError) and back.text("en") == error.text("en")
