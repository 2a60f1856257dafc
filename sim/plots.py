"""The standard figures, shared by the CLI outputs, notebooks and the dashboard.

Every function takes tidy tables (one or many runs; with several runs the figures draw the
mean and its 95 % t-interval over replicates, the interval of the sweeps' summary tables) and
returns a matplotlib Figure; ``save`` writes PNG and SVG.

What every figure shares, so that a class or a reader learns it once:

- words from ``sim.texts`` in English or Dutch (``lang="en"|"nl"``), never code names;
- a title line naming scenario, design and seed, or the number of replicates (``context``),
  from the tables' ``scenario``/``design``/``seed`` columns or the ``scenario=``, ``design=``,
  ``seed=`` keywords;
- each quantity on its own axis (efficacy and the equity of quality on right-hand axes);
- on time axes, the participate months shaded, decisions and the election marked
  (``mark_phases``; the election from ``election_month=`` or the scenario preset);
- legends under or beside the axes, never over the data (``legend_below``, ``legend_right``);
- one fixed colour per design (``DESIGN_COLORS``, ``palette``).
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows; notebooks switch to their inline backend themselves

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns

from sim import texts
from sim.model.outcomes import GROUP_ORDER

sns.set_theme(style="whitegrid", context="notebook")

#: The time axis' label (English; texts.phrase("month_axis", lang) for others).
MONTH = texts.phrase("month_axis")


@functools.cache
def _t975(df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, df))


def _t_half(x: np.ndarray) -> float:
    """Half-width of the 95 % t-interval of the mean of ``x`` (NaN for fewer than two values)."""
    n = x.size
    return _t975(n - 1) * float(x.std(ddof=1)) / float(np.sqrt(n)) if n > 1 else float("nan")


def t_interval(values: np.ndarray | pd.Series) -> tuple[float, float]:
    """95 % t-interval of the mean of ``values`` (NaN ignored); (mean, mean) for fewer than two.

    The errorbar of every figure here (seaborn accepts it as ``errorbar=t_interval``), so that
    a figure shows the same interval as the sweep's summary_table, and in a fraction of the
    time of seaborn's default bootstrap (which took ~8 s for one time-series figure of a
    200-run sweep).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, mean
    half = _t_half(x)
    return mean - half, mean + half


# --------------------------------------------------------------------------- words, colours, context

#: The design presets, in the order figures list them (from no participation to co-production).
DESIGNS = ("none", "consultation", "tokenistic_consultation", "ideas_platform", "participatory_budget",
           "spatial_codesign", "citizens_panel", "coproduction")
#: One fixed colour per design (seaborn's colour-blind palette), the same in every figure of the
#: project, so that a class or a reader learns "the blue line is the participatory budget" once.
DESIGN_COLORS: dict[str, str] = {
    "none": "#949494", "consultation": "#56b4e9", "tokenistic_consultation": "#ca9161",
    "ideas_platform": "#de8f05", "participatory_budget": "#0173b2", "spatial_codesign": "#029e73",
    "citizens_panel": "#cc78bc", "coproduction": "#d55e00",
}
#: Colours for conditions that are not design presets (variants, parameter levels), in order.
OTHER_COLORS = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#949494",
                "#ece133", "#56b4e9")
#: Colours of the time-series markers: participation months, decisions, the election.
MARKER_COLORS = {"participate": "0.88", "decide": "0.45", "election": "#b2182b"}
#: Where the scenario presets live (``next_election_month`` is read from them when not given).
_SCENARIO_DIR = Path(__file__).resolve().parent / "configs" / "scenario"
#: The legend sits this far (inches) below the bottom of its axes: under the tick labels and
#: the axis label, never over the data.
_LEGEND_DROP = 0.55


def design_color(design: str) -> str:
    """The fixed colour of a design preset (see ``DESIGN_COLORS``); KeyError for another name."""
    return DESIGN_COLORS[design]


def palette(values, by: str | None = None) -> dict[str, str]:
    """Colour of each value of a colouring column: fixed design colours when ``by`` is "design".

    Values that are not design presets (or any values when ``by`` is another column) get the
    ``OTHER_COLORS`` in their order of appearance.
    """
    names = list(dict.fromkeys(str(v) for v in values))
    fixed = {v: DESIGN_COLORS[v] for v in names if by == "design" and v in DESIGN_COLORS}
    free = [c for c in OTHER_COLORS if c not in fixed.values()]  # others never look like a design drawn
    others = iter(free * (1 + len(names) // max(len(free), 1)))
    return {v: fixed[v] if v in fixed else next(others) for v in names}


def _kind(column: str | None) -> str:
    """The kind of names (texts.py) a colouring column's values are: design, scenario, phase or none."""
    return column if column in ("design", "scenario", "phase") else ""


def _display(values: pd.Series, column: str | None, lang: str) -> pd.Series:
    """The values of a colouring column in words (design and scenario presets named, others as they are)."""
    kind = _kind(column)
    names = {v: texts.name_or_key(kind, v, lang) if kind else str(v) for v in pd.unique(values)}
    return values.map(names)


def _display_palette(values, column: str | None, lang: str) -> dict[str, str]:
    """``palette`` keyed by the words shown in the legend (``_display``) instead of code names."""
    kind = _kind(column)
    return {texts.name_or_key(kind, v, lang) if kind else v: c for v, c in palette(values, column).items()}


def _unique(df: pd.DataFrame | None, column: str) -> list:
    if df is None or column not in df.columns:
        return []
    return list(pd.unique(df[column].dropna()))


class DecimalComma(matplotlib.ticker.ScalarFormatter):
    """Tick labels with a decimal comma, as Dutch writes numbers (0,35 rather than 0.35)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return super().__call__(x, pos).replace(".", ",")


def _localise(fig: plt.Figure, lang: str) -> None:
    """Dutch figures write decimal commas on their numeric axes (0,35 rather than 0.35)."""
    if lang != "nl":
        return
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if type(fmt) is matplotlib.ticker.ScalarFormatter:
                axis.set_major_formatter(DecimalComma())
            elif isinstance(fmt, matplotlib.ticker.PercentFormatter):
                axis.set_major_formatter(matplotlib.ticker.FuncFormatter(
                    lambda x, pos, f=fmt: f(x, pos).replace(".", ",")))


def _localised(draw):
    """Decorate a figure function whose ``lang`` chooses the words: in Dutch, decimal commas too."""
    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        out = draw(*args, **kwargs)
        lang = signature.bind(*args, **kwargs).arguments.get("lang", "en")
        fig = out if isinstance(out, plt.Figure) else getattr(out, "figure", None)
        if isinstance(fig, plt.Figure):
            _localise(fig, lang)
        return out
    return wrapper


def context(df: pd.DataFrame | None = None, lang: str = "en", *, scenario: str | None = None,
            design: str | None = None, seed: int | None = None, replicates: int | None = None,
            by: str | list[str] | None = None) -> str:
    """The line under a figure's title that says what was run: scenario, design and seed, in words.

    Each part comes from the keyword when given, else from the table's ``scenario``,
    ``design`` and ``seed`` (or ``replicate``) columns when they hold one value. With several
    seeds the line says over how many replicates (runs per condition; conditions are the
    ``by`` columns) the mean and interval are taken. A part that varies across the figure
    (several designs drawn as lines) is left out: the legend names it.
    """
    parts = []
    scenarios = [scenario] if scenario is not None else _unique(df, "scenario")
    if len(scenarios) == 1:
        parts.append(texts.name_or_key("scenario", scenarios[0], lang))
    designs = [design] if design is not None else _unique(df, "design")
    if len(designs) == 1:
        parts.append(texts.name_or_key("design", designs[0], lang))
    if seed is not None:
        parts.append(texts.phrase("seed", lang, seed=seed))
    elif replicates is None:
        seeds = _unique(df, "seed")
        if len(seeds) == 1:
            parts.append(texts.phrase("seed", lang, seed=seeds[0]))
        elif len(seeds) > 1:
            keys = [k for k in ([by] if isinstance(by, str) else list(by or [])) if k in df.columns]
            n = int(df.groupby(keys, observed=True)["seed"].nunique().max()) if keys else len(seeds)
            parts.append(texts.phrase("replicates", lang, n=n))
    if replicates is not None:
        parts.append(texts.phrase("replicates", lang, n=replicates))
    return " · ".join(str(p) for p in parts)


def _title(what: str, line: str) -> str:
    """A title and, under it, the context line (when there is one)."""
    return f"{what}\n{line}" if line else what


def _label(column: str, lang: str) -> str:
    """texts.label of a column, or the column's own words for columns texts.py does not know."""
    return texts.label(column, lang) if column in texts.columns() else column.replace("_", " ")


# --------------------------------------------------------------------------- markers and legends

@functools.cache
def _preset_election_month(scenario: str) -> int | None:
    """``next_election_month`` of a scenario preset (None when there is no such preset)."""
    import yaml

    path = _SCENARIO_DIR / f"{scenario}.yaml"
    if not path.is_file():
        return None
    value = (yaml.safe_load(path.read_text()) or {}).get("next_election_month")
    return int(value) if value is not None else None


def election_months(ts: pd.DataFrame, election_month: int | list[int] | None = None) -> list[int]:
    """The election month(s) to mark on a time axis (months as in the scenario, 0 = January 2025).

    Given explicitly (``scenario.next_election_month`` of the run's config; a list for several),
    that is used. Otherwise, when the table has a ``scenario`` column with one preset name,
    that preset's ``next_election_month`` (an override of it in the run is not seen: pass it
    in). Otherwise none.
    """
    if election_month is not None:
        return [int(m) for m in np.atleast_1d(election_month)]
    scenarios = _unique(ts, "scenario")
    month = _preset_election_month(str(scenarios[0])) if len(scenarios) == 1 else None
    return [] if month is None else [month]


def _spans(steps: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive steps as (first, last)."""
    if steps.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(steps) > 1)
    starts = np.r_[steps[0], steps[breaks + 1]]
    ends = np.r_[steps[breaks], steps[-1]]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def mark_phases(ax: plt.Axes, ts: pd.DataFrame, election_month: int | list[int] | None = None,
                lang: str = "en") -> list:
    """Shade the months residents take part, mark decisions and the election on a time axis.

    The participate months are grey bands (gid "participate"), each decision month a dotted
    line (gid "decide"), the election a red dashed line (gid "election"; month m of the
    scenario is step m + 1, the time series' ``step`` being 1-based). With several runs a
    month is shaded or marked when every run drawn is in that phase then (so the phases of
    different designs are not mixed up). The election is marked only inside the steps drawn,
    so that a short run's axis is not stretched. Returns legend handles for the markers.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    if "phase" in ts.columns and len(ts):
        phase = ts["phase"].astype(str).to_numpy()
        steps = ts["step"].to_numpy()
        single = steps.size == np.unique(steps).size
        for which in ("participate", "decide"):
            hit = phase == which
            if single:
                marked = np.sort(steps[hit])
            else:
                share = pd.Series(hit).groupby(steps).mean()
                marked = share.index[share.to_numpy() >= 1].to_numpy()
            if marked.size == 0:
                continue
            if which == "participate":
                for a, b in _spans(marked):
                    ax.axvspan(a - 0.5, b + 0.5, color=MARKER_COLORS[which], alpha=0.6, lw=0, zorder=0,
                               gid="participate")
                handles.append(Patch(color=MARKER_COLORS[which], alpha=0.6,
                                     label=texts.phrase("participate_marker", lang)))
            else:
                for s in marked.tolist():
                    ax.axvline(s, color=MARKER_COLORS[which], ls=":", lw=1, zorder=0.5, gid="decide")
                handles.append(Line2D([], [], color=MARKER_COLORS[which], ls=":", lw=1,
                                      label=texts.phrase("decide_marker", lang)))
    if len(ts):
        lo, hi = ts["step"].min(), ts["step"].max()
        shown = [m + 1 for m in election_months(ts, election_month) if lo <= m + 1 <= hi]
        for s in shown:
            ax.axvline(s, color=MARKER_COLORS["election"], ls="--", lw=1.4, zorder=0.6, gid="election")
        if shown:
            handles.append(Line2D([], [], color=MARKER_COLORS["election"], ls="--", lw=1.4,
                                  label=texts.phrase("election_marker", lang)))
    return handles


def legend_below(ax: plt.Axes, handles: list | None = None, labels: list[str] | None = None,
                 ncols: int = 2, title: str | None = None, drop: float = _LEGEND_DROP, **kwargs):
    """A legend centred under the axes, never over the data.

    It hangs ``drop`` inches below the axes' bottom edge, under the tick labels and axis label.
    """
    from matplotlib.transforms import ScaledTranslation

    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [h.get_label() for h in handles]
    shift = ax.transAxes + ScaledTranslation(0, -drop, ax.figure.dpi_scale_trans)
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=shift,
                     ncols=ncols, fontsize="small", frameon=False, title=title, title_fontsize="small", **kwargs)


def legend_right(ax: plt.Axes, title: str | None = None, **kwargs):
    """A legend right of the axes, outside the data area."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small", frameon=False, title=title,
                     title_fontsize="small", **kwargs)


# --------------------------------------------------------------------------- time series

def _axes(ax: plt.Axes | None, figsize: tuple[float, float] = (8, 4.5)) -> tuple[plt.Figure, plt.Axes]:
    """The axes to draw into: ``ax`` itself (a panel of a larger figure) or a new figure's."""
    if ax is not None:
        return ax.figure, ax
    return plt.subplots(figsize=figsize)


_DASHES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3)))


def _lines(ts: pd.DataFrame, columns: dict[str, str], ylabel: str, title: str,
           hue: str | None = None, ax: plt.Axes | None = None, *, twin: dict[str, str] | None = None,
           twin_ylabel: str = "", lang: str = "en", caption: str = "", election_month: int | list[int] | None = None,
           marks: bool = True, scenario: str | None = None, design: str | None = None,
           seed: int | None = None) -> plt.Figure:
    """Time-series lines of ``columns`` (legend words as values), ``twin`` ones on a right-hand axis.

    One run draws with matplotlib directly (the dashboard's fast path); several runs draw the
    mean and 95 % t-interval (seaborn). Without ``hue`` each measure has its colour (twin
    measures dashed); with ``hue`` the colour is the condition (fixed colours for designs) and
    each measure its line style. The phases and the election are marked (``mark_phases``),
    the legend is under the axes, the title names scenario, design and seed (``context``);
    ``caption`` is a note under the figure (in the legend's title when drawn into ``ax``).
    """
    twin = twin or {}
    every = {**columns, **twin}
    ids = [c for c in (hue, "step", "design", "scenario", "seed") if c and c in ts.columns]
    long = ts.melt(id_vars=list(dict.fromkeys(ids)), value_vars=list(every), var_name="measure", value_name="value")
    own = ax is None
    fig, ax = _axes(ax, figsize=(8, 5.4))
    ax2 = ax.twinx() if twin else None
    target = {m: (ax2 if m in twin else ax) for m in every}
    single = not hue and not long.duplicated(["step", "measure"]).any()
    handles = []
    if hue:
        shown = _display(long[hue], hue, lang)
        long = long.assign(**{hue: shown})
        pal = _display_palette(ts[hue].unique(), hue, lang)
        from matplotlib.lines import Line2D

        for i, (m, words) in enumerate(every.items()):
            a = target[m]
            before = len(a.lines)
            sns.lineplot(data=long[long["measure"] == m], x="step", y="value", hue=hue, palette=pal,
                         errorbar=t_interval, ax=a, legend=False)
            for line in a.lines[before:]:
                line.set_linestyle(_DASHES[i % len(_DASHES)])
            if len(every) > 1:
                handles.append(Line2D([], [], color="0.2", ls=_DASHES[i % len(_DASHES)], label=words))
        handles += [Line2D([], [], color=c, lw=2, label=k) for k, c in pal.items() if k in set(shown)]
    else:
        colors = sns.color_palette(n_colors=max(10, len(every)))
        for (m, words), color in zip(every.items(), colors, strict=False):
            a, ls = target[m], ("--" if m in twin else "-")
            g = long[long["measure"] == m]
            if single:
                # One run: no interval to draw; plain lines are several times faster than
                # seaborn's, which a live dashboard needs.
                (line,) = a.plot(g["step"], g["value"], color=color, ls=ls, label=words)
            else:
                sns.lineplot(data=g, x="step", y="value", color=color, errorbar=t_interval, ax=a,
                             linestyle=ls, label=words, legend=False)
                line = a.lines[-1]
            handles.append(line)
    if marks:
        handles += mark_phases(ax, ts, election_month, lang)
    line = context(ts, lang, scenario=scenario, design=design, seed=seed, by=hue)
    ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=ylabel, title=_title(title, line))
    if ax2 is not None:
        ax2.set_ylabel(twin_ylabel)
        ax2.grid(False)
    legend_below(ax, handles, ncols=2, title=caption if (caption and not own) else None)
    if own:  # a panel of a larger figure is laid out by that figure's owner
        if caption:
            fig.text(0.01, 0.01, caption, fontsize="small", ha="left", va="bottom")
            fig.tight_layout(rect=(0, 0.04, 1, 1))
        else:
            fig.tight_layout()
    return fig


def _run_keywords(lang: str, election_month, marks: bool, scenario, design, seed) -> dict:
    return {"lang": lang, "election_month": election_month, "marks": marks, "scenario": scenario,
            "design": design, "seed": seed}


@_localised
def turnout(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
            election_month: int | list[int] | None = None, min_age: int | None = None, marks: bool = True,
            scenario: str | None = None, design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Participants in the current round as a % of all residents and of the eligible residents.

    Eligible residents are those old enough to take part in the design (``design.min_age``,
    pass it as ``min_age`` to have the age in the caption). The other keywords: see ``_lines``.
    """
    df = ts.copy()
    df["turnout_pct"] = 100 * df["turnout"]
    df["turnout_eligible_pct"] = 100 * df["turnout_eligible"]
    age = texts.phrase("min_age", lang, age=min_age) if min_age is not None else ""
    return _lines(df, {"turnout_eligible_pct": texts.phrase("eligible_residents", lang) + " (%)",
                       "turnout_pct": texts.phrase("all_residents", lang) + " (%)"},
                  texts.phrase("turnout_axis", lang), texts.phrase("turnout_title", lang), hue, ax,
                  caption=texts.phrase("eligible_caption", lang, age=age),
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def trust(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
          election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
          design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Trust of residents (all and those who took part), administration and council; efficacy on its own axis.

    Efficacy (the sense that one's input matters) is another quantity than trust, so it is
    drawn against a right-hand axis of its own, dashed.
    """
    cols = ("trust_citizens", "trust_participants", "trust_administration", "trust_council")
    return _lines(ts, {c: texts.phrase(c, lang) for c in cols}, texts.phrase("trust_axis", lang),
                  texts.phrase("trust_title", lang), hue, ax,
                  twin={"efficacy_citizens": texts.phrase("efficacy_citizens", lang)},
                  twin_ylabel=texts.phrase("efficacy_axis", lang),
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def legitimacy(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
               election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
               design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Legitimacy in its three parts (input, throughput, output) and overall."""
    cols = ("legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy")
    return _lines(ts, {c: texts.phrase(c, lang) for c in cols}, texts.phrase("legitimacy_axis", lang),
                  texts.phrase("legitimacy_title", lang), hue, ax,
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def service_quality(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
                    election_month: int | list[int] | None = None, marks: bool = True,
                    scenario: str | None = None, design: str | None = None,
                    seed: int | None = None) -> plt.Figure:
    """Delivered service quality (population-weighted mean) and, on its own right-hand axis, its equity.

    Quality moves by hundredths while equity (1 - Gini) sits near 1; on one shared 0-1 axis
    the change in quality would be invisible, so each gets an axis scaled to its own range.
    """
    return _lines(ts, {"service_quality": texts.phrase("quality", lang)}, texts.label("service_quality", lang),
                  texts.phrase("quality_title", lang), hue, ax,
                  twin={"service_quality_equity": texts.phrase("equity", lang)},
                  twin_ylabel=texts.label("service_quality_equity", lang),
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def composition(groups: pd.DataFrame, ts: pd.DataFrame, *, lang: str = "en", scenario: str | None = None,
                design: str | None = None, seed: int | None = None, ncols: int | None = None) -> plt.Figure:
    """Composition of participants against the population, per dimension.

    Participants are counted at each cycle's decision month (summed over cycles). Groups are
    in their natural order (education low, middle, high; age groups by age; neighbourhoods as
    the scenario lists them). One panel per dimension, ``ncols`` panels a row (default: all in
    one row; the dashboard uses two rows, so that a screen shows them at a readable size).
    """
    decide_steps = set(ts.loc[ts["phase"] == "decide", "step"].tolist())
    g = groups[groups["step"].isin(decide_steps)]
    first = groups[groups["step"] == groups["step"].min()]
    pop = first.groupby(["dimension", "group"], observed=True, sort=False)["population"].sum()
    part = g.groupby(["dimension", "group"], observed=True)["participants"].sum().reindex(pop.index, fill_value=0)
    who = {w: texts.name("who", w, lang) for w in ("population", "participants")}
    rows, orders = [], {}
    for dim in pop.index.get_level_values(0).unique():
        listed = list(pop.loc[dim].index)
        natural = GROUP_ORDER.get(str(dim), ())
        order = [x for x in natural if x in listed] + [x for x in listed if x not in natural]
        p = pop.loc[dim].reindex(order) / pop.loc[dim].sum()
        q = part.loc[dim].reindex(order) / part.loc[dim].sum() if part.loc[dim].sum() else p * 0
        shown = [texts.name_or_key("group", x, lang) for x in order]
        orders[dim] = shown
        for grp, words in zip(order, shown, strict=True):
            rows.append({"dimension": dim, "group": words, "who": who["population"], "share": 100 * p[grp]})
            rows.append({"dimension": dim, "group": words, "who": who["participants"], "share": 100 * q[grp]})
    df = pd.DataFrame(rows)
    dims = list(orders)
    ncols = min(ncols or len(dims), len(dims))
    nrows = -(-len(dims) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 4.2 * nrows + 0.8), squeeze=False)
    for ax in axes.flat[len(dims):]:
        ax.set_visible(False)
    colors = {who["population"]: "0.7", who["participants"]: "#0173b2"}
    for ax, dim in zip(axes.flat, dims, strict=False):
        sns.barplot(data=df[df["dimension"] == dim], y="group", x="share", hue="who", ax=ax, orient="h",
                    order=orders[dim], hue_order=list(who.values()), palette=colors, legend=False)
        ax.set(title=texts.name_or_key("dimension", dim, lang), xlabel=texts.phrase("share_axis", lang), ylabel="")
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=k) for k, c in colors.items()]
    fig.legend(handles=handles, loc="lower center", ncols=2, fontsize="small", frameon=False)
    line = context(groups if "scenario" in groups.columns else ts, lang, scenario=scenario, design=design, seed=seed)
    fig.suptitle(_title(texts.phrase("composition_title", lang), line))
    fig.tight_layout(rect=(0, 0.4 / fig.get_figheight(), 1, 1))
    return fig


def standard_figures(ts: pd.DataFrame, groups: pd.DataFrame, *, lang: str = "en",
                     election_month: int | list[int] | None = None, min_age: int | None = None,
                     scenario: str | None = None, design: str | None = None,
                     seed: int | None = None) -> dict[str, plt.Figure]:
    """The standard set of figures for one run (or several runs of one condition).

    The keywords name the run when the tables have no ``scenario``/``design``/``seed`` columns
    and place the election marker (see ``turnout`` and ``mark_phases``).
    """
    kw = _run_keywords(lang, election_month, True, scenario, design, seed)
    return {"turnout": turnout(ts, min_age=min_age, **kw), "trust": trust(ts, **kw),
            "legitimacy": legitimacy(ts, **kw), "service_quality": service_quality(ts, **kw),
            "composition": composition(groups, ts, lang=lang, scenario=scenario, design=design, seed=seed)}


def save(fig: plt.Figure, folder: Path, name: str) -> None:
    """Write ``name``.png and ``name``.svg into ``folder`` and close the figure."""
    folder.mkdir(parents=True, exist_ok=True)
    for ext in ("png", "svg"):
        fig.savefig(folder / f"{name}.{ext}", dpi=120)
    plt.close(fig)


# --------------------------------------------------------------------------- experiments

@_localised
def conditions(runs: pd.DataFrame, outcome: str, condition_cols: list[str], *, lang: str = "en") -> plt.Figure:
    """Mean of one outcome per condition with 95 % intervals over replicates.

    The first condition column is the x axis, the second the colour (fixed colours when it is
    "design"), the third the panel. Without a third column the figure is one axes (seaborn's
    pointplot, legend outside); with one it is a grid of panels (catplot), which costs about
    twice as much to draw. Design and scenario presets are named in words (``lang``).
    """
    cols = list(condition_cols)[:3]
    df = runs.copy()
    for c in cols:
        df[c] = _display(df[c].astype(str), c, lang)
    x = cols[0] if cols else None
    hue = cols[1] if len(cols) > 1 else None
    col = cols[2] if len(cols) > 2 else None
    pal = _display_palette(runs[hue].astype(str).unique(), hue, lang) if hue else None
    name = _label(outcome, lang)
    what = name.split(" (")[0]
    line = context(runs, lang, by=cols)
    title = _title(texts.phrase("conditions_title", lang, what=what[:1].upper() + what[1:]), line)
    if col is None:
        fig, ax = plt.subplots(figsize=(5.6 + (2.8 if hue else 0), 4.6), layout="constrained")
        sns.pointplot(data=df, x=x, y=outcome, hue=hue, palette=pal, errorbar=t_interval,
                      dodge=0.3 if hue else False, ax=ax)
        ax.set(xlabel=x.replace("_", " ") if x else "", ylabel=name)
        ax.tick_params(axis="x", rotation=30)
        if hue:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.02, 1), title=hue.replace("_", " "), frameon=False)
        fig.suptitle(title)
        return fig
    grid = sns.catplot(data=df, x=x, y=outcome, hue=hue, palette=pal, col=col, kind="point", errorbar=t_interval,
                       dodge=0.3 if hue else False, height=4, aspect=1.3, col_wrap=3)
    grid.set_axis_labels(x.replace("_", " ") if x else "", name)
    for ax in grid.axes.flat:
        ax.tick_params(axis="x", rotation=30)
    grid.figure.suptitle(title, y=1.04)
    return grid.figure


@_localised
def conditions_over_time(ts: pd.DataFrame, outcomes: list[str], hue: str, *, lang: str = "en",
                         election_month: int | list[int] | None = None) -> plt.Figure:
    """The time series of the outcomes per level of one condition (mean and 95 % interval).

    Colours are fixed per design when ``hue`` is "design"; every panel marks the phases all
    conditions share and the election (``mark_phases``); one legend under the panels.
    """
    cols = [o for o in outcomes if o in ts.columns]
    ncols = min(4, len(cols))
    nrows = -(-len(cols) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.5 * ncols, 3.6 * nrows + 1), squeeze=False)
    df = ts.copy()
    for o in cols:
        if o in PERCENT:
            df[o] = 100 * df[o]
    df[hue] = _display(df[hue].astype(str), hue, lang)
    pal = _display_palette(ts[hue].astype(str).unique(), hue, lang)
    from matplotlib.lines import Line2D

    marks: list = []
    for ax, o in zip(axes.flat, cols, strict=False):
        sns.lineplot(data=df, x="step", y=o, hue=hue, palette=pal, errorbar=t_interval, ax=ax, legend=False)
        marks = mark_phases(ax, ts, election_month, lang) or marks
        name = _label(o, lang)
        ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=name, title=name.split(" (")[0])
    for ax in list(axes.flat)[len(cols):]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=c, lw=2, label=k) for k, c in pal.items()] + marks
    fig.legend(handles=handles, loc="lower center", ncols=min(4, len(handles)), fontsize="small", frameon=False)
    fig.suptitle(context(ts, lang, by=hue))
    rows = -(-len(handles) // 4)
    fig.tight_layout(rect=(0, min(0.4, (0.25 + 0.22 * rows) / fig.get_figheight()), 1, 1))
    return fig


@_localised
def sensitivity(indices: pd.DataFrame, kind: str, *, lang: str = "en") -> plt.Figure:
    """Morris mu* (with its confidence) or Sobol first and total order, per outcome."""
    outcomes = list(indices["outcome"].unique())
    height = 0.35 * indices["parameter"].nunique() + 2.6
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.5 * len(outcomes), height), squeeze=False)
    for ax, o in zip(axes[0], outcomes, strict=True):
        d = indices[indices["outcome"] == o]
        title = _label(o, lang).split(" (")[0]
        if kind == "morris":
            d = d.sort_values("mu_star")
            ax.barh(d["parameter"], d["mu_star"], xerr=d["mu_star_conf"], color="C0")
            ax.set(xlabel="Morris mu* (elementary effect)", title=title)
        else:
            d = d.sort_values("ST")
            y = np.arange(len(d))
            ax.barh(y - 0.2, d["ST"], height=0.4, xerr=d["ST_conf"], label="total (ST)")
            ax.barh(y + 0.2, d["S1"], height=0.4, xerr=d["S1_conf"], label="first order (S1)")
            ax.set_yticks(y, d["parameter"])
            ax.set(xlabel="Sobol index", title=title)
            legend_below(ax)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- more time series

@_localised
def fears(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
          election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
          design: str | None = None, seed: int | None = None) -> plt.Figure:
    """The fears of citizens (of taking part), the administration (its three fears) and the council."""
    cols = ("fear_citizens", "fear_complexity_administration", "fear_failure_administration",
            "fear_self_interest_administration", "fear_self_interest_council")
    return _lines(ts, {c: texts.phrase(c, lang) for c in cols}, texts.phrase("fears_axis", lang),
                  texts.phrase("fears_title", lang), hue, ax,
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def proposals(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
              election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
              design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Proposals from idea to delivery: submitted, adopted, implemented, reopened (cumulative)."""
    cols = ("proposals_submitted", "proposals_adopted", "proposals_implemented", "decisions_reopened")
    return _lines(ts, {c: texts.phrase(c, lang) for c in cols}, texts.phrase("proposals_axis", lang),
                  texts.phrase("proposals_title", lang), hue, ax,
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


#: Labels (with units) of the outcomes used in comparisons, in English (texts.label for Dutch);
#: shares are shown in percent.
OUTCOME_LABELS = {c: texts.label(c, "en") for c in texts.columns()}
#: Outcomes stored as shares but shown in percent.
PERCENT = ("turnout", "turnout_eligible", "turnout_first_cycle", "turnout_last_cycle", "turnout_after_election")
#: The outcomes a policymaker compares first: turnout, the three parts of legitimacy, quality.
KEY_OUTCOMES = ("turnout", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy",
                "trust_citizens", "service_quality")


def label(outcome: str, lang: str = "en") -> str:
    """Axis label of an outcome (with its unit), from texts.py; the column's words if it has none."""
    return _label(outcome, lang)


@_localised
def timeline(ts: pd.DataFrame, column: str, hue: str = "design", ax: plt.Axes | None = None,
             title: str | None = None, *, lang: str = "en", election_month: int | list[int] | None = None,
             marks: bool = True) -> plt.Figure:
    """One time-series column for several conditions (mean and 95 % interval over replicates).

    Fixed colours per design when ``hue`` is "design"; phases all conditions share and the
    election are marked (``mark_phases``); the legend is under the axes.
    """
    df = ts.copy()
    if column in PERCENT:
        df[column] = 100 * df[column]
    df[hue] = _display(df[hue].astype(str), hue, lang)
    pal = _display_palette(ts[hue].astype(str).unique(), hue, lang)
    own = ax is None
    fig, ax = _axes(ax, figsize=(8, 5.4))
    sns.lineplot(data=df, x="step", y=column, hue=hue, palette=pal, errorbar=t_interval, ax=ax, legend=False)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=c, lw=2, label=k) for k, c in pal.items()]
    if marks:
        handles += mark_phases(ax, ts, election_month, lang)
    name = _label(column, lang)
    what = title or name.split(" (")[0]
    ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=name,
           title=_title(what[:1].upper() + what[1:], context(ts, lang, by=hue)))
    legend_below(ax, handles, ncols=2)
    if own:
        fig.tight_layout()
    return fig


@_localised
def outcomes_panel(ts: pd.DataFrame, hue: str | None = None, *, lang: str = "en",
                   election_month: int | list[int] | None = None, min_age: int | None = None,
                   scenario: str | None = None, design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Turnout, trust, legitimacy and service quality side by side (one figure, four panels)."""
    fig, axes = plt.subplots(2, 2, figsize=(15, 12))
    kw = _run_keywords(lang, election_month, True, scenario, design, seed)
    turnout(ts, hue=hue, ax=axes[0, 0], min_age=min_age, **kw)
    for draw, ax in zip((trust, legitimacy, service_quality), list(axes.flat)[1:], strict=True):
        draw(ts, hue=hue, ax=ax, **kw)
    fig.tight_layout(h_pad=2, w_pad=4)
    return fig


# --------------------------------------------------------------------------- comparing designs

def interval_table(runs: pd.DataFrame, outcomes: tuple[str, ...] | list[str] = KEY_OUTCOMES,
                   by: str | list[str] = "design", percent: bool = True) -> pd.DataFrame:
    """Mean and 95 % interval (Student t over replicates) of each outcome per condition; tidy.

    One row per condition and outcome: the ``by`` columns, outcome, mean, ci_low, ci_high, n.
    With ``percent``, shares listed in ``PERCENT`` are converted to percent.
    """
    keys = [by] if isinstance(by, str) else list(by)
    rows = []
    for cond, g in runs.groupby(keys, sort=False, observed=True):
        cond = cond if isinstance(cond, tuple) else (cond,)
        for o in outcomes:
            x = g[o].astype(float).to_numpy() * (100 if percent and o in PERCENT else 1)
            n = int(np.isfinite(x).sum())
            mean = float(np.nanmean(x)) if n else float("nan")
            half = _t_half(x[np.isfinite(x)])
            rows.append({**dict(zip(keys, cond, strict=True)), "outcome": o, "mean": mean,
                         "ci_low": mean - half, "ci_high": mean + half, "n": n})
    return pd.DataFrame(rows)


@_localised
def design_comparison(runs: pd.DataFrame, outcomes: tuple[str, ...] | list[str] = KEY_OUTCOMES,
                      by: str = "design", ncols: int = 4, *, lang: str = "en") -> plt.Figure:
    """Each outcome per design: mean and 95 % interval over replicates (one panel per outcome).

    Designs keep their fixed colours (``DESIGN_COLORS``) and are named in words (``lang``).
    """
    table = interval_table(runs, outcomes, by)
    order = list(dict.fromkeys(runs[by]))
    colors = palette(order, by)
    names = [texts.name_or_key(_kind(by), d, lang) if _kind(by) else str(d) for d in order]
    nrows = -(-len(outcomes) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 0.35 * len(order) * nrows + 1.6 * nrows + 0.4),
                             squeeze=False)
    y = np.arange(len(order))
    for ax, o in zip(axes.flat, outcomes, strict=False):
        t = table[table["outcome"] == o].set_index(by).reindex(order)
        err = np.vstack([t["mean"] - t["ci_low"], t["ci_high"] - t["mean"]])
        ax.errorbar(t["mean"], y, xerr=np.nan_to_num(err), fmt="none", ecolor="0.3", capsize=3, lw=1)
        ax.scatter(t["mean"], y, c=[colors[str(d)] for d in order], s=40, zorder=3)
        ax.set_yticks(y, names if ax in axes[:, 0] else [""] * len(order))
        ax.invert_yaxis()
        name = label(o, lang)
        ax.set(title=name.split(" (")[0], xlabel=name.split(" (")[1].rstrip(")") if "(" in name else "")
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    word = texts.phrase("design_word", lang) if by == "design" else by.replace("_", " ")
    fig.suptitle(_title(texts.phrase("comparison_title", lang, by=word), context(runs, lang, by=by)))
    fig.tight_layout()
    return fig


@_localised
def tradeoff(runs: pd.DataFrame, x: str = "turnout", y: str = "legitimacy", by: str = "design",
             ax: plt.Axes | None = None, *, lang: str = "en") -> plt.Figure:
    """Two outcomes against each other: each condition's mean with 95 % intervals in both directions.

    Each condition is named next to its point (no legend to cover the data); designs keep
    their fixed colours.
    """
    table = interval_table(runs, (x, y), by).pivot(index=by, columns="outcome")
    order = list(dict.fromkeys(runs[by]))
    table = table.reindex(order)
    colors = palette(order, by)
    fig, ax = _axes(ax, figsize=(7, 5))
    names = []
    for cond in order:
        r = table.loc[cond]
        words = texts.name_or_key(_kind(by), cond, lang) if _kind(by) else str(cond)
        ax.errorbar(r[("mean", x)], r[("mean", y)],
                    xerr=[[r[("mean", x)] - r[("ci_low", x)]], [r[("ci_high", x)] - r[("mean", x)]]],
                    yerr=[[r[("mean", y)] - r[("ci_low", y)]], [r[("ci_high", y)] - r[("mean", y)]]],
                    fmt="o", color=colors[str(cond)], capsize=3, label=words)
        names.append(ax.text(r[("mean", x)], r[("mean", y)], words, fontsize="small"))
    short = [label(o, lang).split(" (")[0] for o in (x, y)]
    ax.set(xlabel=label(x, lang), ylabel=label(y, lang),
           title=_title(texts.phrase("tradeoff_title", lang, x=short[0], y=short[1]), context(runs, lang, by=by)))
    fig.tight_layout()
    # names next to their points without overlapping each other or the points (adjustText moves
    # them apart and draws a thin leader where a name had to move away from its point)
    from adjustText import adjust_text

    adjust_text(names, x=list(table[("mean", x)]), y=list(table[("mean", y)]), ax=ax,
                arrowprops={"arrowstyle": "-", "color": "0.55", "lw": 0.6})
    return fig


def response(runs: pd.DataFrame, x: str, y: str, hue: str | None = None, ax: plt.Axes | None = None, *,
             lang: str = "en") -> plt.Figure:
    """How an outcome responds to a parameter: mean and 95 % interval at each value, one line per ``hue``."""
    keys = [x] if hue is None else [hue, x]
    table = interval_table(runs, (y,), keys)
    fig, ax = _axes(ax, figsize=(7, 4.5))
    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=False))
    colors = palette([g for g, _ in groups], hue) if hue is not None else {"None": OTHER_COLORS[0]}
    for name, t in groups:
        color = colors[str(name)]
        t = t.sort_values(x)
        ax.plot(t[x], t["mean"], marker="o", color=color,
                label=None if hue is None else f"{hue.replace('_', ' ')}: {texts.name_or_key(_kind(hue), name, lang)}")
        ax.fill_between(t[x], t["ci_low"], t["ci_high"], color=color, alpha=0.2)
    name = x.replace("_", " ")
    what = label(y, lang).split(" (")[0]
    ax.set(xlabel=name, ylabel=label(y, lang), title=_title(f"{what[:1].upper() + what[1:]}: {name}",
                                                             context(runs, lang, by=keys)))
    if hue is not None:
        legend_below(ax)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- the model's state now

def neighbourhood_frame(model) -> pd.DataFrame:
    """The state of each neighbourhood of a (running or finished) model; one row per neighbourhood.

    Columns: neighbourhood, residents, taking_part (share of residents in the current cycle),
    ever_took_part (share), trust, fear, awareness (means), service_quality.
    """
    pop = model.population
    names = list(model.config.scenario.neighbourhoods)
    k = len(names)
    nb = pop.neighbourhood
    residents = np.bincount(nb, minlength=k)
    per = np.maximum(residents, 1)

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(nb, weights=values.astype(float), minlength=k) / per

    return pd.DataFrame({
        "neighbourhood": names, "residents": residents,
        "taking_part": mean(model.participation.taking_part), "ever_took_part": mean(pop.ever_participated),
        "trust": mean(pop.trust), "fear": mean(pop.fear), "awareness": mean(pop.awareness),
        "service_quality": np.asarray(model.services.quality, dtype=float),
    })


@_localised
def neighbourhoods(frame: pd.DataFrame, title: str | None = None, *, lang: str = "en") -> plt.Figure:
    """Service quality, trust and participation per neighbourhood (from ``neighbourhood_frame``)."""
    import textwrap

    f = frame.iloc[::-1]
    y = np.arange(len(f))
    fig, axes = plt.subplots(1, 3, figsize=(10, 0.3 * len(f) + 3), sharey=True)
    pal = sns.color_palette()
    axes[0].barh(y, f["service_quality"], color=pal[2])
    axes[0].set(xlim=(0, 1), xlabel="index 0-1", title=textwrap.fill(label("service_quality", lang).split(" (")[0], 26))
    axes[1].barh(y, f["trust"], color=pal[0])
    axes[1].set(xlim=(0, 1), xlabel="index 0-1", title=textwrap.fill(label("trust_citizens", lang).split(" (")[0], 26))
    axes[2].barh(y + 0.2, 100 * f["ever_took_part"], height=0.4, color=pal[1], label=texts.phrase("ever", lang))
    axes[2].barh(y - 0.2, 100 * f["taking_part"], height=0.4, color=pal[3], label=texts.phrase("this_round", lang))
    axes[2].set(xlabel=texts.phrase("pct_residents", lang), title=texts.phrase("took_part", lang))
    legend_below(axes[2], ncols=1)
    axes[0].set_yticks(y, f["neighbourhood"])
    fig.suptitle(title or texts.phrase("per_neighbourhood", lang))
    fig.tight_layout()
    return fig


def neighbourhood_gain(frames: dict[str, pd.DataFrame], baseline: pd.DataFrame,
                       column: str = "service_quality", *, lang: str = "en") -> plt.Figure:
    """Per neighbourhood, how much higher ``column`` ends under each variant than in ``baseline``.

    ``frames`` and ``baseline`` come from ``neighbourhood_frame`` (runs on the same seed, so on
    the same residents and starting quality).
    """
    names = list(baseline["neighbourhood"])[::-1]
    y = np.arange(len(names))
    height = 0.8 / max(len(frames), 1)
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(names) * max(len(frames), 1) ** 0.5 + 1.8))
    base = baseline.set_index("neighbourhood")[column]
    colors = palette(frames, "design").values()
    for i, ((variant, frame), color) in enumerate(zip(frames.items(), colors, strict=True)):
        gain = frame.set_index("neighbourhood")[column].reindex(names) - base.reindex(names)
        ax.barh(y + (i - (len(frames) - 1) / 2) * height, gain, height=height, color=color,
                label=texts.name_or_key("design", variant, lang))
    ax.set_yticks(y, names)
    ax.axvline(0, color="0.3", lw=0.8)
    what = label(column, lang).split(" (")[0]
    ax.set(xlabel=texts.phrase("gain_axis", lang, what=what), title=texts.phrase("gain_title", lang, what=what))
    legend_right(ax)
    fig.tight_layout()
    return fig


def network_sample(model, max_nodes: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A drawable sample of the residents' network, with fixed positions.

    A snowball (breadth-first) sample inside each neighbourhood, with quotas in proportion to
    its residents, keeps the local ties that a uniform sample of a large network would lose;
    it over-represents well-connected residents a little. Returns the nodes (index,
    neighbourhood, x, y) and the ties between them as pairs of row numbers.
    """
    import networkx as nx

    rng = np.random.default_rng(seed)
    adj, nb = model.network, model.population.neighbourhood
    n, k = nb.size, int(nb.max()) + 1
    quota = np.maximum(1, np.round(max_nodes * np.bincount(nb, minlength=k) / n)).astype(int)
    chosen: list[int] = []
    for h in range(k):
        members = np.flatnonzero(nb == h)
        if members.size == 0:
            continue
        seen, queue = set(), [int(rng.choice(members))]
        while queue and len(seen) < quota[h]:
            i = queue.pop(0)
            if i in seen:
                continue
            seen.add(i)
            ties = adj.indices[adj.indptr[i]:adj.indptr[i + 1]]
            queue += [int(j) for j in rng.permutation(ties) if nb[j] == h and j not in seen]
            if not queue and len(seen) < quota[h]:  # a small component: start again elsewhere
                queue.append(int(rng.choice(members)))
        chosen += sorted(seen)
    nodes = np.array(chosen)
    sub = adj[nodes][:, nodes].tocoo()
    keep = sub.row < sub.col
    edges = np.column_stack([sub.row[keep], sub.col[keep]])
    graph = nx.Graph()
    graph.add_nodes_from(range(nodes.size))
    graph.add_edges_from(edges.tolist())
    # start each neighbourhood on its own spot of a circle, so that neighbourhoods stay apart
    angle = 2 * np.pi * nb[nodes] / k
    start = {i: (np.cos(a) + 0.1 * rng.normal(), np.sin(a) + 0.1 * rng.normal()) for i, a in enumerate(angle)}
    pos = nx.spring_layout(graph, pos=start, seed=seed, iterations=40, k=1.5 / np.sqrt(nodes.size))
    xy = np.array([pos[i] for i in range(nodes.size)])
    frame = pd.DataFrame({"index": nodes, "neighbourhood": nb[nodes], "x": xy[:, 0], "y": xy[:, 1]})
    return frame, edges


@_localised
def network(model, nodes: pd.DataFrame, edges: np.ndarray, ax: plt.Axes | None = None, *,
            lang: str = "en") -> plt.Figure:
    """The sampled network (``network_sample``) coloured by trust, with who takes part marked."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    pop = model.population
    idx = nodes["index"].to_numpy()
    trust_now = pop.trust[idx]
    now = model.participation.taking_part[idx]
    ever = pop.ever_participated[idx] & ~now
    xy = nodes[["x", "y"]].to_numpy()
    own = ax is None
    fig, ax = _axes(ax, figsize=(7, 6))
    ax.add_collection(LineCollection(xy[edges], colors="0.6", linewidths=0.4, alpha=0.5, zorder=1))
    sizes = np.where(now, 70, np.where(ever, 30, 14))
    edgecolors = np.where(now, "black", np.where(ever, "0.35", "none"))
    points = ax.scatter(xy[:, 0], xy[:, 1], c=trust_now, cmap="RdYlGn", vmin=0, vmax=1, s=sizes,
                        edgecolors=edgecolors, linewidths=np.where(now, 1.4, 0.6), zorder=2)
    fig.colorbar(points, ax=ax, shrink=0.7, label=label("trust_citizens", lang))
    words = [texts.phrase(k, lang) for k in ("taking_part_now", "took_part_before", "never_took_part")]
    handles = [Line2D([], [], marker="o", ls="", mfc="0.8", mec="black", mew=1.4, ms=9, label=words[0]),
               Line2D([], [], marker="o", ls="", mfc="0.8", mec="0.35", mew=0.6, ms=6, label=words[1]),
               Line2D([], [], marker="o", ls="", mfc="0.8", mec="none", ms=4, label=words[2])]
    legend_below(ax, handles, ncols=3, drop=0.05)  # no tick labels under this axes
    if own:
        fig.subplots_adjust(bottom=0.1)
    ax.set(title=texts.phrase("network_title", lang, shown=texts.number(idx.size, lang),
                                            total=texts.number(pop.size, lang)),
           xticks=[], yticks=[])
    ax.grid(False)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    return fig


@_localised
def neighbourhood_gains(frames: dict[str, list[pd.DataFrame]], baselines: list[pd.DataFrame],
                        column: str = "service_quality", by: str = "design", *, lang: str = "en",
                        scenario: str | None = None, design: str | None = None) -> plt.Figure:
    """Per neighbourhood, how much higher ``column`` ends under each variant than in a baseline, over replicates.

    ``frames`` maps each variant (a design preset when ``by`` is "design", else words of one's
    own) to one ``neighbourhood_frame`` per replicate; ``baselines`` holds the baseline's, in
    the same order, replicate r of each on the same seed (the same residents and starting
    quality). Bars are the mean paired gain, whiskers its 95 % t-interval over the replicates;
    the title names the scenario (and ``design``) and the number of replicates.
    """
    names = list(baselines[0]["neighbourhood"])[::-1]
    y = np.arange(len(names))
    height = 0.8 / max(len(frames), 1)
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(names) * max(len(frames), 1) ** 0.5 + 2.2))
    base = np.vstack([b.set_index("neighbourhood")[column].reindex(names).to_numpy(float) for b in baselines])
    colors = palette(list(frames), by)
    n = len(baselines)
    for i, (variant, runs) in enumerate(frames.items()):
        if len(runs) != n:
            raise ValueError(f"{variant}: {len(runs)} replicates against {n} of the baseline")
        gain = np.vstack([f.set_index("neighbourhood")[column].reindex(names).to_numpy(float) for f in runs]) - base
        mean = gain.mean(axis=0)
        half = np.array([_t_half(gain[:, k]) for k in range(gain.shape[1])])
        words = texts.name_or_key(_kind(by), variant, lang) if _kind(by) else str(variant)
        ax.barh(y + (i - (len(frames) - 1) / 2) * height, mean, height=height, color=colors[str(variant)],
                xerr=np.nan_to_num(half), error_kw={"ecolor": "0.3", "capsize": 2, "lw": 0.8}, label=words)
    ax.set_yticks(y, names)
    ax.axvline(0, color="0.3", lw=0.8)
    what = label(column, lang).split(" (")[0]
    line = context(None, lang, scenario=scenario, design=design, replicates=n)
    ax.set(xlabel=texts.phrase("gain_axis", lang, what=what),
           title=_title(texts.phrase("gain_title", lang, what=what), line))
    legend_right(ax)
    fig.tight_layout()
    return fig


# =========================================================================== live charts (dashboard)
# The trainers' dashboard redraws its charts every month while a run plays. Building a new
# figure each month (the functions above) costs most of a second per chart; a ``LiveChart``
# builds its figure once and each month only moves its lines' data and the time-axis markers,
# then renders a PNG. Same words (sim.texts), same markers and same "legend never over the
# data" rule as the figures above.

#: What each live chart draws: (column, phrase key of its legend entry, right-hand axis?).
LIVE_SERIES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "turnout": (("turnout", "turnout_round", False),),
    "trust": (("trust_citizens", "trust_citizens", False), ("trust_participants", "trust_participants", False),
              ("efficacy_citizens", "efficacy_citizens", True)),
    "legitimacy": (("legitimacy_input", "legitimacy_input", False),
                   ("legitimacy_throughput", "legitimacy_throughput", False),
                   ("legitimacy_output", "legitimacy_output", False), ("legitimacy", "legitimacy", False)),
    "quality": (("service_quality", "quality", False), ("service_quality_equity", "equity", True)),
    "fears": (("fear_citizens", "fear_citizens", False),
              ("fear_complexity_administration", "fear_complexity_administration", False),
              ("fear_failure_administration", "fear_failure_administration", False),
              ("fear_self_interest_administration", "fear_self_interest_administration", False),
              ("fear_self_interest_council", "fear_self_interest_council", False)),
    # two designs on the same residents: everyone, and the first design's participants, under each
    "matched": (("all_a", "trust_citizens", False), ("all_b", "trust_citizens", False),
                ("part_a", "trust_participants", False), ("part_b", "trust_participants", False)),
}
#: Title phrase and left/right axis labels of each live chart (phrase keys; "label:" a column label).
_LIVE_AXES: dict[str, tuple[str, str, str | None]] = {
    "turnout": ("turnout_title", "turnout_axis", None),
    "trust": ("trust_title", "trust_axis", "efficacy_axis"),
    "legitimacy": ("legitimacy_title", "legitimacy_axis", None),
    "quality": ("quality_title", "label:service_quality", "label:service_quality_equity"),
    "fears": ("fears_title", "fears_axis", None),
    "matched": ("matched_title", "trust_axis", None),
}
#: Colour of the marker of a reopened decision.
REOPENED_COLOR = "#e66101"


def _live_words(key: str, lang: str) -> str:
    if key.startswith("label:"):
        return texts.label(key[6:], lang)
    return texts.dash(key, lang) if key in texts.dash_keys() else texts.phrase(key, lang)


def round_turnout(ts: pd.DataFrame) -> pd.Series:
    """Turnout (% of all residents) with the months between rounds left out (NaN).

    The model's turnout counts the current round's participants; it falls to 0 when a new
    round opens and stays at the last round's level while none runs. Drawn as is, that reads as
    a collapse. Here each round is its own segment (months of ``cycle`` c from its first
    month with participants to the month before the next round starts); months without any
    round (cycle 0) and a round's months before its first participant are NaN, so a line
    breaks between rounds instead of dropping to zero.
    """
    pct = 100 * ts["turnout"].astype(float)
    cycle = ts["cycle"].to_numpy()
    started = pd.Series(pct.to_numpy() > 0).groupby(cycle).cummax().to_numpy()
    return pct.where((cycle > 0) & started)


def round_peaks(ts: pd.DataFrame) -> list[tuple[int, int, float]]:
    """(round number, step of its decision or last month, turnout %) of each round with participants."""
    pct = 100 * ts["turnout"].astype(float)
    out = []
    for c, idx in ts.groupby("cycle").groups.items():
        if int(c) == 0:
            continue
        part = ts.loc[idx]
        decide = part.loc[part["phase"].astype(str) == "decide", "step"]
        peak = float(pct.loc[idx].max())
        if peak > 0:
            out.append((int(c), int(decide.iloc[0] if len(decide) else part["step"].iloc[-1]), peak))
    return out


class LiveChart:
    """One time-series chart of a running model, built once and updated in place every month.

    ``kind`` is a key of ``LIVE_SERIES``. ``steps`` fixes the time axis to the whole run, so
    a class sees how far the run is. ``big`` (projector mode) draws fewer inches at larger
    type, so that the text stays readable when the image is shown at 1280x720. ``title_line``
    names scenario, design and seed. ``update(ts)`` moves the lines to the time series so far,
    redraws the markers (participate months, decisions, reopened decisions, the election; see
    ``mark_phases``) and returns the PNG. ``labels`` replaces legend entries by column (the
    side-by-side chart names its designs).
    """

    def __init__(self, kind: str, *, lang: str = "en", steps: int = 72, big: bool = False,
                 title_line: str = "", election_month: int | None = None, dpi: int = 72,
                 labels: dict[str, str] | None = None) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        self.kind, self.lang, self.steps, self.dpi = kind, lang, steps, dpi
        self._size = 16 if big else 10  # type size (points)
        self.election_month = election_month
        size = self._size
        # projector: two charts side by side fill a 1280-pixel-wide screen at 72 dpi, text 16 px
        self.fig = Figure(figsize=(8.5, 6.2) if big else (8, 4.8), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        title, left, right = _LIVE_AXES[kind]
        self.ax2 = self.ax.twinx() if right else None
        colors = sns.color_palette(n_colors=10)
        labels = labels or {}
        self.lines: dict[str, Line2D] = {}
        handles = []
        for i, ((column, words, on_right), color) in enumerate(zip(LIVE_SERIES[kind], colors, strict=False)):
            target = self.ax2 if on_right else self.ax
            if kind == "matched":  # colour: who (everyone, participants); style: which design
                color, ls = colors[i // 2], ("-" if i % 2 == 0 else "--")
            else:
                ls = "--" if on_right else "-"
            (line,) = target.plot([], [], color=color, lw=2.2 if big else 1.8, ls=ls,
                                  label=labels.get(column) or _live_words(words, lang), animated=True)
            self.lines[column] = line
            handles.append(line)
        handles += [Patch(color=MARKER_COLORS["participate"], alpha=0.6,
                          label=texts.phrase("participate_marker", lang)),
                    Line2D([], [], color=MARKER_COLORS["decide"], ls=":", lw=1.2,
                           label=texts.phrase("decide_marker", lang)),
                    Line2D([], [], color=REOPENED_COLOR, marker="v", ls="", ms=8,
                           label=texts.dash("reopened_marker", lang))]
        if election_month is not None and 0 <= election_month + 1 <= steps:
            handles.append(Line2D([], [], color=MARKER_COLORS["election"], ls="--", lw=1.4,
                                  label=texts.phrase("election_marker", lang)))
        for a in (self.ax, self.ax2):
            if a is not None:
                a.set_xlim(0.5, steps + 0.5)
                a.set_ylim(0, 1)
                a.tick_params(labelsize=size)
                if lang == "nl":
                    a.yaxis.set_major_formatter(DecimalComma())
        if self.ax2 is not None:
            self.ax2.grid(False)
            self.ax2.set_ylabel(_live_words(right, lang), fontsize=size)
        self.ax.set_xlabel(texts.phrase("month_axis", lang), fontsize=size)
        self.ax.set_ylabel(_live_words(left, lang), fontsize=size)
        # the title wrapped to the figure's width (about 0.6 em a character)
        import textwrap

        chars = int(self.fig.get_figwidth() * 72 / (0.6 * (size + 1)))
        title_text = "\n".join(textwrap.fill(line, chars) for line in
                               _title(_live_words(title, lang), title_line).split("\n"))
        self.ax.set_title(title_text, fontsize=size + 1)
        ncols = 2 if (big or kind == "matched") else 3
        rows = -(-len(handles) // ncols)
        legend = self.fig.legend(handles=handles, loc="lower center", ncols=ncols, fontsize=size - 1, frameon=False,
                                 bbox_to_anchor=(0.5, 0.0))
        # a legend wider than the figure (long labels, large type) gets smaller type until it fits
        renderer = self.fig.canvas.get_renderer()
        font = size - 1
        while font > 8 and legend.get_window_extent(renderer).width > 0.98 * self.fig.bbox.width:
            font -= 1
            for text in legend.get_texts():
                text.set_fontsize(font)
        # the legend under the axes, in the figure's bottom margin (its rows and the axis label's
        # height, in inches): never over the data
        inches = 0.3 + rows * font * 1.45 / 72 + size * 3.4 / 72
        self.fig.subplots_adjust(left=0.14 if big else 0.1, right=0.87 if self.ax2 else 0.97,
                                 top=1 - ((size + 1) * 1.3 * (title_text.count("\n") + 1) + 10) / 72
                                 / self.fig.get_figheight(),
                                 bottom=inches / self.fig.get_figheight())
        self._marks: list = []
        self._background = None  # the figure without its lines, as last drawn (update)
        self._drawn: tuple = ((), None)  # the y-ranges and markers it was drawn with

    def _marks_of(self, ts: pd.DataFrame) -> tuple:
        """What the markers show for ``ts``: participate spans, decisions, reopened decisions, the
        election, the rounds' labels (turnout). Equal tuples draw equal markers."""
        steps = ts["step"].to_numpy()
        phase = ts["phase"].astype(str).to_numpy()
        reopened = np.diff(np.r_[0, ts["decisions_reopened"].to_numpy()]) > 0
        election = (self.election_month is not None and len(steps) > 0
                    and self.election_month + 1 <= steps.max())
        rounds = tuple((c, s, round(pct, 1)) for c, s, pct in round_peaks(ts)) if self.kind == "turnout" else ()
        return (tuple(_spans(np.sort(steps[phase == "participate"]))), tuple(steps[phase == "decide"].tolist()),
                tuple(steps[reopened].tolist()), election, rounds)

    def _markers(self, marks: tuple) -> None:
        for artist in self._marks:
            artist.remove()
        self._marks = []
        spans, decided, reopened, election, rounds = marks
        for a, b in spans:
            self._marks.append(self.ax.axvspan(a - 0.5, b + 0.5, color=MARKER_COLORS["participate"], alpha=0.6,
                                               lw=0, zorder=0, gid="participate"))
        for s in decided:
            self._marks.append(self.ax.axvline(s, color=MARKER_COLORS["decide"], ls=":", lw=1.2, zorder=0.5,
                                               gid="decide"))
        if reopened:
            self._marks.append(self.ax.scatter(reopened, np.full(len(reopened), 0.97), marker="v",
                                               s=60, color=REOPENED_COLOR, zorder=3, gid="reopened",
                                               transform=self.ax.get_xaxis_transform(), clip_on=False))
        if election:
            self._marks.append(self.ax.axvline(self.election_month + 1, color=MARKER_COLORS["election"], ls="--",
                                               lw=1.4, zorder=0.6, gid="election"))
        for c, s, pct in rounds:
            self._marks.append(self.ax.annotate(texts.dash("round_label", self.lang, n=c,
                                                           pct=texts.number(pct, self.lang, 1)),
                                                (s, pct), xytext=(0, 6), textcoords="offset points",
                                                ha="center", fontsize=self._size - 1, gid="round"))

    def _limits(self, ts: pd.DataFrame) -> tuple:
        """The y-ranges of the axes for ``ts``, on a grid (so that they change only now and then).

        Turnout: 0 to 1.25 times the highest round's turnout (at least 1 %), rounded up to half a
        per cent. Indices in [0, 1]: a range around the data so far, padded by 0.05 or 15 % of the
        data's spread (a change of 0.02 stays visible), widened to multiples of 0.05.
        """
        if self.kind == "turnout":
            top = np.nanmax(np.r_[0.0, round_turnout(ts).to_numpy(dtype=float)])
            return ((0.0, max(1.0, float(np.ceil(top * 1.25 / 0.5)) * 0.5)),)
        out = []
        for a in (self.ax, self.ax2):
            if a is None:
                continue
            cols = [c for c, line in self.lines.items() if line.axes is a]
            values = ts[cols].to_numpy(dtype=float)
            if not values.size or np.isnan(values).all():
                out.append((0.0, 1.0))
                continue
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            pad = max(0.05, 0.15 * (hi - lo))
            out.append((max(0.0, round(np.floor((lo - pad) / 0.05 + 1e-9) * 0.05, 2)),
                        min(1.0, round(np.ceil((hi + pad) / 0.05 - 1e-9) * 0.05, 2))))
        return tuple(out)

    def update(self, ts: pd.DataFrame) -> bytes:
        """Move the lines and markers to the time series ``ts`` (one run, so far); the PNG.

        Everything but the lines (axes, ticks, labels, legend, markers) is drawn again only when
        the y-ranges or the markers change; otherwise the saved picture of it is restored and
        only the lines are drawn over it (matplotlib's blitting), which takes a fraction of a
        full draw. The lines are always drawn last, over that picture, so that the PNG is the same
        either way.
        """
        import io

        from PIL import Image

        x = ts["step"].to_numpy()
        for column, line in self.lines.items():
            y = round_turnout(ts) if self.kind == "turnout" else ts[column].astype(float)
            line.set_data(x, y.to_numpy())
        limits, marks = self._limits(ts), self._marks_of(ts)
        canvas = self.fig.canvas
        if self._background is None or (limits, marks) != self._drawn:
            for a, lim in zip((a for a in (self.ax, self.ax2) if a is not None), limits, strict=False):
                a.set_ylim(*lim)
            if marks != self._drawn[1]:
                self._markers(marks)
            canvas.draw()  # the lines are animated: left out of a full draw
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._drawn = (limits, marks)
        else:
            canvas.restore_region(self._background)
        for line in self.lines.values():
            line.axes.draw_artist(line)
        buf = io.BytesIO()
        # compress_level 1: about a third faster than the default 6, and as small for a chart
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1)
        return buf.getvalue()


def trust_moves(history: dict[int, dict[str, list[float]]], last_month: int, months: int = 6,
                state: int = 0) -> dict[str, float]:
    """How much each signal kind moved residents' mean trust (``state`` 0; efficacy: 1) in the
    ``months`` months up to ``last_month`` (from ``SignalBoard.history``), largest move first."""
    total: dict[str, float] = {}
    for month in range(last_month - months + 1, last_month + 1):
        for kind, moved in history.get(month, {}).items():
            total[kind] = total.get(kind, 0.0) + float(moved[state])
    return dict(sorted(total.items(), key=lambda kv: -abs(kv[1])))
