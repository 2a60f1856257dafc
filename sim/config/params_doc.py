"""Generate ``docs/parameters.md``: the parameter table, from the schema's own metadata.

Every parameter is declared once, in :mod:`sim.config.schema`, with its default, range, unit,
source and meaning (:func:`sim.config.schema.param`). This module turns that metadata into one
Markdown table per config group, and adds the values that each scenario and design preset
(``configs/scenario/*.yaml``, ``configs/design/*.yaml``) sets on top of the schema.

Usage::

    python -m sim params              # (re)write docs/parameters.md
    python -m sim params check=true   # exit 1 if docs/parameters.md is out of date

The test suite (``tests/config/test_params_doc.py``) runs the same comparison, so a parameter added,
removed or changed without regenerating the table fails CI.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from omegaconf import MISSING, OmegaConf

from sim.config.compose import CONFIG_DIR, compose_config, mapping, preset_names, preset_values
from sim.config.keys import iter_params
from sim.config.schema import WHY_LEVER, Config
from sim.io import atomic_write_text

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "parameters.md"

#: Config groups in the order of the document; "seed" stands for the root-level keys (seed, replicate).
GROUPS: tuple[str, ...] = ("run", "scenario", "citizens", "administration", "council", "design",
                           "proposals", "production", "perceptions", "experiment", "seed")
#: Preferred order of the presets (any other preset follows, alphabetically).
SCENARIO_ORDER: tuple[str, ...] = ("generic", "geel", "kampenhout", "antwerp_district")
DESIGN_ORDER: tuple[str, ...] = ("none", "consultation", "tokenistic_consultation", "ideas_platform",
                                 "participatory_budget", "spatial_codesign", "citizens_panel", "coproduction")
MISSING_TEXT = "set by scenario preset"
_INTERPOLATION = re.compile(r"^\$\{[^}]+\}$")
_YAML_LINE = re.compile(r"^(?P<key>[A-Za-z_]\w*):(?P<value>.*?)(?:\s+#\s?(?P<comment>.*))?$")


# --------------------------------------------------------------------------- schema access


def field_type(key: str) -> Any:
    """The resolved Python type of the schema field at dotted ``key``."""
    cls: Any = Config
    parts = key.split(".")
    for part in parts[:-1]:
        cls = typing.get_type_hints(cls)[part]
    return typing.get_type_hints(cls)[parts[-1]]


def is_enum(ftype: Any) -> bool:
    """Whether ``ftype`` is an Enum class."""
    return isinstance(ftype, type) and issubclass(ftype, enum.Enum)


def default_value(f: dataclasses.Field) -> Any:
    """The schema default of a field (calling its default factory if it has one)."""
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def unit_of(key: str, f: dataclasses.Field) -> str:
    """Declared unit; categorical fields without metadata (enums, names) are dimensionless."""
    unit = f.metadata.get("unit")
    if unit:
        return str(unit)
    ftype = field_type(key)
    return "-" if (is_enum(ftype) or ftype in (str, bool)) and not f.metadata else ""


def meaning_of(key: str, f: dataclasses.Field) -> str:
    """Declared meaning (``doc``); an enum field without one takes its Enum's docstring."""
    doc = str(f.metadata.get("doc", "") or "").strip()
    if doc:
        return doc
    ftype = field_type(key)
    if is_enum(ftype) and ftype.__doc__:
        return " ".join(ftype.__doc__.split())
    return ""


#: Groups of run settings (how to run, not what the model assumes): no provenance tag.
RUN_SETTINGS: tuple[str, ...] = ("run", "experiment", "seed")


def provenance_of(key: str, f: dataclasses.Field) -> tuple[str, str]:
    """(provenance, reason) of a parameter: its own tag, the key it is taken from, or a design lever.

    A key written ``${other}`` inherits the provenance of ``other``; a design field without
    metadata (the enums: channel, authority, selection, allocation rule) is a lever the presets
    choose; run settings and names have none ("-").
    """
    prov = f.metadata.get("provenance")
    if prov:
        return str(prov), str(f.metadata.get("why", ""))
    default = default_value(f)
    if isinstance(default, str) and _INTERPOLATION.match(default):
        target = default[2:-1]
        return f"as `{target}`", "taken from that key"
    if key.startswith("design.") and key != "design.name":
        return "assumed", WHY_LEVER
    return "-", ""


def params_of(group: str) -> Iterator[tuple[str, dataclasses.Field]]:
    """(key, field) of the schema parameters of one group ("seed": the root-level keys)."""
    for key, f in iter_params():
        if ("." not in key) if group == "seed" else key.startswith(group + "."):
            yield key, f


# --------------------------------------------------------------------------- formatting


def fmt_number(x: Any) -> str:
    """A number as written in the docs: integers with thousands separators, floats shortest."""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return repr(x)
    return str(x)


def fmt_value(value: Any) -> str:
    """A default or preset value for a table cell (inside backticks)."""
    if isinstance(value, str) and value == MISSING:
        return MISSING_TEXT
    if isinstance(value, enum.Enum):
        return f"`{value.name}`"
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, list | tuple):
        return "`[" + ", ".join(fmt_number(v) if not isinstance(v, str) else v for v in value) + "]`"
    return f"`{fmt_number(value)}`"


def fmt_range(key: str, f: dataclasses.Field) -> str:
    """Allowed values of a field: [lo, hi] for numbers, the members of an enum, true/false."""
    ftype = field_type(key)
    if is_enum(ftype):
        return "one of " + ", ".join(f"`{m.name}`" for m in ftype)
    if ftype is bool:
        return "`true`, `false`"
    lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
    if lo is None and hi is None:
        return "any" if ftype is str else "-"
    text = f"[{fmt_number(lo) if lo is not None else '-inf'}, {fmt_number(hi) if hi is not None else 'inf'}]"
    if typing.get_origin(ftype) is list:
        text = "each in " + text
    return text


def cell(text: str) -> str:
    """Escape a string for a Markdown table cell."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("\n", " ")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table as lines."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


# --------------------------------------------------------------------------- presets


def ordered_presets(group: str, order: Sequence[str]) -> list[str]:
    """Names of the presets in ``configs/<group>/``: the preferred order first, then the rest."""
    found = preset_names(group)
    return [n for n in order if n in found] + [n for n in found if n not in order]


def preset_comments(group: str, name: str) -> dict[str, str]:
    """The trailing comment of each top-level key of a preset file (the presets cite sources there)."""
    comments: dict[str, str] = {}
    for line in (CONFIG_DIR / group / f"{name}.yaml").read_text(encoding="utf-8").splitlines():
        m = _YAML_LINE.match(line)
        if m and m.group("comment"):
            comments[m.group("key")] = m.group("comment").strip()
    return comments


def preset_header(group: str, name: str) -> str:
    """The leading comment block of a preset file, joined into one paragraph."""
    lines = []
    for line in (CONFIG_DIR / group / f"{name}.yaml").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(x for x in lines if x)


def root_defaults() -> dict[str, str]:
    """The scenario and design composed by default (``configs/config.yaml``)."""
    raw = mapping(OmegaConf.load(CONFIG_DIR / "config.yaml"), resolve=False)
    out: dict[str, str] = {}
    for item in raw.get("defaults", []):
        if isinstance(item, dict):
            out.update({str(k): str(v) for k, v in item.items()})
    return out


def interpolated_keys(designs: Sequence[str]) -> dict[str, str]:
    """Keys whose value is an interpolation, each with the design preset to compose it with.

    Schema interpolations are shown with the baseline design ``none``; an interpolation written
    in a design preset is shown with the first preset that writes it.
    """
    keys = {k: "none" for k, f in iter_params()
            if isinstance(default_value(f), str) and _INTERPOLATION.match(default_value(f))}
    for d in designs:
        for k, v in preset_values("design", d).items():
            key = f"design.{k}"
            if isinstance(v, str) and _INTERPOLATION.match(v) and keys.get(key, "none") == "none":
                keys[key] = d
    return keys


@functools.cache
def _composed(scenario: str, design: str) -> Config:
    return compose_config(scenario=scenario, design=design)


def resolved(scenario: str, design: str, key: str) -> Any:
    """Value of ``key`` once ``scenario`` and ``design`` are composed and resolved."""
    obj: Any = _composed(scenario, design)
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


# --------------------------------------------------------------------------- document


def _group_section(group: str) -> list[str]:
    if group == "seed":
        title, doc = "seed and replicate", "The root-level keys: the seed of the run and its replicate index."
    else:
        title = group
        doc = " ".join((field_type(group).__doc__ or "").split())
    rows = []
    for key, f in params_of(group):
        prov, why = provenance_of(key, f)
        rows.append([
            f"`{key}`",
            cell(fmt_value(default_value(f))),
            cell(fmt_range(key, f)),
            cell(unit_of(key, f)),
            cell(str(f.metadata.get("source", "")) or "-"),
            cell(meaning_of(key, f)) or "-",
            "yes" if f.metadata.get("uncertain", False) else "",
            cell(prov + (f" (prior: uniform on [{fmt_value(prior[0])}, {fmt_value(prior[1])}])"
                         if (prior := f.metadata.get("prior")) else "")),
            cell(why) or "-",
        ])
    return [f"### {title}", "", doc, "",
            *table(["key", "default", "range", "unit", "source", "meaning", "uncertain", "provenance", "why"],
                   rows), ""]


def _scenario_section(scenarios: Sequence[str]) -> list[str]:
    lines = ["### Scenario presets (`configs/scenario/`)", "",
             "Each scenario sets the keys below under `scenario.`; every other key keeps its schema "
             "default. The comment column repeats the preset file's own note on the value; the full "
             "sources are in [sources.md](sources.md).", ""]
    for name in scenarios:
        values, comments = preset_values("scenario", name), preset_comments("scenario", name)
        rows = [[f"`scenario.{k}`", cell(fmt_value(v)), cell(comments.get(k, ""))] for k, v in values.items()]
        header = preset_header("scenario", name)
        lines += [f"#### `{name}`", "", *([cell(header), ""] if header else []),
                  *table(["key", "value", "note in the preset"], rows), ""]
    return lines


def _design_section(designs: Sequence[str]) -> list[str]:
    values = {d: preset_values("design", d) for d in designs}
    lines = ["### Design presets (`configs/design/`)", "",
             "Values each design preset sets under `design.`; an empty cell means the preset keeps the "
             "schema default (first column).", ""]
    for d in designs:
        header = preset_header("design", d)
        if header:
            lines.append(f"- `{d}`: {cell(header)}")
    lines.append("")
    fields = dict(params_of("design"))
    rows = []
    for key, f in fields.items():
        short = key.split(".", 1)[1]
        if not any(short in values[d] for d in designs):
            continue
        row = [f"`{key}`", cell(fmt_value(default_value(f)))]
        row += [cell(fmt_value(values[d][short])) if short in values[d] else "" for d in designs]
        rows.append(row)
    lines += [*table(["key", "schema default", *(f"`{d}`" for d in designs)], rows), ""]
    unknown = sorted({k for d in designs for k in values[d]} - {k.split(".", 1)[1] for k in fields})
    if unknown:  # pragma: no cover - compose would reject them first
        lines += ["Keys set by a preset but not in the schema: " + ", ".join(unknown), ""]
    return lines


def _resolved_section(scenarios: Sequence[str], designs: Sequence[str]) -> list[str]:
    keys = interpolated_keys(designs)
    if not keys:  # pragma: no cover - the schema has interpolations today
        return []
    header = ["scenario", *(f"`{k}`" + (f" (`{d}`)" if d != "none" else "") for k, d in keys.items())]
    rows = [[f"`{s}`", *(cell(fmt_value(resolved(s, d, k))) for k, d in keys.items())] for s in scenarios]
    return ["### Values that follow the scenario", "",
            "Some keys are interpolations (`${...}`) of scenario keys, in the schema or in a design preset "
            "(named in brackets). Composed with each scenario they resolve to:", "",
            *table(header, rows), ""]


def render() -> str:
    """The full text of ``docs/parameters.md``."""
    scenarios = ordered_presets("scenario", SCENARIO_ORDER)
    designs = ordered_presets("design", DESIGN_ORDER)
    defaults = root_defaults()
    lines = [
        "# Parameters",
        "",
        "<!-- Generated by `python -m sim params` from sim/config/schema.py and configs/; do not edit by hand. -->",
        "",
        "Every parameter of the model, once, with its default, allowed range, unit, source and meaning, "
        "as declared in the configuration schema (`sim/config/schema.py`). Ranges are closed intervals and are "
        "checked when a configuration is composed. *uncertain* marks the parameters that the sensitivity "
        "analysis varies. *provenance* says where a default comes from: *estimated* from data (the "
        "source names them), *calibrated* to an observed target (the reason names it), or *assumed* "
        "(the reason says why this value); run settings carry none. A calibrated parameter also "
        "names the uniform prior over which the ABC calibration (`+experiment=calibration_abc`, "
        "[model.md](model.md), Calibration) samples it. "
        "A default written `${...}` is taken from another key; "
        f"\"{MISSING_TEXT}\" means the schema has no default and every scenario preset must give one. "
        "The model itself is described in [model.md](model.md); the sources are listed in "
        "[references.md](references.md) and, for the scenario data, [sources.md](sources.md).",
        "",
        f"By default `configs/config.yaml` composes scenario `{defaults.get('scenario', '?')}` with design "
        f"`{defaults.get('design', '?')}`. Override any key on the command line "
        "(`python -m sim scenario=kampenhout design=ideas_platform citizens.fear_mean=0.6`) or through "
        "`sim.run(scenario, design, seed, overrides=[...])`.",
        "",
        "## Schema",
        "",
    ]
    for group in GROUPS:
        lines += _group_section(group)
    lines += ["## Presets", "", *_scenario_section(scenarios), *_design_section(designs),
              *_resolved_section(scenarios, designs)]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def up_to_date(path: Path = OUTPUT) -> bool:
    """Whether ``path`` holds exactly what :func:`render` gives now."""
    return path.exists() and path.read_text(encoding="utf-8") == render()


def write(path: Path = OUTPUT) -> Path:
    """(Re)write the parameter document at ``path``; its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, render())
    return path
