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
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sim.config.keys import ConfigError, schema_keys

__all__ = ["REQUIRED", "council_seats", "load", "overrides"]

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


def load(path: str | Path) -> dict[str, Any]:
    """The description in the YAML file ``path``; ConfigError if it is missing or not a mapping."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"municipality file {str(path)!r} does not exist (an example: examples/municipality.yaml)")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"municipality file {str(path)!r} is not valid YAML: {exc}") from None
    if not isinstance(spec, Mapping):
        raise ConfigError(f"municipality file {str(path)!r} must hold keys and values (name: ..., population: ...)")
    return dict(spec)


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


def overrides(spec: Mapping[str, Any]) -> list[str]:
    """Compose overrides of the generic scenario for the description ``spec``.

    Checks what the schema cannot: the required keys, that every key is a scenario key, and
    that the neighbourhoods are a mapping of names to residents adding up to the population.
    Ranges and the lengths of the share lists are checked by the schema when the overrides are
    composed.
    """
    missing = [k for k in REQUIRED if k not in spec or spec[k] is None]
    if missing:
        raise ConfigError(f"the municipality's description lacks {', '.join(missing)} (required: {', '.join(REQUIRED)};"
                          " see examples/municipality.yaml)")
    known = {k.split(".", 1)[1] for k in schema_keys() if k.startswith("scenario.")} - set(_DERIVED)
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r} in the municipality's description; allowed: "
                          f"{', '.join(sorted(known))}")
    population = spec["population"]
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ConfigError(f"population={population!r}: a whole number of residents, at least 1")
    hoods = spec["neighbourhoods"]
    if not isinstance(hoods, Mapping) or not hoods:
        raise ConfigError(f"neighbourhoods={hoods!r}: give each neighbourhood with its residents, e.g. "
                          "{Centrum: 8100, Noord: 5650}")
    for hood, residents in hoods.items():
        if isinstance(residents, bool) or not isinstance(residents, int | float) or residents <= 0:
            raise ConfigError(f"neighbourhoods.{hood}={residents!r}: residents must be a number above 0")
    total = float(sum(hoods.values()))
    if abs(total - population) > TOLERANCE * population:
        raise ConfigError(f"neighbourhoods add up to {total:,.0f} residents but population={population:,}; "
                          f"they may differ by at most {TOLERANCE:.0%}")
    values = {k: v for k, v in spec.items() if k != "neighbourhoods"}
    values["neighbourhoods"] = [str(h) for h in hoods]
    values["neighbourhood_shares"] = [round(float(r) / total, 6) for r in hoods.values()]
    values.setdefault("council_seats", council_seats(population))
    return [f"scenario.{k}={_quote(v)}" for k, v in values.items()]
