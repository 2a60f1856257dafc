"""Composing a configuration: the presets plus overrides, resolved and validated.

The command line, the Python API, notebooks, sweeps and the dashboard all compose through
:func:`compose_config` (Hydra's compose API over ``CONFIG_DIR``), so the same presets serve
everyone. Hydra's and OmegaConf's errors are translated into a :class:`ConfigError` that names
the key, the value and what is allowed.
"""

from __future__ import annotations

import copy
import numbers
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config.keys import ConfigError, describe_range, schema_keys, validate, with_values
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
    if "Could not find" in text or ("not found in" in text and "options" in text):
        return ConfigError(text.strip())
    if "not in" in text or ("Could not override" in text and "Key" in text):
        return ConfigError(f"unknown key {key!r} (value {value!r}): not in the schema; "
                           "see docs/parameters.md for the keys")
    detail = str(cause).splitlines()[0] if str(cause) else text.splitlines()[0]
    key = None if key is None else str(key)
    if key:
        return ConfigError(f"{key}={value!r}: {detail}; allowed: {describe_range(key)}")
    return ConfigError(text.strip())


def _unknown_keys(cfg: DictConfig) -> list[str]:
    """Keys present in a composed config that the schema does not know (e.g. added with '+')."""
    known = schema_keys()
    found: list[str] = []

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

    walk(cfg, "")
    return found


def to_config(cfg: DictConfig) -> Config:
    """Resolve and validate a composed config into a :class:`Config` object."""
    unknown = _unknown_keys(cfg)
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r}: not in the schema (see docs/parameters.md for the keys)")
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
    ovr = list(overrides)
    if scenario is not None:
        ovr.append(f"scenario={scenario}")
    if design is not None:
        ovr.append(f"design={design}")
    plain_seed = seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool))
    if GlobalHydra.instance().is_initialized() or not plain_seed:
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
    register_configs()
    try:
        if GlobalHydra.instance().is_initialized():
            cfg = compose("config", overrides=ovr)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = compose("config", overrides=ovr)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra wraps OmegaConf errors in several exception types
        raise _translate(exc, ovr) from None
    return to_config(cfg)


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
