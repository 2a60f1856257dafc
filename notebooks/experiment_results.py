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
# # The results of an experiment, and its figures / De resultaten van een experiment, en zijn figuren
#
# Set `LANG` in the next cell ("nl" or "en") and run all cells: every text, table and figure below
# follows it (the words come from `sim/locales/`, the same as the report and the dashboard).
#
# Zet `LANG` in de volgende cel ("nl" of "en") en voer alle cellen uit: elke tekst, tabel en figuur
# hieronder volgt (de woorden komen uit `sim/locales/`, dezelfde als die van het rapport en het dashboard).

# %% tags=["parameters"]
# --- Settings / Instellingen --------------------------------------------------------------------
LANG = "en"  # "nl" (Nederlands) or "en" (English)
RESULTS = None  # path to a results folder, e.g. "../outputs/sweeps/<date>"; None: make a demo
CONDITION = None  # column(s) that define a condition, e.g. ["design"]; None: found from the runs
SAVE_FIGURES = True  # write the figures (PNG and SVG) into <results>/figures_notebook/

# %%
import numbers
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import sim
import sim.experiments.answers as answers
import sim.plots as plots
from sim import texts

# %matplotlib inline


def say(key: str, **values) -> None:
    """Show a text of the notebook (sim/locales) in LANG."""
    display(Markdown(texts.phrase(key, LANG, **values)))


say("nb_er_intro")

# %%
say("nb_er_folder")


def make_demo(folder: Path, designs=("none", "tokenistic_consultation", "participatory_budget"),
              replicates: int = 3, scenario: str = "kampenhout", scale: float = 0.2) -> Path:
    """Run a small design comparison and write it as a gathered results folder."""
    from sim.experiments.collect import summary_table  # the same table as `python -m sim collect` writes

    runs, series = [], []
    for design in designs:
        for replicate, seed in enumerate(sim.replicate_seeds(0, replicates)):
            res = sim.run(scenario, design, seed=seed, overrides=[f"run.population_scale={scale}"])
            params = {"design": design, "replicate": replicate, "seed": seed}
            runs.append({**res.summary.to_dict(), **params})
            series.append(res.timeseries.assign(**params))
    runs = pd.DataFrame(runs)
    folder.mkdir(parents=True, exist_ok=True)
    runs.to_parquet(folder / "runs.parquet", index=False)
    pd.concat(series, ignore_index=True).to_parquet(folder / "timeseries.parquet", index=False)
    summary_table(runs, ["design"]).to_parquet(folder / "summary_table.parquet", index=False)
    return folder


folder = Path(RESULTS) if RESULTS else None
if folder is None or not (folder / "runs.parquet").exists():
    if folder is not None:
        print(texts.phrase("nb_er_no_results", LANG, folder=folder))
    folder = make_demo(Path(tempfile.mkdtemp(prefix="coproduction_demo_")) / "demo_experiment")
print(texts.phrase("nb_er_folder_line", LANG, folder=folder))
runs = pd.read_parquet(folder / "runs.parquet")
timeseries = pd.read_parquet(folder / "timeseries.parquet") if (folder / "timeseries.parquet").exists() else None
summary_table = (pd.read_parquet(folder / "summary_table.parquet")
                 if (folder / "summary_table.parquet").exists() else None)
print(texts.phrase("nb_er_runs", LANG, runs=texts.number(len(runs), LANG)) if timeseries is None else
      texts.phrase("nb_er_runs_months", LANG, runs=texts.number(len(runs), LANG),
                   rows=texts.number(len(timeseries), LANG)))

# %%
say("nb_er_conditions")
STATS = {"outcome", "n", "mean", "sd", "ci_low", "ci_high"}
if CONDITION is None and summary_table is not None and STATS <= set(summary_table.columns):
    CONDITION = [c for c in summary_table.columns if c not in STATS]
if not CONDITION:
    candidates = ["scenario", "design", *[c for c in runs.columns if "." in c]]
    CONDITION = [c for c in candidates if c in runs.columns and runs[c].nunique() > 1] or ["design"]
CONDITION = [CONDITION] if isinstance(CONDITION, str) else list(CONDITION)
#: The column that names each run's condition in words (in LANG), for the tables and figures below.
CONDITION_WORD = texts.phrase("nb_er_condition_word", LANG)


def value_words(column: str, value) -> str:
    """A condition's value in words: design and scenario presets named, numbers as LANG writes them."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return texts.number(value, LANG, len(str(value).partition(".")[2]))
    return texts.name_or_key(column, value, LANG)


def conditions_in_words(table: pd.DataFrame) -> list[str]:
    """Each row's condition in words: the values of its CONDITION columns, joined."""
    return [", ".join(value_words(c, v) for c, v in zip(CONDITION, row, strict=True))
            for row in table[CONDITION].itertuples(index=False)]


runs[CONDITION_WORD] = conditions_in_words(runs)
print(texts.phrase("nb_er_conditions_line", LANG, columns=", ".join(plots.column_name(c, LANG) for c in CONDITION),
                   conditions="; ".join(runs[CONDITION_WORD].unique())))
runs.groupby(CONDITION_WORD, sort=False).size().rename(texts.phrase("nb_er_runs_word", LANG)).to_frame()

# %%
say("nb_er_summary")
outcomes = [o for o in plots.KEY_OUTCOMES if o in runs.columns]
recomputed = plots.interval_table(runs, outcomes, by=CONDITION_WORD, percent=False)
if summary_table is not None and STATS <= set(summary_table.columns):
    gathered = summary_table[summary_table["outcome"].isin(outcomes)].copy()
    gathered[CONDITION_WORD] = conditions_in_words(gathered)
    check = gathered.merge(recomputed, on=[CONDITION_WORD, "outcome"], suffixes=("_gathered", "_recomputed"))
    for col in ("mean", "ci_low", "ci_high"):
        gap = (check[f"{col}_gathered"] - check[f"{col}_recomputed"]).abs().max()
        assert gap < 1e-9, f"summary_table.parquet's {col} disagrees with runs.parquet (by {gap})"
    print(texts.phrase("nb_er_agrees", LANG, pairs=texts.number(len(check), LANG)))
# shown as the figures show them: turnout and the shares of residents in percent, indices as they are
table = plots.interval_table(runs, outcomes, by=CONDITION_WORD)
table["value"] = [answers.interval_words(r.mean, r.ci_low, r.ci_high, LANG, answers.decimals(r.outcome))
                  for r in table.itertuples()]
table.pivot(index=CONDITION_WORD, columns="outcome", values="value").reindex(runs[CONDITION_WORD].unique())[
    outcomes].rename(columns=lambda o: plots.label(o, LANG)).rename_axis(columns=None)

# %%
say("nb_er_figures")
FIGURE_OUTCOMES = [o for o in ("turnout", "legitimacy", "service_quality", "trust_citizens") if o in runs.columns]
figures = {f"outcome_{o}": plots.conditions(runs, o, CONDITION, lang=LANG) for o in FIGURE_OUTCOMES}

# %%
if timeseries is not None and not timeseries.empty and CONDITION[0] in timeseries.columns:
    figures["timeseries"] = plots.conditions_over_time(timeseries, FIGURE_OUTCOMES, CONDITION[0], lang=LANG)

# %%
say("nb_er_more")
figures["outcomes"] = plots.design_comparison(runs, outcomes, by=CONDITION_WORD, lang=LANG)

# %%
figures["tradeoff_turnout_legitimacy"] = plots.tradeoff(runs, "turnout", "legitimacy", by=CONDITION_WORD, lang=LANG)

# %%
if SAVE_FIGURES:
    out = folder / "figures_notebook"
    for name, fig in figures.items():
        plots.save(fig, out, name)
    print(texts.phrase("nb_er_saved", LANG, n=len(figures), folder=out))
