"""The parameter documentation is generated from the schema and stays in step with it.

Every parameter lives once, in ``sim/config/schema.py``, with its range, unit and meaning;
``docs/parameters.md`` is generated from that metadata by ``python -m sim params``.
These tests fail when the two drift apart or when a parameter is declared without the
metadata the table needs.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from sim.__main__ import command
from sim.config import params_doc
from sim.config.keys import iter_params
from tests.helpers import REPO

PARAMETERS_MD = REPO / "docs" / "parameters.md"
REGENERATE = "run `python -m sim params` to regenerate docs/parameters.md"


@pytest.fixture(scope="module")
def rendered() -> str:
    """The text docs/parameters.md should have."""
    return params_doc.render()


def test_parameters_md_is_up_to_date(rendered: str) -> None:
    assert PARAMETERS_MD.exists(), f"docs/parameters.md is missing; {REGENERATE}"
    current = PARAMETERS_MD.read_text(encoding="utf-8")
    assert current == rendered, f"docs/parameters.md is out of date with sim/config/schema.py or configs/; {REGENERATE}"


def test_check_mode_agrees(tmp_path: Path, rendered: str) -> None:
    out = tmp_path / "parameters.md"
    check = ["params", "check=true", f"out={out}"]
    assert command(check) == 1  # missing file
    out.write_text(rendered, encoding="utf-8")
    assert command(check) == 0
    out.write_text(rendered + "drift\n", encoding="utf-8")
    assert command(check) == 1
    assert command(["params", f"out={out}"]) == 0 and out.read_text(encoding="utf-8") == rendered


def test_every_schema_key_is_in_the_table() -> None:
    text = PARAMETERS_MD.read_text(encoding="utf-8")
    missing = [key for key, _ in iter_params() if f"| `{key}` |" not in text]
    assert not missing, f"keys missing from docs/parameters.md: {missing}; {REGENERATE}"


def test_every_key_has_a_unit() -> None:
    missing = [key for key, f in iter_params() if not params_doc.unit_of(key, f)]
    assert not missing, f"declare unit= for these keys in sim/config/schema.py (\"-\" if dimensionless): {missing}"


def test_every_key_has_a_meaning() -> None:
    missing = [key for key, f in iter_params() if not params_doc.meaning_of(key, f)]
    assert not missing, f"declare doc= (what the parameter means) for these keys in sim/config/schema.py: {missing}"


def _numeric(ftype: object) -> bool:
    """Whether a field of type ``ftype`` holds numbers (int, float or a list of them), not bools."""
    if typing.get_origin(ftype) is list:
        (ftype,) = typing.get_args(ftype)
    return ftype in (int, float)


def test_every_numeric_key_has_a_range() -> None:
    missing = [key for key, f in iter_params()
               if _numeric(params_doc.field_type(key))
               and (f.metadata.get("lo") is None or f.metadata.get("hi") is None)]
    assert not missing, f"declare lo and hi for these numeric keys in sim/config/schema.py: {missing}"


def test_every_enum_shows_its_values(rendered: str) -> None:
    for key, f in iter_params():
        ftype = params_doc.field_type(key)
        if params_doc.is_enum(ftype):
            assert all(f"`{m.name}`" in params_doc.fmt_range(key, f) for m in ftype), key


def test_presets_are_listed(rendered: str) -> None:
    for group in ("scenario", "design"):
        for preset in (params_doc.CONFIG_DIR / group).glob("*.yaml"):
            assert f"`{preset.stem}`" in rendered, f"{group} preset {preset.stem} missing from docs/parameters.md"


def test_every_model_parameter_has_a_provenance() -> None:
    """Each key that the model assumes (not a run setting or a name) says where its value comes from."""
    untagged = [key for key, f in iter_params()
                if key.split(".")[0] not in ("run", "experiment") and "." in key
                and not key.endswith(".name")
                and params_doc.provenance_of(key, f)[0] == "-"]
    assert not untagged, f"declare provenance= and why= for these keys in sim/config/schema.py: {untagged}"


def test_assumed_and_calibrated_values_give_a_reason() -> None:
    missing = [key for key, f in iter_params()
               if params_doc.provenance_of(key, f)[0] in ("assumed", "calibrated")
               and not params_doc.provenance_of(key, f)[1]]
    assert not missing, f"declare why= for these keys in sim/config/schema.py: {missing}"


def test_an_unknown_provenance_is_refused() -> None:
    from sim.config.schema import param

    with pytest.raises(ValueError, match="provenance must be one of"):
        param(1.0, 0.0, 2.0, provenance="guessed")
