"""Where each number of a municipality comes from: published, a stand-in from elsewhere, or assumed.

A scenario preset (``configs/scenario/<name>.yaml``) says so once, in the comment of each value,
which starts with its status and a colon::

    population: 12528               # published: Statbel, 1 January 2024
    neighbourhood_shares: [0.25, 0.25, 0.25, 0.25]  # assumed: equal shares, a placeholder (...)
    initial_trust: 0.30             # proxy: province of Vlaams-Brabant, Gemeente-Stadsmonitor

The statuses (:data:`STATUSES`) are the grades of docs/sources.md in three words: *published*
(a published figure of this municipality, or derived from one), *proxy* (a published figure of a
wider area or another year standing in for this municipality's own), *assumed* (no source: a
placeholder or a what-if). A value the preset does not set comes from the schema, whose
``provenance`` tag (:mod:`sim.config.schema`) is read the same way: *estimated* from data is
*published* with its source for the generic municipality (a *proxy* for any other), anything
else *assumed*. A municipality file's own values
(``examples/municipality.yaml``) are *given* by its author.

:func:`scenario_inputs` gives every input of a scenario with its status and note, so that the
report shows which numbers are data and which are placeholders, from the files themselves rather
than from a second list kept by hand. The notes are English; the report shows them in its language
through :func:`sim.texts.source_note` (their translations: the ``sources`` section of
``sim/locales/nl.yaml``, keyed by the English note; :func:`notes` lists every note to translate).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import NamedTuple

from sim.config.compose import CONFIG_DIR
from sim.config.schema import ScenarioConfig

__all__ = ["STATUSES", "Input", "notes", "preset_statuses", "scenario_inputs"]

#: The statuses of an input, from most to least certain; "given": set by the author of a municipality file.
STATUSES: tuple[str, ...] = ("given", "published", "proxy", "assumed")

#: A value line of a preset whose comment starts with a status: key, then the comment's status and note.
_LINE = re.compile(r"^(?P<key>[a-z_0-9]+):[^#]*#\s*(?P<status>published|proxy|assumed):\s*(?P<note>.*?)\s*$")
#: Keys that name the scenario rather than describe the municipality.
_NOT_INPUTS = ("name",)


class Input(NamedTuple):
    """One input of a scenario: its key (``scenario.<key>``), status (:data:`STATUSES`) and note (the source)."""

    key: str
    status: str
    note: str


def preset_statuses(name: str) -> dict[str, Input]:
    """Status and note of every value the scenario preset ``name`` sets, read from its comments.

    Raises ``FileNotFoundError`` for an unknown preset and ``ValueError`` naming the key of a value
    whose comment does not start with a status (every value must say where it comes from).
    """
    path = CONFIG_DIR / "scenario" / f"{name}.yaml"
    out: dict[str, Input] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", " ", "-")):
            continue
        key = line.split(":", 1)[0]
        if key in _NOT_INPUTS:
            continue
        m = _LINE.match(line)
        if m is None:
            raise ValueError(f"{path.name}: the comment of {key!r} must start with one of "
                             f"published:, proxy:, assumed: (and then its source)")
        out[key] = Input(key, m["status"], m["note"])
    return out


def _schema_input(key: str, stand_in: bool) -> Input:
    """Status and note of a scenario key's schema default (its ``provenance`` and ``source``).

    The defaults describe the average Flemish municipality: for another one (``stand_in``) a
    default estimated from data is a *proxy*, not its own published figure.
    """
    meta = next(f.metadata for f in dataclasses.fields(ScenarioConfig) if f.name == key)
    estimated = meta.get("provenance") == "estimated"
    status = ("proxy" if stand_in else "published") if estimated else "assumed"
    note = str(meta.get("source") or "")
    return Input(key, status, note if note != "assumption" else "")


def scenario_inputs(preset: str, given: Iterable[str] = (), keys: Iterable[str] | None = None) -> list[Input]:
    """Every input of a scenario built on ``preset``, with its status, in the schema's order.

    ``given`` are the keys a municipality file set (status *given*); the others come from the
    preset's comments, or from the schema's default where the preset does not set them.
    ``keys`` limits the list (default: every key of the scenario section but its name).
    """
    given = set(given)
    stand_in = preset != "generic" or bool(given)  # the schema's defaults are the generic municipality's
    statuses = preset_statuses(preset)
    names = [f.name for f in dataclasses.fields(ScenarioConfig) if f.name not in _NOT_INPUTS]
    wanted = names if keys is None else [k for k in names if k in set(keys)]
    out = []
    for key in wanted:
        if key in given or (key == "neighbourhood_shares" and "neighbourhoods" in given):
            out.append(Input(key, "given", ""))
        elif key in statuses:
            out.append(statuses[key])
        else:
            out.append(_schema_input(key, stand_in))
    return out


def notes() -> set[str]:
    """Every note an input of a scenario can show: those of every scenario preset's values and the
    schema's sources (a value a preset does not set), but the empty ones (an assumption without words).

    These are the texts the locales translate (``sources`` in ``sim/locales/<lang>.yaml``).
    """
    presets = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
    out = {i.note for name in presets for i in preset_statuses(name).values()}
    keys = [f.name for f in dataclasses.fields(ScenarioConfig) if f.name not in _NOT_INPUTS]
    out |= {_schema_input(key, stand_in=True).note for key in keys}
    return out - {""}
