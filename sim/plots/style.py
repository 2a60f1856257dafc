"""What every figure shares: one colour per design, number formats, words, markers and legends.

So that a class or a reader learns it once:

- words from ``sim.texts`` in English or Dutch (``lang="en"|"nl"``), never code names; Dutch
  figures write decimal commas (``DecimalComma``, the ``_localised`` decorator);
- a title line naming scenario, design and seed, or the number of replicates (``context``),
  from the tables' ``scenario``/``design``/``seed`` columns or the ``scenario=``, ``design=``,
  ``seed=`` keywords;
- on time axes, the participate months shaded, decisions and the election marked
  (``mark_phases``; the election from ``election_month=`` or the scenario preset);
- legends under or beside the axes, never over the data (``legend_below``, ``legend_right``);
- one fixed colour per design (``DESIGN_COLORS``, ``palette``);
- intervals: the mean and its 95 % t-interval over replicates (``t_interval``), the interval of
  the sweeps' summary tables.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import ScaledTranslation
from scipy import stats

from sim import texts
from sim.config.compose import preset_values
from sim.io import atomic_savefig, plain_folder

matplotlib.use("Agg")  # files, not windows; notebooks switch to their inline backend themselves
sns.set_theme(style="whitegrid", context="notebook")

@functools.cache
def _t975(df: int) -> float:
    return float(stats.t.ppf(0.975, df))


def _t_half(x: np.ndarray) -> float:
    """Half-width of the 95 % t-interval of the mean of ``x`` (NaN for fewer than two values)."""
    n = x.size
    return _t975(n - 1) * float(x.std(ddof=1)) / float(np.sqrt(n)) if n > 1 else float("nan")


#: Costs a design incurs, in the order tables list them (sim.experiments.answers.measure adds them to
#: every run). Their intervals are percentile-bootstrap intervals (``bootstrap_interval``): a cost is never
#: below zero.
COSTS: tuple[str, ...] = ("staff_hours", "staff_cost_eur", "budget_spent", "total_cost_eur", "residents_hours",
                          "residents_took_part", "cost_per_participant_eur", "cost_per_project_eur")
#: Resamples of ``bootstrap_interval``.
BOOTSTRAP_RESAMPLES = 2000


def bootstrap_interval(values: np.ndarray | pd.Series, resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """The 95 % percentile-bootstrap interval of the mean of ``values`` (NaN ignored; NaN for none).

    A cost cannot be negative, and a t-interval over two or three runs can reach below zero
    (staff hours [-194; 533] with two replicates). Every resampled mean lies between the smallest
    and the largest value, so this interval respects the bound. The resamples come from a
    generator with a fixed seed: the same runs give the same interval (a summary of the runs, not
    part of the model's randomness). With few runs it is too narrow rather than too wide: the
    report warns below three replicates.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan")
    if x.size == 1 or np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = np.random.default_rng(0)
    means = x[rng.integers(0, x.size, size=(resamples, x.size))].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


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
#: The legend sits this far (inches) below the bottom of its axes: under the tick labels and
#: the axis label, never over the data.
_LEGEND_DROP = 0.55


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


def column_name(column: str, lang: str = "en") -> str:
    """The words of a column that holds conditions (an axis, a legend's title, "Outcomes per ..."):
    "design" and "scenario" as ``lang`` says them, a lever's config key (``citizens.fear_mean``) by the
    dashboard's name of the lever, any other column (words a notebook chose) as it is, underscores as spaces."""
    if column in ("design", "scenario"):
        return texts.phrase(f"{column}_word", lang)
    if column in texts.levers():
        return texts.lever(column, lang)
    return column.replace("_", " ")


def _unique(df: pd.DataFrame | None, column: str) -> list:
    if df is None or column not in df.columns:
        return []
    return list(pd.unique(df[column].dropna()))


class DecimalComma(matplotlib.ticker.ScalarFormatter):
    """Tick labels with a decimal comma, as Dutch writes numbers (0,35 rather than 0.35)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return super().__call__(x, pos).replace(".", ",")


class NumberFormatter(matplotlib.ticker.ScalarFormatter):
    """Tick labels as ``lang`` writes numbers (``texts.number``): 100,000 and 0.35 in English, 100.000 and 0,35
    in Dutch; never an offset or a power of ten above the axis (a reader sees the euros themselves)."""

    def __init__(self, lang: str) -> None:
        super().__init__(useOffset=False)
        self.set_scientific(False)
        self.lang = lang

    def __call__(self, x: float, pos: int | None = None) -> str:
        text = super().__call__(x, pos)
        decimals = len(text.rsplit(".", 1)[1]) if "." in text else 0
        return texts.number(x, self.lang, decimals) if text else text


def _localise(fig: plt.Figure, lang: str) -> None:
    """Numeric axes write numbers as ``lang`` does: thousands separators, and in Dutch decimal commas."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if type(fmt) in (matplotlib.ticker.ScalarFormatter, DecimalComma):
                axis.set_major_formatter(NumberFormatter(lang))
            elif lang == "nl" and isinstance(fmt, matplotlib.ticker.PercentFormatter):
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
            assert df is not None  # seeds come from its column
            keys = [k for k in ([by] if isinstance(by, str) else list(by or [])) if k in df.columns]
            n = int(df.groupby(keys, observed=True)["seed"].nunique().max()) if keys else len(seeds)
            parts.append(texts.phrase("replicates", lang, n=n))
    if replicates is not None:
        parts.append(texts.phrase("replicates", lang, n=replicates))
    return " · ".join(str(p) for p in parts)


def _title(what: str, line: str) -> str:
    """A title and, under it, the context line (when there is one)."""
    return f"{what}\n{line}" if line else what


def _chars(ax: plt.Axes, per_inch: float) -> int:
    """How many characters of a text fit across ``ax`` at ``per_inch`` characters an inch (at least 20)."""
    fig = ax.get_figure(root=True)
    assert fig is not None  # an axes drawn into is always in a figure
    return max(20, int(per_inch * ax.get_position().width * fig.get_figwidth()))


def _fit(ax: plt.Axes, text: str, per_inch: float = 13.0) -> str:
    """``text`` with each of its lines wrapped to the width of ``ax``, so that a title (13 characters an inch)
    or a label does not run into the next panel; a Dutch title line is often longer than the English one."""
    return "\n".join(textwrap.fill(line, _chars(ax, per_inch)) for line in text.split("\n") if line)


def _label(column: str, lang: str) -> str:
    """texts.label of a column, or the column's own words for columns texts.py does not know."""
    return texts.label(column, lang) if column in texts.columns() else column.replace("_", " ")


# --------------------------------------------------------------------------- markers and legends

@functools.cache
def _preset_election_month(scenario: str) -> int | None:
    """``next_election_month`` of a scenario preset (None when there is no such preset)."""
    try:
        value = preset_values("scenario", scenario).get("next_election_month")
    except FileNotFoundError:
        return None
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
    handles: list[Artist] = []
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
        fig = ax.get_figure(root=True)
        assert fig is not None  # an axes drawn into is always in a figure
        return fig, ax
    return plt.subplots(figsize=figsize)


def save(fig: plt.Figure, folder: Path, name: str) -> None:
    """Write ``name``.png and ``name``.svg into ``folder`` and close the figure. A link in the folder's place is
    removed and a real folder made there (:func:`sim.io.plain_folder`): figures are never written through it."""
    try:
        plain_folder(folder)
    except OSError:
        plt.close(fig)
        raise
    for ext in ("png", "svg"):
        atomic_savefig(fig, folder / f"{name}.{ext}", dpi=120)
    plt.close(fig)


#: Residents' perceptions: shares of residents who agree with a survey item (legitimacy: the mean of
#: its three parts' shares), shown in percent, their differences in percentage points.
PERCEPTIONS = ("trust_citizens", "trust_participants", "trust_nonparticipants", "efficacy_citizens", "legitimacy",
               "legitimacy_input", "legitimacy_throughput", "legitimacy_output")
#: Outcomes stored as shares but shown in percent (and their differences in percentage points).
PERCENT = ("turnout", "turnout_eligible", "turnout_first_cycle", "turnout_last_cycle", "turnout_after_election",
           *PERCEPTIONS, "trust_citizens_mean", "legitimacy_throughput_mean")
#: The outcomes a policymaker compares first: turnout, the three parts of legitimacy, quality.
KEY_OUTCOMES = ("turnout", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy",
                "trust_citizens", "service_quality")


def label(outcome: str, lang: str = "en") -> str:
    """Axis label of an outcome (with its unit), from texts.py; the column's words if it has none."""
    return _label(outcome, lang)
