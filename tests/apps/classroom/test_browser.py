"""A class plays a whole short room in real browsers: Debian's chromium driven by Playwright.

The server runs as its own process (``python -m sim classroom``), with the real model. A trainer opens a room; three
participants join in separate browser contexts (separate cookies, so separate Solara sessions): one
types the code, two come through the QR code's address. They play a one-year term to the debrief:
each seat sees only its own pending choices, the model plays the roles nobody took when the trainer
presses Continue. Then the trainer saves the run (JSON)
and exports it (CSV), closes the room (the seats see it closed), and reopens the saved file under a
new code. Every view is photographed in both languages at 1280x720 and 1920x1080
(``outputs/screenshots/classroom/<view>_<lang>_<w>x<h>.png``, or $CLASSROOM_SCREENSHOTS; outputs/ is
not committed, as for the dashboard's screenshots); any asset the server could not serve fails the test
(the pages must work offline).

Waits are for states, never for a time; timing is measured by ``benchmarks/bench_classroom.py``, not here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright import sync_api

from sim import texts as project_texts
from sim.apps.classroom import texts
from tests.apps.classroom.browser_support import CHROMIUM, ROOT, launch, serve

SHOTS = Path(os.environ.get("CLASSROOM_SCREENSHOTS", ROOT / "outputs" / "screenshots" / "classroom"))
SIZES = ((1280, 720), (1920, 1080))
WAIT_MS = 60_000

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/ci_browser_setup.sh)")]


@pytest.fixture(scope="module")
def server():
    with serve(SHOTS / "server.log") as running:
        yield running.url


class Pages:
    """Every page of the test, to photograph and to check for failed requests."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.failed: list[str] = []
        self.shot: set[str] = set()

    def new(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
        page = context.new_page()
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda e: self.failed.append(f"page error: {e}"))
        return page

    def shoot(self, page, view: str, scroll: str | None = None) -> None:
        """``view`` in both languages and both sizes (once per view); the page is left in Dutch at 1280x720.
        ``scroll``: a scrolling part of the view, photographed again scrolled to its end (``<view>_end``)."""
        if view in self.shot:
            return
        self.shot.add(view)
        SHOTS.mkdir(parents=True, exist_ok=True)
        for lang in ("en", "nl"):
            set_lang(page, lang)
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_timeout(250)  # layout after a resize
                page.screenshot(path=str(SHOTS / f"{view}_{lang}_{width}x{height}.png"))
                if scroll:
                    self.shot.add(f"{view}_end")
                    page.locator(scroll).evaluate("e => e.scrollTop = e.scrollHeight")
                    page.wait_for_timeout(250)
                    page.screenshot(path=str(SHOTS / f"{view}_end_{lang}_{width}x{height}.png"))
                    page.locator(scroll).evaluate("e => e.scrollTop = 0")
        page.set_viewport_size({"width": 1280, "height": 720})


def set_lang(page, lang: str) -> None:
    """Switch this page's language; wait until the page's title says it."""
    page.locator(".cr-lang button", has_text=lang.upper()).first.click()
    title = texts.t("app.title", lang)
    page.wait_for_function("(t) => document.title === t", arg=title, timeout=WAIT_MS)


def nl(key: str, **fields) -> str:
    return texts.t(key, "nl", **fields)


def pick(page, label: str, item: str) -> None:
    """Choose ``item`` in the select labelled ``label``."""
    page.locator(".v-select", has_text=label).click()
    page.locator(".v-menu__content.menuable__content__active .v-list-item", has_text=item).first.click()


def settled(trainer) -> None:
    """Wait until the months have run (the projector shows no running state)."""
    trainer.locator(".cr-running").wait_for(state="detached", timeout=WAIT_MS)
    trainer.locator(".cr-pending, .cr-ended").first.wait_for(timeout=WAIT_MS)


def test_a_class_plays_a_room_to_the_debrief(server: str, tmp_path: Path) -> None:
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        pages = Pages(browser)
        try:
            _play(server, pages, tmp_path)
        finally:
            browser.close()
    assert not pages.failed, f"requests failed (offline assets?): {pages.failed[:10]}"
    expected = {f"{v}_{lang}_{w}x{h}.png" for v in pages.shot for lang in ("nl", "en") for w, h in SIZES}
    assert expected <= {f.name for f in SHOTS.glob("*.png")}


def _play(server: str, pages: Pages, tmp_path: Path) -> None:
    trainer = pages.new()
    trainer.goto(server + "/")
    trainer.get_by_role("button", name=nl("home.trainer")).wait_for(timeout=WAIT_MS)
    pages.shoot(trainer, "home")
    trainer.get_by_role("button", name=nl("home.trainer")).click()
    open_button = trainer.get_by_role("button", name=nl("trainer.open"))
    open_button.wait_for(timeout=WAIT_MS)
    # a lesson fills in its municipality and design (this one: Kampenhout's citizens' budget, as the defaults)
    pick(trainer, nl("trainer.lesson"), project_texts.lesson("fear_citizens", "nl")["title"])
    pick(trainer, nl("trainer.horizon"), nl("trainer.months", n=12))
    pages.shoot(trainer, "trainer_open")
    open_button.click()
    code = trainer.locator(".cr-code").inner_text(timeout=WAIT_MS).strip()
    assert len(code) == 5

    # three seats, each its own browser context (cookie, session): one types the code, two scan the QR
    seats = {}
    typed = pages.new()
    typed.goto(server + "/join")
    typed.locator(".cr-code-input input").fill(f"{code[:2].lower()} {code[2:].lower()}")
    typed.get_by_role("button", name=nl("seat.join")).click()
    typed.locator(".cr-opt-inspirator").wait_for(timeout=WAIT_MS)
    pages.shoot(typed, "seat_roles")
    typed.locator(".cr-opt-inspirator").click()
    seats["inspirator"] = typed
    for role in ("guardian", "residents_low"):
        page = pages.new()
        page.goto(f"{server}/join?code={code}")
        page.get_by_role("button", name=nl("seat.join")).click()
        page.locator(f".cr-opt-{role}").click(timeout=WAIT_MS)
        seats[role] = page
    for role, page in seats.items():
        page.locator(".cr-seat-role", has_text=texts.role_name(role, "nl")).wait_for(timeout=WAIT_MS)
    # a full role cannot be taken twice
    late = pages.new()
    late.goto(f"{server}/join?code={code}")
    late.get_by_role("button", name=nl("seat.join")).click()
    late.locator(".cr-opt-inspirator").wait_for(timeout=WAIT_MS)
    assert late.locator(".cr-opt-inspirator").is_disabled()
    late.context.close()

    table = trainer.locator(".cr-seat-table")
    sync_api.expect(table.locator(".cr-seat-taken")).to_have_count(3, timeout=WAIT_MS)
    pages.shoot(trainer, "trainer_invite")
    pages.shoot(seats["guardian"], "seat_lobby")

    trainer.locator(".cr-start").first.click()
    trainer.locator(".cr-projector").wait_for(timeout=WAIT_MS)
    decided_by = {"seats": 0, "model": 0, "trainer": 0}
    for _ in range(40):
        settled(trainer)
        if trainer.locator(".cr-ended").count():
            break
        who = trainer.locator(".cr-pending .cr-who").first.inner_text()
        role = next((r for r in seats if texts.role_name(r, "nl") in who), None)
        if role is not None:
            mine = seats[role]
            mine.locator(".cr-my-options").wait_for(timeout=WAIT_MS)
            for other, page in seats.items():  # only the role's own seat sees the choice
                if other != role:
                    page.locator(".cr-status", has_text=texts.role_name(role, "nl")).wait_for(timeout=WAIT_MS)
                    assert page.locator(".cr-my-options").count() == 0
            pages.shoot(trainer, "projector_seat_decides")
            pages.shoot(mine, "seat_my_turn")
            pages.shoot(seats[next(r for r in seats if r != role)], "seat_waiting")
            options = mine.locator(".cr-my-options .cr-option")
            options.nth(1).click()  # not the first option, so that the debrief can show the model's other choice
            trainer.locator(".cr-last", has_text=texts.role_name(role, "nl")).last.wait_for(timeout=WAIT_MS)
            decided_by["seats"] += 1
        elif trainer.locator(".cr-decision .cr-option").count():
            pages.shoot(trainer, "projector_trainer_decides")
            trainer.locator(".cr-decision .cr-option").first.click()
            trainer.locator(".cr-last", has_text=nl("projector.by_trainer")).wait_for(timeout=WAIT_MS)
            decided_by["trainer"] += 1
        else:
            pages.shoot(trainer, "projector_model_decides")
            before = trainer.locator(".cr-last").all_inner_texts()
            trainer.locator(".cr-continue").click()
            trainer.wait_for_function("(b) => { const e = document.querySelectorAll('.cr-last');"
                                      " return e.length && e[e.length - 1].innerText !== b; }",
                                      arg=before[-1] if before else "", timeout=WAIT_MS)
            decided_by["model"] += 1
    else:
        pytest.fail("the game did not end")
    assert decided_by["seats"] >= 3 and decided_by["model"] >= 1 and decided_by["trainer"] == 0, decided_by

    sync_api.expect(trainer.locator(".cr-month")).to_have_text(nl("projector.month", month=12, horizon=12))
    pages.shoot(trainer, "projector_ended")
    seats["inspirator"].locator(".cr-ended").wait_for(timeout=WAIT_MS)
    pages.shoot(seats["inspirator"], "seat_ended")

    trainer.locator(".cr-tab-debrief").click()
    trainer.locator(".cr-timeline").wait_for(timeout=WAIT_MS)
    rows = trainer.locator(".cr-timeline tbody tr")
    assert rows.count() == sum(decided_by.values())
    assert trainer.locator(".cr-timeline", has_text=nl("projector.by_seat")).count()
    assert trainer.locator(".cr-questions li").count() >= 3
    # the lesson's own questions, not only the design's
    assert texts.lookup("questions.lessons.fear_citizens", "nl")[0] in trainer.locator(".cr-questions").inner_text()
    pages.shoot(trainer, "debrief", scroll=".cr-debrief")

    trainer.locator(".cr-tab-save").click()
    files = {}
    for key, suffix in (("save.json", ".json"), ("save.csv_series", "-months.csv"),
                        ("save.csv_timeline", "-decisions.csv")):
        with trainer.expect_download(timeout=WAIT_MS) as download:
            trainer.get_by_role("button", name=nl(key)).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.name.endswith(suffix)
        files[suffix] = path
    saved = json.loads(files[".json"].read_text())
    assert saved["format"] == "classroom-room/1" and len(saved["decisions"]) == sum(decided_by.values())
    assert files["-months.csv"].read_text().splitlines()[0].startswith("month,")
    assert len(files["-decisions.csv"].read_text().splitlines()) == 1 + sum(decided_by.values())
    pages.shoot(trainer, "trainer_save")

    # the trainer closes the room: the seats see it closed, the trainer gets the form back
    trainer.locator(".cr-close").click()
    trainer.locator(".cr-close-yes").click()
    open_again = trainer.get_by_role("button", name=nl("trainer.open"))
    open_again.wait_for(timeout=WAIT_MS)
    for page in seats.values():
        page.locator(".cr-closed").wait_for(timeout=WAIT_MS)
    pages.shoot(seats["residents_low"], "seat_closed")
    gone = pages.new()
    gone.goto(f"{server}/join?code={code}")
    gone.get_by_role("button", name=nl("seat.join")).click()
    gone.locator(".cr-message", has_text=nl("seat.unknown")).wait_for(timeout=WAIT_MS)
    pages.shoot(gone, "seat_unknown_code")

    # reopen the saved run under a new code: it opens in the debrief, with the same decisions
    trainer.locator("input[type=file]").set_input_files(str(files[".json"]))
    trainer.locator(".cr-timeline").wait_for(timeout=WAIT_MS)
    assert trainer.locator(".cr-timeline tbody tr").count() == sum(decided_by.values())
    assert code not in trainer.locator(".cr-room-code-small").inner_text()
    trainer.locator(".cr-close").click()
    trainer.locator(".cr-close-yes").click()
    open_again.wait_for(timeout=WAIT_MS)
