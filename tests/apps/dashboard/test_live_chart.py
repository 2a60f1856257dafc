"""The dashboard's live charts (sim/apps/dashboard/live_chart.py): updated month by month, they
draw what a new chart draws from the whole table, with their markers and legends off the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim.apps.dashboard import live_chart
from tests.plots.test_plots import ELECTION, PARTICIPATE, STEPS, _no_legend_over_data, _timeseries


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _live_table() -> pd.DataFrame:
    """_timeseries with two rounds (cycle 1: steps 4-9, cycle 2: steps 18-21) and a decision reopened at 25."""
    ts = _timeseries()
    step = ts["step"].to_numpy()
    ts["cycle"] = np.select([(step >= 4) & (step <= 9), (step >= 18) & (step <= 21)], [1, 2], 0)
    ts["turnout"] = np.where(np.isin(step, PARTICIPATE), 0.01 + 0.002 * (step % 5), 0.0)
    ts["decisions_reopened"] = (step >= 25).astype(int)
    return ts


@pytest.mark.parametrize("kind", [k for k in live_chart.LIVE_SERIES if k != "matched"])
def test_live_chart_month_by_month_equals_a_fresh_drawing(kind: str) -> None:
    """Updated month by month, a live chart redraws its axes, labels and markers only when they
    change and draws the lines over the saved picture; its PNG is byte for byte the one a new
    chart draws from the whole table at once. Its legend stays off the data."""
    ts = _live_table()
    chart = live_chart.LiveChart(kind, lang="nl", steps=STEPS, election_month=ELECTION, title_line="Geel")
    full = 0
    for n in range(1, STEPS + 1):
        before = chart._drawn
        png = chart.update(ts.iloc[:n])
        full += chart._drawn is not before
    fresh = live_chart.LiveChart(kind, lang="nl", steps=STEPS, election_month=ELECTION, title_line="Geel")
    assert fresh.update(ts) == png
    assert 1 <= full < STEPS / 2, full  # most months only move the lines
    for ax in (chart.ax, chart.ax2):
        if ax is not None:  # the range is on its grid and holds the data drawn
            lo, hi = ax.get_ylim()
            assert (round(lo / 0.05, 6) % 1 == 0 and round(hi / 0.05, 6) % 1 == 0) or kind == "turnout"
            data = np.concatenate([line.get_ydata() for line in chart.lines.values() if line.axes is ax])
            assert lo <= np.nanmin(data) and np.nanmax(data) <= hi
    gids = {a.get_gid() for a in chart._marks}
    assert {"participate", "decide", "reopened", "election"} <= gids
    assert _no_legend_over_data(chart.fig) >= 1


@pytest.mark.parametrize("kind", ["trust", "turnout"])
def test_earlier_runs_are_grey_lines_inside_the_axes(kind: str) -> None:
    """The run history's earlier runs: the chart's first line of each, grey and never animated, named once in the
    legend, and the y-range holds them (a ghost above the run on screen is not cut off)."""
    ts = _live_table()
    ghost = ts.copy()
    column = live_chart.LIVE_SERIES[kind][0][0]
    ghost[column] = ghost[column] * 1.5 + 0.1
    chart = live_chart.LiveChart(kind, steps=STEPS, ghosts=(ghost,))
    chart.update(ts)
    lines = [line for line in chart.ax.get_lines() if line.get_gid() == "ghost"]
    assert len(lines) == 1 and lines[0].get_color() == live_chart.GHOST_COLOR and not lines[0].get_animated()
    legend = [t.get_text() for t in chart.fig.legends[0].get_texts()]
    assert legend.count(live_chart.texts.dash("ghost_runs", "en")) == 1
    top = np.nanmax(lines[0].get_ydata().astype(float))
    assert chart.ax.get_ylim()[1] >= top
    plain = live_chart.LiveChart(kind, steps=STEPS)
    plain.update(ts)
    assert not [line for line in plain.ax.get_lines() if line.get_gid() == "ghost"]


@pytest.mark.parametrize("big", [False, True])
def test_the_rounds_labels_do_not_run_into_each_other(big: bool) -> None:
    """Eight rounds in eight years (a lesson of 96 months, on a projector too): each round's turnout label is clear
    of the others (a label that would run into the one before it climbs a line) and inside the figure."""
    steps = 96
    step = np.arange(1, steps + 1)
    cycle = np.where(step >= 4, (step - 4) // 12 + 1, 0)
    in_round = (step - 4) % 12
    phase = np.select([step < 4, in_round < 5, in_round == 5], ["idle", "participate", "decide"], "idle")
    ts = pd.DataFrame({"step": step, "cycle": cycle, "phase": phase,
                       "turnout": np.where(phase == "participate", 0.026, 0.0),  # labels level
                       "decisions_reopened": 0})
    for column in {c for c, *_ in live_chart.LIVE_SERIES["turnout"]} - set(ts.columns):
        ts[column] = 0.0
    chart = live_chart.LiveChart("turnout", lang="nl", steps=steps, big=big, title_line="Geel")
    chart.update(ts)
    renderer = chart.canvas.get_renderer()
    labels = [a for a in chart._marks if a.get_gid() == "round"]
    assert len(labels) == 8
    boxes = [a.get_window_extent(renderer) for a in labels]
    assert not [(i, j) for i in range(8) for j in range(i + 1, 8) if boxes[i].overlaps(boxes[j])]
    assert all(chart.fig.bbox.x0 <= b.x0 and b.x1 <= chart.fig.bbox.x1 and b.y1 <= chart.fig.bbox.y1 for b in boxes)
    assert max(a.xyann[1] for a in labels) > 6 or not big  # on a projector, level labels of rounds a year apart meet
