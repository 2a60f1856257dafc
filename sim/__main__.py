"""Command line: ``python -m sim [key=value ...]`` runs one scenario and design with Hydra.

Examples::

    python -m sim scenario=geel design=participatory_budget seed=3
    python -m sim scenario=kampenhout design=tokenistic_consultation citizens.fear_mean=0.7

The run's folder (``hydra.run.dir``, by default ``outputs/runs/<scenario>/<design>/...``)
receives config.yaml, timeseries.parquet, summary.parquet, summary.json, groups.parquet and
figures/. A wrong key, type or value stops before anything is written, with a message that
names the key, the value and the allowed range.
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from sim.config.compose import CONFIG_DIR, compose_config, to_config
from sim.config.keys import ConfigError
from sim.config.schema import IN_PROCESS_KINDS, ExperimentKind, register_configs
from sim.experiments.sweep import experiment_kind, run_job
from sim.io import atomic_write_text

log = logging.getLogger(__name__)


def _model_overrides(argv: list[str]) -> list[str]:
    """The overrides that compose the config, checked before Hydra runs: not Hydra's settings.

    Hydra's config groups (``hydra/launcher=basic``) stay: they replace a default of the
    presets (an experiment's launcher), which would otherwise be composed, and fail where
    its plugin is not installed (an install without the ``experiments`` extra).
    """
    return [a for a in argv if not a.startswith("-") and "=" in a and not a.lstrip("+~").startswith("hydra.")]


def _has_sweep(overrides: list[str]) -> bool:
    """Whether any override sweeps (a,b / range() / choice() ...), parsed as Hydra does."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        return any(o.is_sweep_override() for o in OverridesParser.create().parse_overrides(overrides))
    except Exception:  # unparsable: let compose report it
        return False


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    """Run one configuration, or one job of a sweep or experiment, into Hydra's output folder."""
    hc = HydraConfig.get()
    folder = Path(hc.runtime.output_dir)

    kind = experiment_kind(cfg)
    if hc.mode == RunMode.MULTIRUN or kind is not ExperimentKind.single:
        _experiment_job(cfg, folder, list(hc.overrides.task), kind)
        return
    # lazy: Mesa and pandas are never loaded by the process that launches a sweep
    from sim.api import run_config

    config = to_config(cfg)
    result = run_config(config)
    result.save(folder)
    _print_summary(result.summary, folder)


def _calibration_line(result: dict) -> str:
    return (f"calibration of {list(result['parameters'])}: {result['parameters']} "
            f"(fitted {result['fitted']} against targets {result['targets']}; loss {result['loss']:.4g})")


def _abc_line(result: dict) -> str:
    post = ", ".join(f"{k} {v['mean']:.3g} [{v['q2.5']:.3g}, {v['q97.5']:.3g}]" for k, v in result["posterior"].items())
    return (f"ABC-SMC: {result['evaluations']} evaluations in {result['seconds']} s, {result['generations_run']} "
            f"generations, last epsilon {result['epsilons'][-1]:.3g}; posterior mean [95 %]: {post}")


def _discovery_line(result: dict) -> str:
    box = result["box"]
    found = (f"box with coverage {box['coverage']:.0%}, density {box['density']:.0%} on "
             + ", ".join(f"{r['parameter']} in [{r['low']:.3g}, {r['high']:.3g}]" for r in box["limits"])
             if box and box["limits"] else result.get("note", "no restricting box"))
    return f"scenario discovery: {result['question']} {result['cases']} of {result['samples']} points; {found}"


#: Experiments that run in this process instead of a sweep of runs: (module, function, headline).
_IN_PROCESS = {
    ExperimentKind.calibration: ("sim.experiments.calibration", "calibrate", _calibration_line),
    ExperimentKind.abc: ("sim.experiments.abc", "run_experiment", _abc_line),
    ExperimentKind.discovery: ("sim.experiments.discovery", "run_experiment", _discovery_line),
}
assert set(_IN_PROCESS) == IN_PROCESS_KINDS


def _experiment_job(cfg: DictConfig, folder: Path, task_overrides: list[str], kind: ExperimentKind) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    info = {**OmegaConf.to_container(cfg.experiment, resolve=True), "kind": kind.name, "seed": int(cfg.seed)}
    multirun = HydraConfig.get().mode == RunMode.MULTIRUN
    root = Path(HydraConfig.get().sweep.dir) if multirun else folder
    root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(root / "experiment.json", json.dumps(info, indent=2, default=str))
    if kind in IN_PROCESS_KINDS:
        module, function, headline = _IN_PROCESS[kind]
        result = getattr(importlib.import_module(module), function)(cfg, folder)
        print(f"{headline(result)}; results in {folder}")
        return
    counts = run_job(cfg, root / "runs", task_overrides)
    if not multirun:
        # lazy: pandas and pyarrow, only for an experiment run without a sweep
        from sim.experiments.collect import collect

        collect(folder, figures=bool(cfg.experiment.figures))
    log.info("job %s: %d runs done, %d skipped (finished before), %d failed",
             folder.name, counts["ok"], counts["skipped"], counts["failed"])


def _print_summary(s, folder: Path) -> None:
    print(f"{s['scenario']} / {s['design']} / seed {s['seed']}: {s['population']:,} residents, "
          f"{s['steps']} months, {s['cycles']} cycles")
    print(f"  turnout per cycle      {100 * s['turnout']:.2f} % of residents "
          f"({100 * s['turnout_eligible']:.2f} % of eligible), representativeness {s['representativeness']:.2f}")
    print(f"  proposals              {s['proposals_submitted']} submitted, {s['proposals_adopted']} adopted, "
          f"{s['proposals_implemented']} implemented, {s['decisions_reopened']} reopened")
    print(f"  trust (citizens)       {s['trust_citizens']:.3f}   efficacy {s['efficacy_citizens']:.3f}   "
          f"fear {s['fear_citizens']:.3f}")
    print(f"  legitimacy             {s['legitimacy']:.3f} (input {s['legitimacy_input']:.3f}, throughput "
          f"{s['legitimacy_throughput']:.3f}, output {s['legitimacy_output']:.3f})")
    print(f"  service quality        {s['service_quality']:.3f}   equity {s['service_quality_equity']:.3f}")
    print(f"  results in             {folder}")


def _validate_sweeps(overrides: list[str]) -> None:
    """Compose once per value of every command-line sweep, so a bad value stops before any job."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    compose_config(overrides=fixed)  # the experiment and every fixed value, once
    for o in parsed:
        if not o.is_sweep_override() or o.key_or_group in ("experiment.batch", "replicate", "seed"):
            continue
        if o.is_interval_sweep():
            continue
        prefix = "+" if o.input_line.startswith("+") else ""
        for value in o.sweep_string_iterator():
            compose_config(overrides=[*fixed, f"{prefix}{o.key_or_group}={value}"])


def cli() -> None:
    """Entry point: validate single-run overrides first, so bad input writes nothing."""
    register_configs()
    argv = sys.argv[1:]
    multirun = any(a in ("-m", "--multirun") for a in argv)
    overrides = _model_overrides(argv)
    try:
        if not multirun and not _has_sweep(overrides):
            compose_config(overrides=overrides)
        else:
            _validate_sweeps(overrides)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if "Could not load 'hydra/launcher/" in str(exc):
            print("hint: that launcher's Hydra plugin is not installed: install the extra it needs "
                  "(experiments, ray or slurm; see experiments/README.md) or choose hydra/launcher=basic",
                  file=sys.stderr)
        sys.exit(2)
    main()
    # The process ends here: freeze the heap so that the interpreter's final garbage
    # collections skip it (the OS frees the memory); this saves ~0.3 s per command.
    gc.freeze()


if __name__ == "__main__":
    cli()
