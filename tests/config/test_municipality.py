"""A municipality described in a small file (sim.config.municipality): the example works, bad input is refused."""

from __future__ import annotations

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


@pytest.mark.parametrize(("changes", "message"), [
    ({"initial_trust": ...}, "lacks initial_trust"),
    ({"neighbourhoods": ...}, "lacks neighbourhoods"),
    ({"mayor": "X"}, "unknown key 'mayor'"),
    ({"neighbourhood_shares": [0.5, 0.5]}, "unknown key 'neighbourhood_shares'"),
    ({"population": 18250.5}, "population=18250.5"),
    ({"neighbourhoods": ["Centrum", "Noord"]}, "give each neighbourhood with its residents"),
    ({"neighbourhoods": {"Centrum": 8100, "Noord": -5}}, "neighbourhoods.Noord=-5"),
    ({"neighbourhoods": {"Centrum": 8100, "Noord": 5650}}, "add up to 13,750 residents but population=18,250"),
])
def test_a_bad_description_names_the_key(changes: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        municipality.overrides(_spec(**changes))


@pytest.mark.parametrize(("changes", "message"), [
    ({"initial_trust": 1.5}, "scenario.initial_trust"),
    ({"education_shares_adults": [0.5, 0.5, 0.5]}, "scenario.education_shares_adults"),
    ({"age_shares": [0.5, 0.5]}, "scenario.age_shares"),
])
def test_a_value_out_of_range_is_refused_by_the_schema(changes: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _compose(_spec(**changes))


def test_a_missing_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        municipality.load(tmp_path / "nothing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        municipality.load(bad)
    bad.write_text(yaml.safe_dump(["a", "list"]))
    with pytest.raises(ConfigError, match="must hold keys and values"):
        municipality.load(bad)
