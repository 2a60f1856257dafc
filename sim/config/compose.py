"""Composing a configuration: the presets plus overrides, resolved and validated.

The command line, the Python API, notebooks, sweeps and the dashboard all compose through
:func:`compose_config` (Hydra's compose API over ``CONFIG_DIR``), so the same presets serve
everyone. Hydra's and OmegaConf's errors are translated into a :class:`ConfigError` that names
the key, the value and what is allowed.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config.files import resolver_calls
from sim.config.keys import (
    ConfigError,
    check_override_length,
    describe_range,
    did_you_mean,
    schema_keys,
    unknown_key,
    validate,
    with_values,
)
from sim.config.schema import Config, register_configs

#: The Hydra presets, shipped inside the package so that an installed ``sim`` finds them from
#: any directory. In a checkout ``sim/configs`` is a link to the top-level ``configs/`` (the one
#: copy of every preset); building a wheel copies the files in (pyproject.toml, package-data).
CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def _translate(exc: Exception, overrides: Sequence[str]) -> ConfigError:
    """Turn Hydra/OmegaConf errors into a ConfigError naming key, value and allowed range."""
    text = str(exc)
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    key = getattr(cause, "full_key", None)
    m = re.search(r"override '?\+?([\w.]+)", text) or re.search(r"Key '(\w+)' not in", text)
    if not key and m:
        key = m.group(1)
    value = None
    for o in overrides:
        k, _, v = o.lstrip("+~").partition("=")
        if key and k == key:
            value = v
    missing = re.search(r"Could not find '([\w/]+)/([^']*)'", text)
    if missing:  # one line: the group, the name and the presets there are
        options = re.findall(r"^\t(\S+)$", text.split("Config search path")[0], flags=re.MULTILINE)
        allowed = f"one of {', '.join(options)}" if options else f"a file in {missing.group(1)}/"
        return ConfigError(f"{missing.group(1)}={missing.group(2)!r} is not a preset"
                           f"{did_you_mean(missing.group(2), options)}; allowed: {allowed}")
    gone = re.search(r"Could not delete from config\. '([^']+)' does not exist", text)
    if gone:  # ~citizens.fear_man: the key as typed, and the close one
        return unknown_key(gone.group(1), f"~{gone.group(1)}")
    if "Could not find" in text or ("not found in" in text and "options" in text):
        return ConfigError(text.strip())
    in_file = re.match(r"In '([^']+)': \w+ raised while composing config:\n(.+)", text)
    full_key = re.search(r"^\s*full_key: (\S+)", text, flags=re.MULTILINE)
    if in_file and full_key and re.search(r"Key '[^']+' not in '\w+'", in_file.group(2)):
        # a key a preset file writes (experiment/e8.yaml's citizens: {fear_man: 0.3}): the file, the whole key
        return unknown_key(full_key.group(1), where=f"{in_file.group(1)}.yaml: ")
    if "not in" in text or ("Could not override" in text and "Key" in text):
        return _unknown(str(key), overrides)
    detail = str(cause).splitlines()[0] if str(cause) else text.splitlines()[0]
    key = None if key is None else str(key)
    if key and not key.startswith("hydra") and re.search(r"Key '[^']+' not in '\w+'", detail):
        return _unknown(key, overrides)
    if key and "No match in the defaults list" in text:  # experiment=calibration_abc, the + forgotten
        return ConfigError(f"{key}={value}: the defaults choose no {key}, so it is added with a +; allowed: "
                           f"+{key}={value}")
    if key and "does not support deletion" in detail:  # ~citizens.fear_mean: every key of the schema has a value
        return ConfigError(f"~{key}: a key of the schema cannot be deleted; allowed: {key}=<{describe_range(key)}>")
    if key:
        return _not_a_section(key, overrides, detail) or _not_a_value(key, value) or ConfigError(
            f"{key}={value!r}: {detail}; allowed: {describe_range(key)}")
    if in_file and full_key:  # a wrong value in a preset file (an experiment file's replicates: inf): one line
        name = full_key.group(1)
        try:
            allowed = describe_range(name)
        except KeyError:
            allowed = "a key of the schema (see docs/parameters.md)"
        return ConfigError(f"{in_file.group(1)}.yaml: {name}: {in_file.group(2).strip()}; allowed: {allowed}")
    for o in overrides:  # scenario.age_shares.x=1: OmegaConf's "invalid literal for int() with base 10: 'x'"
        parts = o.lstrip("+~").partition("=")[0].split(".")
        below = next((".".join(parts[:n]) for n in range(1, len(parts)) if ".".join(parts[:n]) in schema_keys()), None)
        if below is not None:
            return _not_a_section(below, [o]) or ConfigError(o)
    return ConfigError(" ".join(line.strip() for line in text.strip().splitlines()))


def _not_a_section(key: str, overrides: Sequence[str], detail: str = "") -> ConfigError | None:
    """The error for an override that sets a key below the schema's key ``key``, which holds a value
    (citizens.fear_mean.x=1: Hydra named citizens.fear_mean=None and an empty dict), or below an item of a list
    (scenario.age_shares.0.y=1: OmegaConf named ``scenario.age_shares[0]=None``), or that gives an item of a list
    something else than a number or an item the list does not have (OmegaConf's ``detail`` says which), or None."""
    item = re.fullmatch(r"(.+)\[(\d+)\]", key)
    if item and item.group(1) in schema_keys():  # an item of a list of values
        base, index = item.groups()
        allowed = f"allowed: {base}.{index}=<a number> or {base}=[...] ({describe_range(base)})"
        written = [o.lstrip("+~") for o in overrides]
        below = next((o for o in written if o.startswith(f"{base}.{index}.")), None)
        if below is not None:  # scenario.age_shares.0.y=1
            return ConfigError(f"{below}: item {index} of {base} is a value, not a section; {allowed}")
        typed = next((o for o in written if o.startswith(f"{base}.{index}=")), None)
        if typed is not None and "converted" in detail:  # scenario.age_shares.0=[1]: not a number
            return ConfigError(f"{typed}: item {index} of {base} takes a number; {allowed}")
        if typed is not None and "out of range" in detail:  # scenario.age_shares.99=0.1
            return ConfigError(f"{typed}: {base} has no item {index} (list index out of range); allowed: an item "
                               f"it has, or {base}=[...] ({describe_range(base)})")
    if key not in schema_keys():
        return None
    given = next((o.lstrip("+~") for o in overrides if o.lstrip("+~").startswith(f"{key}.")), None)
    if given is None:
        return None
    return ConfigError(f"{given}: {key} is a value, not a section; allowed: {key}=<{describe_range(key)}>")


def _not_a_value(key: str, value: str | None) -> ConfigError | None:
    """The error for an override that gives a value to a section of the schema (citizens=3: OmegaConf's "int is
    not a subclass of CitizensConfig"), or None."""
    if key in schema_keys() or not any(k.startswith(f"{key}.") for k in schema_keys()):
        return None
    return ConfigError(f"{key}={value}: {key} is a section, not a value; allowed: a key in it, {key}.<key>=<value> "
                       "(see docs/parameters.md)")


def _unknown(key: str, overrides: Sequence[str]) -> ConfigError:
    """:func:`sim.config.keys.unknown_key` for the override as typed that names ``key`` or a key below it
    (citizen.fear_mean=0.3, where Hydra names only "citizen")."""
    given = next((o.lstrip("+~") for o in overrides if o.lstrip("+~").partition("=")[0] == key
                  or o.lstrip("+~").startswith(f"{key}.")), None)
    return unknown_key(given.partition("=")[0] if given else key, given)


def _unknown_keys(cfg: DictConfig) -> list[str]:
    """Keys present in a composed config that the schema does not know (e.g. added with '+').

    Also refuses a model value that calls a resolver (``${oc.env:TOKEN}``): the model's values may
    refer to other keys (``${scenario.initial_trust}``), never read the environment or anything
    else outside the configuration, whichever file or override they came from.
    """
    known = schema_keys()
    found: list[str] = []

    def check(key: str, node: object) -> None:
        raw = node._value() if hasattr(node, "_value") else None
        if isinstance(raw, str):
            calls = resolver_calls(raw)
            if calls:
                raise ConfigError(f"{key}={raw!r} calls the resolver {calls[0]}; allowed: a plain value or a "
                                  "reference to another key (${section.key}), never the environment")
        elif isinstance(node, ListConfig):
            for i in range(len(node)):
                check(f"{key}[{i}]", node._get_node(i))

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, DictConfig):
            for k in node.keys():
                key = prefix + str(k)
                if key == "hydra":
                    continue
                child = node._get_node(k)
                if isinstance(child, DictConfig) and key not in known:
                    walk(child, key + ".")
                elif key not in known:
                    found.append(key)
                else:
                    check(key, child)

    walk(cfg, "")
    return found


#: Config groups whose options are preset files (``design=participatory_budget``).
GROUPS = ("scenario", "design", "structure", "experiment")


def check_option(group: str, option: object) -> None:
    """Refuse a preset name that is not a plain name: Hydra would read ``design=../../x`` from ``x.yaml``
    outside the presets' folder. ConfigError naming the group, the value and what is allowed."""
    if not isinstance(option, str) or not option or "/" in option or "\\" in option or ".." in option \
            or option.strip() != option:
        raise ConfigError(f"{group}={option!r} is not a preset name; allowed: the name of a file in {group}/ "
                          "(without / or ..), e.g. " + ", ".join(preset_names(group)[:4]))


def text_list(name: str, value: object, item: str, items: str) -> list[str]:
    """``value`` as the list of texts that the Python API's argument ``name`` needs (``items``, each one
    ``item``). TypeError naming the argument, the value and what is allowed for a single text (it would be
    read letter by letter), a mapping or another type, and for a member that is not a text."""
    if isinstance(value, str | bytes):
        raise TypeError(f"{name}={value!r} is a single text; allowed: a list of {items}, e.g. [{value!r}]")
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise TypeError(f"{name}={value!r} ({type(value).__name__}) is not a list; allowed: a list of {items}")
    out = list(value)
    for i, v in enumerate(out):
        if not isinstance(v, str):
            raise TypeError(f"{name}[{i}]={v!r} ({type(v).__name__}) is not a text; allowed: {item}")
    return out


def check_arguments(scenario: object = None, design: object = None, seed: object = None,
                    overrides: object = ()) -> list[str]:
    """Check the Python API's common arguments; the overrides as a list.

    ``scenario`` and ``design`` are preset names (or None), ``seed`` a whole number (or None) and
    ``overrides`` a list of texts ``key=value`` (a single text would be read letter by letter).
    TypeError for a wrong type, ConfigError for a wrong value; each names the argument.
    """
    for name, value in (("scenario", scenario), ("design", design)):
        if value is not None:
            if not isinstance(value, str):
                raise TypeError(f"{name}={value!r} ({type(value).__name__}) is not a text; allowed: a preset name "
                                f"such as {', '.join(preset_names(name)[:3])}, or None")
            check_option(name, value)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed={seed!r} ({type(seed).__name__}) is not a whole number; allowed: a whole number "
                        ">= 0, or None")
    out = text_list("overrides", overrides, "a text 'key=value'", "texts 'key=value'")
    for i, o in enumerate(out):
        check_override_length(o, f"overrides[{i}]=")
        if "=" not in o and not o.startswith("~"):
            raise ConfigError(f"overrides[{i}]={o!r} is not key=value; allowed: texts such as 'citizens.fear_mean=0.6'")
        key, _, value = o.partition("=")
        if key.lstrip("+~") in GROUPS:
            check_option(key.lstrip("+~"), value)
    return out


def to_config(cfg: DictConfig) -> Config:
    """Resolve and validate a composed config into a :class:`Config` object."""
    unknown = _unknown_keys(cfg)
    if unknown:
        raise unknown_key(unknown[0])
    try:
        obj = OmegaConf.to_object(cfg)
    except OmegaConfBaseException as exc:
        key = getattr(exc, "full_key", None)
        if type(exc).__name__ == "MissingMandatoryValue":
            raise ConfigError(f"{key} has no value; allowed: {describe_range(str(key))}") from None
        raise _translate(exc, []) from None
    if not isinstance(obj, Config):  # pragma: no cover - the root is always the schema
        raise ConfigError("the configuration is not built on the schema 'config_schema'")
    return validate(obj)


def compose_config(scenario: str | None = None, design: str | None = None, seed: int | None = None,
                   overrides: Sequence[str] = ()) -> Config:
    """Compose the presets (``CONFIG_DIR``, i.e. ``configs/``) with overrides into a validated Config.

    Outside a Hydra application the validated result of each (scenario, design, overrides) is
    kept, and the seed is set on a copy of it: Hydra's compose costs about 0.15-0.2 s, more than a
    Kampenhout run, and replicates, patterns and sweeps compose the same presets again and again
    with only the seed changed. The copy equals what Hydra composes with ``seed=<seed>`` (``seed``
    is interpolated nowhere in the config; tests/config/test_compose_cache.py checks it); the kept
    results are dropped when a preset file changes. Inside a Hydra application (``GlobalHydra`` set
    up, maybe with another search path) every call composes.
    """
    ovr = check_arguments(scenario, design, seed, overrides)
    if scenario is not None:
        ovr.append(f"scenario={scenario}")
    if design is not None:
        ovr.append(f"design={design}")
    if GlobalHydra.instance().is_initialized():
        return _compose(ovr if seed is None else [*ovr, f"seed={seed}"])
    key = (tuple(ovr), str(CONFIG_DIR), _presets_signature())
    with _LOCK:
        base = _COMPOSED.get(key)
        if base is not None:
            _COMPOSED.move_to_end(key)
    if base is None:
        base = _compose(ovr)
        with _LOCK:
            _COMPOSED[key] = base
            while len(_COMPOSED) > _KEEP:
                _COMPOSED.popitem(last=False)
    cfg = copy.deepcopy(base)  # callers may change their config; the kept one stays as composed
    return cfg if seed is None else with_values(cfg, {"seed": int(seed)})


#: How many composed configs a process keeps (a validation report composes about a dozen).
_KEEP = 64
_COMPOSED: OrderedDict[tuple[tuple[str, ...], str, tuple], Config] = OrderedDict()
_LOCK = threading.Lock()


def _presets_signature() -> tuple:
    """The preset files' names, sizes and modification times: a kept composition is used only while
    they are unchanged (a notebook user who edits a preset sees the edit)."""
    return tuple(sorted((str(p.relative_to(CONFIG_DIR)), st.st_size, st.st_mtime_ns)
                        for p in CONFIG_DIR.rglob("*.yaml") for st in (p.stat(),)))


def _compose(ovr: list[str]) -> Config:
    """Hydra's compose of ``config`` with the overrides ``ovr``, resolved and validated."""
    return to_config(compose_node(ovr))


def compose_node(overrides: Sequence[str], *, hydra_settings: bool = False,
                 config_dirs: Sequence[str | Path] = ()) -> DictConfig:
    """The composed, unresolved config of ``overrides``; with ``hydra_settings`` its ``hydra`` node too.

    ``config_dirs`` are searched after the presets, as ``--config-dir`` does for the command line
    (and ``hydra.searchpath=[...]`` among the overrides adds more, as in Hydra). Hydra's and
    OmegaConf's errors become a ConfigError naming the key, the value and what is allowed.
    """
    register_configs()
    ovr = list(overrides)
    try:
        if GlobalHydra.instance().is_initialized() and not config_dirs:
            return compose("config", overrides=ovr, return_hydra_config=hydra_settings)
        if not config_dirs:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                return compose("config", overrides=ovr, return_hydra_config=hydra_settings)
        with _searching(config_dirs):
            return compose("config", overrides=ovr, return_hydra_config=hydra_settings)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra wraps OmegaConf errors in several exception types
        raise _translate(exc, ovr) from None


@contextlib.contextmanager
def _searching(config_dirs: Sequence[str | Path]) -> Iterator[None]:
    """Hydra initialised on the presets plus ``config_dirs``, placed as ``--config-dir`` places its folder."""
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.config_search_path import SearchPathQuery

    outer = GlobalHydra.instance()
    if outer.is_initialized():  # pragma: no cover - the command line checks before Hydra starts
        raise RuntimeError("compose_node(config_dirs=...) needs Hydra not to be initialised")
    search = create_config_search_path(str(CONFIG_DIR))
    for folder in config_dirs:
        search.prepend(provider="command-line", path=f"file://{Path(folder).resolve()}",
                       anchor=SearchPathQuery(provider="schema"))
    Hydra.create_main_hydra2(task_name="sim", config_search_path=search)
    try:
        yield
    finally:
        GlobalHydra.instance().clear()


#: The longest folder name (in bytes) that common file systems (ext4, APFS, NTFS) accept.
MAX_NAME_BYTES = 255


def folder_name(text: object) -> str:
    """``text`` as one folder name: ``/`` and ``\\`` become ``_``, control characters go, and ``.``, ``..``
    or nothing become ``_``. Hydra's sweep folders are named by their overrides
    (``hydra.sweep.subdir: ${sim.folder:${hydra:job.override_dirname}}``), so that a value such as
    ``experiment.posterior=../../../x`` stays inside the sweep's folder; a name longer than
    :data:`MAX_NAME_BYTES` keeps its start and a digest of the whole."""
    name = "".join("_" if c in "/\\" else c for c in str(text) if ord(c) >= 32 and ord(c) != 127)
    if name.strip() in ("", ".", ".."):
        return "_"
    raw = name.encode()
    if len(raw) <= MAX_NAME_BYTES:
        return name
    # a folder name may hold 255 bytes (a swept posterior's path alone can exceed it): the start, and a digest
    # of the whole so that two long names stay apart and a resumed sweep finds the same folder
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return raw[:MAX_NAME_BYTES - len(digest) - 1].decode(errors="ignore") + "~" + digest


if not OmegaConf.has_resolver("sim.folder"):
    OmegaConf.register_new_resolver("sim.folder", folder_name)


def preset_names(group: str) -> list[str]:
    """The names of a config group's presets (``configs/<group>/*.yaml``), sorted."""
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def preset_values(group: str, name: str) -> dict[str, Any]:
    """The keys a preset file sets and their values as written (interpolations unresolved).

    Raises ``FileNotFoundError`` when the group has no preset of that name.
    """
    return mapping(OmegaConf.load(CONFIG_DIR / group / f"{name}.yaml"), resolve=False)


def mapping(node: Any, *, resolve: bool = True, enum_to_str: bool = False) -> dict[str, Any]:
    """An OmegaConf mapping (a config, a preset file) as a plain dict; TypeError for a list."""
    data = OmegaConf.to_container(node, resolve=resolve, enum_to_str=enum_to_str)
    if not isinstance(data, dict):
        raise TypeError(f"expected a mapping, not {type(data).__name__}")
    return {str(k): v for k, v in data.items()}
