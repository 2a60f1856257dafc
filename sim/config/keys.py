"""The key machinery of the configuration: dotted keys, their ranges, and validation.

Every leaf of the schema (:mod:`sim.config.schema`) has a dotted key (``citizens.fear_mean``);
this module walks them (``iter_params``, ``schema_keys``), describes what a key allows
(``describe_range``), sets keys of a validated config (``with_values``), checks the bounds an
experiment varies (``experiment_bounds``) and validates a whole config (``validate``). Every
error is a :class:`ConfigError` that names the key, the offending value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import math
import numbers
import operator
import reprlib
import typing
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sim import texts
from sim.config.schema import (
    IN_PROCESS_KINDS,
    MIN_RESIDENTS,
    AllocationRule,
    Config,
    ExperimentKind,
    Selection,
    SubBudgets,
    simulated_residents,
)


class ConfigError(ValueError):
    """A configuration value is unknown, of the wrong type or out of its allowed range."""


def integral(value: Any) -> Any:
    """``value`` as an ``int`` if it is a whole number of any integral type (int, numpy.int64, numpy.uint32, ...)
    but a bool; anything else as it is (for the check that names it)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return operator.index(value)
    return value


def whole(name: str, value: object, least: int, most: int | None = None) -> int:
    """``value`` as the whole number from ``least`` (to ``most``) that the Python API's argument ``name`` needs: any
    integral type (int, numpy.int64, ...); TypeError for another type (a text '2', 2.5, None, True), ConfigError (a
    ValueError) for a number outside the range."""
    number = integral(value)
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError(f"{name}={one_line(value)} ({type(value).__name__}) is not a whole number; allowed: "
                        f"{_whole_words(least, most)}")
    if number < least:
        raise ConfigError(f"{name}={number!r} is too small; allowed: {_whole_words(least, most)}")
    if most is not None and number > most:
        raise ConfigError(f"{name}={number!r} is too large; allowed: {_whole_words(least, most)}")
    return number


def _whole_words(least: int, most: int | None) -> str:
    return f"a whole number >= {least}" if most is None else f"a whole number from {least} to {most:,}"


def key_whole(name: str, value: object, key: str, least: int | None = None) -> int:
    """``value`` as the whole number that the Python API's argument ``name`` gives for the schema's int key ``key``
    (``seed``: 0 to 2**32 - 1), within the key's range, from ``least`` when given; TypeError or ConfigError naming
    ``name`` (:func:`whole`)."""
    meta = dict(iter_params())[key].metadata
    return whole(name, value, meta["lo"] if least is None else least, meta["hi"])


def one_line(value: object) -> str:
    """``value`` as a message shows it: its repr, shortened (``reprlib``), on one line (a frame's or an array's repr
    has several)."""
    return " ".join(reprlib.repr(value).split())


#: The longest override (``key=value``) a door parses. Hydra's override parser takes a time that grows with the
#: square of a value's length (a list of 4,000 numbers 3 s, of 16,000 35 s): a longer one is refused first.
MAX_OVERRIDE = 10_000


def check_override_length(text: str, where: str = "") -> None:
    """ConfigError (one line, the start of ``text``) for an override longer than :data:`MAX_OVERRIDE` characters
    (:data:`MAX_OVERRIDE_OF` for the neighbourhoods' keys)."""
    most = MAX_OVERRIDE_OF.get(text.partition("=")[0].strip().lstrip("+~"), MAX_OVERRIDE)
    if len(text) > most:
        raise ConfigError(f"{where}{text[:40]}... is {len(text):,} characters long; allowed: at most "
                          f"{most:,} (a long sweep as range(start,stop,step), or several sweeps)")


LIST_LENGTHS = {
    "scenario.age_shares": 9,
    "scenario.education_shares_adults": 3,
    "scenario.education_shares_65plus": 3,
    "scenario.online_access_by_age": 4,
    "citizens.time_available_by_age": 4,
    "citizens.civic_skills_by_education": 3,
    "citizens.women_age_excess": 3,
    "citizens.migration_age_profile": 3,
    "citizens.low_income_risk_education": 3,
}
SUM_TO_ONE = ("scenario.neighbourhood_shares", "scenario.age_shares",
              "scenario.education_shares_adults", "scenario.education_shares_65plus")

#: Names that become folder names (``outputs/runs/<scenario>/<design>``, ``outputs/experiments/<experiment>``).
NAMES = ("scenario.name", "design.name", "experiment.name")
#: The longest name allowed, in characters (a name also heads tables and figures).
NAME_LENGTH = 100
#: The most neighbourhoods a scenario (a municipality file) may name: a city's statistical sectors (Antwerp's
#: district has about 70, Ghent's city about 200).
MAX_NEIGHBOURHOODS = 1_000
#: Longer overrides of the keys a municipality file writes its neighbourhoods into: :data:`MAX_NEIGHBOURHOODS`
#: quoted names of up to :data:`NAME_LENGTH` characters (each escaped quote or backslash counted twice), and their
#: shares. Hydra reads a list of texts fast (1,000 names of 100 characters, 103,025 characters, in 0.7 s); its time
#: grows with the square of a list of numbers' length.
MAX_OVERRIDE_OF = {"scenario.neighbourhoods": MAX_NEIGHBOURHOODS * (2 * NAME_LENGTH + 3) + 100,
                   "scenario.neighbourhood_shares": MAX_NEIGHBOURHOODS * 12 + 100}
#: The longest name allowed, in bytes of UTF-8: a folder or file name may hold 255 bytes (ext4, APFS, NTFS), and
#: files are named by a name with a suffix (the report's temporary ``.<name>_nl_verdicts.csv.<pid>.<thread>.tmp``
#: adds up to 50 bytes). 100 characters of Chinese script are 300 bytes, which no file system accepts.
NAME_BYTES = 200
#: Unicode categories a name may not hold: control characters (Cc), invisible format characters (Cf: zero-width
#: spaces and joiners, bidirectional overrides, soft hyphens), lone surrogates (Cs: bytes the command line could not
#: decode) and line or paragraph separators (Zl, Zp). Two names that look the same must be the same name.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: What a name may be, for messages.
NAME_RULE = (f"a name of 1 to {NAME_LENGTH} characters and at most {NAME_BYTES} bytes in UTF-8, without / or \\ "
             "or invisible characters (it names folders)")
#: How much of a refused name a message shows.
SHOWN_LENGTH = 40
#: Columns with words for users that are not a run's summary outcomes: the time series' keys, and
#: what only ``sim.experiments.answers.measure`` adds (costs, who took part).
_NOT_OUTCOMES = frozenset({"step", "month", "phase", "cycle", "participants", "residents_hours",
                           "residents_took_part", "staff_cost_eur", "total_cost_eur", "cost_per_participant_eur",
                           "cost_per_project_eur"})


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that cannot be seen or is a control character (:data:`HIDDEN_CATEGORIES`),
    written as ``U+200B``, or None."""
    for c in text:
        if unicodedata.category(c) in HIDDEN_CATEGORIES:
            return f"U+{ord(c):04X}"
    return None


def same_name(name: str) -> str:
    """``name`` as names are compared and kept: Unicode NFC (``Zoë`` typed as ``e`` and a diaeresis is ``Zoë``),
    without white space around it (``Zuid `` is ``Zuid``)."""
    return unicodedata.normalize("NFC", name).strip()


def shown_name(value: object, most: int = SHOWN_LENGTH) -> str:
    """A refused name for a message: its repr, its first ``most`` (:data:`SHOWN_LENGTH`) characters and an
    ellipsis when longer."""
    if isinstance(value, str) and len(value) > most:
        return repr(value[:most] + "\u2026")
    return repr(value)


def name_issue(name: object) -> tuple[str, str] | None:
    """Why ``name`` cannot name a scenario, design or experiment (it names folders), as (code, words), or None.

    A name is a text of 1 to :data:`NAME_LENGTH` characters and at most :data:`NAME_BYTES` bytes in UTF-8 (a
    folder's name, with room for the suffixes of the files named after it), without ``/`` or ``\\`` (which would
    make it a path), without control or invisible characters (:data:`HIDDEN_CATEGORIES`), not only spaces and not
    ``.`` or ``..``. The codes (``not_text``, ``empty``, ``hidden``, ``long``, ``bytes``, ``path``, ``dots``,
    ``interpolation``) let a caller say it in the user's language.
    """
    if not isinstance(name, str):
        return "not_text", "it is not a text"
    if not name.strip():
        return "empty", "it is empty"
    hidden = hidden_character(name)
    if hidden:
        return "hidden", f"it holds the control or invisible character {hidden}"
    if len(name) > NAME_LENGTH:
        return "long", f"it has {len(name)} characters, more than {NAME_LENGTH}"
    size = len(name.encode("utf-8"))
    if size > NAME_BYTES:
        return "bytes", f"it has {size} bytes in UTF-8, more than {NAME_BYTES}"
    if "/" in name or "\\" in name:
        return "path", "it holds / or \\, which would make it a path"
    if name.strip() in (".", ".."):
        return "dots", "it is . or .., which are folders"
    if "${" in name:
        return "interpolation", "it holds ${, which would be read as an interpolation"
    return None


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot name a scenario, design or experiment, in words (:func:`name_issue`), or None if it can."""
    issue = name_issue(name)
    return issue[1] if issue else None


def outcome_names() -> tuple[str, ...]:
    """The outcomes an experiment can analyse (``experiment.outcomes``): the summary's result columns.

    These are the columns that have words for users (``sim/locales``), less the time series' keys
    and what only ``sim.experiments.answers.measure`` adds (tests/config/test_compose.py checks the
    list against a run's summary). Reading the words keeps the launcher light: no model is loaded.
    """
    return tuple(c for c in texts.columns() if c not in _NOT_OUTCOMES)


def check_outcomes(outcomes: Any, key: str = "experiment.outcomes", show: Callable[[Any], str] = repr) -> None:
    """ConfigError naming ``key`` and its value (as ``show`` writes it: Python's way on the command line, JSON's for
    a sweep's experiment.json) unless ``outcomes`` is a list of one or more of :func:`outcome_names`: gathering
    summarises and draws them (an empty list ran every run, then failed to gather)."""
    known = outcome_names()
    allowed = f"summary outcomes such as {', '.join(known[:6])}, ... (docs/model.md, Outcomes)"
    if isinstance(outcomes, str) or not isinstance(outcomes, Sequence):
        raise ConfigError(f"{key}={show(outcomes)} is not a list; allowed: a list of one or more {allowed}")
    if not outcomes:
        raise ConfigError(f"{key}={show([])} is empty; allowed: one or more {allowed}")
    for outcome in outcomes:
        if not isinstance(outcome, str) or outcome not in known:
            raise ConfigError(f"{key}={show(list(outcomes))}: {show(outcome)} is not an outcome; allowed: {allowed}")


def iter_params(cls: type = Config, prefix: str = ""):
    """Yield (dotted key, dataclass field) for every leaf parameter of the schema."""
    yield from _params(cls, prefix)


@functools.cache
def _params(cls: type, prefix: str) -> tuple[tuple[str, dataclasses.Field], ...]:
    # The schema is fixed at import, and resolving string annotations is slow (tens of ms for
    # the whole tree), while validation walks it for every run of a sweep: walk it once.
    out: list[tuple[str, dataclasses.Field]] = []
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        ftype = f.type if not isinstance(f.type, str) else _resolve_type(cls, f.name)
        if dataclasses.is_dataclass(ftype):
            out.extend(_params(ftype, key + "."))
        else:
            out.append((key, f))
    return tuple(out)


def _resolve_type(cls: type, name: str) -> Any:
    return _type_hints(cls)[name]


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def describe_range(key: str) -> str:
    """Human-readable allowed range of a key, for error messages."""
    for k, f in iter_params():
        if k == key:
            lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
            ftype = _resolve_type(_owner(k), f.name)
            if isinstance(ftype, type) and issubclass(ftype, enum.Enum):
                return "one of " + ", ".join(m.name for m in ftype)
            tname = getattr(ftype, "__name__", str(ftype))
            if lo is None and hi is None:
                return f"a value of type {tname}"
            return f"{tname} in [{_fmt(lo)}, {_fmt(hi)}]"
    return "a key of the schema (see docs/parameters.md)"


def _owner(key: str) -> type:
    cls: type = Config
    for part in key.split(".")[:-1]:
        cls = _resolve_type(cls, part)
    return cls


def _fmt(x: float | None) -> str:
    if x is None:
        return "-inf"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) >= 1e6):
        return str(int(x))
    return f"{x:g}"


def interpolation_sources() -> set[str]:
    """Keys that other keys take their default from (``${key}``), e.g. ``scenario.initial_trust``."""
    sources = set()
    for _, f in iter_params():
        if isinstance(f.default, str) and f.default.startswith("${") and f.default.endswith("}"):
            sources.add(f.default[2:-1])
    return sources


def with_values(cfg: Config, values: dict[str, Any]) -> Config:
    """A copy of a validated ``cfg`` with dotted keys set to ``values``, validated again.

    The fast way to run many parameter sets of one composed preset (ABC particles, posterior
    draws): no Hydra compose (about 0.2 s), a few dataclass copies. Numbers are converted to the
    field's type (an int field takes only whole numbers); a key that other keys follow
    (``${key}``, :func:`interpolation_sources`) is refused, because its followers were resolved
    when ``cfg`` was composed: pass it as a compose override instead. Raises :class:`ConfigError`
    naming the key.
    """
    known = dict(iter_params())
    followed = interpolation_sources()
    for key, value in values.items():
        if key not in known:
            raise unknown_key(key, f"{key}={value!r}")
        if key in followed:
            raise ConfigError(f"{key} is the default of other keys (${{{key}}}); set it as a compose override")
        parts = key.split(".")
        current = value_at(cfg, key)
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ConfigError(f"{key}={value!r}: only numeric keys can be set here; allowed: {describe_range(key)}")
        number = float(value)
        if isinstance(current, int):
            if not number.is_integer():
                raise ConfigError(f"{key}={value!r} is not a whole number; allowed: {describe_range(key)}")
            number = int(number)
        cfg = _replace_path(cfg, parts, number)
    return validate(cfg)


def _replace_path(obj: Any, parts: list[str], value: Any) -> Any:
    if len(parts) == 1:
        return dataclasses.replace(obj, **{parts[0]: value})
    return dataclasses.replace(obj, **{parts[0]: _replace_path(getattr(obj, parts[0]), parts[1:], value)})


def schema_keys() -> set[str]:
    """All dotted keys of the schema."""
    return {k for k, _ in iter_params()}


def did_you_mean(typed: object, known: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean <name>?)`` naming the one of ``known`` that looks most like ``typed``, if one looks much like
    it (a letter missed, doubled or changed: ``jobz`` for ``jobs``, ``dri`` for ``dir``), or ``""``: every door's
    suggestion for a misspelt name. ``cutoff`` is difflib's: the schema's many long keys ask 0.8."""
    close = closest(typed, known, cutoff)
    return f" (did you mean {close}?)" if close is not None else ""


def closest(typed: object, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``known`` that looks most like ``typed`` (difflib), if one looks much like it, or None: the name
    :func:`did_you_mean` suggests, for a door that says it in its own language."""
    if not isinstance(typed, str) or not typed:
        return None
    close = difflib.get_close_matches(typed, sorted(set(known)), n=1, cutoff=cutoff)
    return close[0] if close else None


def unknown_key(typed: str, override: str | None = None, where: str = "") -> ConfigError:
    """The error for a key the schema does not have: ``where`` (the file it was written in, ``experiment/e8.yaml:
    ``), the ``override`` as given (or the key ``typed``), the key of the schema that looks most like it, if one
    looks much like it (a letter missed, ``citizen.`` for ``citizens.``; a section for a section), and where the
    keys are listed."""
    keys = schema_keys()
    sections = {k.partition(".")[0] for k in keys} if "." not in typed else set()
    hint = did_you_mean(typed, keys | sections, cutoff=0.8)
    return ConfigError(f"{where}{override if override is not None else typed}: no such key{hint}; allowed: a key of "
                       "the schema (see docs/parameters.md)")


def declared_priors(provenance: str | None = None) -> list[tuple[str, float, float]]:
    """(key, lo, hi) of every parameter that declares a uniform prior (``param(..., prior=(lo, hi))``), in schema
    order; only those of one ``provenance`` (``"calibrated"``, ``"assumed"``) when it is given. The one reading of
    the schema's priors: the ABC calibration draws the calibrated ones, a posterior may hold any of them."""
    return [(key, float(f.metadata["prior"][0]), float(f.metadata["prior"][1])) for key, f in iter_params()
            if f.metadata.get("prior") is not None and provenance in (None, f.metadata.get("provenance"))]


def assumed_priors() -> list[tuple[str, float, float]]:
    """(key, lo, hi) of every *assumed* parameter that declares a prior, in schema order.

    These are the effect sizes no published estimate fixes (issue 17, point 2): a comparison over
    the calibration's posterior (``sim.posterior.draw_parameters``) draws them from these uniform
    priors, so that their uncertainty is carried into every result drawn from the posterior.
    """
    return declared_priors("assumed")


def experiment_bounds(parameters: list[str], lower: list[float] | None = None,
                      upper: list[float] | None = None) -> tuple[list[str], list[list[float]]]:
    """The keys an experiment varies and their [lo, hi] bounds, checked against the schema.

    Empty ``parameters`` means every parameter marked ``uncertain``; empty bounds mean the
    schema's range. Each key must be in the schema and each range must be lo < hi inside the
    key's allowed range; otherwise ConfigError. Validation (``validate``) and the sensitivity
    analysis (``sim.experiments.sensitivity.problem``) both use this one check.
    """
    meta = {k: f.metadata for k, f in iter_params()}
    names = list(parameters) or [k for k, m in meta.items() if m.get("uncertain")]
    lower, upper = list(lower or []), list(upper or [])
    if (lower and len(lower) != len(names)) or (upper and len(upper) != len(names)):
        raise ConfigError(f"experiment.lower/upper need one bound per parameter ({len(names)}: {names})")
    bounds = []
    for i, name in enumerate(names):
        if name not in meta:
            raise unknown_key(name, f"experiment.parameters: {name}")
        lo = lower[i] if lower else meta[name].get("lo")
        hi = upper[i] if upper else meta[name].get("hi")
        if lo is None or hi is None or not lo < hi:
            raise ConfigError(f"experiment.parameters: {name!r} needs bounds lo < hi, got [{lo}, {hi}]")
        if meta[name].get("lo") is not None and (lo < meta[name]["lo"] or hi > meta[name]["hi"]):
            raise ConfigError(f"experiment bounds [{lo}, {hi}] for {name!r} leave its allowed range "
                              f"[{meta[name]['lo']}, {meta[name]['hi']}]")
        bounds.append([float(lo), float(hi)])
    return names, bounds


def validate(cfg: Config) -> Config:
    """Check every value against its range and the cross-field rules; raise ConfigError."""
    for key, f in iter_params():
        value = value_at(cfg, key)
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, bool) or isinstance(v, enum.Enum) or isinstance(v, str):
                continue
            if isinstance(v, float) and not math.isfinite(v):
                raise ConfigError(f"{key}={value!r} is not a finite number; allowed: {describe_range(key)}")
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise ConfigError(f"{key}={value!r} is out of range; allowed: {describe_range(key)}")
    for key, n in LIST_LENGTHS.items():
        value = value_at(cfg, key)
        if len(value) != n:
            raise ConfigError(f"{key} has {len(value)} entries ({value!r}); it needs exactly {n}")
    for key in NAMES:
        problem = name_problem(value_at(cfg, key))
        if problem:
            raise ConfigError(f"{key}={shown_name(value_at(cfg, key))} is not allowed: {problem}; allowed: {NAME_RULE}")
    s = cfg.scenario
    if len(s.neighbourhoods) == 0:
        raise ConfigError("scenario.neighbourhoods is empty; it needs at least one neighbourhood")
    seen: dict[str, str] = {}
    for hood in s.neighbourhoods:
        if not str(hood).strip():
            raise ConfigError(f"scenario.neighbourhoods={list(s.neighbourhoods)!r} holds an empty name; "
                              "allowed: a name for each neighbourhood")
        hidden = hidden_character(str(hood))
        if hidden:
            raise ConfigError(f"scenario.neighbourhoods={list(s.neighbourhoods)!r}: {hood!r} holds the control or "
                              f"invisible character {hidden}; allowed: names without them")
        same = same_name(str(hood))
        if same in seen:  # Zuid and 'Zuid ', or Zoë in two Unicode forms, look the same in every table
            twice = repr(hood) if seen[same] == hood else (f"{seen[same]!r} and {hood!r} (the same name but for "
                                                           "white space around it or the Unicode form of a letter)")
            raise ConfigError(f"scenario.neighbourhoods={list(s.neighbourhoods)!r} names {twice} twice; "
                              "allowed: each neighbourhood once")
        seen[same] = hood
    if s.citizens_budget_eur > s.annual_budget_eur:
        raise ConfigError(f"scenario.citizens_budget_eur={s.citizens_budget_eur:.15g} is larger than "
                          f"scenario.annual_budget_eur={s.annual_budget_eur:.15g}; allowed: at most the "
                          "municipality's yearly budget")
    if len(s.neighbourhood_shares) != len(s.neighbourhoods):
        raise ConfigError(
            f"scenario.neighbourhood_shares has {len(s.neighbourhood_shares)} entries but "
            f"scenario.neighbourhoods has {len(s.neighbourhoods)}; they must match")
    for key in SUM_TO_ONE:
        total = sum(value_at(cfg, key))
        if abs(total - 1.0) > 1e-3:
            raise ConfigError(f"{key} sums to {total:.4f}; shares must sum to 1 (within 0.001)")
    if cfg.design.selection is Selection.lot and cfg.design.active and cfg.design.panel_size < 1:
        raise ConfigError(f"design.panel_size={cfg.design.panel_size} but design.selection=lot needs "
                          "a panel: allowed int in [1, 10000]")
    d = cfg.design
    if d.channel_weights and d.allocation_rule is AllocationRule.equal_shares:
        raise ConfigError("design.channel_weights=true with design.allocation_rule=equal_shares: the method of "
                          "equal shares gives every voter the same budget, so live and online votes cannot carry "
                          "fixed shares of the result; use allocation_rule=greedy or greedy_no_skip, or "
                          "channel_weights=false")
    if d.sub_budgets is SubBudgets.theme and d.themes < 1:
        raise ConfigError(f"design.sub_budgets=theme with design.themes={d.themes}: a budget split over themes "
                          "needs design.themes >= 1")
    needed = (d.inform_months if d.inform_first else 0) + d.ideas_months + 1
    if d.active and d.cycle_months < needed:
        raise ConfigError(
            f"design.cycle_months={d.cycle_months} is shorter than the cycle's phases: design.inform_months="
            f"{d.inform_months if d.inform_first else 0} + design.ideas_months={d.ideas_months} + 1 decision "
            f"month = {needed}; allowed: int in [{needed}, 120]")
    e = cfg.experiment
    check_outcomes(e.outcomes)
    if e.kind in (ExperimentKind.morris, ExperimentKind.sobol, ExperimentKind.calibration, ExperimentKind.discovery):
        experiment_bounds(list(e.parameters), list(e.lower), list(e.upper))
    if e.kind is ExperimentKind.discovery and len(e.discovery_designs) != 2:
        raise ConfigError(f"experiment.discovery_designs={list(e.discovery_designs)}: give two designs, "
                          "[focus, baseline]")
    if e.kind is ExperimentKind.sobol and e.samples & (e.samples - 1):
        raise ConfigError(f"experiment.samples={e.samples}: Sobol sampling needs a power of 2; "
                          "allowed: 2, 4, 8, ...")
    if e.kind is ExperimentKind.calibration and (not e.targets or len(e.targets) != len(e.outcomes) or 0 in e.targets):
        raise ConfigError(f"experiment.targets={list(e.targets)} needs one non-zero observed value per "
                          f"outcome in experiment.outcomes={list(e.outcomes)}")
    if bool(e.posterior) != (e.draws > 0):
        raise ConfigError(f"experiment.posterior={e.posterior!r} with experiment.draws={e.draws}: a posterior "
                          "comparison needs both a posterior path and draws >= 1 (or neither)")
    if e.draws > 0 and e.kind not in (ExperimentKind.single, ExperimentKind.grid):
        raise ConfigError(f"experiment.draws={e.draws} with experiment.kind={e.kind.name}: posterior draws "
                          "apply to single and grid experiments only")
    if e.kind not in IN_PROCESS_KINDS and e.batch >= e.batches:
        raise ConfigError(f"experiment.batch={e.batch} but experiment.batches={e.batches}; "
                          f"allowed: int in [0, {e.batches - 1}]")
    n = simulated_residents(s.population, cfg.run.population_scale)
    if n < MIN_RESIDENTS:
        raise ConfigError(f"scenario.population={s.population} with run.population_scale="
                          f"{cfg.run.population_scale} gives {n} residents; at least {MIN_RESIDENTS} are needed")
    return cfg


def value_at(cfg: Any, key: str) -> Any:
    """The value of the dotted ``key`` in a Config (``citizens.fear_mean``)."""
    obj = cfg
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj
