"""Screenshots of every lesson's end state on a projector: each of the dashboard's lessons played to its horizon.

    .venv/bin/python scripts/lesson_screenshots.py                       # every lesson, nl and en
    .venv/bin/python scripts/lesson_screenshots.py --lessons tokenism --langs nl --out /tmp/shots

Serves the trainers' dashboard as tests/apps/dashboard/test_browser.py does (``python -m sim dashboard``, a free local
port, Debian's chromium driven by Playwright: ``make browser`` sets both up) and, lesson by lesson on a page of its own
(so that no earlier lesson's run stays as a grey line), switches the automatic pause off, redraws the charts once
a year, turns the projector mode on at 1280x720, loads the lesson from the Lesson tab and plays it to its end: its
preset, at its share of residents and horizon (``sim.apps.dashboard.levers.LESSONS``). The overview at the last
month (the month line, the event line, the turnout and trust charts) is written to
``<out>/dashboard_<lang>_1280x720_lesson_<key>_end.png`` (default outputs/screenshots/, as the tests write
theirs); a lesson with a design beside it gets the Compare tab too (``..._lesson_<key>_end_compare.png``).

Playing all of them in both languages takes minutes, too long for the test suite: the browser test plays one
lesson to its end in both languages (``test_a_lesson_plays_to_its_end``) with the same helper
(tests/apps/dashboard/support.py, ``play_lesson``). The script checks nothing beyond each lesson reaching its
last month; its exit status is not 0 when a page fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright import sync_api  # noqa: E402

from sim import texts  # noqa: E402
from sim.apps.dashboard.levers import LESSONS  # noqa: E402
from tests.apps.dashboard import support  # noqa: E402

#: Longest wait for a lesson to reach its end: it only stops a hung page.
LESSON_TIMEOUT_S = 900
SIZE = {"width": 1280, "height": 720}
#: How long the server keeps a closed page's session.
CULL = "5s"


def shoot(url: str, lang: str, lessons: list[str], out: Path) -> list[Path]:
    """Play ``lessons`` in ``lang`` on the dashboard at ``url``, each on a page of its own; the screenshots
    written."""
    written = []
    with sync_api.sync_playwright() as p:
        browser = support.launch(p)
        try:
            for key in lessons:
                page = support.open_page(browser, url, lang, SIZE["width"], SIZE["height"])  # a session of its own
                support.play_fast(page, lang)
                support.projector_on(page, lang)
                month = support.play_lesson(page, key, lang, LESSON_TIMEOUT_S)
                if month != LESSONS[key].steps:
                    raise RuntimeError(f"lesson {key} ({lang}) stopped at month {month} of {LESSONS[key].steps}")
                path = out / f"dashboard_{lang}_{SIZE['width']}x{SIZE['height']}_lesson_{key}_end.png"
                page.screenshot(path=str(path))
                written.append(path)
                if LESSONS[key].compare:
                    support.open_tab(page, texts.dash("tab_compare", lang), "tab_compare", LESSON_TIMEOUT_S)
                    path = path.with_name(path.stem + "_compare.png")
                    page.screenshot(path=str(path))
                    written.append(path)
                page.close()
                print(f"{lang} {key}: month {month}", flush=True)
        finally:
            browser.close()
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lessons", nargs="+", default=list(LESSONS), choices=list(LESSONS))
    ap.add_argument("--langs", nargs="+", default=list(texts.LANGUAGES), choices=list(texts.LANGUAGES))
    ap.add_argument("--out", type=Path, default=REPO / "outputs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # a closed page's session (its municipality) is released after a few seconds, not the launcher's minute
    with support.serve(args.out / "lessons_server.log", f"cull={CULL}") as server:
        for lang in args.langs:
            for path in shoot(server.url, lang, args.lessons, args.out):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
