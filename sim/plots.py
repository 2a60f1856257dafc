"""The standard figures, shared by the CLI outputs, notebooks and the dashboard.

Every function takes tidy tables (one or many runs; with several runs seaborn draws the mean
and a 95 % interval) and returns a matplotlib Figure; ``save`` writes PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows; notebooks switch to their inline backend themselves

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

sns.set_theme(style="whitegrid", context="notebook")

MONTH = "month (step)"


def _lines(ts: pd.DataFrame, columns: dict[str, str], ylabel: str, title: str,
           hue: str | None = None) -> plt.Figure:
    long = ts.melt(id_vars=[c for c in ("step", "design", "scenario", "seed") if c in ts.columns],
                   value_vars=list(columns), var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(columns)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    style = "measure" if hue else None
    sns.lineplot(data=long, x="step", y="value", hue=hue or "measure", style=style,
                 errorbar=("ci", 95), ax=ax)
    ax.set(xlabel=MONTH, ylabel=ylabel, title=title)
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig


def turnout(ts: pd.DataFrame, hue: str | None = None) -> plt.Figure:
    """Participants in the current cycle as a share of residents and of those eligible."""
    df = ts.copy()
    df["turnout_pct"] = 100 * df["turnout"]
    df["turnout_eligible_pct"] = 100 * df["turnout_eligible"]
    return _lines(df, {"turnout_pct": "all residents", "turnout_eligible_pct": "eligible residents"},
                  "participants in current cycle (% of residents)", "Turnout", hue)


def trust(ts: pd.DataFrame, hue: str | None = None) -> plt.Figure:
    """Trust of citizens (all and those who took part), administration and council."""
    return _lines(ts, {"trust_citizens": "citizens in local government",
                       "trust_participants": "participants in local government",
                       "efficacy_citizens": "citizens' efficacy",
                       "trust_administration": "administration in citizens",
                       "trust_council": "council in citizens"},
                  "trust (index 0-1)", "Trust and efficacy", hue)


def legitimacy(ts: pd.DataFrame, hue: str | None = None) -> plt.Figure:
    """Legitimacy in its three parts (input, throughput, output) and overall."""
    return _lines(ts, {"legitimacy_input": "input", "legitimacy_throughput": "throughput",
                       "legitimacy_output": "output", "legitimacy": "overall"},
                  "legitimacy (index 0-1)", "Legitimacy", hue)


def service_quality(ts: pd.DataFrame, hue: str | None = None) -> plt.Figure:
    """Delivered service quality (population-weighted mean) and its equity across neighbourhoods."""
    return _lines(ts, {"service_quality": "quality (mean)", "service_quality_equity": "equity (1 - Gini)"},
                  "index 0-1", "Delivered service quality", hue)


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
