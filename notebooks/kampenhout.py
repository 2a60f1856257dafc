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
# of failure (its screening lets fewer risky proposals through) and of self-interest (it screens
# out more proposals when turnout is unrepresentative); the council fears self-interest and
# losing control (both make it follow less of residents' advice; the fear of losing control
# counts only where part of residents' decisions bind the council, which this trajectory, where
# residents advise, does not do). This notebook varies each fear and each remedy for the spatial co-design trajectory.
#
# **How to read the numbers.** Every resident of Kampenhout is simulated (12,528 people), so
# counts (participants, proposals, staff hours) are for the whole municipality, as they come out
# of the model: nothing is scaled up or down by hand. Each variant is simulated several times
# (*replicates*) with differently drawn residents; figures and tables show the mean and its
# 95 % interval over the replicates. Replicate r of every variant has the same residents, so
# differences between variants are not differences in who lives in Kampenhout.
#
# Run all cells from the top (*Run > Run All Cells*); it takes under a minute.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
REPLICATES = 5  # simulations per variant; 10 or 20 give narrower intervals (and take longer)
POPULATION_SCALE = 1.0  # share of the residents simulated; 1.0 = all 12,528 (about 0.2 s per run)
SEED = 0
DESIGN = "spatial_codesign"  # the Kampenhout trajectory; try "participatory_budget" too

# %%
import matplotlib.pyplot as plt
import pandas as pd

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

pd.set_option("display.precision", 3)
SCENARIO = "kampenhout"
SCALE = [f"run.population_scale={POPULATION_SCALE}"]
residents = sim.compose_config(SCENARIO, DESIGN, overrides=SCALE).scenario.population
simulated = round(residents * POPULATION_SCALE)
if POPULATION_SCALE < 1:
    print(f"SCALED DOWN: {simulated:,} of Kampenhout's {residents:,} residents are simulated "
          f"({POPULATION_SCALE:.0%}). Counts below (participants, proposals, hours) are for these residents only "
          "and are NOT scaled up. Shares and means (turnout, trust, fears) compare across scales.")
else:
    print(f"Every resident is simulated: {simulated:,} residents of {texts.name('scenario', SCENARIO)}; "
          f"{REPLICATES} replicates per variant (root seed {SEED}).")


def replicate_series(overrides: list[str] = (), design: str = DESIGN, **columns) -> pd.DataFrame:
    """The time series of REPLICATES replicates (the same seeds as sim.compare), one after the other.

    Each row carries its run's scenario, design and seed, so that figures name them; ``columns``
    adds columns such as ``start="..."``.
    """
    return sim.replicate_runs(SCENARIO, design, REPLICATES, SEED, [*SCALE, *overrides], **columns)["timeseries"]


def variants(conditions: dict[str, list[str]], **columns: list) -> pd.DataFrame:
    """Run the design under named sets of overrides; one row per variant and replicate.

    ``columns`` adds columns with one value per variant (e.g. the level of a fear), for plotting.
    """
    frames = []
    for i, (name, overrides) in enumerate(conditions.items()):
        df = sim.compare(SCENARIO, [DESIGN], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *overrides])
        frames.append(df.assign(variant=name, **{k: v[i] for k, v in columns.items()}))
    return pd.concat(frames, ignore_index=True)


# %% [markdown]
# ## 1. The trajectory
#
# The trajectory as configured: an information phase, six months of participation (platform
# and dialogue evenings), a decision, and implementation of what was adopted (mean and 95 %
# interval over the replicates; grey bands are the months residents take part, dotted lines
# the decisions, the red dashed line the local election). The last figure shows the fears of
# residents, administration and council month by month.

# %%
trajectory = replicate_series()
fig = plots.outcomes_panel(trajectory)

# %%
fig = plots.fears(trajectory)

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
FEAR = "residents' fear at the start (index 0-1)"
complexity = variants(conditions, **{FEAR: fear, "informed first": inform})
fig = plots.response(complexity, FEAR, "turnout", hue="informed first")

# %% [markdown]
# Informing lowers the fear itself, not only its effect: the residents' fear at the end of the
# trajectory, against their fear at the start.

# %%
fig = plots.response(complexity, FEAR, "fear_citizens", hue="informed first")

# %% [markdown]
# How much informing? The intensity of the campaign (0 = none, 1 = full), informing first,
# at the default fear (0.4):

# %%
levels = [0.0, 0.35, 0.7, 1.0]
informing = variants({f"intensity {x}": ["design.inform_first=true", f"design.inform_intensity={x}"]
                      for x in levels}, **{"intensity of the information campaign (0-1)": levels})
fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
for ax, outcome in zip(axes, ("awareness_citizens", "fear_citizens", "turnout"), strict=True):
    plots.response(informing, "intensity of the information campaign (0-1)", outcome, ax=ax)
fig.tight_layout()

# %% [markdown]
# The administration's fear of complexity: a fearful administration runs smaller campaigns
# (and, where a design invites groups in person, less outreach; this trajectory is an open
# call). It saves staff hours, and costs turnout.

# %%
admin_levels = [0.1, 0.5, 0.9]
admin = variants({f"administration's fear {x}": [f"administration.fear_complexity={x}"] for x in admin_levels})
fig = plots.design_comparison(admin, ("turnout", "awareness_citizens", "fear_citizens", "staff_hours"),
                              by="variant", ncols=4)

# %% [markdown]
# *The cost of doing nothing is larger than the threshold*: the trajectory against no
# participation at all, on the same residents: the shares of residents who trust the
# municipality and who agree with each legitimacy item, in percentage points, and service
# quality, with the verdict of `sim.experiments.answers.verdicts` (2 points of residents, 0.02 of
# the quality index).

# %%
OUTCOMES = ("trust_citizens", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy",
            "service_quality")
nothing = sim.compare(SCENARIO, ["none", DESIGN], replicates=REPLICATES, seed=SEED, overrides=SCALE)
table = answers.verdicts(nothing, baseline="none", outcomes=OUTCOMES)
table.assign(design=table["design"].map(lambda d: texts.name("design", d)), outcome=table["outcome"].map(plots.label))[
    ["design", "outcome", "difference", "ci_low", "ci_high", "verdict"]]

# %% [markdown]
# ## 3. Fear of failure: learn and improve
#
# An administration that fears failure lets fewer risky proposals through its screening. In the
# model, that fear also *learns*: it falls as projects are delivered and rises when they come
# late, are dropped after the decision or are reopened.

# %%
fail_levels = [0.1, 0.5, 0.9]
failure = variants({f"fear of failure {x}": [f"administration.fear_failure={x}"] for x in fail_levels})
fig = plots.design_comparison(failure, ("proposals_adopted", "proposals_implemented", "legitimacy_output",
                                        "trust_citizens", "fear_failure_administration"), by="variant", ncols=3)

# %% [markdown]
# A fearful administration against a confident one, on the same residents (the same verdict rule):

# %%
fear_verdicts = answers.verdicts(failure, baseline="fear of failure 0.1", by="variant",
                                 outcomes=("legitimacy_output", "trust_citizens"))
fear_verdicts.assign(outcome=fear_verdicts["outcome"].map(plots.label))[
    ["variant", "outcome", "difference", "ci_low", "ci_high", "verdict"]]

# %% [markdown]
# Learning over time: the administration's fear of failure in a trajectory that starts with a
# high fear (0.9), against the default.

# %%
learning = pd.concat([replicate_series([f"administration.fear_failure={start}"],
                                      start=f"fear of failure at the start {start}") for start in (0.4, 0.9)],
                     ignore_index=True)
fig = plots.timeline(learning, "fear_failure_administration", hue="start")

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
