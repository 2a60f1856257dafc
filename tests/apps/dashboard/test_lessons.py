"""Every lesson shows what its words claim: its change (or its design against the one it is set beside) against
its preset, at its own municipality, share of residents and horizon, over replicates, judged by the report's one
verdict rule (sim.experiments.answers.verdicts through sim.apps.dashboard.replicates)."""

from __future__ import annotations

import pytest

from sim import texts
from sim.apps.dashboard import levers
from sim.apps.dashboard.replicates import REPLICATES, replicate_verdicts

#: The lessons the issue asks for besides the training day's: each of the four roles, the three fears, who is
#: left out.
REQUIRED = ("role_inspirator", "role_continuity", "role_guardian", "role_realism", "fear_citizens",
            "fear_administration", "fear_council", "left_out")


def test_the_lessons_cover_the_roles_the_fears_and_who_is_left_out() -> None:
    assert set(REQUIRED) <= set(levers.LESSONS)
    assert list(levers.LESSONS) == list(texts.lessons())
    for key, lesson in levers.LESSONS.items():
        assert lesson.claim[0] and lesson.claim[1] in ("better", "worse", "no clear difference"), key
        assert lesson.change or lesson.compare, f"{key}: a lesson compares something"
        for name, _ in lesson.change:
            assert name in levers.LEVERS or name in levers.RUN_SETTINGS, (key, name)
        for lang in texts.LANGUAGES:
            words = texts.lesson(key, lang)
            assert words["title"] and len(words["lines"]) >= 2
            assert "seed" not in " ".join([words["title"], *words["lines"]]).lower()


@pytest.mark.slow
@pytest.mark.parametrize("key", list(levers.LESSONS))
def test_each_lesson_shows_its_claim(key: str) -> None:
    """The lesson's change against its preset (a lesson without a change: its design against the design it is set
    beside), ``REPLICATES`` paired runs each to the lesson's horizon: the verdict its words give, with the 95 %
    interval on the side of zero they say."""
    lesson = levers.LESSONS[key]
    params = levers.model_params(lesson.scenario, lesson.design, lesson.scale)
    base = {**levers.initial_kwargs(params), "steps": lesson.steps}
    if lesson.change:
        kw_a = levers.model_kwargs(params, {**base, **dict(lesson.change)})
        kw_b = levers.model_kwargs(params, base)
    else:
        kw_a = levers.model_kwargs(params, base)
        kw_b = levers.model_kwargs(params, base, design=lesson.compare)
    table = replicate_verdicts(kw_a, kw_b, REPLICATES).set_index("outcome")
    outcome, verdict, side = lesson.claim
    row = table.loc[outcome]
    assert row["verdict"] == verdict, (key, table[["difference", "ci_low", "ci_high", "verdict"]].to_string())
    if side == "lower":
        assert row["ci_high"] < 0, (key, row.to_dict())
    elif side == "higher":
        assert row["ci_low"] > 0, (key, row.to_dict())
