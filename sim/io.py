"""Writing a run's results: resolved config, Parquet tables, JSON summary.

Every file is written to a temporary name and renamed into place, so that a reader never
sees a half-written result: a write that fails (a full disk, a killed process) leaves the file
as it was, or absent, never truncated. Every module of the package that writes a file a user
keeps (run folders, sweep tables, figures, reports, documents) writes it through these helpers.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import stat
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from omegaconf import DictConfig, OmegaConf

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


class RunTables(Protocol):
    """What ``write_run`` reads of a run's result (``sim.api.RunResult`` has it).

    Typed by what it needs rather than by RunResult, so that this module does not import
    sim.api, which imports it to save results.
    """

    timeseries: pd.DataFrame
    summary: pd.Series

    @property
    def groups(self) -> pd.DataFrame:
        """Participation by group."""

    @property
    def projects(self) -> pd.DataFrame:
        """The project ledger."""

    @property
    def cycles(self) -> pd.DataFrame:
        """The cycle table."""

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
    tmp = path.with_name(temporary_name(path.name, os.getpid(), threading.get_ident()))
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_name(name: str, process: int, thread: int) -> str:
    """The name :func:`atomic_write` writes the file ``name`` to first: hidden, and unique to the process and
    thread (``sim.writable`` checks that it fits the file system, with the longest ids)."""
    return f".{name}.{process}.{thread}.tmp"


def atomic_write_bytes(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temporary file; returns its sha256 (hex)."""
    atomic_write(path, lambda p: p.write_bytes(data))
    return hashlib.sha256(data).hexdigest()


def atomic_write_text(path: Path, text: str) -> str:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file; returns its sha256 (hex)."""
    return atomic_write_bytes(path, text.encode())


def atomic_parquet(path: Path, df: pd.DataFrame) -> str:
    """Write a DataFrame as Parquet through a temporary file; returns the file's sha256 (hex)."""
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return atomic_write_bytes(path, buffer.getvalue())


def atomic_savefig(fig: Any, path: Path, **kwargs: Any) -> None:
    """Save a matplotlib figure through a temporary file, in the format of ``path``'s suffix."""
    atomic_write(path, lambda p: fig.savefig(p, format=path.suffix.lstrip("."), **kwargs))


def plain_folder(folder: Path) -> Path:
    """Make ``folder`` a real folder to write into, and return it: a link in its place is removed (the link, never
    what it points to; with a warning), so that nothing is written outside through it. A file in its place is
    not a run's to remove: ``NotADirectoryError`` naming it (one line on the command line)."""
    if folder.is_symlink():
        log.warning("%s is a link, not a folder: removed, its files written here", folder)
        folder.unlink(missing_ok=True)
    elif folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder: move it away to write the files it should hold")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def json_of(path: Path, data: bytes) -> Any:
    """The JSON value of ``data``, the bytes read from ``path``; ``ValueError`` naming ``path`` when they are not
    valid JSON, or nest deeper than Python's parser reaches (a file of 100,000 brackets: RecursionError there)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError(f"{path}: not valid JSON (nested deeper than it can be read)") from None
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes; ``ValueError`` saying why not
    (a link, which is never followed; a FIFO, a device or a folder, which are never opened to wait or read
    without end; a file larger than ``limit``), ``OSError`` when it is missing or cannot be read."""
    with open_regular(path, limit) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path}: more than {limit} bytes, more than such a file can hold")
    return data


def regular_sha256(path: Path, limit: int) -> str:
    """The sha256 (hex) of ``path``, read as :func:`read_regular` reads it (the same refusals), a block at a time:
    for a file too large to hold in memory whole (a calibration's database)."""
    digest, size = hashlib.sha256(), 0
    with open_regular(path, limit) as f:
        while block := f.read(1 << 20):
            size += len(block)
            if size > limit:
                raise ValueError(f"{path}: more than {limit} bytes, more than such a file can hold")
            digest.update(block)
    return digest.hexdigest()


def open_regular(path: Path, limit: int) -> io.BufferedReader:
    """``path`` opened for reading when it is a regular file of at most ``limit`` bytes (:func:`read_regular`)."""
    kind = os.lstat(path)
    if stat.S_ISLNK(kind.st_mode):
        raise ValueError(f"{path}: a link, not the file the run wrote")
    if not stat.S_ISREG(kind.st_mode):
        raise ValueError(f"{path}: not a regular file (a folder, a FIFO or a device)")
    if kind.st_size > limit:
        raise ValueError(f"{path}: {kind.st_size} bytes, more than such a file can hold ({limit})")
    # no following a link, no waiting for a writer: what replaced the file since lstat is refused the same way
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
        f.close()
        raise ValueError(f"{path}: not a regular file (a folder, a FIFO or a device)")
    return f


def inside(folder: Path, name: str) -> Path | None:
    """``folder / name`` when ``name`` is a plain relative name of a file inside ``folder`` (parts joined by "/", no
    absolute path, no ".." or "." or empty part) none of whose folders is a link; ``None`` otherwise (a missing
    folder on the way is not refused here: reading the file says it is missing)."""
    parts = name.split("/")
    if not name or "\0" in name or any(part in ("", ".", "..") for part in parts):
        return None
    for depth in range(1, len(parts)):
        if folder.joinpath(*parts[:depth]).is_symlink():
            return None
    return folder.joinpath(*parts)


#: The largest status.json read (bytes): a run's lists its files' checksums in a few kB; a larger one is not a status.
MAX_STATUS_BYTES = 1 << 20
#: The largest file of a run read (bytes): its biggest, the time series of a run at full scale over decades, or
#: a figure, is under a few MB; a larger one is not a file the run wrote.
MAX_RUN_FILE_BYTES = 256 << 20


#: The status file of a run folder, written last (sim.experiments.sweep writes its own runs' too).
STATUS = "status.json"
#: A hidden file that a run folder holds while its files are written (:func:`reserve_room`).
RESERVE = ".status.reserve"


def reserve_room(folder: Path, size: int = 16384) -> None:
    """Set ``size`` bytes aside in ``folder`` before a run writes its files.

    A full disk can fail any write, the status that says so too: :func:`release_room`, called
    before the status is written, frees this room for it, so that a run whose files filled the
    disk is still marked failed, with its error, rather than left without a status.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / RESERVE
    remove(path)  # a link left in its place is removed, never written through
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(b"\0" * size)


def release_room(folder: Path) -> None:
    """Free the room :func:`reserve_room` set aside (nothing if there is none)."""
    remove(folder / RESERVE)


def remove(path: Path) -> None:
    """Remove ``path`` whatever it is: a file or a link (the link, not what it points to), or a folder
    with its contents; nothing if it does not exist."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def mark_ok(folder: Path, names: Iterable[str]) -> None:
    """Write ``status.json`` saying the run's files ``names`` (paths relative to ``folder``) are complete, with
    the sha256 of each. Only those: another file in the folder (a user's, an earlier run's) is not the run's."""
    release_room(folder)
    files = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in sorted(set(names))}
    atomic_write_text(folder / STATUS, json.dumps({"status": "ok", "files": files}, indent=2))


#: The files a run's status may list that a later run saved into its folder removes: its tables and figures.
_RUN_FILE = re.compile(r"(config\.yaml|[a-z_]+\.(parquet|json)|figures/[A-Za-z0-9_-]+\.(png|svg))")


def run_files(folder: Path) -> list[str]:
    """The files of a run saved into ``folder`` before, as its ``status.json`` lists them: only names a run writes
    (:data:`_RUN_FILE`: no path out of the folder, whatever the status says) that are plain files there, not
    links nor reached through a linked folder (:func:`inside`); an empty list when there is no readable status."""
    try:
        listed = json.loads(read_regular(folder / STATUS, MAX_STATUS_BYTES)).get("files", {})
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(listed, dict):
        return []
    return [name for name in listed if isinstance(name, str) and _RUN_FILE.fullmatch(name) and name != STATUS
            and inside(folder, name) is not None and (folder / name).is_file() and not (folder / name).is_symlink()]


def mark_failed(folder: Path, exc: BaseException) -> None:
    """Write ``status.json`` saying the folder is incomplete, with the error; best effort (the disk may be full)."""
    status = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    try:
        release_room(folder)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / STATUS, json.dumps(status, indent=2))
    except OSError:  # nothing more can be written: the exception raised by the caller says why
        pass


def with_run_columns(df: pd.DataFrame, summary: pd.Series) -> pd.DataFrame:
    """Add the run's scenario, design and seed as the first columns (tidy across runs)."""
    out = df.copy()
    for i, col in enumerate(("scenario", "design", "seed")):
        out.insert(i, col, summary[col])
    return out


def write_run(result: RunTables, folder: Path) -> list[str]:
    """Write config.yaml, timeseries, summary (Parquet and JSON), groups, projects and cycles into ``folder``;
    the names written.

    The figures are drawn by the caller (``sim.api.RunResult.save``): files here, figures in sim.plots.
    """
    folder.mkdir(parents=True, exist_ok=True)
    yaml_text = OmegaConf.to_yaml(result.config, resolve=True)
    atomic_write_text(folder / "config.yaml", yaml_text)
    tables = {name: with_run_columns(getattr(result, name), result.summary)
              for name in ("timeseries", "groups", "projects", "cycles")}
    tables["summary"] = result.summary.to_frame().T.infer_objects()
    for name, table in tables.items():
        atomic_parquet(folder / f"{name}.parquet", table)
    summary_json = json.dumps({k: (v.item() if hasattr(v, "item") else v) for k, v in result.summary.items()},
                              indent=2)
    atomic_write_text(folder / "summary.json", summary_json + "\n")
    return ["config.yaml", *(f"{name}.parquet" for name in tables), "summary.json"]
