"""A municipality described in a small file (sim.config.municipality): the example works, bad input is refused."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import sim
from sim.config import municipality
from sim.config.keys import ConfigError
from sim.config.schema import Config
from tests.helpers import REPO

EXAMPLE = REPO / "examples" / "municipality.yaml"


def _spec(**changes) -> dict:
    spec = municipality.load(EXAMPLE)
    spec.update(changes)
    return {k: v for k, v in spec.items() if v is not ...}


def _compose(spec: dict) -> Config:
    return sim.compose_config("generic", "participatory_budget", overrides=municipality.overrides(spec))


def test_the_example_becomes_the_scenario() -> None:
    spec = municipality.load(EXAMPLE)
    cfg = _compose(spec)
    s = cfg.scenario
    assert (s.name, s.population) == ("Voorbeeldgemeente", 18250)
    assert s.neighbourhoods == ["Centrum", "Noord", "Zuid"]
    assert s.neighbourhood_shares == pytest.approx([8100 / 18250, 5650 / 18250, 4500 / 18250], abs=1e-6)
    assert s.age_shares == pytest.approx(spec["age_shares"])
    assert s.initial_trust == 0.32
    assert s.council_seats == 25  # 15,000-19,999 residents in the seat table
    assert cfg.council.seats == 25


def test_seat_table_matches_the_presets() -> None:
    for scenario in ("kampenhout", "generic", "geel"):
        s = sim.compose_config(scenario, "none").scenario
        assert municipality.council_seats(s.population) == s.council_seats, scenario
    assert municipality.council_seats(999) == 7 and municipality.council_seats(1000) == 9


def test_names_with_spaces_and_quotes_survive() -> None:
    spec = _spec(name="Sint-Jan's Dorp", neighbourhoods={"Ten Aard": 9000, "Sint-Amands (centrum)": 9250})
    s = _compose(spec).scenario
    assert s.name == "Sint-Jan's Dorp"
    assert s.neighbourhoods == ["Ten Aard", "Sint-Amands (centrum)"]


def test_names_stay_the_text_written(tmp_path: Path) -> None:
    """YAML 1.1 reads On, No and yes as booleans and 2024-01-01 as a date: a neighbourhood named On became "True" in
    the report. A name is the text written; it is kept in Unicode NFC without white space around it."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: Voorbeeldgemeente", "name: yes")
    text = text.replace("  Centrum: 8100", '  "Zoe\u0308 ": 8100').replace("  Noord: 5650", "  On: 5650")
    path = tmp_path / "words.yaml"
    path.write_text(text.replace("  Zuid: 4500", "  No: 2250\n  2024-01-01: 2250"), encoding="utf-8")
    s = _compose(municipality.load(path, "nl")).scenario
    assert s.name == "yes"
    assert s.neighbourhoods == ["Zo\u00eb", "On", "No", "2024-01-01"]


def test_residents_are_whole_numbers() -> None:
    """Through a dict (the notebook's MY_MUNICIPALITY) as through a file: 5650.0 is 5650, 5650.5 is refused."""
    s = _compose(_spec(neighbourhoods={"Centrum": 8100.0, "Noord": 5650, "Zuid": "4.500"})).scenario
    assert s.neighbourhood_shares == pytest.approx([8100 / 18250, 5650 / 18250, 4500 / 18250], abs=1e-6)
    for count in (5650.5, 0.0001, True, "5650 inwoners"):
        with pytest.raises(ConfigError, match="allowed: a whole number of residents above 0"):
            municipality.overrides(_spec(neighbourhoods={"Centrum": 8100, "Noord": count, "Zuid": 4500}))


@pytest.mark.parametrize(("hoods", "population", "message"), [
    ({"Centrum": 10**30}, 18250, f"neighbourhoods.Centrum={10**30}; allowed: a whole number of residents above 0 and "
                                 "at most 5,000,000"),
    ({"Centrum": 10**400}, 18250, f"neighbourhoods.Centrum={10**400}; allowed: a whole number of residents"),
    ({"Centrum": 5_000_001}, 5_000_000, "neighbourhoods.Centrum=5000001; allowed: a whole number of residents above 0 "
                                        "and at most 5,000,000"),
    ({"Centrum": 18250}, 10**400, f"population={10**400} is out of range; allowed: a whole number from 10 to"),
], ids=["hood_1e30", "hood_1e400", "hood_above_the_largest_population", "population_1e400"])
def test_a_huge_number_is_refused_at_its_key_not_through_a_sum(hoods: dict, population: int, message: str) -> None:
    """Through a dict (the notebook's MY_MUNICIPALITY): 10**30 residents were refused only as the neighbourhoods' sum,
    with float noise; 10**400 was an OverflowError."""
    with pytest.raises(ConfigError, match=f"^the municipality's description: {re.escape(message)}"):
        municipality.overrides(_spec(neighbourhoods=hoods, population=population))


@pytest.mark.parametrize(("changes", "message"), [
    ({"initial_trust": ...}, "lacks initial_trust"),
    ({"neighbourhoods": ...}, "lacks neighbourhoods"),
    ({"mayor": "X"}, "unknown key 'mayor'"),
    ({"neighbourhood_shares": [0.5, 0.5]}, "unknown key 'neighbourhood_shares' (did you mean neighbourhoods?); "
                                           "allowed: age_shares"),
    ({"population": 18250.5}, "population=18250.5"),
    ({"neighbourhoods": ["Centrum", "Noord"]}, "allowed: each neighbourhood with its residents"),
    ({"neighbourhoods": {"Centrum": 8100, "Noord": -5}}, "neighbourhoods.Noord=-5"),
    ({"neighbourhoods": {"Centrum": 8100, "Noord": 5650}}, "add up to 13,750 residents but population=18,250"),
    ({"initial_trust": 1.5}, "initial_trust=1.5 is out of range; allowed: a share from 0.01 to 0.99"),
    ({"education_shares_adults": [0.5, 0.5, 0.5]}, "education_shares_adults adds up to 1.5; allowed: shares that add"),
    ({"age_shares": [0.5, 0.5]}, "age_shares holds 2 values; allowed: exactly 9"),
    ({"council_seats": 500}, "council_seats=500 is out of range; allowed: a whole number from 1 to 200"),
])
def test_a_bad_description_is_refused_before_composing_naming_the_key(changes: dict, message: str) -> None:
    """A missing, unknown or malformed key, or a value out of range: refused by ``overrides`` (before
    Hydra composes anything), in a message that holds ``message`` as written."""
    with pytest.raises(ConfigError, match=re.escape(message)):
        municipality.overrides(_spec(**changes))


def test_a_missing_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        municipality.load(tmp_path / "nothing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(ConfigError, match="line 2, is not readable"):
        municipality.load(bad)
    bad.write_text(yaml.safe_dump(["a", "list"]))
    with pytest.raises(ConfigError, match="holds no keys and values"):
        municipality.load(bad)


# --------------------------------------------------------------------------- a file nobody checked

def _file(tmp_path: Path, name: str, old: str | None, new: str) -> Path:
    """A copy of the example with the line matching ``old`` (a regular expression) replaced by ``new``."""
    text = EXAMPLE.read_text()
    if old is not None:
        assert re.search(old, text, flags=re.MULTILINE), old
        text = re.sub(old, lambda _: new, text, count=1, flags=re.MULTILINE)
    else:
        text += new
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path, lang: str) -> str:
    with pytest.raises(ConfigError) as info:
        municipality.overrides(municipality.load(path, lang), lang, path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message, message
    return message


#: A number of 30 nines.
NINES = "9" * 30

#: (file name, line replaced, replacement, words of the Dutch refusal, words of the English one)
BAD_FILES = [
    ("nested", r"^age_shares: .*$", "age_shares: [[0.11, 0.115], 0.11, 0.125, 0.13, 0.13, 0.125, 0.095, 0.06]",
     "age_shares[1]: [0.11, 0.115] is geen getal; toegestaan: een aandeel van 0 tot 1",
     "age_shares[1]: [0.11, 0.115] is not a number; allowed: a share from 0 to 1"),
    ("empty_name", r"^name: .*$", "name: ''", "name='' is niet toegestaan: hij is leeg",
     "name='' is not allowed: it is empty"),
    ("path_name", r"^name: .*$", "name: ../../../etc/x", "name='../../../etc/x' is niet toegestaan: hij bevat / of",
     "name='../../../etc/x' is not allowed: it holds / or"),
    # a name becomes the report's file name: 100 characters of Chinese script are 300 bytes, more than a file name holds
    ("name_bytes", r"^name: .*$", "name: " + "\u4e2d" * 100,
     "name='" + "\u4e2d" * 40 + "\u2026' is niet toegestaan: hij telt 300 bytes in UTF-8, meer dan 200",
     "name='" + "\u4e2d" * 40 + "\u2026' is not allowed: it has 300 bytes in UTF-8, more than 200 (a letter outside"),
    ("name_long", r"^name: .*$", "name: " + "a" * 101, "hij telt 101 tekens, meer dan 100; toegestaan: een naam van "
     "1 tot 100 tekens en hoogstens 200 bytes", "it has 101 characters, more than 100; allowed: a name of 1 to 100 "
     "characters and at most 200 bytes"),
    # names that look alike but differ by an invisible character, or are shown backwards (U+202E)
    ("zero_width", r"^  Zuid: 4500", '  "Zu\u200bid": 4500', "neighbourhoods='Zu\\u200bid' is niet toegestaan: hij "
     "bevat het stuurteken of onzichtbare teken U+200B", "neighbourhoods='Zu\\u200bid' is not allowed: it holds the "
     "control or invisible character U+200B"),
    ("bidi_name", r"^name: .*$", 'name: "Voorbeeld\u202egemeente"', "onzichtbare teken U+202E",
     "invisible character U+202E"),
    # residents are whole: 5650,5 and 0,0001 were taken
    ("hood_fraction", r"^  Noord: 5650", "  Noord: 5650,5",
     "neighbourhoods.Noord=5650,5; toegestaan: een geheel aantal inwoners groter dan 0",
     "neighbourhoods.Noord=5650,5; allowed: a whole number of residents above 0"),
    ("hood_tiny", r"^  Noord: 5650", "  Noord: 0,0001", "neighbourhoods.Noord=0,0001; toegestaan: een geheel aantal",
     "neighbourhoods.Noord=0,0001; allowed: a whole number"),
    ("hood_ambiguous", r"^  Noord: 5650", "  Noord: 5,650", "neighbourhoods.Noord=5,650 kan 5650 of 5,65 betekenen",
     "neighbourhoods.Noord=5,650 can be read as 5650 or as 5.65"),
    # names that look the same are the same: white space around them, a letter in two Unicode forms
    ("hood_space", r"^  Zuid: 4500", '  Zuid: 2250\n  "Zuid ": 2250',
     "neighbourhoods noemt 'Zuid' en 'Zuid ', wat dezelfde naam is (spaties rond een naam",
     "neighbourhoods names 'Zuid' and 'Zuid ', which are the same name (white space around a name"),
    ("hood_unicode_form", r"^  Zuid: 4500", '  "Zo\u00eb": 2250\n  "Zoe\u0308": 2250',
     "neighbourhoods noemt 'Zo\u00eb' en 'Zoe\u0308', wat dezelfde naam is",
     "neighbourhoods names 'Zo\u00eb' and 'Zoe\u0308', which are the same name"),
    ("hood_null", r"^  Noord: 5650", "  ~: 5650", "een wijk van 5650 inwoners zonder naam (~, null of niets wordt "
     "gelezen als geen waarde); toegestaan: een naam, tussen aanhalingstekens", "a neighbourhood of 5650 residents "
     "without a name (~, null or nothing is read as no value); allowed: a name, in quotes if it is ~ or null"),
    ("budget", r"^citizens_budget_eur: .*$", "citizens_budget_eur: 40000000",
     "citizens_budget_eur=40.000.000 is groter dan annual_budget_eur=30.000.000; toegestaan: hoogstens het "
     "jaarbudget", "citizens_budget_eur=40,000,000 is larger than annual_budget_eur=30,000,000; allowed: at most"),
    ("hoods", r"^  Zuid: 4500", "  Zuid: 450", "de wijken tellen samen 14.200 inwoners maar population=18.250",
     "the neighbourhoods add up to 14,200 residents but population=18,250; allowed: a difference of at most 1 %"),
    ("shares", r"^education_shares_adults: .*$", "education_shares_adults: [0.16, 0.39, 0.55]",
     "education_shares_adults telt op tot 1,1; toegestaan: aandelen die samen 1 zijn",
     "education_shares_adults adds up to 1.1; allowed: shares that add up to 1"),
    ("twice", r"^  Zuid: 4500", "  Zuid: 2250\n  Zuid: 2250", "regel 32: Zuid staat er twee keer in",
     "line 32: Zuid is given twice; allowed: each key and each neighbourhood once"),
    ("dutch_list", r"^age_shares: .*$", "age_shares: [0,11, 0,115, 0,11, 0,125, 0,13, 0,13, 0,125, 0,095, 0,06]",
     "age_shares bevat 18 waarden; toegestaan: precies 9 (een komma scheidt de waarden van een lijst",
     "age_shares holds 18 values; allowed: exactly 9 (a comma separates the values of a list"),
    ("ambiguous", r"^population: .*$", "population: 18,250", "population=18,250 kan 18250 of 18,25 betekenen",
     "population=18,250 can be read as 18250 or as 18.25"),
    # an amount as well: it was read as 120 euros, silently
    ("ambiguous_amount", r"^citizens_budget_eur: .*$", "citizens_budget_eur: 120,000",
     "citizens_budget_eur=120,000 kan 120000 of 120 betekenen; toegestaan: het getal zonder scheidingsteken (120000)",
     "citizens_budget_eur=120,000 can be read as 120000 or as 120; allowed: the number without a separator (120000)"),
    ("not_a_number", r"^initial_trust: .*$", "initial_trust: hoog",
     "initial_trust=hoog is geen getal; toegestaan: een aandeel van 0,01 tot 0,99, bv. 0,32",
     "initial_trust=hoog is not a number; allowed: a share from 0.01 to 0.99, e.g. 0.32 or 0,32"),
    ("percent", r"^initial_trust: .*$", "initial_trust: 32 %", "initial_trust=32 % is geen getal",
     "initial_trust=32 % is not a number"),
    ("interpolation", r"^name: .*$", 'name: "Town ${oc.env:SIM_TEST_TOKEN}"',
     "name=Town ${oc.env:SIM_TEST_TOKEN} bevat ${, wat als interpolatie gelezen zou worden",
     "name=Town ${oc.env:SIM_TEST_TOKEN} holds ${, which would be read as an interpolation"),
    ("hood_interpolation", r"^  Zuid: 4500", '  "Zuid ${oc.env:SIM_TEST_TOKEN}": 4500',
     "neighbourhoods=Zuid ${oc.env:SIM_TEST_TOKEN} bevat ${", "neighbourhoods=Zuid ${oc.env:SIM_TEST_TOKEN} holds ${"),
    # nested 1,000 deep (2 KB): a RecursionError of 3,000 lines
    ("deep", None, "\nwomen_share: " + "[" * 1000 + "0.5" + "]" * 1000 + "\n",
     ": lijsten en sleutels zijn meer dan 20 niveaus diep genest; toegestaan: hoogstens 20",
     ": lists and mappings nest more than 20 levels deep; allowed: at most 20"),
    ("unknown", None, "\nmayor: X\n", "onbekende sleutel 'mayor'; toegestaan: age_shares",
     "unknown key 'mayor'; allowed: age_shares"),
    # a number of 30 nines was refused only through the sum of the residents (1,000,000,000,000,000,019,884,624,838,656:
    # float noise); one of 400 nines, too large for a float, was an OverflowError's traceback at every key
    ("hood_nines", r"^  Noord: 5650", "  Noord: " + NINES,
     f"neighbourhoods.Noord={NINES}; toegestaan: een geheel aantal inwoners groter dan 0 en hoogstens 5.000.000",
     f"neighbourhoods.Noord={NINES}; allowed: a whole number of residents above 0 and at most 5,000,000"),
    ("hood_nines_400", r"^  Noord: 5650", "  Noord: " + "9" * 400, f"neighbourhoods.Noord={'9' * 400}; toegestaan",
     f"neighbourhoods.Noord={'9' * 400}; allowed: a whole number of residents above 0 and at most 5,000,000"),
    ("hood_nines_dotted", r"^  Noord: 5650", "  Noord: 999.999.999.999.999.999.999.999.999.999",
     "neighbourhoods.Noord=999.999.999.999.999.999.999.999.999.999; toegestaan: een geheel aantal inwoners",
     "neighbourhoods.Noord=999.999.999.999.999.999.999.999.999.999; allowed: a whole number of residents"),
    ("population_nines_400", r"^population: .*$", "population: " + "9" * 400,
     f"population={'9' * 400} ligt buiten het bereik; toegestaan: een geheel getal van 10 tot 5.000.000",
     f"population={'9' * 400} is out of range; allowed: a whole number from 10 to 5,000,000"),
    ("budget_nines_400", r"^annual_budget_eur: .*$", "annual_budget_eur: " + "9" * 400,
     f"annual_budget_eur={'9' * 400} ligt buiten het bereik; toegestaan: een getal van 0 tot 100.000.000.000",
     f"annual_budget_eur={'9' * 400} is out of range; allowed: a number from 0 to 100,000,000,000"),
    ("share_nines_400", r"^initial_trust: .*$", "initial_trust: " + "9" * 400,
     f"initial_trust={'9' * 400} ligt buiten het bereik", f"initial_trust={'9' * 400} is out of range"),
    ("list_nines_400", r"^age_shares: .*$", f"age_shares: [{'9' * 400}, 0.115, 0.11, 0.125, 0.13, 0.13, 0.125, 0.095]",
     f"age_shares[1]={'9' * 400} ligt buiten het bereik; toegestaan: een aandeel van 0 tot 1",
     f"age_shares[1]={'9' * 400} is out of range; allowed: a share from 0 to 1"),
    # a round shorter than the participatory budget's 2 + 3 + 1 months was refused later, in English, as
    # design.cycle_months, a key the file's writer never wrote
    # a misspelt key was reported only as the key it should have been missing ("mist population")
    ("misspelt_key", r"^population:", "populaton:", "onbekende sleutel 'populaton' (bedoel je population?); "
                                                    "toegestaan: age_shares",
     "unknown key 'populaton' (did you mean population?); allowed: age_shares"),
    ("misspelt_trust", r"^initial_trust:", "initial_trst:", "onbekende sleutel 'initial_trst' (bedoel je "
                                                            "initial_trust?); toegestaan: age_shares",
     "unknown key 'initial_trst' (did you mean initial_trust?); allowed: age_shares"),
    ("round_5_months", r"^budget_cycle_months: .*$", "budget_cycle_months: 5",
     "budget_cycle_months=5 ligt buiten het bereik; toegestaan: een geheel getal van 6 tot 120",
     "budget_cycle_months=5 is out of range; allowed: a whole number from 6 to 120"),
]


@pytest.mark.parametrize(("name", "old", "new", "dutch", "english"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_in_the_users_language(tmp_path: Path, monkeypatch, name: str, old: str | None,
                                                      new: str, dutch: str, english: str) -> None:
    monkeypatch.setenv("SIM_TEST_TOKEN", "tok-2718281828")
    path = _file(tmp_path, name, old, new)
    nl, en = _refusal(path, "nl"), _refusal(path, "en")
    assert nl.startswith(f"gemeentebestand '{path}'") and dutch in nl, nl
    assert en.startswith(f"municipality file '{path}'") and english in en, en
    assert "tok-2718281828" not in nl + en


def test_binary_content_is_refused_in_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    assert "is geen tekstbestand (byte 128 is geen UTF-8)" in _refusal(path, "nl")
    assert "is not a text file (byte 128 is not UTF-8); allowed: a text file in UTF-8" in _refusal(path, "en")
    path.write_bytes(b"name: a\x00b\n")  # UTF-8, with a NUL: it said "byte 7 is not UTF-8", which it is
    assert _refusal(path, "en").endswith("is not a text file (it holds a NUL character, on line 1, column 8); "
                                         "allowed: a text file in UTF-8 like examples/municipality.yaml")
    assert "is geen tekstbestand (het bevat een NUL-teken, op regel 1, kolom 8)" in _refusal(path, "nl")
    path.write_bytes(b"name: a\n\n  b: \x00\n")
    assert "(it holds a NUL character, on line 3, column 6)" in _refusal(path, "en")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_file_saved_as_utf16_is_named_utf16_in_the_users_language(tmp_path: Path, encoding: str) -> None:
    """A file saved as UTF-16 (with or without its byte order mark) was 'not a text file (byte 0 is not UTF-8)';
    one saved as UTF-32 (with its mark, as Python writes it) was called UTF-16."""
    path = tmp_path / "utf16.yaml"
    bom = "\ufeff" if encoding.endswith("-bom") else ""
    path.write_bytes((bom + EXAMPLE.read_text(encoding="utf-8")).encode(encoding.removesuffix("-bom")))
    nl, en = (("UTF-32", "UTF-32") if encoding == "utf-32" else
              ("UTF-16 (zoals Windows 'Unicode' of 'UTF-16 LE' opslaat)", "UTF-16 (as Windows saves 'Unicode' or "
               "'UTF-16 LE')"))
    assert _refusal(path, "nl") == (f"gemeentebestand '{path}' lijkt een tekst in {nl}, geen UTF-8; toegestaan: een "
                                    "tekstbestand in UTF-8 zoals examples/municipality.yaml (sla het opnieuw op met "
                                    "de codering UTF-8)")
    assert _refusal(path, "en") == (f"municipality file '{path}' looks like a text in {en}, not UTF-8; allowed: a "
                                    "text file in UTF-8 like examples/municipality.yaml (save it again with the "
                                    "encoding UTF-8)")


def test_a_file_too_large_is_refused_with_the_languages_numbers(tmp_path: Path) -> None:
    """The sizes in a refusal are grouped as the language writes them (the Dutch one read "1,000,000 bytes")."""
    path = tmp_path / "huge.yaml"
    path.write_bytes(EXAMPLE.read_bytes() + b"#" * (1_100_011 - EXAMPLE.stat().st_size))
    assert _refusal(path, "nl").endswith(" bevat 1.100.011 bytes; toegestaan: hoogstens 1.000.000 bytes")
    assert _refusal(path, "en").endswith(" holds 1,100,011 bytes; allowed: at most 1,000,000 bytes")


@pytest.mark.parametrize(("line", "key", "value"), [
    ("initial_trust: 0,32", "initial_trust", 0.32),
    ("annual_budget_eur: 30.000.000", "annual_budget_eur", 30_000_000),
    ("annual_budget_eur: 30,000,000", "annual_budget_eur", 30_000_000),
    ("annual_budget_eur: 30 000 000", "annual_budget_eur", 30_000_000),
    ("annual_budget_eur: 29.999.999,50", "annual_budget_eur", 29_999_999.5),
    ("citizens_budget_eur: 120.000", "citizens_budget_eur", 120_000),
    ("population: 18.250", "population", 18_250),
    ("population: 18\u00a0250", "population", 18_250),                      # a non-breaking space
    ("annual_budget_eur: 30\u202f000\u202f000", "annual_budget_eur", 30_000_000),   # a narrow one
    ("citizens_budget_eur: 120.000,50", "citizens_budget_eur", 120_000.5),
    ("citizens_budget_eur: 120,000.50", "citizens_budget_eur", 120_000.5),
    ("citizens_budget_eur: 1,200,000", "citizens_budget_eur", 1_200_000),
    ("citizens_budget_eur: 120,50", "citizens_budget_eur", 120.5),
    ("initial_trust: 0,320", "initial_trust", 0.32),
    ("age_shares: ['0,11', '0,115', '0,11', '0,125', '0,13', '0,13', '0,125', '0,095', '0,06']", "age_shares",
     [0.11, 0.115, 0.11, 0.125, 0.13, 0.13, 0.125, 0.095, 0.06]),
])
def test_dutch_number_habits_are_understood(tmp_path: Path, line: str, key: str, value) -> None:
    path = _file(tmp_path, "dutch", rf"^{key}: .*$", line)
    scenario = _compose(municipality.load(path, "nl")).scenario
    assert getattr(scenario, key) == pytest.approx(value)


#: (text, kind, what read_number makes of it): the whole rule, one case a line; a pair is ambiguous
NUMBERS = [
    ("18250", "whole", 18250), ("-3", "number", -3), ("1e6", "money", 1e6),
    ("18 250", "whole", 18250), ("18\u00a0250", "whole", 18250), ("30\u202f000\u202f000", "money", 30_000_000),
    ("1.500.000,50", "money", 1_500_000.5), ("1,500,000.50", "money", 1_500_000.5),
    # several separators of one kind: thousands, in either habit (a decimal separator is written once)
    ("30.000.000", "money", 30_000_000), ("30,000,000", "money", 30_000_000), ("1,000,000", "whole", 1_000_000),
    # one separator before three digits: a point groups thousands in a count or an amount, a comma is ambiguous there
    ("8.100", "whole", 8100), ("120.000", "money", 120_000),
    ("18,250", "whole", (18250, 18.25)), ("120,000", "money", (120_000, 120.0)), ("-1,500", "money", (-1500, -1.5)),
    # ... and a decimal separator in a share or another number, or after a lone 0
    ("0,125", "share", 0.125), ("0.125", "share", 0.125), ("1,000", "number", 1.0),
    ("0.500", "money", 0.5), ("0,500", "money", 0.5), ("0,500", "whole", 0.5),
    # any other single separator is the decimal one
    ("0,32", "share", 0.32), ("0.32", "share", 0.32), ("120,50", "money", 120.5), ("5650,5", "whole", 5650.5),
    ("1.50", "money", 1.5), (",5", "share", 0.5),
]


@pytest.mark.parametrize(("text", "kind", "expected"), NUMBERS, ids=[f"{t}-{k}" for t, k, _ in NUMBERS])
def test_the_number_rule(text: str, kind: str, expected) -> None:
    number = municipality.read_number(text, kind)
    assert number == expected and type(number) is type(expected)


@pytest.mark.parametrize("text", ["18,25,0", "1.50.000", "30,000.000,5", "32 %", "hoog", "1,2,3", "0.000.000", ""])
def test_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        municipality.read_number(text, "money")


def test_an_amount_with_commas_next_to_one_with_several_is_still_ambiguous(tmp_path: Path) -> None:
    """``annual_budget_eur: 30,000,000`` is read (two commas are thousands), and does not make ``120,000`` less
    ambiguous: a file may mix habits, and each value is read by itself."""
    path = _file(tmp_path, "commas", r"^annual_budget_eur: .*$", "annual_budget_eur: 30,000,000")
    assert municipality.load(path)["annual_budget_eur"] == 30_000_000
    text = path.read_text(encoding="utf-8").replace("citizens_budget_eur: 120000", "citizens_budget_eur: 120,000")
    path.write_text(text, encoding="utf-8")
    assert "citizens_budget_eur=120,000 can be read as 120000 or as 120" in _refusal(path, "en")


def test_a_billion_laughs_is_refused_at_once_with_bounded_memory(tmp_path: Path) -> None:
    """A 1.7 KB file of nested aliases (it would expand to 10^9 values) stops at its first alias, in a
    process that may not use more than 1 GB of memory."""
    levels = ['lol_level_0: &lol_level_0 ["' + " ".join(["lol"] * 19) + '"]']
    levels += [f"lol_level_{i}: &lol_level_{i} [" + ", ".join([f"*lol_level_{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("name: Lachstad\npopulation: 18250\n" + "\n".join(levels) + "\n")
    assert 1_500 < path.stat().st_size < 2_000
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from sim.config import municipality; "
            f"municipality.load({str(path)!r}, 'en')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "MemoryError" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        f"sim.config.keys.ConfigError: municipality file '{path}', line 4: the alias *lol_level_0 repeats another "
        "part of the file; allowed: every value written out, without & and *")


def _with_hoods(tmp_path: Path, count: int, name_length: int) -> Path:
    """The example file with ``count`` neighbourhoods of names ``name_length`` characters long, the residents split
    evenly."""
    spec = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    population = int(spec["population"])
    spec["neighbourhoods"] = {f"Statistische sector {i:04d} ".ljust(name_length, "x"): population // count
                              + (1 if i < population % count else 0) for i in range(count)}
    path = tmp_path / f"hoods_{count}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_a_city_of_many_neighbourhoods_composes(tmp_path: Path) -> None:
    """250 neighbourhoods of 40 characters were refused in English, whatever lang=, as an override of 10,525
    characters 'allowed: at most 10,000 (a long sweep as range...)' (the fourth tester's case): the file's own
    overrides of its neighbourhoods may be as long as MAX_NEIGHBOURHOODS names of the longest allowed. A thousand
    names of 100 characters compose; one more neighbourhood is refused at the key, in the user's language."""
    from sim.config.keys import MAX_NEIGHBOURHOODS

    for count, length in ((250, 40), (MAX_NEIGHBOURHOODS, 100)):
        path = _with_hoods(tmp_path, count, length)
        overrides = municipality.overrides(municipality.load(path, "nl"), "nl", path)
        config = sim.compose_config("generic", "none", 0, overrides)
        assert len(config.scenario.neighbourhoods) == count
    path = _with_hoods(tmp_path, MAX_NEIGHBOURHOODS + 1, 30)
    assert _refusal(path, "nl").endswith(": neighbourhoods noemt 1.001 wijken; toegestaan: hoogstens 1.000 (voeg "
                                         "kleine wijken, zoals statistische sectoren, samen tot grotere)")
    assert _refusal(path, "en").endswith(": neighbourhoods names 1,001 neighbourhoods; allowed: at most 1,000 (join "
                                         "small ones, such as statistical sectors, into larger ones)")


def test_a_file_that_cannot_be_read_is_named_in_the_users_language() -> None:
    """municipality=/proc/self/mem said 'error: OSError: [Errno 5] Input/output error', exit 1, in English (the fourth
    tester's case); a file the system refuses to read is named, with its reason, in the user's language."""
    path = Path("/proc/self/mem")
    assert _refusal(path, "nl") == ("gemeentebestand '/proc/self/mem' kan niet gelezen worden (Input/output error); "
                                    "toegestaan: een bestand dat je kunt lezen, zoals examples/municipality.yaml")
    assert _refusal(path, "en").startswith("municipality file '/proc/self/mem' cannot be read (Input/output error)")
