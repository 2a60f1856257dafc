"""Scenario discovery: under which conditions does one design end worse than another? (PRIM)

The question a policymaker asks of an uncertain model is less "what happens?" than "when does
this go wrong?". Scenario discovery (Bryant & Lempert 2010, Technological Forecasting and
Social Change; Kwakkel 2017, Environmental Modelling & Software) answers it in three steps:

1. sample the uncertain parameters (``experiment.parameters`` within ``experiment.lower`` /
   ``experiment.upper``) with a Latin hypercube of ``experiment.samples`` points (scipy's
   ``qmc.LatinHypercube``, seeded by ``seed``);
2. run both designs of ``experiment.discovery_designs`` (``[focus, baseline]``) on every point,
   with the same seed (common random numbers), and mark the *cases of interest*: the points
   where the focus design ends with a lower ``experiment.outcomes[0]`` than the baseline;
3. run PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999) from the EMA workbench
   on the sample and the cases, and pick from its peeling trajectory the densest box that still
   covers at least ``experiment.prim_coverage`` of the cases (fewer restricted dimensions break
   ties). The box's limits on the restricted parameters are the conditions found.

Coverage is the share of all cases of interest that lie in the box; density the share of the
points in the box that are cases of interest (the base rate is the share of cases overall);
mass the share of all points in the box. A box with density far above the base rate and a fair
coverage is a set of conditions under which the focus design tends to lose.

Outputs (``python -m sim +experiment=scenario_discovery``): ``samples.parquet`` (the points,
both designs' outcome and the case flag), ``trajectory.csv`` (PRIM's peeling trajectory),
``discovery.json`` and ``discovery.md`` (the chosen box and how to read it) and
``figures/discovery.{png,svg}``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.api import run_config
from sim.config.compose import compose_config
from sim.config.keys import with_values
from sim.experiments import sensitivity
from sim.experiments.sweep import build_config, run_config_node
from sim.io import atomic_parquet, atomic_write_text
from sim.plots import save
from sim.workers import process_pool

log = logging.getLogger(__name__)

__all__ = ["choose_box", "latin_hypercube", "prim_box", "run_experiment", "run_points"]


def latin_hypercube(names: Sequence[str], bounds: Sequence[Sequence[float]], n: int, seed: int) -> pd.DataFrame:
    """``n`` points of a seeded Latin hypercube over ``bounds`` (one column per name)."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(0xD15C,)))
    unit = qmc.LatinHypercube(d=len(names), rng=rng).random(int(n))
    lo = np.array([b[0] for b in bounds], dtype=float)
    hi = np.array([b[1] for b in bounds], dtype=float)
    return pd.DataFrame(qmc.scale(unit, lo, hi), columns=list(names))


def _outcome(job: tuple[Any, str]) -> float:
    config, outcome = job
    return float(run_config(config).summary[outcome])


def run_points(scenario: str, designs: Sequence[str], points: pd.DataFrame, outcome: str, seed: int,
               overrides: Sequence[str] = (), jobs: int = 1) -> pd.DataFrame:
    """``outcome`` of each design at each point (columns named by the designs), same seed per point.

    Point ``i`` runs as replicate ``i`` of ``seed`` in every design (common random numbers).
    """
    composed = {d: compose_config(scenario, d, seed, overrides) for d in designs}
    tasks = [(dataclasses.replace(with_values(composed[d], dict(row)), replicate=i), outcome)
             for d in designs for i, row in enumerate(points.to_dict(orient="records"))]
    log.info("scenario discovery: %d points x %d designs", len(points), len(designs))
    bar = {"total": len(tasks), "desc": "points", "unit": "run", "disable": None}  # on a terminal only
    if jobs > 1:
        with process_pool(jobs) as pool:
            values = list(tqdm(pool.map(_outcome, tasks, chunksize=4), **bar))
    else:
        values = [_outcome(t) for t in tqdm(tasks, **bar)]
    n = len(points)
    return pd.DataFrame({d: values[k * n:(k + 1) * n] for k, d in enumerate(designs)})


def prim_box(x: pd.DataFrame, y: np.ndarray, peel_alpha: float = 0.05, mass_min: float = 0.05) -> Any:
    """PRIM's first box (``ema_workbench.analysis.prim``) on float columns (integers break it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns at import that ipyparallel is missing
        from ema_workbench.analysis import prim

        p = prim.Prim(x.astype(float), np.asarray(y, dtype=bool), peel_alpha=peel_alpha, mass_min=mass_min)
        return p.find_box()


def choose_box(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """Index on the peeling trajectory: the densest box with coverage >= ``min_coverage``
    (fewest restricted dimensions, then most coverage, on ties)."""
    ok = trajectory[trajectory["coverage"] >= min_coverage]
    if ok.empty:
        return 0
    best = ok.sort_values(["density", "res_dim", "coverage"], ascending=[False, True, False], kind="stable")
    return int(best.index[0])


def _limits(box: Any, i: int, x: pd.DataFrame) -> list[dict[str, float | str]]:
    """The box's restricted parameters with their limits, the sampled range and each bound's
    quasi-p-value (``PrimBox.inspect``: the binomial probability that a restriction this dense
    arises by chance; NaN where that side of the range is not restricted)."""
    lims = box.box_lims[i]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qp = box.inspect(i, style="data")[0][1]
    rows = []
    for name in x.columns:
        lo, hi = float(lims.loc[0, name]), float(lims.loc[1, name])
        if lo > float(x[name].min()) or hi < float(x[name].max()):
            q = qp.loc[name] if name in qp.index else None
            rows.append({"parameter": name, "low": lo, "high": hi,
                         "sampled_low": float(x[name].min()), "sampled_high": float(x[name].max()),
                         "qp_low": float(q.iloc[2]) if q is not None else float("nan"),
                         "qp_high": float(q.iloc[3]) if q is not None else float("nan")})
    return rows


def run_experiment(cfg: Any, out_dir: Path) -> dict:
    """``python -m sim +experiment=scenario_discovery``: sample, run both designs, PRIM, write."""
    build_config(run_config_node(cfg, {}))  # the experiment's settings, checked before any run
    e = cfg.experiment
    focus, baseline = list(e.discovery_designs)
    outcome = str(next(iter(e.outcomes)))
    prob = sensitivity.problem(list(e.parameters), list(e.lower), list(e.upper))
    points = latin_hypercube(prob["names"], prob["bounds"], int(e.samples), int(cfg.seed))
    overrides = [f"run.population_scale={float(cfg.run.population_scale)!r}", f"run.steps={int(cfg.run.steps)}"]
    start = time.perf_counter()
    values = run_points(str(cfg.scenario.name), [focus, baseline], points, outcome, int(cfg.seed), overrides,
                        jobs=int(e.jobs) or os.cpu_count() or 1)
    seconds = time.perf_counter() - start
    diff = values[focus] - values[baseline]
    cases = (diff < 0).to_numpy()
    samples = points.assign(**{f"{outcome}.{focus}": values[focus], f"{outcome}.{baseline}": values[baseline],
                               "difference": diff, "case": cases})
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_parquet(out_dir / "samples.parquet", samples)
    result: dict[str, Any] = {
        "experiment": e.name, "scenario": str(cfg.scenario.name), "focus": focus, "baseline": baseline,
        "outcome": outcome, "question": f"when does {focus} end with a lower {outcome} than {baseline}?",
        "samples": int(e.samples), "cases": int(cases.sum()), "base_rate": float(cases.mean()),
        "parameters": dict(zip(prob["names"], prob["bounds"], strict=True)), "seed": int(cfg.seed),
        "population_scale": float(cfg.run.population_scale), "run_seconds": round(seconds, 1),
        "min_coverage": float(e.prim_coverage),
    }
    if 0 < cases.sum() < len(cases):
        box = prim_box(points, cases)
        trajectory = box.peeling_trajectory.reset_index(drop=True)
        atomic_write_text(out_dir / "trajectory.csv", trajectory.to_csv(index=False))
        i = choose_box(trajectory, float(e.prim_coverage))
        row = trajectory.loc[i]
        result["box"] = {"index": i, "coverage": float(row["coverage"]), "density": float(row["density"]),
                         "mass": float(row["mass"]), "restricted": int(row["res_dim"]),
                         "limits": _limits(box, i, points)}
        if e.figures and result["box"]["limits"]:
            _figure(trajectory, i, result, out_dir)
    else:
        result["box"] = None
        result["note"] = (f"{focus} ended below {baseline} on {int(cases.sum())} of {len(cases)} points: "
                          "PRIM needs both outcomes in the sample")
    atomic_write_text(out_dir / "discovery.json", json.dumps(result, indent=2, default=str))
    atomic_write_text(out_dir / "discovery.md", markdown(result))
    return result


def markdown(result: dict) -> str:
    """The discovery result in words and a table of the box's limits."""
    lines = [f"# Scenario discovery: {result['question']}", "",
             f"{result['samples']} points of a Latin hypercube over {len(result['parameters'])} parameters "
             f"({result['scenario']}, population scale {result['population_scale']}, seed {result['seed']}); "
             f"{result['focus']} ended below {result['baseline']} on {result['cases']} of them "
             f"(base rate {result['base_rate']:.0%}).", ""]
    box = result.get("box")
    if not box:
        return "\n".join([*lines, result.get("note", ""), ""])
    if not box["limits"]:
        return "\n".join([*lines, "PRIM found no box that restricts any parameter and is denser in cases than "
                           "the whole sample: no condition singles out the points where the focus design loses.", ""])
    lines += [f"PRIM's chosen box (the densest on the peeling trajectory with coverage at least "
              f"{result['min_coverage']:.0%}): coverage {box['coverage']:.0%} (share of all cases inside the box), "
              f"density {box['density']:.0%} (share of the points in the box that are cases, against the base "
              f"rate {result['base_rate']:.0%}), mass {box['mass']:.0%} of the points, "
              f"{box['restricted']} parameters restricted. A bound's quasi-p-value is the chance that a "
              "restriction this dense in cases arises at random (PRIM's `inspect`); a bound above 0.05 is a "
              "thin slice PRIM peeled, not evidence of an effect (blank: that side is not restricted).", "",
              "| parameter | box low | box high | sampled low | sampled high | qp low | qp high |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| `{r['parameter']}` | {r['low']:.3g} | {r['high']:.3g} | {r['sampled_low']:.3g} | "
              f"{r['sampled_high']:.3g} | {_qp(r.get('qp_low'))} | {_qp(r.get('qp_high'))} |" for r in box["limits"]]
    return "\n".join(lines) + "\n"


def _qp(value: float | None) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.2g}"


def _figure(trajectory: pd.DataFrame, i: int, result: dict, out_dir: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    ax = axes[0]
    sc = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], cmap="viridis", s=18)
    ax.scatter([trajectory.loc[i, "coverage"]], [trajectory.loc[i, "density"]], s=120, facecolors="none",
               edgecolors="red", linewidths=2, label="chosen box")
    ax.axhline(result["base_rate"], color="0.5", ls="--", label="base rate")
    ax.set(xlabel="coverage (share of cases in the box)", ylabel="density (share of the box that are cases)",
           title="PRIM peeling trajectory")
    fig.colorbar(sc, ax=ax, label="restricted parameters")
    ax.legend(fontsize="small")
    ax = axes[1]
    limits = result["box"]["limits"]
    for k, r in enumerate(limits):
        span = r["sampled_high"] - r["sampled_low"]
        lo, hi = (r["low"] - r["sampled_low"]) / span, (r["high"] - r["sampled_low"]) / span
        ax.plot([0, 1], [k, k], color="0.85", lw=6)
        ax.plot([lo, hi], [k, k], color="#C44E52", lw=6)
    ax.set_yticks(range(len(limits)), [r["parameter"] for r in limits], fontsize=8)
    ax.set(xlim=(-0.02, 1.02), xlabel="share of the sampled range", title="Conditions of the chosen box")
    fig.suptitle(result["question"])
    fig.tight_layout()
    save(fig, out_dir / "figures", "discovery")
