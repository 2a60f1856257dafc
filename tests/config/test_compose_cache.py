"""compose_config keeps what Hydra composed and sets the seed on a copy: the result must equal Hydra's own."""

from __future__ import annotations

import os
import time

import pytest

from sim.config import compose
from sim.config.compose import ConfigError, compose_config

CASES = [
    ("kampenhout", "participatory_budget", 0, ()),
    ("geel", "citizens_panel", 12345, ("citizens.fear_mean=0.7", "run.steps=5")),
    ("generic", "participatory_budget", 2**32 - 1, ("run.steps=150", "scenario.next_election_month=200")),
    (None, None, None, ()),
    ("antwerp_district", "coproduction", 3, ("seed=9", "replicate=2")),
]


@pytest.mark.parametrize(("scenario", "design", "seed", "overrides"), CASES)
def test_kept_composition_equals_hydras(scenario, design, seed, overrides) -> None:
    ovr = [*overrides, *([f"scenario={scenario}"] if scenario else []), *([f"design={design}"] if design else [])]
    hydra = compose._compose(ovr if seed is None else [*ovr, f"seed={seed}"])
    first = compose_config(scenario, design, seed, overrides)
    again = compose_config(scenario, design, seed, overrides)  # from what was kept
    assert first == hydra and again == hydra
    if seed is not None:  # another seed: the same but for the seed
        other = compose_config(scenario, design, seed // 2, overrides)
        assert other.seed == seed // 2 and other == compose._compose([*ovr, f"seed={seed // 2}"])


def test_callers_cannot_change_what_is_kept() -> None:
    cfg = compose_config("kampenhout", "participatory_budget", 1)
    cfg.run.steps = 3
    cfg.scenario.neighbourhoods.append("nowhere")
    fresh = compose_config("kampenhout", "participatory_budget", 1)
    assert fresh.run.steps == 72 and "nowhere" not in fresh.scenario.neighbourhoods


def test_bad_seeds_are_refused_as_hydra_refuses_them() -> None:
    compose_config("kampenhout", "participatory_budget", 0)  # kept
    with pytest.raises(ConfigError, match="seed=-1 is out of range"):
        compose_config("kampenhout", "participatory_budget", -1)
    with pytest.raises(TypeError, match="seed=True"):  # a wrong type is a TypeError (check_arguments)
        compose_config("kampenhout", "participatory_budget", True)  # type: ignore[arg-type]


def test_an_edited_preset_is_composed_again(tmp_path, monkeypatch) -> None:
    configs = tmp_path / "configs"
    import shutil

    shutil.copytree(compose.CONFIG_DIR, configs)
    monkeypatch.setattr(compose, "CONFIG_DIR", configs)
    before = compose_config("kampenhout", "participatory_budget", 0)
    preset = configs / "scenario" / "kampenhout.yaml"
    preset.write_text(preset.read_text().replace("population: 12528", "population: 12000"))
    os.utime(preset, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a later modification time
    after = compose_config("kampenhout", "participatory_budget", 0)
    assert before.scenario.population == 12528 and after.scenario.population == 12000
