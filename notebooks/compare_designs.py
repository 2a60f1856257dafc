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
# # Which participation design suits my municipality? / Welk participatietraject past bij mijn gemeente?
#
# Set `LANG` in the next cell ("nl" or "en") and run all cells: every text, table and figure below
# follows it (the words come from `sim/locales/`, the same as the report and the dashboard).
#
# Zet `LANG` in de volgende cel ("nl" of "en") en voer alle cellen uit: elke tekst, tabel en figuur
# hieronder volgt (de woorden komen uit `sim/locales/`, dezelfde als die van het rapport en het dashboard).

# %% tags=["parameters"]
# --- Settings / Instellingen: change these and run all cells again ----------------------------
LANG = "en"  # "nl" (Nederlands) or "en" (English)
SCENARIO = "kampenhout"  # "generic", "geel", "kampenhout", "antwerp_district"

# Your own municipality (replaces SCENARIO) / uw eigen gemeente (vervangt SCENARIO):
# MY_MUNICIPALITY = "../examples/municipality.yaml"
MY_MUNICIPALITY = None

DESIGNS = ["none", "consultation", "tokenistic_consultation", "ideas_platform", "participatory_budget",
           "spatial_codesign", "citizens_panel", "coproduction"]
REPLICATES = 8  # simulations per design / simulaties per traject (20 or more: narrower intervals)
POPULATION_SCALE = 1.0  # share of residents simulated / aandeel gesimuleerde inwoners (1.0 = all)
SEED = 0  # another number draws other residents / een ander getal trekt andere inwoners

# What counts as a difference worth acting on (percentage points for shares of residents, points of a
# 0-1 index otherwise), e.g. {"trust_citizens": 5} / wat telt als een verschil, bv. {"trust_citizens": 5}
MY_THRESHOLDS = {}

# Section 9: parameter sets drawn from the calibration's posterior / sectie 9: posterior van de kalibratie
POSTERIOR = "../docs/calibration/posterior.parquet"
POSTERIOR_DRAWS = 10
POSTERIOR_REPLICATES = 2

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import sim
import sim.config.municipality as municipality
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

THRESHOLDS = {**answers.THRESHOLDS, **MY_THRESHOLDS}
pd.set_option("display.max_colwidth", None)  # sources and verdicts in full


def say(key: str, **values) -> None:
    """Show a text of the notebook (sim/locales) in LANG."""
    display(Markdown(texts.phrase(key, LANG, **values)))


def design(d: str) -> str:
    return texts.name_or_key("design", d, LANG)


def outcome(o: str) -> str:
    return texts.label(o, LANG) if o in texts.columns() else o


def wide(table: pd.DataFrame, values: str, columns: list[str]) -> pd.DataFrame:
    """A tidy table (design, outcome, values) as designs by outcomes, in words."""
    out = table.pivot(index="design", columns="outcome", values=values).reindex(
        [d for d in DESIGNS if d in set(table["design"])])[columns]
    out.index = [design(d) for d in out.index]
    out.index.name = texts.phrase("design_word", LANG)
    out.columns.name = None
    return out.rename(columns=outcome)


say("nb_cd_intro")

# %%
say("nb_cd_municipality")
overrides = [f"run.population_scale={POPULATION_SCALE}"]
scenario, given, source = SCENARIO, [], None
if MY_MUNICIPALITY:
    spec = MY_MUNICIPALITY if isinstance(MY_MUNICIPALITY, dict) else municipality.load(MY_MUNICIPALITY)
    scenario, given = "generic", list(spec)
    source = None if isinstance(MY_MUNICIPALITY, dict) else Path(MY_MUNICIPALITY).name
    overrides = municipality.overrides(spec) + overrides

config = sim.compose_config(scenario, "participatory_budget", overrides=overrides)
s = config.scenario
say("nb_cd_municipality_line", municipality=texts.name_or_key("scenario", s.name, LANG),
    population=texts.number(s.population, LANG), hoods=len(s.neighbourhoods),
    simulated=texts.number(round(s.population * POPULATION_SCALE), LANG),
    budget=texts.number(s.annual_budget_eur, LANG), citizens=texts.number(s.citizens_budget_eur, LANG),
    months=s.budget_cycle_months, project=texts.number(s.project_budget_eur, LANG),
    trust=texts.number(100 * s.initial_trust, LANG))
if POPULATION_SCALE != 1:
    say("nb_cd_scaled", share=texts.number(100 * POPULATION_SCALE, LANG))
numbers = answers.inputs(config, scenario, given, LANG, source)
numbers[["input", "value", "status_words", "source"]].rename(columns={
    "input": texts.phrase("input_word", LANG), "value": texts.phrase("value_word", LANG),
    "status_words": texts.phrase("status_word", LANG), "source": texts.phrase("source_word", LANG)})

# %%
say("nb_cd_simulate")
runs = sim.compare(scenario=scenario, designs=DESIGNS, replicates=REPLICATES, seed=SEED, overrides=overrides,
                   n_jobs=2, measure=answers.measure)
shown = ["turnout", "legitimacy", "trust_citizens", "service_quality"]
first = runs[["design", "replicate", *shown]].head(10).copy()
first["design"] = first["design"].map(design)
first[shown] = first[shown].apply(lambda c: [texts.number((100 if c.name in plots.PERCENT else 1) * v, LANG,
                                                          answers.decimals(c.name)) for v in c])
first.rename(columns={"design": texts.phrase("design_word", LANG), "replicate": texts.phrase("nb_run_word", LANG),
                      **{o: outcome(o) for o in shown}})

# %%
say("nb_cd_outcomes")
fig = plots.design_comparison(runs, answers.OUTCOMES, ncols=3, lang=LANG)

# %%
table = plots.interval_table(runs, answers.OUTCOMES)
table["value"] = [answers.interval_words(r.mean, r.ci_low, r.ci_high, LANG, answers.decimals(r.outcome))
                  for r in table.itertuples()]
wide(table, "value", list(answers.OUTCOMES))

# %%
say("nb_cd_costs")
cost = answers.costs(runs)
cost["value"] = [answers.interval_words(r.mean, r.ci_low, r.ci_high, LANG, 0) for r in cost.itertuples()]
wide(cost, "value", list(answers.COSTS))

# %%
say("nb_cd_who")
who = answers.who_takes_part(runs)
who["group"] = [answers.group_name(d, g, LANG) for d, g in zip(who["dimension"], who["group"], strict=True)]
ratios = who.pivot_table(index="design", columns="group", values="ratio", sort=False).reindex(DESIGNS[1:])
ratios.index = pd.Index([design(d) for d in ratios.index], name=texts.phrase("design_word", LANG))
ratios.columns.name = None
ratios.style.format(lambda v: texts.number(v, LANG, 2)).background_gradient(cmap="RdYlGn", vmin=0, vmax=2)

# %%
left = answers.left_out(answers.who_takes_part(runs))
lines = []
for d in DESIGNS[1:]:
    g = left[left["design"] == d]
    groups = ", ".join(f"{answers.group_name(dim, grp, LANG)} ({texts.number(r, LANG, 2)})"
                       for dim, grp, r in zip(g["dimension"], g["group"], g["ratio"], strict=True))
    lines.append(f"- **{design(d)}**: {groups or texts.phrase('nb_cd_left_out_none', LANG)}")
display(Markdown("\n".join(lines)))

# %%
say("nb_cd_tradeoffs")
fig = plots.tradeoff(runs, "turnout", "legitimacy", lang=LANG)

# %%
fig = plots.tradeoff(runs, "legitimacy_throughput", "service_quality", lang=LANG)

# %%
fig = plots.tradeoff(runs, "total_cost_eur", "trust_citizens", lang=LANG)

# %%
say("nb_cd_time")
series = pd.concat([sim.replicate_runs(scenario, d, REPLICATES, SEED, overrides)["timeseries"]
                    for d in ["none", "tokenistic_consultation", "ideas_platform", "participatory_budget"]],
                   ignore_index=True)
fig = plots.timeline(series, "legitimacy", lang=LANG)
fig = plots.timeline(series, "trust_citizens", lang=LANG)

# %%
say("nb_cd_verdicts")
verdicts = answers.verdicts(runs, baseline="none", thresholds=THRESHOLDS)
answers.plain_words(verdicts, LANG).style.set_properties(**{"text-align": "left", "white-space": "pre-wrap"})

# %%
say("nb_cd_thresholds")
limits = pd.DataFrame({texts.phrase("nb_threshold_word", LANG): [texts.number(THRESHOLDS[o], LANG, 2)
                                                                  for o in answers.OUTCOMES]},
                      index=[outcome(o) for o in answers.OUTCOMES])
display(limits)

# %%
say("nb_cd_differences")
display(answers.verdict_words(verdicts, LANG))

# %%
say("nb_cd_robust")
say("two_checks")
if Path(POSTERIOR).exists():
    posterior_runs = sim.compare(scenario=scenario, designs=DESIGNS, replicates=POSTERIOR_REPLICATES, seed=SEED,
                                 overrides=overrides, n_jobs=2, posterior=POSTERIOR, draws=POSTERIOR_DRAWS)
    display(answers.robust_words(posterior_runs, "none", LANG, thresholds=THRESHOLDS))
else:
    posterior_runs = None
    say("nb_cd_no_posterior", path=POSTERIOR)

# %%
if posterior_runs is not None:
    from sim.experiments.uncertainty import beats

    say("nb_cd_beats")
    pairs = beats(posterior_runs, "trust_citizens")
    pairs.index = [design(d) for d in pairs.index]
    pairs.columns = [design(d) for d in pairs.columns]
    display(pairs.style.format(lambda v: texts.number(v, LANG, 2)).background_gradient(
        cmap="RdYlGn", vmin=0, vmax=1))

# %%
say("nb_cd_next")
