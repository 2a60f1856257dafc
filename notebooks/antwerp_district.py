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
# # District Antwerpen: the participatory budget / District Antwerpen: de burgerbegroting
#
# Set `LANG` in the next cell ("nl" or "en") and run all cells: every text, table and figure below
# follows it (the words come from `sim/locales/`, the same as the report and the dashboard).
#
# Zet `LANG` in de volgende cel ("nl" of "en") en voer alle cellen uit: elke tekst, tabel en figuur
# hieronder volgt (de woorden komen uit `sim/locales/`, dezelfde als die van het rapport en het dashboard).

# %% tags=["parameters"]
# --- Settings / Instellingen: change these and run all cells again ----------------------------
LANG = "en"  # "nl" (Nederlands) or "en" (English)
POPULATION_SCALE = 1.0  # share of the district's residents simulated; 1.0 = all 196,465 (about 2 s per run)
REPLICATES = 4  # simulations per variant; 10 or 20 give narrower intervals (and take longer)
SEED = 0

# %%
import pandas as pd
from IPython.display import Markdown, display

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

SCENARIO = "antwerp_district"
SCALE = [f"run.population_scale={POPULATION_SCALE}"]
config = sim.compose_config(SCENARIO, "participatory_budget", overrides=SCALE)
residents = config.scenario.population
#: The column that names a variant in the tables and figures, in LANG.
VARIANT = texts.phrase("nb_variant_word", LANG)


def say(key: str, **values) -> None:
    """Show a text of the notebook (sim/locales) in LANG."""
    display(Markdown(texts.phrase(key, LANG, **values)))


def replicates(design: str = "participatory_budget", overrides: list[str] = (), **columns) -> dict:
    """Run REPLICATES replicates of a design (the same seeds as sim.compare) and keep their tables.

    Returns the summaries (one row per replicate), the time series and group tables (with the
    replicate's scenario, design and seed, so that figures name them) and each replicate's
    neighbourhoods at the end. ``columns`` adds columns such as ``variant="..."``.
    """
    return sim.replicate_runs(SCENARIO, design, REPLICATES, SEED, [*SCALE, *overrides],
                              each={"neighbourhoods": lambda res: plots.neighbourhood_frame(res.model)}, **columns)


def interval(values) -> str:
    """Mean and 95 % interval over replicates, as LANG writes numbers: 'mean [low, high]'."""
    values = pd.Series(values, dtype=float)
    return answers.interval_words(values.mean(), *plots.t_interval(values), LANG, 0)


say("nb_ad_intro")
print(answers.scale_words(SCENARIO, residents, POPULATION_SCALE, REPLICATES, SEED, LANG))
print(texts.phrase("nb_ad_budget", LANG, budget=texts.number(config.scenario.citizens_budget_eur, LANG)))

# %%
say("nb_ad_inform")
INFORM_FIRST, NO_INFORM = texts.phrase("nb_ad_inform_first", LANG), texts.phrase("nb_ad_no_inform", LANG)
informed = replicates(**{VARIANT: INFORM_FIRST})
uninformed = replicates(overrides=["design.inform_first=false"], **{VARIANT: NO_INFORM})
inform = pd.concat([informed["summary"], uninformed["summary"]], ignore_index=True)
fig = plots.design_comparison(inform, ("turnout", "turnout_first_cycle", "fear_citizens", "awareness_citizens",
                                       "legitimacy_input", "trust_citizens"), by=VARIANT, ncols=3, lang=LANG)

# %%
say("nb_ad_month_by_month")
series = pd.concat([informed["timeseries"], uninformed["timeseries"]], ignore_index=True)
for column in ("awareness_citizens", "fear_citizens", "turnout"):
    fig = plots.timeline(series, column, hue=VARIANT, lang=LANG)

# %%
say("nb_ad_inform_verdicts")
inform_verdicts = answers.verdicts(inform, baseline=NO_INFORM, by=VARIANT,
                                   outcomes=("turnout", "legitimacy_input", "trust_citizens"))
answers.verdict_words(inform_verdicts, LANG, by=VARIANT)

# %%
say("nb_ad_who")
fig = plots.composition(informed["groups"], informed["timeseries"], lang=LANG)

# %%
say("nb_ad_outreach")
OPEN_CALL, TARGETED = texts.phrase("nb_ad_open_call", LANG), texts.phrase("nb_ad_targeted", LANG)
targeted = replicates(overrides=["design.selection=targeted", "design.outreach=0.6"], **{VARIANT: TARGETED})
who = pd.concat([informed["summary"].assign(**{VARIANT: OPEN_CALL}), targeted["summary"]], ignore_index=True)
fig = plots.design_comparison(who, ("turnout", "representativeness", "education_bias", "legitimacy_input",
                                    "staff_hours"), by=VARIANT, ncols=5, lang=LANG)

# %%
say("nb_ad_built")
fig = plots.proposals(informed["timeseries"], lang=LANG)

# %%
say("nb_ad_rounds")
rounds = []
for r, ts in informed["timeseries"].groupby("replicate"):
    decided = ts[ts["phase"] == "decide"].set_index("step")[["proposals_submitted", "proposals_adopted",
                                                             "budget_spent"]]
    per_round = decided.diff().fillna(decided)  # the columns are cumulative; a round's own part
    rounds.append(per_round.reset_index(drop=True).rename_axis("round").reset_index().assign(
        replicate=r, month=decided.index - 1))
rounds = pd.concat(rounds, ignore_index=True)
rounds.groupby("round").agg(**{
    texts.phrase("nb_ad_month_word", LANG): ("month", "first"),
    texts.phrase("nb_ad_submitted_word", LANG): ("proposals_submitted", interval),
    texts.phrase("nb_ad_funded_word", LANG): ("proposals_adopted", interval),
    texts.phrase("nb_ad_paid_word", LANG): ("budget_spent", interval),
}).rename(index=lambda i: texts.phrase("nb_ad_round", LANG, n=i + 1)).rename_axis(
    texts.phrase("nb_ad_round_word", LANG))

# %%
say("nb_ad_where")
GREEDY, EQUAL_SHARES = texts.phrase("nb_ad_greedy", LANG), texts.phrase("nb_ad_equal_shares", LANG)
equal = replicates(overrides=["design.allocation_rule=equal_shares"], **{VARIANT: EQUAL_SHARES})
nothing = replicates("none")
fig = plots.neighbourhood_gains({GREEDY: informed["neighbourhoods"], EQUAL_SHARES: equal["neighbourhoods"]},
                                nothing["neighbourhoods"], by=VARIANT, scenario=SCENARIO,
                                design="participatory_budget", lang=LANG)

# %%
rules = pd.concat([informed["summary"].assign(**{VARIANT: GREEDY}), equal["summary"]], ignore_index=True)
fig = plots.design_comparison(rules, ("proposals_adopted", "budget_spent", "service_quality",
                                      "service_quality_equity", "trust_citizens", "legitimacy_output"),
                              by=VARIANT, ncols=3, lang=LANG)

# %%
say("nb_ad_rule_verdicts")
RULE_OUTCOMES = ("service_quality", "service_quality_equity", "trust_citizens", "legitimacy_throughput",
                 "legitimacy_output")
rule_verdicts = answers.verdicts(rules, baseline=GREEDY, by=VARIANT, outcomes=RULE_OUTCOMES)
answers.verdict_words(rule_verdicts, LANG, by=VARIANT)

# %%
say("nb_ad_honestly")

# %%
say("nb_ad_discussion")
