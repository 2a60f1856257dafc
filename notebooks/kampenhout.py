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
# # Kampenhout: the three fears / Kampenhout: de drie vormen van vrees
#
# Set `LANG` in the next cell ("nl" or "en") and run all cells: every text, table and figure below
# follows it (the words come from `sim/locales/`, the same as the report and the dashboard).
#
# Zet `LANG` in de volgende cel ("nl" of "en") en voer alle cellen uit: elke tekst, tabel en figuur
# hieronder volgt (de woorden komen uit `sim/locales/`, dezelfde als die van het rapport en het dashboard).

# %% tags=["parameters"]
# --- Settings / Instellingen: change these and run all cells again ----------------------------
LANG = "en"  # "nl" (Nederlands) or "en" (English)
REPLICATES = 5  # simulations per variant; 10 or 20 give narrower intervals (and take longer)
POPULATION_SCALE = 1.0  # share of the residents simulated; 1.0 = all 12,528 (about 0.2 s per run)
SEED = 0
DESIGN = "spatial_codesign"  # the Kampenhout trajectory; try "participatory_budget" too

# %%
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline

SCENARIO = "kampenhout"
SCALE = [f"run.population_scale={POPULATION_SCALE}"]
residents = sim.compose_config(SCENARIO, DESIGN, overrides=SCALE).scenario.population
#: The column that names a variant in the tables and figures, in LANG.
VARIANT = texts.phrase("nb_variant_word", LANG)


def say(key: str, **values) -> None:
    """Show a text of the notebook (sim/locales) in LANG."""
    display(Markdown(texts.phrase(key, LANG, **values)))


def level(key: str, x: float) -> str:
    """A variant's name in LANG: the phrase ``key`` with the level ``x`` written as LANG writes numbers."""
    return texts.phrase(key, LANG, level=texts.number(x, LANG, 1 if 10 * x == round(10 * x) else 2))


def replicate_series(overrides: list[str] = (), design: str = DESIGN, **columns) -> pd.DataFrame:
    """The time series of REPLICATES replicates (the same seeds as sim.compare), one after the other.

    Each row carries its run's scenario, design and seed, so that figures name them; ``columns``
    adds columns such as ``variant="..."``.
    """
    return sim.replicate_runs(SCENARIO, design, REPLICATES, SEED, [*SCALE, *overrides], **columns)["timeseries"]


def variants(conditions: dict[str, list[str]], **columns: list) -> pd.DataFrame:
    """Run the design under named sets of overrides; one row per variant and replicate.

    ``columns`` adds columns with one value per variant (e.g. the level of a fear), for plotting.
    """
    frames = []
    for i, (name, overrides) in enumerate(conditions.items()):
        df = sim.compare(SCENARIO, [DESIGN], replicates=REPLICATES, seed=SEED, overrides=[*SCALE, *overrides])
        frames.append(df.assign(**{VARIANT: name}, **{k: v[i] for k, v in columns.items()}))
    return pd.concat(frames, ignore_index=True)


say("nb_kh_intro")
print(answers.scale_words(SCENARIO, residents, POPULATION_SCALE, REPLICATES, SEED, LANG))

# %%
say("nb_kh_trajectory")
trajectory = replicate_series()
fig = plots.outcomes_panel(trajectory, lang=LANG)

# %%
fig = plots.fears(trajectory, lang=LANG)

# %%
say("nb_kh_complexity")
FEARS = [0.2, 0.4, 0.6, 0.8]
FEAR = texts.phrase("nb_kh_fear_axis", LANG)
INFORMED = texts.phrase("nb_kh_informed_word", LANG)
conditions, fear, inform = {}, [], []
for f in FEARS:
    for first in (False, True):
        answer = texts.phrase("nb_yes" if first else "nb_no", LANG)
        conditions[f"{level('nb_kh_fear_variant', f)}, {INFORMED}: {answer}"] = [
            f"citizens.fear_mean={f}", f"design.inform_first={str(first).lower()}"]
        fear.append(f)
        inform.append(answer)
complexity = variants(conditions, **{FEAR: fear, INFORMED: inform})
fig = plots.response(complexity, FEAR, "turnout", hue=INFORMED, lang=LANG)

# %%
say("nb_kh_fear_itself")
fig = plots.response(complexity, FEAR, "fear_citizens", hue=INFORMED, lang=LANG)

# %%
say("nb_kh_how_much")
levels = [0.0, 0.35, 0.7, 1.0]
INTENSITY = texts.phrase("nb_kh_intensity_axis", LANG)
informing = variants({level("nb_kh_intensity_variant", x): ["design.inform_first=true",
                                                            f"design.inform_intensity={x}"] for x in levels},
                     **{INTENSITY: levels})
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
for ax, outcome in zip(axes, ("awareness_citizens", "fear_citizens", "turnout"), strict=True):
    plots.response(informing, INTENSITY, outcome, ax=ax, lang=LANG)
    ax.set_title(textwrap.fill(plots.label(outcome, LANG).split(" (")[0], 45))  # the figure's title says the rest
fig.suptitle(f"{INTENSITY[:1].upper()}{INTENSITY[1:]}\n{plots.context(informing, LANG, by=[INTENSITY])}")
fig.tight_layout()

# %%
say("nb_kh_admin")
admin_levels = [0.1, 0.5, 0.9]
admin = variants({level("nb_kh_admin_variant", x): [f"administration.fear_complexity={x}"] for x in admin_levels})
fig = plots.design_comparison(admin, ("turnout", "awareness_citizens", "fear_citizens", "staff_hours"),
                              by=VARIANT, ncols=4, lang=LANG)

# %%
say("nb_kh_nothing")
OUTCOMES = ("trust_citizens", "legitimacy_input", "legitimacy_throughput", "legitimacy_output", "legitimacy",
            "service_quality")
nothing = sim.compare(SCENARIO, ["none", DESIGN], replicates=REPLICATES, seed=SEED, overrides=SCALE)
answers.verdict_words(answers.verdicts(nothing, baseline="none", outcomes=OUTCOMES), LANG)

# %%
say("nb_kh_failure")
fail_levels = [0.1, 0.5, 0.9]
failure = variants({level("nb_kh_failure_variant", x): [f"administration.fear_failure={x}"] for x in fail_levels})
fig = plots.design_comparison(failure, ("proposals_adopted", "proposals_implemented", "legitimacy_output",
                                        "trust_citizens", "fear_failure_administration"), by=VARIANT, ncols=3,
                              lang=LANG)

# %%
say("nb_kh_failure_verdicts")
fear_verdicts = answers.verdicts(failure, baseline=level("nb_kh_failure_variant", 0.1), by=VARIANT,
                                 outcomes=("legitimacy_output", "trust_citizens"))
answers.verdict_words(fear_verdicts, LANG, by=VARIANT)

# %%
say("nb_kh_learning")
learning = pd.concat([replicate_series([f"administration.fear_failure={start}"],
                                      **{VARIANT: level("nb_kh_failure_start", start)}) for start in (0.4, 0.9)],
                     ignore_index=True)
fig = plots.timeline(learning, "fear_failure_administration", hue=VARIANT, lang=LANG)

# %%
say("nb_kh_self_interest")
conditions = {}
for permanent in (False, True):
    for f in (0.2, 0.8):
        name = f"{texts.phrase('nb_kh_permanent' if permanent else 'nb_kh_ad_hoc', LANG)}, " \
               f"{level('nb_kh_self_interest_variant', f)}"
        conditions[name] = [f"design.permanent={str(permanent).lower()}", f"administration.fear_self_interest={f}",
                            f"council.fear_self_interest={f}"]
self_interest = variants(conditions)
fig = plots.design_comparison(self_interest, ("general_interest_share", "fear_self_interest_administration",
                                              "fear_self_interest_council", "proposals_adopted", "turnout",
                                              "legitimacy"), by=VARIANT, ncols=3, lang=LANG)

# %%
say("nb_kh_discussion")
