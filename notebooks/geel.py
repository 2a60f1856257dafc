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
# # Geel: embedding participation / Geel: participatie verankeren
#
# Set `LANG` in the next cell ("nl" or "en") and run all cells: every text, table and figure below
# follows it (the words come from `sim/locales/`, the same as the report and the dashboard).
#
# Zet `LANG` in de volgende cel ("nl" of "en") en voer alle cellen uit: elke tekst, tabel en figuur
# hieronder volgt (de woorden komen uit `sim/locales/`, dezelfde als die van het rapport en het dashboard).

# %% tags=["parameters"]
# --- Settings / Instellingen: change these and run all cells again ----------------------------
LANG = "en"  # "nl" (Nederlands) or "en" (English)
POPULATION_SCALE = 1.0  # share of Geel's residents simulated; 1.0 = all 40,781 (about 0.5 s per run)
REPLICATES = 5  # simulations per variant; 10 or 20 give narrower intervals (and take longer)
SEED = 0

# %%
import pandas as pd
from IPython.display import Markdown, display

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

SCENARIO = "geel"
SCALE = [f"run.population_scale={POPULATION_SCALE}"]
residents = sim.compose_config(SCENARIO, "ideas_platform", overrides=SCALE).scenario.population
#: The column that names a variant in the tables and figures, in LANG.
VARIANT = texts.phrase("nb_variant_word", LANG)


def say(key: str, **values) -> None:
    """Show a text of the notebook (sim/locales) in LANG."""
    display(Markdown(texts.phrase(key, LANG, **values)))


def replicates(design: str, overrides: list[str] = (), **columns) -> dict:
    """Run REPLICATES replicates of a design (the same seeds as sim.compare) and keep their tables.

    Returns the summaries (one row per replicate) and the time series and group tables (with
    the replicate's scenario, design and seed, so that figures name them). ``columns`` adds
    columns such as ``channel="online"``.
    """
    return sim.replicate_runs(SCENARIO, design, REPLICATES, SEED, [*SCALE, *overrides], **columns)


def variants(design: str, conditions: dict[str, list[str]], extra: list[str] = ()) -> pd.DataFrame:
    """Summaries of one design under several named sets of overrides; one row per variant and replicate."""
    frames = [sim.compare(SCENARIO, [design], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *extra, *o])
              .assign(**{VARIANT: name}) for name, o in conditions.items()]
    return pd.concat(frames, ignore_index=True)


def interval(values, decimals: int = 0) -> str:
    """Mean and 95 % interval over replicates, as LANG writes numbers: 'mean [low, high]'."""
    values = pd.Series(values, dtype=float)
    return answers.interval_words(values.mean(), *plots.t_interval(values), LANG, decimals)


say("nb_geel_intro")
print(answers.scale_words(SCENARIO, residents, POPULATION_SCALE, REPLICATES, SEED, LANG))

# %%
say("nb_geel_platform")
platform = replicates("ideas_platform")
fig = plots.outcomes_panel(platform["timeseries"], lang=LANG)

# %%
fig = plots.proposals(platform["timeseries"], lang=LANG)

# %%
say("nb_geel_first_year")
first_year = platform["timeseries"][platform["timeseries"]["step"] <= 12].groupby("replicate")
print(texts.phrase("nb_geel_first_year_model", LANG, ideas=interval(first_year["proposals_submitted"].max()),
                   participants=interval(first_year["participants"].max()), replicates=REPLICATES))
print(texts.phrase("nb_geel_first_year_geel", LANG))

# %%
say("nb_geel_calibration")

# %%
say("nb_geel_who")
fig = plots.composition(platform["groups"], platform["timeseries"], lang=LANG)

# %%
say("nb_geel_channels")
CHANNEL = texts.phrase("nb_geel_channel_word", LANG)
by_channel = {c: platform if c == "hybrid" else replicates("ideas_platform", [f"design.channel={c}"])
              for c in ("online", "offline", "hybrid")}
channels = pd.concat([runs["summary"].assign(**{CHANNEL: texts.choice("design.channel", c, LANG)})
                      for c, runs in by_channel.items()], ignore_index=True)
fig = plots.design_comparison(channels, ("turnout", "representativeness", "education_bias", "legitimacy_input",
                                         "trust_citizens", "legitimacy"), by=CHANNEL, ncols=3, lang=LANG)

# %%
say("nb_geel_missing")
for channel in ("online", "offline"):
    groups = by_channel[channel]["groups"]
    fig = plots.composition(groups, by_channel[channel]["timeseries"], lang=LANG)
    fig.suptitle(texts.phrase("nb_geel_one_channel", LANG, channel=texts.choice("design.channel", channel, LANG))
                 + "\n" + plots.context(groups, LANG))

# %%
say("nb_geel_roles")
ROLES = ("inspirator", "continuity", "guardian", "realism")  # administration.role_<role> in the config
ROLE = texts.phrase("nb_geel_role_word", LANG)
runs = []
for role in ROLES:
    words = texts.phrase(f"nb_geel_role_{role}", LANG)
    for level in (0.1, 0.9):
        name = texts.phrase("nb_geel_role_strong" if level > 0.5 else "nb_geel_role_weak", LANG, role=words)
        runs.append(variants("ideas_platform", {name: [f"administration.role_{role}={level}"]},
                             extra=["run.steps=96"]).assign(**{ROLE: words}))
roles = pd.concat(runs, ignore_index=True)
#: Thresholds of what matters for the outcomes sim.experiments.answers has none for (one decision, 100 staff hours).
ROLE_THRESHOLDS = {"turnout_after_election": 0.5, "decisions_reopened": 1.0, "staff_hours": 100.0}
ROLE_OUTCOMES = ("turnout", "turnout_after_election", "trust_citizens", "legitimacy_throughput",
                 "legitimacy_output", "decisions_reopened", "staff_hours")
fig = plots.design_comparison(roles, ROLE_OUTCOMES, by=VARIANT, ncols=4, lang=LANG)

# %%
say("nb_geel_effects")
effects = []
for role in ROLES:
    words = texts.phrase(f"nb_geel_role_{role}", LANG)
    d = answers.verdicts(roles[roles[ROLE] == words], baseline=texts.phrase("nb_geel_role_weak", LANG, role=words),
                         outcomes=ROLE_OUTCOMES, by=VARIANT, thresholds=ROLE_THRESHOLDS,
                         lower_is_better=("decisions_reopened", "staff_hours"))
    effects.append(d.assign(**{ROLE: words}))
effects = pd.concat(effects, ignore_index=True)
effects["effect"] = [answers.interval_words(r.difference, r.ci_low, r.ci_high, LANG, answers.decimals(r.outcome),
                                            signed=True) + " " + answers.verdict_word(r.verdict, LANG)
                     for r in effects.itertuples()]
table = effects.pivot(index=ROLE, columns="outcome", values="effect").reindex(
    [texts.phrase(f"nb_geel_role_{role}", LANG) for role in ROLES])[list(ROLE_OUTCOMES)]
table.rename(columns=lambda o: plots.label(o, LANG)).rename_axis(columns=None)

# %%
say("nb_geel_roles_explained")

# %%
say("nb_geel_designs")
designs = pd.concat([sim.compare(SCENARIO, ["none", "tokenistic_consultation"], replicates=REPLICATES, seed=SEED,
                                 overrides=SCALE), platform["summary"],
                     sim.compare(SCENARIO, ["participatory_budget"], replicates=REPLICATES, seed=SEED,
                                 overrides=SCALE)], ignore_index=True)
fig = plots.design_comparison(designs, lang=LANG)

# %%
fig = plots.tradeoff(designs, "turnout", "service_quality", lang=LANG)

# %%
say("nb_geel_against_nothing")
AGAINST_NOTHING = ("trust_citizens", "legitimacy_input", "legitimacy_throughput", "legitimacy_output",
                   "service_quality")
against_nothing = answers.verdicts(designs, baseline="none", outcomes=AGAINST_NOTHING)
answers.verdict_words(against_nothing, LANG)

# %%
say("nb_geel_token")
token = against_nothing.set_index(["design", "outcome"]).loc[("tokenistic_consultation", "trust_citizens")]
print(texts.phrase("nb_geel_token_line", LANG, design=texts.name("design", "tokenistic_consultation", LANG),
                   difference=answers.interval_words(token["difference"], token["ci_low"], token["ci_high"], LANG, 2,
                                                     signed=True),
                   verdict=answers.verdict_word(token["verdict"], LANG),
                   reason=texts.phrase("reason_" + token["reason"], LANG)))

# %%
say("nb_geel_token_explained")

# %%
say("nb_geel_discussion")
