"""The page's state (Solara reactive variables, one set per browser session) and what changes it:
building the run, loading a preset or a lesson, stepping and the play loop.

While playing, the next month is computed only once the browser reports that it has shown the
last one (``wait_until_shown``), so that Pause acts on the month the class sees.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import solara
import solara.lab
import solara.server.settings

from sim.apps.dashboard.levers import (
    DEFAULT_DESIGN,
    DEFAULT_LANG,
    DEFAULT_SCENARIO,
    LESSONS,
    DashboardModel,
    changes,
    initial_kwargs,
    model_kwargs,
    model_params,
)
from sim.apps.events import latest_events
from sim.results import timeseries

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
#: Earlier runs of this session (newest last): ghost lines in the charts and rows of the difference table.
history_state: solara.Reactive[list[RunRecord]] = solara.reactive([])
runs_made = solara.reactive(0)  # runs built in this session (numbers the runs of the history)
#: The run's events, month by month: (month counted from 1, kind, n) (sim.apps.events).
events_state: solara.Reactive[list[tuple[int, str, int]]] = solara.reactive([])
#: Pause by itself when a round opens, a decision is taken or reopened, and at the election.
auto_pause = solara.reactive(True)
#: Months per second while playing (0: as fast as the machine and the page allow).
speed = solara.reactive(0.0)
#: One step at a time: the play loop and the Step button never step the models together.
_STEP_LOCK = threading.Lock()
#: Held by a play loop while it plays: Pause and Play pressed at once leave one loop playing (the one that saw Play
#: again), the other waits for it and finds the run paused.
_LOOP_LOCK = threading.Lock()
#: Held by the play loop while it computes and draws a month, and by Pause: Pause waits for the
#: month under way, so that the page shows that month before it shows Play again (otherwise the
#: month arrived just after the Play button, and the page moved on once after Pause).
_MONTH_LOCK = threading.Lock()


#: Runs the history keeps (the oldest goes first).
HISTORY_SIZE = 5
#: The events that pause the run by themselves (``auto_pause``): a round opens, the decision, a reopened
#: decision, the election.
PAUSE_AT = ("round_opens", "screened", "reopened", "election")
#: Speeds a trainer can choose (months per second; 0 as fast as possible).
SPEEDS = (0.0, 4.0, 1.0, 0.5)


@dataclass(frozen=True)
class RunRecord:
    """A run the trainer made: its number, municipality and design, what was moved from the preset, its months."""

    number: int
    municipality: str
    design: str
    changed: tuple[tuple[str, Any], ...]  # (input, the value this run used) for the inputs moved from the preset
    kwargs: dict[str, Any]  # DashboardModel's keywords (to run it again over replicates)
    series: pd.DataFrame  # the model's time series, month by month

    @property
    def months(self) -> int:
        """Months it ran."""
        return len(self.series)


def current_params() -> dict[str, Any]:
    """The inputs of the chosen preset."""
    return _params(scenario_choice.value, design_choice.value, scale_choice.value)


_PARAMS_CACHE: dict[tuple[str, str, float], dict[str, Any]] = {}


def _params(municipality: str, design: str, scale: float) -> dict[str, Any]:
    key = (municipality, design, scale)
    if key not in _PARAMS_CACHE:
        _PARAMS_CACHE[key] = model_params(municipality, design, scale)
    return _PARAMS_CACHE[key]


def record(model: DashboardModel | None, applied: dict[str, Any], number: int) -> RunRecord | None:
    """The history's record of a run (None for a run that did not start)."""
    if model is None or model.month < 0:
        return None
    params = _params(model.municipality, model.design, float(model.config.run.population_scale))
    moved = changes(params, applied, {})
    return RunRecord(number, model.municipality, model.design,
                     tuple((name, applied[name]) for name in moved if name in applied),
                     model_kwargs(params, applied), timeseries(model))


def restart(values: dict[str, Any] | None = None) -> None:
    """Build the municipality (and the side-by-side run) again with the sliders' values; the run so far goes
    to the history."""
    playing.set(False)
    done = record(model_state.value, applied_state.value, runs_made.value)
    if done is not None:
        history_state.set([*history_state.value, done][-HISTORY_SIZE:])
    runs_made.set(runs_made.value + 1)
    events_state.set([])
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


def load_preset(municipality: str, design: str, compare: str | None = None, scale: float = 1.0,
                steps: int | None = None) -> None:
    """Choose a preset (and the side-by-side design) and build it at the preset's values (``steps``: another
    horizon, as a lesson asks)."""
    scenario_choice.set(municipality)
    design_choice.set(design)
    if compare is not None:
        compare_choice.set(compare)
    scale_choice.set(scale)
    values = initial_kwargs(current_params())
    if steps is not None:
        values["steps"] = steps
    restart(values)


def load_lesson(key: str) -> None:
    """Load a ready-made lesson: its preset, its side-by-side design and its guidance."""
    lesson = LESSONS[key]
    lesson_choice.set(key)
    load_preset(lesson.scenario, lesson.design, lesson.compare, lesson.scale, lesson.steps)
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
        month_events = [(model.month + 1, kind, n) for kind, n in latest_events(model)]
        events_state.value.extend(month_events)  # in place: it only grows, and the views redraw on tick
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
    redraw every ``draw_every`` months and at the end.

    The page calls it each time Play or Pause changes ``playing``. Called by a pause, it does nothing: the loop that
    played has stopped and redraws. Only a run that is over sets ``playing`` back (Pause and the automatic pause
    have set it already): a loop that stopped must not undo a Play pressed the moment the button showed again (the
    loop started by the pause, and the stopped loop's last line, used to switch it off again now and then). One
    loop plays at a time (``_LOOP_LOCK``); a loop that played redraws when it stops.
    """
    if not playing.value:
        return
    with _LOOP_LOCK:  # Pause and Play at once: the loop that plays on is the only one
        played = False
        while playing.value:
            started = time.monotonic()
            with _MONTH_LOCK:
                model = model_state.value
                if model is None or not model.running:
                    playing.set(False)  # the run is over
                    break
                if not playing.value:
                    break
                seen = len(events_state.value)
                step_once(redraw=(model.month + 2) % max(1, draw_every.value) == 0)
                played = True
                if auto_pause.value and any(kind in PAUSE_AT for _, kind, _ in events_state.value[seen:]):
                    playing.set(False)  # a round, a decision or the election: the class looks before it goes on
                    break
            if not wait_until_shown():
                time.sleep(0.02)  # no page reports: let the page's events (pause) through
            if speed.value > 0:  # the trainer's pace: at most this many months a second
                time.sleep(max(0.0, 1.0 / speed.value - (time.monotonic() - started)))
        if played:  # the months it played, drawn (a loop that waited for another and found the run paused draws none)
            tick.set(tick.value + 1)


#: The tabs in order (keys of texts.dash); only the open one is drawn.
TAB_KEYS = ("tab_overview", "tab_legitimacy", "tab_who", "tab_fears", "tab_network", "tab_compare",
            "tab_lesson", "tab_help")
