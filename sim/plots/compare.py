"""The figures that compare conditions: designs side by side, trade-offs, responses to a
parameter, sensitivity indices and per-neighbourhood gains, each with 95 % intervals over
replicates (one fixed colour per design, :mod:`sim.plots.style`).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from sim import texts
from sim.plots.style import (
    COSTS,
    KEY_OUTCOMES,
    OTHER_COLORS,
    PERCENT,
    _axes,
    _chars,
    _display,
    _display_palette,
    _fit,
    _kind,
    _label,
    _localised,
    _t_half,
    _title,
    bootstrap_interval,
    column_name,
    context,
    label,
    legend_below,
    legend_right,
    mark_phases,
    palette,
    t_interval,
)

#: Characters per line of a panel's title (longer titles wrap instead of running into the next panel).
_PANEL_TITLE_CHARS = 28
#: Characters per line of the vertical label of a time-series panel (3.6 inches high).
_PANEL_LABEL_CHARS = 32

# --------------------------------------------------------------------------- experiments

@_localised
def conditions(runs: pd.DataFrame, outcome: str, condition_cols: list[str], *, lang: str = "en") -> plt.Figure:
    """Mean of one outcome per condition with 95 % intervals over replicates.

    The first condition column is the x axis, the second the colour (fixed colours when it is
    "design"), the third the panel. Without a third column the figure is one axes (seaborn's
    pointplot, legend outside); with one it is a grid of panels (catplot), which costs about
    twice as much to draw. Design and scenario presets are named in words (``lang``); shares of
    :data:`PERCENT` are drawn in percent.
    """
    cols = list(condition_cols)[:3]
    df = runs.copy()
    if outcome in PERCENT:  # shares drawn in percent, as their label says
        df[outcome] = 100 * df[outcome].astype(float)
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
        ax.set(xlabel=column_name(x, lang) if x else "", ylabel=name)
        ax.tick_params(axis="x", rotation=30)
        if hue:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.02, 1), title=column_name(hue, lang),
                            frameon=False)
        fig.suptitle(title)
        return fig
    grid = sns.catplot(data=df, x=x, y=outcome, hue=hue, palette=pal, col=col, kind="point", errorbar=t_interval,
                       dodge=0.3 if hue else False, height=4, aspect=1.3, col_wrap=3)
    grid.set_axis_labels(column_name(x, lang) if x else "", name)
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

    marks: list = []
    for ax, o in zip(axes.flat, cols, strict=False):
        sns.lineplot(data=df, x="step", y=o, hue=hue, palette=pal, errorbar=t_interval, ax=ax, legend=False)
        marks = mark_phases(ax, ts, election_month, lang) or marks
        name = _label(o, lang)  # long (Dutch) labels wrap, so that they stay beside their own panel
        ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=textwrap.fill(name, _PANEL_LABEL_CHARS),
               title=_fit(ax, name.split(" (")[0]))
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

    handles = [Line2D([], [], color=c, lw=2, label=k) for k, c in pal.items()]
    if marks:
        handles += mark_phases(ax, ts, election_month, lang)
    name = _label(column, lang)
    what = title or name.split(" (")[0]
    ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=textwrap.fill(name, 40),
           title=_title(what[:1].upper() + what[1:], context(ts, lang, by=hue)))
    legend_below(ax, handles, ncols=2)
    if own:
        fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- comparing designs

def interval_table(runs: pd.DataFrame, outcomes: tuple[str, ...] | list[str] = KEY_OUTCOMES,
                   by: str | list[str] = "design", percent: bool = True) -> pd.DataFrame:
    """Mean and 95 % interval of each outcome per condition; tidy.

    One row per condition and outcome: the ``by`` columns, outcome, mean, ci_low, ci_high, n.
    The interval is Student's t over replicates, except for the costs of :data:`COSTS`, whose
    percentile-bootstrap interval (``bootstrap_interval``) never goes below zero. With
    ``percent``, shares listed in ``PERCENT`` are converted to percent.
    """
    keys = [by] if isinstance(by, str) else list(by)
    rows = []
    for cond, g in runs.groupby(keys, sort=False, observed=True):
        cond = cond if isinstance(cond, tuple) else (cond,)
        for o in outcomes:
            x = g[o].astype(float).to_numpy() * (100 if percent and o in PERCENT else 1)
            n = int(np.isfinite(x).sum())
            mean = float(np.nanmean(x)) if n else float("nan")
            if o in COSTS:
                lo, hi = bootstrap_interval(x)
            else:
                half = _t_half(x[np.isfinite(x)])
                lo, hi = mean - half, mean + half
            rows.append({**dict(zip(keys, cond, strict=True)), "outcome": o, "mean": mean,
                         "ci_low": lo, "ci_high": hi, "n": n})
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
        ax.set(title=textwrap.fill(name.split(" (")[0], _PANEL_TITLE_CHARS),
               xlabel=name.split(" (")[1].rstrip(")") if "(" in name else "")
        largest = np.nanmax(np.abs(t[["ci_low", "ci_high"]].to_numpy(float)), initial=0)
        if largest >= 10_000:  # tick labels written in full ("6,400,000"): as many as fit the panel, with room between
            fit = _chars(ax, 12) // (len(f"{largest:,.0f}") + 3)
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=max(1, fit - 1), steps=[1, 2, 2.5, 5, 10]))
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(_title(texts.phrase("comparison_title", lang, by=column_name(by, lang)), context(runs, lang, by=by)))
    fig.tight_layout()
    return fig


@_localised
def tradeoff(runs: pd.DataFrame, x: str = "turnout", y: str = "legitimacy", by: str = "design",
             ax: plt.Axes | None = None, *, lang: str = "en") -> plt.Figure:
    """Two outcomes against each other: each condition's mean with 95 % intervals in both directions.

    Each condition keeps its fixed colour (designs: ``DESIGN_COLORS``) and is named in a legend
    right of the axes: names written beside the points overlapped wherever designs lie close
    together (the low-cost cluster), and a legend outside covers no data. Long axis labels and the
    title wrap, so that nothing runs into its neighbour.
    """
    table = interval_table(runs, (x, y), by).pivot(index=by, columns="outcome")
    order = list(dict.fromkeys(runs[by]))
    table = table.reindex(order)
    colors = palette(order, by)
    fig, ax = _axes(ax, figsize=(8.4, 4.8))
    for cond in order:
        r = table.loc[cond]
        words = texts.name_or_key(_kind(by), cond, lang) if _kind(by) else str(cond)
        ax.errorbar(r[("mean", x)], r[("mean", y)],
                    xerr=[[r[("mean", x)] - r[("ci_low", x)]], [r[("ci_high", x)] - r[("mean", x)]]],
                    yerr=[[r[("mean", y)] - r[("ci_low", y)]], [r[("ci_high", y)] - r[("mean", y)]]],
                    fmt="o", color=colors[str(cond)], capsize=3, label=words)
    short = [label(o, lang).split(" (")[0] for o in (x, y)]
    title = textwrap.fill(texts.phrase("tradeoff_title", lang, x=short[0], y=short[1]), 60)
    ax.set(xlabel=textwrap.fill(label(x, lang), 50), ylabel=textwrap.fill(label(y, lang), 32),
           title=_title(title, context(runs, lang, by=by)))
    legend_right(ax)
    fig.tight_layout()
    return fig


@_localised
def response(runs: pd.DataFrame, x: str, y: str, hue: str | None = None, ax: plt.Axes | None = None, *,
             lang: str = "en") -> plt.Figure:
    """How an outcome responds to a parameter: mean and 95 % interval at each value, one line per ``hue``.

    ``x`` and ``hue`` are named by :func:`column_name` (a lever's config key by the lever's name, a column
    a notebook named in words as it is). The axis label and the title wrap to the width of the axes, so
    that panels side by side do not run into each other.
    """
    keys = [x] if hue is None else [hue, x]
    table = interval_table(runs, (y,), keys)
    fig, ax = _axes(ax, figsize=(7, 4.5))
    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=False))
    colors = palette([g for g, _ in groups], hue) if hue is not None else {"None": OTHER_COLORS[0]}
    for name, t in groups:
        color = colors[str(name)]
        t = t.sort_values(x)
        ax.plot(t[x], t["mean"], marker="o", color=color,
                label=None if hue is None else f"{column_name(hue, lang)}: {texts.name_or_key(_kind(hue), name, lang)}")
        ax.fill_between(t[x], t["ci_low"], t["ci_high"], color=color, alpha=0.2)
    name = column_name(x, lang)
    what = label(y, lang).split(" (")[0]
    ax.set(xlabel=_fit(ax, name, 15), ylabel=textwrap.fill(label(y, lang), max(20, int(7 * fig.get_figheight()))),
           title=_fit(ax, _title(f"{what[:1].upper() + what[1:]}: {name}", context(runs, lang, by=keys))))
    if hue is not None:
        legend_below(ax)
    fig.tight_layout()
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
