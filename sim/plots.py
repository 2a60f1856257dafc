"""The standard figures, shared by the CLI outputs, notebooks and the dashboard.

Every function takes tidy tables (one or many runs; with several runs the figures draw the
mean and its 95 % t-interval over replicates, the interval of the sweeps' summary tables) and
returns a matplotlib Figure; ``save`` writes PNG and SVG.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows; notebooks switch to their inline backend themselves

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

sns.set_theme(style="whitegrid", context="notebook")

MONTH = "month (step)"


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


def _axes(ax: plt.Axes | None, figsize: tuple[float, float] = (8, 4.5)) -> tuple[plt.Figure, plt.Axes]:
    """The axes to draw into: ``ax`` itself (a panel of a larger figure) or a new figure's."""
    if ax is not None:
        return ax.figure, ax
    return plt.subplots(figsize=figsize)


def _lines(ts: pd.DataFrame, columns: dict[str, str], ylabel: str, title: str,
           hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    long = ts.melt(id_vars=[c for c in (hue, "step", "design", "scenario", "seed") if c and c in ts.columns],
                   value_vars=list(columns), var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(columns)
    own = ax is None
    fig, ax = _axes(ax)
    style = "measure" if hue else None
    if hue or long.duplicated(["step", "measure"]).any():
        sns.lineplot(data=long, x="step", y="value", hue=hue or "measure", style=style,
                     errorbar=t_interval, ax=ax)
    else:
        # One run: no interval to draw. The same lines as seaborn's (palette, order, width),
        # drawn directly: several times faster, which a live dashboard needs.
        for (name, g), color in zip(long.groupby("measure", sort=False), sns.color_palette(), strict=False):
            ax.plot(g["step"], g["value"], color=color, label=name)
    ax.set(xlabel=MONTH, ylabel=ylabel, title=title)
    ax.legend(loc="best", fontsize="small")
    if own:  # a panel of a larger figure is laid out by that figure's owner
        fig.tight_layout()
    return fig


def turnout(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Participants in the current cycle as a share of residents and of those eligible."""
    df = ts.copy()
    df["turnout_pct"] = 100 * df["turnout"]
    df["turnout_eligible_pct"] = 100 * df["turnout_eligible"]
    return _lines(df, {"turnout_pct": "all residents", "turnout_eligible_pct": "eligible residents"},
                  "participants in current cycle (% of residents)", "Turnout", hue, ax)


def trust(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Trust of citizens (all and those who took part), administration and council."""
    return _lines(ts, {"trust_citizens": "citizens in local government",
                       "trust_participants": "participants in local government",
                       "efficacy_citizens": "citizens' efficacy",
                       "trust_administration": "administration in citizens",
                       "trust_council": "council in citizens"},
                  "trust (index 0-1)", "Trust and efficacy", hue, ax)


def legitimacy(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Legitimacy in its three parts (input, throughput, output) and overall."""
    return _lines(ts, {"legitimacy_input": "input", "legitimacy_throughput": "throughput",
                       "legitimacy_output": "output", "legitimacy": "overall"},
                  "legitimacy (index 0-1)", "Legitimacy", hue, ax)


def service_quality(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Delivered service quality (population-weighted mean) and its equity across neighbourhoods."""
    return _lines(ts, {"service_quality": "quality (mean)", "service_quality_equity": "equity (1 - Gini)"},
                  "index 0-1", "Delivered service quality", hue, ax)


def composition(groups: pd.DataFrame, ts: pd.DataFrame) -> plt.Figure:
    """Composition of participants against the population, per dimension.

    Participants are counted at each cycle's decision month (summed over cycles).
    """
    decide_steps = set(ts.loc[ts["phase"] == "decide", "step"].tolist())
    g = groups[groups["step"].isin(decide_steps)]
    first = groups[groups["step"] == groups["step"].min()]
    pop = first.groupby(["dimension", "group"], observed=True)["population"].sum()
    part = g.groupby(["dimension", "group"], observed=True)["participants"].sum().reindex(pop.index, fill_value=0)
    rows = []
    for dim in pop.index.get_level_values(0).unique():
        p = pop.loc[dim] / pop.loc[dim].sum()
        q = part.loc[dim] / part.loc[dim].sum() if part.loc[dim].sum() else part.loc[dim] * 0
        for grp in p.index:
            rows.append({"dimension": dim, "group": grp, "who": "population", "share": 100 * p[grp]})
            rows.append({"dimension": dim, "group": grp, "who": "participants", "share": 100 * q[grp]})
    df = pd.DataFrame(rows)
    dims = list(df["dimension"].unique())
    fig, axes = plt.subplots(1, len(dims), figsize=(4 * len(dims), 4.5), squeeze=False)
    for ax, dim in zip(axes[0], dims, strict=True):
        sns.barplot(data=df[df["dimension"] == dim], y="group", x="share", hue="who", ax=ax, orient="h")
        ax.set(title=dim.replace("_", " "), xlabel="share (%)", ylabel="")
        ax.legend(fontsize="small")
    fig.suptitle("Who takes part: participants against the population")
    fig.tight_layout()
    return fig


def standard_figures(ts: pd.DataFrame, groups: pd.DataFrame) -> dict[str, plt.Figure]:
    """The standard set of figures for one run (or several runs of one condition)."""
    return {"turnout": turnout(ts), "trust": trust(ts), "legitimacy": legitimacy(ts),
            "service_quality": service_quality(ts), "composition": composition(groups, ts)}


def save(fig: plt.Figure, folder: Path, name: str) -> None:
    """Write ``name``.png and ``name``.svg into ``folder`` and close the figure."""
    folder.mkdir(parents=True, exist_ok=True)
    for ext in ("png", "svg"):
        fig.savefig(folder / f"{name}.{ext}", dpi=120)
    plt.close(fig)


# --------------------------------------------------------------------------- experiments

def conditions(runs: pd.DataFrame, outcome: str, condition_cols: list[str]) -> plt.Figure:
    """Mean of one outcome per condition with 95 % intervals over replicates.

    The first condition column is the x axis, the second the colour, the third the panel.
    Without a third column the figure is one axes (seaborn's pointplot, legend outside);
    with one it is a grid of panels (catplot), which costs about twice as much to draw.
    """
    cols = list(condition_cols)[:3]
    df = runs.copy()
    for c in cols:
        df[c] = df[c].astype(str)
    x = cols[0] if cols else None
    hue = cols[1] if len(cols) > 1 else None
    col = cols[2] if len(cols) > 2 else None
    label = outcome.replace("_", " ")
    title = f"{label}: mean and 95 % interval over replicates"
    if col is None:
        fig, ax = plt.subplots(figsize=(5.6 + (2.8 if hue else 0), 4.2), layout="constrained")
        sns.pointplot(data=df, x=x, y=outcome, hue=hue, errorbar=t_interval, dodge=0.3 if hue else False, ax=ax)
        ax.set(xlabel=x or "", ylabel=label)
        ax.tick_params(axis="x", rotation=30)
        if hue:
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.02, 1), title=hue, frameon=False)
        fig.suptitle(title)
        return fig
    grid = sns.catplot(data=df, x=x, y=outcome, hue=hue, col=col, kind="point", errorbar=t_interval,
                       dodge=0.3 if hue else False, height=4, aspect=1.3, col_wrap=3)
    grid.set_axis_labels(x or "", label)
    for ax in grid.axes.flat:
        ax.tick_params(axis="x", rotation=30)
    grid.figure.suptitle(title, y=1.02)
    return grid.figure


def conditions_over_time(ts: pd.DataFrame, outcomes: list[str], hue: str) -> plt.Figure:
    """The time series of the outcomes per level of one condition (mean and 95 % interval)."""
    cols = [o for o in outcomes if o in ts.columns]
    ncols = min(4, len(cols))
    nrows = -(-len(cols) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.5 * ncols, 3.6 * nrows), squeeze=False)
    df = ts.copy()
    df[hue] = df[hue].astype(str)
    for i, (ax, o) in enumerate(zip(axes.flat, cols, strict=False)):
        sns.lineplot(data=df, x="step", y=o, hue=hue, errorbar=t_interval, ax=ax, legend=i == 0)
        ax.set(xlabel=MONTH, ylabel=o.replace("_", " "), title=o.replace("_", " "))
        if i == 0:
            ax.legend(fontsize="x-small", title=hue)
    for ax in list(axes.flat)[len(cols):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def sensitivity(indices: pd.DataFrame, kind: str) -> plt.Figure:
    """Morris mu* (with its confidence) or Sobol first and total order, per outcome."""
    outcomes = list(indices["outcome"].unique())
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.5 * len(outcomes), 0.35 * indices["parameter"].nunique() + 2),
                             squeeze=False)
    for ax, o in zip(axes[0], outcomes, strict=True):
        d = indices[indices["outcome"] == o]
        if kind == "morris":
            d = d.sort_values("mu_star")
            ax.barh(d["parameter"], d["mu_star"], xerr=d["mu_star_conf"], color="C0")
            ax.set(xlabel="Morris mu* (elementary effect)", title=o)
        else:
            d = d.sort_values("ST")
            y = np.arange(len(d))
            ax.barh(y - 0.2, d["ST"], height=0.4, xerr=d["ST_conf"], label="total (ST)")
            ax.barh(y + 0.2, d["S1"], height=0.4, xerr=d["S1_conf"], label="first order (S1)")
            ax.set_yticks(y, d["parameter"])
            ax.set(xlabel="Sobol index", title=o)
            ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- more time series

def fears(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """The fears of citizens (of taking part), the administration (its three fears) and the council."""
    return _lines(ts, {"fear_citizens": "citizens: fear of taking part",
                       "fear_complexity_administration": "administration: complexity",
                       "fear_failure_administration": "administration: failure",
                       "fear_self_interest_administration": "administration: self-interest",
                       "fear_self_interest_council": "council: self-interest"},
                  "fear (index 0-1)", "Fears", hue, ax)


def proposals(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Proposals from idea to delivery: submitted, adopted, implemented, reopened (cumulative)."""
    return _lines(ts, {"proposals_submitted": "submitted", "proposals_adopted": "adopted",
                       "proposals_implemented": "implemented", "decisions_reopened": "reopened"},
                  "proposals (cumulative)", "Proposals: from idea to delivery", hue, ax)


#: Labels (with units) of the outcomes used in comparisons; shares are shown in percent.
OUTCOME_LABELS = {
    "turnout": "turnout (% of residents per cycle)",
    "turnout_eligible": "turnout (% of eligible residents per cycle)",
    "turnout_first_cycle": "turnout in the first cycle (% of residents)",
    "turnout_last_cycle": "turnout in the last cycle (% of residents)",
    "turnout_after_election": "turnout after the election (% of residents)",
    "awareness_citizens": "citizens' awareness at the end (0-1)",
    "fear_complexity_administration": "administration's fear of complexity at the end (0-1)",
    "fear_failure_administration": "administration's fear of failure at the end (0-1)",
    "fear_self_interest_administration": "administration's fear of self-interest at the end (0-1)",
    "fear_self_interest_council": "council's fear of self-interest at the end (0-1)",
    "proposals_submitted": "proposals submitted",
    "proposals_adopted": "proposals adopted",
    "decisions_reopened": "decisions reopened",
    "representativeness": "representativeness (0-1)",
    "education_bias": "education bias (high/low, 1 = none)",
    "repeat_participation": "repeat participation (share)",
    "trust_citizens": "citizens' trust at the end (0-1)",
    "efficacy_citizens": "citizens' efficacy at the end (0-1)",
    "fear_citizens": "citizens' fear at the end (0-1)",
    "legitimacy": "legitimacy, overall (0-1)",
    "legitimacy_input": "input legitimacy (0-1)",
    "legitimacy_throughput": "throughput legitimacy (0-1)",
    "legitimacy_output": "output legitimacy (0-1)",
    "service_quality": "service quality at the end (0-1)",
    "service_quality_equity": "equity of quality (1 - Gini)",
    "general_interest_share": "general-interest share of proposals",
    "proposals_implemented": "proposals implemented",
    "staff_hours": "staff hours",
    "budget_spent": "budget spent (EUR)",
}
#: Outcomes stored as shares but shown in percent.
PERCENT = ("turnout", "turnout_eligible", "turnout_first_cycle", "turnout_last_cycle", "turnout_after_election")
#: The outcomes a policymaker compares first: turnout, the three parts of legitimacy, quality.
KEY_OUTCOMES = ("turnout", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy",
                "trust_citizens", "service_quality")


def label(outcome: str) -> str:
    """Axis label of an outcome (with its unit)."""
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))


def timeline(ts: pd.DataFrame, column: str, hue: str = "design", ax: plt.Axes | None = None,
             title: str | None = None) -> plt.Figure:
    """One time-series column for several conditions (mean and 95 % interval over replicates)."""
    df = ts.copy()
    if column in PERCENT:
        df[column] = 100 * df[column]
    fig, ax = _axes(ax)
    sns.lineplot(data=df, x="step", y=column, hue=hue, errorbar=t_interval, ax=ax)
    name = label(column).replace(" at the end", "")  # a time series: the value in each month
    ax.set(xlabel=MONTH, ylabel=name, title=title or name.split(" (")[0].capitalize())
    ax.legend(loc="best", fontsize="small", title=hue)
    fig.tight_layout()
    return fig


def outcomes_panel(ts: pd.DataFrame, hue: str | None = None) -> plt.Figure:
    """Turnout, trust, legitimacy and service quality side by side (one figure, four panels)."""
    fig, axes = plt.subplots(2, 2, figsize=(13, 8))
    for draw, ax in zip((turnout, trust, legitimacy, service_quality), axes.flat, strict=True):
        draw(ts, hue=hue, ax=ax)
    fig.tight_layout()
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


def design_comparison(runs: pd.DataFrame, outcomes: tuple[str, ...] | list[str] = KEY_OUTCOMES,
                      by: str = "design", ncols: int = 4) -> plt.Figure:
    """Each outcome per design: mean and 95 % interval over replicates (one panel per outcome)."""
    table = interval_table(runs, outcomes, by)
    order = list(dict.fromkeys(runs[by]))
    colors = dict(zip(order, sns.color_palette(n_colors=len(order)), strict=True))
    nrows = -(-len(outcomes) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 0.35 * len(order) * nrows + 1.6 * nrows),
                             squeeze=False)
    y = np.arange(len(order))
    for ax, o in zip(axes.flat, outcomes, strict=False):
        t = table[table["outcome"] == o].set_index(by).reindex(order)
        err = np.vstack([t["mean"] - t["ci_low"], t["ci_high"] - t["mean"]])
        ax.errorbar(t["mean"], y, xerr=np.nan_to_num(err), fmt="none", ecolor="0.3", capsize=3, lw=1)
        ax.scatter(t["mean"], y, c=[colors[d] for d in order], s=40, zorder=3)
        ax.set_yticks(y, order if ax in axes[:, 0] else [""] * len(order))
        ax.invert_yaxis()
        ax.set(title=label(o).split(" (")[0], xlabel=label(o).split(" (")[1].rstrip(")") if "(" in label(o) else "")
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(f"Outcomes per {by}: mean and 95 % interval over replicates")
    fig.tight_layout()
    return fig


def tradeoff(runs: pd.DataFrame, x: str = "turnout", y: str = "legitimacy", by: str = "design",
             ax: plt.Axes | None = None) -> plt.Figure:
    """Two outcomes against each other: each condition's mean with 95 % intervals in both directions."""
    table = interval_table(runs, (x, y), by).pivot(index=by, columns="outcome")
    order = list(dict.fromkeys(runs[by]))
    table = table.reindex(order)
    fig, ax = _axes(ax, figsize=(7, 5))
    for i, cond in enumerate(order):
        r = table.loc[cond]
        ax.errorbar(r[("mean", x)], r[("mean", y)],
                    xerr=[[r[("mean", x)] - r[("ci_low", x)]], [r[("ci_high", x)] - r[("mean", x)]]],
                    yerr=[[r[("mean", y)] - r[("ci_low", y)]], [r[("ci_high", y)] - r[("mean", y)]]],
                    fmt="o", color=sns.color_palette(n_colors=len(order))[i], capsize=3, label=cond)
        ax.annotate(cond, (r[("mean", x)], r[("mean", y)]), textcoords="offset points", xytext=(5, 5),
                    fontsize="small")
    short = [label(o).split(" (")[0] for o in (x, y)]
    ax.set(xlabel=label(x), ylabel=label(y), title=f"Trade-off: {short[0]} and {short[1]}")
    fig.tight_layout()
    return fig


def differences(runs: pd.DataFrame, baseline: str, outcomes: tuple[str, ...] | list[str] = KEY_OUTCOMES,
                by: str = "design", pair: str = "replicate", lower_is_better: tuple[str, ...] = (),
                negligible: float = 0.01, negligible_pp: float = 0.1) -> pd.DataFrame:
    """Each condition against a baseline: paired differences with 95 % intervals, and a verdict.

    Runs are paired on ``pair`` (replicate r of every condition shares its seed, so the
    difference is not one of drawn residents). One row per condition and outcome: difference
    (mean), ci_low, ci_high, n and verdict: "about the same" when the mean difference is
    smaller than ``negligible`` (``negligible_pp`` percentage points for shares listed in
    ``PERCENT``, which are shown in percentage points), "better" or "worse" when the whole
    interval lies on one side of zero (higher is better unless the outcome is in
    ``lower_is_better``), else "no clear difference".
    """
    base = runs[runs[by] == baseline].set_index(pair)
    rows = []
    for cond, g in runs[runs[by] != baseline].groupby(by, sort=False, observed=True):
        g = g.set_index(pair)
        common = g.index.intersection(base.index)
        for o in outcomes:
            d = (g.loc[common, o].astype(float) - base.loc[common, o].astype(float)).to_numpy()
            d = d * (100 if o in PERCENT else 1)
            n = d.size
            mean = float(d.mean()) if n else float("nan")
            half = _t_half(d)
            lo, hi = mean - half, mean + half
            if abs(mean) < (negligible_pp if o in PERCENT else negligible):
                verdict = "about the same"
            elif not (lo > 0 or hi < 0):  # the interval holds zero (or is undefined)
                verdict = "no clear difference"
            else:
                verdict = "better" if (lo > 0) != (o in lower_is_better) else "worse"
            rows.append({by: cond, "outcome": o, "difference": mean, "ci_low": lo, "ci_high": hi, "n": n,
                         "verdict": verdict})
    return pd.DataFrame(rows)


def response(runs: pd.DataFrame, x: str, y: str, hue: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """How an outcome responds to a parameter: mean and 95 % interval at each value, one line per ``hue``."""
    keys = [x] if hue is None else [hue, x]
    table = interval_table(runs, (y,), keys)
    fig, ax = _axes(ax, figsize=(7, 4.5))
    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=False))
    for (name, t), color in zip(groups, sns.color_palette(), strict=False):
        t = t.sort_values(x)
        ax.plot(t[x], t["mean"], marker="o", color=color,
                label=None if hue is None else f"{hue.replace('_', ' ')}: {name}")
        ax.fill_between(t[x], t["ci_low"], t["ci_high"], color=color, alpha=0.2)
    name = x.replace("_", " ")
    ax.set(xlabel=name, ylabel=label(y), title=f"{label(y).split(' (')[0].capitalize()} against {name}")
    if hue is not None:
        ax.legend(fontsize="small")
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


def neighbourhoods(frame: pd.DataFrame, title: str = "Per neighbourhood") -> plt.Figure:
    """Service quality, trust and participation per neighbourhood (from ``neighbourhood_frame``)."""
    f = frame.iloc[::-1]
    y = np.arange(len(f))
    fig, axes = plt.subplots(1, 3, figsize=(10, 0.3 * len(f) + 2.2), sharey=True)
    pal = sns.color_palette()
    axes[0].barh(y, f["service_quality"], color=pal[2])
    axes[0].set(xlim=(0, 1), xlabel="index 0-1", title="Service quality")
    axes[1].barh(y, f["trust"], color=pal[0])
    axes[1].set(xlim=(0, 1), xlabel="mean, index 0-1", title="Trust in local government")
    axes[2].barh(y + 0.2, 100 * f["ever_took_part"], height=0.4, color=pal[1], label="ever")
    axes[2].barh(y - 0.2, 100 * f["taking_part"], height=0.4, color=pal[3], label="this cycle")
    axes[2].set(xlabel="% of residents", title="Took part")
    axes[2].legend(fontsize="small", loc="best")
    axes[0].set_yticks(y, f["neighbourhood"])
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def neighbourhood_gain(frames: dict[str, pd.DataFrame], baseline: pd.DataFrame,
                       column: str = "service_quality") -> plt.Figure:
    """Per neighbourhood, how much higher ``column`` ends under each variant than in ``baseline``.

    ``frames`` and ``baseline`` come from ``neighbourhood_frame`` (runs on the same seed, so on
    the same residents and starting quality).
    """
    names = list(baseline["neighbourhood"])[::-1]
    y = np.arange(len(names))
    height = 0.8 / max(len(frames), 1)
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(names) * max(len(frames), 1) ** 0.5 + 1.8))
    base = baseline.set_index("neighbourhood")[column]
    for i, ((variant, frame), color) in enumerate(zip(frames.items(), sns.color_palette(), strict=False)):
        gain = frame.set_index("neighbourhood")[column].reindex(names) - base.reindex(names)
        ax.barh(y + (i - (len(frames) - 1) / 2) * height, gain, height=height, color=color, label=variant)
    ax.set_yticks(y, names)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set(xlabel=f"{label(column).replace(' at the end', '').split(' (')[0]}: difference at the end",
           title=f"Per neighbourhood: {label(column).split(' (')[0].replace(' at the end', '')} against the baseline")
    ax.legend(fontsize="small")
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


def network(model, nodes: pd.DataFrame, edges: np.ndarray, ax: plt.Axes | None = None) -> plt.Figure:
    """The sampled network (``network_sample``) coloured by trust, with who takes part marked."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    pop = model.population
    idx = nodes["index"].to_numpy()
    trust_now = pop.trust[idx]
    now = model.participation.taking_part[idx]
    ever = pop.ever_participated[idx] & ~now
    xy = nodes[["x", "y"]].to_numpy()
    fig, ax = _axes(ax, figsize=(7, 6))
    ax.add_collection(LineCollection(xy[edges], colors="0.6", linewidths=0.4, alpha=0.5, zorder=1))
    sizes = np.where(now, 70, np.where(ever, 30, 14))
    edgecolors = np.where(now, "black", np.where(ever, "0.35", "none"))
    points = ax.scatter(xy[:, 0], xy[:, 1], c=trust_now, cmap="RdYlGn", vmin=0, vmax=1, s=sizes,
                        edgecolors=edgecolors, linewidths=np.where(now, 1.4, 0.6), zorder=2)
    fig.colorbar(points, ax=ax, shrink=0.7, label="trust in local government (0-1)")
    handles = [Line2D([], [], marker="o", ls="", mfc="0.8", mec="black", mew=1.4, ms=9, label="taking part now"),
               Line2D([], [], marker="o", ls="", mfc="0.8", mec="0.35", mew=0.6, ms=6, label="took part before"),
               Line2D([], [], marker="o", ls="", mfc="0.8", mec="none", ms=4, label="never took part")]
    ax.legend(handles=handles, loc="lower left", fontsize="x-small", framealpha=0.8)
    ax.set(title=f"Network: sample of {idx.size:,} of {pop.size:,} residents", xticks=[], yticks=[])
    ax.grid(False)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    return fig
