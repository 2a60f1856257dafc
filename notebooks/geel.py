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
# This notebook lets a group explore four questions with the model:
#
# 1. What does an ideas platform feeding the multi-year plan deliver, from idea to project?
# 2. What do online, offline and hybrid channels change, and for whom?
# 3. What does each of the four roles add, and what does it cost?
# 4. An ideas platform, a citizens' budget, asking and ignoring, or nothing?
#
# **How to read the numbers.** Every resident of Geel is simulated (40,781 people), so counts
# (ideas, participants, staff hours) are for the whole of Geel, as they come out of the model:
# nothing is scaled up or down by hand. Each variant is simulated several times (*replicates*)
# with differently drawn residents; figures and tables show the mean and its 95 % interval over
# the replicates. Replicate r of every variant has the same residents, so differences between
# variants are not differences in who lives in Geel.
#
# Run all cells from the top (*Run > Run All Cells*); it takes about a minute.

# %% tags=["parameters"]
# --- Settings -----------------------------------------------------------------------------------
POPULATION_SCALE = 1.0  # share of Geel's residents simulated; 1.0 = all 40,781 (about 0.5 s per run)
REPLICATES = 5  # simulations per variant; 10 or 20 give narrower intervals (and take longer)
SEED = 0

# %%
import pandas as pd

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

pd.set_option("display.precision", 3)
SCENARIO = "geel"
SCALE = [f"run.population_scale={POPULATION_SCALE}"]
residents = sim.compose_config(SCENARIO, "ideas_platform", overrides=SCALE).scenario.population
simulated = round(residents * POPULATION_SCALE)
if POPULATION_SCALE < 1:
    print(f"SCALED DOWN: {simulated:,} of Geel's {residents:,} residents are simulated ({POPULATION_SCALE:.0%}). "
          "Counts below (ideas, participants, projects, hours) are for these residents only and are NOT scaled "
          "up; budgets stay Geel's, so per resident they are larger than in reality. Shares and means (turnout, "
          "trust) compare across scales.")
else:
    print(f"Every resident is simulated: {simulated:,} residents of {texts.name('scenario', SCENARIO)}; "
          f"{REPLICATES} replicates per variant (root seed {SEED}).")


def replicates(design: str, overrides: list[str] = (), **columns) -> dict:
    """Run REPLICATES replicates of a design (the same seeds as sim.compare) and keep their tables.

    Returns the summaries (one row per replicate) and the time series and group tables (with
    the replicate's scenario, design and seed, so that figures name them). ``columns`` adds
    columns such as ``channel="online"``.
    """
    return sim.replicate_runs(SCENARIO, design, REPLICATES, SEED, [*SCALE, *overrides], **columns)


def variants(design: str, conditions: dict[str, list[str]], label: str, extra: list[str] = ()) -> pd.DataFrame:
    """Summaries of one design under several named sets of overrides; one row per variant and replicate."""
    frames = [sim.compare(SCENARIO, [design], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *extra, *o])
              .assign(**{label: name}) for name, o in conditions.items()]
    return pd.concat(frames, ignore_index=True)


def interval(values, digits: int = 0) -> str:
    """Mean and 95 % interval over replicates, in words: 'mean [low, high]'."""
    values = pd.Series(values, dtype=float)
    low, high = plots.t_interval(values)
    return f"{values.mean():,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def in_words(table: pd.DataFrame) -> pd.DataFrame:
    """A verdicts table (sim.experiments.answers.verdicts) with outcomes named in words instead of column names."""
    return table.assign(outcome=table["outcome"].map(plots.label))


# %% [markdown]
# ## 1. The ideas platform, from idea to project
#
# The ideas platform over a council term (72 months). The platform is permanent: every year
# residents can post ideas for six months (online and on postcards), ideas are screened for
# feasibility and general interest, some are adopted into the plan and carried out as
# capacity allows; some come late, and a few are dropped without being carried out. The
# figures show the mean and 95 % interval over the replicates; grey bands are the months
# residents can post ideas, dotted lines the decisions, the red dashed line the local election
# (October 2030).

# %%
platform = replicates("ideas_platform")
fig = plots.outcomes_panel(platform["timeseries"])

# %%
fig = plots.proposals(platform["timeseries"])

# %% [markdown]
# How does the first year compare with Geel's 2019 round? The model counts ideas and
# participants among all of Geel's simulated residents:

# %%
first_year = platform["timeseries"][platform["timeseries"]["step"] <= 12].groupby("replicate")
print(f"Model, first year: {interval(first_year['proposals_submitted'].max())} ideas from "
      f"{interval(first_year['participants'].max())} participants (mean [95 % interval] over {REPLICATES} "
      "replicates).")
print("Geel 2019: 1,150 ideas (805 on postcards, 345 on the web) and 1,152 web votes.")

# %% [markdown]
# The model's participation rules are calibrated on the turnout of participatory budgets (a
# few percent of residents), not on Geel's ideas. A gap between the two lines above is worth
# discussing: how many ideas does one participant bring, and whom did the postcards reach?

# %% [markdown]
# Who took part, against the population? Each bar pair compares the share of a group among
# participants (counted at every decision, pooled over the replicates) with its share among
# residents.

# %%
fig = plots.composition(platform["groups"], platform["timeseries"])

# %% [markdown]
# ## 2. Online, offline or both
#
# The same platform with only an online channel, only offline channels (postcards, meetings)
# or both. *Representativeness* is 1 when participants mirror the residents in education,
# age, neighbourhood, online access and the other characteristics the model gives residents;
# the *education bias* is how much more likely the highly educated are to take part than the
# low educated (1 = equally likely).

# %%
by_channel = {c: platform if c == "hybrid" else replicates("ideas_platform", [f"design.channel={c}"])
              for c in ("online", "offline", "hybrid")}
channels = pd.concat([runs["summary"].assign(channel=c) for c, runs in by_channel.items()], ignore_index=True)
fig = plots.design_comparison(channels, ("turnout", "representativeness", "education_bias", "legitimacy_input",
                                         "trust_citizens", "legitimacy"), by="channel", ncols=3)

# %% [markdown]
# Who is missing in each channel: the composition of participants with only the online and
# only the offline channel (pooled over the replicates).

# %%
for channel in ("online", "offline"):
    fig = plots.composition(by_channel[channel]["groups"], by_channel[channel]["timeseries"])
    fig.suptitle(f"Who takes part with the {channel} channel only\n{plots.context(by_channel[channel]['groups'])}")

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
#: Thresholds of what matters for the outcomes sim.experiments.answers has none for (one decision, 100 staff hours).
ROLE_THRESHOLDS = {"turnout_after_election": 0.5, "decisions_reopened": 1.0, "staff_hours": 100.0}
ROLE_OUTCOMES = ("turnout", "turnout_after_election", "trust_citizens", "legitimacy_throughput",
                 "legitimacy_output", "decisions_reopened", "staff_hours")
fig = plots.design_comparison(roles, ROLE_OUTCOMES, by="variant", ncols=4)

# %% [markdown]
# The effect of each role (strong minus weak, on the same residents), with its 95 % interval
# over the replicates and a verdict (`sim.experiments.answers.verdicts`, as in the policymakers' notebook):
# *better* or *worse* only when the effect reaches the threshold of what matters (0.5
# percentage points of turnout, 2 percentage points of residents who trust the municipality or
# agree with a legitimacy item, one reopened decision, 100 staff hours) and the whole interval
# is on one side of zero; otherwise *no clear difference*. Fewer reopened decisions and fewer
# staff hours count as better. Shares of residents are in percentage points.

# %%
effects = []
for role in ROLES:
    r = roles[roles["role"] == role]
    d = answers.verdicts(r, baseline=f"{role}: weak", outcomes=ROLE_OUTCOMES, by="variant",
                         thresholds=ROLE_THRESHOLDS, lower_is_better=("decisions_reopened", "staff_hours"))
    effects.append(d.assign(role=role))
effects = in_words(pd.concat(effects, ignore_index=True))
effects["effect"] = effects.apply(lambda r: f"{r['difference']:+.3g} [{r['ci_low']:+.3g}, {r['ci_high']:+.3g}]"
                                  f" {r['verdict']}", axis=1)
effects.pivot(index="role", columns="outcome", values="effect")[[plots.label(o) for o in ROLE_OUTCOMES]]

# %% [markdown]
# What each role does in the model; read the sizes, and whether they matter, from the table
# above. The directions below are the model's rules: its verification checks
# (`docs/validation/report.md`, T9, L5-L9) confirm that the model does what its rules say, which
# is not evidence that Geel works that way.
#
# - a strong **continuous factor** keeps participation running after the election (with a
#   weak one the new council pauses it and residents forget the process), reports how earlier
#   promises fared (more kept than broken raises the shares who trust the municipality and who
#   are satisfied with what it delivers, more broken lowers them) and strengthens the feedback
#   to participants;
# - a strong **inspirator** makes more residents aware of the process and, while informing,
#   more of them feel they can influence the municipality, at a cost in staff hours;
# - a strong **guardian of the framework** means fewer decisions reopened; a reopened decision
#   is bad news for its supporters and their ties on the trust and fairness items. Geel's
#   council seldom reopens a decision, so there is little for the guardian to prevent;
# - a strong **preacher of realism** promises no more than budget and capacity allow, and
#   takes up little more advice than capacity can carry out. Residents in the model judge
#   mostly by what was done and partly against what was promised, so realism protects
#   participants' trust where promises are inflated. In the comparison above the promises
#   are honest, so that protection has little to act on.
#
# Few residents take part in a term compared with Geel's 40,000, so in the model no role moves
# the share of all residents who trust the municipality by as much as the 2-point threshold:
# the roles show in who hears of the platform, who takes part and what is adopted.

# %% [markdown]
# ## 4. An ideas platform, a citizens' budget, asking and ignoring, or nothing
#
# Geel added a citizens' budget (EUR 100,000 every two years; voters from age 10). Here the
# ideas platform, the citizens' budget, a *tokenistic consultation* (residents are asked for
# input once, little is done with it and little is reported back) and no participation side
# by side, on the same residents.

# %%
designs = pd.concat([sim.compare(SCENARIO, ["none", "tokenistic_consultation"], replicates=REPLICATES, seed=SEED,
                                 overrides=SCALE), platform["summary"],
                     sim.compare(SCENARIO, ["participatory_budget"], replicates=REPLICATES, seed=SEED,
                                 overrides=SCALE)], ignore_index=True)
fig = plots.design_comparison(designs)

# %%
fig = plots.tradeoff(designs, "turnout", "service_quality")

# %% [markdown]
# Each design against no participation (paired on the same residents; shares of residents in
# percentage points). Turnout is left out: without participation it is zero by definition.

# %%
AGAINST_NOTHING = ("trust_citizens", "legitimacy_input", "legitimacy_throughput", "legitimacy_output",
                   "service_quality")
against_nothing = answers.verdicts(designs, baseline="none", outcomes=AGAINST_NOTHING)
in_words(against_nothing)[["design", "outcome", "difference", "ci_low", "ci_high", "verdict"]].replace(
    {"design": {d: texts.name("design", d) for d in designs["design"].unique()}})

# %% [markdown]
# **Asking and ignoring.** The tokenistic consultation against no participation, on the share of
# residents who trust the municipality, in the words of the verdict above:

# %%
token = against_nothing.set_index(["design", "outcome"]).loc[("tokenistic_consultation", "trust_citizens")]
print(f"Token consultation against no participation: {token['difference']:+.2f} percentage points of residents "
      f"who trust the municipality [{token['ci_low']:+.2f}, {token['ci_high']:+.2f}]: {token['verdict']} "
      f"({texts.phrase('reason_' + token['reason'])}).")

# %% [markdown]
# In the model, input that is asked for and ignored is bad news for those who gave it, and the
# local news tells some of the others how little was done; memory then pulls residents back
# toward where they started. Whether that adds up to a difference that matters depends on how
# many residents were asked and on effect sizes no study has measured (docs/evidence/
# perceptions.md): at Geel a token consultation reaches about a hundred residents in a term,
# and the verdict above says whether the model finds a difference of 2 points or more. The
# model's rules guarantee the direction (verification checks L1 and L2), not the size.
#
# Do not read the line *trust of those who took part* in the trust figures as an effect of
# taking part: the residents who take part start out more trusting than the average resident,
# so their line is higher under any design. The dashboard's matched comparison follows the same
# residents under two designs.
#
# Legitimacy is what residents perceive: the shares who feel involved, who find decisions fair
# and open, and who are satisfied with what the municipality delivers. No design is given a
# value for running a process: a consultation earns a difference only through what its
# participants, their ties and the readers of the local news experience, and every design has
# the same project money, so what is delivered does not depend on extra money.

# %% [markdown]
# ## For discussion
#
# - Where does the ideas platform lose people between *submitted*, *adopted* and
#   *implemented*, and what does that do to the share of residents satisfied with what the
#   municipality delivers?
# - Which channel reaches whom? What would a municipality with many older residents without
#   internet choose?
# - Which role would you invest in first, given its cost in staff hours?
# - Asking and ignoring: what does the model show at Geel's scale, and what would you expect in
#   Geel? What would have to be true (more residents asked, more news, a longer memory) for it
#   to matter?
#
# To explore further: raise `REPLICATES`, or try other levers (see `docs/parameters.md`) by
# adding overrides, e.g. `replicates("ideas_platform", ["design.feedback=0.9"])`. A
# `POPULATION_SCALE` below 1.0 runs faster but simulates only part of Geel: the notebook then
# says so, and its counts are for that part only.
