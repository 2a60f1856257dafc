"""A municipality's report for policymakers: one self-contained HTML file, in Dutch or English.

::

    python -m sim report scenario=geel                       # Dutch, every design, 10 replicates
    python -m sim report scenario=kampenhout lang=en replicates=20
    python -m sim report municipality=examples/municipality.yaml
    make report SCENARIO=geel LANG=nl

It simulates every design on the same drawn residents (``sim.compare`` with
:func:`sim.experiments.answers.measure`) and writes what was compared, the headline differences against
the baseline with their intervals and plain-words verdicts (:func:`sim.experiments.answers.verdicts`, with
the thresholds of what matters shown), the outcomes side by side, the costs, who takes part and
who is left out, the trade-offs, and the assumptions and limits in plain words. Figures are
embedded as images and the styles are inline: the file opens in any browser without a network
and can be mailed as it is. Beside it go ``runs.parquet`` (one row per simulation) and
``verdicts.csv``.

Options (``key=value``; ``python -m sim report --help`` lists them): ``scenario`` (a preset:
generic, geel, kampenhout, antwerp_district) or ``municipality`` (a description file,
:mod:`sim.config.municipality`); ``lang`` (nl or en; default nl); ``designs`` (presets, comma-separated,
default all); ``baseline`` (default none); ``replicates`` (default 10); ``seed`` (0); ``scale``
(run.population_scale, default 1: every resident); ``jobs`` (parallel processes, default 2); ``out``
(the HTML file; default ``outputs/report/<municipality>_<lang>.html``); ``threshold.<outcome>=<value>``
(a threshold of what matters, :data:`sim.experiments.answers.THRESHOLDS`); ``posterior`` (an ABC
calibration's folder) and ``draws`` (parameter sets drawn from it, default 10), which add whether
each verdict holds under the calibration's uncertainty; any other ``section.key=value`` is a model
override for every design (docs/parameters.md).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import logging
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim import plots, texts
from sim.api import compare
from sim.config import municipality
from sim.config.compose import compose_config
from sim.config.keys import ConfigError
from sim.config.schema import Config
from sim.experiments import answers
from sim.io import atomic_write, atomic_write_text

log = logging.getLogger(__name__)

__all__ = ["Study", "check_writable", "default_out", "output_path", "render", "study", "write"]

#: Verdict colours of the headline table (background of a cell).
_VERDICT_COLORS = {"better": "#d9f0d3", "worse": "#f4cccc", "no clear difference": "#eeeeee",
                   "not comparable": "#ffffff"}


@dataclass
class Study:
    """What a report shows: the runs and how they were made."""

    runs: pd.DataFrame
    scenario: str
    designs: list[str]
    baseline: str
    replicates: int
    seed: int
    scale: float
    thresholds: dict[str, float]
    config: Config  # the baseline's composed config (the municipality's numbers)
    source_file: str | None = None
    overrides: list[str] = field(default_factory=list)
    posterior: str | None = None  # an ABC calibration's folder or posterior.parquet
    draws: int = 0  # parameter sets drawn from it


def study(scenario: str | None = None, municipality_file: str | Path | None = None,
          designs: Sequence[str] = plots.DESIGNS, baseline: str = "none", replicates: int = 10, seed: int = 0,
          scale: float = 1.0, jobs: int = 2, thresholds: Mapping[str, float] | None = None,
          overrides: Sequence[str] = (), posterior: str | Path | None = None, draws: int = 0,
          lang: str = "en", before_runs: Callable[[str], None] | None = None) -> Study:
    """Simulate every design ``replicates`` times on the same residents, with costs and who takes part.

    Either a preset ``scenario`` or a ``municipality_file`` (not both). With ``posterior`` (an
    ABC calibration, :mod:`sim.experiments.abc`) and ``draws``, every design runs on ``draws``
    parameter sets drawn from it, ``replicates`` each (``sim.compare(posterior=...)``), and the
    report adds whether each verdict holds under the calibration's uncertainty. Raises
    ConfigError for a bad option, file or override (naming the key); a municipality file's
    errors are in ``lang``. ``before_runs(name)`` is called with the municipality's name once
    everything is checked and before the first run (the command line checks there that it can
    write the report).
    """
    if (scenario is None) == (municipality_file is None):
        raise ConfigError("give either scenario=<preset> or municipality=<file>, not both and not neither")
    if isinstance(designs, str):
        raise ConfigError(f"designs={designs!r} is a single text; allowed: a list of design names")
    designs = list(designs)
    if not designs:
        raise ConfigError("designs= is empty; allowed: a list of design names (default: every preset)")
    twice = [d for i, d in enumerate(designs) if d in designs[:i]]
    if twice:
        raise ConfigError(f"designs={','.join(designs)} names {twice[0]} twice; allowed: each design once")
    if baseline not in designs:
        raise ConfigError(f"baseline={baseline!r} is not among designs={','.join(designs)}")
    if replicates < 2:
        raise ConfigError(f"replicates={replicates}: at least 2 are needed for an interval")
    limits = {**answers.THRESHOLDS, **(thresholds or {})}
    unknown = sorted(set(limits) - set(answers.THRESHOLDS))
    if unknown:
        raise ConfigError(f"threshold.{unknown[0]} is not an outcome with a threshold; known: "
                          f"{', '.join(answers.THRESHOLDS)}")
    bad = {k: v for k, v in limits.items() if not (math.isfinite(v) and v >= 0)}
    if bad:
        key, value = next(iter(bad.items()))
        raise ConfigError(f"threshold.{key}={value!r}: allowed a finite number >= 0")
    extra = [f"run.population_scale={scale!r}", *overrides]
    source = None
    if municipality_file is not None:
        source = str(municipality_file)
        extra = municipality.overrides(municipality.load(municipality_file, lang), lang, municipality_file) + extra
        scenario = "generic"
    config = compose_config(scenario, baseline, seed, extra)
    if posterior is not None and not draws:
        draws = 10
    if posterior is not None and draws < 1:
        raise ConfigError(f"draws={draws!r}: allowed a whole number >= 1 (parameter sets drawn from the posterior)")
    if before_runs is not None:
        before_runs(config.scenario.name)
    log.info("report: %d designs x %d replicates on %s (population scale %g)", len(designs), replicates,
             config.scenario.name, scale)
    runs = compare(scenario, designs, replicates=replicates, seed=seed, overrides=extra, n_jobs=jobs,
                       measure=answers.measure, posterior=posterior, draws=draws)
    return Study(runs=runs, scenario=config.scenario.name, designs=designs, baseline=baseline,
                 replicates=replicates, seed=seed, scale=scale, thresholds=limits, config=config,
                 source_file=source, overrides=list(overrides),
                 posterior=None if posterior is None else str(posterior), draws=int(draws))


# --------------------------------------------------------------------------- HTML pieces

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1400px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.5; font-size: 16px; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; white-space: nowrap; }
img { max-width: 100%; height: auto; } .lead { font-size: 1.08em; } .small { font-size: 0.85em; color: #555; }
.wide { overflow-x: auto; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _png(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[str]], numeric: Sequence[bool] | None = None,
           styles: Sequence[Sequence[str]] | None = None) -> str:
    """An HTML table (no header row for ``header=None``); cells are already escaped HTML."""
    numeric = numeric or [False] * len(rows[0] if rows else header or [])
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>" if header else ""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            cls = ' class="num"' if numeric[j] else ""
            style = f' style="{styles[i][j]}"' if styles and styles[i][j] else ""
            cells.append(f"<td{cls}{style}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class='wide'><table>{head}{''.join(body)}</table></div>"


def _decimals(outcome: str) -> int:
    return 2 if outcome in plots.PERCENT else 3


def _interval(mean: float, lo: float, hi: float, lang: str, decimals: int, sign: bool = False) -> str:
    sep = "; " if lang == "nl" else ", "
    head = texts.number(mean, lang, decimals)
    if sign and mean == mean and mean > 0:
        head = "+" + head
    if lo != lo or hi != hi:
        return head
    return f"{head} [{texts.number(lo, lang, decimals)}{sep}{texts.number(hi, lang, decimals)}]"


def _outcome_name(outcome: str, lang: str) -> str:
    return texts.label(outcome, lang)


def _design(design: str, lang: str) -> str:
    return _e(texts.name_or_key("design", design, lang))


def _compared(st: Study, lang: str) -> str:
    s = st.config.scenario
    ph = texts.phrase
    hoods = ", ".join(f"{_e(h)} ({texts.number(100 * sh, lang, 0)} %)"
                      for h, sh in zip(s.neighbourhoods, s.neighbourhood_shares, strict=True))
    rows = [
        (ph("compared_municipality", lang), _e(texts.name_or_key("scenario", s.name, lang))),
        (ph("compared_residents", lang), texts.number(s.population, lang)),
        (ph("compared_neighbourhoods", lang), hoods),
        (ph("compared_budget", lang), f"EUR {texts.number(s.annual_budget_eur, lang)}; "
                                      f"EUR {texts.number(s.citizens_budget_eur, lang)}"),
        (ph("compared_projects", lang), f"EUR {texts.number(s.project_budget_eur, lang)}"),
        (ph("compared_trust", lang), f"{texts.number(100 * s.initial_trust, lang, 0)} %"),
        (ph("compared_designs", lang), ", ".join(_design(d, lang) for d in st.designs)),
        (ph("compared_runs", lang), texts.phrase("replicates", lang, n=st.replicates) + f", seed {st.seed}"),
    ]
    out = _table(None, [[f"<b>{_e(k)}</b>", v] for k, v in rows])
    if st.source_file:
        out += f"<p>{_e(ph('report_own', lang, file=st.source_file))}</p>"
    return out


def _headline(st: Study, table: pd.DataFrame, lang: str) -> str:
    ph = texts.phrase
    outcomes = list(dict.fromkeys(table["outcome"]))
    header = [_e(ph("design_word", lang))] + [_e(_outcome_name(o, lang).split(" (")[0]) for o in outcomes]
    rows, styles = [], []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        cells, st_row = [_design(design, lang)], [""]
        for o in outcomes:
            r = g.loc[o]
            word = ph(f"verdict_{r['verdict'].replace(' ', '_')}", lang)
            cells.append(f"<b>{_e(word)}</b>" if r["verdict"] in ("better", "worse") else _e(word))
            st_row.append(f"background:{_VERDICT_COLORS[r['verdict']]}")
        rows.append(cells)
        styles.append(st_row)
    verdicts = _table(header, rows, styles=styles)
    header = [_e(ph("design_word", lang))] + [_e(_outcome_name(o, lang)) for o in outcomes]
    rows = []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        rows.append([_design(design, lang)] + [
            _e(_interval(g.loc[o, "difference"], g.loc[o, "ci_low"], g.loc[o, "ci_high"], lang, _decimals(o),
                         sign=True)) for o in outcomes])
    details = _table(header, rows, numeric=[False] + [True] * len(outcomes))
    limits = _table([_e(ph("outcome_word", lang)), _e(ph("threshold_word", lang))],
                    [[_e(_outcome_name(o, lang)), texts.number(st.thresholds[o], lang, _decimals(o))]
                     for o in outcomes], numeric=[False, True])
    base = _design(st.baseline, lang)
    return (f"<p>{ph('headline_intro', lang, baseline=base)}</p>{verdicts}"
            f"<p>{_e(ph('headline_details', lang))}</p>{details}<p>{ph('thresholds_intro', lang)}</p>{limits}")


def _outcomes(st: Study, lang: str) -> str:
    table = plots.interval_table(st.runs, answers.OUTCOMES)
    header = [_e(texts.phrase("design_word", lang))] + [_e(_outcome_name(o, lang)) for o in answers.OUTCOMES]
    rows = []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        rows.append([_design(design, lang)] + [
            _e(_interval(g.loc[o, "mean"], g.loc[o, "ci_low"], g.loc[o, "ci_high"], lang, _decimals(o)))
            for o in answers.OUTCOMES])
    return (_png(plots.design_comparison(st.runs, lang=lang)) + f"<p>{_e(texts.phrase('mean_interval', lang))}</p>"
            + _table(header, rows, numeric=[False] + [True] * len(answers.OUTCOMES)))


def _costs(st: Study, lang: str) -> str:
    table = answers.costs(st.runs)
    header = [_e(texts.phrase("design_word", lang))] + [_e(_outcome_name(c, lang)) for c in answers.COSTS]
    rows = []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        rows.append([_design(design, lang)] + [
            _e(_interval(g.loc[c, "mean"], g.loc[c, "ci_low"], g.loc[c, "ci_high"], lang, 0)) for c in answers.COSTS])
    hour = texts.number(st.config.administration.hour_cost_eur, lang, 1)
    return (f"<p>{_e(texts.phrase('costs_intro', lang, hour=hour))}</p>"
            + _table(header, rows, numeric=[False] + [True] * len(answers.COSTS)))


def _who(st: Study, lang: str) -> str:
    table = answers.who_takes_part(st.runs)
    table = table[table["design"] != st.baseline] if st.baseline == "none" else table
    groups = list(dict.fromkeys(zip(table["dimension"], table["group"], strict=True)))
    header = [_e(texts.phrase("design_word", lang))] + [
        _e(answers.group_name(d, g, lang)) for d, g in groups]
    rows, styles = [], []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index(["dimension", "group"])
        cells, st_row = [_design(design, lang)], [""]
        for key in groups:
            r = g.loc[key]
            cells.append(_e(texts.number(r["ratio"], lang, 2)))
            low = r["ratio"] < answers.LEFT_OUT and key != ("age", "0-17")
            st_row.append("background:#f4cccc" if low else "")
        rows.append(cells)
        styles.append(st_row)
    lines = []
    out = answers.left_out(table)
    for design, g in table.groupby("design", sort=False):
        name = texts.name_or_key("design", design, lang)
        if g["ratio"].isna().all():
            lines.append(texts.phrase("nobody_took_part", lang, design=name))
            continue
        left = out[out["design"] == design]
        if left.empty:
            lines.append(texts.phrase("left_out_none", lang, design=name,
                                      left_out=texts.number(answers.LEFT_OUT, lang, 1)))
        else:
            names = ", ".join(f"{answers.group_name(d, grp, lang)} ({texts.number(r, lang, 2)})"
                              for d, grp, r in zip(left["dimension"], left["group"], left["ratio"], strict=True))
            lines.append(texts.phrase("left_out_line", lang, design=name, groups=names))
    intro = texts.phrase("who_intro", lang, left_out=texts.number(answers.LEFT_OUT, lang, 1))
    return (f"<p>{_e(intro)}</p>" + _table(header, rows, numeric=[False] + [True] * len(groups), styles=styles)
            + "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>")


def _tradeoffs(st: Study, lang: str) -> str:
    figs = [plots.tradeoff(st.runs, "turnout", "legitimacy", lang=lang),
            plots.tradeoff(st.runs, "total_cost_eur", "trust_citizens", lang=lang)]
    return f"<p>{_e(texts.phrase('tradeoffs_intro', lang))}</p>" + "".join(_png(f) for f in figs)


def _robust(st: Study, lang: str) -> str:
    """Whether each design beats the baseline in most matched runs over the posterior draws."""
    table = answers.robust_words(st.runs, st.baseline, lang, thresholds=st.thresholds)
    header = [_e(table.index.name)] + [_e(c) for c in table.columns]
    rows = [[_e(design)] + [_e(c) for c in row] for design, row in zip(table.index, table.to_numpy(), strict=True)]
    intro = texts.phrase("robust_intro", lang, draws=st.draws, replicates=st.replicates,
                         posterior=st.posterior or "")
    return f"<p>{_e(intro)}</p>" + _table(header, rows)


def _limits(lang: str) -> str:
    keys = ("limit_compare", "limit_assumed", "limit_data", "limit_delivery", "limit_intervals", "limit_costs",
            "limit_threshold")
    return "<ul>" + "".join(f"<li>{_e(texts.phrase(k, lang))}</li>" for k in keys) + "</ul>"


def _verdicts(st: Study) -> pd.DataFrame:
    return answers.verdicts(st.runs, st.baseline, answers.OUTCOMES, st.thresholds)


def render(st: Study, lang: str = "nl", command: str = "", table: pd.DataFrame | None = None) -> str:
    """The report of a study as one self-contained HTML page in ``lang`` (``table``: its verdicts, if computed)."""
    texts.phrase("report_title", lang)  # KeyError naming the languages for an unknown one
    ph = texts.phrase
    place = texts.name_or_key("scenario", st.scenario, lang)
    table = _verdicts(st) if table is None else table
    s = st.config.scenario
    lead = ph("report_lead", lang, population=texts.number(s.population, lang), municipality=place,
              months=st.config.run.steps, n=len(st.designs), replicates=st.replicates, seed=st.seed)
    parts = [f"<h1>{_e(ph('report_title', lang, municipality=place))}</h1>", f"<p class='lead'>{_e(lead)}</p>"]
    if st.scale != 1:
        share = texts.number(100 * st.scale, lang, 0)
        parts.append(f"<p><b>{_e(ph('report_scaled', lang, share=share, scale=st.scale))}</b></p>")
    base = texts.name_or_key("design", st.baseline, lang)
    sections = [("sec_compared", _compared(st, lang)), ("sec_headline", _headline(st, table, lang)),
                ("sec_outcomes", _outcomes(st, lang)), ("sec_costs", _costs(st, lang)),
                ("sec_who", _who(st, lang)), ("sec_tradeoffs", _tradeoffs(st, lang))]
    if st.posterior:
        sections.append(("sec_robust", _robust(st, lang)))
    sections.append(("sec_limits", _limits(lang)))
    for key, body in sections:
        parts.append(f"<h2>{_e(ph(key, lang, baseline=base))}</h2>{body}")
    stamp = ph("report_generated", lang, date=_dt.date.today().isoformat(), command=command or "python -m sim report")
    parts.append(f"<p class='small'>{_e(stamp)}</p>")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{_e(ph('report_title', lang, municipality=place))}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def write(st: Study, out: str | Path, lang: str = "nl", command: str = "") -> Path:
    """Write the report to ``out`` with ``runs.parquet`` and ``verdicts.csv`` beside it; returns ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = _verdicts(st)
    html = render(st, lang, command, table)
    # every file through a temporary name (a full disk leaves no truncated report); the HTML last
    atomic_write(out.with_name(out.stem + "_runs.parquet"), lambda p: st.runs.to_parquet(p))
    atomic_write(out.with_name(out.stem + "_verdicts.csv"), lambda p: table.to_csv(p, index=False))
    atomic_write_text(out, html)
    return out


def output_path(out: str | Path | None, scenario: str, lang: str) -> Path:
    """The report's file for the option ``out``: the file it names; in a folder (an existing one, or ``out``
    ending in ``/``) the file ``<municipality>_<lang>.html`` (:func:`default_out`'s name, a safe one
    whatever the municipality is called); without ``out``, :func:`default_out`."""
    if out is None or str(out) == "":
        return default_out(scenario, lang)
    text = str(out)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return Path(text) / default_out(scenario, lang).name
    return Path(text)


def check_writable(path: Path, given: object = None) -> None:
    """ConfigError naming ``out=`` unless the report can be written to ``path`` (checked before any run).

    An existing ``path`` must be a file that opens for writing; otherwise the nearest existing folder
    above it must take a new file (a probe file is created there and removed at once), so that the
    folders the report needs can be made.
    """
    shown = f"out={given if given is not None else path}"
    if path.exists():
        if not path.is_file():
            raise ConfigError(f"{shown}: {path} is not a file; allowed: a file (report.html) or a folder (dir/)")
        try:
            with open(path, "ab"):
                pass
        except OSError as exc:
            raise ConfigError(f"{shown}: {path} cannot be written ({exc.strerror}); allowed: a file you can "
                              "write to") from None
        return
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise ConfigError(f"{shown}: {folder} is not a folder; allowed: a file in a folder you can write to")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".report-probe-")
    except OSError as exc:
        raise ConfigError(f"{shown}: nothing can be written in {folder} ({exc.strerror}); allowed: a file in a "
                          "folder you can write to") from None
    os.close(handle)
    os.remove(probe)


def default_out(scenario: str, lang: str) -> Path:
    """Where a report is written when no ``out`` is given: ``outputs/report/<municipality>_<lang>.html``."""
    slug = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario)
    return Path("outputs") / "report" / f"{slug}_{lang}.html"
