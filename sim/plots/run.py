"""The figures of one run (or of several runs of one condition): the time series of its
outcomes, who takes part, and the state of its neighbourhoods and network now.

Every function takes tidy tables (with several runs the figures draw the mean and its 95 %
t-interval over replicates) or a model, and returns a matplotlib Figure; ``save`` writes PNG
and SVG. The shared words, colours, markers and legends are in :mod:`sim.plots.style`.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim import texts
from sim.model.outcomes import GROUP_ORDER
from sim.plots.style import (
    _axes,
    _display,
    _display_palette,
    _fit,
    _localised,
    _title,
    context,
    label,
    legend_below,
    mark_phases,
    t_interval,
)

_DASHES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3)))
#: Characters per line of a time axis's vertical label (longer labels wrap).
_AXIS_LABEL_CHARS = 45
#: Characters of a legend entry per inch of its axes' width (two columns of entries fit under the axes).
_LEGEND_CHARS_PER_INCH = 7.0


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
    target = {m: (ax2 if ax2 is not None and m in twin else ax) for m in every}
    single = not hue and not long.duplicated(["step", "measure"]).any()
    handles = []
    if hue:
        shown = _display(long[hue], hue, lang)
        long = long.assign(**{hue: shown})
        pal = _display_palette(ts[hue].unique(), hue, lang)
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
    what_ran = context(ts, lang, scenario=scenario, design=design, seed=seed, by=hue)
    # long axis labels (the twin axis's, Dutch ones) wrap instead of running past the axes into the title; in a
    # panel of a larger figure, the title and the legend's entries wrap to the panel's width, so that they do not
    # run into the next panel's (a figure of its own has room beside its axes)
    def fit(text: str, per_inch: float = 13.0) -> str:
        return text if own else _fit(ax, text, per_inch)

    ax.set(xlabel=texts.phrase("month_axis", lang), ylabel=textwrap.fill(ylabel, _AXIS_LABEL_CHARS),
           title=fit(_title(title, what_ran)))
    if ax2 is not None:
        ax2.set_ylabel(textwrap.fill(twin_ylabel, _AXIS_LABEL_CHARS))
        ax2.grid(False)
    legend_below(ax, handles, [fit(str(h.get_label()), _LEGEND_CHARS_PER_INCH) for h in handles], ncols=2,
                 title=fit(caption, _LEGEND_CHARS_PER_INCH) if (caption and not own) else None)
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


def _percent(ts: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy of ``ts`` with the shares of ``columns`` in percent (those it has)."""
    df = ts.copy()
    for c in columns:
        if c in df.columns:
            df[c] = 100 * df[c].astype(float)
    return df


@_localised
def trust(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
          election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
          design: str | None = None, seed: int | None = None) -> plt.Figure:
    """The shares of residents who trust the municipality (all, those who took part, those who never did)
    and who feel they can influence it (% of residents); the administration's and the council's trust in
    residents on a right-hand axis of their own.

    The residents' lines are survey shares (% who agree with an item); the administration's and the
    council's trust in residents are indices 0-1 of their members' attitudes, another quantity, so
    they are drawn against their own axis, dashed. A table without ``trust_nonparticipants`` (an
    older run) draws the others.
    """
    cols = tuple(c for c in ("trust_citizens", "trust_participants", "trust_nonparticipants", "efficacy_citizens")
                 if c in ts.columns)
    twin = tuple(c for c in ("trust_administration", "trust_council") if c in ts.columns)
    return _lines(_percent(ts, cols), {c: texts.phrase(c, lang) for c in cols}, texts.phrase("trust_axis", lang),
                  texts.phrase("trust_title", lang), hue, ax,
                  twin={c: texts.phrase(c, lang) for c in twin},
                  twin_ylabel=texts.phrase("attitudes_axis", lang),
                  **_run_keywords(lang, election_month, marks, scenario, design, seed))


@_localised
def legitimacy(ts: pd.DataFrame, hue: str | None = None, ax: plt.Axes | None = None, *, lang: str = "en",
               election_month: int | list[int] | None = None, marks: bool = True, scenario: str | None = None,
               design: str | None = None, seed: int | None = None) -> plt.Figure:
    """Legitimacy as residents perceive it: the shares of residents who feel involved (input), find decisions
    fair and open (throughput) and are satisfied with what is delivered (output), and their combination
    (overall), in % of residents."""
    cols = ("legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy")
    return _lines(_percent(ts, cols), {c: texts.phrase(c, lang) for c in cols}, texts.phrase("legitimacy_axis", lang),
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
    # a panel tall enough for its longest list of groups (a municipality's many neighbourhoods overlapped at 4.2 in)
    most = max(len(groups_of) for groups_of in orders.values())
    row_height = max(4.2, 0.3 * most + 1.4)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, row_height * nrows + 0.8), squeeze=False)
    for ax in axes.flat[len(dims):]:
        ax.set_visible(False)
    colors = {who["population"]: "0.7", who["participants"]: "#0173b2"}
    for ax, dim in zip(axes.flat, dims, strict=False):
        sns.barplot(data=df[df["dimension"] == dim], y="group", x="share", hue="who", ax=ax, orient="h",
                    order=orders[dim], hue_order=list(who.values()), palette=colors, legend=False)
        ax.set(title=texts.name_or_key("dimension", dim, lang), xlabel=texts.phrase("share_axis", lang), ylabel="")

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


# --------------------------------------------------------------------------- the model's state now

def neighbourhood_frame(model) -> pd.DataFrame:
    """The state of each neighbourhood of a (running or finished) model; one row per neighbourhood.

    Columns: neighbourhood, residents, taking_part (share of residents in the current cycle),
    ever_took_part (share), trust (share of residents who agree with the trust item), fear,
    awareness (means), service_quality.
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
        "trust": mean(pop.agrees("trust")), "fear": mean(pop.fear), "awareness": mean(pop.awareness),
        "service_quality": np.asarray(model.services.quality, dtype=float),
    })


@_localised
def neighbourhoods(frame: pd.DataFrame, title: str | None = None, *, lang: str = "en") -> plt.Figure:
    """Service quality, the share who trust the municipality and participation per neighbourhood
    (from ``neighbourhood_frame``)."""
    f = frame.iloc[::-1]
    y = np.arange(len(f))
    fig, axes = plt.subplots(1, 3, figsize=(10, 0.3 * len(f) + 3), sharey=True)
    pal = sns.color_palette()
    quality = label("service_quality", lang)
    axes[0].barh(y, f["service_quality"], color=pal[2])
    axes[0].set(xlim=(0, 1), xlabel=quality.split(" (")[1].rstrip(")"), title=textwrap.fill(quality.split(" (")[0], 26))
    axes[1].barh(y, 100 * f["trust"], color=pal[0])
    axes[1].set(xlim=(0, 100), xlabel=texts.phrase("pct_residents", lang),
                title=textwrap.fill(label("trust_citizens", lang).split(" (")[0], 26))
    axes[2].barh(y + 0.2, 100 * f["ever_took_part"], height=0.4, color=pal[1], label=texts.phrase("ever", lang))
    axes[2].barh(y - 0.2, 100 * f["taking_part"], height=0.4, color=pal[3], label=texts.phrase("this_round", lang))
    axes[2].set(xlabel=texts.phrase("pct_residents", lang), title=texts.phrase("took_part", lang))
    legend_below(axes[2], ncols=1)
    axes[0].set_yticks(y, f["neighbourhood"])
    fig.suptitle(title or texts.phrase("per_neighbourhood", lang))
    fig.tight_layout()
    return fig


def network_sample(model, max_nodes: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A drawable sample of the residents' network, with fixed positions.

    A snowball (breadth-first) sample inside each neighbourhood, with quotas in proportion to
    its residents, keeps the local ties that a uniform sample of a large network would lose;
    it over-represents well-connected residents a little. Returns the nodes (index,
    neighbourhood, x, y) and the ties between them as pairs of row numbers.
    """
    rng = np.random.default_rng(seed)
    adj, nb = model.network, model.population.neighbourhood
    n, k = nb.size, int(nb.max()) + 1
    quota = np.maximum(1, np.round(max_nodes * np.bincount(nb, minlength=k) / n)).astype(int)
    chosen: list[int] = []
    for h in range(k):
        members = np.flatnonzero(nb == h)
        if members.size == 0:
            continue
        seen: set[int] = set()
        queue = [int(rng.choice(members))]
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
    """The sampled network (``network_sample``) coloured by each resident's chance of agreeing with the
    trust item (how firmly she trusts the municipality), with who takes part marked."""
    pop = model.population
    idx = nodes["index"].to_numpy()
    trust_now = pop.conviction("trust")[idx]
    now = model.participation.taking_part[idx]
    ever = pop.ever_participated[idx] & ~now
    xy = nodes[["x", "y"]].to_numpy()
    own = ax is None
    fig, ax = _axes(ax, figsize=(7, 6))
    ax.add_collection(LineCollection(xy[edges], colors="0.6", linewidths=0.4, alpha=0.5, zorder=1))
    sizes = np.where(now, 70, np.where(ever, 30, 14))
    edgecolors = np.where(now, "black", np.where(ever, "0.35", "none"))
    points = ax.scatter(xy[:, 0], xy[:, 1], c=trust_now, cmap="RdYlGn", vmin=0, vmax=1, s=sizes,
                        edgecolors=edgecolors.tolist(), linewidths=np.where(now, 1.4, 0.6).tolist(), zorder=2)
    fig.colorbar(points, ax=ax, shrink=0.7, label=texts.phrase("conviction_axis", lang))
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
