"""The dashboard in a real browser, for tests/apps/dashboard/test_browser.py and benchmarks/bench_dashboard_browser.py.

``serve(log, *options)`` starts the dashboard as a user does, ``python -m sim dashboard port=<free port> *options``
(sim/apps/serve.py: Solara's app behind the guard, production mode, no telemetry), as its own process group on a free
local port, and yields the page's address and the server's process id; it stops the server by its process group id
(``running``, which tests/apps/classroom/browser_support.py starts the classroom with).
``kernels(url)`` counts the sessions a server holds.
``launch(playwright)`` starts Debian's chromium headless with the flags that work here (no
sandbox, no GPU, no background networking: the page must work offline).

``open_page`` opens the dashboard in a language; on an open page: ``projector_on``, ``shown_month`` reads the
month it shows, ``wait_month`` waits for one, ``open_tab`` opens a
tab and waits until it is drawn, ``play_lesson`` loads a lesson and plays it to its end (the lesson end-state
screenshots of tests/apps/dashboard/test_browser.py and scripts/lesson_screenshots.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sim import texts
from tests.resources import CHROMIUM

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    """A local TCP port that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(NamedTuple):
    """A running dashboard server: the page's address and the server's process id."""

    url: str
    pid: int


@contextlib.contextmanager
def running(argv: list[str], env: dict[str, str], log: Path, url: str, start_timeout_s: float) \
        -> Iterator[subprocess.Popen]:
    """``argv`` (a server: the dashboard, the classroom) as its own process group, once ``url`` answers; stopped by
    its process group id afterwards. The project's folder goes first on its PYTHONPATH.

    Its output goes to ``log``. A server that exits or does not answer within ``start_timeout_s`` raises
    RuntimeError with the log's tail.
    """
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start ({' '.join(argv[1:4])}):\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield proc
    finally:
        _stop_group(proc)


def _stop_group(proc: subprocess.Popen, timeout_s: float = 20) -> None:
    """SIGTERM to ``proc``'s process group, SIGKILL to what is left of it after ``timeout_s``.

    Waits for the whole group, not only its leader: a server that a leader started outlives it otherwise.
    """
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, driven by ``playwright`` (a sync_playwright() context)."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed (run `make browser`)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def serve(log: Path, *options: str, host: str = "127.0.0.1", start_timeout_s: float = 120) -> Iterator[Server]:
    """The dashboard as ``python -m sim dashboard port=<a free port> *options`` serves it (sim/apps/serve.py; the
    browser tests, tests/apps/test_serve.py and the benchmarks), once its page answers; its output goes to ``log``.

    ``host``: the address it is expected on (127.0.0.1; the LAN address with ``lan=true``). Yields the
    page's address and the server's process id (the launcher becomes the server).
    """
    port = free_port()
    url = f"http://{host}:{port}/"
    argv = [sys.executable, "-m", "sim", "dashboard", f"port={port}", *options]
    with running(argv, dict(os.environ), log, url, start_timeout_s) as proc:
        yield Server(url, proc.pid)


def kernels(url: str) -> int:
    """The sessions (Solara kernels) the server holds, open or closed but not yet released (/resourcez)."""
    import json

    with urllib.request.urlopen(url + "resourcez", timeout=10) as r:
        return int(json.loads(r.read())["kernels"]["total"])


# --------------------------------------------------------------------------- on an open page

#: The month the status view (the projector's month line) shows: "Maand 3 van 72", "Month 3 of 72".
MONTH = re.compile(r"(?:Maand|Month) (\d+) (?:van|of) (\d+)")


def shown_month(page: Any, steps: int | None = None) -> int:
    """The month the page shows (0 before the first, or while it shows a run of another horizon than ``steps``)."""
    found = MONTH.search(page.locator("body").inner_text())
    if found is None or (steps is not None and int(found.group(2)) != steps):
        return 0
    return int(found.group(1))


def wait_month(page: Any, at_least: int, timeout_s: float, steps: int | None = None) -> int:
    """Wait until the page shows month ``at_least`` (of ``steps``) or later; the month it shows then. The
    timeout only stops a hung page: how long it takes is the machine's load."""
    deadline = time.monotonic() + timeout_s
    while shown_month(page, steps) < at_least and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return shown_month(page, steps)


def open_tab(page: Any, name: str, key: str, timeout_s: float) -> None:
    """Open a tab and wait until it is drawn: its own content (class dash-tab-...) and its images loaded.

    A dispatched click: on a narrow screen a tab outside the tab bar's visible part sits under the side bar,
    where a pointer click would land."""
    page.get_by_role("tab", name=name).dispatch_event("click")
    tab = ".dash-" + key.replace("_", "-")
    page.locator(tab).wait_for(timeout=timeout_s * 1000)
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{tab} img'))
                                        .every(i => i.complete && i.naturalWidth > 0)""", timeout=timeout_s * 1000)


def open_page(browser: Any, url: str, lang: str, width: int = 1280, height: int = 720) -> Any:
    """A new page of the dashboard at ``url`` (a session of its own), ``width`` x ``height``, in ``lang``."""
    from sim.apps.dashboard.levers import DEFAULT_LANG

    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.get_by_role("button", name=texts.dash("step", DEFAULT_LANG)).wait_for(timeout=90_000)
    if lang != DEFAULT_LANG:
        page.get_by_role("button", name=lang.upper(), exact=True).click()
        page.get_by_role("button", name=texts.dash("step", lang)).wait_for(timeout=30_000)
    return page


def projector_on(page: Any, lang: str) -> None:
    """Switch the projector mode on (the side bar closes; Play and Step move to the app bar)."""
    page.get_by_text(texts.dash("projector", lang)).click()
    page.locator("header").get_by_role("button", name=texts.dash("play", lang)).wait_for(timeout=60_000)


def play_fast(page: Any, lang: str) -> None:
    """Play through: the automatic pause off and the charts redrawn once a year (the side bar's switch and slider;
    the side bar must be open)."""
    switch = page.get_by_role("switch", name=texts.dash("auto_pause", lang))
    if switch.get_attribute("aria-checked") == "true":
        page.get_by_text(texts.dash("auto_pause", lang)).click()
    page.get_by_role("slider", name=re.compile("^" + re.escape(texts.dash("draw_every", lang)))).press("End")
    page.get_by_role("slider", name=re.compile("^" + re.escape(texts.dash("draw_every", lang)) + ": 12$")).wait_for(
        state="attached", timeout=30_000)  # the track's thumb has no size of its own


def play_lesson(page: Any, key: str, lang: str, timeout_s: float) -> int:
    """Load lesson ``key`` from the Lesson tab, open the overview and play the lesson to its horizon (in
    projector mode: Play is in the app bar); the last month the page shows. Call ``play_fast`` first, or the
    automatic pause stops the run at the first round."""
    from sim.apps.dashboard.levers import LESSONS

    t, steps = texts.dash, LESSONS[key].steps
    title = texts.lesson(key, lang)["title"]
    open_tab(page, t("tab_lesson", lang), "tab_lesson", timeout_s)
    page.get_by_role("button", name=re.compile(re.escape(title))).click()
    page.get_by_role("heading", name=title).wait_for(timeout=timeout_s * 1000)
    open_tab(page, t("tab_overview", lang), "tab_overview", timeout_s)
    page.get_by_text(t("not_started", lang)).first.wait_for(timeout=timeout_s * 1000)  # the lesson's new run
    play = page.locator("header").get_by_role("button", name=t("play", lang))
    play.click()
    shown = wait_month(page, steps, timeout_s, steps)
    play.wait_for(timeout=timeout_s * 1000)  # stopped at the horizon
    open_tab(page, t("tab_overview", lang), "tab_overview", timeout_s)  # its last charts loaded
    return shown
