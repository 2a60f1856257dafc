"""The policymaker's answers (sim.experiments.answers): verdicts, costs, who takes part.

Verdicts are checked on hand-built runs whose differences and intervals can be worked out by
hand; costs and representation on real runs against the run's own ledger and group table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim import texts
from sim.experiments import answers


def _runs(base: list[float], other: list[float], outcome: str = "trust_citizens") -> pd.DataFrame:
    """Runs of two designs, replicate r of each paired."""
    n = len(base)
    return pd.DataFrame({"design": ["none"] * n + ["x"] * n, "replicate": list(range(n)) * 2,
                         outcome: base + other})


def _verdict(runs: pd.DataFrame, outcome: str = "trust_citizens", **kw) -> pd.Series:
    return answers.verdicts(runs, "none", [outcome], **kw).iloc[0]


def test_a_large_clear_difference_is_better() -> None:
    # shares of residents who trust: differences 5, 6, 4 percentage points: mean 5, sd 1, half-width
    # t(2) 4.303 * 1 / sqrt(3) = 2.48 points
    r = _verdict(_runs([0.30, 0.30, 0.30], [0.35, 0.36, 0.34]))
    assert r["difference"] == pytest.approx(5.0)
    assert r["ci_low"] == pytest.approx(5.0 - 4.302653 * 1.0 / np.sqrt(3), rel=1e-5)
    assert (r["verdict"], r["reason"], r["threshold"]) == ("better", "clear", 2.0)


def test_a_clear_loss_is_worse_and_lower_is_better_flips_it() -> None:
    runs = _runs([0.30, 0.30, 0.30], [0.25, 0.26, 0.24])
    assert _verdict(runs)["verdict"] == "worse"
    assert _verdict(runs, lower_is_better=["trust_citizens"])["verdict"] == "better"


def test_a_clear_but_small_difference_is_no_clear_difference() -> None:
    # +1 percentage point in every replicate: the interval excludes zero, but 1 point is below the 2-point threshold
    r = _verdict(_runs([0.30, 0.31, 0.32], [0.31, 0.32, 0.33]))
    assert r["difference"] == pytest.approx(1.0)
    assert (r["verdict"], r["reason"]) == ("no clear difference", "below_threshold")
    # the threshold is the caller's: with half a point the same difference counts
    assert _verdict(_runs([0.30, 0.31, 0.32], [0.31, 0.32, 0.33]), thresholds={"trust_citizens": 0.5})[
        "verdict"] == "better"


def test_perceptions_are_judged_in_percentage_points_indices_in_points() -> None:
    """Every share of residents who agree with a survey item has the 2-point threshold; a 0-1 index keeps 0.02."""
    for outcome in sim.plots.PERCEPTIONS:
        assert answers.THRESHOLDS[outcome] == 2.0 and outcome in sim.plots.PERCENT
    for outcome in ("legitimacy", "legitimacy_input", "legitimacy_throughput", "legitimacy_output",
                    "trust_citizens", "trust_nonparticipants", "efficacy_citizens"):
        assert outcome in sim.plots.PERCEPTIONS
    assert answers.THRESHOLDS["service_quality"] == 0.02 and "service_quality" not in sim.plots.PERCENT
    # 3 points more residents who feel involved, in every replicate: better; 0.03 on the quality index: better too
    runs = _runs([0.34, 0.35, 0.33], [0.37, 0.38, 0.36], "legitimacy_input")
    r = _verdict(runs, "legitimacy_input")
    assert r["difference"] == pytest.approx(3.0) and r["verdict"] == "better"
    r = _verdict(_runs([0.50, 0.51, 0.52], [0.53, 0.54, 0.55], "service_quality"), "service_quality")
    assert r["difference"] == pytest.approx(0.03) and r["verdict"] == "better"


def test_one_pair_of_runs_has_no_interval_and_no_verdict() -> None:
    """A single run of each design (the dashboard's side by side): a large difference is no clear difference,
    because one run has no interval; a small one is below the threshold."""
    r = _verdict(_runs([0.30], [0.40]))
    assert r["difference"] == pytest.approx(10.0) and r["n"] == 1
    assert (r["verdict"], r["reason"]) == ("no clear difference", "too_few_runs")
    assert _verdict(_runs([0.30], [0.31]))["reason"] == "below_threshold"
    assert sim.texts.phrase("reason_too_few_runs", "nl")


def test_a_large_but_noisy_difference_is_no_clear_difference() -> None:
    # differences 20, -5, 10 points: mean 8.33, well above the threshold, but the interval holds zero
    r = _verdict(_runs([0.30, 0.30, 0.30], [0.50, 0.25, 0.40]))
    assert r["difference"] == pytest.approx(25 / 3)
    assert r["ci_low"] < 0 < r["ci_high"]
    assert (r["verdict"], r["reason"]) == ("no clear difference", "interval_holds_zero")


def test_turnout_against_no_participation_is_not_comparable() -> None:
    r = _verdict(_runs([0.0, 0.0, 0.0], [0.03, 0.031, 0.032], "turnout"), "turnout")
    assert r["verdict"] == "not comparable"
    assert r["difference"] == pytest.approx(3.1)  # percentage points
    # against a baseline that has turnout, it is judged in percentage points
    r = _verdict(_runs([0.02, 0.021, 0.022], [0.03, 0.031, 0.032], "turnout"), "turnout")
    assert (r["verdict"], r["threshold"]) == ("better", 0.5)


def test_bad_thresholds_and_baselines_are_refused() -> None:
    runs = _runs([0.3, 0.3], [0.4, 0.4])
    with pytest.raises(KeyError, match="no threshold for outcome"):
        answers.verdicts(runs.rename(columns={"trust_citizens": "odd"}), "none", ["odd"])
    with pytest.raises(ValueError, match="finite and >= 0"):
        answers.verdicts(runs, "none", ["trust_citizens"], thresholds={"trust_citizens": -1})
    with pytest.raises(ValueError, match="no runs of the baseline"):
        answers.verdicts(runs, "nothing", ["trust_citizens"])


def test_plain_words_lists_outcomes_under_their_verdict_in_both_languages() -> None:
    runs = _runs([0.30, 0.30, 0.30], [0.35, 0.36, 0.34])
    table = answers.verdicts(runs, "none", ["trust_citizens"])
    en = answers.plain_words(table, "en")
    assert en.loc["x", "better"] == "residents who trust the municipality"
    assert en.loc["x", "worse"] == "-"
    nl = answers.plain_words(table, "nl")
    assert list(nl.columns) == ["beter", "slechter", "geen duidelijk verschil", "niet te vergelijken"]


def test_verdict_words_say_each_verdict_in_words_with_numbers_as_the_language_writes_them() -> None:
    """One row per condition and outcome, headed and filled in words: no code name, Dutch decimal commas."""
    runs = _runs([0.30, 0.30, 0.30], [0.35, 0.36, 0.34])
    table = answers.verdicts(runs, "none", ["trust_citizens"])
    en = answers.verdict_words(table, "en")
    assert list(en.columns) == ["design", "outcome", "difference [95 % interval]", "verdict", "why"]
    assert en.iloc[0].tolist()[1:] == ["residents who trust the municipality (%)", "+5.0 [+2.5, +7.5]", "better",
                                       texts.phrase("reason_clear", "en")]
    nl = answers.verdict_words(table, "nl")
    assert nl.columns[0] == "traject" and nl.iloc[0, 2] == "+5,0 [+2,5; +7,5]" and nl.iloc[0, 3] == "beter"
    assert (answers.decimals("trust_citizens"), answers.decimals("staff_hours"),
            answers.decimals("service_quality")) == (1, 0, 2)


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    # half of Kampenhout: its citizens' budget then holds two or three projects of about EUR 15,000 (at a
    # fifth it held one at most, and a replicate could fund none)
    return sim.compare("kampenhout", ["none", "participatory_budget", "citizens_panel"], replicates=2, seed=3,
                       overrides=["run.population_scale=0.5"], measure=answers.measure)


def test_measure_adds_costs_from_the_runs_ledger() -> None:
    result = sim.run("kampenhout", "participatory_budget", 3)
    assert result.summary["proposals_implemented"] > 0
    m = answers.measure(result)
    hour = result.settings.administration.hour_cost_eur
    spent = result.model.staff.spent
    ledger = result.projects
    delivered = ledger["month_delivered"].notna()
    # the project ledger adds up to the project money spent: every delivered project's final cost,
    # the residents' and the council's
    assert result.summary["budget_spent"] == pytest.approx(ledger.loc[delivered, "cost_final"].sum(), rel=1e-9)
    assert set(ledger.loc[delivered, "origin"]) == {"residents", "council"}
    assert m["staff_cost_eur"] == pytest.approx(result.summary["staff_hours"] * hour)
    # the total cost: project money spent plus staff cost; residents' hours apart
    assert m["total_cost_eur"] == pytest.approx(m["staff_cost_eur"] + result.summary["budget_spent"])
    assert m["residents_hours"] == pytest.approx(result.cycles["participants"].sum()
                                                 * result.settings.design.participant_hours
                                                 + result.summary["citizen_hours"])
    took = result.model.population.ever_participated.sum()
    assert m["residents_took_part"] == took > 0
    assert m["cost_per_participant_eur"] == pytest.approx(
        (result.summary["staff_hours"] - spent["implementation"]) * hour / took)
    assert m["cost_per_project_eur"] == pytest.approx(
        (result.summary["budget_spent"] + spent["implementation"] * hour) / delivered.sum())


def test_representation_ratios_average_to_one_over_the_residents() -> None:
    result = sim.run("kampenhout", "participatory_budget", 3, ["run.population_scale=0.2"])
    m = answers.measure(result)
    g = result.groups[result.groups["step"] == 1].set_index(["dimension", "group"])["population"]
    for dimension in answers.WHO_DIMENSIONS:
        pop = g.loc[dimension]
        ratios = np.array([m[f"who:{dimension}:{grp}"] for grp in pop.index])
        # the population-weighted mean of the ratios is 1: shares of participants sum to 1
        assert np.average(ratios, weights=pop.to_numpy()) == pytest.approx(1.0)


def test_no_participation_spends_the_same_project_money_and_nothing_on_participation(runs: pd.DataFrame) -> None:
    """Without participation the council spends the project money on its own projects: the same money as
    the designs (equal money), staff hours only to carry out its projects, no residents' hours."""
    none = runs[runs["design"] == "none"]
    assert (none["budget_residents"] == 0).all() and (none["budget_council"] > 0).all()
    assert (none["budget_spent"] > 0).all() and (none["residents_hours"] == 0).all()
    assert np.allclose(none["total_cost_eur"], none["budget_spent"] + none["staff_cost_eur"])
    assert none["cost_per_participant_eur"].isna().all()
    assert none[[c for c in runs.columns if c.startswith("who:")]].isna().all().all()
    # every design commits about the same project money over the term (residents' and council's together);
    # the old model gave no participation none at all. What differs is who chose it.
    committed = (runs["budget_residents"] + runs["budget_council"]).groupby(runs["design"]).mean()
    assert (abs(committed / committed["none"] - 1) < 0.15).all(), committed
    budget = runs[runs["design"] == "participatory_budget"]
    assert (budget["budget_residents"] > 0).all()  # residents chose part of it


def test_costs_and_who_takes_part_tables(runs: pd.DataFrame) -> None:
    costs = answers.costs(runs)
    assert set(costs["outcome"]) == set(answers.COSTS)
    panel = costs[(costs["design"] == "citizens_panel") & (costs["outcome"] == "residents_took_part")]
    assert panel["mean"].iloc[0] == pytest.approx(runs.loc[runs["design"] == "citizens_panel",
                                                           "residents_took_part"].mean())
    who = answers.who_takes_part(runs)
    edu = who[(who["design"] == "participatory_budget") & (who["dimension"] == "education")]
    assert list(edu["group"]) == ["low", "middle", "high"]  # in their order, not alphabetical
    assert list(dict.fromkeys(who["design"])) == ["none", "participatory_budget", "citizens_panel"]
    out = answers.left_out(who, below=10.0)  # everything is below 10: every group but the skipped children
    assert ("age", "0-17") not in set(zip(out["dimension"], out["group"], strict=True))
    assert len(out) == who["ratio"].notna().sum() - who[(who["group"] == "0-17") & who["ratio"].notna()].shape[0]


def test_tables_need_the_measure() -> None:
    with pytest.raises(KeyError, match=r"measure=sim\.experiments\.answers\.measure"):
        answers.costs(_runs([0.3], [0.4]))
    with pytest.raises(KeyError, match=r"measure=sim\.experiments\.answers\.measure"):
        answers.who_takes_part(_runs([0.3], [0.4]))


def test_compare_refuses_a_measure_that_shadows_the_summary() -> None:
    with pytest.raises(ValueError, match="already has"):
        sim.compare("kampenhout", ["none"], replicates=1, overrides=["run.population_scale=0.05"],
                    measure=_shadowing)


def _shadowing(result) -> dict:
    return {"turnout": 1.0}


def test_robust_words_say_which_conclusions_hold_in_both_languages() -> None:
    """Design a beats none on trust in all 20 matched runs (holds), on legitimacy in 12 of 20 (60 %:
    depends on the assumptions) and loses on quality in all (worse, holds)."""
    rows = []
    for draw in range(10):
        for rep in range(2):
            base = {"draw": draw, "replicate": rep}
            none = {o: 0.5 for o in answers.OUTCOMES}
            a = {o: 0.5 for o in answers.OUTCOMES}
            a["trust_citizens"] = 0.6
            a["legitimacy"] = 0.6 if draw < 6 else 0.4
            a["service_quality"] = 0.4
            rows += [{**base, "design": "none", **none}, {**base, "design": "consultation", **a}]
    table = answers.robust_words(pd.DataFrame(rows), "none", "en")
    row = table.loc[sim.texts.name("design", "consultation", "en")]
    # a steady gain below the threshold of what matters (1 point of residents who trust) is no verdict
    steady = pd.DataFrame(rows).assign(trust_citizens=lambda d: np.where(d["design"] == "none", 0.5, 0.51))
    cell = answers.robust_words(steady, "none", "en").loc[sim.texts.name("design", "consultation", "en")]
    assert cell[sim.texts.label("trust_citizens", "en").split(" (")[0]] == "no difference that matters, holds (0 %)"
    loose = answers.robust_words(steady, "none", "en", thresholds={"trust_citizens": 0.5})
    assert loose.iloc[0][sim.texts.label("trust_citizens", "en").split(" (")[0]] == "better, holds (100 %)"
    assert row[sim.texts.label("trust_citizens", "en").split(" (")[0]] == "better, holds (100 %)"
    assert row[sim.texts.label("legitimacy", "en").split(" (")[0]] == "depends on the assumptions (60 %)"
    assert row[sim.texts.label("service_quality", "en").split(" (")[0]] == "worse, holds (0 %)"
    assert "turnout" not in " ".join(table.columns)
    nl = answers.robust_words(pd.DataFrame(rows), "none", "nl")
    assert nl.loc[sim.texts.name("design", "consultation", "nl")].str.contains("houdt stand").any()


@pytest.mark.parametrize(("preset", "given"), [("geel", ()), ("kampenhout", ()), ("antwerp_district", ()),
                                               ("generic", ()), ("generic", ("population", "neighbourhoods"))])
def test_the_dutch_inputs_table_has_no_english_source(preset: str, given: tuple[str, ...]) -> None:
    """Every source of the municipality's inputs (the report's table) is in the report's language: in Dutch
    each is the translation of the English note (sim.texts.source_note), and differs from it unless the note
    is only a citation (tests/test_texts.py, CITATIONS); a value of the user's own file says so in Dutch."""
    from tests.test_texts import CITATIONS

    config = sim.compose_config(preset)
    en = answers.inputs(config, preset, given, "en", "gemeente.yaml")
    nl = answers.inputs(config, preset, given, "nl", "gemeente.yaml")
    assert list(en["key"]) == list(nl["key"]) and list(en["status"]) == list(nl["status"])
    translations = sim.texts.source_notes("nl")
    for key, status, english, dutch in zip(en["key"], en["status"], en["source"], nl["source"], strict=True):
        if status == "given":
            assert dutch == "uit uw bestand gemeente.yaml", key
        elif english:
            assert english in translations, f"{preset}: no Dutch for the source of {key}: {english!r}"
            assert dutch == translations[english] and (dutch != english or english in CITATIONS), (key, dutch)
        else:
            assert dutch == "", key  # an assumption without words (the schema's "assumption")
    if preset == "kampenhout":
        shares = nl.set_index("key").loc["neighbourhood_shares", "source"]
        assert shares.startswith("vier gelijke delen, een plaatshouder") and "deelgemeente" in shares


def test_scale_words_say_plainly_when_only_part_of_the_residents_is_simulated() -> None:
    """Every resident: the count and the replicates; a part: a warning in capitals, in either language."""
    assert answers.scale_words("geel", 40781, 1.0, 5, 0) == ("Every resident is simulated: 40,781 residents of Geel; "
                                                             "5 replicates per variant (root seed 0).")
    scaled = answers.scale_words("geel", 40781, 0.25, 5, 0, "nl")
    assert scaled.startswith("VERKLEIND: 10.195 van de 40.781 inwoners van Geel") and "(25 %)" in scaled
