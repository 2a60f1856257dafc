"""The trainers' dashboard: a live municipality for a room of civil servants, in Dutch or English.

Start it with ``make dashboard`` (or ``.venv/bin/solara run sim.dashboard``) and open the
address it prints. Choose a municipality and a participation design (or a ready-made lesson of
the training day's cases); the sliders start at that preset's values and show them. Moved
sliders are flagged until **Apply and restart** builds the municipality with them; then
**▶ Play** or **Step**. The tabs show the outcomes month by month with the rounds,
decisions, reopened decisions and the election marked on the time axis, what moved residents'
trust in the last months (``SignalBoard.history``), who takes part, the fears, the network and
the neighbourhoods, two designs side by side on the same residents (the same seed: common
random numbers) with the matched comparison of the participants, the lesson's guidance and a
help page for every output, view and slider. The projector mode closes the side bar, puts Play and
Step in the app bar and draws two charts that fill a 1280x720 screen with 16-pixel text. Numbers
are written as the language writes them (``texts.number``).

The page holds no model rules and no words of its own: every word comes from ``sim.texts``
(its dashboard section), every figure from ``sim.plots``. ``DashboardModel`` turns the
sliders' keyword arguments into Hydra overrides, composes the config with
``sim.compose_config`` (so every value is range-checked by the schema) and builds a
``CoproductionModel``; it stops at the run's horizon. The page uses Solara directly (not
Mesa's SolaraViz), so that it has named tabs, its own play loop that redraws only the open
tab and computes a month only once the browser has shown the last one (``PageShown``,
``wait_until_shown``: Pause acts on the month the class sees), and none of the framework's
unexplained controls.
"""

from __future__ import annotations

import enum
import functools
import inspect
import threading
import time
import typing
from dataclasses import dataclass
from typing import Any

import ipyvue
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import reacton.ipywidgets as rw
import solara
import solara.server.settings
import traitlets

import sim
from sim import plots, texts
from sim.config.compose import CONFIG_DIR
from sim.config.keys import iter_params
from sim.config.schema import Config, Selection
from sim.model.model import CoproductionModel
from sim.results import groups, timeseries

# Solara's "This website runs on Solara" banner sits over the bottom right of the page, where the
# charts' legends are: the page shows no framework banner.
solara.server.settings.theme.show_banner = False

SCENARIOS = tuple(sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")))
DESIGNS = tuple(d for d in plots.DESIGNS if (CONFIG_DIR / "design" / f"{d}.yaml").exists()) + tuple(
    sorted(p.stem for p in (CONFIG_DIR / "design").glob("*.yaml") if p.stem not in plots.DESIGNS))
DEFAULT_SCENARIO = "kampenhout"
DEFAULT_DESIGN = "participatory_budget"
#: The language the page opens in: the seed's cases are Flemish municipalities.
DEFAULT_LANG = "nl"
#: Residents drawn in the network view.
NETWORK_SAMPLE = 300
#: Resolution of the charts (PNG): a live chart (8 x 4.8 in) is then about as wide as its half of a
#: 1920-pixel screen, so that it is shown at its own size (sharp, text about 12 px).
DPI = 90
#: In projector mode a live chart is 8.5 x 6.2 in at this resolution: 612 pixels, half of a
#: 1280-pixel screen with the side bar closed, with text of 16 pixels.
DPI_BIG = 72
#: Text of the other figures scaled by this, on a screen and (second) in projector mode: who takes
#: part (panels of 4 inches: room for larger type), network and neighbourhoods (fixed layouts).
FONT_SCALE_COMPOSITION = (1.2, 1.6)
FONT_SCALE_OTHER = (1.0, 1.25)
#: The slider step of a float lever: every preset value lies on this grid (tests check it), so
#: that a slider shows the preset's value exactly and Reset reproduces the preset.
FLOAT_STEP = 0.01
#: Months of SignalBoard.history summed in "what moved trust".
MOVED_MONTHS = 6
#: Longest wait of the play loop for the page to report that it has shown a month (s): far
#: above a month's redraw on a slow laptop; it only keeps a page that stopped answering from
#: holding the run.
SHOWN_WAIT_S = 30.0
#: While playing, the slow figures (who takes part, network, neighbourhoods) are redrawn once
#: every this many months (every month when paused).
SLOW_EVERY = 6


@dataclass(frozen=True)
class Lever:
    """A slider (or checkbox, or choice) of the dashboard, the config key it sets and its group."""

    key: str
    group: str  # design, citizens, administration, council (the side bar's sections)
    lo: float | None = None  # overrides the schema's range where the full range is unusable on a slider
    hi: float | None = None
    step: float | None = None


#: The dashboard's inputs: keyword of ``DashboardModel`` -> lever. The keyword is the config key
#: with "." replaced by "_"; the names and help are ``texts.lever(key)``/``texts.lever_help(key)``.
LEVERS: dict[str, Lever] = {lv.key.replace(".", "_"): lv for lv in (
    Lever("design.channel", "design"),
    Lever("design.selection", "design"),
    Lever("design.authority", "design"),
    Lever("design.inform_first", "design"),
    Lever("design.permanent", "design"),
    Lever("design.inform_intensity", "design"),
    Lever("design.complexity", "design"),
    Lever("design.facilitation", "design"),
    Lever("design.outreach", "design"),
    Lever("design.feedback", "design"),
    Lever("design.responsiveness", "design"),
    Lever("design.promise_inflation", "design"),
    Lever("design.reopen_probability", "design"),
    Lever("design.coproduction", "design"),
    Lever("design.panel_size", "design", lo=10, hi=200, step=5),
    Lever("citizens.fear_mean", "citizens"),
    Lever("citizens.trust_mean", "citizens"),
    Lever("citizens.efficacy_mean", "citizens"),
    Lever("citizens.general_interest_mean", "citizens"),
    Lever("administration.trust_in_citizens", "administration"),
    Lever("administration.fear_complexity", "administration"),
    Lever("administration.fear_failure", "administration"),
    Lever("administration.fear_self_interest", "administration"),
    Lever("administration.role_inspirator", "administration"),
    Lever("administration.role_continuity", "administration"),
    Lever("administration.role_guardian", "administration"),
    Lever("administration.role_realism", "administration"),
    Lever("council.trust_in_citizens", "council"),
    Lever("council.fear_self_interest", "council"),
    Lever("council.fear_losing_control", "council"),
    Lever("council.commitment", "council"),
)}
GROUPS = ("design", "citizens", "administration", "council")


@dataclass(frozen=True)
class Lesson:
    """A ready-made lesson of the training day: the preset it loads (its words are in sim/locales/,
    ``texts.lesson``)."""

    scenario: str
    design: str
    compare: str = ""  # the design shown side by side ("": none)
    scale: float = 1.0  # the share of residents simulated


#: The lessons of the training day's three cases, and tokenism.
LESSONS: dict[str, Lesson] = {
    "geel_roles": Lesson("geel", "ideas_platform"),
    "kampenhout_fears": Lesson("kampenhout", "spatial_codesign"),
    "antwerp_inform": Lesson("antwerp_district", "participatory_budget", scale=0.25),
    "tokenism": Lesson("geel", "tokenistic_consultation", compare="none"),
}
#: Run settings (not levers of the municipality): keyword -> config key.
RUN_SETTINGS = {"population_scale": "run.population_scale", "steps": "run.steps"}
#: Where a panel size is shown for a design without a panel (the citizens_panel preset's size).
PANEL_SIZE_SHOWN = 40

_FIELDS = dict(iter_params())


def _field_type(key: str) -> type:
    """The Python type of a config key (bool, int, float, str or an Enum)."""
    cls: Any = Config
    for part in key.split("."):
        cls = typing.get_type_hints(cls)[part]
    return cls


def _value(config: Config, key: str) -> Any:
    obj: Any = config
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _override(key: str, value: Any) -> str:
    """A Hydra override ``key=value`` for a slider's value."""
    if isinstance(value, enum.Enum):
        value = value.name
    elif isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, float):
        value = repr(round(value, 6))
    return f"{key}={value}"


class DashboardModel(CoproductionModel):
    """A ``CoproductionModel`` built from a preset and the dashboard's keyword arguments.

    ``DashboardModel(municipality="geel", design="ideas_platform", seed=0, design_feedback=0.9)``
    composes the presets with the override ``design.feedback=0.9`` (every keyword of ``LEVERS``
    and ``RUN_SETTINGS`` maps to one config key; ``None`` keeps the preset's value) and builds
    the model. The model stops (``running = False``) at the horizon ``run.steps``.
    """

    def __init__(self, municipality: str = DEFAULT_SCENARIO, design: str = DEFAULT_DESIGN, seed: int = 0,
                 **levers: Any) -> None:
        unknown = set(levers) - set(LEVERS) - set(RUN_SETTINGS)
        if unknown:
            raise TypeError(f"DashboardModel got unknown keyword(s) {sorted(unknown)}; "
                            f"known: {sorted(LEVERS) + sorted(RUN_SETTINGS)}")
        keys = {**{k: lv.key for k, lv in LEVERS.items()}, **RUN_SETTINGS}
        overrides = [_override(keys[k], v) for k, v in levers.items() if v is not None]
        super().__init__(sim.compose_config(municipality, design, int(seed), overrides))
        self.municipality = municipality
        self.design = design

    def step(self) -> None:
        """One month; stop at the horizon."""
        super().step()
        if self.month + 1 >= self.config.run.steps:
            self.running = False


# Show the exact keywords (instead of **levers) to tools that inspect the signature.
_P = inspect.Parameter
DashboardModel.__init__.__signature__ = inspect.Signature(
    [_P("self", _P.POSITIONAL_OR_KEYWORD),
     *[_P(name, _P.POSITIONAL_OR_KEYWORD, default=default)
       for name, default in (("municipality", DEFAULT_SCENARIO), ("design", DEFAULT_DESIGN), ("seed", 0))],
     *[_P(name, _P.KEYWORD_ONLY, default=None) for name in (*RUN_SETTINGS, *LEVERS)]])


# --------------------------------------------------------------------------- inputs

@functools.lru_cache(maxsize=64)
def preset(municipality: str, design: str) -> Config:
    """The preset's config (seed 0), composed once: composing costs about half a second."""
    return sim.compose_config(municipality, design)


def model_params(municipality: str, design: str, population_scale: float = 1.0) -> dict[str, Any]:
    """The inputs of one preset: keyword -> fixed value or an input spec at the preset's value.

    A spec is a dict with ``type`` (SliderFloat, SliderInt, Select, Checkbox), ``value`` (the
    preset's value, exactly: float sliders have step ``FLOAT_STEP`` and every preset value is
    on that grid), ``key`` (the config key) and the range or choices.
    """
    base = preset(municipality, design)
    params: dict[str, Any] = {
        "municipality": municipality,
        "design": design,
        "seed": {"type": "SliderInt", "key": "seed", "value": 0, "min": 0, "max": 99, "step": 1},
        "population_scale": {"type": "SliderFloat", "key": "run.population_scale", "value": population_scale,
                             "min": 0.05, "max": 1.0, "step": 0.05},
        "steps": {"type": "SliderInt", "key": "run.steps", "value": base.run.steps, "min": 12, "max": 144,
                  "step": 12},
    }
    for name, lever in LEVERS.items():
        ftype = _field_type(lever.key)
        value = _value(base, lever.key)
        meta = _FIELDS[lever.key].metadata
        lo = lever.lo if lever.lo is not None else meta.get("lo")
        hi = lever.hi if lever.hi is not None else meta.get("hi")
        spec: dict[str, Any] = {"key": lever.key, "group": lever.group}
        if isinstance(ftype, type) and issubclass(ftype, enum.Enum):
            spec |= {"type": "Select", "value": value.name, "values": [m.name for m in ftype]}
        elif ftype is bool:
            spec |= {"type": "Checkbox", "value": bool(value)}
        elif ftype is int:
            shown = PANEL_SIZE_SHOWN if (lever.key == "design.panel_size" and value == 0) else value
            spec |= {"type": "SliderInt", "value": min(max(int(shown), int(lo)), int(hi)), "min": int(lo),
                     "max": int(hi), "step": int(lever.step or 1)}
        else:
            spec |= {"type": "SliderFloat", "value": float(value), "min": float(lo), "max": float(hi),
                     "step": lever.step or FLOAT_STEP}
        params[name] = spec
    return params


def initial_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``DashboardModel`` at the inputs' values (before any slider moved)."""
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}


def _same(a: Any, b: Any, step: float | None) -> bool:
    """Whether an input's value ``a`` equals ``b`` (floats within half a slider step)."""
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) < (step or FLOAT_STEP) / 2
    return a == b


def model_kwargs(params: dict[str, Any], values: dict[str, Any], design: str | None = None) -> dict[str, Any]:
    """The keywords of ``DashboardModel`` for the inputs' current ``values``.

    A lever at its preset value is passed as ``None`` (the preset's value, exactly, whatever
    float noise a slider adds); a moved one as its value. ``design`` builds the same
    municipality under another design (the side-by-side run): the residents, the administration
    and the council keep the moved values; the design's levers are that design's preset.
    """
    kw: dict[str, Any] = {"municipality": params["municipality"], "design": design or params["design"]}
    for name, spec in params.items():
        if not isinstance(spec, dict):
            continue
        value = values.get(name, spec["value"])
        if name in ("seed", "population_scale", "steps"):
            kw[name] = value
        elif design is not None and spec.get("group") == "design":
            kw[name] = None
        elif _same(value, spec["value"], spec.get("step")):
            kw[name] = None
        else:
            kw[name] = round(value, 6) if isinstance(value, float) else value
    return kw


def changes(params: dict[str, Any], values: dict[str, Any], against: dict[str, Any]) -> list[str]:
    """The keywords whose value in ``values`` differs from ``against`` (defaults: the preset)."""
    out = []
    for name, spec in params.items():
        if isinstance(spec, dict):
            a = values.get(name, spec["value"])
            b = against.get(name, spec["value"])
            if not _same(a, b, spec.get("step")):
                out.append(name)
    return out


def input_name(name: str, lang: str) -> str:
    """The words for an input (a lever or a run setting) in ``lang``."""
    spec_key = LEVERS[name].key if name in LEVERS else {"seed": "seed", **RUN_SETTINGS}[name]
    return texts.lever(spec_key, lang)


def show_value(key: str, value: Any, lang: str) -> str:
    """An input's value as the page shows it (choices in words, floats with two decimals as ``lang`` writes them)."""
    if isinstance(value, enum.Enum):
        value = value.name
    if isinstance(value, bool):
        return texts.dash("yes" if value else "no", lang)
    if isinstance(value, str):
        try:
            return texts.choice(key, value, lang)
        except KeyError:
            return value
    if isinstance(value, float):
        return texts.number(value, lang, 2)
    return str(value)


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
    """Trust of everyone and of model's participants, in both runs (the matched comparison)."""
    if twin is None:
        return
    ever = model.population.ever_participated
    row = {"step": model.month + 1, "all_a": float(model.population.trust.mean()),
           "all_b": float(twin.population.trust.mean()),
           "part_a": float(model.population.trust[ever].mean()) if ever.any() else np.nan,
           "part_b": float(twin.population.trust[ever].mean()) if ever.any() else np.nan}
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


# --------------------------------------------------------------------------- views

_TS_CACHE: dict[int, tuple[int, pd.DataFrame]] = {}


def _timeseries(model: DashboardModel) -> pd.DataFrame:
    """The model's time series so far, built once per month (several views read it)."""
    hit = _TS_CACHE.get(id(model))
    if hit is None or hit[0] != model.month:
        if len(_TS_CACHE) > 8:
            _TS_CACHE.clear()
        _TS_CACHE[id(model)] = (model.month, timeseries(model))
    return _TS_CACHE[id(model)][1]


def _title_line(model: DashboardModel, lang: str) -> str:
    c = model.config
    return plots.context(None, lang, scenario=c.scenario.name, design=c.design.name, seed=c.seed)


def _png(make: typing.Callable[[], plt.Figure], big: bool, scale: tuple[float, float] = FONT_SCALE_OTHER) -> bytes:
    """The figure ``make()`` draws (a function of sim.plots) as PNG, its text scaled by ``scale``
    (on a screen, in projector mode); cut to what it draws, so that no larger text is cut off."""
    import io

    import seaborn as sns

    with sns.plotting_context("notebook", font_scale=scale[big]):
        fig = make()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI_BIG if big else DPI, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _image(png: bytes) -> None:
    # as wide as its column, never taller than the screen below the app bar and the tabs
    rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto", "object_fit": "contain",
                                              "max_height": "calc(100vh - 190px)"})


class PageShown(ipyvue.VueTemplate):
    """An invisible widget that reports which redraw the browser has shown (``shown``).

    ``drawn`` is the redraw (tick) the server has just sent. The page sets ``shown`` to it once
    the widget's own update has arrived (it is the last widget of the tab, so the charts' new
    images arrived before it), the images on the page are decoded and a frame has been drawn.
    The play loop waits for it (``wait_until_shown``).
    """

    template = traitlets.Unicode("""
<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() { this.report(); },
  watch: { drawn() { this.report(); } },
  methods: {
    report() {
      const drawn = this.drawn;
      this.$nextTick(() => {
        const images = Array.from(document.querySelectorAll('img.widget-image'));
        Promise.all(images.map(i => i.decode().catch(() => null))).then(() =>
          requestAnimationFrame(() => { if (drawn > this.shown) this.shown = drawn; }));
      });
    }
  }
}
</script>
""").tag(sync=True)
    drawn = traitlets.Int(0).tag(sync=True)
    shown = traitlets.Int(-1).tag(sync=True)


def _shown(value: int) -> None:
    if value > shown_state.value:
        shown_state.set(value)


def _not_started(lang: str) -> None:
    solara.Info(texts.dash("not_started", lang))


@solara.component
def LiveView(kind: str, model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """One live chart (``plots.LiveChart``): built once per run, language and mode, updated each month."""
    chart = solara.use_memo(
        lambda: plots.LiveChart(kind, lang=lang, steps=model.config.run.steps, big=big,
                                title_line=_title_line(model, lang),
                                election_month=model.config.scenario.next_election_month,
                                dpi=DPI_BIG if big else DPI),
        [model, kind, lang, big])
    png = solara.use_memo(lambda: chart.update(_timeseries(model)) if model.month >= 0 else None,
                          [chart, model.month])
    if png is None:
        _not_started(lang)
    else:
        _image(png)


def _slow_key(model: DashboardModel) -> int:
    """When a slow figure is redrawn: every month when paused, every SLOW_EVERY months while playing."""
    return model.month // SLOW_EVERY if playing.value and model.running else model.month


@solara.component
def CompositionView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Who takes part against the population, by education (low, middle, high), age, neighbourhood."""
    c = model.config
    png = solara.use_memo(lambda: _png(lambda: plots.composition(
        groups(model), _timeseries(model), lang=lang, scenario=c.scenario.name, design=c.design.name, seed=c.seed,
        ncols=4), big, FONT_SCALE_COMPOSITION) if model.month >= 0 else None, [model, lang, big, _slow_key(model)])
    if png is None:
        _not_started(lang)
    else:
        _image(png)


@solara.component
def NetworkView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """A sample of the residents' network, coloured by trust, participants marked; and the neighbourhoods."""
    sample = solara.use_memo(lambda: plots.network_sample(model, NETWORK_SAMPLE), [model])
    key = _slow_key(model)
    net = solara.use_memo(lambda: _png(lambda: plots.network(model, *sample, lang=lang), big),
                          [model, lang, big, key])
    hoods = solara.use_memo(lambda: _png(lambda: plots.neighbourhoods(plots.neighbourhood_frame(model), lang=lang),
                                         big), [model, lang, big, key])
    with solara.Columns([1, 1]):
        _image(net)
        _image(hoods)


def _html(html: str, size: int) -> None:
    # plain HTML, not solara.Markdown: Markdown loads mermaid and KaTeX from the CDN, which an
    # offline dashboard does not have
    solara.HTML(tag="div", unsafe_innerHTML=html, style={"font-size": f"{size}px", "line-height": "1.5"})


def round_turnout_now(model: DashboardModel) -> tuple[str, int, float]:
    """Where turnout stands: ("running", participants, % of residents) while a round is open;
    ("last", ...) of the last round with participants while none is open (turnout belongs to a
    round: between rounds it is not zero); ("none", 0, nan) before any round had participants;
    ("inactive", 0, nan) for a design without participation."""
    if not model.config.design.active:
        return "inactive", 0, float("nan")
    if model.month >= 0:
        r = model.report()
        if str(r["phase"]) in ("participate", "decide"):
            return "running", int(r["participants"]), 100 * float(r["turnout"])
        ts = _timeseries(model)
        had = ts[(ts["cycle"] > 0) & (ts["participants"] > 0)]
        if len(had):
            last = had[had["cycle"] == had["cycle"].iloc[-1]]
            row = last.loc[last["participants"].idxmax()]
            return "last", int(row["participants"]), 100 * float(row["turnout"])
    return "none", 0, float("nan")


def status_lines(model: DashboardModel, lang: str) -> tuple[str, list[str]]:
    """The status view's head and lines: the run, the month, turnout, trust, legitimacy, quality."""
    cfg = model.config
    t = texts.dash

    def num(x: float, decimals: int = 0) -> str:
        return texts.number(x, lang, decimals)

    staff = len(model.administration)
    head = t("head", lang, scenario=texts.name_or_key("scenario", cfg.scenario.name, lang),
             design=texts.name_or_key("design", cfg.design.name, lang), residents=num(model.population.size),
             population=num(cfg.scenario.population),
             staff=t("staff_one", lang) if staff == 1 else t("staff_many", lang, n=num(staff)),
             seats=num(len(model.council)))
    if not cfg.design.active:
        head += " " + t("no_effect", lang)
    base = preset(model.municipality, model.design)
    changed = [f"{texts.lever(lv.key, lang)} {show_value(lv.key, _value(base, lv.key), lang)} → "
               f"{show_value(lv.key, _value(cfg, lv.key), lang)}"
               for lv in LEVERS.values() if _value(base, lv.key) != _value(cfg, lv.key)
               and (lv.key != "design.panel_size" or cfg.design.selection is Selection.lot)]
    if cfg.seed != 0:
        changed.append(f"{texts.lever('seed', lang)} {cfg.seed}")
    if cfg.run.steps != base.run.steps:
        changed.append(f"{texts.lever('run.steps', lang)} {cfg.run.steps}")
    if cfg.run.population_scale != 1:
        changed.append(f"{texts.lever('run.population_scale', lang)} {num(cfg.run.population_scale, 2)}")
    head += (f" <i>{t('changed_from_preset', lang)}:</i> " + "; ".join(changed) + ".") if changed else \
        " " + t("preset_values", lang)
    if model.month < 0:
        return head, [t("not_started", lang)]
    r = model.report()
    phase = texts.name("phase", str(r["phase"]), lang)
    if r["cycle"] and str(r["phase"]) not in ("idle", "paused"):  # a round is under way
        phase += ", " + t("round", lang, n=r["cycle"])
    state, n, pct = round_turnout_now(model)
    ever = num(100 * model.population.ever_participated.mean(), 1)
    turnout = {"running": lambda: t("taking_part", lang, n=num(n), pct=num(pct, 1), ever=ever),
               "last": lambda: t("between_rounds", lang, n=num(n), pct=num(pct, 1)),
               "none": lambda: t("no_round_yet", lang),
               "inactive": lambda: ""}[state]()  # the head says that this design runs no participation
    lines = [
        t("month_line", lang, month=model.month + 1, steps=cfg.run.steps, phase=phase),
        turnout,
        t("status_trust", lang, trust=num(r["trust_citizens"], 2), efficacy=num(r["efficacy_citizens"], 2),
          fear=num(r["fear_citizens"], 2)),
        t("status_legitimacy", lang, all=num(r["legitimacy"], 2), input=num(r["legitimacy_input"], 2),
          throughput=num(r["legitimacy_throughput"], 2), output=num(r["legitimacy_output"], 2)),
        t("status_quality", lang, quality=num(r["service_quality"], 2), equity=num(r["service_quality_equity"], 2)),
        t("status_proposals", lang, submitted=num(r["proposals_submitted"]), adopted=num(r["proposals_adopted"]),
          implemented=num(r["proposals_implemented"]), reopened=num(r["decisions_reopened"])),
    ]
    return head, [line for line in lines if line]


@solara.component
def StatusView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Where the municipality stands this month, in numbers and words."""
    head, lines = status_lines(model, lang)
    items = "".join(f"<li>{line}</li>" for line in lines)
    _html(f"<p class='dash-status'>{head}</p><ul>{items}</ul>", 19 if big else 15)


def moved_html(model: DashboardModel, lang: str, months: int = MOVED_MONTHS) -> str:
    """What moved residents' mean trust in the last ``months`` months, as labelled bars (HTML)."""
    moves = plots.trust_moves(model.signals.history, model.month, months)
    moves = {k: v for k, v in moves.items() if abs(v) >= 5e-6}
    title = f"<b>{texts.dash('moved_title', lang, n=months)}</b>"
    if not moves:
        return f"<p>{title}<br>{texts.dash('moved_none', lang)}</p>"
    scale = max(abs(v) for v in moves.values())
    rows = []
    for kind, v in moves.items():
        width = max(2, round(120 * abs(v) / scale))
        color = "#1a9850" if v > 0 else "#d73027"
        bar = f"<span style='display:inline-block;width:{width}px;height:0.8em;background:{color}'></span>"
        rows.append(f"<tr><td>{texts.signal(kind, lang)}</td><td style='text-align:right;padding:0 8px'>"
                    f"{texts.number(v, lang, 4, signed=True)}</td><td>{bar}</td></tr>")
    total = texts.dash("moved_total", lang, total=texts.number(sum(moves.values()), lang, 4, signed=True))
    return f"<p>{title}</p><table>{''.join(rows)}</table><p>{total}</p>"


@solara.component
def MovedView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """What moved trust in the last months (SignalBoard.history): heard, ignored, delivery, lateness, ..."""
    if model.month < 0:
        return
    _html(moved_html(model, lang), 18 if big else 14)


#: The outcomes shown side by side in the comparison tab (columns of the model's report).
COMPARED = ("turnout", "trust_citizens", "trust_participants", "efficacy_citizens", "legitimacy",
            "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "service_quality",
            "service_quality_equity", "proposals_adopted", "decisions_reopened")


def same_residents(a: CoproductionModel, b: CoproductionModel) -> bool:
    """Whether two runs drew the same residents (who they are and how much they trusted at the start)."""
    pa, pb = a.population, b.population
    return pa.size == pb.size and all(np.array_equal(getattr(pa, k), getattr(pb, k))
                                      for k in ("neighbourhood", "age", "education", "trust_initial",
                                                "efficacy_initial"))


def matched(model: CoproductionModel, twin: CoproductionModel) -> dict[str, float] | None:
    """The matched comparison: the residents who took part under ``model``, in both runs.

    Returns their number, their trust and efficacy now under each design and at the start, and
    the trust of all residents under ``model`` (the misleading comparison); None before anyone
    took part.
    """
    ever = model.population.ever_participated
    if not ever.any():
        return None
    pa, pb = model.population, twin.population
    return {"n": int(ever.sum()), "trust_a": float(pa.trust[ever].mean()), "trust_b": float(pb.trust[ever].mean()),
            "efficacy_a": float(pa.efficacy[ever].mean()), "efficacy_b": float(pb.efficacy[ever].mean()),
            "start": float(pa.trust_initial[ever].mean()), "all_a": float(pa.trust.mean())}


def _turnout_cell(state: str, pct: float, lang: str) -> str:
    """A design's turnout in the comparison table: this round's, the last round's, or why there is none."""
    if state == "running":
        return texts.number(pct, lang, 1)
    if state == "last":
        return texts.dash("cell_last_round", lang, value=texts.number(pct, lang, 1))
    return texts.dash("cell_no_round" if state == "none" else "cell_no_participation", lang)


def compare_html(model: DashboardModel, twin: DashboardModel, lang: str) -> str:
    """The comparison tab's text: same residents?, the outcomes side by side, the matched comparison."""
    t = texts.dash
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    parts = [f"<p>{t('compare_intro', lang)} "
             f"{t('compare_same', lang, same=t('yes' if same_residents(model, twin) else 'no', lang))}</p>"]
    if model.month >= 0:
        ra, rb = model.report(), twin.report()
        rows = []
        for col in COMPARED:
            if col == "turnout":  # a round's: between rounds the last round's, never a zero difference
                (sa, _, a), (sb, _, b) = round_turnout_now(model), round_turnout_now(twin)
                cells = (_turnout_cell(sa, a, lang), _turnout_cell(sb, b, lang),
                         texts.number(a - b, lang, 1, signed=True) if sa == sb and sa in ("running", "last")
                         else "\u2013")
            else:
                a, b = float(ra[col]), float(rb[col])
                decimals = 3 if isinstance(ra[col], float) else 0
                cells = (texts.number(a, lang, decimals), texts.number(b, lang, decimals),
                         texts.number(a - b, lang, decimals, signed=True))
            rows.append(f"<tr><td title='{texts.explain(col, lang)}'>{texts.label(col, lang)}</td>"
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("<table class='dash-compare' style='border-spacing:10px 2px'>"
                     f"<tr><th>{t('table_measure', lang)}</th><th>{da}</th><th>{db}</th>"
                     f"<th>{t('table_difference', lang)}</th></tr>{''.join(rows)}</table>")
        m = matched(model, twin)
        parts.append(f"<p><b>{t('matched_title', lang)}</b></p>")
        if m is None:
            parts.append(f"<p>{t('matched_none', lang, design=da)}</p>")
        else:
            diff = m["trust_a"] - m["trust_b"]
            word = t("equal" if abs(diff) < 5e-4 else "lower" if diff < 0 else "higher", lang)

            def num(x: float, signed: bool = False) -> str:
                return texts.number(x, lang, 3, signed=signed)

            naive = t("matched_naive", lang, part=num(m["trust_a"]), all=num(m["all_a"]), design=da,
                      start=num(m["start"]))
            parts.append(f"<p>{naive}</p>")
            parts.append("<p><b>" + t("matched_fair", lang, n=texts.number(m["n"], lang), a=num(m["trust_a"]),
                                       design_a=da, b=num(m["trust_b"]), design_b=db, diff=num(diff, True),
                                       word=word, ea=num(m["efficacy_a"]), eb=num(m["efficacy_b"])) + "</b></p>")
    return "".join(parts)


@solara.component
def CompareView(model: DashboardModel, twin: DashboardModel | None, lang: str, big: bool, drawn: int = 0) -> None:
    """Two designs side by side on the same residents, with the matched comparison of the participants."""
    if twin is None:
        solara.Info(texts.dash("compare_pick", lang))
        return
    with solara.Columns([1, 1]):  # the numbers beside the chart of the matched comparison
        _html(compare_html(model, twin, lang), 18 if big else 14)
        if matched_state.value:
            MatchedChart(model, twin, lang, big, drawn)


@solara.component
def MatchedChart(model: DashboardModel, twin: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Trust of everyone and of the first design's participants, month by month, under both designs."""
    rows = matched_state.value
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    labels = {"all_a": f"{texts.name('who', 'population', lang)}: {da}",
              "all_b": f"{texts.name('who', 'population', lang)}: {db}",
              "part_a": f"{texts.name('who', 'participants', lang)} ({da}): {da}",
              "part_b": f"{texts.name('who', 'participants', lang)} ({da}): {db}"}
    chart = solara.use_memo(
        lambda: plots.LiveChart("matched", lang=lang, steps=model.config.run.steps, big=big,
                                title_line=_title_line(model, lang) + f" / {db}",
                                election_month=model.config.scenario.next_election_month,
                                dpi=DPI_BIG if big else DPI, labels=labels),
        [model, twin, lang, big])
    png = solara.use_memo(lambda: chart.update(_timeseries(model).merge(pd.DataFrame(rows), on="step", how="left")),
                          [chart, model.month])
    _image(png)


#: The outputs the help explains (columns of the model's time series: texts.label and texts.explain).
HELP_OUTPUTS = ("participants", "turnout", "trust_citizens", "trust_participants", "efficacy_citizens",
                "fear_citizens", "legitimacy", "legitimacy_input", "legitimacy_throughput", "legitimacy_output",
                "service_quality", "service_quality_equity", "proposals_submitted", "proposals_adopted",
                "proposals_implemented", "decisions_reopened", "trust_administration",
                "fear_complexity_administration", "fear_failure_administration", "fear_self_interest_administration",
                "fear_self_interest_council", "representativeness")
#: The help's explanations of the views that are not a single output (keys of texts.dash).
HELP_VIEWS = ("help_view_status", "help_view_moved", "help_view_who", "help_view_network", "help_view_hoods",
              "help_view_compare")


def help_html(lang: str) -> str:
    """The help tab: every output (what it measures, what high or low means), the markers, every slider."""
    out = "".join(f"<li><b>{texts.label(c, lang)}</b>: {texts.explain(c, lang)}</li>" for c in HELP_OUTPUTS)
    sliders = "".join(f"<li><b>{texts.lever(k, lang)}</b>: {texts.lever_help(k, lang)}</li>"
                      for k in (*(lv.key for lv in LEVERS.values()), "seed", *RUN_SETTINGS.values()))
    views = "".join(f"<li>{texts.dash(k, lang)}</li>" for k in HELP_VIEWS)
    return (f"<h3>{texts.dash('help_outputs', lang)}</h3><p>{texts.dash('help_markers', lang)}</p><ul>{out}</ul>"
            f"<h3>{texts.dash('help_views', lang)}</h3><ul>{views}</ul>"
            f"<p>{texts.dash('help_controls', lang)}</p>"
            f"<h3>{texts.dash('help_levers', lang)}</h3><ul>{sliders}</ul>")


def lesson_html(key: str, lang: str) -> str:
    """A lesson's title and guidance lines."""
    lesson = texts.lesson(key, lang)
    return f"<h3>{lesson['title']}</h3>" + "".join(f"<p>{line}</p>" for line in lesson["lines"])


@solara.component
def LessonView(lang: str, big: bool) -> None:
    """The chosen lesson's guidance, and a button per lesson that loads its preset."""
    if lesson_choice.value:
        _html(lesson_html(lesson_choice.value, lang), 19 if big else 15)
    for key in LESSONS:
        solara.Button(f"{texts.dash('load_lesson', lang)}: {texts.lesson(key, lang)['title']}",
                      on_click=lambda key=key: load_lesson(key), text=True, color="primary")


#: The tabs in order (keys of texts.dash); only the open one is drawn.
TAB_KEYS = ("tab_overview", "tab_legitimacy", "tab_who", "tab_fears", "tab_network", "tab_compare",
            "tab_lesson", "tab_help")


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
        label = f"{words}: {show_value(spec['key'], value, lang)}"
        slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
        slider(label=label, value=value, min=spec["min"], max=spec["max"], step=spec["step"],
               on_value=lambda v: _set_value(name, v), disabled=disabled)
    solara.HTML(tag="div", unsafe_innerHTML=helptext,
                style={"font-size": "11px", "color": "#666", "margin": "-6px 0 8px 0"})


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
            lambda d: (compare_choice.set(d or ""), restart()))
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
    solara.SliderInt(label=f"{t('draw_every', lang)}: {draw_every.value}", value=draw_every, min=1, max=12)
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
       ".v-slider__thumb-label {font-size: 11px;}"


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
        with solara.v.Tabs(v_model=tab_state.value, on_v_model=tab_state.set, show_arrows=True):
            for key in TAB_KEYS:
                solara.v.Tab(children=[texts.dash(key, lang)])
        TabContent(tab_state.value, model, twin, lang, big)
