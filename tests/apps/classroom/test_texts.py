"""Both translation files have the same keys; every key the code uses exists; numbers as each language writes them."""

import re
from pathlib import Path

from sim.apps.classroom import texts

SOURCES = Path(__file__).resolve().parents[3] / "sim" / "apps" / "classroom"
#: A literal translation key passed to a lookup (``tr("seat.join")``, ``texts.t("trainer.open", lang)``).
KEY_USE = re.compile(r"""(?:tr|texts\.t|texts\.both|texts\.lookup|RoomError)\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""")


def test_same_keys_in_every_language():
    nl, en = texts.keys(texts.catalogue("nl")), texts.keys(texts.catalogue("en"))
    assert nl == en, f"only nl: {sorted(nl - en)}; only en: {sorted(en - nl)}"


def test_keys_used_in_the_code_exist():
    used = set()
    for path in SOURCES.glob("*.py"):
        used |= set(KEY_USE.findall(path.read_text()))
    used |= {"seat.full", "seat.other_decides", "seat.closed", "seat.unknown", "seat.too_many", "trainer.not_owner"}
    assert used, "no keys found"
    for lang in ("nl", "en"):
        for key in used:
            texts.lookup(key, lang)


def test_numbers():
    assert texts.number(1234.5, "nl", 1) == "1.234,5"
    assert texts.number(1234.5, "en", 1) == "1,234.5"
    assert texts.percent(0.123, "nl", 1) == "12,3 %"
    assert texts.percent(-0.004, "en", 1, signed=True) == "−0.4 pt"
    assert texts.role_name("residents_low", "nl") == "Bewoners met weinig diploma's"
    assert texts.role_name("council_opposition", "en") == "Council: opposition"


def test_every_decision_point_has_its_words():
    """Every kind of pause, every option of it (the model's own too) and every event has words in both languages."""
    from sim.apps.classroom.game import SERIES_COLUMNS
    from sim.apps.events import KINDS
    from sim.model.choices import MODEL, OPTIONS, POINTS

    for lang in ("nl", "en"):
        for kind in POINTS:
            assert texts.lookup(f"engine.questions.{kind}", lang)
            for option in (MODEL, *OPTIONS[kind]):
                assert texts.t(f"engine.options.{kind}.{option}.label", lang)
                assert texts.t(f"engine.options.{kind}.{option}.why", lang)
        for kind in KINDS:  # every event of the line (sim.apps.events), the screening's counts too
            assert "2" in texts.t(f"engine.events.{kind}", lang, n=2) or kind == "election"
        for column in ("trust", "turnout", "legitimacy", "left_out", "took_part", "projects_delivered", "staff_hours"):
            assert column in SERIES_COLUMNS and texts.t(f"series.{column}", lang)


def test_every_playable_lesson_has_its_own_debrief_questions():
    """A room opened for a lesson asks that lesson's questions (not only its design's), in both languages."""
    from sim.apps.classroom.app import debrief_questions, playable_lessons
    from sim.apps.classroom.rooms import Settings

    lessons = playable_lessons()
    assert {"geel_roles", "kampenhout_fears", "tokenism"} <= set(lessons)
    for key, lesson in lessons.items():
        settings = Settings(lesson.scenario, lesson.design, lesson=key)
        for lang in ("nl", "en"):
            questions = debrief_questions(settings, lang)
            assert len(questions) >= 3 and questions == texts.lookup(f"questions.lessons.{key}", lang)
            assert questions != debrief_questions(Settings(lesson.scenario, lesson.design), lang)
    assert debrief_questions(Settings("geel", "coproduction"), "en") == texts.lookup("questions.default", "en")
