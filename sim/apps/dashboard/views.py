"""The dashboard's views: the live charts, who takes part, the network and neighbourhoods, the
month's numbers, what moved the share who trust the municipality, the lesson and the help; and
``PageShown``, which reports which redraw the browser has shown.
"""

from __future__ import annotations

import io
import typing

import ipyvue
import matplotlib.pyplot as plt
import pandas as pd
import reacton.ipywidgets as rw
import seaborn as sns
import solara
import solara.lab
import solara.server.settings
import traitlets

from sim import plots, texts
from sim.apps.classroom import texts as classroom_texts
from sim.apps.dashboard.levers import LESSONS, LEVERS, RUN_SETTINGS, DashboardModel, _value, preset, show_value
from sim.apps.dashboard.live_chart import LiveChart, trust_moves
from sim.apps.dashboard.state import events_state, history_state, lesson_choice, load_lesson, playing, shown_state
from sim.config.schema import Selection
from sim.results import groups, timeseries

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
#: "Why trust moved": a full bar is this many percentage points, in every run and month (a fixed scale: a
#: hundredth of a point draws as a sliver, never as a full bar).
MOVED_FULL_SCALE_PT = 2.0
MOVED_BAR_PX = 160
#: Moves smaller than this (percentage points) are summed in one line.
MOVED_MIN_PT = 0.05
#: Months with events the event line shows.
EVENT_MONTHS = 4
#: Lines of the event line on a projector (app.py's CSS clamps it: a decision month's counts made it three lines,
#: which pushed the charts' legends off a 1280x720 screen).
EVENT_LINES_BIG = 2
#: While playing, the slow figures (who takes part, network, neighbourhoods) are redrawn once
#: every this many months (every month when paused).
SLOW_EVERY = 6


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
    """Municipality and design (no seed: a trainer's page names no code words)."""
    c = model.config
    return plots.context(None, lang, scenario=c.scenario.name, design=c.design.name)


def _png(make: typing.Callable[[], plt.Figure], big: bool, scale: tuple[float, float] = FONT_SCALE_OTHER) -> bytes:
    """The figure ``make()`` draws (a function of sim.plots) as PNG, its text scaled by ``scale``
    (on a screen, in projector mode); cut to what it draws, so that no larger text is cut off."""
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
    """One live chart (``live_chart.LiveChart``): built once per run, language and mode, updated each month."""
    ghosts = tuple(r.series for r in history_state.value if r.municipality == model.municipality)
    chart = solara.use_memo(
        lambda: LiveChart(kind, lang=lang, steps=model.config.run.steps, big=big,
                                title_line=_title_line(model, lang),
                                election_month=model.config.scenario.next_election_month,
                                dpi=DPI_BIG if big else DPI, ghosts=ghosts),
        [model, kind, lang, big, len(ghosts)])
    png = solara.use_memo(lambda: chart.update(_timeseries(model)) if model.month >= 0 else None,
                          [chart, model.month])
    if png is None:
        _not_started(lang)
    else:
        _image(png)


def _slow_key(model: DashboardModel) -> int:
    """When a slow figure is redrawn: every month when paused, every SLOW_EVERY months while playing."""
    return model.month // SLOW_EVERY if playing.value and model.running else model.month


def composition_figure(model: DashboardModel, lang: str) -> plt.Figure:
    """Who takes part against the population, in panels of four a row (draw it in the plotting context of
    ``FONT_SCALE_COMPOSITION``, as ``CompositionView`` does)."""
    c = model.config
    return plots.composition(groups(model), _timeseries(model), lang=lang, scenario=c.scenario.name,
                             design=c.design.name, ncols=4)


@solara.component
def CompositionView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Who takes part against the population, by education (low, middle, high), age, neighbourhood."""
    png = solara.use_memo(lambda: _png(lambda: composition_figure(model, lang), big, FONT_SCALE_COMPOSITION)
                          if model.month >= 0 else None, [model, lang, big, _slow_key(model)])
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

    def pct_of(share: float) -> str:  # a share of residents, in percent
        return num(100 * float(share), 1)

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
    state, n, pct = round_turnout_now(model)
    ever = num(100 * model.population.ever_participated.mean(), 1)
    turnout = {"running": lambda: t("taking_part", lang, n=num(n), pct=num(pct, 1), ever=ever),
               "last": lambda: t("between_rounds", lang, n=num(n), pct=num(pct, 1)),
               "none": lambda: t("no_round_yet", lang),
               "inactive": lambda: ""}[state]()  # the head says that this design runs no participation
    lines = [
        month_line(model, lang),
        turnout,
        t("status_trust", lang, trust=pct_of(r["trust_citizens"]), efficacy=pct_of(r["efficacy_citizens"]),
          fear=num(r["fear_citizens"], 2)),
        t("status_legitimacy", lang, all=pct_of(r["legitimacy"]), input=pct_of(r["legitimacy_input"]),
          throughput=pct_of(r["legitimacy_throughput"]), output=pct_of(r["legitimacy_output"])),
        t("status_quality", lang, quality=num(r["service_quality"], 2), equity=num(r["service_quality_equity"], 2)),
        t("status_proposals", lang, submitted=num(r["proposals_submitted"]), adopted=num(r["proposals_adopted"]),
          implemented=num(r["proposals_implemented"]), reopened=num(r["decisions_reopened"])),
    ]
    return head, [line for line in lines if line]


def month_line(model: DashboardModel, lang: str) -> str:
    """The month and the phase of the round, in one line (the projector's first line)."""
    if model.month < 0:
        return texts.dash("not_started", lang)
    r = model.report()
    phase = texts.name("phase", str(r["phase"]), lang)
    if r["cycle"] and str(r["phase"]) not in ("idle", "paused"):
        phase += ", " + texts.dash("round", lang, n=r["cycle"])
    return texts.dash("month_line", lang, month=model.month + 1, steps=model.config.run.steps, phase=phase)


@solara.component
def StatusView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Where the municipality stands this month, in numbers and words."""
    head, lines = status_lines(model, lang)
    items = "".join(f"<li>{line}</li>" for line in lines)
    _html(f"<p class='dash-status'>{head}</p><ul>{items}</ul>", 19 if big else 15)


def round_start(model: DashboardModel) -> tuple[int, int] | None:
    """(round number, its first month counted from 0) of the round under way or the last one; None before any."""
    ts = _timeseries(model)
    rounds = ts[ts["cycle"] > 0]
    if rounds.empty:
        return None
    last = int(rounds["cycle"].iloc[-1])
    return last, int(rounds.loc[rounds["cycle"] == last, "step"].iloc[0]) - 1


def _moved_block(title: str, moves: dict[str, float], lang: str) -> str:
    """One block of "why trust moved": a sentence, then a bar per kind of event on the fixed scale."""
    total = sum(moves.values())
    shown = {k: v for k, v in moves.items() if abs(v) >= MOVED_MIN_PT}
    small = total - sum(shown.values())
    if not shown:
        return f"<p><b>{title}</b><br>{texts.dash('moved_none', lang)}</p>"
    top = max(shown, key=lambda k: abs(shown[k]))
    sentence = texts.dash("moved_sentence", lang, total=_pt(total, lang), top=texts.signal(top, lang),
                          value=_pt(shown[top], lang))
    rows = []
    for kind, v in shown.items():
        width = min(MOVED_BAR_PX, max(2, round(MOVED_BAR_PX * abs(v) / MOVED_FULL_SCALE_PT)))
        color = "#1a9850" if v > 0 else "#d73027"
        beyond = "▸" if abs(v) > MOVED_FULL_SCALE_PT else ""  # longer than the scale: the bar is cut
        bar = (f"<span style='display:inline-block;width:{width}px;height:0.8em;background:{color}'></span>"
               f"{beyond}")
        rows.append(f"<tr><td>{texts.signal(kind, lang)}</td><td style='text-align:right;padding:0 8px'>"
                    f"{_pt(v, lang)}</td><td style='width:{MOVED_BAR_PX + 16}px'>{bar}</td></tr>")
    if abs(small) >= MOVED_MIN_PT / 2:
        rows.append(f"<tr><td><i>{texts.dash('moved_small', lang)}</i></td>"
                    f"<td style='text-align:right;padding:0 8px'>{_pt(small, lang)}</td><td></td></tr>")
    return f"<p><b>{title}</b><br>{sentence}</p><table>{''.join(rows)}</table>"


def _pt(value: float, lang: str) -> str:
    """A change in percentage points, one decimal (a tenth of a point is what a survey could tell)."""
    return texts.dash("points", lang, value=texts.number(round(value, 1) or 0.0, lang, 1, signed=True))


def moved_html(model: DashboardModel, lang: str) -> str:
    """Why the share of residents who trust the municipality moved, since the start and in the round under way
    (or the last), in percentage points: in words, and in bars on a fixed scale (``MOVED_FULL_SCALE_PT``), so
    that a bar's length means the same in every run and every month."""
    history, month = model.signals.history, model.month

    def moves(months: int) -> dict[str, float]:
        return {k: 100 * v for k, v in trust_moves(history, month, months).items()}

    blocks = [_moved_block(texts.dash("moved_since_start", lang, month=month + 1), moves(month + 1), lang)]
    current = round_start(model)
    if current is not None and current[1] <= month:
        n, start = current
        blocks.append(_moved_block(texts.dash("moved_round", lang, n=n, start=start + 1), moves(month - start + 1),
                                   lang))
    scale = texts.dash("moved_scale", lang, pt=texts.number(MOVED_FULL_SCALE_PT, lang, 0))
    return (f"<h4>{texts.dash('moved_heading', lang)}</h4><div style='display:flex;gap:32px;flex-wrap:wrap'>"
            + "".join(f"<div>{b}</div>" for b in blocks) + f"</div><p class='dash-why'>{scale}</p>")


@solara.component
def MovedView(model: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Why the share who trust the municipality moved (SignalBoard.history), since the start and this round:
    local news, heard, ignored, delivery, lateness, ..."""
    if model.month < 0:
        return
    _html(moved_html(model, lang), 18 if big else 15)


def events_html(events: list[tuple[int, str, int]], lang: str, months: int = EVENT_MONTHS) -> str:
    """The event line: what happened in the last ``months`` months with events, newest first."""
    by_month: dict[int, list[str]] = {}
    for month, kind, n in events:
        by_month.setdefault(month, []).append(classroom_texts.t(f"engine.events.{kind}", lang, n=n))
    label = f"<b>{texts.dash('events_label', lang)}</b> "
    if not by_month:
        return label + texts.dash("events_none", lang)
    recent = sorted(by_month)[-months:][::-1]
    return label + " · ".join(f"<span class='dash-event'><b>{texts.dash('month_short', lang, month=m)}</b> "
                              f"{' '.join(by_month[m])}</span>" for m in recent)


@solara.component
def EventsView(lang: str, big: bool, drawn: int = 0) -> None:
    """The monthly event line: a round opens, proposals submitted, screened, adopted, delivered, late, reopened,
    the election. On a projector at most ``EVENT_LINES_BIG`` lines (the newest months; the older ones are cut), so
    that the charts below it keep their place on the screen."""
    html = events_html(events_state.value, lang)
    if big:
        html = f"<div class='dash-events-big'>{html}</div>"
    _html(html, 18 if big else 15)


#: The outputs the help explains (columns of the model's time series: texts.label and texts.explain).
HELP_OUTPUTS = ("participants", "turnout", "trust_citizens", "trust_participants", "trust_nonparticipants",
                "efficacy_citizens",
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
