# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The results of an experiment, and its figures
#
# For researchers: this notebook opens the gathered results of an experiment (a sweep over
# designs, levers or parameters, run with `python -m sim -m +experiment=<name>` and gathered
# by `python -m sim collect dir=<folder>`; see `experiments/README.md`) and reproduces its figures
# from the tables alone. A results folder holds
#
# - `runs.parquet`: one row per run, with its parameters (the conditions, replicate, seeds)
#   and its one-row summary of outcomes;
# - `timeseries.parquet`: one row per run and month, with the run's parameters;
# - `summary_table.parquet`: per condition and outcome, n, mean, sd and the 95 % interval of
#   the mean.
#
# Set `RESULTS` to such a folder. Without one (or when it does not exist) the notebook makes a
# small demo experiment itself with the public API (three designs, three replicates,
# Kampenhout at a fifth of its residents), writes it in the same format to a temporary folder
# and uses that.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
RESULTS = None  # path to a results folder, e.g. "../outputs/sweeps/<date>"; None: make a demo
CONDITION = None  # column(s) that define a condition, e.g. ["design"]; None: found from the runs
SAVE_FIGURES = True  # write the figures (PNG and SVG) into <results>/figures_notebook/

# %%
import tempfile
from pathlib import Path

import pandas as pd

import sim
import sim.plots as plots

# %matplotlib inline

pd.set_option("display.precision", 3)

# %% [markdown]
# ## 1. The results folder (or a demo experiment)

# %%
def make_demo(folder: Path, designs=("none", "tokenistic_consultation", "participatory_budget"),
              replicates: int = 3, scenario: str = "kampenhout", scale: float = 0.2) -> Path:
    """Run a small design comparison and write it as a gathered results folder."""
    from sim.experiments.collect import summary_table  # the same table as `python -m sim collect` writes

    runs, series = [], []
    for design in designs:
        for replicate, seed in enumerate(sim.replicate_seeds(0, replicates)):
            res = sim.run(scenario, design, seed=seed, overrides=[f"run.population_scale={scale}"])
            params = {"design": design, "replicate": replicate, "seed": seed}
            runs.append({**res.summary.to_dict(), **params})
            series.append(res.timeseries.assign(**params))
    runs = pd.DataFrame(runs)
    folder.mkdir(parents=True, exist_ok=True)
    runs.to_parquet(folder / "runs.parquet", index=False)
    pd.concat(series, ignore_index=True).to_parquet(folder / "timeseries.parquet", index=False)
    summary_table(runs, ["design"]).to_parquet(folder / "summary_table.parquet", index=False)
    return folder


folder = Path(RESULTS) if RESULTS else None
if folder is None or not (folder / "runs.parquet").exists():
    if folder is not None:
        print(f"No results in {folder}: making a demo experiment instead.")
    folder = make_demo(Path(tempfile.mkdtemp(prefix="coproduction_demo_")) / "demo_experiment")
print("Results folder:", folder)
runs = pd.read_parquet(folder / "runs.parquet")
timeseries = pd.read_parquet(folder / "timeseries.parquet") if (folder / "timeseries.parquet").exists() else None
summary_table = (pd.read_parquet(folder / "summary_table.parquet")
                 if (folder / "summary_table.parquet").exists() else None)
print(f"{len(runs)} runs" + (f", {len(timeseries):,} monthly rows" if timeseries is not None else ""))

# %% [markdown]
# ## 2. The conditions
#
# A condition is what the experiment varied: the design, a lever or a parameter (columns
# named like config keys, e.g. `citizens.fear_mean`). The summary table names them; without it
# they are the parameter columns that differ between runs.

# %%
STATS = {"outcome", "n", "mean", "sd", "ci_low", "ci_high"}
if CONDITION is None and summary_table is not None and STATS <= set(summary_table.columns):
    CONDITION = [c for c in summary_table.columns if c not in STATS]
if not CONDITION:
    candidates = ["scenario", "design", *[c for c in runs.columns if "." in c]]
    CONDITION = [c for c in candidates if c in runs.columns and runs[c].nunique() > 1] or ["design"]
CONDITION = [CONDITION] if isinstance(CONDITION, str) else list(CONDITION)
runs["condition"] = runs[CONDITION].astype(str).agg(", ".join, axis=1)
print("Conditions from", CONDITION, ":", runs["condition"].unique().tolist())
runs.groupby("condition").size().rename("runs").to_frame()

# %% [markdown]
# ## 3. The summary table
#
# Means and 95 % intervals per condition as gathered, checked against the same statistics
# recomputed here from `runs.parquet` (the tables store shares as fractions; the table below
# shows turnout and the shares of residents who agree with a survey item in percent, as the
# figures do).

# %%
outcomes = [o for o in plots.KEY_OUTCOMES if o in runs.columns]
recomputed = plots.interval_table(runs, outcomes, by="condition", percent=False)
if summary_table is not None and STATS <= set(summary_table.columns):
    gathered = summary_table[summary_table["outcome"].isin(outcomes)].copy()
    gathered["condition"] = gathered[CONDITION].astype(str).agg(", ".join, axis=1)
    check = gathered.merge(recomputed, on=["condition", "outcome"], suffixes=("_gathered", "_recomputed"))
    for col in ("mean", "ci_low", "ci_high"):
        gap = (check[f"{col}_gathered"] - check[f"{col}_recomputed"]).abs().max()
        assert gap < 1e-9, f"summary_table.parquet's {col} disagrees with runs.parquet (by {gap})"
    print(f"summary_table.parquet agrees with runs.parquet ({len(check)} condition-outcome pairs checked).")
# shown as the figures show them: turnout and the shares of residents in percent, indices as they are
table = plots.interval_table(runs, outcomes, by="condition")
table["value"] = table.apply(lambda r: f"{r['mean']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}]", axis=1)
table.pivot(index="condition", columns="outcome", values="value")[outcomes]

# %% [markdown]
# ## 4. The experiment's figures
#
# The figures that `python -m sim collect` writes into the folder's `figures/`, drawn again
# from the tables with the same functions of `sim.plots`: each outcome per condition, and the
# time series per condition (mean and 95 % interval over replicates).

# %%
FIGURE_OUTCOMES = [o for o in ("turnout", "legitimacy", "service_quality", "trust_citizens") if o in runs.columns]
figures = {f"outcome_{o}": plots.conditions(runs, o, CONDITION) for o in FIGURE_OUTCOMES}

# %%
if timeseries is not None and not timeseries.empty and CONDITION[0] in timeseries.columns:
    figures["timeseries"] = plots.conditions_over_time(timeseries, FIGURE_OUTCOMES, CONDITION[0])

# %% [markdown]
# ## 5. More views of the same runs
#
# All key outcomes side by side (legitimacy in its three parts), and a trade-off.

# %%
figures["outcomes"] = plots.design_comparison(runs, outcomes, by="condition")

# %%
figures["tradeoff_turnout_legitimacy"] = plots.tradeoff(runs, "turnout", "legitimacy", by="condition")

# %%
if SAVE_FIGURES:
    out = folder / "figures_notebook"
    for name, fig in figures.items():
        plots.save(fig, out, name)
    print(f"{len(figures)} figures written to {out}")
