"""model.choices: without a decider the model decides everything (golden runs pin it); a decider's answer
changes what the model does at that moment, and only an allowed option is taken."""

import dataclasses

import numpy as np
import pytest

from sim.config.compose import compose_config
from sim.model.choices import MODEL, OPTIONS, POINTS, Choices, Moment
from sim.model.model import CoproductionModel


def _model(decider=None, design="participatory_budget", scale=0.1, **overrides) -> CoproductionModel:
    config = compose_config("kampenhout", design, 2,
                            [f"run.population_scale={scale}", "run.steps=24", "scenario.next_election_month=20",
                             *(f"{k}={v}" for k, v in overrides.items())])
    model = CoproductionModel(config)
    model.choices.decider = decider
    return model


def test_no_decider_asks_nothing_and_every_point_has_an_owner_and_options():
    model = _model()
    model.run_for(24)
    assert model.choices.taken == []
    assert set(POINTS) == set(OPTIONS) and all(MODEL not in o for o in OPTIONS.values())


def test_a_decider_that_keeps_the_model_choice_changes_nothing():
    plain, asked = _model(), _model(lambda m: None)
    plain.run_for(24)
    asked.run_for(24)
    kinds = {m.kind for m, _ in asked.choices.taken}
    # a participatory budget's vote binds the council: it votes on no advice, so it is not asked
    assert {"design", "inform_first", "promise", "screening", "feedback", "election"} <= kinds
    df_plain = plain.datacollector.get_model_vars_dataframe()
    df_asked = asked.datacollector.get_model_vars_dataframe()
    assert df_plain.equals(df_asked)


def test_adopting_nothing_the_council_decides_adopts_nothing_of_an_advice():
    own = _model(design="ideas_platform", scale=0.3)
    none = _model(lambda m: "adopt_none" if m.kind == "council_vote" else None, design="ideas_platform", scale=0.3)
    own.run_for(24)
    none.run_for(24)
    assert any(m.kind == "council_vote" for m, _ in none.choices.taken)
    assert own.decision.adopted > 0 and none.decision.adopted == 0


def test_the_elections_continuity_follows_the_residents_vote():
    model = _model(lambda m: "change" if m.kind == "election" else None)
    model.run_for(24)
    assert [m.role for m, a in model.choices.taken if m.kind == "election"] == [
        "residents_low", "residents_middle", "residents_high"]
    design = model.config.design
    assert model.elections.continuity == 0.0 and model.elections.pause() == design.restart_months_after_election


def test_the_round_levers_hold_for_one_cycle_only():
    first = {"done": False}

    def decider(m: Moment):
        if m.kind == "design" and not first["done"]:
            first["done"] = True
            return "simpler"
        return None

    model = _model(decider)
    preset = dataclasses.replace(model.config.design)
    while model.cycles.index < 1:
        model.step()
    assert model.config.design.complexity == pytest.approx(max(0.0, preset.complexity - 0.15))
    while model.cycles.index < 2:
        model.step()
    assert model.config.design.complexity == preset.complexity


def test_an_unknown_option_is_refused():
    choices = Choices(lambda m: "everything")
    with pytest.raises(ValueError, match="allowed: model"):
        choices.ask("screening", "guardian", 3)
    assert choices.reopen(np.zeros(3, dtype=bool), 3).sum() == 0  # no request, no question
