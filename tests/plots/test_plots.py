"""The figures (sim/plots/): titles name the run, quantities on their own axes, phases marked,
groups in order, legends off the data, one colour per design, and Dutch words with lang="nl".

The tables are built by hand (a 36-month run with two participation rounds and an election in
month 30), so each figure's content is known without running the model.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim import plots, texts
from sim.model.model import TIMESERIES_COLUMNS

STEPS = 36
ELECTION = 30  # month (0-based): step 31
#: Phases by step: inform 4-5, participate 6-8, decide 9; again participate 18-20, decide 21.
PARTICIPATE = [6, 7, 8, 18, 19, 20]
DECIDE = [9, 21]


def _timeseries(scenario: str = "geel", design: str = "participatory_budget", seed: int = 7,
                run_columns: bool = True) -> pd.DataFrame:
    """A time series with every column of the model's, phases as above, quality rising a little."""
    step = np.arange(1, STEPS + 1)
    df = pd.DataFrame({c: np.linspace(0.3, 0.4, STEPS) for c in TIMESERIES_COLUMNS})
    df.insert(0, "step", step)
    df["month"] = step - 1
    phase = np.full(STEPS, "idle", dtype=object)
    phase[np.isin(step, [4, 5])] = "inform"
    phase[np.isin(step, PARTICIPATE)] = "participate"
    phase[np.isin(step, DECIDE)] = "decide"
    df["phase"] = phase
    df["turnout"] = np.where(step > 5, 0.02, 0.0)
    df["turnout_eligible"] = df["turnout"] * 1.25
    df["efficacy_citizens"] = np.linspace(0.6, 0.7, STEPS)
    df["service_quality"] = np.linspace(0.50, 0.52, STEPS)  # a small change that must stay visible
    df["service_quality_equity"] = np.linspace(0.95, 0.96, STEPS)
    if run_columns:
        df.insert(0, "seed", seed)
        df.insert(0, "design", design)
        df.insert(0, "scenario", scenario)
    return df


def _groups(shuffled: bool = True) -> pd.DataFrame:
    """A group table whose groups are listed out of order (high before low, 65+ first)."""
    groups = [("education", "high"), ("education", "low"), ("education", "middle"),
              ("age", "65+"), ("age", "18-34"), ("age", "0-17"), ("age", "35-64"),
              ("neighbourhood", "centre"), ("neighbourhood", "north"),
              ("online_access", "online"), ("online_access", "offline")]
    if not shuffled:
        groups = sorted(groups)
    rows = [{"step": s, "dimension": d, "group": g, "population": 100 + 10 * i, "participants": i % 3 + 1}
            for s in range(1, STEPS + 1) for i, (d, g) in enumerate(groups)]
    return pd.DataFrame(rows)


def _runs() -> pd.DataFrame:
    """A runs table: three designs, four replicates each (seeds 0-3), random outcomes."""
    rng = np.random.default_rng(0)
    designs = ["none", "participatory_budget", "citizens_panel"]
    df = pd.DataFrame({"scenario": "geel", "design": designs * 4, "replicate": np.repeat(np.arange(4), 3)})
    df["seed"] = df["replicate"]
    for o in plots.KEY_OUTCOMES:
        df[o] = rng.random(len(df))
    return df


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


TIME_FIGURES = [plots.turnout, plots.trust, plots.legitimacy, plots.service_quality, plots.fears, plots.proposals]


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize("draw", TIME_FIGURES, ids=lambda f: f.__name__)
def test_time_series_titles_name_scenario_design_and_seed(draw) -> None:
    """From the table's scenario, design and seed columns, in words."""
    fig = draw(_timeseries())
    title = fig.axes[0].get_title()
    assert "Geel" in title and "participatory budget" in title and "seed 7" in title
    assert "participatory_budget" not in title


def test_titles_from_keywords_when_the_table_has_no_run_columns() -> None:
    """The dashboard's tables have no run columns: the keywords name the run."""
    title = plots.trust(_timeseries(run_columns=False), scenario="kampenhout", design="citizens_panel",
                        seed=3).axes[0].get_title()
    assert "Kampenhout" in title and "citizens' panel" in title and "seed 3" in title


def test_titles_count_replicates() -> None:
    """Several seeds of one condition: the title says over how many replicates."""
    ts = pd.concat([_timeseries(seed=s) for s in (1, 2, 3)])
    assert "over 3 replicates" in plots.legitimacy(ts).axes[0].get_title()
    assert "over 4 replicates" in plots.design_comparison(_runs())._suptitle.get_text()


def test_composition_title_names_the_run() -> None:
    """The composition figure takes scenario, design and seed from the group table or keywords."""
    fig = plots.composition(_groups(), _timeseries(run_columns=False), scenario="antwerp_district",
                            design="ideas_platform", seed=5)
    text = fig._suptitle.get_text()
    assert "District Antwerp" in text and "ideas platform" in text and "seed 5" in text


# --------------------------------------------------------------------------- axes


def _axes_of(fig: plt.Figure, ydata_start: float) -> plt.Axes:
    """The axes holding the line that starts at ``ydata_start``."""
    hits = [ax for ax in fig.axes for line in ax.lines
            if len(line.get_ydata()) and np.isclose(line.get_ydata()[0], ydata_start)]
    assert len(hits) == 1, hits
    return hits[0]


def test_quality_and_equity_on_different_axes() -> None:
    """Equity on a twin axis; the quality axis is scaled to quality, so its small rise is visible."""
    fig = plots.service_quality(_timeseries())
    q, e = _axes_of(fig, 0.50), _axes_of(fig, 0.95)
    assert q is not e
    lo, hi = q.get_ylim()
    assert hi - lo < 0.1  # the 0.02 rise spans a good part of the axis, not 2 % of a 0-1 axis
    assert "1 - Gini" in e.get_ylabel() and "quality" in q.get_ylabel()


def test_trust_shows_shares_of_residents_and_the_councils_trust_on_its_own_axis() -> None:
    """The residents' survey items are shares, drawn in % of residents on one axis (trust among all, those
    who took part and those who never did; efficacy); the administration's and the council's trust in
    residents are 0-1 indices of their members' attitudes, on a right-hand axis of their own."""
    fig = plots.trust(_timeseries())
    shares = fig.axes[0]
    (attitudes,) = {ax for ax in fig.axes for line in ax.lines
                    if len(line.get_ydata()) and np.isclose(line.get_ydata()[0], 0.3)}
    assert attitudes is not shares
    assert _axes_of(fig, 60.0) is shares  # efficacy 0.6 drawn as 60 %
    assert shares.get_ylabel() == texts.phrase("trust_axis") and "%" in shares.get_ylabel()
    assert "index 0-1" in attitudes.get_ylabel()
    residents = [line for line in shares.lines if len(line.get_ydata()) and np.isclose(line.get_ydata()[0], 30.0)]
    assert len(residents) == 3  # all residents, participants, non-participants
    council = [line for line in attitudes.lines if np.isclose(line.get_ydata()[0], 0.3)]
    assert len(council) == 2  # administration, council
    labels = [t.get_text() for t in shares.get_legend().get_texts()]
    assert texts.phrase("trust_nonparticipants") in labels and texts.phrase("efficacy_citizens") in labels


def test_legitimacy_shows_the_shares_who_agree_with_its_items_in_percent() -> None:
    """Input, throughput, output and overall legitimacy: % of residents, named by their items in plain words."""
    fig = plots.legitimacy(_timeseries(), lang="en")
    ax = fig.axes[0]
    assert "%" in ax.get_ylabel()
    lines = [line for line in ax.lines if line.get_gid() is None]
    assert len(lines) == 4 and all(np.isclose(line.get_ydata()[0], 30.0) for line in lines)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "feel involved" in labels and "find decisions fair and open" in labels
    assert not any(word in " ".join(labels) for word in ("input", "throughput", "output"))


def test_shares_of_residents_are_percent_in_every_comparison() -> None:
    """A comparison of designs draws a share of residents in percent, an index as it is."""
    runs = _runs()
    table = plots.interval_table(runs, ("trust_citizens", "service_quality")).set_index(["design", "outcome"])
    pb = runs[runs["design"] == "participatory_budget"]
    pb_table = table.loc["participatory_budget"]
    assert pb_table.loc["trust_citizens", "mean"] == pytest.approx(100 * pb["trust_citizens"].mean())
    assert pb_table.loc["service_quality", "mean"] == pytest.approx(pb["service_quality"].mean())
    fig = plots.conditions(runs, "trust_citizens", ["design"])
    means = next(line.get_ydata() for line in fig.axes[0].lines if len(line.get_ydata()) == 3)
    expected = runs.groupby("design", sort=False)["trust_citizens"].mean() * 100
    np.testing.assert_allclose(sorted(means), sorted(expected))
    frame = pd.DataFrame({"neighbourhood": ["centre", "north"], "residents": [10, 10], "taking_part": [0.1, 0.0],
                          "ever_took_part": [0.2, 0.1], "trust": [0.3, 0.25], "fear": [0.4, 0.4],
                          "awareness": [0.5, 0.5], "service_quality": [0.5, 0.6]})
    hoods = plots.neighbourhoods(frame, lang="nl")
    assert hoods.axes[1].get_xlim() == (0, 100)
    assert sorted(round(b.get_width(), 6) for b in hoods.axes[1].patches) == [25.0, 30.0]


def test_turnout_labels_eligible_and_all_residents() -> None:
    """The two lines are named, and the caption says who is eligible (with the design's minimum age)."""
    fig = plots.turnout(_timeseries(), min_age=16)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "eligible residents (%)" in labels and "all residents (%)" in labels
    caption = " ".join(t.get_text() for t in fig.texts)
    assert "old enough to take part in the design" in caption and "16 or older" in caption


def test_single_run_keeps_the_fast_path() -> None:
    """One run: plain lines, no interval bands (the dashboard redraws every month)."""
    fig = plots.legitimacy(_timeseries())
    assert len(fig.axes[0].lines) == 4 + len(DECIDE)  # four measures and the decision lines
    assert not fig.axes[0].collections


def test_existing_positional_arguments_still_work() -> None:
    """``turnout(ts, hue, ax)`` draws into the given axes (outcomes_panel and notebooks call so)."""
    fig, ax = plt.subplots()
    assert plots.turnout(_timeseries(), None, ax) is fig
    assert ax.lines
    assert len(plots.outcomes_panel(_timeseries()).axes) >= 4


# --------------------------------------------------------------------------- markers


@pytest.mark.parametrize("draw", TIME_FIGURES, ids=lambda f: f.__name__)
def test_time_axes_mark_participation_decisions_and_election(draw) -> None:
    """Grey bands over the participate months, lines at decisions and at the election (month m = step m + 1)."""
    ax = draw(_timeseries(), election_month=ELECTION).axes[0]
    bands = [p for p in ax.patches if p.get_gid() == "participate"]
    assert len(bands) == 2
    covered = sorted({s for b in bands for s in range(1, STEPS + 1)
                      if b.get_x() < s < b.get_x() + b.get_width()})
    assert covered == PARTICIPATE
    decide = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "decide"]
    assert decide == DECIDE
    election = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "election"]
    assert election == [ELECTION + 1]


def test_election_month_inferred_from_the_scenario_preset() -> None:
    """Without the keyword, the scenario preset's next_election_month (69 for Geel) is marked."""
    ts = pd.concat([_timeseries(), _timeseries().assign(step=lambda d: d["step"] + STEPS)])
    ts = ts.groupby("step", as_index=False).first().iloc[:80]
    ts["step"] = np.arange(1, len(ts) + 1)
    ax = plots.trust(ts).axes[0]
    assert [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "election"] == [70]
    # an election after the last step drawn is not marked (nor does it stretch the axis)
    ax = plots.trust(_timeseries()).axes[0]
    assert not [line for line in ax.lines if line.get_gid() == "election"]


def test_timeline_marks_only_phases_every_run_shares() -> None:
    """Two designs with different calendars: only the months both take part in are shaded."""
    a = _timeseries(design="participatory_budget")
    b = _timeseries(design="consultation")
    b.loc[b["step"].isin([18, 19, 20]), "phase"] = "idle"
    ax = plots.timeline(pd.concat([a, b]), "trust_citizens", election_month=ELECTION).axes[0]
    bands = [p for p in ax.patches if p.get_gid() == "participate"]
    assert len(bands) == 1 and bands[0].get_x() == pytest.approx(5.5)


# --------------------------------------------------------------------------- order, colours, legends


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_composition_groups_in_natural_order(lang: str) -> None:
    """Education low, middle, high and age groups by age, top to bottom, however the table lists them."""
    fig = plots.composition(_groups(), _timeseries(), lang=lang)
    titles = [ax.get_title() for ax in fig.axes]
    edu = fig.axes[titles.index(texts.name("dimension", "education", lang))]
    age = fig.axes[titles.index(texts.name("dimension", "age", lang))]
    assert [t.get_text() for t in edu.get_yticklabels()] == [texts.name("group", g, lang)
                                                            for g in ("low", "middle", "high")]
    assert [t.get_text() for t in age.get_yticklabels()] == [texts.name("group", g, lang)
                                                            for g in ("0-17", "18-34", "35-64", "65+")]


def _hex(color) -> str:
    return mcolors.to_hex(color)


def test_a_design_has_the_same_colour_in_every_figure() -> None:
    """The participatory budget is drawn in its fixed colour in a time series, a comparison and a trade-off."""
    pb = plots.DESIGN_COLORS["participatory_budget"]
    ts = pd.concat([_timeseries(design=d, seed=s) for d in ("none", "participatory_budget") for s in (1, 2)])
    timeline = plots.timeline(ts, "trust_citizens").axes[0]
    assert pb in {_hex(line.get_color()) for line in timeline.lines}
    handles = {t.get_text(): h for t, h in zip(timeline.get_legend().get_texts(),
                                                timeline.get_legend().legend_handles, strict=True)}
    assert _hex(handles["participatory budget"].get_color()) == pb

    runs = _runs()
    comparison = plots.design_comparison(runs).axes[0]
    ticks = [t.get_text() for t in comparison.get_yticklabels()]
    faces = comparison.collections[-1].get_facecolors()
    assert _hex(faces[ticks.index("participatory budget")]) == pb

    tradeoff = plots.tradeoff(runs).axes[0]
    assert pb in {_hex(c.lines[0].get_color()) for c in tradeoff.containers}

    # the order of designs in a table does not change their colours
    shuffled = plots.design_comparison(runs.iloc[::-1]).axes[0]
    ticks = [t.get_text() for t in shuffled.get_yticklabels()]
    assert _hex(shuffled.collections[-1].get_facecolors()[ticks.index("participatory budget")]) == pb


def _no_legend_over_data(fig: plt.Figure) -> int:
    """Assert no legend overlaps any visible axes' data area; the number of legends checked."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    boxes = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_visible()]
    for legend in legends:
        extent = legend.get_window_extent(renderer)
        for box in boxes:
            assert not extent.overlaps(box), (legend, extent, box)
    return len(legends)


@pytest.mark.parametrize("make", [
    lambda: plots.turnout(_timeseries()),
    lambda: plots.trust(_timeseries(), election_month=ELECTION),
    lambda: plots.service_quality(pd.concat([_timeseries(design=d) for d in ("none", "coproduction")]),
                                  hue="design"),
    lambda: plots.outcomes_panel(_timeseries(), election_month=ELECTION),
    lambda: plots.composition(_groups(), _timeseries()),
    lambda: plots.timeline(pd.concat([_timeseries(design=d) for d in ("none", "coproduction")]), "legitimacy"),
    lambda: plots.conditions_over_time(pd.concat([_timeseries(design=d) for d in ("none", "coproduction")]),
                                       ["turnout", "legitimacy"], "design"),
    lambda: plots.conditions(_runs().assign(x=lambda d: d["seed"] % 2), "turnout", ["x", "design"]),
    lambda: plots.response(_runs().assign(x=lambda d: d["seed"]), "x", "turnout", hue="design"),
], ids=["turnout", "trust", "quality_by_design", "panel", "composition", "timeline", "over_time", "conditions",
        "response"])
def test_legends_never_cover_data(make) -> None:
    """Every legend's window lies outside every axes' area, after drawing."""
    assert _no_legend_over_data(make()) >= 1


# --------------------------------------------------------------------------- Dutch


def test_dutch_words_with_lang_nl() -> None:
    """Titles, axes, legend entries, markers and the caption in Dutch."""
    fig = plots.turnout(_timeseries(), lang="nl", election_month=ELECTION, min_age=16)
    ax = fig.axes[0]
    assert ax.get_title().startswith("Opkomst") and "burgerbegroting" in ax.get_title()
    assert ax.get_xlabel() == "maand van de simulatie"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "alle inwoners (%)" in labels and "gemeenteraadsverkiezingen" in labels and "beslissing" in labels
    assert "oud genoeg" in " ".join(t.get_text() for t in fig.texts)
    ax = plots.trust(_timeseries(), lang="nl").axes
    assert ax[0].get_ylabel() == "inwoners die akkoord gaan (%)" and "vertrouwen" in ax[1].get_ylabel()
    labels = [t.get_text() for t in ax[0].get_legend().get_texts()]
    assert "vertrouwen in het gemeentebestuur: alle inwoners" in labels
    comparison = plots.design_comparison(_runs(), lang="nl")
    assert "burgerbegroting" in [t.get_text() for t in comparison.axes[0].get_yticklabels()]
    assert comparison._suptitle.get_text().startswith("Uitkomsten per traject")


def test_condition_columns_are_named_in_words() -> None:
    """A column of conditions is named as the language says it (design, scenario, a lever by its name, a
    notebook's own words as they are); a response to a parameter writes Dutch numbers and names."""
    assert plots.column_name("design", "nl") == "traject" and plots.column_name("scenario") == "scenario"
    assert plots.column_name("citizens.fear_mean", "nl") == "Inwoners: vrees"
    assert plots.column_name("informed_first") == "informed first"
    fig = plots.response(_runs().assign(x=lambda d: d["seed"] / 10), "x", "turnout", hue="design", lang="nl")
    ax = fig.axes[0]
    assert "traject: burgerbegroting" in [t.get_text() for t in ax.get_legend().get_texts()]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks), ticks
    assert plots.design_comparison(_runs().assign(**{"citizens.fear_mean": "0.2"}), by="citizens.fear_mean",
                                   lang="nl")._suptitle.get_text().startswith("Uitkomsten per Inwoners: vrees")


def test_tick_labels_of_euros_do_not_run_into_each_other() -> None:
    """Millions of euros in a panel of the comparison: the tick labels, written in full, stay apart."""
    runs = _runs().assign(budget_spent=lambda d: 6.4e6 + 2e4 * d["turnout"])
    fig = plots.design_comparison(runs, ("budget_spent", "turnout"), ncols=3, lang="nl")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert len(boxes) >= 2 and "." in fig.axes[0].get_xticklabels()[1].get_text()
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_unknown_language_is_an_error() -> None:
    """lang="fr" is refused with the languages that exist."""
    with pytest.raises(KeyError, match="en, nl"):
        plots.trust(_timeseries(), lang="fr")


def test_other_conditions_never_borrow_a_drawn_designs_colour() -> None:
    """A variant drawn beside a design preset gets a colour of its own, not the preset's."""
    colors = plots.palette(["participatory_budget", "variant x", "variant y"], "design")
    assert colors["participatory_budget"] == plots.DESIGN_COLORS["participatory_budget"]
    assert len(set(colors.values())) == 3


def test_neighbourhood_gains_over_replicates() -> None:
    """Mean paired gain per neighbourhood with an interval over replicates; the title says how many."""
    def frame(quality: list[float]) -> pd.DataFrame:
        return pd.DataFrame({"neighbourhood": ["centre", "north"], "service_quality": quality})

    base = [frame([0.5, 0.5]), frame([0.6, 0.4])]
    frames = {"greedy": [frame([0.6, 0.5]), frame([0.7, 0.4])],
              "equal shares": [frame([0.5, 0.6]), frame([0.6, 0.52])]}
    fig = plots.neighbourhood_gains(frames, base, by="rule", scenario="antwerp_district",
                                    design="participatory_budget")
    ax = fig.axes[0]
    title = ax.get_title()
    assert "District Antwerp" in title and "participatory budget" in title.lower() and "2 replicates" in title
    widths = sorted(round(p.get_width(), 3) for p in ax.patches)
    assert widths == [0.0, 0.0, 0.1, 0.11]  # greedy: +0.1 centre, 0 north; equal shares: 0 centre, +0.11 north
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["greedy", "equal shares"]
    with pytest.raises(ValueError, match="replicates"):
        plots.neighbourhood_gains({"greedy": frames["greedy"][:1]}, base)


# --------------------------------------------------------------------------- live charts (dashboard)


@pytest.mark.parametrize("draw", [lambda lang: plots.trust(_timeseries(), lang=lang),
                                  lambda lang: plots.legitimacy(_timeseries().assign(**dict.fromkeys(
                                      ("legitimacy", "legitimacy_input", "legitimacy_throughput",
                                       "legitimacy_output"), np.linspace(0.300, 0.303, STEPS))), lang=lang),
                                  lambda lang: plots.design_comparison(_runs(), lang=lang),
                                  lambda lang: plots.tradeoff(_runs(), "turnout", "service_quality", lang=lang)])
def test_dutch_figures_write_decimal_commas(draw) -> None:
    """Every figure function localises its numeric axes: 0,35 in Dutch, 0.35 in English."""
    def ticks(lang: str) -> list[str]:
        fig = draw(lang)
        fig = fig if isinstance(fig, plt.Figure) else fig.figure
        fig.canvas.draw()
        return [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() if t.get_text()]

    nl, en = ticks("nl"), ticks("en")
    assert any("," in t for t in nl) and not any("." in t for t in nl)
    assert any("." in t for t in en) and not any("," in t for t in en)


# --------------------------------------------------------------------------- numbers and names of the report's figures


@pytest.mark.parametrize(("lang", "written"), [("nl", "200.000"), ("en", "200,000")])
def test_cost_axes_write_thousands_as_the_language_does(lang: str, written: str) -> None:
    """A cost axis reads 200.000 (Dutch) or 200,000 (English), never 200000 or an offset above the axis."""
    runs = _runs()
    runs["total_cost_eur"] = 100_000 + 100_000 * runs["turnout"]
    fig = plots.tradeoff(runs, "total_cost_eur", "trust_citizens", lang=lang)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert written in ticks, ticks
    assert ax.xaxis.get_offset_text().get_text() == ""


def test_cost_intervals_never_go_below_zero() -> None:
    """Two runs of very different staff hours: the t-interval reaches below zero, the bootstrap interval does not."""
    hours = np.array([10.0, 700.0])
    assert plots.t_interval(hours)[0] < 0
    low, high = plots.bootstrap_interval(hours)
    assert 10.0 <= low < high <= 700.0
    assert plots.bootstrap_interval(hours) == (low, high)  # the same runs, the same interval
    runs = pd.DataFrame({"design": ["a", "a"], **{c: hours for c in plots.COSTS}})
    table = plots.interval_table(runs, plots.COSTS, percent=False)
    assert (table["ci_low"] >= 0).all() and np.isnan(plots.bootstrap_interval(np.array([np.nan]))[0])


def test_trade_off_names_designs_in_a_legend_beside_the_axes() -> None:
    """No names written among the points (they overlapped in a cluster): each design once in a legend outside."""
    fig = plots.tradeoff(_runs(), "turnout", "legitimacy", lang="nl")
    ax = fig.axes[0]
    assert len(ax.texts) == 0
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == [texts.name("design", d, "nl") for d in ("none", "participatory_budget", "citizens_panel")]
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # right of the data, not over it
