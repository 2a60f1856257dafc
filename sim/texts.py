"""The words users read, in English and Dutch: a small loader of ``sim/locales/<lang>.yaml``.

Figures, the report, the dashboard and notebooks take their words from here, so that a
scenario, a design or an outcome is called the same everywhere. The words themselves are data
files a translator can edit (``sim/locales/en.yaml``, ``sim/locales/nl.yaml``): one file per
language with the same keys. Code names (``participatory_budget``, ``legitimacy_input``) stay
in code; users read ``texts.name("design", "participatory_budget", "nl")`` ("burgerbegroting").

The API::

    name(kind, key, lang="en")      # scenario, design, phase, dimension, group, who
    label(column, lang="en")        # axis label of a result (a time-series or summary column), with its unit
    explain(column, lang="en")      # what the column measures and what high or low means
    phrase(key, lang="en", **fmt)   # the short phrases of figures, verdicts and the report
    lever(key, lang) / lever_help(key, lang) / choice(key, member, lang)   # the dashboard's sliders
    dash(key, lang, **fmt) / signal(kind, lang) / lesson(key, lang)        # the dashboard's words
    number(value, lang, decimals)   # a number as the language writes it (12,528.5 / 12.528,5)
    source_note(note, lang="en")    # where a municipality's input comes from (a preset's note) in ``lang``
    keys(kind) / columns() / phrases() / levers() / lessons()   # what exists, for checks and menus

An unknown kind, key, column or language raises ``KeyError`` naming what exists.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

#: The languages every text exists in (a file ``locales/<lang>.yaml`` each).
LANGUAGES = ("en", "nl")
#: Where the translations live.
LOCALES = Path(__file__).resolve().parent / "locales"


@functools.cache
def catalogue(lang: str) -> dict[str, Any]:
    """Every text of ``lang``, as its file holds it (sections: names, columns, phrases, levers,
    dashboard, choices, signals, lessons, classroom, errors, and in languages other than English
    sources); read once per process."""
    _check_lang(lang)
    with open(LOCALES / f"{lang}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _check_lang(lang: str) -> None:
    """A KeyError naming the languages for anything but one of :data:`LANGUAGES`."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; texts exist in {', '.join(LANGUAGES)}")


def _entry(section: str, key: str, lang: str, what: str) -> Any:
    table = catalogue(lang)[section]
    if key not in table:
        raise KeyError(f"no {what} {key!r}; known: {', '.join(map(str, table))}")
    return table[key]


# --------------------------------------------------------------------------- what exists

def keys(kind: str) -> tuple[str, ...]:
    """The keys that have a name of this ``kind``."""
    names = catalogue("en")["names"]
    if kind not in names:
        raise KeyError(f"unknown kind {kind!r}; kinds: {', '.join(names)}")
    return tuple(names[kind])


def columns() -> tuple[str, ...]:
    """The columns (results of the time series and the summary) that have a label and an explanation."""
    return tuple(catalogue("en")["columns"])


def phrases() -> tuple[str, ...]:
    """The keys of the phrases of figures, verdicts and the report."""
    return tuple(catalogue("en")["phrases"])


def levers() -> tuple[str, ...]:
    """The config keys that have a lever name and help."""
    return tuple(catalogue("en")["levers"])


def dash_keys() -> tuple[str, ...]:
    """The keys of the dashboard's own words."""
    return tuple(catalogue("en")["dashboard"])


def lessons() -> tuple[str, ...]:
    """The keys of the dashboard's ready-made lessons."""
    return tuple(catalogue("en")["lessons"])


# --------------------------------------------------------------------------- names, labels, phrases

def name(kind: str, key: str, lang: str = "en") -> str:
    """The human name of a scenario, design, phase, dimension, group or who (``kind``) in ``lang``."""
    _check_lang(lang)
    names = catalogue(lang)["names"]
    if kind not in names:
        raise KeyError(f"unknown kind {kind!r}; kinds: {', '.join(names)}")
    if key not in names[kind]:
        raise KeyError(f"no {kind} named {key!r}; known: {', '.join(names[kind])}")
    return names[kind][key]


def name_or_key(kind: str, key: object, lang: str = "en") -> str:
    """``name(kind, key, lang)`` if it exists, else ``key`` itself as text (variants, neighbourhoods).

    Figures use it for values that are not presets (a notebook's "variant", a neighbourhood's
    name), which are already the words the user chose.
    """
    _check_lang(lang)
    names = catalogue(lang)["names"]
    key = str(key)
    return names[kind][key] if kind in names and key in names[kind] else key


def label(column: str, lang: str = "en") -> str:
    """The axis label of a result (time-series or summary column) in ``lang``, with its unit in brackets."""
    _check_lang(lang)
    return _entry("columns", column, lang, "label for column")["label"]


def explain(column: str, lang: str = "en") -> str:
    """A plain-language explanation of a column: what it measures and what high or low means."""
    _check_lang(lang)
    return _entry("columns", column, lang, "explanation for column")["explain"]


def phrase(key: str, lang: str = "en", **fmt: object) -> str:
    """A phrase of the figures (title, axis, legend entry, caption) in ``lang``, formatted with ``fmt``."""
    _check_lang(lang)
    text = _entry("phrases", key, lang, "phrase")
    return text.format(**fmt) if fmt else text


def number(value: float, lang: str = "en", decimals: int = 0, signed: bool = False) -> str:
    """``value`` with thousands separators and ``decimals`` decimals as ``lang`` writes it.

    English: 12,528.5; Dutch: 12.528,5. ``signed`` writes a + before a positive value (a
    difference). A value that rounds to zero is written without a sign (no "-0.000"). NaN (no
    value) is an en dash.
    """
    _check_lang(lang)
    if value != value:  # NaN
        return "\u2013"
    value = round(float(value), decimals) + 0.0  # + 0.0: -0.0 becomes 0.0
    text = f"{value:{'+' if signed and value else ''},.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


# --------------------------------------------------------------------------- where the inputs come from

@functools.cache
def source_notes(lang: str) -> dict[str, str]:
    """The translations of the source notes in ``lang``: English note -> its words in ``lang``.

    The notes on where a municipality's numbers come from are written once, in English, in the
    scenario presets' comments and the schema's ``source`` (:mod:`sim.config.provenance`); other
    languages translate them in their file's ``sources`` section (pairs ``en:`` and ``<lang>:``).
    English has no such section: the mapping is empty.
    """
    _check_lang(lang)
    if lang == "en":
        return {}
    return {entry["en"]: entry[lang] for entry in catalogue(lang)["sources"]}


def source_note(note: str, lang: str = "en") -> str:
    """A note on where an input comes from (``sim.config.provenance.Input.note``, English) in ``lang``.

    English returns the note unchanged, as does an empty note. A note without a translation (an
    English note changed after it was translated) is returned in English rather than refused, so
    that the report is still written; the tests list every note without one.
    """
    _check_lang(lang)
    if lang == "en" or not note:
        return note
    return source_notes(lang).get(note, note)


# --------------------------------------------------------------------------- the dashboard's words

def lever(key: str, lang: str = "en") -> str:
    """The dashboard's name of a lever (a config key such as ``design.feedback``) in ``lang``."""
    _check_lang(lang)
    return _entry("levers", key, lang, "lever")["name"]


def lever_help(key: str, lang: str = "en") -> str:
    """What a lever does and what a high or low value means, in ``lang``."""
    _check_lang(lang)
    return _entry("levers", key, lang, "lever")["help"]


def dash(key: str, lang: str = "en", **fmt: object) -> str:
    """A word or sentence of the dashboard in ``lang``, formatted with ``fmt``."""
    _check_lang(lang)
    text = _entry("dashboard", key, lang, "dashboard text")
    return text.format(**fmt) if fmt else text


def choice(key: str, member: str, lang: str = "en") -> str:
    """The dashboard's words for one choice (``member``) of an enum lever (config ``key``)."""
    _check_lang(lang)
    members = catalogue(lang)["choices"].get(key, {})
    if member not in members:
        known = sorted((k, m) for k, ms in catalogue(lang)["choices"].items() for m in ms)
        raise KeyError(f"no choice {member!r} of {key!r}; known: {known}")
    return members[member]


def signal(kind: str, lang: str = "en") -> str:
    """What a signal kind (sim.model.signals.SignalKind, or "memory") means for residents' trust, in ``lang``."""
    _check_lang(lang)
    return _entry("signals", kind, lang, "signal kind")


def lesson(key: str, lang: str = "en") -> dict[str, Any]:
    """A lesson's words in ``lang``: its ``title`` and its ``lines`` of guidance (its preset is the
    dashboard's, :data:`sim.apps.dashboard.levers.LESSONS`)."""
    _check_lang(lang)
    entry = _entry("lessons", key, lang, "lesson")
    return {"title": entry["title"], "lines": list(entry["lines"])}


# --------------------------------------------------------------------------- errors users read

def error(entry: str, lang: str = "en", /, **fmt: object) -> str:
    """The words of a refusal of a file a user wrote (a municipality's description) in ``lang``, formatted
    with ``fmt``: one line naming the file, the key, the value and what is allowed."""
    _check_lang(lang)
    text = _entry("errors", entry, lang, "error text")
    return " ".join(text.format(**fmt).split()) if fmt else text
