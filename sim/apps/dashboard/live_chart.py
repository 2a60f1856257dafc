"""The dashboard's live charts: built once, updated in place every month while a run plays.

Building a new figure each month (the functions of :mod:`sim.plots`) costs most of a second per
chart; a ``LiveChart`` builds its figure once and each month only moves its lines' data and the
time-axis markers, then renders a PNG. Same words (sim.texts), same markers and same "legend
never over the data" rule as the other figures (:mod:`sim.plots.style`).
"""

from __future__ import annotations

import io
import textwrap

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from sim import texts
from sim.plots.style import (
    MARKER_COLORS,
    DecimalComma,
    _spans,
    _title,
)

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
              ("trust_nonparticipants", "trust_nonparticipants", False),
              ("efficacy_citizens", "efficacy_citizens", False)),
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
    "trust": ("trust_title", "trust_axis", None),
    "legitimacy": ("legitimacy_title", "legitimacy_axis", None),
    "quality": ("quality_title", "label:service_quality", "label:service_quality_equity"),
    "fears": ("fears_title", "fears_axis", None),
    "matched": ("matched_title", "trust_axis", None),
}
#: The charts whose lines are shares of residents (survey items), drawn in percent of residents.
PERCENT_KINDS = frozenset({"trust", "legitimacy", "matched"})
#: Colour of the earlier runs' lines (the run history).
GHOST_COLOR = "#7f7f7f"
#: Colour of the marker of a reopened decision.
REOPENED_COLOR = "#e66101"
#: Lines a round's turnout label may climb to keep clear of the label before it (rounds close together).
ROUND_LABEL_LEVELS = 3


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
                 labels: dict[str, str] | None = None, ghosts: tuple[pd.DataFrame, ...] = ()) -> None:
        self.kind, self.lang, self.steps, self.dpi = kind, lang, steps, dpi
        self.ghosts = ghosts
        # type size (points): the image is shown at about 0.7 of its width beside a second chart at 1280-1920
        # pixels, so 13 points (16 px at 90 dpi) read as 11 px or more
        self._size = 16 if big else 13
        self.election_month = election_month
        size = self._size
        # projector: two charts side by side fill a 1280-pixel-wide screen at 72 dpi, text 16 px
        self.fig = Figure(figsize=(8.5, 6.2) if big else (8, 4.8), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)  # the figure's canvas: Agg, drawn to memory
        self.ax = self.fig.add_subplot()
        title, left, right = _LIVE_AXES[kind]
        self.ax2 = self.ax.twinx() if right else None
        colors = sns.color_palette(n_colors=10)
        labels = labels or {}
        self.lines: dict[str, Line2D] = {}
        handles: list[Artist] = []
        for i, ((column, words, on_right), color) in enumerate(zip(LIVE_SERIES[kind], colors, strict=False)):
            target = self.ax2 if on_right and self.ax2 is not None else self.ax
            if kind == "matched":  # colour: who (everyone, participants); style: which design
                color, ls = colors[i // 2], ("-" if i % 2 == 0 else "--")
            else:
                ls = "--" if on_right else "-"
            (line,) = target.plot([], [], color=color, lw=2.2 if big else 1.8, ls=ls,
                                  label=labels.get(column) or _live_words(words, lang), animated=True)
            self.lines[column] = line
            handles.append(line)
        # earlier runs of this session (the run history): the chart's first line of each, in grey, newest darkest;
        # drawn with the axes (not animated): they do not move
        column = LIVE_SERIES[kind][0][0]
        for i, ghost in enumerate(ghosts):
            if column in ghost.columns:
                y = round_turnout(ghost) if kind == "turnout" else ghost[column].astype(float) * (
                    100.0 if kind in PERCENT_KINDS else 1.0)
                self.ax.plot(ghost["step"].to_numpy(), y.to_numpy(), color=GHOST_COLOR, lw=1.6,
                             alpha=0.35 + 0.5 * (i + 1) / len(ghosts), zorder=1, gid="ghost")
        if ghosts:
            handles.append(Line2D([], [], color=GHOST_COLOR, lw=1.6, label=texts.dash("ghost_runs", lang)))
        handles += [Patch(color=MARKER_COLORS["participate"], alpha=0.6,
                          label=texts.phrase("participate_marker", lang)),
                    Line2D([], [], color=MARKER_COLORS["decide"], ls=":", lw=1.2,
                           label=texts.phrase("decide_marker", lang)),
                    Line2D([], [], color=REOPENED_COLOR, marker="v", ls="", ms=8,
                           label=texts.dash("reopened_marker", lang))]
        if election_month is not None and 0 <= election_month + 1 <= steps:
            handles.append(Line2D([], [], color=MARKER_COLORS["election"], ls="--", lw=1.4,
                                  label=texts.phrase("election_marker", lang)))
        self.scale = 100.0 if kind in PERCENT_KINDS else 1.0  # shares drawn in percent
        for a in (self.ax, self.ax2):
            if a is not None:
                a.set_xlim(0.5, steps + 0.5)
                a.set_ylim(0, self.scale)
                a.tick_params(labelsize=size)
                if lang == "nl":
                    a.yaxis.set_major_formatter(DecimalComma())
        if self.ax2 is not None and right is not None:
            self.ax2.grid(False)
            self.ax2.set_ylabel(_live_words(right, lang), fontsize=size)
        self.ax.set_xlabel(texts.phrase("month_axis", lang), fontsize=size)
        self.ax.set_ylabel(_live_words(left, lang), fontsize=size)
        # the title wrapped to the figure's width (about 0.6 em a character)
        chars = int(self.fig.get_figwidth() * 72 / (0.6 * (size + 1)))
        title_text = "\n".join(textwrap.fill(line, chars) for line in
                               _title(_live_words(title, lang), title_line).split("\n"))
        self.ax.set_title(title_text, fontsize=size + 1)
        # long legend entries (shares of residents, fears) in two columns: three ran past the figure's edge
        ncols = 2 if (big or kind in ("matched", "trust", "legitimacy", "fears")) else 3
        rows = -(-len(handles) // ncols)
        legend = self.fig.legend(handles=handles, loc="lower center", ncols=ncols, fontsize=size - 1, frameon=False,
                                 bbox_to_anchor=(0.5, 0.0))
        # a legend wider than the figure (long labels, large type) gets smaller type until it fits
        renderer = self.canvas.get_renderer()
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
        if election and self.election_month is not None:
            self._marks.append(self.ax.axvline(self.election_month + 1, color=MARKER_COLORS["election"], ls="--",
                                               lw=1.4, zorder=0.6, gid="election"))
        placed: list = []  # the rounds' labels drawn so far (their boxes on the canvas)
        renderer = self.canvas.get_renderer() if rounds else None
        for c, s, pct in rounds:
            label = self.ax.annotate(texts.dash("round_label", self.lang, n=c, pct=texts.number(pct, self.lang, 1)),
                                     (s, pct), xytext=(0, 6), textcoords="offset points", ha="center",
                                     fontsize=self._size - 1, gid="round")
            if label.get_window_extent(renderer).x1 > self.fig.bbox.x1:  # a round at the run's end: not cut off
                label.set_horizontalalignment("right")
            # rounds close together (eight in eight years on a projector): a label that would run into an earlier
            # one goes a line higher, as often as it takes (at most ROUND_LABEL_LEVELS lines)
            for level in range(1, ROUND_LABEL_LEVELS):
                box = label.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in placed):
                    break
                label.set_position((0, 6 + level * 1.3 * (self._size - 1)))
            placed.append(label.get_window_extent(renderer))
            self._marks.append(label)

    def _limits(self, ts: pd.DataFrame) -> tuple:
        """The y-ranges of the axes for ``ts``, on a grid (so that they change only now and then).

        Turnout: 0 to 1.25 times the highest round's turnout (at least 1 %), rounded up to half a
        per cent. Indices in [0, 1]: a range around the data so far, padded by 0.05 or 15 % of the
        data's spread (a change of 0.02 stays visible), widened to multiples of 0.05. Shares of
        residents in percent (``PERCENT_KINDS``) the same way on [0, 100]: padded by 5 points,
        widened to multiples of 5.
        """
        if self.kind == "turnout":  # the earlier runs (ghosts) stay inside the axes
            top = np.nanmax(np.r_[0.0, *(round_turnout(g).to_numpy(dtype=float) for g in (ts, *self.ghosts))])
            return ((0.0, max(1.0, float(np.ceil(top * 1.25 / 0.5)) * 0.5)),)
        if self.ghosts:
            ts = pd.concat([ts, *(g for g in self.ghosts if set(self.lines) <= set(g.columns))], ignore_index=True)
        out = []
        for a in (self.ax, self.ax2):
            if a is None:
                continue
            cols = [c for c, line in self.lines.items() if line.axes is a]
            scale = self.scale if a is self.ax else 1.0
            values = ts[cols].to_numpy(dtype=float) * scale
            if not values.size or np.isnan(values).all():
                out.append((0.0, scale))
                continue
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            grid = 0.05 * scale
            pad = max(grid, 0.15 * (hi - lo))
            out.append((max(0.0, round(np.floor((lo - pad) / grid + 1e-9) * grid, 2)),
                        min(scale, round(np.ceil((hi + pad) / grid - 1e-9) * grid, 2))))
        return tuple(out)

    def update(self, ts: pd.DataFrame) -> bytes:
        """Move the lines and markers to the time series ``ts`` (one run, so far); the PNG.

        Everything but the lines (axes, ticks, labels, legend, markers) is drawn again only when
        the y-ranges or the markers change; otherwise the saved picture of it is restored and
        only the lines are drawn over it (matplotlib's blitting), which takes a fraction of a
        full draw. The lines are always drawn last, over that picture, so that the PNG is the same
        either way.
        """
        x = ts["step"].to_numpy()
        for column, line in self.lines.items():
            if self.kind == "turnout":
                y = round_turnout(ts)
            else:
                y = ts[column].astype(float) * (self.scale if line.axes is self.ax else 1.0)
            line.set_data(x, y.to_numpy())
        limits, marks = self._limits(ts), self._marks_of(ts)
        canvas = self.canvas
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
            self.ax.draw_artist(line)  # either axes draws any artist of the figure
        buf = io.BytesIO()
        # compress_level 1: about a third faster than the default 6, and as small for a chart
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1)
        return buf.getvalue()


def trust_moves(history: dict[int, dict[str, dict[str, float]]], last_month: int, months: int = 6,
                item: str = "trust") -> dict[str, float]:
    """How much each signal kind moved the share of residents who agree with ``item`` in the ``months``
    months up to ``last_month`` (from ``SignalBoard.history``), largest move first."""
    total: dict[str, float] = {}
    for month in range(last_month - months + 1, last_month + 1):
        for kind, moved in history.get(month, {}).items():
            total[kind] = total.get(kind, 0.0) + float(moved.get(item, 0.0))
    return dict(sorted(total.items(), key=lambda kv: -abs(kv[1])))
