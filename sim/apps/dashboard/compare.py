"""Two designs side by side on the same residents (the same seed: common random numbers), with
the matched comparison of the participants beside the misleading one of participants against
everyone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import solara
import solara.lab
import solara.server.settings

from sim import texts
from sim.apps.dashboard.levers import DashboardModel
from sim.apps.dashboard.live_chart import LiveChart
from sim.apps.dashboard.state import matched_state
from sim.apps.dashboard.views import DPI, DPI_BIG, _html, _image, _timeseries, _title_line, round_turnout_now
from sim.model.model import CoproductionModel

#: The outcomes shown side by side in the comparison tab (columns of the model's report).
COMPARED = ("turnout", "trust_citizens", "trust_participants", "efficacy_citizens", "legitimacy",
            "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "service_quality",
            "service_quality_equity", "proposals_adopted", "decisions_reopened")


def same_residents(a: CoproductionModel, b: CoproductionModel) -> bool:
    """Whether two runs drew the same residents (who they are and how much they trusted at the start)."""
    pa, pb = a.population, b.population
    return pa.size == pb.size and all(np.array_equal(getattr(pa, k), getattr(pb, k))
                                      for k in ("neighbourhood", "age", "education", "trust_initial",
                                                "efficacy_initial"))


def matched(model: CoproductionModel, twin: CoproductionModel) -> dict[str, float] | None:
    """The matched comparison: the residents who took part under ``model``, in both runs.

    Returns their number, the shares of them who trust the municipality and who agree their voice
    counts, now under each design and (trust) at the start, and the share of all residents who trust it
    under ``model`` (the misleading comparison); None before anyone took part.
    """
    ever = model.population.ever_participated
    if not ever.any():
        return None
    pa, pb = model.population, twin.population
    trusted_at_start = pa.perception_initial[0] > 0  # the trust item is the first row (perceptions.ITEMS)
    return {"n": int(ever.sum()), "trust_a": float(pa.agrees("trust")[ever].mean()),
            "trust_b": float(pb.agrees("trust")[ever].mean()),
            "efficacy_a": float(pa.agrees("efficacy")[ever].mean()),
            "efficacy_b": float(pb.agrees("efficacy")[ever].mean()),
            "start": float(trusted_at_start[ever].mean()), "all_a": float(pa.agrees("trust").mean())}


def _turnout_cell(state: str, pct: float, lang: str) -> str:
    """A design's turnout in the comparison table: this round's, the last round's, or why there is none."""
    if state == "running":
        return texts.number(pct, lang, 1)
    if state == "last":
        return texts.dash("cell_last_round", lang, value=texts.number(pct, lang, 1))
    return texts.dash("cell_no_round" if state == "none" else "cell_no_participation", lang)


def compare_html(model: DashboardModel, twin: DashboardModel, lang: str) -> str:
    """The comparison tab's text: same residents?, the outcomes side by side, the matched comparison."""
    t = texts.dash
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    parts = [f"<p>{t('compare_intro', lang)} "
             f"{t('compare_same', lang, same=t('yes' if same_residents(model, twin) else 'no', lang))}</p>"]
    if model.month >= 0:
        ra, rb = model.report(), twin.report()
        rows = []
        for col in COMPARED:
            if col == "turnout":  # a round's: between rounds the last round's, never a zero difference
                (sa, _, a), (sb, _, b) = round_turnout_now(model), round_turnout_now(twin)
                cells = (_turnout_cell(sa, a, lang), _turnout_cell(sb, b, lang),
                         texts.number(a - b, lang, 1, signed=True) if sa == sb and sa in ("running", "last")
                         else "\u2013")
            else:
                a, b = float(ra[col]), float(rb[col])
                decimals = 3 if isinstance(ra[col], float) else 0
                cells = (texts.number(a, lang, decimals), texts.number(b, lang, decimals),
                         texts.number(a - b, lang, decimals, signed=True))
            rows.append(f"<tr><td title='{texts.explain(col, lang)}'>{texts.label(col, lang)}</td>"
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("<table class='dash-compare' style='border-spacing:10px 2px'>"
                     f"<tr><th>{t('table_measure', lang)}</th><th>{da}</th><th>{db}</th>"
                     f"<th>{t('table_difference', lang)}</th></tr>{''.join(rows)}</table>")
        m = matched(model, twin)
        parts.append(f"<p><b>{t('matched_title', lang)}</b></p>")
        if m is None:
            parts.append(f"<p>{t('matched_none', lang, design=da)}</p>")
        else:
            diff = m["trust_a"] - m["trust_b"]
            word = t("equal" if abs(diff) < 5e-4 else "lower" if diff < 0 else "higher", lang)

            def num(x: float, signed: bool = False) -> str:
                return texts.number(x, lang, 3, signed=signed)

            naive = t("matched_naive", lang, part=num(m["trust_a"]), all=num(m["all_a"]), design=da,
                      start=num(m["start"]))
            parts.append(f"<p>{naive}</p>")
            parts.append("<p><b>" + t("matched_fair", lang, n=texts.number(m["n"], lang), a=num(m["trust_a"]),
                                       design_a=da, b=num(m["trust_b"]), design_b=db, diff=num(diff, True),
                                       word=word, ea=num(m["efficacy_a"]), eb=num(m["efficacy_b"])) + "</b></p>")
    return "".join(parts)


@solara.component
def CompareView(model: DashboardModel, twin: DashboardModel | None, lang: str, big: bool, drawn: int = 0) -> None:
    """Two designs side by side on the same residents, with the matched comparison of the participants."""
    if twin is None:
        solara.Info(texts.dash("compare_pick", lang))
        return
    with solara.Columns([1, 1]):  # the numbers beside the chart of the matched comparison
        _html(compare_html(model, twin, lang), 18 if big else 14)
        if matched_state.value:
            MatchedChart(model, twin, lang, big, drawn)


@solara.component
def MatchedChart(model: DashboardModel, twin: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """Trust of everyone and of the first design's participants, month by month, under both designs."""
    rows = matched_state.value
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    labels = {"all_a": f"{texts.name('who', 'population', lang)}: {da}",
              "all_b": f"{texts.name('who', 'population', lang)}: {db}",
              "part_a": f"{texts.name('who', 'participants', lang)} ({da}): {da}",
              "part_b": f"{texts.name('who', 'participants', lang)} ({da}): {db}"}
    chart = solara.use_memo(
        lambda: LiveChart("matched", lang=lang, steps=model.config.run.steps, big=big,
                                title_line=_title_line(model, lang) + f" / {db}",
                                election_month=model.config.scenario.next_election_month,
                                dpi=DPI_BIG if big else DPI, labels=labels),
        [model, twin, lang, big])
    png = solara.use_memo(lambda: chart.update(_timeseries(model).merge(pd.DataFrame(rows), on="step", how="left")),
                          [chart, model.month])
    _image(png)
