"""The trainers' dashboard in a real browser: Debian's chromium driven by Playwright.

Starts the dashboard as a user does (``python -m sim dashboard``: Solara behind the guard of sim/apps/serve.py) as its
own process group on a free local port, opens the page in Dutch (the default) and in English, presses play and checks
that the charts change and the month advances, pauses (the run stops at most a month after the month shown), opens
every tab and the projector mode (at 1280x720: the side bar closed, at most two charts a screen, each fitting the
screen at its own size); it fails on any asset that the server could not serve from Solara's offline CDN cache (the
guard passes only cached files; ``scripts/ci_browser_setup.sh`` fills it) and saves screenshots of every tab at
1920x1080 and, in projector mode, at 1280x720 to ``outputs/screenshots/`` (or $DASHBOARD_SCREENSHOTS) as
``dashboard_<lang>_<width>x<height>_<tab>.png``. The Compare tab's comparison over replicates gives a verdict with its
interval in both languages (``..._compare_replicates.png``), and a lesson plays to its end on a projector
(``..._lesson_<key>_end.png``; scripts/lesson_screenshots.py shoots every lesson's end state); Geel's twelve
neighbourhoods in Who takes part are shot at both sizes (``..._who_geel.png``).

Waits are for states (a button enabled, a month reached), never for a time: a loaded machine
only makes them take longer, up to bounds that only stop a hung page.

Needs Debian's chromium and Solara's offline assets: ``make browser`` (which ``make test`` runs)
sets up both; without chromium the tests fail naming it (tests/resources.py).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from playwright import sync_api

from sim import texts
from sim.apps.classroom import texts as classroom_texts
from sim.apps.dashboard import levers, replicates, state, views
from tests.apps.dashboard.support import (
    ROOT,
    launch,
    open_page,
    open_tab,
    play_fast,
    play_lesson,
    projector_on,
    serve,
    shown_month,
    wait_month,
)
from tests.resources import require_chromium

SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "outputs" / "screenshots"))
#: Longest wait for play to advance two months (or a button to become usable): far above any
#: step time, it only stops a hung page.
PLAY_WAIT_S = 300
#: The month at which play is paused before the screenshots (two rounds have been decided by then).
PAUSE_MONTH = 24

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]


@pytest.fixture(scope="module")
def server():
    """The dashboard served by ``python -m sim dashboard`` on a free port (tests/apps/dashboard/support.py, serve)."""
    require_chromium()
    with serve(SHOTS / "server.log") as running:
        assert psutil.Process(running.pid).cmdline()[1:3] == ["-m", "sim.apps.serve"]  # the launcher became it
        yield running.url


def _month(page) -> int:
    """The month the status view shows (0 before the first)."""
    return shown_month(page)


def _wait_month(page, at_least: int) -> int:
    return wait_month(page, at_least, PLAY_WAIT_S)


def _pause_now(page, label: str) -> int:
    """Press Pause from inside the page; the month the page showed at that moment."""
    return int(page.evaluate("""(label) => {
        const m = /(?:Maand|Month) (\\d+)/.exec(document.body.innerText);
        Array.from(document.querySelectorAll('button')).find(b => b.textContent.trim() === label).click();
        return m ? +m[1] : 0; }""", label))


def _open(page, name: str, key: str) -> None:
    """Open a tab and wait until it is drawn: its own content (class dash-tab-...) and its images loaded."""
    open_tab(page, name, key, PLAY_WAIT_S)


def _charts(page, key: str) -> list[dict]:
    """The open tab's chart images: shown width, natural (PNG) width and bottom edge, in pixels."""
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('.dash-{key.replace("_", "-")} img'))
        .map(i => {{ const r = i.getBoundingClientRect();
                     return {{width: r.width, natural: i.naturalWidth, bottom: r.bottom}}; }})""")


@contextlib.contextmanager
def _browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, closed afterwards; a failure carries the tail of the server's log
    (CI keeps no other trace of what the server said)."""
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        except BaseException as err:
            err.add_note(f"dashboard server log (tail):\n{(SHOTS / 'server.log').read_text(errors='replace')[-4000:]}")
            raise
        finally:
            browser.close()


def _shot(page, lang: str, tab: str) -> None:
    size = page.viewport_size
    page.wait_for_timeout(300)  # let the last image paint
    page.screenshot(path=str(SHOTS / f"dashboard_{lang}_{size['width']}x{size['height']}_{tab}.png"))


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_play_changes_the_charts(server: str, lang: str) -> None:
    failed: list[str] = []
    t = texts.dash
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.goto(server)
            step = page.get_by_role("button", name=t("step", levers.DEFAULT_LANG))
            step.wait_for(timeout=90_000)
            if lang != levers.DEFAULT_LANG:
                page.get_by_role("button", name=lang.upper(), exact=True).click()
                step = page.get_by_role("button", name=t("step", lang))
                step.wait_for(timeout=30_000)
            assert page.get_by_role("tab", name=t("tab_overview", lang)).is_visible()
            assert not page.get_by_text("Page 0").count() and not page.get_by_text("Play Interval").count()
            assert page.get_by_text(texts.name("scenario", "kampenhout", lang)).first.is_visible()
            step.click(timeout=PLAY_WAIT_S * 1000)
            assert _wait_month(page, 1) >= 1
            trust = page.locator("img").nth(1)  # the trust chart: it grows every month
            trust.wait_for(timeout=30_000)
            before = trust.screenshot()
            _shot(page, lang, "month1")
            # the sliders: name and value above a full-width track, the help below it
            page.get_by_text(t("group_administration", lang), exact=True).click()
            slider = page.locator(".dash-slider-label",
                                  has_text=texts.lever("administration.role_inspirator", lang) + ":").first
            slider.scroll_into_view_if_needed()
            _shot(page, lang, "sliders")

            play = page.get_by_role("button", name=t("play", lang))
            pause = page.get_by_role("button", name=t("pause", lang))
            # the automatic pause (on by default): play stops by itself when the first round opens, and the
            # event line says so
            play.click()
            _wait_month(page, 2)
            sync_api.expect(play).to_be_visible(timeout=PLAY_WAIT_S * 1000)
            sync_api.expect(step).to_be_enabled(timeout=PLAY_WAIT_S * 1000)
            stopped = _month(page)
            assert 1 < stopped < PAUSE_MONTH, f"play did not pause by itself at the first round (month {stopped})"
            page.get_by_text(t("events_label", lang)).wait_for(timeout=30_000)
            events = page.locator(".dash-event").first.inner_text()
            assert classroom_texts.t("engine.events.round_opens", lang, n=1) in events, events
            _shot(page, lang, "auto_pause")
            page.get_by_text(t("auto_pause", lang)).click()  # off: play through the rounds
            play.click()
            # Playing shows Pause at once, before the second month is drawn.
            sync_api.expect(pause).to_be_visible(timeout=PLAY_WAIT_S * 1000)
            # Play must advance the months by itself. How fast it does is the machine's load and
            # is measured by benchmarks/bench_dashboard_browser.py, not here: the waits are bounded only
            # so that a page that never advances fails instead of hanging.
            # to month 24: two rounds with their decisions on the charts the screenshots show
            started = _wait_month(page, PAUSE_MONTH)
            assert started >= PAUSE_MONTH, f"play did not advance the months: still at month {started}"
            # The play loop computes a month only once the page has shown the last one, so Pause
            # stops the run at most one month after the month the class saw when it was pressed.
            clicked = _pause_now(page, t("pause", lang))
            sync_api.expect(play).to_be_visible(timeout=PLAY_WAIT_S * 1000)
            sync_api.expect(step).to_be_enabled(timeout=PLAY_WAIT_S * 1000)
            held = _month(page)
            assert clicked <= held <= clicked + 1, f"Pause at month {clicked}; the run stopped at month {held}"
            page.wait_for_timeout(1500)
            assert _month(page) == held, "the months still advance after Pause"
            after = page.locator("img").nth(1).screenshot()
            _shot(page, lang, "overview")
            assert after != before, "the trust chart did not change while playing"
            assert not page.get_by_text("runs on Solara").count(), "the framework's banner covers the page"
            for key in state.TAB_KEYS[1:]:
                _open(page, t(key, lang), key)
                _shot(page, lang, key.removeprefix("tab_"))
            # a trainer's projector: 1280x720, the side bar closed, two charts that fit the screen
            # at their own size (their text is 16 pixels), Play and Step in the app bar
            page.set_viewport_size({"width": 1280, "height": 720})
            page.get_by_text(t("projector", lang)).click()
            sync_api.expect(page.locator("header").get_by_role("button", name=t("play", lang))).to_be_visible(
                timeout=60_000)
            for key in ("tab_overview", "tab_legitimacy", "tab_who", "tab_fears", "tab_network", "tab_compare",
                        "tab_lesson"):
                _open(page, t(key, lang), key)
                charts = _charts(page, key)
                assert len(charts) <= 2, (key, charts)
                for chart in charts:
                    assert chart["bottom"] <= 720 + 1, (key, chart)  # fits the screen
                    if key in ("tab_overview", "tab_legitimacy", "tab_fears", "tab_compare"):  # live charts
                        assert chart["width"] >= 0.9 * chart["natural"], (key, chart)  # not shrunk
                _shot(page, lang, key.removeprefix("tab_"))
            page.get_by_role("button", name=re.compile(re.escape(texts.lesson("geel_roles", lang)["title"]))).click()
            page.get_by_role("heading", name=texts.lesson("geel_roles", lang)["title"]).wait_for(timeout=60_000)
            _shot(page, lang, "lesson_geel")
            assert not failed, f"requests failed (missing offline assets? `make browser` caches them): {failed}"
        except BaseException as err:
            # what the server said belongs to the failure (CI keeps no other trace of it)
            log = (SHOTS / "server.log").read_text(errors="replace")[-4000:]
            err.add_note(f"dashboard server log (tail):\n{log}")
            raise
        finally:
            browser.close()


def test_play_waits_for_a_slow_browser(server: str) -> None:
    """With chromium's CPU slowed 30 times (a slow projector laptop; Chrome DevTools' CPU
    throttling, once the page is loaded), the run does not race ahead of the page: Pause stops
    it at most one month after the month the page showed when Pause was pressed (before the
    play loop waited for the page, the page showed month 24 while the run was at month 66)."""
    t, lang = texts.dash, levers.DEFAULT_LANG
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(server)
            step = page.get_by_role("button", name=t("step", lang))
            step.wait_for(timeout=90_000)
            page.get_by_text(t("auto_pause", lang)).click()  # no automatic pause at the first round
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 30})
            page.get_by_role("button", name=t("play", lang)).click()
            assert _wait_month(page, 4) >= 4
            clicked = _pause_now(page, t("pause", lang))
            sync_api.expect(page.get_by_role("button", name=t("play", lang))).to_be_visible(
                timeout=PLAY_WAIT_S * 1000)
            held = _month(page)
            assert clicked <= held <= clicked + 1, f"Pause at month {clicked}; the run stopped at month {held}"
        except BaseException as err:
            err.add_note(f"dashboard server log (tail):\n{(SHOTS / 'server.log').read_text(errors='replace')[-4000:]}")
            raise
        finally:
            browser.close()


def _interval(lang: str) -> re.Pattern[str]:
    """A difference with its 95 % interval as the verdicts' table writes it in ``lang`` (``verdicts_interval``)."""
    number = r"[+\u2212-]?\d[\d.,]*"
    fields = {"diff": number, "low": number, "high": number}
    return re.compile(re.sub(r"\\\{(\w+)\\\}", lambda m: fields[m.group(1)], re.escape(texts.dash(
        "verdicts_interval", lang, diff="{diff}", low="{low}", high="{high}"))))


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_compare_over_replicates_gives_a_verdict_with_its_interval(server: str, lang: str) -> None:
    """The Compare tab's button runs both designs of the page (Kampenhout's preset against no participation, each
    replicates.REPLICATES times: a few seconds) and writes better / worse / no clear difference in the page's
    language, each with its difference and 95 % interval; screenshots at 1920x1080 and, in projector mode, at
    1280x720 (``dashboard_<lang>_<size>_compare_replicates.png``)."""
    t = texts.dash
    with _browser() as browser:
        page = open_page(browser, server, lang, 1920, 1080)
        _open(page, t("tab_compare", lang), "tab_compare")
        a = texts.name("design", levers.DEFAULT_DESIGN, lang)
        b = texts.name("design", "none", lang)
        button = page.get_by_role("button", name=t("verdicts_designs", lang, n=replicates.REPLICATES, a=a, b=b))
        button.click()
        verdicts = page.locator(".dash-verdicts")
        verdicts.wait_for(timeout=PLAY_WAIT_S * 1000)
        assert page.get_by_text(t("verdicts_intro", lang, n=replicates.REPLICATES, a=a, b=b)).count()
        words = {texts.phrase(f"verdict_{v}", lang) for v in ("better", "worse", "no_clear_difference")}
        rows = [r.inner_text() for r in verdicts.locator("tr").all()[1:]]
        judged = [r for r in rows if any(w in r for w in words) and _interval(lang).search(r)]
        assert judged, rows  # at least one outcome judged, with its interval
        assert not page.get_by_text(t("verdicts_failed", lang, error="")).count()
        verdicts.scroll_into_view_if_needed()
        _shot(page, lang, "compare_replicates")
        page.set_viewport_size({"width": 1280, "height": 720})
        projector_on(page, lang)
        verdicts.wait_for(timeout=60_000)  # the verdicts stay when the projector mode is switched on
        verdicts.scroll_into_view_if_needed()
        _shot(page, lang, "compare_replicates")


#: The lessons played to their end in the browser test (scripts/lesson_screenshots.py plays all of them): tokenism,
#: whose end state issue 20 read as "pretend participation is better", with no participation beside it, in both
#: languages; Geel's roles lesson, six rounds of an ideas platform, whose event line is the longest.
END_LESSONS = (("tokenism", "nl"), ("tokenism", "en"), ("geel_roles", "nl"))


@pytest.mark.parametrize(("key", "lang"), END_LESSONS)
def test_a_lesson_plays_to_its_end(server: str, key: str, lang: str) -> None:
    """A lesson loaded from the Lesson tab plays to its horizon on a 1280x720 projector (the automatic pause off,
    the charts redrawn once a year): the month line says its last month, the event line (at most two lines) names
    the election before it, the charts fit the screen below it; screenshots of its end state, the overview and
    (a lesson with a design beside it) the Compare tab: ``dashboard_<lang>_1280x720_lesson_<key>_end[_compare].png``,
    as scripts/lesson_screenshots.py writes them for every lesson."""
    t = texts.dash
    steps = levers.LESSONS[key].steps
    with _browser() as browser:
        page = open_page(browser, server, lang)
        play_fast(page, lang)
        projector_on(page, lang)
        assert play_lesson(page, key, lang, PLAY_WAIT_S) == steps
        line = page.locator(".dash-events-big")
        events = " ".join(line.locator(".dash-event").all_inner_texts())
        assert classroom_texts.t("engine.events.election", lang) in events, events
        height, line_height = page.evaluate("""() => { const e = document.querySelector('.dash-events-big');
            return [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)]; }""")
        assert height <= views.EVENT_LINES_BIG * line_height + 1, (height, line_height)
        for chart in _charts(page, "tab_overview"):
            assert chart["bottom"] <= 720 + 1, chart
        assert page.locator("header").get_by_role("button", name=t("step", lang)).is_disabled()
        _shot(page, lang, f"lesson_{key}_end")
        if levers.LESSONS[key].compare:
            _open(page, t("tab_compare", lang), "tab_compare")
            _shot(page, lang, f"lesson_{key}_end_compare")


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_who_takes_part_in_geel(server: str, lang: str) -> None:
    """Who takes part in Geel (twelve neighbourhoods) after its first decision, at 1920x1080 and on a 1280x720
    projector: the panels fit the screen below the tabs (``dashboard_<lang>_<size>_who_geel.png``). That no two
    names overlap is checked on the figure the page draws (test_app.py, test_who_takes_part_names_every_group_clear
    _of_the_others): the names are inside the picture, where the browser cannot measure them."""
    t = texts.dash
    decided = classroom_texts.lookup("engine.events.screened", lang).split("{n}")[0]
    with _browser() as browser:
        page = open_page(browser, server, lang, 1920, 1080)
        page.locator(".v-select", has_text=t("municipality", lang)).first.click()
        page.get_by_role("option", name=texts.name("scenario", "geel", lang)).click()
        geel = page.locator(".dash-status", has_text=texts.name("scenario", "geel", lang))
        geel.wait_for(timeout=PLAY_WAIT_S * 1000)  # Geel's run is built
        play = page.get_by_role("button", name=t("play", lang))
        for event in (classroom_texts.t("engine.events.round_opens", lang, n=1), decided):
            play.click()  # the automatic pause stops the run when the round opens, then at its decision
            page.locator(".dash-event", has_text=event).first.wait_for(timeout=PLAY_WAIT_S * 1000)
            sync_api.expect(play).to_be_visible(timeout=PLAY_WAIT_S * 1000)
        for width, height, big in ((1920, 1080, False), (1280, 720, True)):
            page.set_viewport_size({"width": width, "height": height})
            if big:
                projector_on(page, lang)
            _open(page, t("tab_who", lang), "tab_who")
            (chart,) = _charts(page, "tab_who")
            assert chart["bottom"] <= height + 1, chart
            _shot(page, lang, "who_geel")
