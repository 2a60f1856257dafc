"""The trainers' dashboard: a live municipality for a room of civil servants, in Dutch or English.

Start it with ``make dashboard`` (a bare ``solara run sim.apps.dashboard.app`` lacks serve.py's CDN filter) and open the
address it prints. Choose a municipality and a participation design (or a ready-made lesson of
the training day's cases); the sliders start at that preset's values and show them. Moved
sliders are flagged until **Apply and restart** builds the municipality with them; then
**▶ Play** or **Step**. The tabs show the outcomes month by month with the rounds,
decisions, reopened decisions and the election marked on the time axis, what moved residents'
trust in the last months (``SignalBoard.history``), who takes part, the fears, the network and
the neighbourhoods, two designs side by side on the same residents (the same seed: common
random numbers) with the matched comparison of the participants, the lesson's guidance and a
help page for every output, view and slider. Every run the trainer replaces stays (a grey line in the
charts, a row of the difference table against the preset's run), and Compare runs both sides five times
each and judges them with the report's verdict rule (``history``, ``replicates``). The event line says
what happened month by month (``sim.apps.events``); Play runs at the chosen speed and pauses by itself
when a round opens, at a decision, a reopened decision and the election (a switch). Each lesson states
what its change shows, checked over replicates (tests/apps/dashboard/test_lessons.py). The projector
mode closes the side bar, puts Play and Step in the app bar and draws two charts that fill a 1280x720
screen with 16-pixel text. Numbers are written as the language writes them (``texts.number``).

The page holds no model rules and no words of its own: every word comes from ``sim.texts``
(its dashboard section), every figure from ``sim.plots`` and ``live_chart``. ``DashboardModel`` turns the
sliders' keyword arguments into Hydra overrides, composes the config with
``sim.config.compose.compose_config`` (so every value is range-checked by the schema) and builds a
``CoproductionModel``; it stops at the run's horizon. The page uses Solara directly (not
Mesa's SolaraViz), so that it has named tabs, its own play loop that redraws only the open
tab and computes a month only once the browser has shown the last one (``PageShown``,
``wait_until_shown``: Pause acts on the month the class sees), and none of the framework's
unexplained controls.
"""


from __future__ import annotations

from typing import Any

import solara
import solara.lab
import solara.server.settings

from sim import texts
from sim.apps.dashboard.compare import CompareView
from sim.apps.dashboard.levers import (
    DESIGNS,
    GROUPS,
    LESSONS,
    SCENARIOS,
    DashboardModel,
    changes,
    initial_kwargs,
    input_name,
    show_value,
)
from sim.apps.dashboard.state import (
    SPEEDS,
    TAB_KEYS,
    applied_state,
    auto_pause,
    compare_choice,
    current_params,
    design_choice,
    draw_every,
    lang_choice,
    lesson_choice,
    load_lesson,
    load_preset,
    model_state,
    play_loop,
    playing,
    projector,
    restart,
    scenario_choice,
    speed,
    step_once,
    tab_state,
    tick,
    toggle_play,
    twin_state,
    values_state,
)
from sim.apps.dashboard.views import (
    EVENT_LINES_BIG,
    CompositionView,
    EventsView,
    LessonView,
    LiveView,
    MovedView,
    NetworkView,
    PageShown,
    StatusView,
    _html,
    _shown,
    help_html,
    month_line,
)

# Solara's "This website runs on Solara" banner sits over the bottom right of the page, where the
# charts' legends are: the page shows no framework banner.
solara.server.settings.theme.show_banner = False


@solara.component
def TabContent(index: int, model: DashboardModel, twin: DashboardModel | None, lang: str, big: bool) -> None:
    """The open tab's views (two charts per row, or one beside its explanation).

    The one component that subscribes to ``tick``: its views get the tick as ``drawn``, so that a
    month redraws the tab in one render (a subscription per view made one render per view, each
    reconciling the whole page's widgets).
    """
    key = TAB_KEYS[index]
    drawn = tick.value
    # the tab's class names it, so that a browser (and a test) can tell which tab is drawn
    with solara.Column(classes=["dash-tab", f"dash-{key.replace('_', '-')}"]):
        if key == "tab_overview":
            if not big:
                StatusView(model, lang, big, drawn)
            else:  # on a projector the month first, in one line above the charts
                _html(month_line(model, lang), 20)
            EventsView(lang, big, drawn)
            with solara.Columns([1, 1]):
                LiveView("turnout", model, lang, big, drawn)
                LiveView("trust", model, lang, big, drawn)
            if big:  # on a projector the charts first: both fit the screen above the numbers
                StatusView(model, lang, big, drawn)
            MovedView(model, lang, big, drawn)
        elif key == "tab_legitimacy":
            with solara.Columns([1, 1]):
                LiveView("legitimacy", model, lang, big, drawn)
                LiveView("quality", model, lang, big, drawn)
        elif key == "tab_who":
            CompositionView(model, lang, big, drawn)
        elif key == "tab_fears":
            with solara.Columns([1, 1]):
                LiveView("fears", model, lang, big, drawn)
                _html("<ul>" + "".join(f"<li><b>{texts.label(c, lang)}</b>: {texts.explain(c, lang)}</li>"
                                       for c in ("fear_citizens", "fear_complexity_administration",
                                                 "fear_failure_administration", "fear_self_interest_administration",
                                                 "fear_self_interest_council")) + "</ul>", 18 if big else 14)
        elif key == "tab_network":
            NetworkView(model, lang, big, drawn)
        elif key == "tab_compare":
            CompareView(model, twin, lang, big, drawn)
        elif key == "tab_lesson":
            LessonView(lang, big)
        else:
            _html(help_html(lang), 17 if big else 14)
        PageShown.element(drawn=drawn, on_shown=_shown)  # last: after the charts' images


# --------------------------------------------------------------------------- controls

def _select(label: str, items: list[tuple[str, str]], value: str, on_value) -> None:
    """A choice shown in words (``items`` as (value, words)) that sets a code name."""
    solara.v.Select(label=label, items=[{"value": v, "text": w} for v, w in items], v_model=value,
                    on_v_model=on_value, dense=True, hide_details=True, class_="mb-3")


def _set_value(name: str, value: Any) -> None:
    values_state.set({**values_state.value, name: value})


@solara.component
def Input(name: str, spec: dict[str, Any], lang: str, disabled: bool = False) -> None:
    """One input with its name and its value always visible (slider, checkbox or choice)."""
    value = values_state.value.get(name, spec["value"])
    words = input_name(name, lang)
    helptext = texts.lever_help(spec["key"], lang)
    if spec["type"] == "Select":
        _select(words, [(m, show_value(spec["key"], m, lang)) for m in spec["values"]], value,
                lambda v: _set_value(name, v))
    elif spec["type"] == "Checkbox":
        solara.Checkbox(label=words, value=bool(value), on_value=lambda v: _set_value(name, v),
                        disabled=disabled)
    else:
        # the name and the value on a line of their own, above a full-width track (a long name beside the track
        # squeezed it to nothing, and the value's bubble covered the help)
        solara.HTML(tag="div", unsafe_innerHTML=f"{words}: <b>{show_value(spec['key'], value, lang)}</b>",
                    classes=["dash-slider-label"])
        slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
        with solara.Div(classes=["dash-slider"]):  # its own label stays for screen readers, hidden on screen
            slider(label=f"{words}: {show_value(spec['key'], value, lang)}", value=value, min=spec["min"],
                   max=spec["max"], step=spec["step"], on_value=lambda v: _set_value(name, v), disabled=disabled,
                   thumb_label=False)
    solara.HTML(tag="div", unsafe_innerHTML=helptext, classes=["dash-help"])


@solara.component
def RunButtons(lang: str) -> None:
    """Play (Pause while playing) and Step: in the side bar, and in the app bar in projector mode (the
    side bar is closed then)."""
    model = model_state.value
    running = model is not None and model.running
    t = texts.dash
    with solara.Row(gap="6px", style={"flex-wrap": "nowrap", "background": "transparent"}):
        solara.Button(t("pause" if playing.value else "play", lang), color="primary", depressed=True,
                      on_click=toggle_play, disabled=not running and not playing.value)
        solara.Button(t("step", lang), color="primary", depressed=True, on_click=step_once,
                      disabled=playing.value or not running)


def _compare_with(design: str) -> None:
    """Choose the side-by-side design ("": none) and build both runs again."""
    compare_choice.set(design or "")
    restart()


@solara.component
def Controls(lang: str) -> None:
    """The side bar: lesson, preset, side-by-side design, apply and reset, the inputs by group."""
    t = texts.dash
    params = current_params()
    pending = changes(params, values_state.value, applied_state.value)
    scenarios = [(s, texts.name_or_key("scenario", s, lang)) for s in SCENARIOS]
    designs = [(d, texts.name_or_key("design", d, lang)) for d in DESIGNS]
    lessons = [("", t("no_lesson", lang))] + [(k, texts.lesson(k, lang)["title"]) for k in LESSONS]
    _select(t("lesson", lang), lessons, lesson_choice.value,
            lambda k: load_lesson(k) if k else lesson_choice.set(""))
    _select(t("municipality", lang), scenarios, scenario_choice.value,
            lambda s: load_preset(s, design_choice.value))
    _select(t("design", lang), designs, design_choice.value, lambda d: load_preset(scenario_choice.value, d))
    _select(t("compare_with", lang), [("", "—"), *designs], compare_choice.value,
            lambda d: _compare_with(d))
    RunButtons(lang)
    with solara.Row(gap="6px", style={"flex-wrap": "wrap", "margin-top": "6px"}):
        solara.Button(t("apply", lang), color="warning" if pending else "primary", outlined=not pending,
                      on_click=lambda: restart())
        solara.Button(t("to_preset", lang), text=True, on_click=lambda: restart(initial_kwargs(params)))
    if pending:
        solara.Warning(t("pending", lang, n=len(pending)) + " " +
                       ", ".join(input_name(n, lang) for n in pending), dense=True)
    else:
        solara.Success(t("applied", lang), dense=True)
    _select(t("speed", lang), [(str(v), t(f"speed_{str(v).replace('.', '_')}", lang)) for v in SPEEDS],
            str(speed.value), lambda v: speed.set(float(v)))
    solara.Switch(label=t("auto_pause", lang), value=auto_pause)
    solara.HTML(tag="div", unsafe_innerHTML=f"{t('draw_every', lang)}: <b>{draw_every.value}</b>",
                classes=["dash-slider-label"])
    with solara.Div(classes=["dash-slider"]):
        solara.SliderInt(label=f"{t('draw_every', lang)}: {draw_every.value}", value=draw_every, min=1, max=12,
                         thumb_label=False)
    for group in GROUPS:
        with solara.Details(t(f"group_{group}", lang), expand=(group == "design")):
            for name, spec in params.items():
                if isinstance(spec, dict) and spec.get("group") == group:
                    Input(name, spec, lang)
    with solara.Details(t("group_run", lang)):
        for name in ("seed", "population_scale", "steps"):
            Input(name, params[name], lang)


# --------------------------------------------------------------------------- the page

#: Projector mode: larger type for the page's own text (the charts draw their own).
_CSS = ".dash-big .v-label, .dash-big .v-tab, .dash-big .v-btn {font-size: 17px !important;} " \
       ".dash-slider-label {font-size: 14px; margin-top: 6px;} " \
       ".dash-slider .v-input__slot > .v-label {display: none;} " \
       ".dash-help {font-size: 13px; color: #555; margin: -10px 0 10px 0; line-height: 1.35;} " \
       ".v-tab {text-transform: none !important; letter-spacing: 0 !important; min-width: 0 !important; " \
       "padding: 0 12px !important;} " \
       ".dash-tabs .v-slide-group__content {flex-wrap: wrap;} " \
       ".dash-tabs .v-slide-group__prev, .dash-tabs .v-slide-group__next {display: none !important;} " \
       ".dash-tabs .v-tabs-bar {height: auto !important;} " \
       ".dash-history td, .dash-verdicts td {vertical-align: top; padding: 2px 10px 2px 0;} " \
       ".dash-num {text-align: right; white-space: nowrap;} .dash-diff, .dash-why {color: #555;} " \
       ".dash-events-big {display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden; " \
       f"-webkit-line-clamp: {EVENT_LINES_BIG};}}"


@solara.component
def Layout(children: list | None = None) -> None:
    """Solara's app layout (the server uses a module's Layout); the projector mode closes the side
    bar, so that two charts fill a 1280-pixel screen (the ☰ button opens it again)."""
    solara.AppLayout(children=children or [], sidebar_open=not projector.value)


@solara.component
def Page() -> None:
    """The dashboard: app bar (language, projector), side bar (controls), the tabs."""
    lang = lang_choice.value
    big = projector.value
    if model_state.value is None:
        restart(initial_kwargs(current_params()))
    model, twin = model_state.value, twin_state.value
    assert model is not None  # built just above
    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)
    solara.Style(_CSS)
    solara.Title(texts.dash("title", lang))
    with solara.AppBar():
        solara.v.Spacer()  # the page's title (solara.Title) is shown on the left
        with solara.Div():  # always there: the app bar's items keep their places (and widgets)
            if big:  # the side bar is closed
                RunButtons(lang)
        solara.v.Spacer()
        solara.ToggleButtonsSingle(value=lang_choice,
                                   children=[solara.Button(x.upper(), value=x) for x in texts.LANGUAGES])
        solara.Switch(label=texts.dash("projector", lang), value=projector, style={"margin-left": "16px"})
    with solara.Sidebar():
        Controls(lang)
    with solara.Column(classes=["dash-big"] if big else []):
        # the tabs wrap onto a second line where they do not fit: none hides behind a scroll arrow
        with solara.v.Tabs(v_model=tab_state.value, on_v_model=tab_state.set, show_arrows=False,
                           class_="dash-tabs"):
            for key in TAB_KEYS:
                solara.v.Tab(children=[texts.dash(key, lang)])
        TabContent(tab_state.value, model, twin, lang, big)
