"""The run history and the honest comparison: every run the trainer made stays (a grey line in the charts and
a row here), set against the preset's run; and a comparison over replicates that says better, worse or no
clear difference by the report's one verdict rule.
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd
import solara

from sim import texts
from sim.apps.dashboard.levers import DashboardModel, input_name, show_value
from sim.apps.dashboard.replicates import REPLICATES, replicate_verdicts
from sim.apps.dashboard.state import RunRecord, applied_state, history_state, record, runs_made
from sim.experiments import answers

#: The columns of the difference table: the run's last month (shares of residents in percent).
TABLE_COLUMNS = ("trust_citizens", "legitimacy", "efficacy_citizens", "proposals_implemented")
#: Processes the replicate runs use (the machine's other core keeps the page responsive on two cores).
REPLICATE_JOBS = 1


def current_record(model: DashboardModel) -> RunRecord | None:
    """The run on screen as a record of the history (None before its first month)."""
    return record(model, applied_state.value, runs_made.value)


def _value(series: pd.DataFrame, column: str, month: int) -> float:
    row = series.iloc[min(month, len(series)) - 1]
    return float(row[column]) * (100 if column in answers.PERCENT else 1)


def _cell(value: float, column: str, lang: str, signed: bool = False) -> str:
    """A value or difference as the report writes it: shares of residents in percent with one decimal, the
    judged indexes (0-1: representativeness, service quality) with two, counts (projects) whole."""
    decimals = 1 if column in answers.PERCENT else 2 if column in answers.THRESHOLDS else 0
    return texts.number(value, lang, decimals, signed=signed)


def preset_run(records: list[RunRecord], of: RunRecord) -> RunRecord | None:
    """The latest run of the same municipality and design at the preset's values (nothing moved), if any."""
    return next((r for r in reversed(records) if not r.changed and r.municipality == of.municipality
                 and r.design == of.design and r is not of), None)


def changed_words(record: RunRecord, lang: str) -> str:
    """What a run moved from its preset, in words (``preset`` when nothing)."""
    if not record.changed:
        return texts.dash("history_preset", lang)
    return "; ".join(f"{input_name(name, lang)} {show_value(name, value, lang)}" for name, value in record.changed)


def history_html(records: list[RunRecord], current: RunRecord | None, lang: str) -> str:
    """The difference table: one row per run (the earlier ones and the one on screen), its outcomes at its last
    month and their difference from the preset's run at the same month."""
    rows_of = [*records, *([current] if current is not None else [])]
    if not rows_of:
        return f"<p>{texts.dash('history_empty', lang)}</p>"
    head = "".join(f"<th>{texts.label(c, lang)}</th>" for c in TABLE_COLUMNS)
    rows = []
    for r in rows_of:
        base = preset_run(rows_of, r)
        cells = []
        for column in TABLE_COLUMNS:
            value = _value(r.series, column, r.months)
            text = _cell(value, column, lang)
            if base is not None:
                month = min(r.months, base.months)
                diff = _value(r.series, column, month) - _value(base.series, column, month)
                text += f" <span class='dash-diff'>({_cell(diff, column, lang, signed=True)})</span>"
            cells.append(f"<td class='dash-num'>{text}</td>")
        name = texts.dash("history_now" if r is current else "history_run", lang, n=r.number)
        where = f"{texts.name_or_key('scenario', r.municipality, lang)}, {texts.name_or_key('design', r.design, lang)}"
        rows.append(f"<tr><td><b>{name}</b><br>{where}</td><td>{changed_words(r, lang)}</td>"
                    f"<td class='dash-num'>{r.months}</td>{''.join(cells)}</tr>")
    return (f"<p>{texts.dash('history_intro', lang)}</p><table class='dash-history'><tr>"
            f"<th>{texts.dash('history_run_col', lang)}</th><th>{texts.dash('history_changed_col', lang)}</th>"
            f"<th>{texts.dash('history_months_col', lang)}</th>{head}</tr>{''.join(rows)}</table>")


def verdicts_html(table: pd.DataFrame, a: str, b: str, lang: str) -> str:
    """A replicate comparison in words: each outcome's difference with its interval and the verdict."""
    rows = []
    for _, row in table.iterrows():
        column = str(row["outcome"])
        word = texts.phrase(f"verdict_{str(row['verdict']).replace(' ', '_')}", lang)
        why = texts.phrase(f"reason_{row['reason']}", lang)
        if pd.isna(row["difference"]):
            diff = "\u2013"
        else:
            diff = texts.dash("verdicts_interval", lang, diff=_cell(float(row["difference"]), column, lang, True),
                              low=_cell(float(row["ci_low"]), column, lang, True),
                              high=_cell(float(row["ci_high"]), column, lang, True))
        rows.append(f"<tr><td>{texts.label(column, lang)}</td><td class='dash-num'>{diff}</td>"
                    f"<td><b>{word}</b><br><span class='dash-why'>{why}</span></td></tr>")
    return (f"<p>{texts.dash('verdicts_intro', lang, n=REPLICATES, a=a, b=b)}</p><table class='dash-verdicts'>"
            f"<tr><th>{texts.dash('table_measure', lang)}</th><th>{texts.dash('table_difference', lang)}</th>"
            f"<th>{texts.dash('table_verdict', lang)}</th></tr>{''.join(rows)}</table>")


@solara.component
def ReplicateButton(label: str, kw_a: dict[str, Any], kw_b: dict[str, Any], a: str, b: str, lang: str,
                    size: int) -> None:
    """A button that runs both sides ``REPLICATES`` times in a thread of this page, then the verdicts."""
    asked, set_asked = solara.use_state(0)
    key = (repr(sorted(kw_a.items())), repr(sorted(kw_b.items())))

    def work(cancel: threading.Event) -> tuple[tuple[str, str], pd.DataFrame] | None:
        if not asked:
            return None
        return key, replicate_verdicts(kw_a, kw_b, REPLICATES, REPLICATE_JOBS)

    result = solara.use_thread(work, dependencies=[asked], intrusive_cancel=False)
    running = result.state == solara.ResultState.RUNNING
    solara.Button(label, on_click=lambda: set_asked(asked + 1), disabled=running, color="primary", outlined=True,
                  classes=["dash-replicates"])
    if running:
        solara.Info(texts.dash("verdicts_running", lang, n=2 * REPLICATES))
    elif result.state == solara.ResultState.ERROR:
        solara.Error(texts.dash("verdicts_failed", lang, error=str(result.error)[:200]))
    elif result.value is not None:
        done_key, table = result.value
        if done_key == key:
            solara.HTML(tag="div", unsafe_innerHTML=verdicts_html(table, a, b, lang),
                        style={"font-size": f"{size}px", "line-height": "1.5"})
        else:
            solara.Info(texts.dash("verdicts_stale", lang))


@solara.component
def HistoryView(model: DashboardModel, lang: str, big: bool) -> None:
    """The runs of this session against the preset, and the comparison over replicates of the run on screen
    against its preset."""
    size = 18 if big else 14
    current = current_record(model)
    solara.HTML(tag="div", unsafe_innerHTML=f"<h3>{texts.dash('history_title', lang)}</h3>"
                + history_html(history_state.value, current, lang),
                style={"font-size": f"{size}px", "line-height": "1.5"})
    if current is not None and current.changed:
        params_kw = current.kwargs
        preset_kw: dict[str, Any] = dict.fromkeys(params_kw)
        preset_kw.update(municipality=model.municipality, design=model.design,
                         **{k: params_kw[k] for k in ("seed", "population_scale", "steps") if k in params_kw})
        ReplicateButton(texts.dash("verdicts_mine", lang, n=REPLICATES), params_kw, preset_kw,
                        texts.dash("history_mine", lang), texts.dash("history_preset", lang), lang, size)


__all__ = ["HistoryView", "ReplicateButton", "history_html", "verdicts_html"]
