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

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.api import CONFIG_DIR, compose_config, run_config, to_config
from sim.config import ConfigError, register_configs


def _model_overrides(argv: list[str]) -> list[str]:
    """The overrides that configure the model (not Hydra itself, not sweeps)."""
    return [a for a in argv if not a.startswith("-") and "=" in a
            and not a.lstrip("+~").startswith(("hydra.", "hydra/"))]


def _has_sweep(overrides: list[str]) -> bool:
    """Whether any override sweeps (a,b / range() / choice() ...), parsed as Hydra does."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        return any(o.is_sweep_override() for o in OverridesParser.create().parse_overrides(overrides))
    except Exception:  # unparsable: let compose report it
        return False


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    """Run one configuration and write its results into Hydra's output folder."""
    config = to_config(cfg)
    result = run_config(config)
    folder = Path(HydraConfig.get().runtime.output_dir)
    result.save(folder)
    s = result.summary
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


def cli() -> None:
    """Entry point: validate single-run overrides first, so bad input writes nothing."""
    register_configs()
    argv = sys.argv[1:]
    multirun = any(a in ("-m", "--multirun") for a in argv)
    overrides = _model_overrides(argv)
    if not multirun and not _has_sweep(overrides):
        try:
            compose_config(overrides=overrides)
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
    main()


if __name__ == "__main__":
    cli()
