"""The ABC calibration's settings, checked before anything runs (:mod:`sim.experiments.abc`).

* :func:`check_scheduler`: ``experiment.scheduler`` (``fit(scheduler=)``) is empty (local processes),
  ``redis://[:password@]host:port`` (Redis workers) or ``tcp://host:port`` (a Dask scheduler), a port from 1 to
  65535; :func:`reach_scheduler` connects to it with a short timeout (a Redis PING, a Dask client) before the
  first particle, so a scheduler that is not there or refuses the password is one line, not a traceback.
* :func:`shown_scheduler`: the scheduler as the results record it, its password replaced by ``***``; the Redis
  password can come from the environment variable :data:`PASSWORD_ENV` instead (:func:`redis_password`), so that
  it is nowhere on disk at any moment; one given on the command line is replaced by ``***`` in Hydra's own records
  (``.hydra/``, ``multirun.yaml``) as soon as the run starts (:func:`redact_records`); a sweep's command line
  may not hold one at all (:func:`check_no_password_in_sweep`).
* :func:`check_command_line`: the command line's overrides of a calibration: only those the calibration uses
  (:data:`USED`); each pattern fixes its own scenario, design and parameters.
* :func:`smallest_population_scale`: the smallest ``run.population_scale`` at which every pattern's municipality
  has enough residents.
* :func:`fit_arguments`: :func:`sim.experiments.abc.fit`'s arguments, each refused with a TypeError or ConfigError
  naming it, the value and what is allowed (as :mod:`sim.api` checks its own).

Imports neither pyabc nor the model: the command line's check (:mod:`sim.experiments.prevalidate`) reads it.
"""

from __future__ import annotations

import functools
import json
import math
import numbers
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from sim.config.compose import compose_config, text_list
from sim.config.keys import ConfigError, iter_params, key_whole, one_line, value_at
from sim.config.schema import ExperimentKind, smallest_scale

__all__ = [
    "PASSWORD_ENV",
    "SCHEDULERS",
    "USED",
    "SchedulerUnreachable",
    "check_command_line",
    "check_no_password_in_sweep",
    "check_run",
    "check_scheduler",
    "check_settings_used",
    "fit_arguments",
    "reach_scheduler",
    "redact_records",
    "redis_password",
    "shown_scheduler",
    "smallest_population_scale",
]

#: What ``experiment.scheduler`` may be (for the messages).
SCHEDULERS = ("empty (local processes), redis://[:password@]host:port (Redis workers) or tcp://host:port (a Dask "
              "scheduler), with a port from 1 to 65535")
#: The environment variable the Redis password is read from when the scheduler's URL gives none.
PASSWORD_ENV = "SIM_REDIS_PASSWORD"
#: Seconds :func:`reach_scheduler` waits for the scheduler to answer.
CONNECT_TIMEOUT = 10.0
#: The keys of the command line a calibration uses (a key, or a section as ``experiment.*``): the experiment's
#: settings, the seed and the population scale of the patterns' runs (:func:`sim.experiments.abc._overrides`).
USED = ("experiment", "experiment.*", "seed", "run.population_scale")
#: Why a calibration uses no other key (for the message).
WHY_UNUSED = ("each pattern fixes its own scenario, design and parameters; the calibrated parameters are drawn from "
              "their priors")


class SchedulerUnreachable(ConnectionError):
    """The calibration's scheduler does not answer, or refuses the password (an OSError: the command line ends
    with one line and exit status 1)."""


def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:
        return None


def shown_scheduler(url: object) -> str:
    """The scheduler as a message or a result file shows it: its password, if any, replaced by ``***``
    (``redis://:***@host:6379``); empty for local processes."""
    text = str(url)
    split = _split(text)
    if split is None or "@" not in split.netloc:
        return text
    userinfo, _, hostport = split.netloc.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    return urlunsplit(split._replace(netloc=f"{user}{colon and ':***'}@{hostport}" if colon else f"***@{hostport}"))


def redact_records(files: Sequence[Path], url: object) -> list[Path]:
    """Hydra's own records of a run (``.hydra/config.yaml``, ``overrides.yaml``, ``hydra.yaml``; a sweep's
    ``multirun.yaml``) with the scheduler's password replaced by ``***``, as in every result file; returns the
    files changed.

    Hydra writes them, the command line included, before the run starts, so a password given in
    ``experiment.scheduler`` on the command line would stay there in clear. Only the URL's password is replaced
    (``:<password>@``, as written plain, in YAML's single quotes or in its double quotes with escapes), never
    the same letters elsewhere in the file (a host, a folder's name). Each file changed is rewritten under a
    temporary name and renamed (:func:`sim.io.atomic_write_text`). A sweep (``-m``) refuses such a password
    before it starts (:func:`check_no_password_in_sweep`): its folders' names and log would hold it.
    """
    split = _split(str(url))
    secret = split.password if split is not None else None
    if not secret:
        return []
    from sim.io import atomic_write_text  # lazy: sim.io loads pandas

    forms = {secret, secret.replace("'", "''"), json.dumps(secret)[1:-1]}
    changed = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        cleaned = text
        for form in forms:
            cleaned = cleaned.replace(f":{form}@", ":***@")
        if cleaned != text:
            atomic_write_text(path, cleaned)
            changed.append(path)
    return changed


def check_no_password_in_sweep(overrides: Sequence[tuple[str, str]]) -> None:
    """ConfigError for a sweep (``-m``) whose command line gives ``experiment.scheduler`` with a password: Hydra
    names each job's folder after its overrides, logs them and prints them, so the password would be in the
    folders' names, the logs and the console. ``overrides``: (key, the override as typed)."""
    for key, text in overrides:
        if key.lstrip("+~") == "experiment.scheduler":
            values = [one.strip() for one in text.partition("=")[2].split(",")]  # a swept list of schedulers
            for one in values:
                split = _split(one)
                if split is not None and split.password:
                    shown = ",".join(shown_scheduler(v) for v in values)
                    raise ConfigError(f"experiment.scheduler={shown} gives a password on a sweep's "
                                      f"command line, which would name its folders and stand in its log; allowed: "
                                      f"the URL without it and the password in the environment variable "
                                      f"{PASSWORD_ENV}")


def check_scheduler(value: object, name: str = "experiment.scheduler") -> str:
    """``value`` as a scheduler (:data:`SCHEDULERS`); TypeError for another type than a text, ConfigError naming
    ``name``, the value (its password hidden) and what is allowed for a malformed one."""
    if not isinstance(value, str):
        raise TypeError(f"{name}={one_line(value)} ({type(value).__name__}) is not a text; allowed: {SCHEDULERS}")
    if value == "":
        return value
    split = _split(value)
    problem = None
    if split is None or any(c.isspace() or not c.isprintable() for c in value):
        problem = "is not a URL"
    elif split.scheme not in ("redis", "tcp"):
        problem = f"has the scheme {split.scheme}://" if split.scheme else "has no scheme"
    elif not split.hostname:
        problem = "names no host"
    elif split.path not in ("", "/") or split.query or split.fragment:
        problem = "has more than a host and a port"
    elif split.scheme == "tcp" and "@" in split.netloc:
        problem = "gives a password to a Dask scheduler, which takes none"
    else:
        try:
            port = split.port
        except ValueError:
            port = -1
        if port is None:
            problem = "names no port"
        elif not 1 <= port <= 65535:
            problem = "has a port outside 1 to 65535"
    if problem is not None:
        raise ConfigError(f"{name}={shown_scheduler(value)} {problem}; allowed: {SCHEDULERS}")
    return value


def redis_password(url: str) -> str | None:
    """The password of a Redis scheduler: the URL's, else the environment variable :data:`PASSWORD_ENV`'s, else
    None."""
    split = _split(url)
    return (split.password if split is not None else None) or os.environ.get(PASSWORD_ENV) or None


def reach_scheduler(url: str, timeout: float = CONNECT_TIMEOUT, name: str = "experiment.scheduler") -> None:
    """Connect to a (well-formed) scheduler once: a Redis PING with its password, a Dask client; nothing for local
    processes. :class:`SchedulerUnreachable` naming it (password hidden) and the reason when it does not answer
    within ``timeout`` seconds or refuses the password."""
    if not url:
        return
    split = urlsplit(url)
    shown = shown_scheduler(url)
    if split.scheme == "redis":
        import redis

        client = redis.Redis(host=split.hostname or "localhost", port=split.port or 6379,
                             password=redis_password(url), socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        except redis.exceptions.AuthenticationError as exc:
            given = "refuses the URL's password" if split.password else (
                f"refuses the password in {PASSWORD_ENV}" if os.environ.get(PASSWORD_ENV)
                else "asks for a password and none was given")
            raise SchedulerUnreachable(f"{name}={shown}: the Redis server {given} ({_reason(exc)}); allowed: "
                                       f"its password, in the URL (redis://:<password>@host:port) or in the "
                                       f"environment variable {PASSWORD_ENV}") from None
        except redis.exceptions.RedisError as exc:
            raise SchedulerUnreachable(f"{name}={shown} cannot be reached ({_reason(exc)}); allowed: a running "
                                       "redis-server that abc-redis-worker processes serve") from None
        finally:
            client.close()
        return
    from distributed import Client

    try:
        Client(url, timeout=timeout).close()
    except (OSError, TimeoutError) as exc:
        raise SchedulerUnreachable(f"{name}={shown} cannot be reached ({_reason(exc)}); allowed: a running Dask "
                                   "scheduler (dask scheduler --port <port>) with workers") from None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "..."


@functools.lru_cache(maxsize=1)
def smallest_population_scale() -> tuple[float, str, int]:
    """The smallest ``run.population_scale`` at which every calibration pattern's condition simulates enough
    residents (:func:`sim.config.schema.smallest_scale`), with the scenario and the population that set it."""
    from sim.validation.patterns import calibration_patterns  # lazy: the patterns' module loads the measures

    out = (0.0, "", 0)
    for p in calibration_patterns():
        for cond in p.conditions.values():
            scenario = compose_config(cond.scenario, cond.design, None, list(cond.overrides)).scenario
            least = smallest_scale(int(scenario.population))
            if least > out[0]:
                out = (least, scenario.name, int(scenario.population))
    return out


def check_population_scale(scale: float) -> None:
    """ConfigError naming ``run.population_scale``, its value and the smallest allowed when a pattern's
    municipality would have too few residents at ``scale``."""
    least, scenario, population = smallest_population_scale()
    if float(scale) < least:
        raise ConfigError(f"run.population_scale={scale} is too small for the calibration: the pattern runs of "
                          f"{scenario} ({population:,} residents) would simulate too few residents; allowed: "
                          f"{least} to 1")


def _used(key: str) -> bool:
    key = key.lstrip("+~")
    return any(key == u or (u.endswith(".*") and key.startswith(u[:-1])) for u in USED)


def check_command_line(overrides: Sequence[tuple[str, str]]) -> None:
    """The command line's overrides of a calibration (``(key, override as typed)``, Hydra's settings left out):
    ConfigError for the first the calibration does not use."""
    for key, typed in overrides:
        if not _used(key):
            raise ConfigError(f"{typed}: the ABC calibration does not use it ({WHY_UNUSED}); allowed: "
                              "experiment.*, seed, run.population_scale")


def check_run(config: Any) -> None:
    """A calibration's settings (a :class:`~sim.config.schema.Config` or Hydra's config): the scheduler's form
    and the population scale against every pattern's municipality. ConfigError, one line."""
    check_scheduler(str(config.experiment.scheduler))
    check_population_scale(float(config.run.population_scale))


def check_settings_used(config: Any) -> None:
    """ConfigError for the first key (in the schema's order) the calibration does not use whose value in ``config``
    (a validated :class:`~sim.config.schema.Config`) is not the presets' default: set by an experiment file of the
    user's own (``kind: abc`` beside ``citizens: ...``, or another scenario), which the calibration would ignore
    without a word. The command line's overrides are checked before (:func:`check_command_line`)."""
    defaults = compose_config()
    for key, _ in iter_params():
        value, default = value_at(config, key), value_at(defaults, key)
        if not _used(key) and value != default:
            raise ConfigError(f"{key}={one_line(value)} (the default: {one_line(default)}): the ABC calibration does "
                              f"not use it ({WHY_UNUSED}); allowed: in a calibration's experiment file, experiment.*, "
                              "seed and run.population_scale")


def is_calibration(config: Any) -> bool:
    """Whether ``config`` (a Config) is an ABC calibration's."""
    return config.experiment.kind == ExperimentKind.abc


def _real(name: str, value: object, least: float, most: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={one_line(value)} ({type(value).__name__}) is not a number; allowed: a number from "
                        f"{least:g} to {most:g}")
    number = float(value)
    if not (math.isfinite(number) and least <= number <= most):
        raise ConfigError(f"{name}={one_line(value)} is out of range; allowed: a number from {least:g} to {most:g}")
    return number


def fit_arguments(*, priors: Sequence[Any] | None, population: object, generations: object, min_epsilon: object,
                  seed: object, jobs: object, scheduler: object,
                  overrides: object) -> tuple[int, int, float, int, int, str, list[str]]:
    """:func:`sim.experiments.abc.fit`'s arguments checked, as the schema bounds the experiment's keys:
    ``population``, ``generations``, ``min_epsilon``, ``seed``, ``jobs``, ``scheduler``, ``overrides`` (a list of
    texts) and each prior's bounds (finite, lo < hi). TypeError for a wrong type, ConfigError for a wrong value,
    each naming the argument; then the scheduler is reached (:func:`reach_scheduler`)."""
    population = key_whole("population", population, "experiment.abc_population")
    generations = key_whole("generations", generations, "experiment.abc_generations")
    min_epsilon = _real("min_epsilon", min_epsilon, 0.0, 1e6)
    seed = key_whole("seed", seed, "seed")
    jobs = key_whole("jobs", jobs, "experiment.jobs")
    scheduler = check_scheduler(scheduler, "scheduler")
    overrides = text_list("overrides", overrides, "a text 'key=value'", "texts 'key=value'")
    for i, prior in enumerate(priors or ()):
        lo, hi = getattr(prior, "lo", None), getattr(prior, "hi", None)
        if not (isinstance(lo, numbers.Real) and isinstance(hi, numbers.Real) and math.isfinite(float(lo))
                and math.isfinite(float(hi)) and float(lo) < float(hi)):
            shown = getattr(prior, "key", None) or one_line(prior)
            raise ConfigError(f"priors[{i}]={shown} has bounds lo={lo!r}, hi={hi!r}; allowed: finite "
                              "numbers with lo < hi")
    reach_scheduler(scheduler, name="scheduler")
    return population, generations, min_epsilon, seed, jobs, scheduler, overrides
