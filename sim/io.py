"""Writing a run's results: resolved config, Parquet tables, JSON summary.

Every file is written to a temporary name and renamed into place, so that a reader never
sees a half-written result.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from omegaconf import DictConfig, OmegaConf

if TYPE_CHECKING:
    import pandas as pd


class RunTables(Protocol):
    """What ``write_run`` reads of a run's result (``sim.api.RunResult`` has it).

    Typed by what it needs rather than by RunResult, so that this module does not import
    sim.api, which imports it to save results.
    """

    timeseries: pd.DataFrame
    summary: pd.Series
    groups: pd.DataFrame
    projects: pd.DataFrame
    cycles: pd.DataFrame

    @property
    def config(self) -> DictConfig:
        """The resolved configuration (written as config.yaml)."""


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)``, then rename the temporary file to ``path`` (atomic on POSIX).

    The temporary name is unique to the writing process and thread: several workers of one
    sweep (Ray, joblib) may write the same file, e.g. the sweep's experiment.json, at the same
    moment; with a shared temporary name one worker's rename removed the other's file. The last
    rename wins and every reader sees one whole file. A failed write leaves no temporary file.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file."""
    atomic_write(path, lambda p: p.write_text(text))


def atomic_parquet(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame as Parquet through a temporary file."""
    atomic_write(path, lambda p: df.to_parquet(p, index=False))


def with_run_columns(df: pd.DataFrame, summary: pd.Series) -> pd.DataFrame:
    """Add the run's scenario, design and seed as the first columns (tidy across runs)."""
    out = df.copy()
    for i, col in enumerate(("scenario", "design", "seed")):
        out.insert(i, col, summary[col])
    return out


def write_run(result: RunTables, folder: Path) -> Path:
    """Write config.yaml, timeseries, summary (Parquet and JSON), groups, projects and cycles into ``folder``.

    The figures are drawn by the caller (``sim.api.RunResult.save``): files here, figures in sim.plots.
    """
    folder.mkdir(parents=True, exist_ok=True)
    yaml_text = OmegaConf.to_yaml(result.config, resolve=True)
    atomic_write_text(folder / "config.yaml", yaml_text)
    ts = with_run_columns(result.timeseries, result.summary)
    groups = with_run_columns(result.groups, result.summary)
    atomic_parquet(folder / "timeseries.parquet", ts)
    atomic_parquet(folder / "groups.parquet", groups)
    atomic_parquet(folder / "projects.parquet", with_run_columns(result.projects, result.summary))
    atomic_parquet(folder / "cycles.parquet", with_run_columns(result.cycles, result.summary))
    summary_df = result.summary.to_frame().T.infer_objects()
    atomic_parquet(folder / "summary.parquet", summary_df)
    summary_json = json.dumps({k: (v.item() if hasattr(v, "item") else v) for k, v in result.summary.items()},
                              indent=2)
    atomic_write_text(folder / "summary.json", summary_json + "\n")
    return folder
