"""Your own municipality: a small file of its numbers, turned into the model's scenario.

A policymaker describes her municipality in a YAML file (an example with every key is
``examples/municipality.yaml``)::

    name: Mijn gemeente
    population: 18250
    neighbourhoods:            # name: residents (they must add up to the population, within 1 %)
      Centrum: 8100
      Noord: 5650
      Zuid: 4500
    age_shares: [0.11, 0.115, 0.11, 0.125, 0.13, 0.13, 0.125, 0.095, 0.06]   # 0-9, 10-19, ... 80+
    education_shares_adults: [0.16, 0.39, 0.45]                             # low, middle, high (25-64)
    annual_budget_eur: 30000000
    citizens_budget_eur: 120000   # per round; 0 if there is none
    initial_trust: 0.32           # share of residents who trust the municipality (Gemeente-Stadsmonitor)

Those eight keys are required. Any other key of the ``scenario`` section of the schema
(docs/parameters.md: ``council_seats``, ``min_participation_age``, ``participation_staff``,
``women_share``, ``migration_background_share``, ``low_income_share``, ...) may be added; what
is not given comes from the generic Flemish municipality (``configs/scenario/generic.yaml``),
except ``council_seats``, which follows the population by the seat table of the Local
Government Decree when not given. Every value is checked against its range by the schema;
a missing, unknown or wrong value raises :class:`sim.config.keys.ConfigError` naming the key.

:func:`load` reads a file, :func:`overrides` turns a description (a file's content or a dict, as
the compare-designs notebook's ``MY_MUNICIPALITY``) into compose overrides of the generic
scenario: ``sim.compose_config("generic", design, overrides=overrides(spec))``.

The file is written by a participation officer, not a programmer, and may come from anyone, so
it is read with care (:mod:`sim.config.files`): at most 1 MB of UTF-8 text, no YAML aliases
(a "billion laughs" stops at once), no key twice (two neighbourhoods of one name), and a text
holding ``${`` is refused, so nothing in it is ever resolved (``${oc.env:TOKEN}`` would read the
environment). Numbers are read as they are written in Dutch or English (:func:`read_number`):
``0,32`` and ``0.32``, ``30.000.000``, ``30,000,000`` and ``30 000 000``; a whole number or an
amount written ``18,250`` or ``120,000`` is refused as ambiguous (English thousands or a Dutch
decimal comma), and a list's comma separates values (``[0,11, 0,2]`` is four numbers: the
message says so). Every refusal is one line in the user's language (``lang``: the
report's ``lang=nl|en``; words from ``sim/locales``), naming the file, the key, the value and
what is allowed, as a :class:`~sim.config.keys.ConfigError`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sim import texts
from sim.config.compose import CONFIG_DIR
from sim.config.files import MAX_BYTES, FileError, load_yaml
from sim.config.keys import (
    LIST_LENGTHS,
    MAX_NEIGHBOURHOODS,
    NAME_BYTES,
    NAME_LENGTH,
    SUM_TO_ONE,
    ConfigError,
    _owner,
    _resolve_type,
    closest,
    hidden_character,
    iter_params,
    name_issue,
    same_name,
    shown_name,
)

__all__ = ["REQUIRED", "council_seats", "load", "overrides", "read_number"]

#: The keys a description must give.
REQUIRED: tuple[str, ...] = ("name", "population", "neighbourhoods", "age_shares", "education_shares_adults",
                             "annual_budget_eur", "citizens_budget_eur", "initial_trust")

#: Keys of the scenario that a description sets indirectly (from ``neighbourhoods``).
_DERIVED = ("neighbourhood_shares",)

#: Seats of a municipal council by population (lower bounds of the bands): the seat table of
#: the Flemish Local Government Decree (Decreet over het lokaal bestuur, 2017), the same bands as
#: the presets' council_seats (Kampenhout 23, generic 27, Geel 35).
_SEATS: tuple[tuple[int, int], ...] = (
    (0, 7), (1_000, 9), (2_000, 11), (3_000, 13), (4_000, 15), (5_000, 17), (7_000, 19), (9_000, 21),
    (12_000, 23), (15_000, 25), (20_000, 27), (25_000, 29), (30_000, 31), (35_000, 33), (40_000, 35),
    (50_000, 37), (60_000, 39), (70_000, 41), (80_000, 43), (90_000, 45), (100_000, 47), (150_000, 49),
    (200_000, 51), (250_000, 53), (300_000, 55))

#: How far the neighbourhoods' residents may differ from the population (a share of it).
TOLERANCE = 0.01


def council_seats(population: int) -> int:
    """Seats of the municipal council for ``population`` residents (the decree's seat table)."""
    return next(seats for lower, seats in reversed(_SEATS) if population >= lower)


# --------------------------------------------------------------------------- the scenario's keys

def _scenario_fields() -> dict[str, tuple[str, float | None, float | None]]:
    """Each scenario key: its kind (whole, number, money, share, list, names, text) and range."""
    out = {}
    for key, f in iter_params():
        if not key.startswith("scenario."):
            continue
        name = key.split(".", 1)[1]
        ftype = _resolve_type(_owner(key), f.name)
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        if ftype is int:
            kind = "whole"
        elif ftype is float:
            share = f.metadata.get("unit") == "share" and lo is not None and hi is not None and 0.0 <= lo < hi <= 1.0
            kind = "money" if name.endswith("_eur") else "share" if share else "number"
        elif ftype == list[float]:
            kind = "list"
        elif ftype == list[str]:
            kind = "names"
        else:
            kind = "text"
        out[name] = (kind, lo, hi)
    return out


# --------------------------------------------------------------------------- numbers as people write them

_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
#: The first group of a number written with thousands separators: 1 to 3 digits, not a lone 0 (``0,500`` is a decimal).
_FIRST = r"[1-9]\d{0,2}"
#: The kinds of number in which decimals make no sense or are not written to a tenth of a cent.
_COUNTED = ("whole", "money")


def read_number(text: str, kind: str = "number") -> float | int | tuple[int, float]:
    """A number written by a person, in Dutch or English habits; ValueError if it is not one.

    ``kind`` is ``whole`` (residents, seats, months), ``money`` (euros) or anything else (a share, or
    another number of a description, all from 0 to 1). The rule, in this order:

    * ``18250``, ``-3``, ``1e6``: as written;
    * a space between groups of three digits is left out (``18 250``; also the non-breaking spaces
      U+00A0 and U+202F that word processors put there);
    * a point and a comma: the last is the decimal separator, the other groups thousands
      (``1.500.000,50`` Dutch, ``1,500,000.50`` English);
    * one separator written twice or more between groups of three digits: thousands, in either habit,
      since a decimal separator is written once (``30.000.000``, ``30,000,000``);
    * one separator before exactly three digits, after a first group of 1 to 3 digits that is not 0:
      in a whole number or an amount, a point groups thousands (``8.100`` residents, ``120.000``
      euros: the point is the Dutch thousands separator, and no one writes euros to a tenth of a
      cent), while a comma could be either habit: English thousands or a Dutch decimal comma
      (``18,250``, ``120,000``). Such a number is returned as the pair ``(18250, 18.25)`` for the
      caller to refuse as ambiguous: a wrong guess is off by a factor of 1,000 (``120,000`` was read
      as 120 euros). In any other kind it is the decimal separator (``0,125`` and ``0.125``);
    * any other single comma or point is the decimal separator: ``0,32``, ``0.32``, ``120,50``.
    """
    t = _SPACES.sub("", text.strip())
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+", t):
        return float(t)
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    if re.fullmatch(rf"{_FIRST}(\.\d{{3}})+,\d+", t):     # 1.500.000,50 (Dutch)
        return sign * float(t.replace(".", "").replace(",", "."))
    if re.fullmatch(rf"{_FIRST}(,\d{{3}})+\.\d+", t):     # 1,500,000.50 (English)
        return sign * float(t.replace(",", ""))
    if re.fullmatch(rf"{_FIRST}(\.\d{{3}}){{2,}}", t):     # 30.000.000
        return sign * int(t.replace(".", ""))
    if re.fullmatch(rf"{_FIRST}(,\d{{3}}){{2,}}", t):       # 30,000,000
        return sign * int(t.replace(",", ""))
    if re.fullmatch(rf"{_FIRST}\.\d{{3}}", t) and kind in _COUNTED:   # 8.100 residents, 120.000 euros
        return sign * int(t.replace(".", ""))
    if re.fullmatch(rf"{_FIRST},\d{{3}}", t) and kind in _COUNTED:     # 18,250, 120,000: English or Dutch?
        return (sign * int(t.replace(",", "")), sign * float(t.replace(",", ".")))
    if re.fullmatch(r"\d+,\d+|,\d+", t):               # 0,32 (Dutch decimal comma)
        return sign * float(t.replace(",", "."))
    if re.fullmatch(r"\d+\.\d*|\.\d+", t):             # 0.32
        return sign * float(t)
    raise ValueError(f"{text!r} is not a number")


# --------------------------------------------------------------------------- reading and checking

class _Words:
    """The refusals of one description, in one language, naming its source."""

    def __init__(self, lang: str, source: str | Path | None) -> None:
        texts.error("source_spec", lang)  # KeyError naming the languages for an unknown one
        self.lang = lang
        self.source = (texts.error("source_file", lang, file=str(source)) if source is not None
                       else texts.error("source_spec", lang))

    def __call__(self, entry: str, **fmt: object) -> ConfigError:
        return ConfigError(texts.error(entry, self.lang, source=self.source, **fmt))

    def close(self, typed: str, known: Iterable[str]) -> str:
        """`` (did you mean <key>?)`` in the language, naming the one of ``known`` that looks most like ``typed``
        (:func:`sim.config.keys.closest`), or ``""``."""
        name = closest(typed, known)
        return "" if name is None else " " + texts.error("close_key", self.lang, name=name)

    def number(self, value: float) -> str:
        """``value`` as the language writes it, with the decimals it has (at most six)."""
        if float(value).is_integer():
            return texts.number(value, self.lang, 0)
        text = texts.number(value, self.lang, 6)
        return text.rstrip("0").rstrip(",.")

    def allowed(self, kind: str, lo: float | None, hi: float | None) -> str:
        if kind == "share":
            return texts.error("allowed_share", self.lang, lo=self.number(0.0 if lo is None else lo),
                               hi=self.number(1.0 if hi is None else hi))
        entry = "allowed_whole" if kind == "whole" else "allowed_range"
        return texts.error(entry, self.lang, lo=self.number(lo or 0), hi=self.number(hi if hi is not None else 0))


def _shown(value: Any) -> str:
    """A value as the user wrote it, for a message."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    return str(value)


#: Beyond any key's range (the largest, annual_budget_eur's, is 1e11) and within a float's.
_LARGEST = 10**300


def _number(words: _Words, key: str, value: Any, kind: str, lo: float | None, hi: float | None,
            position: int | None = None) -> float | int:
    """``value`` (a number, or a text as written) as a number of ``kind`` inside [lo, hi]."""
    shown = _shown(value)

    def refuse(entry: str) -> ConfigError:
        if position is not None:  # a list's value: which one
            return words("list_item" if entry == "not_number" else entry, key=f"{key}[{position}]",
                         position=position, value=shown, allowed=words.allowed(kind, lo, hi))
        return words(entry, key=key, value=shown, allowed=words.allowed(kind, lo, hi))

    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise refuse("not_number")
    if isinstance(value, str):
        try:
            number = read_number(value, kind)
        except ValueError:
            raise refuse("not_number") from None
        if isinstance(number, tuple):
            raise words("ambiguous", key=key, value=shown, one=number[0], other=words.number(number[1]))
    else:
        number = value
    # a whole number is compared as it is: one of 400 digits is beyond a float (OverflowError)
    if isinstance(number, float) and not math.isfinite(number):
        raise refuse("not_number")
    if kind == "whole":
        if isinstance(number, float) and not number.is_integer():
            raise refuse("not_whole")
        number = int(number)
    if (lo is not None and number < lo) or (hi is not None and number > hi) or abs(number) > _LARGEST:
        raise refuse("out_of_range")
    return number if kind == "whole" else float(number)


def _text(words: _Words, key: str, value: Any) -> str:
    if not isinstance(value, str) or isinstance(value, bool):
        raise words("not_text", key=key, value=_shown(value))
    if "${" in value:
        raise words("interpolation", key=key, value=value)
    return value


def _name(words: _Words, key: str, value: Any) -> str:
    """``value`` as a name (of the municipality or a neighbourhood) by the rule of every name (:func:`name_issue`),
    refused in the user's language naming ``key`` and the value (its start, when long); kept as :func:`same_name`
    makes it (Unicode NFC, without white space around it), so that names that look the same are the same."""
    value = _text(words, key, value)
    issue = name_issue(value)
    if issue:
        code = issue[0]
        why = texts.error(f"why_{code}", words.lang, most=NAME_LENGTH, bytes=NAME_BYTES, char=hidden_character(value),
                          count=words.number(len(value.encode("utf-8")) if code == "bytes" else len(value)))
        raise words("bad_name", key=key, value=shown_name(value), why=why, most=NAME_LENGTH, bytes=NAME_BYTES)
    return same_name(value)


def load(path: str | Path, lang: str = "en") -> dict[str, Any]:
    """The description in the YAML file ``path``, its numbers read as written (Dutch or English).

    ConfigError in ``lang`` naming the file if it is missing, not a text, not YAML, too large,
    uses aliases, gives a key twice or is not a mapping, or if a number cannot be read.
    """
    words = _Words(lang, path)
    try:
        spec = load_yaml(path, as_text=True, what="municipality file")
    except FileError as exc:
        details = {"line": "?", "reason": "", "name": "", "key": "", "byte": "?", "column": "?", "size": "",
                   **exc.details}
        if exc.code == "too_large":  # amounts grouped as the language does (1.000.000); lines as editors count
            details["size"] = words.number(exc.details["size"])
        raise words(f"file_{exc.code}", most=words.number(MAX_BYTES), **details) from None
    if not isinstance(spec, Mapping):
        raise words("file_not_mapping")
    return _read(dict(spec), words)


def _read(spec: dict[str, Any], words: _Words) -> dict[str, Any]:
    """The description with every value of a known key read as its kind (numbers, lists, names)."""
    fields = _scenario_fields()
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if not isinstance(key, str):
            raise words("unknown_key", key=_shown(key), hint="",
                        allowed=", ".join(sorted(set(fields) - set(_DERIVED))))
        if key == "neighbourhoods" and value is not None:
            out[key] = _neighbourhoods(words, value, fields["population"][2] or _LARGEST)
            continue
        if key not in fields or value is None:
            out[key] = value
            continue
        kind, lo, hi = fields[key]
        if kind == "text":
            out[key] = _name(words, key, value) if key == "name" else _text(words, key, value)
        elif kind == "names":
            if not isinstance(value, list):
                raise words("not_list", key=key, value=_shown(value), count="", example="[Centrum, Noord]")
            out[key] = [_name(words, f"{key}[{i + 1}]", v) for i, v in enumerate(value)]
        elif kind == "list":
            count = LIST_LENGTHS.get(f"scenario.{key}", "")
            if not isinstance(value, list):
                raise words("not_list", key=key, value=_shown(value), count=count, example="[0.16, 0.39, 0.45]")
            numbers = [_number(words, key, v, "share", None, None, position=i + 1) for i, v in enumerate(value)]
            if count and len(numbers) != count:
                # [0,11, 0,2] is four numbers in YAML: the Dutch decimal comma separates a list's values
                comma = any(v > 1 for v in numbers) or len(numbers) == 2 * count
                raise words("list_length", key=key, found=len(numbers), count=count,
                            hint=texts.error("list_comma", words.lang) if comma else "")
            out[key] = [_number(words, key, v, "share", lo, hi, position=i + 1) for i, v in enumerate(numbers)]
        else:
            out[key] = _number(words, key, value, kind, _lowest().get(key, lo), hi)
    return out


@functools.cache
def _lowest() -> dict[str, int]:
    """Keys whose lowest value in a description is above the schema's: a citizens' budget round
    (``budget_cycle_months``, the participatory budget's ``design.cycle_months``) must hold its information,
    ideas and decision months, as the participatory budget's preset has them (2 + 3 + 1). The schema takes any
    length from 1 month for the designs that do not use it; a description that gives a shorter round was refused
    later, in English, under keys its writer never wrote (design.cycle_months)."""
    preset = load_yaml(CONFIG_DIR / "design" / "participatory_budget.yaml")
    inform = int(preset["inform_months"]) if preset.get("inform_first") else 0
    return {"budget_cycle_months": inform + int(preset["ideas_months"]) + 1}


def _neighbourhoods(words: _Words, hoods: Any, most: float) -> dict[str, int]:
    """The neighbourhoods as {name: residents}: names by the rule of every name (:func:`_name`), two that differ
    only by white space around them or by the Unicode form of a letter (``Zoë`` typed as one letter or as ``e``
    and a diaeresis) refused as one name given twice; residents whole numbers from 1 to ``most``, the largest
    population (:func:`_residents`)."""
    if not isinstance(hoods, Mapping) or not hoods:
        raise words("hoods_not_mapping", value=_shown(hoods))
    if len(hoods) > MAX_NEIGHBOURHOODS:
        raise words("hoods_too_many", count=words.number(len(hoods)), most=words.number(MAX_NEIGHBOURHOODS))
    out: dict[str, int] = {}
    written: dict[str, Any] = {}
    for hood, count in hoods.items():
        if isinstance(hood, int | float) and not isinstance(hood, bool):  # a dict's key (a file's keys are texts)
            hood = str(hood)
        if hood is None:  # ~, null or nothing: YAML's one word for no value, which a name in quotes escapes
            raise words("hood_null", value=_shown(count))
        name = _name(words, "neighbourhoods", hood)
        if name in out:
            raise words("hood_twice", first=repr(written[name]), second=repr(hood))
        written[name] = hood
        out[name] = _residents(words, name, count, most)
    return out


def _residents(words: _Words, hood: str, count: Any, most: float) -> int:
    """A neighbourhood's residents: a whole number from 1 (``5650,5`` and ``0,0001`` were taken) to ``most`` (a
    number of 30 nines was refused only through the sum of the residents, with a float's noise), read as written
    (``5.650``; ``5,650`` is refused as ambiguous, as every whole number so written)."""
    number = count
    if isinstance(count, str):
        try:
            number = read_number(count, "whole")
        except ValueError:
            pass
    if isinstance(number, tuple):
        raise words("ambiguous", key=f"neighbourhoods.{hood}", value=count, one=number[0],
                    other=words.number(number[1]))
    # compared before float() could overflow; NaN is not in the range
    if isinstance(number, bool) or not isinstance(number, int | float) or not 1 <= number <= most \
            or not float(number).is_integer():
        raise words("hood_residents", hood=hood, value=_shown(count), most=words.number(most))
    return int(number)


def overrides(spec: Mapping[str, Any], lang: str = "en", source: str | Path | None = None) -> list[str]:
    """Compose overrides of the generic scenario for the description ``spec`` (from :func:`load`, or a dict).

    Checks the required keys, that every key is a scenario key, every value's type and range,
    the share lists' lengths and sums, that the neighbourhoods are a mapping of names to
    residents adding up to the population (within :data:`TOLERANCE`), and that the citizens'
    budget fits in the yearly budget. ConfigError in ``lang`` naming ``source`` (the file, when
    given), the key, the value and what is allowed.
    """
    words = _Words(lang, source)
    if not isinstance(spec, Mapping):
        raise words("file_not_mapping")
    values = _read(dict(spec), words)
    fields = _scenario_fields()
    known = set(fields) - set(_DERIVED)
    unknown = sorted(set(values) - known)
    if unknown:  # before the missing keys: a key misspelt (populaton) is why its key is missing
        raise words("unknown_key", key=repr(unknown[0]), hint=words.close(unknown[0], known),
                    allowed=", ".join(sorted(known)))
    missing = [k for k in REQUIRED if k not in values or values[k] is None]
    if missing:
        raise words("missing", keys=", ".join(missing), required=", ".join(REQUIRED))
    population = values["population"]
    residents = values.pop("neighbourhoods")
    total = float(sum(residents.values()))
    if abs(total - population) > TOLERANCE * population:
        raise words("hoods_total", total=words.number(total), population=words.number(population),
                    tolerance=words.number(100 * TOLERANCE))
    for key, value in values.items():
        full = f"scenario.{key}"
        if full in SUM_TO_ONE and abs(sum(value) - 1.0) > 1e-3:
            raise words("shares_total", key=key, total=words.number(round(sum(value), 4)))
    if values["citizens_budget_eur"] > values["annual_budget_eur"]:
        raise words("budget", value=words.number(values["citizens_budget_eur"]),
                    annual=words.number(values["annual_budget_eur"]))
    values["neighbourhoods"] = list(residents)
    values["neighbourhood_shares"] = [round(float(r) / total, 6) for r in residents.values()]
    values.setdefault("council_seats", council_seats(population))
    return [f"scenario.{k}={_quote(v)}" for k, v in values.items()]


def _quote(value: Any) -> str:
    """``value`` as a Hydra override value: strings quoted, lists bracketed, numbers as they are."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_quote(v) for v in value) + "]"
    if isinstance(value, int | float):
        return repr(value)
    raise ConfigError(f"value {value!r} is neither a number, a text nor a list")
