"""Every number of a scenario preset says where it comes from (sim.config.provenance)."""

from __future__ import annotations

import dataclasses

import pytest

from sim.config import provenance
from sim.config.compose import CONFIG_DIR, preset_values
from sim.config.schema import ScenarioConfig

PRESETS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


@pytest.mark.parametrize("preset", PRESETS)
def test_every_value_of_a_preset_has_a_status(preset: str) -> None:
    """Each value the preset sets is tagged published, proxy or assumed in its comment (else ValueError)."""
    statuses = provenance.preset_statuses(preset)
    assert set(statuses) == set(preset_values("scenario", preset)) - {"name"}
    assert all(i.status in provenance.STATUSES for i in statuses.values())
    assert all(i.note for i in statuses.values() if i.status != "assumed")  # a published figure names its source


def test_kampenhouts_equal_neighbourhoods_are_a_placeholder() -> None:
    inputs = {i.key: i for i in provenance.scenario_inputs("kampenhout")}
    assert inputs["neighbourhood_shares"].status == "assumed" and "placeholder" in inputs["neighbourhood_shares"].note
    assert inputs["population"].status == "published" and "Statbel" in inputs["population"].note
    # a Flemish average standing in for Kampenhout's own survey figure is a proxy, not Kampenhout's data
    assert inputs["initial_input"].status == "proxy"
    assert [i.key for i in provenance.scenario_inputs("kampenhout")] == [
        f.name for f in dataclasses.fields(ScenarioConfig) if f.name != "name"]


def test_a_municipality_files_own_values_are_given() -> None:
    inputs = {i.key: i.status for i in provenance.scenario_inputs("generic", given=["population", "neighbourhoods"])}
    assert inputs["population"] == inputs["neighbourhood_shares"] == "given"
    assert inputs["project_budget_eur"] == "assumed" and inputs["initial_input"] == "proxy"


def test_an_untagged_value_is_refused(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "x.yaml").write_text("name: x\npopulation: 10   # Statbel\n")
    monkeypatch.setattr(provenance, "CONFIG_DIR", tmp_path)
    with pytest.raises(ValueError, match="population"):
        provenance.preset_statuses("x")
