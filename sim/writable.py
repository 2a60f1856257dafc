"""Whether a command can write where its ``out=`` says, checked before any work (the report, validate, params,
a single run's folder, ``RunResult.save``), and whether a folder already holds results of another sort
(:func:`other_experiment`).

A command's files are written through :func:`sim.io.atomic_write`: first to a temporary name beside the file
(``.<name>.<process>.<thread>.tmp``), then renamed. So a file can be written when every name on its path fits
the file system (255 bytes on the usual ones, the temporary name included), the whole path fits
(``PATH_MAX``), the file is not a folder (or anything but a file), and the nearest folder that exists above it
takes a new file (a probe file is made there and removed at once) and its disk has room for more than a few
files (:data:`ROOM`: a full disk still takes an empty file, so the probe alone would not tell). Each refusal is a
:class:`~sim.config.keys.ConfigError` of one line that starts with what the user typed (``out=<value>``) and
ends with what is allowed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sim.config.keys import ConfigError
from sim.config.schema import IN_PROCESS_KINDS, IN_PROCESS_NAMES, ExperimentKind
from sim.io import STATUS, temporary_name

__all__ = [
    "TEMPORARY",
    "check_file",
    "check_folder",
    "check_not_within",
    "check_readable",
    "check_results_folder",
    "folder_kind",
    "name_max",
    "other_experiment",
    "recorded_kind",
    "same_file",
    "short",
]

#: Bytes that sim.io.atomic_write adds to a file's name for its temporary file (:func:`sim.io.temporary_name`),
#: both ids at their longest.
TEMPORARY = len(temporary_name("", 2**22, 2**64))

#: Free bytes a disk must have for a command to start writing there: Hydra's records of a run (``.hydra/``, about
#: 11 kB in three files) and a run's status, at the usual 4 kB a file, with room to spare. A command that starts
#: above it and fills the disk is stopped by the write that fails, and says so (the run is marked failed).
ROOM = 32 * 1024


def short(name: str, most: int = 48) -> str:
    """``name`` shortened for a message (its start and end), when longer than ``most`` characters."""
    return name if len(name) <= most else f"{name[:most // 2]}…{name[-(most // 2):]}"


def _nearest(path: Path) -> Path:
    """The nearest path at or above ``path`` that exists (of any kind); the root at last."""
    here = path
    while here != here.parent:
        try:
            os.lstat(here)
            return here
        except OSError:  # missing, or a name too long to look up: go up
            here = here.parent
    return here


def name_max(path: Path) -> tuple[int, int]:
    """The longest name and path (bytes) of the file system that holds ``path`` (255 and 4096 when it does not
    say)."""
    folder = _nearest(path.absolute())
    if not folder.is_dir():
        folder = folder.parent
    limits = []
    for key, default in (("PC_NAME_MAX", 255), ("PC_PATH_MAX", 4096)):
        try:
            limits.append(int(os.pathconf(folder, key)))
        except (OSError, ValueError, AttributeError):
            limits.append(default)
    return limits[0], limits[1]


def _check_names(path: Path, shown: str, allowed: str, temporary: int) -> None:
    """Every name on ``path`` fits the file system, the last one with ``temporary`` bytes more; the path fits."""
    most, longest = name_max(path)
    for i, part in enumerate(path.parts):
        extra = temporary if i == len(path.parts) - 1 else 0
        size = len(os.fsencode(part))
        if size + extra > most:
            first = f", {size + extra} with the temporary name it is written to first" if extra else ""
            raise ConfigError(f"{shown}: the name {short(part)} is {size} bytes{first}; allowed: {allowed}, with "
                              f"names of at most {most - extra} bytes")
    size = len(os.fsencode(str(path.absolute()))) + temporary
    if size >= longest:
        raise ConfigError(f"{shown}: the path {short(str(path))} is {size} bytes long with its temporary name; "
                          f"allowed: {allowed}, with a path shorter than {longest - temporary} bytes")


def _probe(path: Path, shown: str, allowed: str) -> None:
    """The nearest folder at or above ``path`` that exists takes a new file (made and removed at once)."""
    folder = _nearest(path)
    if not folder.is_dir():
        raise ConfigError(f"{shown}: {folder} is not a folder; allowed: {allowed}")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
    except OSError as exc:
        raise ConfigError(f"{shown}: nothing can be written in {folder} ({exc.strerror}); allowed: {allowed}") \
            from None
    os.close(handle)
    os.remove(probe)
    disk = os.statvfs(folder)  # root may also write the blocks a file system keeps for it
    free = (disk.f_bfree if os.geteuid() == 0 else disk.f_bavail) * disk.f_frsize
    if free < ROOM:  # Hydra's own writing of a run's .hydra/ files would end in its traceback
        raise ConfigError(f"{shown}: the disk of {folder} is full ({free:,} bytes free); allowed: {allowed}, on a "
                          "disk with room")


def check_file(path: Path, shown: str, allowed: str) -> None:
    """ConfigError (``<shown>: ...; allowed: <allowed>``) unless the file ``path`` can be written (module
    docstring): its names fit, it is a file or absent, an existing one opens for writing, and its folder, or the
    nearest one above it that exists, takes a new file."""
    _check_names(path, shown, allowed, TEMPORARY)
    if os.path.lexists(path):
        _opens(path, shown, allowed, "ab", "written")
    _probe(path.parent, shown, allowed)


def check_folder(path: Path, shown: str, allowed: str, files: Iterable[str] = ()) -> None:
    """ConfigError unless the folder ``path`` can be made (or is one) and takes new files, ``files`` among them
    (names of the files the command writes in it: none may be a folder)."""
    _check_names(path, shown, allowed, 0)
    if os.path.lexists(path) and not path.is_dir():
        raise ConfigError(f"{shown}: {path} is not a folder; allowed: {allowed}")
    for name in files:
        check_file(path / name, shown, allowed)
    _probe(path, shown, allowed)


def check_readable(path: Path, shown: str, allowed: str) -> None:
    """ConfigError unless ``path`` is absent (with folders above it) or a file that opens for reading."""
    _check_names(path, shown, allowed, 0)
    if not os.path.lexists(path):
        above = _nearest(path)
        if not above.is_dir():
            raise ConfigError(f"{shown}: {above} is not a folder; allowed: {allowed}")
        return
    _opens(path, shown, allowed, "rb", "read")


def _opens(path: Path, shown: str, allowed: str, mode: str, verb: str) -> None:
    """The existing ``path`` is a file that opens in ``mode`` (``ab`` opens without changing it)."""
    if not path.is_file():
        raise ConfigError(f"{shown}: {path} is not a file; allowed: {allowed}")
    try:
        with open(path, mode):
            pass
    except OSError as exc:
        raise ConfigError(f"{shown}: {path} cannot be {verb} ({exc.strerror}); allowed: {allowed}") from None


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file: the same path once resolved, or (both there) one file."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_not_within(path: Path, folders: Iterable[Path], shown: str, allowed: str) -> None:
    """ConfigError unless ``path`` is outside every one of ``folders`` (a command's own sources), once resolved,
    and no file in them under another name (a hard link)."""
    target = path.resolve()
    for folder in folders:
        home = folder.resolve()
        if target == home or home in target.parents:
            raise ConfigError(f"{shown}: {path} is in {folder}, which the command reads; allowed: {allowed}")
    if target.is_file() and target.stat().st_nlink > 1:
        for folder in folders:
            for file in folder.resolve().rglob("*"):
                if file.is_file() and same_file(target, file):
                    raise ConfigError(f"{shown}: {path} is {file}, which the command reads; allowed: {allowed}")


def recorded_kind(info: object) -> str | None:
    """The kind of experiment an ``experiment.json``'s content records (``abc``, or ``ExperimentKind.abc`` as older
    files wrote it), or None when it records none that is a text."""
    kind = info.get("kind") if isinstance(info, dict) else None
    return kind.split(".")[-1] if isinstance(kind, str) and kind else None


def folder_kind(root: Path) -> str | None:
    """The kind of experiment ``root/experiment.json`` records (:func:`recorded_kind`); None when there is none or
    it cannot be read."""
    try:
        return recorded_kind(json.loads((root / "experiment.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError):
        return None


def check_results_folder(root: Path, kind: ExperimentKind, shown: str, what: str, allowed: str, *,
                         plain: bool = False) -> None:
    """ConfigError ``<shown> holds <...>; <what> would write among them; allowed: <allowed>`` when ``root`` holds
    results of another sort than those of ``kind`` (:func:`other_experiment`)."""
    other = other_experiment(root, kind, plain=plain)
    if other is not None:
        raise ConfigError(f"{shown} holds {other}; {what} would write among them; allowed: {allowed}")


def other_experiment(root: Path, kind: ExperimentKind, *, plain: bool = False) -> str | None:
    """What in ``root`` belongs to results of another sort than those about to be written there, or None.

    Three sorts of results never share a folder, since each writes files of the others' names or makes the
    others' unreadable: a single run's (``plain``: its tables, figures and ``status.json`` in the folder itself;
    ``python -m sim`` without an experiment, ``RunResult.save``), a sweep's (``runs/`` and the tables gathered
    from them beside an ``experiment.json``), and those of an experiment run in one process (a calibration, an
    ABC calibration, a scenario discovery: files of its own beside an ``experiment.json``). A single run into a
    finished sweep's folder replaced its gathered time series and left the sweep damaged for good; a sweep in a
    calibration's folder wrote its experiment.json over the calibration's. Two sweeps, two experiments of the
    same in-process kind (a sweep resumed or extended; a calibration started again, kept when nothing changed) and
    two single runs (the later replaces the earlier, :meth:`sim.api.RunResult.save`) may share a folder. An
    experiment.json that cannot be read says nothing here (every job writes it again; gathering names it).
    """
    old = folder_kind(root)
    sweep = (root / "runs").is_dir()
    if plain:
        if old is not None:
            return f"the results of an experiment of kind {old} (its experiment.json)"
        return "the runs of a sweep (runs/)" if sweep else None
    if old is None and not sweep and (root / STATUS).is_file():
        return f"the results of a single run (its {STATUS})"
    in_process = kind in IN_PROCESS_KINDS
    if old is not None and old != kind.name and (in_process or old in IN_PROCESS_NAMES):
        return f"the results of an experiment of kind {old} (its experiment.json)"
    if in_process and sweep:
        return "the runs of a sweep (runs/)"
    return None
