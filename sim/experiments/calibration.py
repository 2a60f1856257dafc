"""Calibration: fit chosen parameters so that a scenario reproduces observed outcomes.

The optimiser is Optuna's TPE sampler (seeded, so a calibration is reproducible). Each trial
runs ``experiment.replicates`` replicates with the same derived seeds (common random
numbers: the objective is smooth in the parameters, not noisy from trial to trial) and
scores the relative squared error of the mean outcomes against the targets:

    loss = sum_k ((mean_k - target_k) / target_k) ** 2

The result (best values, fitted outcomes against targets, every trial) is written as JSON
and Parquet, with a figure of the loss over the trials.
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from sim.api import run_config
from sim.experiments import sensitivity
from sim.experiments.sweep import build_config, run_config_node
from sim.io import atomic_parquet, atomic_write_text
from sim.plots import save


def _evaluate(base: DictConfig, values: dict[str, float], outcomes: list[str], replicates: int) -> dict[str, float]:
    # the trial's config is validated once; its replicates differ only in their index
    config = build_config(run_config_node(base, values))
    rows = []
    for r in range(replicates):
        summary = run_config(dataclasses.replace(config, replicate=r)).summary
        rows.append([float(summary[o]) for o in outcomes])
    return dict(zip(outcomes, np.mean(rows, axis=0).tolist(), strict=True))


def loss(means: dict[str, float], targets: dict[str, float]) -> float:
    """Sum of squared relative errors of the outcomes against their targets."""
    return float(sum(((means[k] - t) / t) ** 2 for k, t in targets.items()))


def calibrate(cfg: DictConfig, out_dir: Path) -> dict:
    """Fit ``experiment.parameters`` within their bounds to ``experiment.targets``; write the results."""
    import optuna


    e = cfg.experiment
    build_config(run_config_node(cfg, {}))  # validates targets and bounds (sim.config.keys.validate) before any trial
    outcomes, targets = list(e.outcomes), list(e.targets)
    prob = sensitivity.problem(list(e.parameters), list(e.lower), list(e.upper))
    target_map = dict(zip(outcomes, targets, strict=True))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=int(cfg.seed))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    records: list[dict] = []

    def objective(trial: optuna.Trial) -> float:
        values = {name: trial.suggest_float(name, lo, hi) for name, (lo, hi) in zip(prob["names"], prob["bounds"],
                                                                                    strict=True)}
        means = _evaluate(cfg, values, outcomes, int(e.replicates))
        value = loss(means, target_map)
        records.append({"trial": trial.number, **values, **{f"fit.{k}": v for k, v in means.items()},
                        "loss": value})
        return value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.optimize(objective, n_trials=int(e.trials))
    best = records[study.best_trial.number]
    result = {
        "experiment": e.name, "scenario": cfg.scenario.name, "design": cfg.design.name,
        "parameters": {n: best[n] for n in prob["names"]},
        "bounds": dict(zip(prob["names"], prob["bounds"], strict=True)),
        "targets": target_map, "fitted": {k: best[f"fit.{k}"] for k in outcomes},
        "loss": best["loss"], "trials": int(e.trials), "replicates": int(e.replicates),
        "optimiser": "optuna TPESampler", "seed": int(cfg.seed),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "calibration.json", json.dumps(result, indent=2))
    trials = pd.DataFrame(records)
    atomic_parquet(out_dir / "calibration_trials.parquet", trials)
    if e.figures:
        _figure(trials, prob["names"], out_dir)
    return result


def _figure(trials: pd.DataFrame, names: list[str], out_dir: Path) -> None:
    import matplotlib.pyplot as plt
    import seaborn as sns


    fig, axes = plt.subplots(1, len(names) + 1, figsize=(4 * (len(names) + 1), 3.8), squeeze=False)
    ax = axes[0][0]
    ax.plot(trials["trial"], trials["loss"].cummin(), label="best so far")
    ax.scatter(trials["trial"], trials["loss"], s=10, alpha=0.5, label="trial")
    ax.set(xlabel="trial", ylabel="loss (sum of squared relative errors)", yscale="log", title="Calibration")
    ax.legend(fontsize="small")
    for ax, name in zip(axes[0][1:], names, strict=True):
        sns.scatterplot(data=trials, x=name, y="loss", ax=ax, s=15)
        ax.set(yscale="log", title=name, ylabel="loss")
    fig.tight_layout()
    save(fig, out_dir / "figures", "calibration")
