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
default all); ``baseline`` (default none); ``replicates`` (default 10, at most 10,000:
:data:`sim.api.MAX_REPLICATES`); ``seed`` (0); ``scale`` (run.population_scale, default 1: every resident);
``jobs`` (parallel processes, default 2); ``out`` (the HTML file; default
``outputs/report/<municipality>_<lang>.html``); ``threshold.<outcome>=<value>`` (a threshold of what matters,
:data:`sim.experiments.answers.THRESHOLDS`); ``posterior`` (an ABC calibration's folder) and ``draws``
(parameter sets drawn from it, default 10), which add whether each verdict holds under the calibration's
uncertainty; any other ``section.key=value`` is a model override for every design (docs/parameters.md),
but of a key the report sets itself (:data:`OWN_KEYS`: ``design.*``, ``run.population_scale``, ``seed``,
``replicate``), which is refused. The inputs table labels a number an override changed as set by the user.

Everything is checked before the first run: the options, every design composed with the overrides,
the posterior read, the counts within :mod:`sim.api`'s bounds, and (the command line) every file the
report writes (:func:`check_writable`): names that fit, folders that take them, none of them one of the
report's inputs, no two of them one file, and ``out`` not a PDF's name.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as _dt
import hashlib
import html
import io
import logging
import math
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim import plots, texts, writable
from sim.api import owned_override, plan_comparison, run_comparison
from sim.config import municipality, provenance
from sim.config.compose import compose_config
from sim.config.keys import ConfigError, did_you_mean
from sim.config.schema import Config
from sim.experiments import answers
from sim.io import atomic_write, atomic_write_text

log = logging.getLogger(__name__)

__all__ = ["OWN_KEYS", "Study", "check_writable", "chromium", "default_out", "held", "output_path", "outputs",
           "print_pdf", "render", "study", "write"]

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
    source_date: str | None = None  # when the municipality file was last changed (its date, YYYY-MM-DD)
    given: list[str] = field(default_factory=list)  # the keys the municipality file set
    overrides: list[str] = field(default_factory=list)
    posterior: str | None = None  # an ABC calibration's folder or posterior.parquet
    draws: int = 0  # parameter sets drawn from it
    set_by_user: list[str] = field(default_factory=list)  # the scenario's keys the overrides changed


#: The keys the report sets itself (a key, or a section as ``design.*``), and how: an override of one is refused,
#: since it would be ignored or make the report wrong (``design.name=x`` labelled every design x, and any
#: ``design.*`` would change every design's own preset, the baseline's too).
OWN_KEYS: dict[str, str] = {
    "design": "each design is its preset, from designs=", "design.*": "each design is its preset, from designs=",
    "run.population_scale": "from scale=", "seed": "from seed=", "replicate": "each replicate, from replicates="}

#: The overrides the report takes, for the messages that refuse another.
OTHER_KEYS = "overrides of other keys (citizens.*, scenario.*, administration.*, ...)"

#: The sections the report does not use (a section, or its keys as ``experiment.*``), and why: an override of
#: one is refused, since it would do nothing and be listed under "Other settings" as applied.
UNUSED_KEYS: dict[str, str] = {
    "experiment": "it runs no experiment; replicates=, seed=, posterior= and draws= set its runs",
    "experiment.*": "it runs no experiment; replicates=, seed=, posterior= and draws= set its runs",
    "hydra": "it does not start Hydra; out= names what it writes",
    "hydra.*": "it does not start Hydra; out= names what it writes"}


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
    errors are in ``lang``. An override of a key the report sets itself (:data:`OWN_KEYS`: ``design.*``,
    ``run.population_scale``, ``seed``, ``replicate``) is refused, and one of a section it does not use
    (:data:`UNUSED_KEYS`: ``experiment.*``, ``hydra.*``). ``before_runs(name)`` is called with the
    municipality's name once everything is checked (every design composed, the posterior read, the counts
    within :mod:`sim.api`'s bounds) and before the first run (the command line checks there that it can
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
    own = owned_override(overrides, OWN_KEYS)
    if own is not None:
        i, key, how = own
        raise ConfigError(f"{overrides[i]}: the report sets {key} itself ({how}); allowed: {OTHER_KEYS}")
    unused = owned_override(overrides, UNUSED_KEYS)
    if unused is not None:
        i, key, why = unused
        raise ConfigError(f"{overrides[i]}: the report does not use {key.partition('.')[0]}.* ({why}); "
                          f"allowed: {OTHER_KEYS}")
    if posterior is None and draws:
        raise ConfigError(f"draws={draws!r} needs posterior=<an ABC calibration's folder>; allowed: draws=0 "
                          "without a posterior")
    limits = {**answers.THRESHOLDS, **(thresholds or {})}
    unknown = sorted(set(limits) - set(answers.THRESHOLDS))
    if unknown:
        shown = f"threshold.{unknown[0]}={limits[unknown[0]]!r}"
        raise ConfigError(f"{shown}: {unknown[0]} is not an outcome with a threshold"
                          f"{did_you_mean(unknown[0], answers.THRESHOLDS)}; allowed: threshold.<outcome> for an "
                          f"outcome of {', '.join(answers.THRESHOLDS)}")
    bad = {k: v for k, v in limits.items() if not (math.isfinite(v) and v >= 0)}
    if bad:
        key, value = next(iter(bad.items()))
        raise ConfigError(f"threshold.{key}={value!r}: allowed a finite number >= 0")
    base = [f"run.population_scale={scale!r}"]
    source = source_date = None
    given: list[str] = []
    if municipality_file is not None:
        source = str(municipality_file)
        spec = municipality.load(municipality_file, lang)
        given = list(spec)
        source_date = _dt.date.fromtimestamp(Path(municipality_file).stat().st_mtime).isoformat()
        base = municipality.overrides(spec, lang, municipality_file) + base
        scenario = "generic"
    extra = [*base, *overrides]
    config = compose_config(scenario, baseline, seed, extra)
    if posterior is not None and not draws:
        draws = 10
    if posterior is not None and draws < 1:
        raise ConfigError(f"draws={draws!r}: allowed a whole number >= 1 (parameter sets drawn from the posterior)")
    # every design composed, the posterior read and the counts checked: nothing fails after the first run
    plan = plan_comparison(scenario, designs, replicates=replicates, seed=seed, overrides=extra, n_jobs=jobs,
                           measure=answers.measure, posterior=posterior, draws=draws)
    if before_runs is not None:
        before_runs(config.scenario.name)
    log.info("report: %d designs x %d replicates on %s (population scale %g)", len(designs), replicates,
             config.scenario.name, scale)
    runs = run_comparison(plan)
    return Study(runs=runs, scenario=config.scenario.name, designs=designs, baseline=baseline,
                 replicates=replicates, seed=seed, scale=scale, thresholds=limits, config=config,
                 source_file=source, source_date=source_date, given=given, overrides=list(overrides),
                 posterior=None if posterior is None else str(posterior), draws=int(draws),
                 set_by_user=_changed(config, compose_config(scenario, baseline, seed, base)) if overrides else [])


def _changed(config: Config, preset: Config) -> list[str]:
    """The scenario's keys whose value in ``config`` differs from ``preset`` (the same without the user's
    overrides): what the user set, whichever override set it."""
    return [f.name for f in dataclasses.fields(config.scenario)
            if getattr(config.scenario, f.name) != getattr(preset.scenario, f.name)]


# --------------------------------------------------------------------------- HTML pieces

#: The page: readable on a screen of 1280 px and printed on A4 (every table and figure within the
#: page's width: tables wrap their cells and wide ones are split, figures shrink to the width).
_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1100px; margin: 1.5em auto; padding: 0 1.2em;
       color: #222; line-height: 1.45; font-size: 16px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { margin: 1.2em 0 0.4em; font-size: 1.08em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top;
         overflow-wrap: break-word; hyphens: auto; }
th { background: #f3f3f3; } td.num { text-align: right; white-space: nowrap; }
td.num small { color: #555; white-space: nowrap; }
img { max-width: 100%; height: auto; display: block; } figure { margin: 1em 0; }
figcaption { font-size: 0.9em; color: #444; max-width: 60em; }
.lead { font-size: 1.06em; } .small { font-size: 0.85em; color: #555; }
.summary { background: #f6f8fa; border: 1px solid #d8dee4; padding: 0.2em 1.2em 0.8em; }
.summary h2 { margin-top: 0.6em; } .summary p, .summary li { margin: 0.35em 0; }
.warning { background: #fff3cd; border: 1px solid #e0c060; padding: 0.4em 0.8em; font-weight: bold; }
.sw { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; margin-right: 0.35em;
      vertical-align: baseline; }
.st-assumed { background: #f4cccc; } .st-proxy { background: #fff3cd; } .st-published { background: #d9f0d3; }
.st-given { background: #dbe9f6; }
code { font-size: 0.92em; overflow-wrap: anywhere; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4; margin: 14mm 13mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2.part { break-before: page; }
  h2, h3 { break-after: avoid; } figure, tr, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
  .summary { border: none; background: none; padding: 0; font-size: 9pt; line-height: 1.38; }
  .summary h3 { margin: 0.8em 0 0.2em; } .lead { font-size: 1em; } h1 { font-size: 1.5em; }
}
"""

#: The statuses of an input, as their table marks them (sim.config.provenance).
_STATUS_CLASS = {s: f"st-{s}" for s in provenance.STATUSES}

#: Inputs whose status the summary names when they are assumed or given by a stand-in: those the
#: comparison leans on (who lives where, the money, the staff, who may take part, where the
#: residents' views start).
MATTERS: tuple[str, ...] = ("neighbourhood_shares", "citizens_budget_eur", "project_budget_eur",
                            "participation_staff", "min_participation_age", "initial_efficacy",
                            "initial_throughput")

#: Value columns per table: a wider table is split into several (each with the design column), so
#: that it fits an A4 page and a screen of 1280 px.
_COLUMNS_PER_TABLE = 4


def _e(text: object) -> str:
    return html.escape(str(text))


def _png(fig: plt.Figure, caption: str = "") -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    img = f'<img alt="{_e(caption)}" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'
    return f"<figure>{img}<figcaption>{_e(caption)}</figcaption></figure>" if caption else f"<figure>{img}</figure>"


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[str]], numeric: Sequence[bool] | None = None,
           styles: Sequence[Sequence[str]] | None = None) -> str:
    """An HTML table (no header row for ``header=None``); cells are already escaped HTML."""
    numeric = numeric or [False] * len(rows[0] if rows else header or [])
    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>" if header else ""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            cls = ' class="num"' if numeric[j] else ""
            style = f' style="{styles[i][j]}"' if styles and styles[i][j] else ""
            cells.append(f"<td{cls}{style}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


def _split(first: str, header: Sequence[str], names: Sequence[str], cells: Sequence[Sequence[str]],
           styles: Sequence[Sequence[str]] | None = None, per: int = _COLUMNS_PER_TABLE) -> str:
    """A table of ``names`` (rows) by ``header`` (value columns), split into tables of ``per`` value columns.

    Each part repeats the first column (``first``, e.g. the design), so each is readable alone
    and none is wider than the page.
    """
    parts = []
    for start in range(0, len(header), per):
        cols = range(start, min(start + per, len(header)))
        rows = [[name] + [row[c] for c in cols] for name, row in zip(names, cells, strict=True)]
        st = None if styles is None else [[""] + [row[c] for c in cols] for row in styles]
        parts.append(_table([first] + [header[c] for c in cols], rows, [False] + [True] * len(cols), st))
    return "".join(parts)


def _decimals(outcome: str) -> int:
    return 1 if outcome in plots.PERCENT else 2


def _value(mean: float, lo: float, hi: float, lang: str, decimals: int, signed: bool = False) -> str:
    """A mean and, on the line under it, its 95 % interval (HTML; nothing but the mean when there is none)."""
    head = _e(texts.number(mean, lang, decimals, signed=signed))
    if lo != lo or hi != hi:
        return head
    sep = "; " if lang == "nl" else ", "
    return (f"{head}<br><small>[{_e(texts.number(lo, lang, decimals, signed=signed))}{sep}"
            f"{_e(texts.number(hi, lang, decimals, signed=signed))}]</small>")


def _short(outcome: str, lang: str) -> str:
    """An outcome's label without its unit: "residents who trust the municipality"."""
    return texts.label(outcome, lang).split(" (")[0]


def _design_name(design: str, lang: str) -> str:
    return texts.name_or_key("design", design, lang)


def _design(design: str, lang: str) -> str:
    """A design in words, after a dot of its colour (the colour it has in every figure)."""
    color = plots.DESIGN_COLORS.get(design, "#777777")
    return f'<span class="sw" style="background:{color}"></span>{_e(_design_name(design, lang))}'


def _capital(text: str) -> str:
    """``text`` with its first letter a capital (a design's name opening a sentence)."""
    return text[:1].upper() + text[1:]


def _list(items: Sequence[str], lang: str) -> str:
    """Items joined as a sentence does: "a, b and c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {texts.phrase('and_word', lang)} " + items[-1]


# --------------------------------------------------------------------------- the inputs and their status

def _inputs(st: Study, lang: str) -> pd.DataFrame:
    """The municipality's numbers with their status (answers.inputs, as the notebook shows them); a number the
    user's overrides changed is *given*, set by the user, with the overrides that name it as its source."""
    preset = "generic" if st.source_file else st.scenario
    table = answers.inputs(st.config, preset, st.given, lang, st.source_file)
    for key in st.set_by_user:
        named = [o for o in st.overrides if o.partition("=")[0].lstrip("+~").strip() == f"scenario.{key}"]
        row = table["key"] == key
        table.loc[row, "status"] = "given"
        table.loc[row, "status_words"] = texts.phrase("status_set_by_user", lang)
        table.loc[row, "source"] = texts.phrase("input_from_override", lang, overrides=", ".join(named or st.overrides))
    return table


def _neighbourhoods(st: Study, lang: str) -> str:
    s = st.config.scenario
    return ", ".join(f"{h} ({texts.number(100 * sh, lang, 0)} %)"
                     for h, sh in zip(s.neighbourhoods, s.neighbourhood_shares, strict=True))


def _assumed_that_matter(st: Study, lang: str) -> list[str]:
    """The inputs of :data:`MATTERS` that are assumed, in words with their value."""
    table = _inputs(st, lang)
    table = table[table["key"].isin(MATTERS) & (table["status"] == "assumed")]
    return [f"{r.input} ({_neighbourhoods(st, lang) if r.key == 'neighbourhood_shares' else r.value})"
            for r in table.itertuples()]


def _inputs_table(st: Study, lang: str) -> str:
    """Every input of the municipality: value, status (published, proxy, assumed, given) and source."""
    ph = texts.phrase
    header = [_e(ph(k, lang)) for k in ("input_word", "value_word", "status_word", "source_word")]
    rows = [[_e(r.input), _e(r.value), _e(r.status_words), _e(r.source)] for r in _inputs(st, lang).itertuples()]
    styles = [["", "", _STATUS_CLASS[str(r.status)], ""] for r in _inputs(st, lang).itertuples()]
    body = "".join(
        "<tr>" + "".join(f"<td class='{c}'>{v}</td>" if c else f"<td>{v}</td>" for v, c in zip(r, sr, strict=True))
        + "</tr>" for r, sr in zip(rows, styles, strict=True))
    return (f"<p>{_e(ph('inputs_intro', lang))}</p><table><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in header) + f"</tr></thead><tbody>{body}</tbody></table>")


# --------------------------------------------------------------------------- the summary

def _findings(st: Study, table: pd.DataFrame, lang: str, most: int = 3) -> list[str]:
    """The two or three clearest verdicts of :func:`answers.verdicts`, in sentences with their interval.

    The largest clear improvements (measured against their threshold) and the largest clear
    worsening: what a council most needs to know. Nothing here decides a verdict: it only picks
    and words the verdict function's rows.
    """
    ph = texts.phrase
    clear = table[table["verdict"].isin(("better", "worse"))].copy()
    clear["score"] = clear["difference"].abs() / clear["threshold"].where(clear["threshold"] > 0, 1.0)
    better = clear[clear["verdict"] == "better"].sort_values("score", ascending=False)
    worse = clear[clear["verdict"] == "worse"].sort_values("score", ascending=False)
    picked = [*better.head(most - 1 if len(worse) else most).itertuples(), *worse.head(1).itertuples()]
    picked += [r for r in better.iloc[most - 1:].itertuples()][: most - len(picked)]
    sep = "; " if lang == "nl" else ", "
    out = []
    for r in picked:
        o = str(r.outcome)
        d = _decimals(o)
        size = texts.number(abs(r.difference), lang, d)
        interval = f"{texts.number(r.ci_low, lang, d, signed=True)}{sep}{texts.number(r.ci_high, lang, d, signed=True)}"
        share = o in plots.PERCEPTIONS and o != "legitimacy"
        key = ("finding_share_" if share else "finding_level_") + ("more" if r.difference > 0 else "less")
        out.append(ph(key, lang, design=_capital(_design_name(str(r.design), lang)), size=size, what=_short(o, lang),
                      baseline=_design_name(st.baseline, lang), interval=interval,
                      unit=ph("unit_points" if o in plots.PERCENT else "unit_index", lang)))
    if len(picked) < 2:  # say what the largest unclear differences are, rather than nothing
        unclear = table[(table["verdict"] == "no clear difference") & table["outcome"].isin(plots.PERCEPTIONS)]
        unclear = unclear.reindex(unclear["difference"].abs().sort_values(ascending=False).index)
        for r in unclear.head(2 - len(picked)).itertuples():
            o = str(r.outcome)
            out.append(ph("finding_unclear", lang, design=_capital(_design_name(str(r.design), lang)),
                          what=_short(o, lang), baseline=_design_name(st.baseline, lang),
                          size=texts.number(r.difference, lang, _decimals(o), signed=True),
                          interval=f"{texts.number(r.ci_low, lang, 1, signed=True)}{sep}"
                                   f"{texts.number(r.ci_high, lang, 1, signed=True)}",
                          reason=ph(f"reason_{r.reason}", lang)))
    if not picked:
        out.insert(0, ph("finding_none", lang, baseline=_design_name(st.baseline, lang)))
    return out


def _cost_summary(st: Study, lang: str) -> str:
    costs = answers.costs(st.runs).set_index(["design", "outcome"])["mean"]
    hours = {d: costs[(d, "staff_hours")] for d in st.designs}
    total = {d: costs[(d, "total_cost_eur")] for d in st.designs}
    residents = {d: costs[(d, "residents_hours")] for d in st.designs}
    low, high = min(hours, key=hours.__getitem__), max(hours, key=hours.__getitem__)
    most = max(residents, key=residents.__getitem__)
    s = st.config.scenario
    return texts.phrase(
        "summary_cost", lang, project=texts.number(s.project_budget_eur, lang),
        low_hours=texts.number(hours[low], lang), low=_design_name(low, lang),
        high_hours=texts.number(hours[high], lang), high=_design_name(high, lang),
        low_total=texts.number(min(total.values()), lang), high_total=texts.number(max(total.values()), lang),
        residents=texts.number(residents[most], lang), most=_design_name(most, lang))


def _who_summary(st: Study, lang: str) -> str:
    table = answers.who_takes_part(st.runs)
    took_part = [d for d, g in table.groupby("design", sort=False) if g["ratio"].notna().any()]
    if not took_part:
        return texts.phrase("summary_nobody", lang)
    out = answers.left_out(table)
    out = out[out["design"].isin(took_part)]
    counts = out.groupby(["dimension", "group"], sort=False).size().sort_values(ascending=False, kind="stable")
    nobody = [_design_name(d, lang) for d in took_part if d not in set(out["design"])]
    parts = []
    if len(counts):
        groups = [f"{answers.group_name(d, g, lang)} ({texts.phrase('in_designs', lang, k=k, n=len(took_part))})"
                  for (d, g), k in counts.head(3).items()]
        parts.append(texts.phrase("summary_left_out", lang, groups=_list(groups, lang)))
    if nobody:
        parts.append(texts.phrase("summary_nobody_left_out", lang, designs=_list(nobody, lang)))
    parts.append(texts.phrase("summary_who_more", lang))
    return " ".join(parts)


def _summary(st: Study, table: pd.DataFrame, lang: str) -> str:
    ph = texts.phrase
    place = texts.name_or_key("scenario", st.scenario, lang)
    others = [_design(d, lang) for d in st.designs if d != st.baseline]
    parts = [f"<h2>1. {_e(ph('sec_summary', lang))}</h2>",
             f"<p><b>{_e(ph('summary_question_word', lang))}</b> "
             f"{_e(ph('summary_question', lang, municipality=place, months=st.config.run.steps))}</p>",
             f"<p><b>{_e(ph('summary_designs_word', lang))}</b> "
             f"{ph('summary_designs', lang, designs=_list(others, lang), baseline=_design(st.baseline, lang))}</p>"]
    if st.replicates < 3:
        parts.append(f"<p class='warning'>{_e(ph('too_few_replicates', lang, n=st.replicates))}</p>")
    if st.scale != 1:
        parts.append(f"<p class='warning'>{_e(ph('summary_scaled', lang, share=texts.number(100 * st.scale, lang)))}"
                     "</p>")
    findings = _findings(st, table, lang)
    comparable = table[table["verdict"] != "not comparable"]
    unclear = int((comparable["verdict"] == "no clear difference").sum())
    parts += [f"<h3>{_e(ph('summary_findings', lang, municipality=place))}</h3>",
              "<ul>" + "".join(f"<li>{_e(f)}</li>" for f in findings) + "</ul>",
              f"<p>{_e(ph('summary_uncertainty', lang, n=st.replicates, unclear=unclear, total=len(comparable)))}</p>"]
    if st.posterior:
        parts.append(f"<p>{_e(ph('two_checks', lang))}</p>")
    parts += [f"<h3>{_e(ph('summary_cost_word', lang))}</h3><p>{_e(_cost_summary(st, lang))}</p>",
              f"<h3>{_e(ph('summary_who_word', lang))}</h3><p>{_e(_who_summary(st, lang))}</p>"]
    assumed = _assumed_that_matter(st, lang)
    cannot = [ph("summary_cannot", lang, municipality=place)]
    if assumed:
        cannot.append(ph("summary_assumed", lang, inputs=_list(assumed, lang)))
    cannot.append(ph("summary_effects", lang))
    parts.append(f"<h3>{_e(ph('summary_cannot_word', lang))}</h3><p>{_e(' '.join(cannot))}</p>")
    if st.source_file:
        own = ph("report_own", lang, file=Path(st.source_file).name, date=st.source_date or "")
        parts.append(f"<p class='small'>{_e(own)}</p>")
    return "<section class='summary'>" + "".join(parts) + "</section>"


# --------------------------------------------------------------------------- the details

def _per_design(st: Study, table: pd.DataFrame, lang: str) -> str:
    """Each design against the baseline: one small table per design (outcome, verdict, difference, why)."""
    ph = texts.phrase
    header = [_e(ph(k, lang)) for k in ("outcome_word", "verdict_word", "difference_word", "reason_word")]
    out = [f"<p>{ph('headline_intro', lang, baseline=_e(_design_name(st.baseline, lang)))}</p>",
           f"<p>{_e(ph('headline_details', lang))}</p>"]
    for design, g in table.groupby("design", sort=False):
        rows, styles = [], []
        for r in g.itertuples():
            verdict = str(r.verdict)
            word = ph(f"verdict_{verdict.replace(' ', '_')}", lang)
            comparable = verdict != "not comparable"
            diff = _value(r.difference, r.ci_low, r.ci_high, lang, _decimals(str(r.outcome)), signed=True) \
                if comparable else "&ndash;"
            rows.append([_e(texts.label(str(r.outcome), lang)),
                         f"<b>{_e(word)}</b>" if verdict in ("better", "worse") else _e(word), diff,
                         _e(ph(f"reason_{r.reason}", lang))])
            styles.append(["", f"background:{_VERDICT_COLORS[verdict]}", "", ""])
        out.append(f"<h3>{_design(str(design), lang)}</h3>"
                   + _table(header, rows, [False, False, True, False], styles))
    return "".join(out)


def _outcomes(st: Study, lang: str) -> str:
    table = plots.interval_table(st.runs, answers.OUTCOMES)
    header = [_e(texts.label(o, lang)) for o in answers.OUTCOMES]
    names, cells = [], []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        names.append(_design(str(design), lang))
        cells.append([_value(g.loc[o, "mean"], g.loc[o, "ci_low"], g.loc[o, "ci_high"], lang, _decimals(o))
                      for o in answers.OUTCOMES])
    measures = _table([_e(texts.phrase("outcome_word", lang)), _e(texts.phrase("measures_word", lang))],
                      [[_e(texts.label(o, lang)), _e(texts.explain(o, lang))] for o in answers.OUTCOMES])
    fig = plots.design_comparison(st.runs, answers.OUTCOMES, ncols=3, lang=lang)
    return (_png(fig, texts.phrase("outcomes_caption", lang))
            + f"<p>{_e(texts.phrase('mean_interval', lang))}</p>"
            + _split(_e(texts.phrase("design_word", lang)), header, names, cells)
            + f"<h3>{_e(texts.phrase('measures_title', lang))}</h3>" + measures)


def _costs(st: Study, lang: str) -> str:
    table = answers.costs(st.runs)
    header = [_e(texts.label(c, lang)) for c in answers.COSTS]
    names, cells = [], []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index("outcome")
        names.append(_design(str(design), lang))
        cells.append([_value(g.loc[c, "mean"], g.loc[c, "ci_low"], g.loc[c, "ci_high"], lang, 0)
                      for c in answers.COSTS])
    hour = texts.number(st.config.administration.hour_cost_eur, lang, 1)
    return (f"<p>{_e(texts.phrase('costs_intro', lang, hour=hour))}</p>"
            + _split(_e(texts.phrase("design_word", lang)), header, names, cells))


def _who(st: Study, lang: str) -> str:
    table = answers.who_takes_part(st.runs)
    table = table[table["design"] != st.baseline] if st.baseline == "none" else table
    groups = list(dict.fromkeys(zip(table["dimension"], table["group"], strict=True)))
    header = [_e(answers.group_name(d, g, lang)) for d, g in groups]
    names, cells, styles = [], [], []
    for design, g in table.groupby("design", sort=False):
        g = g.set_index(["dimension", "group"])
        names.append(_design(str(design), lang))
        row, st_row = [], []
        for key in groups:
            r = g.loc[key]
            row.append(_e(texts.number(r["ratio"], lang, 2)))
            low = r["ratio"] < answers.LEFT_OUT and key != ("age", "0-17")
            st_row.append("background:#f4cccc" if low else "")
        cells.append(row)
        styles.append(st_row)
    lines = []
    out = answers.left_out(table)
    for design, g in table.groupby("design", sort=False):
        name = _design_name(str(design), lang)
        if g["ratio"].isna().all():
            lines.append(texts.phrase("nobody_took_part", lang, design=name))
            continue
        left = out[out["design"] == design]
        if left.empty:
            lines.append(texts.phrase("left_out_none", lang, design=name,
                                      left_out=texts.number(answers.LEFT_OUT, lang, 1)))
        else:
            words = ", ".join(f"{answers.group_name(d, grp, lang)} ({texts.number(r, lang, 2)})"
                              for d, grp, r in zip(left["dimension"], left["group"], left["ratio"], strict=True))
            lines.append(texts.phrase("left_out_line", lang, design=name, groups=words))
    intro = texts.phrase("who_intro", lang, left_out=texts.number(answers.LEFT_OUT, lang, 1))
    return (f"<p>{_e(intro)} {_e(texts.phrase('who_index', lang))}</p>"
            + _split(_e(texts.phrase("design_word", lang)), header, names, cells, styles, per=7)
            + "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>")


def _tradeoffs(st: Study, lang: str) -> str:
    ph = texts.phrase
    a = plots.tradeoff(st.runs, "turnout", "legitimacy", lang=lang)
    b = plots.tradeoff(st.runs, "total_cost_eur", "trust_citizens", lang=lang)
    return (f"<p>{_e(ph('tradeoffs_intro', lang))}</p>"
            + _png(a, ph("tradeoff_turnout_caption", lang)) + _png(b, ph("tradeoff_cost_caption", lang)))


def _robust(st: Study, lang: str) -> str:
    """Whether each design beats the baseline in most matched runs over the posterior draws."""
    table = answers.robust_words(st.runs, st.baseline, lang, thresholds=st.thresholds)
    header = [_e(c) for c in table.columns]
    names = [_e(d) for d in table.index]
    cells = [[_e(c) for c in row] for row in table.to_numpy()]
    intro = texts.phrase("robust_intro", lang, draws=st.draws, replicates=st.replicates)
    return (f"<p>{_e(intro)}</p><p>{_e(texts.phrase('two_checks', lang))}</p>"
            + _split(_e(table.index.name), header, names, cells))


def _limits(lang: str) -> str:
    keys = ("limit_compare", "limit_assumed", "limit_data", "limit_delivery", "limit_intervals", "limit_costs",
            "limit_threshold")
    return "<ul>" + "".join(f"<li>{_e(texts.phrase(k, lang))}</li>" for k in keys) + "</ul>"


# --------------------------------------------------------------------------- the technical annex

def _annex(st: Study, lang: str, command: str) -> str:
    """Commands, settings and methods, for the participation officer: the only place code words appear."""
    ph = texts.phrase
    rows = [(ph("annex_command", lang), f"<code>{_e(command or 'python -m sim report')}</code>"),
            (ph("annex_scenario", lang), f"<code>{_e(st.scenario)}</code>"
             + (f" ({_e(st.source_file)}, {_e(st.source_date or '')})" if st.source_file else "")),
            (ph("annex_designs", lang), ", ".join(f"<code>{_e(d)}</code>" for d in st.designs)),
            (ph("annex_runs", lang), _e(ph("annex_runs_value", lang, replicates=st.replicates, seed=st.seed,
                                              scale=texts.number(st.scale, lang, 2)))),
            (ph("annex_overrides", lang), ", ".join(f"<code>{_e(o)}</code>" for o in st.overrides) or "&ndash;")]
    if st.posterior:
        rows.append((ph("annex_posterior", lang), f"<code>{_e(st.posterior)}</code>, {st.draws}"))
    settings = _table(None, [[f"<b>{_e(k)}</b>", v] for k, v in rows])
    limits = _table([_e(ph("outcome_word", lang)), "<code>threshold.&lt;…&gt;</code>", _e(ph("threshold_word", lang))],
                    [[_e(texts.label(o, lang)), f"<code>threshold.{_e(o)}</code>",
                      _e(texts.number(st.thresholds[o], lang, 2))] for o in answers.OUTCOMES],
                    numeric=[False, False, True])
    methods = "".join(f"<li>{_e(ph(k, lang, resamples=answers.BOOTSTRAP_RESAMPLES))}</li>"
                      for k in ("annex_verdicts", "annex_intervals", "annex_cost_intervals", "annex_levers"))
    return (settings + f"<p>{_e(ph('thresholds_intro', lang))}</p>" + limits + f"<ul>{methods}</ul>")


def _verdicts(st: Study) -> pd.DataFrame:
    return answers.verdicts(st.runs, st.baseline, answers.OUTCOMES, st.thresholds)


def render(st: Study, lang: str = "nl", command: str = "", table: pd.DataFrame | None = None) -> str:
    """The report of a study as one self-contained HTML page in ``lang`` (``table``: its verdicts, if computed).

    A one-page summary in plain words first, then the details, the assumptions and limits, and a
    technical annex (the only part with commands and settings).
    """
    texts.phrase("report_title", lang)  # KeyError naming the languages for an unknown one
    ph = texts.phrase
    place = texts.name_or_key("scenario", st.scenario, lang)
    table = _verdicts(st) if table is None else table
    s = st.config.scenario
    lead = ph("report_lead", lang, population=texts.number(s.population, lang), municipality=place,
              months=st.config.run.steps, n=len(st.designs), replicates=st.replicates)
    parts = [f"<h1>{_e(ph('report_title', lang, municipality=place))}</h1>", f"<p class='lead'>{_e(lead)}</p>",
             _summary(st, table, lang)]
    base = _design_name(st.baseline, lang)
    headline = _per_design(st, table, lang)
    if st.posterior:  # the second check belongs beside the first (the texts refer to sections by number)
        headline += f"<h3>{_e(ph('sec_robust', lang))}</h3>{_robust(st, lang)}"
    sections = [("sec_headline", headline), ("sec_outcomes", _outcomes(st, lang)),
                ("sec_costs", _costs(st, lang)), ("sec_who", _who(st, lang)), ("sec_tradeoffs", _tradeoffs(st, lang)),
                ("sec_limits", _inputs_table(st, lang) + _limits(lang)), ("sec_annex", _annex(st, lang, command))]
    # printed, each part starts a page (the details, the assumptions and limits, the annex); the
    # sections of the details follow on, so that a page is not left with one line of a list
    starts_part = {"sec_headline", "sec_limits", "sec_annex"}
    for number, (key, body) in enumerate(sections, start=2):  # 1 is the summary
        part = " class='part'" if key in starts_part else ""
        parts.append(f"<section><h2{part}>{number}. {_e(ph(key, lang, baseline=base))}</h2>{body}</section>")
    stamp = ph("report_generated", lang, date=_dt.date.today().isoformat())
    parts.append(f"<p class='small'>{_e(stamp)}</p>")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(ph('report_title', lang, municipality=place))}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def write(st: Study, out: str | Path, lang: str = "nl", command: str = "", pdf: bool = False) -> Path:
    """Write the report to ``out`` with ``runs.parquet`` and ``verdicts.csv`` beside it; returns ``out``.

    With ``pdf``, the report printed on A4 by chromium (:func:`print_pdf`) goes beside it as
    ``<name>.pdf``. A ``<name>.pdf`` already there is an earlier report's print: it is removed before the new
    report is written, with or without ``pdf``, so that a PDF beside the HTML is always this report's (a report
    written without a PDF over one printed before left the old PDF beside the new HTML).
    """
    out = Path(out)
    table = _verdicts(st)
    html = render(st, lang, command, table)  # before any folder is made: an error here leaves nothing
    out.parent.mkdir(parents=True, exist_ok=True)
    _, runs, verdicts, *printed = outputs(out, pdf)
    earlier = out.with_suffix(".pdf")
    if earlier.is_symlink() or earlier.is_file():
        log.info("%s: the print of the report this one replaces, removed", earlier)
        earlier.unlink()
    # every file through a temporary name (a full disk leaves no truncated report); the HTML last
    atomic_write(runs, lambda p: st.runs.to_parquet(p))
    atomic_write(verdicts, lambda p: table.to_csv(p, index=False))
    atomic_write_text(out, html)
    for path in printed:
        print_pdf(out, path)
    return out


def outputs(out: Path, pdf: bool = False) -> list[Path]:
    """Every file :func:`write` writes for the report ``out``: the HTML, ``<name>_runs.parquet`` and
    ``<name>_verdicts.csv`` beside it, and with ``pdf`` ``<name>.pdf``."""
    files = [out, out.with_name(out.stem + "_runs.parquet"), out.with_name(out.stem + "_verdicts.csv")]
    return [*files, out.with_suffix(".pdf")] if pdf else files


def output_path(out: str | Path | None, scenario: str, lang: str) -> Path:
    """The report's file for the option ``out``: the file it names; in a folder (an existing one, or ``out``
    ending in ``/``) the file ``<municipality>_<lang>.html`` (:func:`default_out`'s name, a safe one
    whatever the municipality is called); without ``out``, :func:`default_out`."""
    if out is None or str(out) == "":
        return default_out(scenario, lang)
    text = str(out)
    try:
        folder = Path(text).is_dir()
    except OSError:  # a name too long to look up: not a folder (check_writable names it)
        folder = False
    if text.endswith(("/", os.sep)) or folder:
        return Path(text) / default_out(scenario, lang).name
    return Path(text)


@contextlib.contextmanager
def held(out: Path) -> Iterator[None]:
    """Hold the report ``out`` for this process while it is made: two reports on one ``out=`` would each run every
    design and write the same files. A second one stops with one line, exit status 1, as a second sweep on a folder
    does (the lock of :func:`sim.experiments.callbacks.lock_file`): ``error: the report <out> is in use by another
    report (pid ... on ..., started ...: python -m sim report ...); wait until it ends, or choose another out=``.

    The lock's files are hidden beside the report, named by a digest of its name (as a file system that ignores case
    compares it), so that they fit where the report's name does: ``.report.<digest>.lock`` (it stays, as a sweep's)
    and, while held, ``.report.<digest>.owner.json``. Reports on other files of the folder are not held up.
    """
    # lazy: the callbacks' module loads filelock, only for the command line's reports
    from sim.experiments.callbacks import lock_file, unlock_file

    digest = hashlib.sha256(out.name.casefold().encode()).hexdigest()[:16]
    owner = out.with_name(f".report.{digest}.owner.json")
    lock = lock_file(out.with_name(f".report.{digest}.lock"), owner, f"the report {out}", "report",
                     "wait until it ends, or choose another out=")
    try:
        yield
    finally:
        unlock_file(owner, lock)


#: What ``out=`` may be, for the messages that refuse one by its name.
_OUT_ALLOWED = ("an HTML file (report.html; with pdf=true the PDF goes beside it, report.pdf) or a folder (dir/) "
                "you can write to")


def check_writable(path: Path, given: object = None, inputs: Sequence[tuple[str, str | Path]] = (),
                   pdf: bool = False) -> None:
    """ConfigError naming ``out=`` unless every file of the report ``path`` (:func:`outputs`) can be written
    (checked before any run, :mod:`sim.writable`): each name fits the file system with the temporary
    name it is written to first, none is a folder, an existing one opens for writing and the nearest folder
    that exists takes a new file (so that the folders the report needs can be made). None may be one of the
    report's ``inputs`` (``(option, path)``: the municipality file, the posterior), compared as files: the
    same path once resolved, or the same file under another name (a link). No two of the report's files may
    have one name (``out=y.pdf pdf=true`` wrote the HTML to y.pdf, then chromium's print of it over it), and
    ``out=`` may not name a PDF (``out=x.pdf`` wrote HTML under a .pdf name).
    """
    shown = f"out={given if given is not None else path}"
    files = outputs(path, pdf)
    # the report's own files, compared by name as a file system that ignores case would (Y.PDF is y.pdf there)
    names = [str(f).casefold() for f in files]
    twice = next((f for i, f in enumerate(files)
                  if names[i] in names[:i] or any(writable.same_file(f, g) for g in files[:i])), None)  # or a link
    if twice is not None:
        raise ConfigError(f"{shown}: the report would write its HTML and {'its PDF' if pdf else 'another of its files'}"
                          f" to the one file {twice}; allowed: {_OUT_ALLOWED}")
    if path.suffix.casefold() == ".pdf":
        raise ConfigError(f"{shown} names a PDF, but out= is the HTML report (the HTML would be written under a .pdf "
                          f"name); allowed: {_OUT_ALLOWED}")
    for file in files:
        writable.check_file(file, shown, "a file (report.html) or a folder (dir/) you can write to")
        for option, source in inputs:
            source = Path(source)
            read = [source, source / "posterior.parquet"] if option == "posterior" else [source]
            if any(writable.same_file(file, s) for s in read):
                raise ConfigError(f"{shown}: the report would write {file} over its own input {option}={source}; "
                                  "allowed: a file or a folder that is none of the report's inputs")


#: Chromium's flags for printing here: headless, no sandbox (containers), no GPU, no network.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")


def chromium() -> str:
    """The path of a chromium to print with (Debian's ``chromium``); ConfigError naming how to get one."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise ConfigError("pdf=true needs the chromium browser (Debian: apt-get install chromium; or `make browser`);"
                          " without it, open the HTML file and print it from a browser: the page has an A4 layout")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ConfigError("pdf=true needs the Python package playwright (pip install playwright)") from None
    return path


def print_pdf(html_file: str | Path, pdf_file: str | Path) -> Path:
    """Print ``html_file`` to ``pdf_file`` on A4 with chromium (the page's print stylesheet, page numbers below).

    Chromium opens only the file itself: every other request is refused, so printing needs no
    network and the report cannot fetch anything.
    """
    from playwright.sync_api import sync_playwright

    html_file, pdf_file = Path(html_file).resolve(), Path(pdf_file)
    uri = html_file.as_uri()
    footer = ("<div style='font-size:8px;width:100%;text-align:center;color:#666'>"
              "<span class='pageNumber'></span> / <span class='totalPages'></span></div>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url == uri else route.abort())
            page.goto(uri)
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            display_header_footer=True, header_template="<div></div>", footer_template=footer)
        finally:
            browser.close()
    atomic_write(pdf_file, lambda path: Path(path).write_bytes(data))
    return pdf_file


def default_out(scenario: str, lang: str) -> Path:
    """Where a report is written when no ``out`` is given: ``outputs/report/<municipality>_<lang>.html``."""
    slug = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario)
    return Path("outputs") / "report" / f"{slug}_{lang}.html"
