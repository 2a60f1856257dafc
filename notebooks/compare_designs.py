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
# # Which participation design suits my municipality?
#
# This notebook compares the participation designs of the model for one municipality: one
# of the presets (Geel, Kampenhout, District Antwerpen or a generic Flemish municipality) or
# your own, described by a few numbers. For each design it simulates the municipality several
# times and shows what the design does to
#
# - **turnout**: how many residents take part in a cycle;
# - **legitimacy**, in its three parts: *input* (how many take part and how representative
#   they are), *throughput* (transparency, feedback, stability and fairness of the process) and
#   *output* (what is delivered against what was promised);
# - **trust** of residents in their local government;
# - **service quality**: the quality of the local public goods and services actually delivered.
#
# It ends with a plain-language table of what each design does better and worse than doing
# nothing.
#
# **How to use it.** Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). To
# change the municipality or the number of simulations, edit the next cell and run everything
# again. You do not need to change anything else.
#
# **How to read the results.** Each simulation draws a different population of residents
# (their ages, education, trust, social ties) and different chance events. We therefore run
# every design several times (*replicates*) and show the average with a **95 % interval**: the
# range in which the average would most likely fall if we ran many more simulations. When
# the intervals of two designs do not overlap, the difference is not an accident of the draw.
# Every design is run on the same drawn residents (replicate 1 of each design has the same
# residents, and so on), which makes the comparisons sharper.
#
# The numbers are indices between 0 and 1 (turnout in percent). They are for comparing
# designs within this model, not forecasts; the model and its sources are described in
# `docs/model.md` and `docs/sources.md`.

# %% tags=["parameters"]
# --- Settings: change these and run all cells again ------------------------------------------
SCENARIO = "kampenhout"  # one of: "generic", "geel", "kampenhout", "antwerp_district"

# Or describe your own municipality (this replaces SCENARIO): set MY_MUNICIPALITY to a dict, e.g.
# MY_MUNICIPALITY = {"name": "my_town", "population": 18_000, "annual_budget_eur": 30_000_000,
#                    "citizens_budget_eur": 120_000, "initial_trust": 0.30}
# It starts from the generic Flemish municipality and changes the numbers you give.
MY_MUNICIPALITY = None

DESIGNS = ["none", "consultation", "tokenistic_consultation", "ideas_platform", "participatory_budget",
           "spatial_codesign", "citizens_panel", "coproduction"]
REPLICATES = 8  # simulations per design; 20 or more give narrower intervals
POPULATION_SCALE = 1.0  # share of residents simulated; 1.0 = every resident (use 0.2 for large cities)
SEED = 0  # change it to draw another set of residents

# %%
import pandas as pd

import sim
import sim.plots as plots

# %matplotlib inline

pd.set_option("display.precision", 3)

# %% [markdown]
# ## 1. The municipality
#
# The settings above become *overrides* of the model's configuration: small instructions of
# the form `key=value`. Every key is listed, with its meaning and allowed range, in
# `docs/parameters.md`.

# %%
overrides = [f"run.population_scale={POPULATION_SCALE}"]
scenario = SCENARIO
if MY_MUNICIPALITY:
    scenario = "generic"
    overrides += [f"scenario.{key}={value}" for key, value in MY_MUNICIPALITY.items()]

config = sim.compose_config(scenario, "participatory_budget", overrides=overrides)
s = config.scenario
print(f"{s.name}: {s.population:,} residents in {len(s.neighbourhoods)} neighbourhoods, "
      f"{round(s.population * POPULATION_SCALE):,} simulated; yearly budget EUR {s.annual_budget_eur:,.0f}, "
      f"citizens' budget EUR {s.citizens_budget_eur:,.0f} every {s.budget_cycle_months} months; "
      f"{s.initial_trust:.0%} of residents trust the local government.")

# %% [markdown]
# ## 2. Simulate every design
#
# `sim.compare` runs each design `REPLICATES` times over a six-year council term (72 months)
# and returns one row per simulation with its outcomes. This takes about half a minute.

# %%
runs = sim.compare(scenario=scenario, designs=DESIGNS, replicates=REPLICATES, seed=SEED, overrides=overrides)
runs[["design", "replicate", "turnout", "legitimacy", "trust_citizens", "service_quality"]].head(10)

# %% [markdown]
# ## 3. The outcomes side by side
#
# Each dot is the average over the replicates, each bar its 95 % interval. *Turnout* is the
# share of residents taking part in a cycle, averaged over the cycles of the term; the other
# outcomes are their values at the end of the term.

# %%
fig = plots.design_comparison(runs)

# %% [markdown]
# The same numbers as a table: the average and, in brackets, the 95 % interval.

# %%
table = plots.interval_table(runs)
table["value"] = table.apply(lambda r: f"{r['mean']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}]", axis=1)
table.pivot(index="design", columns="outcome", values="value").reindex(DESIGNS)[list(plots.KEY_OUTCOMES)]

# %% [markdown]
# ## 4. Trade-offs
#
# A design rarely wins on everything. The next two figures put two outcomes against each
# other: a design up and to the right does better on both.

# %%
fig = plots.tradeoff(runs, "turnout", "legitimacy")

# %%
fig = plots.tradeoff(runs, "legitimacy_throughput", "service_quality")

# %% [markdown]
# ## 5. Over time
#
# How legitimacy and trust develop month by month, for a few designs (here with fewer
# replicates, to keep it quick). The shaded band is the 95 % interval.

# %%
seeds = sim.replicate_seeds(SEED, 3)
series = []
for design in ["none", "tokenistic_consultation", "ideas_platform", "participatory_budget"]:
    for replicate, seed in enumerate(seeds):
        ts = sim.run(scenario, design, seed=seed, overrides=overrides).timeseries
        series.append(ts.assign(design=design, replicate=replicate))
series = pd.concat(series, ignore_index=True)
fig = plots.timeline(series, "legitimacy")
fig = plots.timeline(series, "trust_citizens")

# %% [markdown]
# ## 6. In plain words: what each design does better and worse than doing nothing
#
# For each design and outcome we compare with the baseline *none* (no participation), on the
# same drawn residents. *Better* or *worse* means the whole 95 % interval of the difference
# lies on one side of zero; *about the same* means the difference is negligible (below 0.01
# on a 0-1 index, or 0.1 percentage points of turnout); *no clear difference* means the
# simulations cannot tell.

# %%
diff = plots.differences(runs, baseline="none")
names = {o: plots.label(o).split(" (")[0] for o in plots.KEY_OUTCOMES}


def summarise(g: pd.DataFrame) -> pd.Series:
    def which(verdict: str) -> str:
        return ", ".join(names[o] for o in g.loc[g["verdict"] == verdict, "outcome"]) or "-"

    return pd.Series({"better than no participation": which("better"),
                      "worse than no participation": which("worse"),
                      "about the same": which("about the same"),
                      "no clear difference": which("no clear difference")})


plain = diff.groupby("design", sort=False)[["outcome", "verdict"]].apply(summarise)
plain.style.set_properties(**{"text-align": "left", "white-space": "pre-wrap"})

# %% [markdown]
# The differences behind the table (in the units of the outcome; turnout in percentage
# points):

# %%
diff.pivot(index="design", columns="outcome", values="difference")[list(plots.KEY_OUTCOMES)].round(3)

# %% [markdown]
# ## What next
#
# - **More certainty**: set `REPLICATES = 20` (or more) and run again; the intervals shrink
#   roughly with the square root of the number of replicates.
# - **Full scale for a large city**: District Antwerpen has about 196,000 residents; with
#   `POPULATION_SCALE = 1.0` each simulation takes a few seconds. Outcomes are shares and
#   indices, so a smaller scale gives comparable results with more noise.
# - **Change a design**: any lever can be set, for all designs at once, by adding an override
#   to `overrides`, e.g. `overrides.append("design.feedback=0.9")`; see `docs/parameters.md`.
# - **Your own case in depth**: the notebooks `geel`, `kampenhout` and `antwerp_district`
#   walk through the three cases of the training day.
