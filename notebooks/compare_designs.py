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
# your own, described in a small file. For each design it simulates the municipality several
# times and shows what the design does to
#
# - **turnout**: how many residents take part in a round, and **who** takes part (and who is
#   left out) by education, age, gender, migration background and income;
# - **legitimacy** as residents perceive it, in its three parts, each the share of residents
#   who agree with a survey item: *input* ("The municipality involves its residents
#   sufficiently": residents who feel involved), *throughput* ("Decisions in my municipality
#   are taken in a fair and open way") and *output* ("I am satisfied with what the
#   municipality delivers"), and overall (their mean);
# - **trust**: the share of residents who agree "I have (a lot of) trust in the municipal
#   government" (the Gemeente-Stadsmonitor's item: 29 % in the average Flemish municipality in
#   2023), and **efficacy**: the share who agree "People like me can influence what the
#   municipality does";
# - **service quality**: the quality of the local public goods and services actually delivered;
# - **what it costs**: the project money spent (every design has the same project money: without
#   participation the council spends it on its own projects) plus staff hours and euros,
#   residents' hours apart, cost per participant and per delivered project.
#
# It ends with a plain-language table of what each design does better and worse than doing
# nothing, with the threshold of what counts as a difference shown and open to change.
#
# **How to use it.** Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). To
# change the municipality, the number of simulations or the thresholds, edit the next cell and
# run everything again. You do not need to change anything else. The same comparison as a file
# for your council, in Dutch or English: `python -m sim report scenario=geel` (or
# `municipality=my_file.yaml`), see the README.
#
# **How to read the results.** Each simulation draws a different population of residents
# (their ages, education, trust, social ties) and different chance events. We therefore run
# every design several times (*replicates*) and show the average with a **95 % interval**: the
# range in which the average would most likely fall if we ran many more simulations. Every
# design is run on the same drawn residents (replicate 1 of each design has the same
# residents, and so on), which makes the comparisons sharper.
#
# Turnout and the shares of residents are in percent; representativeness and service quality
# are indices between 0 and 1. The numbers are for comparing designs within this model, not
# forecasts; the model and its sources are described in
# `docs/model.md` and `docs/sources.md`, and the validation report
# (`docs/validation/report.md`) says which published patterns the model reproduces and which
# it misses.

# %% tags=["parameters"]
# --- Settings: change these and run all cells again ------------------------------------------
SCENARIO = "kampenhout"  # one of: "generic", "geel", "kampenhout", "antwerp_district"

# Or describe your own municipality (this replaces SCENARIO): the path of a file like
# examples/municipality.yaml (every key is explained there), or the same keys as a dict:
# MY_MUNICIPALITY = "../examples/municipality.yaml"
MY_MUNICIPALITY = None

DESIGNS = ["none", "consultation", "tokenistic_consultation", "ideas_platform", "participatory_budget",
           "spatial_codesign", "citizens_panel", "coproduction"]
REPLICATES = 8  # simulations per design; 20 or more give narrower intervals
POPULATION_SCALE = 1.0  # share of residents simulated; 1.0 = every resident (every count is then real)
SEED = 0  # change it to draw another set of residents
LANG = "en"  # words in the figures and tables: "en" or "nl"

# What counts as a difference worth acting on, per outcome (turnout and the shares of residents in
# percentage points, representativeness and service quality in points of their 0-1 index). A
# judgement, not a finding. Section 8 prints the thresholds in use; set your own here, e.g.
# {"trust_citizens": 5} counts only changes of 5 percentage points or more in the share of
# residents who trust the municipality (the default is 2).
MY_THRESHOLDS = {}

# Section 9 repeats the comparison over parameter sets drawn from the calibration's posterior
# (the ABC calibration shipped in docs/calibration/): how many sets, and replicates of each.
POSTERIOR = "../docs/calibration/posterior.parquet"
POSTERIOR_DRAWS = 10
POSTERIOR_REPLICATES = 2

# %%
from pathlib import Path

import pandas as pd
from IPython.display import display

import sim
import sim.config.municipality as municipality
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

pd.set_option("display.precision", 3)
THRESHOLDS = {**answers.THRESHOLDS, **MY_THRESHOLDS}


def named(df: pd.DataFrame) -> pd.DataFrame:
    """A table with designs and outcomes in words instead of code names."""
    df = df.rename(index=lambda d: texts.name_or_key("design", d, LANG))
    return df.rename(columns=lambda c: texts.label(c, LANG) if c in texts.columns() else c)


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
    spec = MY_MUNICIPALITY if isinstance(MY_MUNICIPALITY, dict) else municipality.load(MY_MUNICIPALITY)
    scenario = "generic"
    overrides = municipality.overrides(spec) + overrides

config = sim.compose_config(scenario, "participatory_budget", overrides=overrides)
s = config.scenario
print(f"{texts.name_or_key('scenario', s.name, LANG)}: {s.population:,} residents in {len(s.neighbourhoods)} "
      f"neighbourhoods, {round(s.population * POPULATION_SCALE):,} simulated; yearly budget EUR "
      f"{s.annual_budget_eur:,.0f}, citizens' budget EUR {s.citizens_budget_eur:,.0f} every "
      f"{s.budget_cycle_months} months; project money EUR {s.project_budget_eur:,.0f} a year, the same for "
      f"every design; at the start {s.initial_trust:.0%} of residents trust the municipal government and "
      f"{s.initial_input:.0%} feel involved.")
if POPULATION_SCALE != 1:
    print(f"Scaled down: {POPULATION_SCALE:.0%} of the residents are simulated, so counts, hours and euros "
          "below are those of the simulated residents, not of the whole municipality.")

# %% [markdown]
# ## 2. Simulate every design
#
# `sim.compare` runs each design `REPLICATES` times over a six-year council term (72 months)
# and returns one row per simulation with its outcomes; `measure=answers.measure` adds the
# costs and who takes part. This takes about half a minute for Kampenhout.

# %%
runs = sim.compare(scenario=scenario, designs=DESIGNS, replicates=REPLICATES, seed=SEED, overrides=overrides,
                   n_jobs=2, measure=answers.measure)
runs[["design", "replicate", "turnout", "legitimacy", "trust_citizens", "service_quality"]].head(10)

# %% [markdown]
# ## 3. The outcomes side by side
#
# Each dot is the average over the replicates, each bar its 95 % interval. *Turnout* is the
# share of residents taking part in a round, averaged over the rounds of the term; the shares
# of residents who agree with each survey item, and service quality, are their values at the
# end of the term. Each design keeps its colour in every
# figure of the project.

# %%
fig = plots.design_comparison(runs, lang=LANG)

# %% [markdown]
# The same numbers as a table: the average and, in brackets, the 95 % interval.

# %%
table = plots.interval_table(runs, answers.OUTCOMES)
table["value"] = table.apply(lambda r: f"{r['mean']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}]", axis=1)
named(table.pivot(index="design", columns="outcome", values="value").reindex(DESIGNS)[list(answers.OUTCOMES)])

# %% [markdown]
# ## 4. What it costs
#
# Over the whole term: the civil servants' hours (and their cost at the employer's cost of an
# hour, `administration.hour_cost_eur`), the project money spent on delivered projects and how
# much of the project money residents and the council decided on (every design has the same
# project money, `scenario.project_budget_eur` a year: what residents do not decide on, the
# council spends on its own projects), the total (project money spent plus staff cost), the
# residents' time apart (every participant's hours in every round, an assumption per design,
# plus co-production), how many residents took part at least once, the staff cost of running
# participation per resident who took part, and the cost of each delivered project, the
# council's included (its money and the hours to carry it out). "-" means there is nothing to
# divide by (nobody took part).

# %%
cost = answers.costs(runs)
cost["value"] = cost.apply(lambda r: "-" if pd.isna(r["mean"]) else f"{r['mean']:,.0f}", axis=1)
named(cost.pivot(index="design", columns="outcome", values="value").reindex(DESIGNS)[list(answers.COSTS)])

# %% [markdown]
# ## 5. Who takes part, and who is left out
#
# For each group: its share among the participants divided by its share among the residents.
# 1 is its fair share, 2 twice that, 0.5 half. A group below 0.8 is *left out* (children are
# mostly too young to take part and are not counted).

# %%
who = answers.who_takes_part(runs)
who["group"] = [answers.group_name(d, g, LANG) for d, g in zip(who["dimension"], who["group"], strict=True)]
ratios = who.pivot_table(index="design", columns="group", values="ratio", sort=False).reindex(DESIGNS)
named(ratios.drop(index="none")).style.format("{:.2f}").background_gradient(cmap="RdYlGn", vmin=0, vmax=2)

# %%
left = answers.left_out(answers.who_takes_part(runs))
for design in DESIGNS[1:]:
    g = left[left["design"] == design]
    groups = ", ".join(f"{answers.group_name(d, grp, LANG)} ({r:.2f})"
                       for d, grp, r in zip(g["dimension"], g["group"], g["ratio"], strict=True))
    print(f"{texts.name('design', design, LANG)}: {groups or 'no group below 0.8'}")

# %% [markdown]
# ## 6. Trade-offs
#
# A design rarely wins on everything. The next figures put two outcomes against each other:
# a design up and to the right does better on both (for cost: to the left is cheaper).

# %%
fig = plots.tradeoff(runs, "turnout", "legitimacy", lang=LANG)

# %%
fig = plots.tradeoff(runs, "legitimacy_throughput", "service_quality", lang=LANG)

# %%
fig = plots.tradeoff(runs, "total_cost_eur", "trust_citizens", lang=LANG)

# %% [markdown]
# ## 7. Over time
#
# How the shares of residents who find the municipality legitimate and who trust it develop
# month by month, for a few designs, over the same `REPLICATES` replicates as above. The
# shaded band is the 95 % interval; grey bands mark the months in which residents take part,
# the red line the municipal election.

# %%
series = pd.concat([sim.replicate_runs(scenario, design, REPLICATES, SEED, overrides)["timeseries"]
                    for design in ["none", "tokenistic_consultation", "ideas_platform", "participatory_budget"]],
                   ignore_index=True)
fig = plots.timeline(series, "legitimacy", lang=LANG)
fig = plots.timeline(series, "trust_citizens", lang=LANG)

# %% [markdown]
# ## 8. In plain words: what each design does better and worse than doing nothing
#
# Each design is compared with *no participation* on the same drawn residents. It is called
# **better** or **worse** only when both hold:
#
# - the average difference is at least the threshold of what matters (printed below; set
#   your own with `MY_THRESHOLDS` in the settings cell), and
# - the 95 % interval of the difference lies wholly on one side of zero.
#
# Otherwise there is **no clear difference**: either the change is too small to matter, or the
# simulations cannot tell its direction. Turnout and representativeness are **not comparable**:
# no participation has no turnout, so every design would trivially "beat" it.

# %%
verdicts = answers.verdicts(runs, baseline="none", thresholds=THRESHOLDS)
plain = answers.plain_words(verdicts, LANG)
plain.style.set_properties(**{"text-align": "left", "white-space": "pre-wrap"})

# %% [markdown]
# The thresholds used:

# %%
named(pd.DataFrame({"threshold": {o: THRESHOLDS[o] for o in answers.OUTCOMES}}).T)

# %% [markdown]
# The differences behind the table, with their 95 % intervals (turnout and the shares of
# residents in percentage points, representativeness and service quality in points of their
# 0-1 index), and why each verdict is what it is:

# %%
verdicts["difference [95 % interval]"] = verdicts.apply(
    lambda r: f"{r['difference']:+.2f} [{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]" if r["outcome"] in plots.PERCENT
    else f"{r['difference']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}]", axis=1)
verdicts["why"] = [texts.phrase(f"reason_{r}", LANG) for r in verdicts["reason"]]
verdicts["design"] = [texts.name("design", d, LANG) for d in verdicts["design"]]
verdicts["outcome"] = [texts.label(o, LANG) for o in verdicts["outcome"]]
verdicts[["design", "outcome", "difference [95 % interval]", "verdict", "why"]]

# %% [markdown]
# ## 9. Does it hold under the calibration's uncertainty?
#
# The intervals above cover only the chance in the drawn residents and events, at one set of
# the model's parameters. Some parameters were *calibrated* against published figures (turnout,
# its age profile and its course over the editions, the share of proposals reaching the vote, the
# reply rate to a panel's letters), and the effect sizes of residents' perceptions that no study
# measured are *assumed* within ranges; the calibration (approximate Bayesian computation,
# `docs/calibration/`) says which values of all of them fit the figures: its *posterior*. Here
# every design runs again on `POSTERIOR_DRAWS` parameter sets drawn from that posterior,
# `POSTERIOR_REPLICATES` times each, on the same residents for every design (a parameter the
# shipped posterior does not hold stays at its default).
#
# A conclusion **holds** when a design does better (or worse) than no participation in at least
# 90 % of these matched simulations; otherwise it **depends on the assumptions**: under some
# parameter values that fit the data it goes one way, under others the other way. The share of
# simulations in which the design does better is in brackets. (Only the parameters with a prior
# vary here; the other parameters the model *assumes* are not covered: the limits in
# `docs/model.md` say so.)

# %%
if Path(POSTERIOR).exists():
    posterior_runs = sim.compare(scenario=scenario, designs=DESIGNS, replicates=POSTERIOR_REPLICATES, seed=SEED,
                                 overrides=overrides, n_jobs=2, posterior=POSTERIOR, draws=POSTERIOR_DRAWS)
    robust = answers.robust_words(posterior_runs, "none", LANG)
else:
    posterior_runs = None
    robust = f"No posterior at {POSTERIOR}: run `python -m sim +experiment=calibration_abc` (experiments/README.md)."
display(robust)

# %% [markdown]
# For each pair of designs, how often one ends with a larger share of residents who trust the
# municipality than the other (row against column; 0.5 means a toss-up). The question "does a
# participatory budget beat an ideas platform on trust?" is answered by the cell of that row
# and column.

# %%
if posterior_runs is not None:
    from sim.experiments.uncertainty import beats

    display(named(beats(posterior_runs, "trust_citizens")).rename(
        columns=lambda d: texts.name_or_key("design", d, LANG)).style.format("{:.2f}").background_gradient(
        cmap="RdYlGn", vmin=0, vmax=1))

# %% [markdown]
# ## What next
#
# - **More certainty**: set `REPLICATES = 20` (or more) and run again; the intervals shrink
#   roughly with the square root of the number of replicates.
# - **Full scale for a large city**: District Antwerpen has about 196,000 residents; with
#   `POPULATION_SCALE = 1.0` each simulation takes a few seconds. A smaller scale is faster,
#   but its counts, hours and euros are those of the simulated sample, as the notebook then says.
# - **Change a design**: any lever can be set, for all designs at once, by adding an override
#   to `overrides`, e.g. `overrides.append("design.feedback=0.9")`; see `docs/parameters.md`.
# - **More certainty under the calibration's uncertainty**: raise `POSTERIOR_DRAWS` (20 or
#   more); `python -m sim +experiment=calibration_abc` makes a posterior of your own
#   (experiments/README.md).
# - **A report for your council**: `python -m sim report scenario=geel lang=nl` writes all of
#   this as one HTML file that opens without a network.
# - **Your own case in depth**: the notebooks `geel`, `kampenhout` and `antwerp_district`
#   walk through the three cases of the training day.
