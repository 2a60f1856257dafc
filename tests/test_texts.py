"""The user-facing words (sim/texts.py): every name, label and explanation exists in English and Dutch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim import plots, texts
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
    assert "legitimiteit" in texts.label("legitimacy", "nl") and "betrokken" in texts.label("legitimacy_input", "nl")


def test_eligible_is_defined_and_equity_is_one_minus_gini() -> None:
    """Turnout of eligible residents says who is eligible (old enough for the design); equity says 1 - Gini."""
    assert "eligible" in texts.label("turnout_eligible")
    assert "old enough" in texts.explain("turnout_eligible") and "minimum age" in texts.explain("turnout_eligible")
    assert "all residents" in texts.label("turnout")
    assert "oud genoeg" in texts.explain("turnout_eligible", "nl")
    assert "1 - Gini" in texts.label("service_quality_equity")


#: The survey item each share of residents counts agreement with (English wording, as the explanation quotes it).
ITEMS = {"trust_citizens": "I have (a lot of) trust in the municipal government",
         "efficacy_citizens": "People like me can influence what the municipality does",
         "legitimacy_input": "The municipality involves its residents sufficiently",
         "legitimacy_throughput": "Decisions in my municipality are taken in a fair and open way",
         "legitimacy_output": "I am satisfied with what the municipality delivers"}


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_perceptions_are_shares_of_residents_named_by_their_item(lang: str) -> None:
    """Every perception is labelled as a share of residents in percent, never as an index; the label says
    the item in plain words (no "input/throughput/output" jargon), the explanation names the survey item
    (and its published Flemish level where there is one) and what high or low means."""
    for column in plots.PERCEPTIONS:
        label = texts.label(column, lang)
        assert label.endswith("%)") or "(%" in label or "(% " in label, (column, label)
        assert "index" not in label and not any(w in label for w in ("input", "throughput", "output")), label
    for column, item in ITEMS.items():
        explain = texts.explain(column, lang)
        if lang == "en":
            assert f'"{item}"' in explain, column
        assert any(w in explain.lower() for w in ("high", "low", "hoog", "laag")), (column, explain)
    for column in ("trust_citizens", "legitimacy_input", "legitimacy_output"):  # published Flemish levels
        assert "Gemeente-Stadsmonitor" in texts.explain(column, lang) and "2023" in texts.explain(column, lang)
    for part in ("input", "throughput", "output"):  # no jargon in what trainers and councils read (issues 19, 20)
        assert f"{part} legitimacy" not in texts.explain(f"legitimacy_{part}", "en").lower()
        assert f"{part}legitimiteit" not in texts.explain(f"legitimacy_{part}", "nl").lower()
    assert texts.label("trust_citizens", "en") == "residents who trust the municipality (%)"
    assert texts.label("trust_citizens", "nl") == "inwoners met vertrouwen in het gemeentebestuur (%)"
    assert "index 0-1" in texts.label("legitimacy_council", lang)  # the council's acceptance is no survey item


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_signal_kind_has_words(lang: str) -> None:
    """What moved residents' perceptions is named in words for every kind of news, and for memory."""
    from sim.model.signals import SignalKind

    for kind in [k.value for k in SignalKind] + ["memory"]:
        words = texts.signal(kind, lang)
        assert words.strip() and "_" not in words, (kind, words)
    assert set(texts.catalogue(lang)["signals"]) == {k.value for k in SignalKind} | {"memory"}


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
    """nl.yaml and en.yaml hold the same sections and keys (a translator added or dropped none), but
    ``sources``: the notes on where a municipality's numbers come from are written in English once, in
    the scenario presets and the schema (sim.config.provenance), so only the other languages have a
    section translating them (checked below, against the notes themselves)."""

    def keys(node: object, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return set().union(*(keys(v, f"{prefix}{k}.") for k, v in node.items())) | {prefix}
        return {prefix}

    en = texts.catalogue("en")
    assert "sources" not in en
    for lang in texts.LANGUAGES:
        catalogue = texts.catalogue(lang)
        assert ("sources" in catalogue) == (lang != "en"), lang
        assert keys({k: v for k, v in catalogue.items() if k != "sources"}) == keys(en), lang


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


# --------------------------------------------------------------------------- where the inputs come from

#: The rule of the translated source notes: a note reads the same in Dutch only if it is nothing but a
#: citation, a publisher's or survey's name (and those are listed here, so that a note left in English
#: must be argued for). Everything else has words to translate and must read differently.
CITATIONS = frozenset({"Statbel", "Statbel (LFS)"})
OTHER_LANGUAGES = [lang for lang in texts.LANGUAGES if lang != "en"]


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_source_note_has_a_translation(lang: str) -> None:
    """Every note the report can show (each scenario preset's, each schema source) is translated, once,
    and no translation is left of a note that no longer exists (an English note that changed)."""
    from sim.config import provenance

    pairs = [entry["en"] for entry in texts.catalogue(lang)["sources"]]
    assert len(pairs) == len(set(pairs)), [n for n in pairs if pairs.count(n) > 1]
    notes = provenance.notes()
    assert {"Statbel, 1 January 2024", "Gemeente-Stadsmonitor 2023 (Flemish average)"} <= notes  # presets, schema
    assert sorted(notes - set(pairs)) == [], f"no {lang} translation in sim/locales/{lang}.yaml, sources"
    assert sorted(set(pairs) - notes) == [], f"translations in sim/locales/{lang}.yaml of notes no longer used"


#: A number as English writes it in a note: 6,864,766 / 1,322 / 3.2 / 13.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def test_dutch_source_notes_are_translations_that_keep_their_citations() -> None:
    """Each Dutch note differs from the English unless it is only a citation (:data:`CITATIONS`), keeps
    the titles in quotes and the docs/ references, and writes each number of the English the Dutch way
    (1,322 -> 1.322, 3.2 % -> 3,2 %, EUR 100,000 -> EUR 100.000), with no number written the English way."""
    for en, nl in texts.source_notes("nl").items():
        assert (nl == en) == (en in CITATIONS), (en, nl)
        for quoted in re.findall(r'"[^"]*"', en) + re.findall(r"docs/\S+\.md", en):
            assert quoted in nl, (quoted, nl)
        for number in _NUMBER.findall(en):
            assert number.translate(str.maketrans(",.", ".,")) in nl, (number, en, nl)
        assert not re.search(r"\d\.\d{1,2}(?!\d)|\d,\d{3}(?!\d)", nl), nl  # 3.2 or 1,322 in Dutch


def test_source_note_translates_and_english_stays() -> None:
    note = "four equal shares, a placeholder: no published figures per sub-municipality were found (Buken is " \
           "much smaller than the others)"
    assert texts.source_note(note, "en") == note
    assert texts.source_note(note, "nl") == ("vier gelijke delen, een plaatshouder: er zijn geen gepubliceerde "
                                             "cijfers per deelgemeente gevonden (Buken is veel kleiner dan de andere)")
    assert texts.source_note("Statbel, 1 January 2021", "nl") == "Statbel, 1 januari 2021"
    assert texts.source_note("", "nl") == ""
    assert texts.source_note("a note nobody translated", "nl") == "a note nobody translated"  # shown, not refused
    assert texts.source_notes("en") == {}
    with pytest.raises(KeyError, match="en, nl"):
        texts.source_note(note, "fr")
