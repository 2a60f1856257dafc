"""The user-facing words (sim/texts.py): every name, label and explanation exists in English and Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import texts
from sim.model.model import RESULTS, TIMESERIES_COLUMNS
from sim.model.outcomes import DIMENSIONS, GROUP_ORDER, group_labels
from sim.model.processes.cycle import Phase
from sim.results import FINAL_STATE, TOTALS

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
SCENARIOS = sorted(p.stem for p in (CONFIGS / "scenario").glob("*.yaml"))
DESIGNS = sorted(p.stem for p in (CONFIGS / "design").glob("*.yaml"))
#: Every column a figure or table may label: the time series, the summary's final states and totals.
COLUMNS = sorted(set(TIMESERIES_COLUMNS) | set(FINAL_STATE) | set(TOTALS))


def test_presets_found() -> None:
    """The parametrisations below are not empty (a moved configs/ folder would hide every check)."""
    assert {"generic", "geel", "kampenhout", "antwerp_district"} <= set(SCENARIOS)
    assert {"none", "participatory_budget", "citizens_panel", "coproduction"} <= set(DESIGNS)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
@pytest.mark.parametrize(("kind", "keys"), [("scenario", SCENARIOS), ("design", DESIGNS),
                                            ("phase", [p.value for p in Phase]), ("dimension", list(DIMENSIONS))])
def test_every_preset_phase_and_dimension_has_a_plain_name(kind: str, keys: list[str], lang: str) -> None:
    """A name in words (no code name with underscores) for every scenario, design, phase and dimension."""
    for key in keys:
        words = texts.name(kind, key, lang)
        assert words.strip() and "_" not in words, (kind, key, lang, words)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_ordinal_group_has_a_name_and_its_order(lang: str) -> None:
    """Every group of every dimension but neighbourhoods is named; GROUP_ORDER keeps the model's order."""
    labels = group_labels(["centre"])
    for dim, groups in GROUP_ORDER.items():
        assert groups == tuple(labels[dim])
        for group in groups:
            assert texts.name("group", group, lang).strip()
    assert GROUP_ORDER["education"] == ("low", "middle", "high")
    assert GROUP_ORDER["age"] == ("0-17", "18-34", "35-64", "65+")


@pytest.mark.parametrize("lang", texts.LANGUAGES)
@pytest.mark.parametrize("column", COLUMNS)
def test_every_column_has_a_label_and_an_explanation(column: str, lang: str) -> None:
    """Label in words with a unit in brackets (phase is a category), and an explanation of a sentence or more."""
    words = texts.label(column, lang)
    assert words.strip() and "_" not in words
    if column != "phase":
        assert "(" in words and words.endswith(")"), words
    assert texts.explain(column, lang).endswith(".")


@pytest.mark.parametrize("column", COLUMNS)
def test_dutch_labels_are_translations(column: str) -> None:
    """The Dutch label and explanation differ from the English ones (none was left untranslated)."""
    assert texts.label(column, "nl") != texts.label(column, "en")
    assert texts.explain(column, "nl") != texts.explain(column, "en")


def test_every_phrase_exists_in_both_languages() -> None:
    """Each figure phrase has an English and a Dutch text with the same placeholders."""
    import string

    for key in texts.phrases():
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts.catalogue(lang)["phrases"][key]) if f}
                  for lang in texts.LANGUAGES]
        assert fields[0] == fields[1], key
        assert texts.phrase(key, "nl", **dict.fromkeys(fields[1], 1)).strip()


def test_flemish_words() -> None:
    """The Flemish terms practitioners use."""
    assert texts.name("design", "participatory_budget", "nl") == "burgerbegroting"
    assert texts.name("design", "consultation", "nl") == "inspraak"
    assert "burgerpanel" in texts.name("design", "citizens_panel", "nl")
    assert "cocreatie" in texts.name("design", "spatial_codesign", "nl")
    assert "coproductie" in texts.name("design", "coproduction", "nl")
    assert "vertrouwen" in texts.label("trust_citizens", "nl")
    assert "legitimiteit" in texts.label("legitimacy_input", "nl")


def test_eligible_is_defined_and_equity_is_one_minus_gini() -> None:
    """Turnout of eligible residents says who is eligible (old enough for the design); equity says 1 - Gini."""
    assert "eligible" in texts.label("turnout_eligible")
    assert "old enough" in texts.explain("turnout_eligible") and "minimum age" in texts.explain("turnout_eligible")
    assert "all residents" in texts.label("turnout")
    assert "oud genoeg" in texts.explain("turnout_eligible", "nl")
    assert "1 - Gini" in texts.label("service_quality_equity")
    for part in ("input", "throughput", "output"):
        assert part in texts.label(f"legitimacy_{part}")
        assert "High" in texts.explain(f"legitimacy_{part}") or "Low" in texts.explain(f"legitimacy_{part}")


def test_unknown_keys_and_languages_are_clear_errors() -> None:
    """A KeyError that names what exists, for an unknown kind, key, column, phrase or language."""
    with pytest.raises(KeyError, match="participatory_budget"):
        texts.name("design", "participatory_budgte")
    with pytest.raises(KeyError, match="kinds: scenario"):
        texts.name("desing", "none")
    with pytest.raises(KeyError, match="en, nl"):
        texts.name("design", "none", lang="fr")
    with pytest.raises(KeyError, match="en, nl"):
        texts.label("turnout", lang="NL")
    with pytest.raises(KeyError, match="trust_citizens"):
        texts.explain("trust_citizen")
    with pytest.raises(KeyError, match="turnout_title"):
        texts.phrase("no_such_phrase")
    with pytest.raises(KeyError, match="kinds"):
        texts.keys("nope")


def test_name_or_key_passes_other_values_through() -> None:
    """Values that are not presets (a notebook's variant, a neighbourhood) are shown as they are."""
    assert texts.name_or_key("design", "participatory_budget", "nl") == "burgerbegroting"
    assert texts.name_or_key("design", "PB with greedy rule") == "PB with greedy rule"
    assert texts.name_or_key("group", "centre", "nl") == "centre"
    with pytest.raises(KeyError):
        texts.name_or_key("design", "none", "de")


def test_every_language_file_has_the_same_keys() -> None:
    """nl.yaml and en.yaml hold the same sections and keys (a translator added or dropped none)."""

    def keys(node: object, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return set().union(*(keys(v, f"{prefix}{k}.") for k, v in node.items())) | {prefix}
        return {prefix}

    en = texts.catalogue("en")
    for lang in texts.LANGUAGES:
        assert keys(texts.catalogue(lang)) == keys(en), lang


@pytest.mark.parametrize("lang", texts.LANGUAGES)
@pytest.mark.parametrize("result", RESULTS, ids=lambda r: r.name)
def test_every_declared_result_has_its_words_in_every_language(result, lang: str) -> None:
    """Each result a part of the model declares (sim.model.processes.base.Result) has a unit and a
    description where it is declared, and a label and an explanation in every language's file."""
    assert result.unit and result.doc.endswith(".")
    assert texts.label(result.name, lang).strip() and texts.explain(result.name, lang).strip()


def test_the_time_series_is_the_declared_results() -> None:
    """One column per declared result, each declared once; the summary's final states and totals are declared."""
    names = [r.name for r in RESULTS]
    assert list(TIMESERIES_COLUMNS) == names and len(set(names)) == len(names)
    assert set(FINAL_STATE) == {r.name for r in RESULTS if r.summary == "final"}
    assert set(TOTALS) == {r.name for r in RESULTS if r.summary == "total"}
