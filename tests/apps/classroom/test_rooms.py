"""The room store: codes, seats, votes, the model in empty roles, independence, saving, and memory released on close."""

import gc
import json
import time
import tracemalloc
import weakref

import pandas as pd
import pytest

from sim.apps.classroom import rooms, saved
from sim.apps.classroom.game import ModelGame
from sim.apps.classroom.rooms import ALPHABET, CODE_LENGTH, Phase, RoomError, RoomStore, Settings


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


#: The share of residents the rooms of these tests simulate (the model at a tenth of Kampenhout: fast).
SCALE = 0.1


def new_store(clock=None, idle=3600.0, scale=SCALE) -> RoomStore:
    def make(s: Settings) -> ModelGame:
        return ModelGame(s.scenario, s.preset, s.seed, s.horizon, scale)

    return RoomStore(make, ModelGame.from_json, idle_seconds=idle, clock=clock or time.monotonic)


def settle(room, timeout=60.0):
    """Wait until the room's months have run (the worker is done)."""
    deadline = time.monotonic() + timeout
    while room.running:
        assert time.monotonic() < deadline, "the months did not finish"
        room.wait(room.view().version, timeout=0.05)
    return room.view()


SETTINGS = Settings("kampenhout", "participatory_budget", seed=1, horizon=24)


def test_codes_are_short_and_unambiguous():
    store = new_store()
    codes = {store.open(SETTINGS, f"trainer{i}").code for i in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set(ALPHABET) & set("0O1IL2Z5S8B")
    code = next(iter(codes))
    assert store.get(code.lower()) is store.get(f" {code[:2]}-{code[2:]} ")


def test_a_seat_decides_its_role_and_the_model_waits_for_continue():
    store = new_store()
    room = store.open(SETTINGS, "T")
    room.join("s1", "inspirator")
    with pytest.raises(RoomError, match=r"seat\.full"):
        room.join("s2", "inspirator")
    with pytest.raises(RoomError, match=r"trainer\.not_owner"):
        room.start("s1")
    room.start("T")
    view = settle(room)
    assert view.phase is Phase.DECIDING and view.pending.role == "inspirator"
    with pytest.raises(RoomError):
        room.vote("s2", "outreach")  # no seat in this role
    room.vote("s1", "outreach")
    view = settle(room)
    assert view.decisions[-1].by == "seats" and view.decisions[-1].option == "outreach"
    assert view.pending.role != "inspirator" and view.phase is Phase.DECIDING  # nobody sits there: waits
    waiting = view.pending
    room.proceed("T")
    view = settle(room)
    assert view.decisions[-1].by == "model" and view.decisions[-1].option == waiting.default


def test_a_team_votes_and_the_plurality_decides():
    store = new_store()
    room = store.open(Settings("kampenhout", "participatory_budget", seed=1, horizon=24, seats_per_role=3), "T")
    for s in ("a", "b", "c"):
        room.join(s, "inspirator")
    room.start("T")
    settle(room)
    room.vote("a", "outreach")
    room.vote("b", "simpler")
    assert room.view().voters == 2 and room.view().phase is Phase.DECIDING
    room.vote("c", "simpler")
    view = settle(room)
    assert view.decisions[0].option == "simpler" and dict(view.decisions[0].votes) == {"outreach": 1, "simpler": 2}


def test_auto_model_plays_every_empty_role_to_the_end():
    store = new_store()
    room = store.open(Settings("kampenhout", "citizens_panel", seed=4, horizon=24, auto_model=True), "T")
    room.start("T")
    view = settle(room)
    assert view.phase is Phase.ENDED and view.month == 24
    assert {d.by for d in view.decisions} == {"model"}
    kinds = {d.kind for d in view.decisions}
    assert {"design", "promise", "screening", "feedback", "election"} <= kinds, kinds
    line = view.timeline()
    assert len(line) == len(view.decisions) and all(e["against"] == "preset" for e in line)
    assert set(view.ghosts) == {"preset", "none"}
    # the model playing every role is the preset's own run: the room's line is the ghost's
    pd.testing.assert_frame_equal(view.game.series, view.ghosts["preset"])


def test_a_decision_shows_before_the_months_run():
    """The pages hear of a decision at once (the room runs, the decision is in its record), before the model has
    run the months to the next pause; then they hear of the pause."""
    store = new_store(scale=1.0)
    room = store.open(Settings("geel", "participatory_budget", seed=1, horizon=24), "T")
    room.start("T")
    view = settle(room)
    while view.pending.kind != "feedback":  # from the cycle's feedback to the next opening: about nine months
        room.proceed("T")
        view = settle(room)
    month = view.month
    room.proceed("T")  # the publish happens inside the call, before the worker takes the months
    first = room.view()
    assert first.version == view.version + 1
    assert first.phase is Phase.RUNNING and first.decisions[-1].kind == "feedback" and first.decisions[-1].by == "model"
    assert first.month == month  # the game's months are not read while the worker runs them
    after = settle(room)
    assert after.phase is Phase.DECIDING and after.month > month


def test_rooms_are_independent():
    store = new_store()
    a, b = store.open(SETTINGS, "T1"), store.open(SETTINGS, "T2")
    a.join("s", "inspirator")
    a.start("T1")
    settle(a)
    a.vote("s", "simpler")
    settle(a)
    assert b.view().phase is Phase.LOBBY and b.view().seats == {} and b.view().month == 0
    with pytest.raises(RoomError):
        b.start("T1")  # the other trainer's room
    store.close(a.code)
    assert store.get(a.code) is None and store.get(b.code) is b


def test_wrong_codes_are_throttled_per_session():
    clock = Clock()
    store = new_store(clock)
    room = store.open(SETTINGS, "T")
    for _ in range(rooms.MAX_WRONG_CODES):
        with pytest.raises(RoomError, match=r"seat\.unknown"):
            store.find("XXXXX", "guesser")
    with pytest.raises(RoomError, match=r"seat\.too_many"):
        store.find(room.code, "guesser")
    assert store.find(room.code, "someone else") is room
    clock.now += rooms.GUESS_WINDOW_S + 1
    assert store.find(room.code, "guesser") is room


def test_idle_rooms_are_reaped_and_pages_woken():
    clock = Clock()
    store = new_store(clock, idle=600)
    idle, busy = store.open(SETTINGS, "T1"), store.open(SETTINGS, "T2")
    clock.now += 400
    busy.join("s", "guardian")  # activity
    clock.now += 300
    seen = idle.view().version
    assert store.reap() == [idle.code]
    assert idle.closed and idle.wait(seen, timeout=0.1) != seen
    assert store.get(busy.code) is busy


def test_save_reopen_and_export():
    store = new_store()
    room = store.open(SETTINGS, "T")
    room.join("s", "council_majority")
    room.start("T")
    view = settle(room)
    for _ in range(3):
        room.proceed("T")
        view = settle(room)
    again = store.reopen(saved.read(json.dumps(room.to_json()).encode()), "T2")  # as the trainer's page reads it
    assert again.code != room.code
    v2 = again.view()
    assert v2.phase is Phase.DECIDING and v2.pending == view.pending and v2.decisions == view.decisions
    pd.testing.assert_frame_equal(v2.game.series, view.game.series)
    months = pd.read_csv(__import__("io").StringIO(again.csv_series()))
    assert {"trust", "trust_preset", "trust_none"} <= set(months.columns) and len(months) == 25
    decisions = pd.read_csv(__import__("io").StringIO(again.csv_timeline()))
    assert list(decisions["by"]) == [d.by for d in view.decisions]
    with pytest.raises(ValueError):
        store.reopen({"format": "something else"}, "T3")


def test_closing_releases_the_rooms_memory():
    """Open and play 12 rooms, close them: the games (models) are collected and traced memory returns to its start."""
    store = new_store()
    warm = store.open(SETTINGS, "warm")  # imports, caches
    warm.start("warm")
    settle(warm)
    store.close(warm.code)
    del warm
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    refs = []
    for i in range(12):
        room = store.open(Settings("kampenhout", "participatory_budget", seed=i, horizon=24, auto_model=True), f"T{i}")
        room.join(f"s{i}", "inspirator")
        room.start(f"T{i}")
        settle(room)
        refs.append(weakref.ref(room._game))
    opened = tracemalloc.get_traced_memory()[0]
    for code in [r.code for r in list(store._rooms.values())]:
        store.close(code)
    del room
    gc.collect()
    closed = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"traced: start {base / 1e6:.2f} MB, 12 rooms open {opened / 1e6:.2f} MB, closed {closed / 1e6:.2f} MB")
    assert len(store) == 0
    assert all(r() is None for r in refs), "a closed room's game is still referenced"
    assert opened - base > 1e6
    assert closed - base < 0.1 * (opened - base)
