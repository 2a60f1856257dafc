"""A room's game in its own process (sim.apps.classroom.worker): the same game as in the server's process, a
closed room's process gone, errors raised where the room calls, and a room played through it."""

import os
import time

import pandas as pd
import psutil
import pytest

from sim.apps.classroom.engine import Game
from sim.apps.classroom.game import ModelGame
from sim.apps.classroom.rooms import Phase, RoomStore, Settings
from sim.apps.classroom.worker import GameProcessError, ProcessGame

SCALE = 0.1


def play(game, pick=lambda p: p.default):
    """Every pause to the end, answered by ``pick``; the pauses seen."""
    pauses = []
    while (pause := game.advance()) is not None:
        pauses.append(pause)
        game.decide(pick(pause))
    return pauses


def other(pause):
    return next((o.key for o in pause.options if o.key != pause.default), pause.default)


def test_the_game_in_a_process_is_the_game_in_the_server():
    here = ModelGame("kampenhout", "participatory_budget", 7, 24, SCALE)
    there = ProcessGame("kampenhout", "participatory_budget", 7, 24, SCALE)
    try:
        assert isinstance(there, Game) and there.roles() == here.roles() and there.horizon() == 24
        assert play(there, other) == play(here, other)
        pd.testing.assert_frame_equal(there.series(), here.series())
        assert there.events() == here.events() and there.timeline() == here.timeline()
        pd.testing.assert_frame_equal(there.ghost("preset"), here.ghost("preset"))
        assert there.ghosts_ready() and there.to_json() == here.to_json()
        back = ProcessGame.from_json(there.to_json())
        assert back.month() == 24 and back.to_json() == here.to_json()
        back.close()
    finally:
        here.close()
        there.close()


def test_errors_are_raised_where_the_room_calls():
    with pytest.raises(ValueError, match="atlantis"):
        ProcessGame("atlantis", "participatory_budget", 0, 12, SCALE)
    game = ProcessGame("kampenhout", "participatory_budget", 0, 24, SCALE)
    try:
        with pytest.raises(RuntimeError, match="no pending decision"):
            game.decide("model")
        game.advance()
        with pytest.raises(KeyError):
            game.decide("no such option")
    finally:
        game.close()
    with pytest.raises(GameProcessError):
        game.month()


def test_closing_ends_the_process_even_mid_game():
    game = ProcessGame("kampenhout", "participatory_budget", 0, 24, SCALE)
    game.advance()
    pid = game.pid
    assert pid is not None and psutil.pid_exists(pid)
    game.close()
    assert game.pid is None
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the game's process is still there"
        time.sleep(0.05)


def test_a_killed_game_process_is_an_error_not_a_hang():
    game = ProcessGame("kampenhout", "participatory_budget", 0, 24, SCALE)
    os.kill(game.pid, 9)
    with pytest.raises(GameProcessError):
        game.advance()
    game.close()


def test_a_room_plays_its_game_in_a_process():
    store = RoomStore(lambda s: ProcessGame(s.scenario, s.preset, s.seed, s.horizon, SCALE), ProcessGame.from_json)
    room = store.open(Settings("kampenhout", "citizens_panel", seed=4, horizon=24, auto_model=True), "T")
    pid = room._game.pid
    room.start("T")
    deadline = time.monotonic() + 120
    while room.view().phase is not Phase.ENDED:
        assert time.monotonic() < deadline
        room.wait(room.view().version, timeout=0.1)
    view = room.view()
    assert view.month == 24 and {d.by for d in view.decisions} == {"model"}
    pd.testing.assert_frame_equal(view.game.series, view.ghosts["preset"])
    reopened = store.reopen(room.to_json(), "T2")
    assert reopened.view().phase is Phase.ENDED and reopened.view().month == 24
    store.close(room.code)
    store.close(reopened.code)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
