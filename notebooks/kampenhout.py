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
# # Kampenhout: the three fears, and what informing does to them
#
# **The case.** Kampenhout (12,528 residents on 1 January 2024) ran *Kleur mee de toekomst*
# (2017-2019), a participatory trajectory for its spatial policy plan, in four steps:
# strengths collected on an online platform and at dialogue evenings, images of the future, an
# analysis by a consultancy, and an ambition note that fed the spatial policy plan. A later
# trajectory (2021-2023) added a site hut, a dialogue market and online comments.
#
# The training day named three fears that hold municipalities back, each with a remedy:
#
# - fear of **complexity** (participation is too difficult, for residents and for the
#   administration); remedy: *inform*, explain the process and the budget; the cost of doing
#   nothing is larger than the threshold;
# - fear of **failure** (a project may go wrong); remedy: no project is flawless, learn and
#   improve next time;
# - fear of **self-interest** (residents only defend their own interest); remedy: give
#   participation a permanent role, which frames the general interest beyond ad hoc ideas.
#
# In the model, residents have a *fear of taking part* (perceived complexity and risk of wasted
# effort); the administration has a fear of complexity (it scales campaigns and outreach down),
# of failure (it raises the bar for adopting proposals) and of self-interest (it discounts
# input from an unrepresentative turnout); the council fears self-interest and losing control.
# This notebook varies each fear and each remedy for the spatial co-design trajectory.
#
# Run all cells from the top; it takes about a minute. Figures show averages with 95 %
# intervals over several simulations (*replicates*) with differently drawn residents.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
REPLICATES = 4  # simulations per variant; 20 give narrower intervals
POPULATION_SCALE = 1.0  # Kampenhout is small enough to simulate every resident
SEED = 0
DESIGN = "spatial_codesign"  # the Kampenhout trajectory; try "participatory_budget" too

# %%
import matplotlib.pyplot as plt
import pandas as pd

import sim
import sim.plots as plots

# %matplotlib inline

pd.set_option("display.precision", 3)
SCALE = [f"run.population_scale={POPULATION_SCALE}"]


def variants(conditions: dict[str, list[str]], **columns: list) -> pd.DataFrame:
    """Run the design under named sets of overrides; one row per variant and replicate.

    ``columns`` adds columns with one value per variant (e.g. the level of a fear), for plotting.
    """
    frames = []
    for i, (name, overrides) in enumerate(conditions.items()):
        df = sim.compare("kampenhout", [DESIGN], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *overrides])
        frames.append(df.assign(variant=name, **{k: v[i] for k, v in columns.items()}))
    return pd.concat(frames, ignore_index=True)


# %% [markdown]
# ## 1. The trajectory
#
# One simulation of the trajectory as configured: an information phase, six months of
# participation (platform and dialogue evenings), a decision, and implementation of what was
# adopted. The last figure shows the fears of residents, administration and council month by
# month.

# %%
trajectory = sim.run("kampenhout", DESIGN, seed=SEED, overrides=SCALE)
fig = plots.outcomes_panel(trajectory.timeseries)

# %%
fig = plots.fears(trajectory.timeseries)

# %% [markdown]
# ## 2. Fear of complexity, and informing first
#
# We vary the residents' average fear of taking part from low (0.2) to high (0.8), with and
# without an information campaign before they are asked to take part (*first inform, then
# involve*).

# %%
FEARS = [0.2, 0.4, 0.6, 0.8]
conditions, fear, inform = {}, [], []
for f in FEARS:
    for first in (False, True):
        conditions[f"fear {f}, inform first: {first}"] = [f"citizens.fear_mean={f}",
                                                          f"design.inform_first={str(first).lower()}"]
        fear.append(f)
        inform.append("yes" if first else "no")
complexity = variants(conditions, fear_of_taking_part=fear, inform_first=inform)
fig = plots.response(complexity, "fear_of_taking_part", "turnout", hue="inform_first")

# %% [markdown]
# Informing lowers the fear itself, not only its effect: the residents' fear at the end of the
# trajectory, against their fear at the start.

# %%
fig = plots.response(complexity, "fear_of_taking_part", "fear_citizens", hue="inform_first")

# %% [markdown]
# How much informing? The intensity of the campaign (0 = none, 1 = full), informing first,
# at the default fear (0.4):

# %%
levels = [0.0, 0.35, 0.7, 1.0]
informing = variants({f"intensity {x}": ["design.inform_first=true", f"design.inform_intensity={x}"]
                      for x in levels}, information_intensity=levels)
fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
for ax, outcome in zip(axes, ("awareness_citizens", "fear_citizens", "turnout"), strict=True):
    plots.response(informing, "information_intensity", outcome, ax=ax)
fig.tight_layout()

# %% [markdown]
# The administration's fear of complexity: a fearful administration runs smaller campaigns
# and less outreach. It saves staff hours, and costs turnout.

# %%
admin_levels = [0.1, 0.5, 0.9]
admin = variants({f"administration's fear {x}": [f"administration.fear_complexity={x}"] for x in admin_levels},
                 administration_fear_of_complexity=admin_levels)
fig = plots.design_comparison(admin, ("turnout", "awareness_citizens", "fear_citizens", "staff_hours"),
                              by="variant", ncols=4)

# %% [markdown]
# *The cost of doing nothing is larger than the threshold*: the trajectory against no
# participation at all, on the same residents.

# %%
nothing = sim.compare("kampenhout", ["none", DESIGN], replicates=REPLICATES, seed=SEED, overrides=SCALE)
plots.differences(nothing, baseline="none")[["design", "outcome", "difference", "ci_low", "ci_high", "verdict"]]

# %% [markdown]
# ## 3. Fear of failure: learn and improve
#
# An administration that fears failure raises the bar for adopting proposals. In the model,
# that fear also *learns*: it falls as projects are delivered and rises when they fail or are
# reopened.

# %%
fail_levels = [0.1, 0.5, 0.9]
failure = variants({f"fear of failure {x}": [f"administration.fear_failure={x}"] for x in fail_levels},
                   administration_fear_of_failure=fail_levels)
fig = plots.design_comparison(failure, ("proposals_adopted", "proposals_implemented", "legitimacy_output",
                                        "trust_citizens", "fear_failure_administration"), by="variant", ncols=3)

# %% [markdown]
# Learning over time: the administration's fear of failure in a trajectory that starts with a
# high fear (0.9), against the default.

# %%
learning = []
for start in (0.4, 0.9):
    for replicate, seed in enumerate(sim.replicate_seeds(SEED, REPLICATES)):
        ts = sim.run("kampenhout", DESIGN, seed=seed, overrides=[*SCALE, f"administration.fear_failure={start}"])
        learning.append(ts.timeseries.assign(start=f"fear of failure at start {start}", replicate=replicate))
fig = plots.timeline(pd.concat(learning), "fear_failure_administration", hue="start")

# %% [markdown]
# ## 4. Fear of self-interest: a permanent role
#
# The same trajectory once (ad hoc) or as a permanent, yearly process, with an administration
# and council that fear self-interest little (0.2) or much (0.8). The *general-interest share*
# is the share of proposals that serve the general rather than a private interest.

# %%
conditions = {}
for permanent in (False, True):
    for f in (0.2, 0.8):
        name = f"{'permanent' if permanent else 'ad hoc'}, fear of self-interest {f}"
        conditions[name] = [f"design.permanent={str(permanent).lower()}", f"administration.fear_self_interest={f}",
                            f"council.fear_self_interest={f}"]
self_interest = variants(conditions)
fig = plots.design_comparison(self_interest, ("general_interest_share", "fear_self_interest_administration",
                                              "fear_self_interest_council", "proposals_adopted", "turnout",
                                              "legitimacy"), by="variant", ncols=3)

# %% [markdown]
# ## For discussion
#
# - How much of the turnout lost to fear does informing first win back, at low and at high
#   fear?
# - A fearful administration saves staff hours. Is it worth it?
# - Why does a permanent role lower the fear of self-interest in the model? (Hint: look at
#   the general-interest share of proposals over the years.)
#
# To explore further: set `DESIGN = "participatory_budget"`, raise `REPLICATES`, or change
# other levers (see `docs/parameters.md`).
