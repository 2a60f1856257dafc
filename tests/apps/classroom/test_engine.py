"""The model's game keeps the interface's contract: pauses where people decide, replayable, ghosts on the same
residents, decisions that change the run."""

import pandas as pd
import pytest

from sim.apps.classroom.engine import PAUSE_KINDS, Game, Pause
from sim.apps.classroom.game import ModelGame
from sim.apps.classroom.saved import SavedError
from sim.model.choices import MODEL, POINTS

SCALE = 0.1


def play(game: ModelGame, pick=lambda p: p.default) -> list[Pause]:
    """Play to the end, answering each pause with ``pick(pause)``; the pauses met."""
    seen = []
    while (pause := game.advance()) is not None:
        seen.append(pause)
        game.decide(pick(pause))
    return seen


@pytest.fixture
def game():
    g = ModelGame("kampenhout", "participatory_budget", 3, 24, SCALE)
    yield g
    g.close()


def test_it_is_a_game(game):
    assert isinstance(game, Game)
    assert len(game.roles()) == 9 and "guardian" in game.roles() and "residents_low" in game.roles()


def test_pauses_are_well_formed(game):
    pauses = play(game)
    assert game.month() == 24 and game.advance() is None
    kinds = {p.kind for p in pauses}
    assert kinds <= set(PAUSE_KINDS) and {"design", "inform_first", "promise", "screening", "feedback",
                                          "election"} <= kinds
    for p in pauses:
        assert 2 <= len(p.options) <= 4 and p.default == MODEL and p.options[0].key == MODEL
        assert p.question["nl"] and p.question["en"] and "{" not in p.question["nl"] + p.question["en"]
        assert all(o.label["nl"] and o.why["en"] for o in p.options)
        owner = POINTS[p.kind]
        assert p.role == owner or (owner == "residents" and p.role.startswith("residents_"))
    # the elections ask each group of residents, once per election
    assert [p.role for p in pauses if p.kind == "election"] == ["residents_low", "residents_middle", "residents_high"]


def test_advance_while_pending_returns_the_same_pause(game):
    first = game.advance()
    assert game.advance() is first
    with pytest.raises(KeyError):
        game.decide("no such option")


def test_the_model_alone_is_the_preset_run(game):
    """Every pause answered with the model's own choice: the room's run is the preset's (the ghost)."""
    play(game)
    pd.testing.assert_frame_equal(game.series(), game.ghost("preset"))
    none = game.ghost("none")
    assert none["took_part"].iloc[-1] == 0 and len(none) == 25


def test_decisions_change_the_run():
    """Adopting nothing and telling nobody: fewer adopted projects than the model's own run."""
    game = ModelGame("kampenhout", "ideas_platform", 2, 24, 0.3)
    harsh = {"council_vote": "adopt_none", "feedback": "none", "screening": "strict", "promise": "big"}
    play(game, lambda p: harsh.get(p.kind, p.default) if harsh.get(p.kind) in [o.key for o in p.options]
         else p.default)
    ours, preset = game.series().iloc[-1], game.ghost("preset").iloc[-1]
    assert ours["projects_adopted"] < preset["projects_adopted"]
    assert not game.series().equals(game.ghost("preset"))
    line = game.timeline()
    assert line and all(e["against"] == "preset" and set(e["moved"]) >= {"trust", "turnout"} for e in line
                        if e["moved_months"])
    game.close()


def test_json_round_trip_mid_game_and_at_the_end():
    game = ModelGame("kampenhout", "participatory_budget", 5, 24, SCALE)
    for _ in range(4):
        pause = game.advance()
        game.decide(pause.options[-1].key)
    pending = game.advance()
    back = ModelGame.from_json(game.to_json())
    assert back.advance() == pending and back.month() == game.month()
    pd.testing.assert_frame_equal(back.series(), game.series())
    play(game)
    done = ModelGame.from_json(game.to_json())
    assert done.advance() is None and done.month() == 24
    pd.testing.assert_frame_equal(done.series(), game.series())
    assert done.events() == game.events()
    bad = game.to_json()
    bad["decisions"][0]["kind"] = "election"
    with pytest.raises(SavedError) as refused:
        ModelGame.from_json(bad)
    assert refused.value.text("en") == ("This file cannot be reopened: decision 1 (month 4, election) is not the one "
                                        "the game asks there; allowed: the decisions the game asks, in its order.")
    for g in (game, back, done):
        g.close()


def test_closing_mid_pause_ends_the_worker(game):
    game.advance()
    worker = game._worker
    game.close()
    worker.join(timeout=5)
    assert not worker.is_alive() and game.advance() is None


def test_unknown_municipality_or_design_is_refused():
    with pytest.raises(ValueError, match="allowed"):
        ModelGame("atlantis", "participatory_budget", 0, 12)
