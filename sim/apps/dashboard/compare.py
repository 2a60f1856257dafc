"""Two designs side by side on the same residents (the same seed: common random numbers), with
the matched comparison of the participants beside the misleading one of participants against
everyone. Better, worse or no clear difference is said by the report's one verdict rule,
:func:`sim.experiments.answers.verdicts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import solara
import solara.lab
import solara.server.settings

from sim import plots, texts
from sim.apps.dashboard.history import HistoryView, ReplicateButton
from sim.apps.dashboard.levers import DashboardModel, model_kwargs
from sim.apps.dashboard.live_chart import LiveChart
from sim.apps.dashboard.replicates import REPLICATES
from sim.apps.dashboard.state import applied_state, current_params, matched_state
from sim.apps.dashboard.views import DPI, DPI_BIG, _html, _image, _timeseries, _title_line, round_turnout_now
from sim.experiments import answers
from sim.model.model import CoproductionModel

#: The outcomes shown side by side in the comparison tab (columns of the model's report).
COMPARED = ("turnout", "trust_citizens", "trust_participants", "trust_nonparticipants", "efficacy_citizens",
            "legitimacy", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "service_quality",
            "service_quality_equity", "proposals_adopted", "decisions_reopened")


def same_residents(a: CoproductionModel, b: CoproductionModel) -> bool:
    """Whether two runs drew the same residents (who they are and what they thought at the start)."""
    pa, pb = a.population, b.population
    return pa.size == pb.size and all(np.array_equal(getattr(pa, k), getattr(pb, k))
                                      for k in ("neighbourhood", "age", "education", "perception_initial"))


def verdict_words(row: pd.Series, lang: str) -> tuple[str, str]:
    """A row of :func:`sim.experiments.answers.verdicts` in words: the verdict and its reason."""
    return (texts.phrase(f"verdict_{row['verdict'].replace(' ', '_')}", lang),
            texts.phrase(f"reason_{row['reason']}", lang))


def run_verdicts(values_a: dict[str, float], values_b: dict[str, float]) -> dict[str, pd.Series]:
    """The verdict of design a against design b on each outcome with a threshold, from one run of each
    (:func:`sim.experiments.answers.verdicts`: one pair of runs has no interval, so a difference of at
    least the threshold is "no clear difference", reason ``too_few_runs``)."""
    outcomes = [o for o in values_a if o in answers.THRESHOLDS]
    if not outcomes:
        return {}
    runs = pd.DataFrame([{"design": "a", "replicate": 0, **{o: values_a[o] for o in outcomes}},
                         {"design": "b", "replicate": 0, **{o: values_b[o] for o in outcomes}}])
    table = answers.verdicts(runs, "b", outcomes)
    return {row["outcome"]: row for _, row in table.iterrows()}


def matched(model: CoproductionModel, twin: CoproductionModel) -> dict[str, float] | None:
    """The matched comparison: the residents who took part under ``model``, in both runs.

    Returns their number, the shares of them who trust the municipality and who feel they can influence it,
    now under each design and (trust) at the start, and the share of all residents who trust it under
    ``model`` (the misleading comparison); None before anyone took part.
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


def matched_verdict(model: CoproductionModel, twin: CoproductionModel) -> pd.Series | None:
    """The verdict on the trust of the residents who took part under ``model``: under ``model`` against
    under ``twin``, the same residents paired (:func:`sim.experiments.answers.verdicts` with each resident a
    pair: the interval is over those residents); None before anyone took part."""
    ever = np.flatnonzero(model.population.ever_participated)
    if ever.size == 0:
        return None
    a = model.population.agrees("trust")[ever].astype(float)
    b = twin.population.agrees("trust")[ever].astype(float)
    runs = pd.DataFrame({"design": ["a"] * ever.size + ["b"] * ever.size, "resident": np.r_[ever, ever],
                         "trust_citizens": np.r_[a, b]})
    return answers.verdicts(runs, "b", ["trust_citizens"], pair="resident").iloc[0]


def _turnout_cell(state: str, pct: float, lang: str) -> str:
    """A design's turnout in the comparison table: this round's, the last round's, or why there is none."""
    if state == "running":
        return texts.number(pct, lang, 1)
    if state == "last":
        return texts.dash("cell_last_round", lang, value=texts.number(pct, lang, 1))
    return texts.dash("cell_no_round" if state == "none" else "cell_no_participation", lang)


def compare_html(model: DashboardModel, twin: DashboardModel, lang: str) -> str:
    """The comparison tab's text: same residents?, the outcomes side by side with their verdicts, the
    matched comparison."""
    t = texts.dash
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    parts = [f"<p>{t('compare_intro', lang)} "
             f"{t('compare_same', lang, same=t('yes' if same_residents(model, twin) else 'no', lang))}</p>"]
    if model.month >= 0:
        ra, rb = model.report(), twin.report()
        values_a = {c: float(ra[c]) for c in COMPARED if c != "turnout"}
        values_b = {c: float(rb[c]) for c in COMPARED if c != "turnout"}
        (sa, _, ta), (sb, _, tb) = round_turnout_now(model), round_turnout_now(twin)
        if sa in ("running", "last") and sb in ("running", "last", "inactive"):
            values_a["turnout"] = ta / 100  # a round's turnout; a design without participation has none
            values_b["turnout"] = tb / 100 if sb != "inactive" else 0.0
        judged = run_verdicts({k: v for k, v in values_a.items() if np.isfinite(v) and np.isfinite(values_b[k])},
                              values_b)
        rows = []
        for col in COMPARED:
            if col == "turnout":  # a round's: between rounds the last round's, never a zero difference
                cells = [_turnout_cell(sa, ta, lang), _turnout_cell(sb, tb, lang),
                         texts.number(ta - tb, lang, 1, signed=True) if sa == sb and sa in ("running", "last")
                         else "\u2013"]
            elif col in plots.PERCENT:  # shares of residents: in percent, differences in percentage points
                a, b = 100 * values_a[col], 100 * values_b[col]
                cells = [texts.number(a, lang, 1), texts.number(b, lang, 1), texts.number(a - b, lang, 1, signed=True)]
            else:
                a, b = values_a[col], values_b[col]
                decimals = 3 if isinstance(ra[col], float) else 0
                cells = [texts.number(a, lang, decimals), texts.number(b, lang, decimals),
                         texts.number(a - b, lang, decimals, signed=True)]
            if col in judged:
                word, why = verdict_words(judged[col], lang)
                cells.append(f"<span title='{why}'>{word}</span>")
            else:
                cells.append("\u2013")
            rows.append(f"<tr><td title='{texts.explain(col, lang)}'>{texts.label(col, lang)}</td>"
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("<table class='dash-compare' style='border-spacing:10px 2px'>"
                     f"<tr><th>{t('table_measure', lang)}</th><th>{da}</th><th>{db}</th>"
                     f"<th>{t('table_difference', lang)}</th><th>{t('table_verdict', lang)}</th></tr>"
                     f"{''.join(rows)}</table>")
        m = matched(model, twin)
        parts.append(f"<p><b>{t('matched_title', lang)}</b></p>")
        if m is None:
            parts.append(f"<p>{t('matched_none', lang, design=da)}</p>")
        else:
            judged_m = matched_verdict(model, twin)
            assert judged_m is not None  # someone took part (m is not None)
            word, why = verdict_words(judged_m, lang)

            def pct(x: float, signed: bool = False) -> str:
                return texts.number(100 * x, lang, 1, signed=signed)

            naive = t("matched_naive", lang, part=pct(m["trust_a"]), all=pct(m["all_a"]), design=da,
                      start=pct(m["start"]))
            parts.append(f"<p>{naive}</p>")
            parts.append("<p><b>" + t("matched_fair", lang, n=texts.number(m["n"], lang), a=pct(m["trust_a"]),
                                       design_a=da, b=pct(m["trust_b"]), design_b=db,
                                       diff=pct(m["trust_a"] - m["trust_b"], True), word=word, why=why,
                                       ea=pct(m["efficacy_a"]), eb=pct(m["efficacy_b"])) + "</b></p>")
    return "".join(parts)


@solara.component
def CompareView(model: DashboardModel, twin: DashboardModel | None, lang: str, big: bool, drawn: int = 0) -> None:
    """Two designs side by side on the same residents, with the matched comparison of the participants, and
    over replicates; then the run history against the preset (below: the chart stays on a projector's screen)."""
    if twin is None:
        solara.Info(texts.dash("compare_pick", lang))
        HistoryView(model, lang, big)
        return
    with solara.Columns([1, 1]):  # the numbers beside the chart of the matched comparison
        _html(compare_html(model, twin, lang), 18 if big else 14)
        if matched_state.value:
            MatchedChart(model, twin, lang, big, drawn)
    params = current_params()
    da = texts.name_or_key("design", model.design, lang)
    db = texts.name_or_key("design", twin.design, lang)
    ReplicateButton(texts.dash("verdicts_designs", lang, n=REPLICATES, a=da, b=db),
                    model_kwargs(params, applied_state.value), model_kwargs(params, applied_state.value,
                                                                            design=twin.design),
                    da, db, lang, 18 if big else 14)
    HistoryView(model, lang, big)


@solara.component
def MatchedChart(model: DashboardModel, twin: DashboardModel, lang: str, big: bool, drawn: int = 0) -> None:
    """The share who trust the municipality among everyone and among the first design's participants,
    month by month, under both designs."""
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
