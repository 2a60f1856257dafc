"""Benchmark (not a test): a full class in real browsers on the real model, and three rooms side by side.

    make bench-classroom   # .venv/bin/python benchmarks/bench_classroom.py [--seats 30] [--rooms 3] [--room-seats 10]

Each seat is a Playwright browser context (its own cookie, so its own Solara session and kernel)
in Debian's headless chromium; each room runs in its own thread with its own browser, so the
rooms' clicks reach the server at the same time. Measured:

- latency: from a seat's click (``Date.now()`` in the seat's page, just before ``click()``) to the
  moment the projector page has drawn its effect (a ``MutationObserver`` in the projector's page
  stamps the next animation frame after the vote count or the last decision changed). Both
  stamps come from the same machine's clock; Playwright's own round trips are not in the number.
  Every click of a role is timed (a role with several seats: each vote updates the projector's
  count; the last one shows the decision).
- the server's memory (RSS of its process) and threads: at the start, with the rooms open, after
  the rooms are closed, and after the browsers closed and Solara's kernel cull timeout passed.

The numbers are the machine's (2 cores here, shared by the server and all the browsers).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sim.apps.classroom import texts  # noqa: E402
from sim.apps.classroom.game import ROLES  # noqa: E402
from tests.apps.classroom.browser_support import launch, serve  # noqa: E402

WAIT_MS = 120_000
CULL = "20s"
OBSERVER = """() => {
  window.__log = [];
  let last = '';
  const read = () => {
    const votes = document.querySelector('.cr-votes');
    const lasts = document.querySelectorAll('.cr-last');
    return (votes ? votes.innerText : '') + ' | ' + (lasts.length ? lasts[lasts.length - 1].innerText : '');
  };
  new MutationObserver(() => {
    const now = read();
    if (now !== last) { last = now; requestAnimationFrame(() => window.__log.push({t: Date.now(), text: now})); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
CLICK = "(sel) => { const t = Date.now(); document.querySelector(sel).click(); return t; }"


RESULTS = ROOT / "benchmarks" / "results"
LOG = RESULTS / "bench_classroom_server.log.tmp"


def server_stats(pid: int) -> dict[str, float]:
    """The server's memory (RSS, MiB) and threads, and the kernels and rooms its log says are alive."""
    proc = psutil.Process(pid)
    procs = [proc, *proc.children(recursive=True)]
    text = LOG.read_text() if LOG.exists() else ""
    kernels = re.findall(r"\(kernels: (\d+)\)", text)
    rooms = re.findall(r"\(rooms open: (\d+)\)", text)
    return {"rss_mib": round(sum(p.memory_info().rss for p in procs) / 2**20, 1),
            "threads": sum(p.num_threads() for p in procs),
            "kernels": int(kernels[-1]) if kernels else 0, "rooms": int(rooms[-1]) if rooms else 0}


STDLIB_WAITS = ("threading.py", "queue.py", "selectors.py", "thread.py", "base_events.py", "socket.py")


def where_waits(stack: str) -> str:
    """A thread's job, from its stack in faulthandler's dump (innermost frame first)."""
    frames = re.findall(r'File "([^"]+)", line \d+ in (\w+)', stack)
    if any(f.endswith("classroom/app.py") and fn == "watch" for f, fn in frames):
        return "room watcher (use_room)"
    own = [(f, fn) for f, fn in frames if Path(f).name not in STDLIB_WAITS]
    return f"{Path(own[0][0]).name}:{own[0][1]}" if own else (f"{Path(frames[0][0]).name}:{frames[0][1]}"
                                                             if frames else "?")


def thread_dump(pid: int) -> dict[str, int]:
    """Ask the server for every thread's stack (SIGUSR1, see sim.apps.classroom.serve) and count them by where they
    wait: a page's room watcher (``use_room``) must not outlive its page."""
    size = LOG.stat().st_size
    os.kill(pid, signal.SIGUSR1)
    time.sleep(1.0)
    counts: dict[str, int] = {}
    for stack in LOG.read_text()[size:].split("\n\n"):
        if stack.strip().startswith(("Thread", "Current thread")):
            where = where_waits(stack)
            counts[where] = counts.get(where, 0) + 1
    return counts


def seat_roles(scenario: str, seats: int, per_role: int) -> list[str]:
    """Roles for ``seats`` participants: ``per_role`` in each administration and council role, the rest
    spread over the groups of residents."""
    single = [r for r in ROLES if not r.startswith("residents_")]
    groups = [r for r in ROLES if r.startswith("residents_")]
    out = [r for r in single for _ in range(per_role)][:seats]
    i = 0
    while len(out) < seats:
        out.append(groups[i % len(groups)])
        i += 1
    return out


def open_room(browser: Any, url: str, scenario: str, horizon_years: int, per_role: int) -> tuple[Any, str]:
    """The trainer's page with a new room (Dutch), and the room's code."""
    nl = lambda key, **f: texts.t(key, "nl", **f)  # noqa: E731
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(url + "/trainer")
    page.get_by_role("button", name=nl("trainer.open")).wait_for(timeout=WAIT_MS)
    for label, item in ((nl("trainer.scenario"), texts.name("scenario", scenario, "nl")),
                        (nl("trainer.horizon"), nl("trainer.months", n=12 * horizon_years)),
                        (nl("trainer.seats_per_role"), str(per_role))):
        page.locator(".v-select", has_text=label).click()
        page.locator(".v-menu__content.menuable__content__active .v-list-item", has_text=item).first.click()
    page.get_by_role("button", name=nl("trainer.open")).click()
    code = page.locator(".cr-code").inner_text(timeout=WAIT_MS).strip()
    return page, code


def play_room(url: str, scenario: str, n_seats: int, per_role: int, years: int, out: dict[str, Any]) -> None:
    """One room in its own browser: open, seat everyone, play to the end, time every click; close."""
    with sync_playwright() as p:
        browser = launch(p)
        try:
            trainer, code = open_room(browser, url, scenario, years, per_role)
            roles = seat_roles(scenario, n_seats, per_role)
            seats: dict[str, list[Any]] = {}
            t0 = time.monotonic()
            for role in roles:
                page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
                page.goto(f"{url}/join?code={code}")
                page.locator(".cr-join-button").click(timeout=WAIT_MS)
                page.locator(f".cr-opt-{role}").click(timeout=WAIT_MS)
                page.locator(".cr-seat-role").wait_for(timeout=WAIT_MS)
                seats.setdefault(role, []).append(page)
            out["join_s"] = time.monotonic() - t0
            trainer.locator(".cr-start").first.click()
            trainer.locator(".cr-projector").wait_for(timeout=WAIT_MS)
            trainer.evaluate(OBSERVER)
            latencies, last_click = [], []
            while True:
                trainer.locator(".cr-running").wait_for(state="detached", timeout=WAIT_MS)
                trainer.locator(".cr-pending, .cr-ended").first.wait_for(timeout=WAIT_MS)
                if trainer.locator(".cr-ended").count():
                    break
                who = trainer.locator(".cr-pending .cr-who").first.inner_text()
                role = next((r for r in seats if texts.role_name(r, "nl") in who), None)
                if role is None:  # the trainer's own choice, or Continue (the model decides)
                    selector = ".cr-decision .cr-option, .cr-continue"
                    trainer.locator(selector).first.wait_for(timeout=WAIT_MS)
                    before = trainer.evaluate("() => window.__log.length")
                    trainer.evaluate(CLICK, selector)
                    trainer.wait_for_function("(n) => window.__log.length > n", arg=before, timeout=WAIT_MS)
                    continue
                pages = seats[role]
                name = texts.role_name(role, "nl")
                for k, page in enumerate(pages, start=1):
                    page.locator(".cr-my-options .cr-option").first.wait_for(timeout=WAIT_MS)
                    clicked = page.evaluate(CLICK, ".cr-my-options .cr-option")
                    if k < len(pages):
                        want = re.compile(rf"^{k} van {len(pages)} ")
                    else:
                        want = re.compile(rf"\| Maand \d+: {re.escape(name)} koos .* \(door de zetels\)$")
                    trainer.wait_for_function(
                        "([t, re]) => window.__log.some(e => e.t >= t && new RegExp(re).test(e.text))",
                        arg=[clicked, want.pattern], timeout=WAIT_MS)
                    shown = min(e["t"] for e in trainer.evaluate("() => window.__log")
                                if e["t"] >= clicked and want.search(e["text"]))
                    latencies.append(shown - clicked)
                    if k == len(pages):
                        last_click.append(shown - clicked)
            out.update(code=code, clicks=len(latencies), latency_ms=latencies, decision_ms=last_click,
                       month=trainer.locator(".cr-month").inner_text())
            out["open_pages"] = 1 + sum(len(v) for v in seats.values())
            out["stats_open"] = server_stats(out["server_pid"])
            trainer.locator(".cr-close").click()
            trainer.locator(".cr-close-yes").click()
            for pages in seats.values():
                pages[0].locator(".cr-closed").wait_for(timeout=WAIT_MS)
        except Exception as e:  # report, do not hide: the main thread prints it
            out["error"] = repr(e)
            raise
        finally:
            browser.close()


def summary(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {}
    q = statistics.quantiles(latencies, n=10) if len(latencies) >= 2 else [latencies[0]] * 9
    return {"n": len(latencies), "median_ms": statistics.median(latencies), "p90_ms": q[8], "max_ms": max(latencies)}


def run(label: str, url: str, pid: int, rooms: list[tuple[str, int, int, int]]) -> dict[str, Any]:
    """Play ``rooms`` (scenario, seats, seats per role, years) at the same time, each in its own thread."""
    results = [{"server_pid": pid} for _ in rooms]
    threads = [threading.Thread(target=play_room, args=(url, *room, results[i])) for i, room in enumerate(rooms)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        if "error" in r:
            raise RuntimeError(f"{label}: {r['error']}")
    all_lat = [x for r in results for x in r["latency_ms"]]
    report = {"label": label, "wall_s": time.monotonic() - t0, "rooms": [
        {"code": r["code"], "pages": r["open_pages"], "join_s": round(r["join_s"], 1), "clicks": r["clicks"],
         "month": r["month"], **summary(r["latency_ms"]), "decision": summary(r["decision_ms"]),
         "server_with_rooms_open": r["stats_open"]} for r in results],
        "all_clicks": summary(all_lat)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--rooms", type=int, default=3)
    parser.add_argument("--room-seats", type=int, default=10)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_classroom.json")
    args = parser.parse_args()
    report: dict[str, Any] = {"cpus": psutil.cpu_count(), "cull": CULL, "load_before": psutil.getloadavg()}

    def save(key: str, value: Any) -> None:  # after every stage: a failure later keeps what was measured
        report[key] = value
        args.out.write_text(json.dumps(report, indent=1))

    with serve(LOG, cull=CULL) as server:
        time.sleep(2)
        save("server_idle", server_stats(server.pid))
        save("one_class", run(f"1 room, {args.seats} seats", server.url, server.pid,
                              [("geel", args.seats, 2, args.years)]))
        save("after_one_class_closed", server_stats(server.pid))
        rooms = [(s, args.room_seats, 1, args.years) for s in ("geel", "kampenhout", "generic")][:args.rooms]
        save("side_by_side", run(f"{args.rooms} rooms x {args.room_seats} seats", server.url, server.pid, rooms))
        save("after_rooms_closed", server_stats(server.pid))
        time.sleep(25 + 10)  # the kernel cull timeout (20 s) and the culling itself
        save("after_cull", server_stats(server.pid))
        save("threads_after_cull", thread_dump(server.pid))
        save("load_after", psutil.getloadavg())
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
