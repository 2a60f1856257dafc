"""The classroom's SVG charts: the y-axis labels say what the ticks are (no decimals, so whole steps only)."""

from __future__ import annotations

import itertools
import re

import pytest

from sim.apps.classroom.charts import Line, line_chart


def labels(svg: str) -> list[str]:
    """The y-axis labels of a chart (the texts right-aligned at the axis), bottom to top."""
    return re.findall(r'text-anchor="end" fill="#333">([^<]*)</text>', svg)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_count_that_stays_zero_is_labelled_0_and_1(lang):
    """Nothing delivered: the axis ran 0-0.6 in steps of 0.2, labelled 0, 0, 0, 1."""
    svg = line_chart([Line([0, 6, 12], [0.0, 0.0, 0.0], "room")], 12, lang, share=False, label="delivered")
    assert labels(svg) == ["0", "1"]


@pytest.mark.parametrize("ys, share", [([0.0, 0.08, 0.08], True), ([0.0, 0.112, 0.112], True),
                                        ([0.0, 0.3, 750.0], False), ([0.31, 0.44, 0.4], True),
                                        ([2.0, 3.0, 7.0], False)])
def test_every_label_is_a_different_whole_number(ys, share):
    """Steps of 2.5 points were labelled 2 %, 5 %, 8 %: each label now names its tick exactly, and no two agree."""
    shown = labels(line_chart([Line([0, 6, 12], ys, "room")], 12, "en", share=share, label="x"))
    assert len(shown) >= 2 and len(set(shown)) == len(shown)
    numbers = [float(s.rstrip("%").replace(",", "")) for s in shown]
    assert all(n == int(n) for n in numbers)
    # the ticks are equally spaced, so equally spaced labels are the true values (0, 3, 5, 8, 10 were not)
    assert len({b - a for a, b in itertools.pairwise(numbers)}) == 1, shown
