"""The public Python API: compose a config from the presets, run it, compare designs.

The CLI (``python -m sim``), notebooks, sweeps and the dashboard all go through
``compose_config`` and ``run``, so the same presets and the same code path serve everyone.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config import Config, ConfigError, derive_seed, describe_range, register_configs, schema_keys, validate

if TYPE_CHECKING:  # the model (mesa, pandas) is imported when a run starts, so that composing and
    # validating configs, e.g. in the process that launches a sweep, stays light
    import pandas as pd

    from sim.model.model import CoproductionModel

#: The Hydra presets, shipped inside the package so that an installed ``sim`` finds them from
#: any directory. In a checkout ``sim/configs`` is a link to the top-level ``configs/`` (the one
#: copy of every preset); building a wheel copies the files in (pyproject.toml, package-data).
CONFIG_DIR = Path(__file__).resolve().parent / "configs"


@dataclass
class RunResult:
    """Everything a run produced."""

    timeseries: pd.DataFrame
    summary: pd.Series
    groups: pd.DataFrame
    projects: pd.DataFrame
    cycles: pd.DataFrame
    #: The validated configuration the run was built from.
    settings: Config
    model: CoproductionModel

    @functools.cached_property
    def config(self) -> DictConfig:
        """The configuration as an OmegaConf node (for YAML and key access), built on first use.

        Converting the schema takes about 30 ms, a sixth of a Kampenhout run; a sweep that never
        looks at it does not pay for it.
        """
        return OmegaConf.structured(self.settings)

    def save(self, folder: str | Path, figures: bool = True) -> Path:
        """Write config, tables and figures into ``folder`` (see ``sim.io.write_run``)."""
        from sim.io import write_run

        return write_run(self, Path(folder), figures=figures)


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
                key = f"{prefix}{k}"
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
            raise ConfigError(f"{key} has no value; allowed: {describe_range(key)}") from None
        raise _translate(exc, []) from None
    if not isinstance(obj, Config):  # pragma: no cover - the root is always the schema
        raise ConfigError("the configuration is not built on the schema 'config_schema'")
    return validate(obj)


def compose_config(scenario: str | None = None, design: str | None = None, seed: int | None = None,
                   overrides: Sequence[str] = ()) -> Config:
    """Compose the presets (``CONFIG_DIR``, i.e. ``configs/``) with overrides into a validated Config."""
    register_configs()
    ovr = list(overrides)
    if scenario is not None:
        ovr.append(f"scenario={scenario}")
    if design is not None:
        ovr.append(f"design={design}")
    if seed is not None:
        ovr.append(f"seed={seed}")
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


def run_config(config: Config) -> RunResult:
    """Build the model from a validated config, run its horizon, gather the tidy results."""
    from sim import results
    from sim.model.model import CoproductionModel

    model = CoproductionModel(config)
    model.run_for(config.run.steps)
    ts = results.timeseries(model)
    return RunResult(timeseries=ts, summary=results.summary(model, ts), groups=results.groups(model),
                     projects=results.projects(model), cycles=results.cycles(model),
                     settings=config, model=model)


def run(scenario: str | None = None, design: str | None = None, seed: int | None = None,
        overrides: Sequence[str] = ()) -> RunResult:
    """Run one scenario and design; ``overrides`` are Hydra overrides such as "citizens.fear_mean=0.6"."""
    return run_config(compose_config(scenario, design, seed, overrides))


def replicate_seeds(root_seed: int, replicates: int) -> list[int]:
    """Seeds of replicates 0..n-1, derived from one root seed (numpy SeedSequence).

    Replicate r's seed depends only on (root_seed, r): adding replicates never changes
    existing ones. These are the seeds that ``replicate=r`` gives a run with ``seed=root_seed``.
    """
    return [derive_seed(root_seed, r) for r in range(replicates)]


def replicate_runs(scenario: str | None, design: str | None, replicates: int, seed: int = 0,
                   overrides: Sequence[str] = (), *, each: Mapping[str, Callable[[RunResult], Any]] | None = None,
                   **columns: Any) -> dict[str, Any]:
    """``replicates`` runs of one design with the seeds ``compare`` gives them, and their tables joined.

    Replicate r runs with the seed derived from (``seed``, r), as in :func:`compare`, so a
    notebook's time series match its comparison run by run. Returns ``summary`` (one row per
    run, plus ``columns``), ``timeseries`` and ``groups`` (each row tagged with its run's
    scenario name, design, seed and replicate, plus ``columns``, so that figures can name the
    runs), and for each ``name: f`` of ``each`` the list ``[f(result) for each run]`` (e.g. a
    frame of the finished model).
    """
    import pandas as pd

    composed = compose_config(scenario, design, seed, overrides)
    out: dict[str, Any] = {"summary": [], "timeseries": [], "groups": [], **{k: [] for k in each or {}}}
    for r in range(replicates):
        res = run_config(dataclasses.replace(composed, replicate=r))
        tags = {"scenario": composed.scenario.name, "design": composed.design.name, "seed": int(res.summary["seed"]),
                "replicate": r, **columns}
        out["summary"].append(res.summary.to_frame().T.assign(**columns))
        out["timeseries"].append(res.timeseries.assign(**tags))
        out["groups"].append(res.groups.assign(**tags))
        for name, f in (each or {}).items():
            out[name].append(f(res))
    for key in ("summary", "timeseries", "groups"):
        out[key] = pd.concat(out[key], ignore_index=True)
    return out


def _summary_row(config: Config, measure: Callable[[RunResult], dict] | None = None) -> dict:
    """The summary of one run, with ``measure(result)``'s extra columns when given."""
    result = run_config(config)
    row = result.summary.to_dict()
    if measure is not None:
        extra = measure(result)
        clash = sorted(set(extra) & set(row))
        if clash:
            raise ValueError(f"measure returned column(s) {clash} that the summary already has")
        row.update(extra)
    return row


def compare(scenario: str | None = None, designs: Sequence[str] = ("none", "participatory_budget"),
            replicates: int = 10, seed: int = 0, overrides: Sequence[str] = (),
            n_jobs: int = 1, posterior: str | Path | None = None, draws: int = 0,
            measure: Callable[[RunResult], dict] | None = None) -> pd.DataFrame:
    """Run each design with the same replicates; one row per design and replicate.

    Replicate r of every design runs with the seed derived from (seed, r), exactly as the run
    with ``seed=<seed> replicate=<r>`` of a sweep does. Designs share seeds (common random
    numbers), so differences between designs are not differences in the drawn population.
    ``n_jobs > 1`` runs in parallel processes.

    With ``posterior`` (an ABC calibration's folder or ``posterior.parquet``, see
    :mod:`sim.abc_calibration`) and ``draws=n``, each design runs ``replicates`` replicates on
    each of ``n`` parameter sets resampled from the posterior (:func:`sim.uncertainty.draw_parameters`,
    seeded by ``seed``): one row per design, draw and replicate, with the columns ``draw`` and
    the drawn parameters. Draw d and replicate r share parameters and seed across designs, so
    :func:`sim.uncertainty.beats` can match them. An override of a key the posterior draws is
    refused (``ConfigError``).

    ``measure`` (a module-level function, so that parallel processes can receive it) adds its
    columns to each run's row, computed from the whole ``RunResult`` (its tables and finished
    model): :func:`sim.answers.measure` adds costs and who takes part.
    """
    import pandas as pd

    # compose each design once; replicates differ only in their index
    composed = {d: compose_config(scenario, d, seed, overrides) for d in designs}
    drawn = None
    if posterior is not None or draws:
        if posterior is None or not draws:
            raise ConfigError(f"posterior={posterior!r}, draws={draws!r}: a posterior comparison needs both "
                              "a posterior and draws >= 1")
        from sim.config import with_values
        from sim.uncertainty import draw_parameters

        drawn = draw_parameters(posterior, draws, seed)
        keys = [c for c in drawn.columns if c != "draw"]
        clash = sorted({o.split("=", 1)[0].lstrip("+~") for o in overrides} & set(keys))
        if clash:
            raise ConfigError(f"{clash[0]} is drawn from the posterior; do not override it in a posterior comparison")
        jobs = [dataclasses.replace(with_values(composed[d], dict(zip(keys, row, strict=True))), replicate=r)
                for d in designs for row in drawn[keys].itertuples(index=False) for r in range(replicates)]
    else:
        jobs = [dataclasses.replace(composed[d], replicate=r) for d in designs for r in range(replicates)]
    if n_jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            rows = list(pool.map(functools.partial(_summary_row, measure=measure), jobs))
    else:
        rows = [_summary_row(j, measure) for j in jobs]
    df = pd.DataFrame(rows)
    first = ["scenario", "design", "replicate", "seed", "root_seed"]
    if drawn is not None:
        per_design = drawn.loc[drawn.index.repeat(replicates)].reset_index(drop=True)
        params = pd.concat([per_design] * len(designs), ignore_index=True)
        df = pd.concat([df, params], axis=1)  # the drawn keys are config keys, never summary columns
        first = ["scenario", "design", "draw", "replicate", "seed", "root_seed"]
    return df[first + [c for c in df.columns if c not in first]]
