"""Reading a calibration's posterior (sim.posterior.load_posterior): a damaged posterior.parquet is one line naming
the option, the file, the column and the value, and what is allowed; the doors that read one (sim.compare, the
report, experiment.posterior) all read it there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.api.extensions import ExtensionArray

from sim import posterior
from sim.config.keys import ConfigError


def particles(**columns: list | ExtensionArray) -> pd.DataFrame:
    """A posterior as sim.experiments.abc writes it (two generations), with ``columns`` replaced or added in the
    last generation's two rows."""
    df = pd.DataFrame({"generation": [0, 1, 1], "particle": [0, 0, 1], "weight": [1.0, 0.5, 0.5],
                       "distance": [9.0, 1.0, 1.0], "citizens.base_propensity": [-9.0, -6.5, -7.5],
                       "stat.T1": [0.0, 0.0, 0.0]})
    for name, values in columns.items():
        first = {"weight": 1.0, "generation": 0}.get(name, -9.0 if name == "citizens.base_propensity" else 0.5)
        texts = any(isinstance(v, str) for v in values)  # a column of texts (a Parquet column has one type)
        column = [str(first) if texts else first, *values]
        # a nullable column (pandas' Float64, which Parquet keeps) stays one
        df[name] = pd.array(column, dtype=values.dtype) if isinstance(values, ExtensionArray) else column
    return df


#: Each damaged posterior: how it is written, and what its line says after ``posterior='<file>'``.
DAMAGED = {
    "weight_text": (particles(weight=["a", "b"]), ": the column 'weight' holds 'a' in row 2; allowed: finite weights "
                                                  ">= 0 summing to more than 0"),
    "parameter_text": (particles(**{"citizens.base_propensity": ["abc", "x"]}),
                       ": the column 'citizens.base_propensity' holds 'abc' in row 2; allowed: float in [-15, 5]"),
    "weight_nan": (particles(weight=[np.nan, 0.5]), ": the column 'weight' holds nan in row 2; allowed: finite"),
    "weight_inf": (particles(weight=[0.5, np.inf]), ": the column 'weight' holds inf in row 3; allowed: finite"),
    "weights_zero": (particles(weight=[0.0, 0.0]), ": the weights of the last generation (1) sum to 0.0; allowed: "
                                                   "finite weights >= 0 summing to more than 0"),
    # all negative was normalised back to positive weights, one negative refused
    "weights_negative": (particles(weight=[-1.0, -1.0]), ": the column 'weight' holds -1.0 in row 2; allowed: "
                                                         "finite weights >= 0"),
    "no_rows": (particles().iloc[:0], " holds no rows; allowed: at least one particle in the last generation"),
    "generation_nan": (particles(generation=[np.nan, np.nan]), ": the column 'generation' holds nan in row 2; "
                                                               "allowed: whole numbers"),
    "generation_fraction": (particles(generation=[1.5, 1.5]), ": the column 'generation' holds 1.5 in row 2"),
    "unknown_column": (particles(**{"foo.bar": [1.0, 2.0]}), ": the column 'foo.bar' is not a key of the schema; "
                                                             "allowed: numeric keys of the schema"),
    "out_of_range": (particles(**{"citizens.novelty_decay": [0.5, 50.0]}),
                     ": the column 'citizens.novelty_decay' holds 50.0 in row 3; allowed: float in [0, 1]"),
    "parameter_nan": (particles(**{"citizens.base_propensity": [np.nan, -7.0]}),
                      ": the column 'citizens.base_propensity' holds nan in row 2"),
    "not_numeric_key": (particles(**{"scenario.name": [1.0, 2.0]}), ": the column 'scenario.name' is not a numeric "
                                                                    "key"),
    "weight_missing": (particles(weight=pd.array([0.5, None], dtype="Float64")),
                       ": the column 'weight' holds no value in row 3; allowed: finite weights"),
    "no_weight": (particles().drop(columns="weight"), " has no generation and weight columns"),
    "only_magic": (b"PAR1" + b"\0" * 8 + b"PAR1", " is not a Parquet file that can be read (Couldn't "
                                                   "deserialize thrift"),
    "csv": (particles().to_csv().encode(), " is not a Parquet file that can be read (Parquet magic bytes not found"),
}


def write(path: Path, content: pd.DataFrame | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        content.to_parquet(path)
    return path


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_posterior_is_one_line_naming_the_file_the_column_and_the_value(tmp_path: Path, case: str) -> None:
    content, message = DAMAGED[case]
    path = write(tmp_path / "posterior.parquet", content)
    with pytest.raises(ConfigError) as caught:
        posterior.load_posterior(path)
    assert str(caught.value) == str(caught.value).strip() and "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"posterior={str(path)!r}{message}"), str(caught.value)
    # the option that gave it is named, and a folder's file too; draw_parameters reads it the same way
    with pytest.raises(ConfigError, match=r"^experiment\.posterior='.*' \(.*posterior\.parquet\)"):
        posterior.load_posterior(tmp_path, key="experiment.posterior")
    with pytest.raises(ConfigError, match=r"^posterior="):
        posterior.draw_parameters(path, 3, seed=0)


def test_a_sound_posterior_is_read_as_before(tmp_path: Path) -> None:
    """Zero weights beside positive ones, an int key with whole numbers, integer or float generations: read."""
    df = particles(weight=[0.0, 2.0], **{"scenario.budget_cycle_months": [12.0, 24.0]})
    df["generation"] = df["generation"].astype(float)
    path = write(tmp_path / "posterior.parquet", df)
    read = posterior.load_posterior(path)
    assert list(read.columns) == ["citizens.base_propensity", "scenario.budget_cycle_months", "weight"]
    assert list(read["weight"]) == [0.0, 1.0] and list(read["citizens.base_propensity"]) == [-6.5, -7.5]


def test_an_int_key_takes_whole_numbers_only(tmp_path: Path) -> None:
    path = write(tmp_path / "posterior.parquet", particles(**{"scenario.budget_cycle_months": [12.0, 12.5]}))
    with pytest.raises(ConfigError, match=r"'scenario.budget_cycle_months' holds 12.5 in row 3; allowed: int in"):
        posterior.load_posterior(path)
