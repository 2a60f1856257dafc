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
# # District Antwerpen: the participatory budget
#
# **The case.** District Antwerpen (about 196,000 residents, the historic centre of the city of
# Antwerp) runs the largest participatory budget in Belgium: since 2014, 10 % of the district
# budget (EUR 1.1 million, EUR 1.4 million from 2019), every year. Residents choose themes,
# split the budget over them, submit projects and vote (from age 13); the projects chosen are
# carried out the next year, by the residents who proposed them or by the district. 60
# projects were funded in 2016, 72 in 2017, and 78 of 161 submitted in 2018.
#
# The training day stressed **first inform, then involve**: residents are first told about the
# local budget (and how it compares with similar places), then involved in deciding on it.
#
# This notebook looks at three questions:
#
# 1. What does informing first change?
# 2. Who takes part, and does targeted outreach change that?
# 3. What gets built, and where? Does the rule that turns votes into funded projects matter?
#
# Run all cells from the top; it takes about a minute. Figures show averages with 95 %
# intervals over several simulations (*replicates*) with differently drawn residents.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
POPULATION_SCALE = 0.25  # share of the district's residents simulated; 1.0 = all (a few seconds per run)
REPLICATES = 4  # simulations per variant; 20 give narrower intervals
SEED = 0

# %%
import matplotlib.pyplot as plt
import pandas as pd

import sim
import sim.plots as plots

# %matplotlib inline

pd.set_option("display.precision", 3)
BUDGET = sim.compose_config("antwerp_district", "participatory_budget").scenario.citizens_budget_eur
# With a share of the residents we also give them that share of the budget, so that the budget
# per resident, and with it the number of projects per resident, stays as in the real district.
SCALE = [f"run.population_scale={POPULATION_SCALE}", f"scenario.citizens_budget_eur={BUDGET * POPULATION_SCALE}"]


def variants(conditions: dict[str, list[str]], design: str = "participatory_budget") -> pd.DataFrame:
    """Run a design under named sets of overrides; one row per variant and replicate."""
    return pd.concat([sim.compare("antwerp_district", [design], replicates=REPLICATES, seed=SEED,
                                  overrides=[*SCALE, *o]).assign(variant=name) for name, o in conditions.items()],
                     ignore_index=True)


# %% [markdown]
# ## 1. First inform, then involve
#
# The participatory budget as configured informs residents for two months before each yearly
# round opens. We compare it with the same budget without that information phase.

# %%
inform = variants({"inform first": ["design.inform_first=true"], "no information phase":
                   ["design.inform_first=false"]})
fig = plots.design_comparison(inform, ("turnout", "turnout_first_cycle", "fear_citizens", "awareness_citizens",
                                       "legitimacy_input", "trust_citizens"), by="variant", ncols=3)

# %% [markdown]
# Month by month, for one replicate of each: awareness of the budget, fear of taking part and
# turnout.

# %%
series = []
for name, flag in (("inform first", "true"), ("no information phase", "false")):
    res = sim.run("antwerp_district", "participatory_budget", seed=SEED,
                  overrides=[*SCALE, f"design.inform_first={flag}"])
    series.append(res.timeseries.assign(variant=name))
series = pd.concat(series, ignore_index=True)
fig, axes = plt.subplots(1, 3, figsize=(16, 4.2))
for ax, column in zip(axes, ("awareness_citizens", "fear_citizens", "turnout"), strict=True):
    plots.timeline(series, column, hue="variant", ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 2. Who takes part
#
# An open call draws those with time, skills and interest (Verba, Schlozman and Brady's
# resources, engagement and recruitment). Below: participants against the population by
# education, age, neighbourhood and online access, in one simulation of the open budget.

# %%
pb = sim.run("antwerp_district", "participatory_budget", seed=SEED, overrides=SCALE)
fig = plots.composition(pb.groups, pb.timeseries)

# %% [markdown]
# Targeted outreach invites under-represented groups personally. *Representativeness* is 1
# when participants mirror the residents; the *education bias* is how much more likely the
# highly than the low educated take part (1 = equally likely).

# %%
who = variants({"open call": ["design.selection=open"],
                "targeted outreach": ["design.selection=targeted", "design.outreach=0.6"]})
fig = plots.design_comparison(who, ("turnout", "representativeness", "education_bias", "legitimacy_input"),
                              by="variant", ncols=4)

# %% [markdown]
# ## 3. What gets built
#
# Proposals from idea to delivery over the six years, in one simulation, and the yearly
# numbers scaled up to the whole district, beside the district's own figures.

# %%
fig = plots.proposals(pb.timeseries)

# %%
ts = pb.timeseries
decided = ts[ts["phase"] == "decide"][["step", "proposals_submitted", "proposals_adopted"]]
per_year = decided.set_index("step").diff().fillna(decided.set_index("step")) / POPULATION_SCALE
per_year.index = [f"round {i + 1} (month {m})" for i, m in enumerate(per_year.index)]
per_year.round(0).astype(int).rename(columns={"proposals_submitted": "submitted (whole district)",
                                              "proposals_adopted": "funded (whole district)"})

# %% [markdown]
# District Antwerpen: 60 projects funded in 2016, 72 in 2017, 78 of 161 submitted in 2018.
#
# **Where.** How much better the services are, per neighbourhood, after six years of the
# participatory budget than without it (the same residents and starting quality), for two
# rules that turn votes into funded projects: *greedy* funds the most voted projects until the
# budget is spent; *equal shares* gives every voter an equal share of the budget to spend on
# the projects they voted for, which spreads projects over more groups of voters.

# %%
frames = {}
for rule in ("greedy", "equal_shares"):
    res = sim.run("antwerp_district", "participatory_budget", seed=SEED,
                  overrides=[*SCALE, f"design.allocation_rule={rule}"])
    frames[rule] = plots.neighbourhood_frame(res.model)
baseline = plots.neighbourhood_frame(sim.run("antwerp_district", "none", seed=SEED, overrides=SCALE).model)
fig = plots.neighbourhood_gain(frames, baseline)

# %%
rules = variants({"greedy": ["design.allocation_rule=greedy"], "equal shares": ["design.allocation_rule=equal_shares"]})
fig = plots.design_comparison(rules, ("proposals_adopted", "budget_spent", "service_quality",
                                      "service_quality_equity", "trust_citizens", "legitimacy_output"),
                              by="variant", ncols=3)

# %% [markdown]
# ## For discussion
#
# - How much turnout does the information phase buy, and in which year does it matter most?
# - Who is missing from the open call? Is outreach worth its cost, or would a panel drawn by
#   lot (`design=citizens_panel`) be the better complement?
# - Which neighbourhoods gain from the budget, and does the allocation rule change that?
#
# To run the whole district, set `POPULATION_SCALE = 1.0` (each simulation then takes a few
# seconds); raise `REPLICATES` for narrower intervals.
