"""Line charts as inline SVG: the room's run and its ghost runs, sharp at any projector size.

SVG instead of matplotlib PNGs: a chart is a few kilobytes of text built in about a millisecond,
it scales with the page (so the same chart reads at 1280x720 and 1920x1080), and its text is the
page's font. Built once per room version and language, and shared by every page that shows it
(``classroom.app`` caches them). The y-axis spans at least ``MIN_SPAN`` of a share, so that noise of
a tenth of a point does not fill the chart.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.apps.classroom import texts

WIDTH, HEIGHT = 640, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 78, 36, 14, 40
FONT_SIZE = 20
#: The smallest y-span drawn for a share (10 percentage points).
MIN_SPAN = 0.10
STYLES = {
    "room": 'stroke="#1565c0" stroke-width="5"',
    "preset": 'stroke="#6d6d6d" stroke-width="3" stroke-dasharray="12 8"',
    "none": 'stroke="#e65100" stroke-width="3" stroke-dasharray="3 6" stroke-linecap="round"',
}


@dataclass(frozen=True)
class Line:
    """One line: its points and its style (``room``, ``preset`` or ``model``)."""

    xs: Sequence[float]
    ys: Sequence[float]
    style: str


def _ticks(lo: float, hi: float, unit: float, n: int = 4) -> list[float]:
    """About ``n`` round values between ``lo`` and ``hi``, whole multiples of ``unit`` (1 for a count, 0.01 for a
    share shown in percent), since the labels show no decimals: steps of 0.2 were labelled 0, 0, 0, 1, and steps
    of 2.5 points 2 %, 5 %, 8 %."""
    lo, hi = lo / unit, hi / unit
    # without 2.5 among whole steps, a step may be a little under the n-th of the span (2 for 2.3): four or five
    # ticks, not two
    raw = (hi - lo) / n * 0.75
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = max(1.0, next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw))
    first = math.ceil(lo / step - 1e-9) * step
    return [(first + i * step) * unit for i in range(int((hi - first) / step + 1e-9) + 1)]


def _y_range(lines: Sequence[Line], share: bool) -> tuple[float, float]:
    values = [y for line in lines for y in line.ys if not math.isnan(y)] or [0.0]
    lo, hi = min(values), max(values)
    span = max(hi - lo, MIN_SPAN if share else max(1.0, abs(hi) * 0.2))
    mid = (lo + hi) / 2
    lo, hi = mid - span * 0.6, mid + span * 0.6
    if share:
        lo, hi = max(0.0, lo), min(1.0, hi)
    elif lo < 0 <= min(values):
        lo = 0.0
    if not share:
        hi = max(hi, lo + 1.0)  # a count's axis reaches at least one whole step (nothing delivered: 0 to 1)
    return lo, hi


def line_chart(lines: Sequence[Line], x_max: int, lang: str, share: bool, label: str, height: int = HEIGHT) -> str:
    """An SVG line chart of ``lines`` over months 0..``x_max``; ``share``: y is a share, shown in percent.
    ``label`` names the chart for screen readers; ``height`` in the units of a chart ``WIDTH`` wide (the
    projector's charts are flatter, to fill their boxes)."""
    lo, hi = _y_range(lines, share)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM

    def sx(x: float) -> float:
        return MARGIN_LEFT + plot_w * x / max(1, x_max)

    def sy(y: float) -> float:
        return MARGIN_TOP + plot_h * (1 - (y - lo) / (hi - lo or 1))

    parts = [f'<svg class="cr-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{html.escape(label)}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT_SIZE}" font-family="inherit">']
    for y in _ticks(lo, hi, 0.01 if share else 1.0):
        text = texts.percent(y, lang) if share else texts.number(y, lang)
        parts.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" '
                     'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 8}" y="{sy(y) + 7:.1f}" text-anchor="end" fill="#333">'
                     f"{html.escape(text)}</text>")
    step = 12 if x_max > 12 else 3
    for x in range(0, x_max + 1, step):
        parts.append(f'<text x="{sx(x):.1f}" y="{height - 10}" text-anchor="middle" fill="#333">'
                     f"{html.escape(texts.t('units.month_short', lang, month=x))}</text>")
    parts.append(f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT}" y1="{MARGIN_TOP}" y2="{height - MARGIN_BOTTOM}" '
                 'stroke="#999"/>')
    # the ghosts over the room's line: where they coincide, the dashes show on the blue line
    for line in sorted(lines, key=lambda ln: ln.style != "room"):
        points = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(line.xs, line.ys, strict=True)
                          if not math.isnan(y))
        if points:
            parts.append(f'<polyline fill="none" stroke-linejoin="round" {STYLES[line.style]} points="{points}"/>')
    parts.append("</svg>")
    return "".join(parts)


def legend(lang: str) -> str:
    """The three line styles and what they stand for, as HTML (one legend for all charts of a view)."""
    items = []
    for style, key in (("room", "legend_room"), ("preset", "legend_preset"), ("none", "legend_none")):
        sample = (f'<svg width="48" height="14" viewBox="0 0 48 14" aria-hidden="true">'
                  f'<line x1="2" x2="46" y1="7" y2="7" {STYLES[style]}/></svg>')
        items.append(f'<span class="cr-legend-item">{sample} {html.escape(texts.t(f"projector.{key}", lang))}</span>')
    return '<div class="cr-legend">' + "".join(items) + "</div>"
