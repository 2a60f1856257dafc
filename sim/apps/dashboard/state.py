"""The page's state (Solara reactive variables, one set per browser session) and what changes it:
building the run, loading a preset or a lesson, stepping and the play loop.

While playing, the next month is computed only once the browser reports that it has shown the
last one (``wait_until_shown``), so that Pause acts on the month the class sees.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import solara
import solara.lab
import solara.server.settings

from sim.apps.dashboard.levers import (
    DEFAULT_DESIGN,
    DEFAULT_LANG,
    DEFAULT_SCENARIO,
    LESSONS,
    DashboardModel,
    initial_kwargs,
    model_kwargs,
    model_params,
)

#: Longest wait of the play loop for the page to report that it has shown a month (s): far
#: above a month's redraw on a slow laptop; it only keeps a page that stopped answering from
#: holding the run.
SHOWN_WAIT_S = 30.0


# --------------------------------------------------------------------------- the page's state

#: Per browser session (solara keeps reactive variables per kernel).
lang_choice = solara.reactive(DEFAULT_LANG)
projector = solara.reactive(False)
scenario_choice = solara.reactive(DEFAULT_SCENARIO)
design_choice = solara.reactive(DEFAULT_DESIGN)
compare_choice = solara.reactive("none")  # the side-by-side design; "" for none
lesson_choice = solara.reactive("")
scale_choice = solara.reactive(1.0)  # the preset's share of residents (a lesson may lower it)
values_state: solara.Reactive[dict[str, Any]] = solara.reactive({})  # the sliders' values
applied_state: solara.Reactive[dict[str, Any]] = solara.reactive({})  # the values the run was built with
model_state: solara.Reactive[DashboardModel | None] = solara.reactive(None)
twin_state: solara.Reactive[DashboardModel | None] = solara.reactive(None)
matched_state: solara.Reactive[list[dict[str, float]]] = solara.reactive([])
playing = solara.reactive(False)
tick = solara.reactive(0)  # bumped when the charts should redraw
#: The last redraw (tick) the page has shown, as the page reports it (PageShown); -1 while no page
#: reports (a headless render). Nothing renders from it: only the play loop reads it.
shown_state = solara.reactive(-1)
draw_every = solara.reactive(1)
tab_state = solara.reactive(0)
#: One step at a time: the play loop and the Step button never step the models together.
_STEP_LOCK = threading.Lock()
#: Held by the play loop while it computes and draws a month, and by Pause: Pause waits for the
#: month under way, so that the page shows that month before it shows Play again (otherwise the
#: month arrived just after the Play button, and the page moved on once after Pause).
_MONTH_LOCK = threading.Lock()


def current_params() -> dict[str, Any]:
    """The inputs of the chosen preset."""
    return _params(scenario_choice.value, design_choice.value, scale_choice.value)


_PARAMS_CACHE: dict[tuple[str, str, float], dict[str, Any]] = {}


def _params(municipality: str, design: str, scale: float) -> dict[str, Any]:
    key = (municipality, design, scale)
    if key not in _PARAMS_CACHE:
        _PARAMS_CACHE[key] = model_params(municipality, design, scale)
    return _PARAMS_CACHE[key]


def restart(values: dict[str, Any] | None = None) -> None:
    """Build the municipality (and the side-by-side run) again with the sliders' values."""
    playing.set(False)
    params = current_params()
    values = dict(values_state.value if values is None else values)
    with _STEP_LOCK:
        model = DashboardModel(**model_kwargs(params, values))
        compare = compare_choice.value
        twin = DashboardModel(**model_kwargs(params, values, design=compare)) if (
            compare and compare != params["design"]) else None
    values_state.set(values)
    applied_state.set(dict(values))
    matched_state.set([])
    model_state.set(model)
    twin_state.set(twin)
    tick.set(tick.value + 1)


def load_preset(municipality: str, design: str, compare: str | None = None, scale: float = 1.0) -> None:
    """Choose a preset (and the side-by-side design) and build it at the preset's values."""
    scenario_choice.set(municipality)
    design_choice.set(design)
    if compare is not None:
        compare_choice.set(compare)
    scale_choice.set(scale)
    restart(initial_kwargs(current_params()))


def load_lesson(key: str) -> None:
    """Load a ready-made lesson: its preset, its side-by-side design and its guidance."""
    lesson = LESSONS[key]
    lesson_choice.set(key)
    load_preset(lesson.scenario, lesson.design, lesson.compare, lesson.scale)
    tab_state.set(TAB_KEYS.index("tab_lesson"))


def _record_matched(model: DashboardModel, twin: DashboardModel | None) -> None:
    """The share who trust the municipality among everyone and among model's participants, in both runs
    (the matched comparison)."""
    if twin is None:
        return
    ever = model.population.ever_participated
    trusts_a, trusts_b = model.population.agrees("trust"), twin.population.agrees("trust")
    row = {"step": model.month + 1, "all_a": float(trusts_a.mean()), "all_b": float(trusts_b.mean()),
           "part_a": float(trusts_a[ever].mean()) if ever.any() else np.nan,
           "part_b": float(trusts_b[ever].mean()) if ever.any() else np.nan}
    matched_state.value.append(row)  # in place: it only grows, and the charts redraw on tick


def step_once(redraw: bool = True) -> None:
    """One month of the run (and of the side-by-side run); redraw unless told not to."""
    with _STEP_LOCK:
        model, twin = model_state.value, twin_state.value
        if model is None or not model.running:
            return
        model.step()
        if twin is not None and twin.running:
            twin.step()
        _record_matched(model, twin)
    if redraw or not model.running:
        tick.set(tick.value + 1)


def wait_until_shown(timeout_s: float | None = None) -> bool:
    """Hold the play loop until the page has shown the last redraw; whether a page reports at all.

    The server renders a month and sends it; a slow browser (a projector laptop, a loaded
    machine) takes longer to show it than the server takes to compute the next. Without waiting,
    the run raced ahead of what the class sees (the page showing month 24 while the run was at
    month 66, with chromium 30x slower), and Pause stopped the run at a month nobody had seen. So
    the next month is computed only once the page reports (``PageShown``) that it has shown this
    one: the run is at most one month ahead of the page. Waits at most ``timeout_s`` (default
    ``SHOWN_WAIT_S``), so that a page that stopped answering does not hold the run for ever, and
    not at all where no page reports (a headless render, the tests' and benchmarks' helpers).
    """
    if shown_state.value < 0:
        return False
    deadline = time.monotonic() + (SHOWN_WAIT_S if timeout_s is None else timeout_s)
    while playing.value and shown_state.value < tick.value and time.monotonic() < deadline:
        time.sleep(0.005)
    return True


def toggle_play() -> None:
    """Play, or Pause once the month under way has been drawn (the play loop stops before the next)."""
    if playing.value:
        with _MONTH_LOCK:
            playing.set(False)
    else:
        playing.set(True)


def play_loop() -> None:
    """Step month after month while playing, each month once the page has shown the last redraw;
    redraw every ``draw_every`` months and at the end."""
    while playing.value:
        with _MONTH_LOCK:
            model = model_state.value
            if not playing.value or model is None or not model.running:
                break
            step_once(redraw=(model.month + 2) % max(1, draw_every.value) == 0)
        if not wait_until_shown():
            time.sleep(0.02)  # no page reports: let the page's events (pause) through
    playing.set(False)
    tick.set(tick.value + 1)


#: The tabs in order (keys of texts.dash); only the open one is drawn.
TAB_KEYS = ("tab_overview", "tab_legitimacy", "tab_who", "tab_fears", "tab_network", "tab_compare",
            "tab_lesson", "tab_help")
