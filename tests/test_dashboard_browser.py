"""The trainers' dashboard in a real browser: Debian's chromium driven by Playwright.

Starts ``solara run sim.dashboard`` as its own process on a free local port, opens the page,
presses play and checks that the charts change and the month advances; it fails on any
asset that Solara could not serve from its offline CDN cache (``scripts/ci_browser_setup.sh``
fills it) and saves screenshots to ``outputs/screenshots/`` (or $DASHBOARD_SCREENSHOTS).

Skipped when chromium or Playwright is missing (``scripts/ci_browser_setup.sh`` installs the
browser; CI runs it before the tests).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "outputs" / "screenshots"))
#: Longest wait for play to advance two months: far above any step time, it only stops a hung page.
PLAY_WAIT_S = 300

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (run scripts/ci_browser_setup.sh)"),
    pytest.mark.xdist_group("dashboard"),
    pytest.mark.slow,
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The dashboard served by ``solara run`` on a free port; stopped by its process id."""
    port = _free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = SHOTS / "server.log"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "solara", "run", "sim.dashboard", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-open", "--production"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the dashboard server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _month(page) -> float:
    text = page.get_by_text("Time:").first.inner_text()
    return float(text.split(":")[1])


def test_play_changes_the_charts(server: str) -> None:
    failed: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.goto(server)
            page.get_by_role("button", name="Step").wait_for(timeout=90_000)
            assert page.get_by_text("kampenhout").first.is_visible()
            page.get_by_role("button", name="Step").click()
            page.get_by_text("Time: 1.0").wait_for(timeout=30_000)
            turnout = page.locator("img").first
            turnout.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
            before = turnout.screenshot()
            page.screenshot(path=str(SHOTS / "dashboard_month1.png"))

            page.get_by_role("button", name="▶").click()
            # Play must advance the months by itself. How fast it does is the machine's load and
            # is measured by benchmarks/bench_dashboard.py, not here: the wait is bounded only so
            # that a page that never advances fails instead of hanging.
            deadline = time.monotonic() + PLAY_WAIT_S
            while _month(page) < 3 and time.monotonic() < deadline:
                page.wait_for_timeout(250)
            started = _month(page)
            assert started >= 3, f"play did not advance the months: still at month {started}"
            page.get_by_role("button", name="❚❚").click()
            page.wait_for_timeout(1500)
            after = turnout.screenshot()
            page.screenshot(path=str(SHOTS / "dashboard_playing.png"))
            assert after != before, "the turnout chart did not change while playing"
            assert page.get_by_text("Month").first.is_visible()
            page.locator("img").nth(4).scroll_into_view_if_needed()  # the network and neighbourhood views
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / "dashboard_network.png"))
            page.get_by_role("tab", name="Page 1").click()  # fears and who takes part
            page.locator("img").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / "dashboard_page1.png"))
            assert not failed, f"requests failed (missing offline assets?): {failed}"
        finally:
            browser.close()
