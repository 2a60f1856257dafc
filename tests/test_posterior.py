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
from sim.experiments.abc import calibrated_parameters


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
    "unknown_column": (particles(**{"foo.bar": [1.0, 2.0]}), ": the column 'foo.bar' is not a parameter with a "
                                                             "prior; allowed: the parameters with a prior "
                                                             "(docs/parameters.md"),
    "out_of_range": (particles(**{"citizens.novelty_decay": [0.5, 50.0]}),
                     ": the column 'citizens.novelty_decay' holds 50.0 in row 3; allowed: float in [0, 1]"),
    "parameter_nan": (particles(**{"citizens.base_propensity": [np.nan, -7.0]}),
                      ": the column 'citizens.base_propensity' holds nan in row 2"),
    "not_numeric_key": (particles(**{"scenario.name": [1.0, 2.0]}), ": the column 'scenario.name' is not a "
                                                                    "parameter with a prior"),
    # a run.*, design.* or experiment.* column was applied to every run (run.steps=1: one month, the report
    # saying 72), a design.* one to every design; run.population_scale was refused as if the user had set it
    "run_steps": (particles(**{"run.steps": [1, 1]}), ": the column 'run.steps' is not a parameter with a prior; "
                                                      "allowed: the parameters with a prior (docs/parameters.md: "
                                                      "calibrated, or assumed with a prior), weight, and generation, "
                                                      "particle, distance, stat.*"),
    "design_key": (particles(**{"design.cycle_months": [6, 6]}), ": the column 'design.cycle_months' is not a "
                                                                 "parameter with a prior"),
    "population_scale": (particles(**{"run.population_scale": [0.05, 0.05]}), ": the column 'run.population_scale' "
                                                                             "is not a parameter with a prior"),
    "experiment_key": (particles(**{"experiment.replicates": [7, 7]}), ": the column 'experiment.replicates' is not "
                                                                       "a parameter with a prior"),
    "no_dot": (particles(seed=[3, 3]), ": the column 'seed' is not a parameter with a prior"),
    "int_key": (particles(**{"scenario.budget_cycle_months": [12.0, 24.0]}), ": the column "
                                                                            "'scenario.budget_cycle_months' is not "
                                                                            "a parameter with a prior"),
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
    """Zero weights beside positive ones, an assumed parameter with a prior, integer or float generations: read."""
    df = particles(weight=[0.0, 2.0], **{"perceptions.outcome": [0.1, 0.2]})
    df["generation"] = df["generation"].astype(float)
    path = write(tmp_path / "posterior.parquet", df)
    read = posterior.load_posterior(path)
    assert list(read.columns) == ["citizens.base_propensity", "perceptions.outcome", "weight"]
    assert list(read["weight"]) == [0.0, 1.0] and list(read["citizens.base_propensity"]) == [-6.5, -7.5]


def test_the_calibrations_posterior_is_read_whole() -> None:
    """docs/calibration's posterior (the notebooks' and the report's) holds only parameters with a prior."""
    read = posterior.load_posterior(Path(__file__).parent.parent / "docs" / "calibration")
    assert set(read.columns) == {p.key for p in calibrated_parameters()} | {"weight"}


#: The damaged posteriors that are frames (not bytes): a frame is checked as its file is.
FRAMES = [case for case, (content, _) in DAMAGED.items() if isinstance(content, pd.DataFrame)]


@pytest.mark.parametrize("case", FRAMES)
def test_a_damaged_posterior_frame_is_refused_as_its_file_is(case: str) -> None:
    """A frame given for a posterior (draw_parameters, load_posterior) meets the checks of posterior.parquet (it was
    drawn from unchecked: a value out of range, a column of no key came back as drawn values); one line showing
    the frame's type and size, not the frame."""
    content, message = DAMAGED[case]
    shown = f"posterior=<DataFrame, {len(content)} row{'s' if len(content) != 1 else ''}>"
    for read in (posterior.load_posterior, lambda frame: posterior.draw_parameters(frame, 3, seed=0)):
        with pytest.raises(ConfigError) as caught:
            read(content)
        assert str(caught.value).startswith(shown + message), str(caught.value)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("frame", "message"), [
    ({"weight": [1.0], "citizens.novelty_decay": [50.0], "not.a_key": [1]},
     "posterior=<DataFrame, 1 row>: the column 'citizens.novelty_decay' holds 50.0 in row 1; allowed: float in [0, 1]"),
    ({"weight": [1.0], "not.a_key": [1]}, "posterior=<DataFrame, 1 row>: the column 'not.a_key' is not a parameter "
                                          "with a prior"),
    ({"weight": [1.0], "run.steps": [1]}, "posterior=<DataFrame, 1 row>: the column 'run.steps' is not a parameter "
                                          "with a prior; allowed: the parameters with a prior"),
    ({"weight": [-1.0, 2.0], "citizens.novelty_decay": [0.5, 0.2]},
     "posterior=<DataFrame, 2 rows>: the column 'weight' holds -1.0 in row 1; allowed: finite weights >= 0"),
    ({"citizens.novelty_decay": [0.1]}, "posterior=<DataFrame, 1 row> has no generation and weight columns"),
    ({"weight": []}, "posterior=<DataFrame, 0 rows> holds no rows"),
])
def test_a_frame_like_load_posteriors_is_checked(frame: dict, message: str) -> None:
    """The frame load_posterior returns (parameter columns and weight, no generation) is checked as one generation."""
    with pytest.raises(ConfigError) as caught:
        posterior.draw_parameters(pd.DataFrame(frame), 2, seed=0)
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_sound_frame_draws_what_its_file_draws(tmp_path: Path) -> None:
    """A file, its particles as a frame, and the frame load_posterior returns give the same draws."""
    df = particles(weight=[1.0, 3.0], **{"citizens.novelty_decay": [0.2, 0.4]})
    path = write(tmp_path / "posterior.parquet", df)
    drawn = posterior.draw_parameters(path, 50, seed=4)
    pd.testing.assert_frame_equal(posterior.draw_parameters(df, 50, seed=4), drawn)
    pd.testing.assert_frame_equal(posterior.draw_parameters(posterior.load_posterior(path), 50, seed=4), drawn)
    pd.testing.assert_frame_equal(posterior.draw_parameters(path, np.int64(50), seed=np.uint32(4)), drawn)


@pytest.mark.parametrize(("draws", "seed", "error", "message"), [
    (float("nan"), 0, TypeError, "draws=nan (float) is not a whole number; allowed: a whole number from 1 to "
                                 "100,000"),
    (float("inf"), 0, TypeError, "draws=inf (float) is not a whole number"),
    (2.0, 0, TypeError, "draws=2.0 (float) is not a whole number"),
    ("2", 0, TypeError, "draws='2' (str) is not a whole number"),
    (0, 0, ConfigError, "draws=0 is too small; allowed: a whole number from 1 to 100,000"),
    (100_001, 0, ConfigError, "draws=100001 is too large; allowed: a whole number from 1 to 100,000"),
    (2, 1.7, TypeError, "seed=1.7 (float) is not a whole number; allowed: a whole number from 0 to 4,294,967,295"),
    (2, None, TypeError, "seed=None (NoneType) is not a whole number"),
    (2, "1", TypeError, "seed='1' (str) is not a whole number"),
    (2, -1, ConfigError, "seed=-1 is too small; allowed: a whole number from 0 to 4,294,967,295"),
    (2, 2**32, ConfigError, "seed=4294967296 is too large"),
])
def test_draw_parameters_names_the_wrong_argument(tmp_path: Path, draws: object, seed: object, error: type,
                                                  message: str) -> None:
    """draws and seed are checked as sim.compare checks them (seed=1.7 was truncated to 1, draws=nan a bare
    ValueError, draws=inf an OverflowError, seed=None a bare TypeError, seed=-1 numpy's ValueError)."""
    path = write(tmp_path / "posterior.parquet", particles())
    with pytest.raises(error) as caught:
        posterior.draw_parameters(path, draws, seed)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("path", "key", "message"), [
    (None, "posterior", "posterior=None (NoneType) is not a path; allowed: an ABC calibration's folder, its "
                        "posterior.parquet or the frame load_posterior returns"),
    (3, "posterior", "posterior=3 (int) is not a path"),
    (b"posterior.parquet", "posterior", "posterior=b'posterior.parquet' (bytes) is not a path"),
    (None, "experiment.posterior", "experiment.posterior=None (NoneType) is not a path"),
])
def test_load_posterior_names_a_path_that_is_none(path: object, key: str, message: str) -> None:
    """load_posterior(None) was pathlib's TypeError, which named no argument."""
    with pytest.raises(TypeError) as caught:
        posterior.load_posterior(path, key=key)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize("empty", ["", Path("")])
def test_an_empty_posterior_path_is_refused_as_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   empty: object) -> None:
    """posterior='' read the working folder's posterior.parquet (an empty path is "."); the command line refuses
    posterior= left empty. Path('') is Path('.'), the working folder named: only the text '' is empty."""
    write(tmp_path / "posterior.parquet", particles())
    monkeypatch.chdir(tmp_path)
    if isinstance(empty, Path):  # Path('') is '.', a folder named: read
        assert len(posterior.load_posterior(empty)) == 2
        return
    message = ("posterior='' is empty; allowed: an ABC calibration's folder, its posterior.parquet or the frame "
               "load_posterior returns")
    for read in (posterior.load_posterior, lambda p: posterior.draw_parameters(p, 2, 0)):
        with pytest.raises(ConfigError) as caught:
            read(empty)
        assert str(caught.value) == message


def test_an_empty_posterior_path_is_refused_by_compare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sim.compare(posterior='') drew from ./posterior.parquet."""
    import sim

    write(tmp_path / "posterior.parquet", particles())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        sim.compare(scenario="kampenhout", designs=["none"], replicates=1, posterior="", draws=1)
    assert str(caught.value) == ("posterior='' is empty; allowed: None, an ABC calibration's folder, its "
                                 "posterior.parquet or the frame load_posterior returns")


def test_a_column_given_twice_is_one_line_saying_so(tmp_path: Path) -> None:
    """A frame with a column twice was a 3-line message calling a valid value (a Series) out of range; a file with
    one twice "is not a Parquet file that can be read (No match for FieldRef...)"."""
    df = particles(**{"citizens.novelty_decay": [0.5, 0.6]})
    doubled = pd.concat([df, df[["citizens.novelty_decay"]]], axis=1)
    with pytest.raises(ConfigError) as caught:
        posterior.draw_parameters(doubled, 2, 0)
    assert str(caught.value) == ("posterior=<DataFrame, 3 rows>: the column 'citizens.novelty_decay' is there twice; "
                                 "allowed: each column once")
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "posterior.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(list(v)) for _, v in doubled.items()],
                                        names=list(doubled.columns)), path)
    with pytest.raises(ConfigError) as caught:
        posterior.load_posterior(path)
    assert str(caught.value) == (f"posterior={str(path)!r}: the column 'citizens.novelty_decay' is there twice; "
                                 "allowed: each column once")


def test_a_link_in_a_calibration_folder_is_not_read_a_link_typed_is(tmp_path: Path) -> None:
    """A posterior.parquet found in a folder was read through a link (run files never are); the path the user
    typed is hers, and a link there is followed."""
    target = write(tmp_path / "elsewhere" / "posterior.parquet", particles())
    folder = tmp_path / "calibration"
    folder.mkdir()
    (folder / "posterior.parquet").symlink_to(target)
    with pytest.raises(ConfigError) as caught:
        posterior.load_posterior(folder)
    assert str(caught.value) == (f"posterior={str(folder)!r} ({folder / 'posterior.parquet'}) is a link, not the file "
                                 f"a calibration wrote; allowed: {posterior.ALLOWED}")
    assert len(posterior.load_posterior(folder / "posterior.parquet")) == 2  # the link she typed


def test_a_fifo_posterior_is_not_a_regular_file(tmp_path: Path) -> None:
    """A FIFO was "no posterior.parquet there"; it is there, and not a regular file (never opened to wait)."""
    import os

    fifo = tmp_path / "posterior.parquet"
    os.mkfifo(fifo)
    for given, shown in ((tmp_path, f"posterior={str(tmp_path)!r} ({fifo})"), (fifo, f"posterior={str(fifo)!r}")):
        with pytest.raises(ConfigError) as caught:
            posterior.load_posterior(given)
        assert str(caught.value) == (f"{shown} is not a regular file (a folder, a FIFO or a device); allowed: "
                                     f"{posterior.ALLOWED}")


def test_a_long_column_name_is_shortened(tmp_path: Path) -> None:
    """A column named with 100,000 characters made a 100 KB line: the name is shown to 80 characters."""
    name = "x" * 100_000
    with pytest.raises(ConfigError) as caught:
        posterior.load_posterior(particles(**{name: [1.0, 2.0]}))
    assert str(caught.value) == (f"posterior=<DataFrame, 3 rows>: the column '{'x' * 80}\u2026' is not a parameter "
                                 f"with a prior; allowed: {posterior.PARAMETERS}")


def test_a_misspelt_posterior_column_gets_the_close_one() -> None:
    """A column `citizens.novelty_decai` listed what is allowed without the key meant."""
    with pytest.raises(ConfigError) as caught:
        posterior.load_posterior(particles(**{"citizens.novelty_decai": [0.5, 0.6]}))
    assert str(caught.value) == ("posterior=<DataFrame, 3 rows>: the column 'citizens.novelty_decai' is not a "
                                 "parameter with a prior (did you mean citizens.novelty_decay?); allowed: "
                                 f"{posterior.PARAMETERS}")
