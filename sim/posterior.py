"""A calibration's posterior: reading it, and drawing parameter sets from it.

The ABC calibration (:mod:`sim.experiments.abc`) writes ``posterior.parquet``; comparisons over
the calibration's uncertainty (``sim.compare(posterior=..., draws=...)``, a sweep with
``experiment.posterior``, :mod:`sim.experiments.uncertainty`) resample it here. It sits beside the
API, below the experiments, because ``sim.compare`` and the sweeps both draw from it.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.keys import (
    ConfigError,
    assumed_priors,
    declared_priors,
    describe_range,
    did_you_mean,
    iter_params,
    key_whole,
    one_line,
    shown_name,
)
from sim.config.params_doc import field_type

__all__ = ["draw_parameters", "load_posterior"]


#: What a posterior file must be, for the messages that refuse one.
ALLOWED = "the posterior.parquet an ABC calibration writes (python -m sim +experiment=calibration_abc)"
#: What a frame given for a posterior must be, for the messages that refuse one.
ALLOWED_FRAME = ("the frame load_posterior returns (parameter columns and weight) or the particles of a "
                 "posterior.parquet (with generation)")
#: The columns of a posterior that are no parameter: the ABC calibration's bookkeeping (and stat.*).
BOOKKEEPING = ("generation", "particle", "weight", "distance")
#: The columns a posterior may hold, for the message that refuses another.
PARAMETERS = ("the parameters with a prior (docs/parameters.md: calibrated, or assumed with a prior), weight, "
              "and generation, particle, distance, stat.*")
#: What may be given for a posterior, for the message that refuses another type.
SOURCES = "an ABC calibration's folder, its posterior.parquet or the frame load_posterior returns"
#: How much of a column's name a message shows (a key of the schema is at most 45 characters).
COLUMN_SHOWN = 80


def check_source(value: object, key: str = "posterior", also: str = "") -> None:
    """TypeError naming ``key`` (the argument or option that gave ``value``) for a posterior that is neither a path
    (a text or a Path, not bytes) nor a frame; ``also`` starts the allowed ones (``"None, "``)."""
    if not isinstance(value, str | os.PathLike | pd.DataFrame) or isinstance(value, bytes):
        raise TypeError(f"{key}={one_line(value)} ({type(value).__name__}) is not a path; allowed: {also}{SOURCES}")
    if isinstance(value, str | os.PathLike) and os.fspath(value) == "":
        # an empty path is the working folder (pathlib): the command line refuses posterior= left empty too
        raise ConfigError(f"{key}='' is empty; allowed: {also}{SOURCES}")


def shown_source(value: str | os.PathLike | pd.DataFrame) -> str:
    """A posterior as a message shows it: a path as a quoted text, a frame by its type and size (its repr has
    several lines)."""
    if isinstance(value, pd.DataFrame):
        return f"<DataFrame, {len(value)} row{'' if len(value) == 1 else 's'}>"
    return repr(str(value))


def load_posterior(path: str | Path | pd.DataFrame, key: str = "posterior") -> pd.DataFrame:
    """The posterior of a calibration: the last generation of ``posterior.parquet``, checked.

    ``path`` is the file or the folder that holds it, or a frame: the particles of such a file, or the frame
    this function returns (parameter columns and ``weight``, all of one generation); a frame meets the checks
    the file meets, and its messages show it as ``<DataFrame, n rows>``. Another type is a TypeError naming
    ``key``. Returns the parameter columns (schema keys) and ``weight`` (summing to 1). Every door that reads
    a posterior reads it here (``sim.compare``, the report, a sweep's or run's ``experiment.posterior``,
    checked before Hydra starts), so a damaged file is one :class:`~sim.config.keys.ConfigError` naming
    ``key`` (the option that gave the path), the file, the column and the value, and what is allowed: a
    Parquet file; integer generations; at least one row in the last generation; finite weights >= 0 summing
    to more than 0 there; parameter columns that are parameters with a prior (``param(..., prior=...)``: the
    calibrated ones and the assumed effect sizes; a ``run.*``, ``design.*`` or ``experiment.*`` column would
    change what every run is behind the report's back), each value finite, a whole number for an int key,
    within the key's range. Raises
    ``FileNotFoundError`` naming the path when there is no file.
    """
    check_source(path, key)
    if isinstance(path, pd.DataFrame):
        frame = path.reset_index(drop=True)  # rows by their place in the frame, for the messages
        if "generation" not in frame.columns and "weight" in frame.columns:  # the frame this function returns
            frame = frame.assign(generation=0)
        return _checked(frame, f"{key}={shown_source(path)}", ALLOWED_FRAME)
    p = Path(path)
    # the path the user typed is hers: a link there is followed (a calibration on another disk); the
    # posterior.parquet found in a folder is the calibration's own file, never read through a link
    inner = p.is_dir()
    if inner:
        p = p / "posterior.parquet"
    shown = f"{key}={str(path)!r}" + (f" ({p})" if inner else "")
    try:
        kind = os.lstat(p) if inner else os.stat(p)
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(f"{key}={str(path)!r}: no posterior.parquet there "
                                "(run python -m sim +experiment=calibration_abc first)") from None
    except OSError as exc:
        raise ConfigError(f"{shown} cannot be read ({exc.strerror}); allowed: {ALLOWED}") from None
    if stat.S_ISLNK(kind.st_mode):
        raise ConfigError(f"{shown} is a link, not the file a calibration wrote; allowed: {ALLOWED}")
    if not stat.S_ISREG(kind.st_mode):
        raise ConfigError(f"{shown} is not a regular file (a folder, a FIFO or a device); allowed: {ALLOWED}")
    try:
        # no waiting for a writer, no following a link in the folder's file: what replaced it since is refused too
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (getattr(os, "O_NOFOLLOW", 0) if inner else 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise ConfigError(f"{shown} is not a regular file (a folder, a FIFO or a device); allowed: {ALLOWED}")
            df = pd.read_parquet(f).reset_index(drop=True)  # rows by their place in the file, for the messages
    except ConfigError:
        raise
    except Exception as exc:  # pyarrow's ArrowInvalid, OSError, ...: whatever the file holds, it is not one
        twice = _twice_in_file(p)
        if twice is not None:
            raise ConfigError(f"{shown}: the column {shown_name(twice, COLUMN_SHOWN)} is there twice; allowed: "
                              "each column once") from None
        why = re.sub(r"^Could not open Parquet input source '.*?': ", "", " ".join(str(exc).split()))
        raise ConfigError(f"{shown} is not a Parquet file that can be read ({why[:160]}); allowed: {ALLOWED}") \
            from None
    return _checked(df, shown, ALLOWED)


def _twice_in_file(path: Path) -> str | None:
    """The first column a Parquet file's schema names twice (pandas cannot read such a file), or None."""
    try:
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
    except Exception:  # not a Parquet file: the caller says so
        return None
    return next((name for i, name in enumerate(names) if name in names[:i]), None)


def _checked(df: pd.DataFrame, shown: str, allowed: str) -> pd.DataFrame:
    """The last generation of the particles ``df`` (a posterior.parquet's, or a frame given for one), checked:
    :func:`load_posterior`'s result. ``shown`` names where they came from, ``allowed`` what it may be."""
    twice = df.columns[df.columns.duplicated()]
    if len(twice):
        raise ConfigError(f"{shown}: the column {shown_name(str(twice[0]), COLUMN_SHOWN)} is there twice; allowed: "
                          "each column once")
    if not {"generation", "weight"} <= set(df.columns):
        raise ConfigError(f"{shown} has no generation and weight columns; not an ABC posterior; allowed: {allowed}")
    _check_numbers(df, "generation", shown, "whole numbers (the generation of each particle)", whole=True)
    if df.empty:
        raise ConfigError(f"{shown} holds no rows; allowed: at least one particle in the last generation")
    last = df[df["generation"] == df["generation"].max()]
    _check_numbers(last, "weight", shown, "finite weights >= 0 summing to more than 0", lo=0)
    total = float(last["weight"].sum())
    if not 0 < total < math.inf:
        raise ConfigError(f"{shown}: the weights of the last generation ({int(last['generation'].iloc[0])}) sum "
                          f"to {total!r}; allowed: finite weights >= 0 summing to more than 0")
    keys = [c for c in last.columns if c not in BOOKKEEPING and not (isinstance(c, str) and c.startswith("stat."))]
    known = dict(iter_params())
    with_prior = {key for key, _, _ in declared_priors()}
    for column in keys:
        # only a parameter with a prior: a run.*, design.* or experiment.* column changed what every run is and
        # what the report says it ran (run.steps=1 ran one month of a report over 72)
        if column not in with_prior:
            raise ConfigError(f"{shown}: the column {shown_name(column, COLUMN_SHOWN)} is not a parameter with a "
                              f"prior{did_you_mean(column, with_prior, cutoff=0.8)}; allowed: {PARAMETERS}")
        kind = field_type(column)  # a prior is over numbers
        meta = known[column].metadata
        _check_numbers(last, column, shown, describe_range(column), whole=kind is int, lo=meta.get("lo"),
                       hi=meta.get("hi"))
    out = last[[*keys, "weight"]].reset_index(drop=True).astype(float)  # checked numbers, as plain floats
    out["weight"] = out["weight"] / out["weight"].sum()
    return out


def _check_numbers(df: pd.DataFrame, column: str, shown: str, allowed: str, whole: bool = False,
                   lo: float | None = None, hi: float | None = None) -> None:
    """ConfigError naming the first value of ``column`` that is not a finite number (a whole one with ``whole``)
    within [lo, hi], and its row (counted from 1, as the file's rows)."""
    values = df[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        x = values.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            good = np.isfinite(x) & ((x == np.round(x)) if whole else True)
            good &= (x >= lo) if lo is not None else True
            good &= (x <= hi) if hi is not None else True
    else:  # texts, booleans, mixed: not numbers
        good = np.zeros(len(values), dtype=bool)
    if not good.all():
        i = int(np.argmin(good))
        raise ConfigError(f"{shown}: the column {shown_name(column, COLUMN_SHOWN)} holds {_shown(values.iloc[i])} in "
                          f"row {int(values.index[i]) + 1}; allowed: {allowed}")


def _shown(value: object) -> str:
    """A value of a posterior's column as a message shows it: numbers plainly, a text quoted (at most 40
    characters)."""
    if value is None or value is pd.NA:
        return "no value"
    if isinstance(value, str):
        return shown_name(value)
    if isinstance(value, float | np.floating | int | np.integer) and not isinstance(value, bool | np.bool_):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(int(value))
    return f"{value!r} ({type(value).__name__})"


#: Spawn key of the posterior resampling, so that it never shares a stream with a model run.
_DRAW_STREAM = 0xAB_C0


def draw_parameters(posterior: str | Path | pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """``draws`` parameter sets resampled with replacement from a posterior, by its weights, each with
    the assumed effect sizes drawn from their priors.

    ``posterior`` is a calibration's folder, its ``posterior.parquet`` or a frame (the one
    :func:`load_posterior` returns, or a file's particles), read and checked by :func:`load_posterior`.
    Beside the calibrated parameters it holds, every *assumed*
    parameter with a prior (``sim.config.keys.assumed_priors``: effect sizes no published estimate
    fixes) is drawn uniformly over its prior, independently, so that a comparison over the posterior
    carries their uncertainty too (issue 17, point 2). The draws use their own stream of ``seed``
    (numpy SeedSequence), so the same seed gives the same draws in any process. Returns one row per
    draw (column ``draw``) with the parameters under their schema keys. ``draws`` is a whole number from 1 to
    the most ``experiment.draws`` allows (100,000) and ``seed`` a seed (0 to 2**32 - 1), of any integral type
    (numpy's too); TypeError or ConfigError naming either.
    """
    draws = key_whole("draws", draws, "experiment.draws", least=1)
    seed = key_whole("seed", seed, "seed")
    post = load_posterior(posterior)
    keys = [c for c in post.columns if c != "weight"]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DRAW_STREAM,)))
    w = post["weight"].to_numpy(dtype=float)
    rows = rng.choice(len(post), size=draws, replace=True, p=w / w.sum())
    out = post.iloc[rows][keys].reset_index(drop=True)
    for key, lo, hi in assumed_priors():
        if key not in out.columns:
            out[key] = rng.uniform(lo, hi, size=draws)
    out.insert(0, "draw", np.arange(draws))
    return out
