"""Running one sweep job of an experiment: its share of replicates or samples, fault tolerant.

A Hydra multirun launches one *job* per condition (a point of the sweep grid) and batch.
Each job runs, in-process, the replicates r (or the sensitivity samples) with
``r % experiment.batches == experiment.batch``: batching several runs per job keeps Hydra's
per-job overhead (process start, config composition, bookkeeping files) small against the
model time. Every run gets its own folder, named by its condition and replicate (or sample),
whichever job ran it:

    <sweep dir>/runs/<condition>/run-00012/
        params.json       the run's parameters: the swept values, replicate, seeds, samples
        summary.json      one row of outcomes (sim.results.summary)
        timeseries.parquet
        projects.parquet  the run's project ledger (sim.results.projects)
        cycles.parquet    the run's cycle table (sim.results.cycles)
        status.json       written last: {"status": "ok" | "failed", "hash": ..., "files": {name: sha256},
                          "seconds": ..., "checksum": of the rest (own_checksum)}
        error.json        only when the run raised: error, traceback and the resolved config

A run whose status.json says "ok" with the same hash, and whose files still have the sha256
checksums its status records, is skipped when the sweep is started again (resume, more
replicates, other batches); a damaged run (a truncated table, a corrupt summary.json or
status.json, a status.json edited after the run, a folder where a file was) is named in one log line
and run again from an emptied place (:func:`clear_run`), never taken as finished. The hash covers
what determines the run's result, i.e. its resolved config without Hydra's settings and the
experiment's bookkeeping (``experiment.*``, see ``config_hash``), and the model's code (``code_digest``:
after a change of the model, a sweep started again runs again). A run that raises is recorded
and the job goes on with the next; params.json also says where the run ran (:func:`where`).
Files are written to a temporary name and renamed, so a half-written file is never read, and a
run sets a few kB aside while it writes (``sim.io.reserve_room``), so that a full disk still
leaves its status, ``failed`` with the error.

Each finished run is noted by its hash in ``<sweep dir>/runs/.by-hash/<hash>`` (its place). A run
asked for under another condition name whose hash is that of a finished run (a default written out,
``seed=0``; the same value spelled otherwise) is copied from it (:func:`finished_twin`, :func:`copy_results`:
its files but params.json, with their checksums, and ``copied_from`` in its status), not computed again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import socket
import stat
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from sim.config.compose import folder_name, mapping, to_config
from sim.config.keys import iter_params
from sim.config.schema import Config, ExperimentKind, model_seed
from sim.io import (
    MAX_RUN_FILE_BYTES,
    MAX_STATUS_BYTES,
    RESERVE,
    STATUS,
    atomic_parquet,
    atomic_write_bytes,
    atomic_write_text,
    inside,
    json_of,
    read_regular,
    release_room,
    remove,
    reserve_room,
)

log = logging.getLogger(__name__)


class DamagedRun(ValueError):
    """A run folder whose status or files cannot be trusted; the message names the file and why."""


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def read_status(run_dir: Path) -> dict[str, Any]:
    """A run's status.json; ``DamagedRun`` naming the file when it is not a JSON object with a status, or not a
    regular file of at most :data:`sim.io.MAX_STATUS_BYTES` (a FIFO is refused, never waited on)."""
    path = run_dir / STATUS
    status = _parsed(path, _run_bytes(path, MAX_STATUS_BYTES))
    if not isinstance(status, dict) or status.get("status") not in ("ok", "failed"):
        raise DamagedRun(f"{path}: not a run status (no 'status': 'ok' or 'failed')")
    return status


def _run_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a run's file (:func:`sim.io.read_regular`); ``DamagedRun`` naming ``path`` once when it cannot be
    read (the text of an ``OSError`` names it again: only its reason is kept)."""
    try:
        return read_regular(path, limit)  # a link is refused: read where the run wrote it, or not
    except ValueError as exc:  # names the path itself
        raise DamagedRun(str(exc)) from None
    except OSError as exc:
        raise DamagedRun(f"{path}: missing or unreadable ({exc.strerror or exc})") from None


def _parsed(path: Path, data: bytes) -> Any:
    """The JSON value of a run's file read from ``path``; ``DamagedRun`` naming it when it is not valid JSON."""
    try:
        return json_of(path, data)
    except ValueError as exc:
        raise DamagedRun(str(exc)) from None


def verified_bytes(run_dir: Path, name: str, status: dict[str, Any]) -> bytes:
    """The bytes of a finished run's file, checked against the checksum its status recorded. The file is read
    only when ``name`` is a plain name inside the run's folder (:func:`sim.io.inside`: no absolute path, no "..",
    no link on the way) of a regular file of at most :data:`sim.io.MAX_RUN_FILE_BYTES`; ``DamagedRun`` otherwise:
    a status says which files are the run's, never where to read outside its folder."""
    path = inside(run_dir, name) if isinstance(name, str) else None
    if path is None:
        raise DamagedRun(f"{run_dir / STATUS}: lists {name!r}, not a file inside the run's folder")
    data = _run_bytes(path, MAX_RUN_FILE_BYTES)
    files = status.get("files")
    expected = files.get(name) if isinstance(files, dict) else None
    if expected is None:
        raise DamagedRun(f"{path}: no checksum in {STATUS} (written before runs were verifiable)")
    if sha256(data) != expected:
        raise DamagedRun(f"{path}: checksum does not match {STATUS} ({len(data)} bytes: truncated or changed "
                         "after the run finished)")
    return data


def verify(run_dir: Path, status: dict[str, Any]) -> None:
    """Check every file a finished run's status lists; ``DamagedRun`` for the first that does not match."""
    files = status.get("files")
    if not isinstance(files, dict) or not files:
        raise DamagedRun(f"{run_dir / STATUS}: no checksums of the run's files (written before runs were "
                         "verifiable)")
    for name in files:
        verified_bytes(run_dir, name, status)


#: The files every finished run holds (its other tables came later: a run from before them has none).
REQUIRED_FILES = ("params.json", "summary.json", "timeseries.parquet")


def json_object(run_dir: Path, name: str, status: dict[str, Any]) -> dict[str, Any]:
    """A finished run's JSON file, checked against its checksum and parsed; DamagedRun if it is not an object."""
    value = _parsed(run_dir / name, verified_bytes(run_dir, name, status))
    if not isinstance(value, dict):
        raise DamagedRun(f"{run_dir / name}: not a JSON object")
    return value


def check_run(run_dir: Path, status: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A finished run's (params, summary), after checking what both resuming and gathering require of it:
    every file its status lists matches its checksum, the files every run has are among them, and its
    JSON files are objects. ``DamagedRun`` naming the first file that fails; the sweep and ``collect``
    call this one check, so a run gathering calls damaged is one a resumed sweep runs again."""
    if not isinstance(status.get("hash"), str):  # a single run's status, or one written by hand
        raise DamagedRun(f"{run_dir / STATUS}: no hash of the run's config (not a run of this sweep)")
    if "checksum" in status and status["checksum"] != own_checksum(status):  # none: written before 6 Dec 2026
        raise DamagedRun(f"{run_dir / STATUS}: changed after the run finished (its checksum does not match its "
                         "content)")
    verify(run_dir, status)
    missing = [name for name in REQUIRED_FILES if name not in status["files"]]
    if missing:
        raise DamagedRun(f"{run_dir / missing[0]}: not among the files {STATUS} lists (every run has it)")
    return json_object(run_dir, "params.json", status), json_object(run_dir, "summary.json", status)


@dataclass
class RunSpec:
    """One run of a job: its folder name, the overrides it adds and its recorded parameters."""

    run_id: str
    updates: dict[str, Any]
    params: dict[str, Any]


def swept_parameters(task_overrides: list[str]) -> dict[str, Any]:
    """The job's own overrides (the swept values), without the batch index, as key -> value."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params: dict[str, Any] = {}
    for o in OverridesParser.create().parse_overrides(task_overrides):
        key = o.key_or_group
        if key == "experiment" or key.startswith("experiment."):  # how the experiment runs, not a condition
            continue
        value = o.value()
        params[key] = value if isinstance(value, int | float | str | bool) or value is None else str(value)
    return params


def experiment_kind(cfg: DictConfig) -> ExperimentKind:
    """The experiment's kind, whether the config holds the enum or its name."""
    kind = cfg.experiment.kind
    return kind if isinstance(kind, ExperimentKind) else ExperimentKind[str(kind).split(".")[-1]]


def plain_run(cfg: DictConfig) -> bool:
    """Whether a command without a sweep (``-m``) is one run written into its folder itself, not an experiment:
    kind single without posterior draws (draws make even a single run an experiment of each draw's replicates)."""
    return experiment_kind(cfg) is ExperimentKind.single and int(cfg.experiment.draws) == 0


def job_runs(cfg: DictConfig) -> list[RunSpec]:
    """The runs this job is responsible for."""
    e = cfg.experiment
    kind = experiment_kind(cfg)
    if kind in (ExperimentKind.morris, ExperimentKind.sobol):
        # lazy: pandas and SALib, only for a sensitivity experiment (this module is the launcher's)
        from sim.experiments import sensitivity

        problem = sensitivity.problem(list(e.parameters), list(e.lower), list(e.upper))
        samples = sensitivity.sample(kind.name, problem, int(e.samples), int(e.levels), int(cfg.seed))
        rows = [i for i in range(samples.shape[0]) if i % e.batches == e.batch]
        specs = []
        for i in rows:
            values = {k: _plain(v, k) for k, v in zip(problem["names"], samples[i], strict=True)}
            specs.append(RunSpec(f"sample-{i:06d}", {**values, "replicate": 0},
                                 {"sample": i, **{f"x.{k}": v for k, v in values.items()}}))
        return specs
    if kind is ExperimentKind.single and int(e.replicates) == 1 and int(e.draws) == 0:
        # a plain sweep (no experiment, no replicates): each run keeps its seed and replicate
        # exactly as configured, so it equals the single run with the same overrides
        return [RunSpec("run", {}, {})] if e.batch == 0 else []
    reps = [r for r in range(int(e.replicates)) if r % e.batches == e.batch]
    if int(e.draws) > 0:
        # the same parameter sets for every condition (drawn with the experiment's seed): common
        # random numbers across designs, over parameters as over replicates (lazy: pandas)
        from sim.posterior import draw_parameters

        drawn = draw_parameters(str(e.posterior), int(e.draws), int(cfg.seed))
        keys = [c for c in drawn.columns if c != "draw"]
        specs = []
        for draw, row in zip(drawn["draw"], drawn[keys].to_numpy(), strict=True):
            values = {k: float(v) for k, v in zip(keys, row, strict=True)}
            specs.extend(RunSpec(f"draw-{draw:05d}-run-{r:05d}", {**values, "replicate": r},
                                 {"draw": int(draw), **{f"x.{k}": v for k, v in values.items()}})
                         for r in reps)
        return specs
    return [RunSpec(f"run-{r:05d}", {"replicate": r}, {}) for r in reps]


def _plain(value: float, key: str) -> float | int:
    """A sampled value as the schema's type (ints are rounded)."""
    for k, f in iter_params():
        if k == key and f.type in (int, "int"):
            return round(float(value))
    return float(value)


#: Config nodes that a run's result does not depend on, left out of its hash: Hydra's own
#: settings, and the experiment's bookkeeping (``experiment.*``: name, replicates, batches, batch,
#: figures, ...), which says which runs to make and how to gather them but is read by no model
#: code. A sensitivity sample's values are model keys set by its updates, so they are hashed.
NOT_HASHED = ("hydra", "experiment")


def config_hash(cfg: DictConfig) -> str:
    """Hash of what determines a run's result: its resolved config without ``NOT_HASHED``, and the
    code that makes a run's result from it (:func:`code_digest`).

    A finished run is reused when its hash is unchanged, so adding replicates or changing how
    runs are batched into jobs reuses it, while any changed model value (on the command line
    or in a preset file) or a change of the model's code runs it again.
    """
    data = mapping(cfg)
    for key in NOT_HASHED:
        data.pop(key, None)
    data["code"] = code_digest()
    return json_digest(data)


def json_digest(data: Any) -> str:
    """A short hash of ``data`` as sorted JSON (values JSON does not know, as their text)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def own_checksum(record: dict[str, Any]) -> str:
    """The checksum a record carries of its own content (:func:`json_digest` of every key but ``checksum``): a run's
    status.json, a calibration's abc.json. A record edited by hand, e.g. a status that leaves out a table it
    listed, no longer matches it and is not taken as finished."""
    return json_digest({k: v for k, v in record.items() if k != "checksum"})


#: The package's parts whose code makes a run's result from its resolved config: the model, the configuration's
#: code (schema, keys, municipality files' reading) and the run's tables. The presets are not among them: their
#: values are in the resolved config the hash covers already, and an experiment file only says which runs to make.
#: Apps, gathering and the texts change no run's numbers, so a change there keeps finished runs.
RESULT_CODE = ("model", "config", "api.py", "results.py", "io.py")


@functools.cache
def code_digest() -> str:
    """A digest of the package's :data:`RESULT_CODE` (:func:`source_digest`), so that a sweep started again
    after the model's code changed runs its runs again instead of mixing old results with new ones.
    Computed once per process (a few ms)."""
    return source_digest(Path(__file__).resolve().parent.parent, RESULT_CODE)


def source_digest(root: Path, parts: tuple[str, ...]) -> str:
    """A digest of the Python files of ``parts`` (folders or files under ``root``), by path and content: the
    same for a git checkout and an installed wheel of one commit, on any system (line endings made \\n; hidden
    files, such as an editor's lock files, and caches left out)."""
    h = hashlib.sha256()
    for part in parts:
        base = root / part
        files = [base] if base.is_file() else sorted(
            p for p in base.rglob("*.py")
            if not any(x.startswith(".") or x == "__pycache__" for x in p.relative_to(root).parts))
        for path in files:
            text = path.read_bytes().replace(b"\r\n", b"\n")
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + text + b"\0")
    return h.hexdigest()[:16]


def run_config_node(base: DictConfig, updates: dict[str, Any]) -> DictConfig:
    """A copy of a composed config (without the hydra node) with ``updates`` set by dotted key."""
    cfg = OmegaConf.create(mapping(base, resolve=False, enum_to_str=True))
    cfg.pop("hydra", None)
    for key, value in updates.items():
        OmegaConf.update(cfg, key, value, merge=False)
    return cfg


def build_config(node: DictConfig) -> Config:
    """Validate a run's config node (from run_config_node) into a Config."""
    merged = OmegaConf.merge(OmegaConf.structured(Config), node)
    assert isinstance(merged, DictConfig)  # a mapping merged into the schema stays one
    return to_config(merged)


def finished(run_dir: Path, digest: str, *, warn: bool = True) -> bool:
    """Whether the run in ``run_dir`` finished successfully with this config, its files intact.

    A damaged run (its status.json unreadable, or a file that does not match the checksum the
    status recorded) is named in one warning (unless ``warn`` is false) and counts as not finished, so it
    runs again.
    """
    if not (run_dir / STATUS).exists():
        return False
    try:
        status = read_status(run_dir)
        if status["status"] != "ok" or status.get("hash") != digest:
            return False
        check_run(run_dir, status)
    except DamagedRun as exc:
        if warn:
            log.warning("damaged run, running it again: %s", exc)
        return False
    return True


def where() -> dict[str, Any]:
    """Where this run runs: host and pid, and the Ray node or SLURM job when it runs in one.

    Recorded in each run's params.json (written before the model runs, so it also shows where
    a run in progress is), never in its condition: sim.experiments.collect.RUN_COLUMNS lists
    these keys, so the summary tables stay grouped by condition.
    """
    info: dict[str, Any] = {"host": socket.gethostname(), "pid": os.getpid()}
    ray = sys.modules.get("ray")  # never imported here: only a job that Ray runs has it loaded
    if ray is not None and ray.is_initialized():
        info["ray_node"] = ray.get_runtime_context().get_node_id()
    if "SLURM_JOB_ID" in os.environ:
        array = os.environ.get("SLURM_ARRAY_JOB_ID")
        task = os.environ.get("SLURM_ARRAY_TASK_ID")
        info["slurm_job"] = f"{array}_{task}" if array and task else os.environ["SLURM_JOB_ID"]
    return info


def condition_name(params: dict[str, Any]) -> str:
    """Folder name of a condition: its swept values, sorted (``default`` when nothing is swept), as one
    folder name (:func:`sim.config.compose.folder_name`: a name of many swept keys keeps its start and a
    digest of the whole, so that it fits a file system's limit; params.json in each run holds the values)."""
    if not params:
        return "default"
    return folder_name(",".join(f"{k}={v}" for k, v in sorted(params.items())))


def run_job(cfg: DictConfig, runs_root: Path, task_overrides: list[str]) -> dict[str, int]:
    """Run (or skip, if done) every run of this job; returns counts of ok, skipped, failed.

    Runs live in ``runs_root/<condition>/<run id>``: a run's place depends on its condition and
    replicate (or sample) only, not on how runs were batched into jobs, and its hash leaves out
    the experiment's bookkeeping (``config_hash``), so changing the number of batches or adding
    replicates reuses every finished run and never duplicates one; a changed model value runs
    it again.
    """
    # lazy: the model (Mesa, pandas) loads in the job, never in the launcher, which imports this module
    # for its callbacks; and here, before the first run, so that no run's time includes the import
    from sim.api import run_config

    base_params = swept_parameters(task_overrides)
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    condition_dir = runs_root / condition_name(base_params)
    for folder in (runs_root, condition_dir):  # runs are written and read where the sweep is, never through a link
        real_folder(folder)
    # The job's config is resolved and validated once; runs that differ from it only in their
    # replicate index copy it (composing and validating costs tens of ms, a small run ~0.1 s).
    base_node = run_config_node(cfg, {})
    base_digest = config_hash(base_node)
    try:
        base_config, base_error = build_config(base_node), None
    except Exception as exc:  # recorded for each run below, like any failing run
        base_config, base_error = None, exc
    for spec in job_runs(cfg):
        run_dir = condition_dir / spec.run_id
        replicate_only = set(spec.updates) <= {"replicate"}
        node = base_node if replicate_only else run_config_node(cfg, spec.updates)
        digest = _digest(base_digest, spec.updates) if replicate_only else config_hash(node)
        if run_dir.is_dir() and not run_dir.is_symlink() and finished(run_dir, digest):
            counts["skipped"] += 1
            continue
        clear_run(run_dir)
        start = time.perf_counter()
        error: dict[str, Any] | None = None
        twin = finished_twin(runs_root, digest, run_dir)
        status: dict[str, Any]
        try:
            reserve_room(run_dir)  # room for the status, should the run's files fill the disk
            if replicate_only:
                if base_error is not None:
                    raise base_error
                assert base_config is not None  # built, since it raised no error
                config = dataclasses.replace(base_config, **spec.updates)
            else:
                config = build_config(node)
            params = {**base_params, **spec.params, "replicate": config.replicate,
                      "root_seed": config.seed, "seed": model_seed(config), "experiment": cfg.experiment.name,
                      "run_id": f"{condition_dir.name}/{spec.run_id}", **where()}
            files = {"params.json": atomic_write_bytes(run_dir / "params.json",
                                                       json.dumps(params, indent=2, default=str).encode())}
            if twin is not None:  # the same run finished under another condition name: its files, not a rerun
                files.update(copy_results(twin, run_dir))
                timing: dict[str, Any] = {"copied_from": f"{twin.parent.name}/{twin.name}"}
                counts["skipped"] += 1
                log.info("%s: the same run (hash %s) finished in %s; its results are copied, not computed again",
                         run_dir, digest, twin)
            else:
                model_start, model_cpu = time.perf_counter(), time.process_time()
                result = run_config(config)
                timing = {"model_seconds": time.perf_counter() - model_start,
                          "model_cpu_seconds": time.process_time() - model_cpu}
                files.update(write_tables(result, run_dir))
                counts["ok"] += 1
            status = {"status": "ok", "hash": digest, "files": files, "seconds": time.perf_counter() - start,
                      **timing}
        except Exception as exc:  # a failing run is recorded; the others go on
            updates = "".join(f"\n# with {k}={v}" for k, v in spec.updates.items()) if replicate_only else ""
            error = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(),
                     "params": {**base_params, **spec.params},
                     "config": OmegaConf.to_yaml(node, resolve=False) + updates}
            status = {"status": "failed", "hash": digest, "seconds": time.perf_counter() - start,
                      "error": error["error"]}
            counts["failed"] += 1
        status["checksum"] = own_checksum(status)
        release_room(run_dir)
        atomic_write_text(run_dir / STATUS, json.dumps(status))
        if error is None:
            if twin is None:  # a copy is not noted: the run it copied is
                note_finished(runs_root, digest, run_dir)
        else:
            try:
                atomic_write_text(run_dir / "error.json", json.dumps(error, indent=2, default=str))
            except OSError as exc:  # e.g. the disk is full: status.json holds the error
                log.error("%s: error.json not written (%s); the error is in %s", run_dir, exc, STATUS)
    return counts


def write_tables(result: Any, run_dir: Path) -> dict[str, str]:
    """Write a computed run's tables and summary into ``run_dir``; their checksums by file name."""
    files = {}
    for name, table in (("timeseries", result.timeseries), ("projects", result.projects), ("cycles", result.cycles)):
        files[f"{name}.parquet"] = atomic_parquet(run_dir / f"{name}.parquet", table)
    summary = {k: (v.item() if hasattr(v, "item") else v) for k, v in result.summary.items()}
    files["summary.json"] = atomic_write_bytes(run_dir / "summary.json",
                                               json.dumps(summary, indent=2, default=str).encode())
    return files


#: The files a run writes in its folder (and the room it sets aside while it writes them).
RUN_FILES = ("params.json", "timeseries.parquet", "projects.parquet", "cycles.parquet", "summary.json", STATUS,
             "error.json", RESERVE)


#: A sweep's index of its finished runs by hash: ``runs/.by-hash/<hash>`` holds ``<condition>/<run id>``.
BY_HASH = ".by-hash"


def note_finished(runs_root: Path, digest: str, run_dir: Path) -> None:
    """Note the finished run ``run_dir`` under its hash, so that the same run asked for under another
    condition name (a default written out: ``seed=0``) is copied (:func:`finished_twin`); a note that
    cannot be written (a full disk) only means that such a run is computed again."""
    try:
        real_folder(runs_root / BY_HASH)  # a link in its place is removed: notes are never written through one
        atomic_write_text(runs_root / BY_HASH / digest, f"{run_dir.parent.name}/{run_dir.name}")
    except OSError as exc:
        log.warning("%s: not noted among the finished runs (%s); the same run under another name would run again",
                    run_dir, exc)


def finished_twin(runs_root: Path, digest: str, run_dir: Path) -> Path | None:
    """The finished run of this sweep with the hash ``digest`` in another place than ``run_dir`` (the same
    resolved config and code under another condition name), its files intact; None if there is none.

    The note (:func:`note_finished`) is a file of the sweep's folder, so it is trusted no further than the run
    it names: a place of two plain names inside ``runs_root`` (no ``..``, no link, no hidden name) whose status
    says ok with this hash and whose files match their checksums (:func:`check_run`).
    """
    if not digest.isalnum():
        return None
    note = runs_root / BY_HASH / digest
    try:  # a small plain file in a real folder (never a link, a FIFO that would hang, or /dev/zero)
        kind = os.lstat(note)
        if note.parent.is_symlink() or not stat.S_ISREG(kind.st_mode) or kind.st_size > 1024:
            return None
        text = note.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None
    parts = text.split("/")
    if len(parts) != 2 or any(not p or p.startswith(".") or os.sep in p for p in parts):
        return None
    twin = runs_root / parts[0] / parts[1]
    if twin == run_dir or twin.parent.is_symlink() or twin.is_symlink() or not twin.is_dir():
        return None
    return twin if finished(twin, digest, warn=False) else None


#: The files of a finished run that a run of the same hash copies (plain names the sweep writes; a status that lists
#: others, such as ``x/evil.sh`` through a link in the new run's folder, has them left out).
COPIED_FILES = ("timeseries.parquet", "projects.parquet", "cycles.parquet", "summary.json")


def copy_results(twin: Path, run_dir: Path) -> dict[str, str]:
    """Copy a finished run's files (:data:`COPIED_FILES`) into ``run_dir``; their checksums (as its status lists)."""
    status = read_status(twin)
    files = {}
    for name in status["files"]:
        if name not in COPIED_FILES:  # a status names its files (params.json too); only a run's results are copied
            continue
        files[name] = atomic_write_bytes(run_dir / name, verified_bytes(twin, name, status))
    return files


def real_folder(folder: Path) -> None:
    """Make ``folder`` a real folder: a link (or a file) in its place is removed, with a warning, and its runs are
    run again here; gathering, which never follows a link, would not find what was written through it."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        log.warning("%s is a link or a file, not a folder of the sweep: removed, its runs run again here", folder)
        try:
            folder.unlink()
        except (FileNotFoundError, IsADirectoryError):  # another job of the sweep replaced it first
            pass
    folder.mkdir(parents=True, exist_ok=True)


def clear_run(run_dir: Path) -> None:
    """Make ``run_dir`` an empty place for a run that runs (again): whatever its files became (a folder
    where a file was, a link) is removed, so a run run again never mixes with what was there, and a
    link is removed, never followed. A run folder that is not a folder (a file, a link) is replaced by one.
    Other files a user put in the folder are left alone."""
    if run_dir.is_symlink() or (run_dir.exists() and not run_dir.is_dir()):
        log.warning("damaged run, running it again: %s is not a folder", run_dir)
        run_dir.unlink()
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in RUN_FILES:
        remove(run_dir / name)


def _digest(base_digest: str, updates: dict[str, Any]) -> str:
    """Hash of a run that is the job's config with a few updated values."""
    text = base_digest + json.dumps(updates, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def total_runs(cfg: DictConfig, n_conditions: int) -> int:
    """Number of runs of the whole experiment, for the progress bar."""
    e = cfg.experiment
    kind = experiment_kind(cfg)
    if kind in (ExperimentKind.morris, ExperimentKind.sobol):
        # lazy: pandas and SALib, only for a sensitivity experiment
        from sim.experiments import sensitivity

        problem = sensitivity.problem(list(e.parameters), list(e.lower), list(e.upper))
        return n_conditions * sensitivity.sample_size(kind.name, problem, int(e.samples))
    return n_conditions * int(e.replicates) * max(1, int(e.draws))
