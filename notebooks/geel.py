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
# # Geel: embedding participation
#
# **The case.** Geel (about 40,800 residents) built participation into its way of working.
# Its ideas platform *idee voor Geel* collected ideas for the multi-year plan 2020-2025: in
# 2019, 805 ideas on postcards and 345 on the web, 1,152 votes on the web and about 50 people at
# a dialogue evening. A participation council (12 village representatives, 2 majority and 2
# opposition councillors) screens ideas for feasibility and general interest. Later came a
# mobility plan, a children's council and a citizens' budget of EUR 100,000 every two years.
# Participation ran online *and* offline.
#
# The training day named four roles of the administration in embedding participation:
#
# - **inspirator**: shows what is possible and how;
# - **continuous factor**: keeps participation going over the years and shows the progress made;
# - **guardian of the framework**: keeps the agreed framework, avoids reopening decisions taken;
# - **preacher of realism**: keeps promises realistic (input that leads to too little is
#   experienced as negative by everyone).
#
# This notebook lets a group explore three questions with the model:
#
# 1. What does an ideas platform feeding the multi-year plan deliver, from idea to project?
# 2. What do online, offline and hybrid channels change, and for whom?
# 3. What does each of the four roles add, and what does it cost?
#
# Run all cells from the top (*Run > Run All Cells*); it takes about a minute. Figures show
# averages with 95 % intervals over several simulations (*replicates*) of the same
# municipality with differently drawn residents.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
POPULATION_SCALE = 0.5  # share of Geel's residents simulated; 1.0 = all 40,781 (slower, less noise)
REPLICATES = 5  # simulations per variant; 20 give narrower intervals
SEED = 0

# %%
import pandas as pd

import sim
import sim.plots as plots

# %matplotlib inline

pd.set_option("display.precision", 3)
SCALE = [f"run.population_scale={POPULATION_SCALE}"]


def variants(design: str, conditions: dict[str, list[str]], label: str, extra: list[str] = ()) -> pd.DataFrame:
    """Run one design under several named sets of overrides; one row per variant and replicate."""
    frames = [sim.compare("geel", [design], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *extra, *o])
              .assign(**{label: name}) for name, o in conditions.items()]
    return pd.concat(frames, ignore_index=True)


# %% [markdown]
# ## 1. The ideas platform, from idea to project
#
# One simulation of the ideas platform over a council term (72 months). The platform is
# permanent: every year residents can post ideas for six months (online and on postcards),
# ideas are screened for feasibility and general interest, some are adopted into the plan and
# carried out as capacity allows.

# %%
platform = sim.run("geel", "ideas_platform", seed=SEED, overrides=SCALE)
ts = platform.timeseries
fig = plots.outcomes_panel(ts)

# %%
fig = plots.proposals(ts)

# %% [markdown]
# How does the first year compare with Geel's 2019 round? The model counts proposals among
# the simulated residents, so we scale them up to the whole of Geel.

# %%
first_year = ts[ts["step"] <= 12]
ideas = first_year["proposals_submitted"].iloc[-1] / POPULATION_SCALE
participants = first_year["participants"].max() / POPULATION_SCALE
print(f"Model, first year: about {ideas:,.0f} ideas from about {participants:,.0f} participants.")
print("Geel 2019: 1,150 ideas (805 on postcards, 345 on the web) and 1,152 web votes.")

# %% [markdown]
# The model's participation rules are calibrated on the turnout of participatory budgets (a
# few percent of residents), not on Geel's ideas. A gap between the two lines above is worth
# discussing: how many ideas does one participant bring, and whom did the postcards reach?

# %% [markdown]
# Who took part, against the population? Each bar pair compares the share of a group among
# participants (summed over the cycles) with its share among residents.

# %%
fig = plots.composition(platform.groups, ts)

# %% [markdown]
# ## 2. Online, offline or both
#
# The same platform with only an online channel, only offline channels (postcards, meetings)
# or both. *Representativeness* is 1 when participants mirror the residents in education,
# age, neighbourhood and online access; the *education bias* is how much more likely the
# highly educated are to take part than the low educated (1 = equally likely).

# %%
channels = variants("ideas_platform", {c: [f"design.channel={c}"] for c in ("online", "offline", "hybrid")},
                    "channel")
fig = plots.design_comparison(channels, ("turnout", "representativeness", "education_bias", "legitimacy_input",
                                         "trust_citizens", "legitimacy"), by="channel", ncols=3)

# %% [markdown]
# Who is missing in each channel: the composition of participants in one simulation with
# only the online and only the offline channel.

# %%
for channel in ("online", "offline"):
    res = sim.run("geel", "ideas_platform", seed=SEED, overrides=[*SCALE, f"design.channel={channel}"])
    fig = plots.composition(res.groups, res.timeseries)
    fig.suptitle(f"Who takes part with the {channel} channel only")

# %% [markdown]
# ## 3. The four roles of the administration
#
# For each role we compare a weak emphasis (0.1) with a strong one (0.9), the other roles
# staying at 0.5. We simulate 96 months, so that the local election (month 69, October 2030)
# and the months after it are included: that is where continuity should show. Staff hours
# are the civil servants' time spent on participation.

# %%
ROLES = {"inspirator": "role_inspirator", "continuous factor": "role_continuity",
         "guardian of the framework": "role_guardian", "preacher of realism": "role_realism"}
runs = []
for role, key in ROLES.items():
    for level in (0.1, 0.9):
        name = f"{role}: {'strong' if level > 0.5 else 'weak'}"
        runs.append(variants("ideas_platform", {name: [f"administration.{key}={level}"]}, "variant",
                             extra=["run.steps=96"]).assign(role=role, emphasis=level))
roles = pd.concat(runs, ignore_index=True)
ROLE_OUTCOMES = ("turnout", "turnout_after_election", "trust_citizens", "legitimacy_throughput",
                 "legitimacy_output", "decisions_reopened", "staff_hours")
fig = plots.design_comparison(roles, ROLE_OUTCOMES, by="variant", ncols=4)

# %% [markdown]
# The effect of each role (strong minus weak, on the same residents), with its 95 % interval
# and a verdict:

# %%
effects = []
for role in ROLES:
    r = roles[roles["role"] == role]
    d = plots.differences(r, baseline=f"{role}: weak", outcomes=ROLE_OUTCOMES, by="variant",
                          lower_is_better=("decisions_reopened", "staff_hours"))
    effects.append(d.assign(role=role))
effects = pd.concat(effects, ignore_index=True)
effects["effect"] = effects.apply(lambda r: f"{r['difference']:+.3g} [{r['ci_low']:+.3g}, {r['ci_high']:+.3g}]"
                                  f" {r['verdict']}", axis=1)
effects.pivot(index="role", columns="outcome", values="effect")[list(ROLE_OUTCOMES)]

# %% [markdown]
# ## 4. An ideas platform, a citizens' budget, or nothing
#
# Geel added a citizens' budget (EUR 100,000 every two years; voters from age 10). Here the
# ideas platform, the citizens' budget and no participation side by side.

# %%
designs = sim.compare("geel", ["none", "ideas_platform", "participatory_budget"], replicates=REPLICATES,
                      seed=SEED, overrides=SCALE)
fig = plots.design_comparison(designs)

# %%
fig = plots.tradeoff(designs, "turnout", "service_quality")

# %% [markdown]
# ## For discussion
#
# - Where does the ideas platform lose people between *submitted*, *adopted* and
#   *implemented*, and what does that do to output legitimacy?
# - Which channel reaches whom? What would a municipality with many older residents without
#   internet choose?
# - Which role would you invest in first, given its cost in staff hours?
#
# To explore further: change `POPULATION_SCALE` to 1.0 for all of Geel, raise `REPLICATES`,
# or try other levers (see `docs/parameters.md`) by adding overrides, e.g.
# `variants("ideas_platform", {"more feedback": ["design.feedback=0.9"]}, "variant")`.
