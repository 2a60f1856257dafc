"""Faults on one machine: a killed launcher, two sweeps on one folder, damaged runs, a full disk.

What must hold (issue 18): faults never lose a finished run, never leave a damaged one counted
as finished, and never leave orphan processes. Sweeps run through the real command line in
subprocesses, which the tests kill; every process a test checks is one its own subprocess
started (found through psutil), never one found by name.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import psutil
import pytest
from omegaconf import OmegaConf

import sim
from sim.experiments import sweep
from sim.experiments.callbacks import OWNER
from sim.experiments.collect import collect
from sim.experiments.sweep import STATUS, read_status, run_job, verify
from sim.io import RESERVE
from tests.experiments.hooks import slow_runs
from tests.helpers import REPO, alive, kill_group, repo_env, rerun_redoes_only_the_missing, statuses, wait_until

TINY = ["run.population_scale=0.02", "run.steps=12"]

pytestmark = pytest.mark.xdist_group("sweeps")  # sweeps use both cores: keep them on one worker


def sweep_cmd(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout",
            "experiment.figures=false", *TINY, f"hydra.sweep.dir={out}", *extra]


def in_progress(out: Path) -> int:
    """Runs started (params.json written) and not finished."""
    return sum(1 for p in out.glob("runs/*/*/params.json") if not (p.parent / STATUS).exists())


def kill_and_check_children(proc: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL the process alone (not its group); its descendants from before; waits for it."""
    children = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return children


def test_local_workers_die_with_the_launcher_and_the_rerun_redoes_only_the_unfinished(tmp_path):
    out = tmp_path / "sweep"
    cmd = sweep_cmd(out, "design=none,consultation,ideas_platform,citizens_panel", "experiment.replicates=4",
                    "hydra/launcher=local", "hydra.launcher.n_jobs=2")
    proc = subprocess.Popen([*cmd, *slow_runs(1.0)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_until(lambda: len(statuses(out)) >= 2 and in_progress(out) >= 1, timeout=180), \
            "the sweep did not get going"
        children = kill_and_check_children(proc)
    finally:
        kill_group(proc)
    assert len(children) >= 3, children  # two loky workers and at least one resource tracker
    assert wait_until(lambda: not alive(children), timeout=10), f"still running: {alive(children)}"
    done_before = statuses(out)
    assert 2 <= len(done_before) < 16
    # no worker went on to finish a run after the kill
    assert statuses(out) == done_before

    runs = rerun_redoes_only_the_missing(cmd, out, repo_env(), done_before, total=16)
    assert len(runs) == 16 and not runs.duplicated(["design", "replicate"]).any()
    # where each run ran is recorded, and is not a condition: the summary stays grouped by design
    assert {"host", "pid"} <= set(runs.columns) and runs["pid"].notna().all()
    table = pd.read_parquet(out / "summary_table.parquet")
    assert "host" not in table.columns and "pid" not in table.columns
    assert set(table.loc[table["outcome"] == "turnout", "n"]) == {4}


POOL_SCRIPT = """
import os, sys, time
from pathlib import Path
import sim, sim.api

marks = Path(sys.argv[1])
real = sim.api.run_config

def slow(config, **kw):
    time.sleep(0.5)
    result = real(config, **kw)
    (marks / f"{config.design.name}-{config.replicate}-{os.getpid()}").touch()
    return result

sim.api.run_config = slow  # the pool's workers are forked from here: they run it too
sim.compare("kampenhout", ["none", "consultation"], replicates=12, n_jobs=2,
            overrides=["run.population_scale=0.02", "run.steps=12"])
"""


def test_process_pool_workers_die_with_their_parent(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", POOL_SCRIPT, str(marks)], cwd=REPO, env=repo_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_until(lambda: len(list(marks.iterdir())) >= 2, timeout=120), "sim.compare did not get going"
        children = kill_and_check_children(proc)
    finally:
        kill_group(proc)
    assert len(children) >= 2, children
    assert wait_until(lambda: not alive(children), timeout=10), f"still running: {alive(children)}"
    done = len(list(marks.iterdir()))
    assert done < 24
    assert len(list(marks.iterdir())) == done  # no worker finished a run after the kill


def test_every_pool_of_the_library_is_one_whose_workers_die_with_it():
    """sim.compare, the validation runner and scenario discovery start workers through sim.workers."""
    starting = [str(p.relative_to(REPO)) for p in (REPO / "sim").rglob("*.py")
                if "ProcessPoolExecutor(" in p.read_text() and p.name != "workers.py"]
    assert not starting, starting


def test_a_second_sweep_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "sweep"
    cmd = sweep_cmd(out, "design=none,consultation", "experiment.replicates=3", "hydra/launcher=basic")
    first = subprocess.Popen([*cmd, *slow_runs(0.5)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert wait_until(lambda: in_progress(out) + len(statuses(out)) >= 1, timeout=120)
        second = subprocess.run(cmd, cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        line = second.stderr.strip().splitlines()[-1]
        assert line.startswith(f"error: the sweep folder {out} is in use by another sweep (pid {first.pid} on ")
        assert "+experiment=design_comparison" in line
        _, err = first.communicate(timeout=180)
    finally:
        kill_group(first)
    assert first.returncode == 0, err[-3000:]
    # every run computed once, by the first sweep
    assert len(statuses(out)) == 6
    assert {json.loads((p.parent / "params.json").read_text())["pid"] for p in statuses(out)} == {first.pid}
    # the lock is released with the first sweep: a third one runs (and skips every finished run)
    before = statuses(out)
    third = subprocess.run(cmd, cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=120)
    assert third.returncode == 0, third.stderr[-3000:]
    assert statuses(out) == before


def tiny_job(root: Path, replicates: int = 4) -> tuple:
    overrides = [*TINY, f"experiment.replicates={replicates}"]
    cfg = OmegaConf.structured(sim.compose_config("kampenhout", "none", 0, overrides))
    return cfg, lambda: run_job(cfg, root, ["design=none"])


def test_a_damaged_run_is_named_not_gathered_and_run_again(tmp_path, caplog):
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs")
    assert job() == {"ok": 4, "skipped": 0, "failed": 0}
    runs = sweep_dir / "runs" / "design=none"
    for run in runs.iterdir():
        verify(run, read_status(run))  # what a finished run records checks out
    table = runs / "run-00000" / "timeseries.parquet"
    table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])  # truncated
    (runs / "run-00001" / "summary.json").write_text('{"turnout": 0.1,')  # corrupt
    (runs / "run-00002" / STATUS).write_text('{"status": "ok", "ha')  # corrupt
    damaged = [table, runs / "run-00001" / "summary.json", runs / "run-00002" / STATUS]

    # gathering names each damaged file in one line and exits with 1, instead of crashing
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}", "figures=false"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "1 runs gathered, 0 failed, 3 damaged" in proc.stdout
    for path in damaged:
        assert sum(str(path) in line for line in proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(pd.read_parquet(sweep_dir / "runs.parquet")) == 1
    assert len(pd.read_csv(sweep_dir / "damaged.csv")) == 3

    # resuming names them and runs them again; the intact run is skipped
    with caplog.at_level("WARNING"):
        assert job() == {"ok": 3, "skipped": 1, "failed": 0}
    for path in damaged:
        assert any(str(path) in r.getMessage() for r in caplog.records), path
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 4 and out["damaged"].empty and not (sweep_dir / "damaged.csv").exists()


def test_a_run_without_checksums_is_not_taken_as_finished(tmp_path):
    """A status written before runs recorded checksums cannot be verified: the run is redone once."""
    _, job = tiny_job(tmp_path / "runs", replicates=2)
    job()
    path = tmp_path / "runs" / "design=none" / "run-00000" / STATUS
    status = json.loads(path.read_text())
    path.write_text(json.dumps({k: v for k, v in status.items() if k != "files"}))
    assert job() == {"ok": 1, "skipped": 1, "failed": 0}


def check_run_folders(root: Path) -> dict[str, int]:
    """Every run folder is either finished with every file intact, or failed with its error, or
    unfinished (no status); counts of each. No temporary file is left behind."""
    counts = {"ok": 0, "failed": 0, "unfinished": 0}
    for run in root.glob("runs/[!.]*/*"):  # not the notes of finished runs (runs/.by-hash)
        if not (run / STATUS).exists():
            counts["unfinished"] += 1
            continue
        status = read_status(run)
        if status["status"] == "ok":
            verify(run, status)
        else:
            assert "No space left on device" in status["error"], status
        counts[status["status"]] += 1
    assert not list(root.rglob("*.tmp")), list(root.rglob("*.tmp"))
    return counts


def test_a_full_disk_marks_runs_failed_and_the_sweep_exits_non_zero(tmp_path, small_disk):
    # room for a few runs, not for all twelve (each writes about 55 kB)
    out = small_disk(400) / "sweep"
    proc = subprocess.run(sweep_cmd(out, "design=none,consultation", "experiment.replicates=6",
                                    "hydra/launcher=basic"),
                          cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    counts = check_run_folders(out)
    assert counts["ok"] >= 1 and counts["failed"] >= 1, counts


def test_gathering_on_a_full_disk_exits_non_zero_and_names_the_folder(tmp_path, small_disk):
    # room for the runs, not for the figures: the tables or figures are missing
    out = small_disk(300) / "sweep"
    proc = subprocess.run([*sweep_cmd(out, "design=none", "experiment.replicates=2", "hydra/launcher=basic"),
                           "experiment.figures=true"], cwd=REPO, env=repo_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: gathering the runs of {out} failed (OSError: [Errno 28] No space left on device")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert check_run_folders(out) == {"ok": 2, "failed": 0, "unfinished": 0}
    for png in out.rglob("*.png"):  # no figure is half written
        assert png.read_bytes().endswith(b"IEND\xaeB`\x82"), png


def test_a_single_run_on_a_full_disk_is_marked_failed(tmp_path, small_disk):
    folder = small_disk(120) / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY,
                           f"hydra.run.dir={folder}"], cwd=REPO, env=repo_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1
    status = json.loads((folder / STATUS).read_text())
    assert status["status"] == "failed" and "No space left on device" in status["error"], status
    assert not list(folder.rglob("*.tmp"))
    # one line says why, not a traceback
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: OSError: [Errno 28] No space left on device") and str(folder) in last, last


def test_a_single_run_on_a_disk_already_full_is_one_line_and_writes_nothing(tmp_path, small_disk):
    """Hydra writes a run's .hydra/ files before the run starts: on a disk with no room left that ended in Hydra's
    traceback of the failed write, and left the folder with an empty log. Now the folder's check before Hydra makes
    it (the one that refuses a folder that cannot be written) also wants room on its disk."""
    disk = small_disk(64)
    (disk / "filler").write_bytes(b"x" * (60 * 1024))
    folder = disk / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY,
                           f"hydra.run.dir={folder}"], cwd=REPO, env=repo_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: hydra.run.dir={folder}: the disk of {disk} is full ("), lines
    assert lines[0].endswith("bytes free); allowed: a folder that can be made and written, on a disk with room")
    assert not folder.exists()


def test_workers_watch_only_a_parent_that_is_the_launcher():
    """die_with_parent does nothing in the launcher itself or in a process that another parent started."""
    code = textwrap.dedent("""
        import os, sys
        from sim import workers
        print(workers.die_with_parent(), workers.die_with_parent(os.getppid()), workers.die_with_parent(os.getpid()))
    """)
    env = repo_env(SIM_LAUNCHER_PID="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "True", "False"], out.stderr


def test_runs_damaged_in_any_shape_are_run_again_and_nothing_outside_is_touched(tmp_path, caplog):
    """A status that became a folder, a run folder that became a file, a table that became a folder, a
    link where the run's reserved room goes (pointing outside the sweep): each run is named and run again
    from an emptied place, the intact run is skipped, and the file outside is left as it was."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=5)
    assert job() == {"ok": 5, "skipped": 0, "failed": 0}
    runs = sweep_dir / "runs" / "design=none"
    (runs / "run-00000" / STATUS).unlink()
    (runs / "run-00000" / STATUS).mkdir()
    shutil.rmtree(runs / "run-00001")
    (runs / "run-00001").write_text("x")
    (runs / "run-00002" / "cycles.parquet").unlink()
    (runs / "run-00002" / "cycles.parquet").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("kept")
    (runs / "run-00003" / STATUS).unlink()
    (runs / "run-00003" / RESERVE).symlink_to(outside)
    with caplog.at_level("WARNING"):
        assert job() == {"ok": 4, "skipped": 1, "failed": 0}
    assert outside.read_text() == "kept"
    for name in ("run-00000", "run-00001"):
        assert any(name in r.getMessage() for r in caplog.records), name
    for run in runs.iterdir():
        verify(run, read_status(run))
        assert not (run / RESERVE).exists()
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 5 and out["damaged"].empty


def test_an_unreadable_run_folder_is_named_not_skipped(tmp_path, monkeypatch):
    """A folder gathering cannot list (no permission) is named among the damaged runs, never silently left
    out (the tests run as root, for whom permissions do not bite: listing the folder is refused here)."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=3)
    job()
    hidden = sweep_dir / "runs" / "design=none" / "run-00001"
    scandir = os.scandir

    def refuse(path=".", *args):
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path, *args)

    monkeypatch.setattr(os, "scandir", refuse)
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 2
    assert list(out["damaged"]["run_dir"]) == ["runs/design=none/run-00001"]
    assert "cannot be read" in out["damaged"]["problem"].iloc[0]


@pytest.mark.parametrize("details", ["[1, 2]", '{"params": [1], "error": 5}', "not json", None])
def test_a_failed_runs_error_file_in_any_shape_only_loses_its_details(tmp_path, details):
    """error.json adds details to a failure that status.json records: whatever it holds (a list, wrong
    types, not JSON, a folder), gathering lists the failure with status.json's error and goes on."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=2)
    job()
    run = sweep_dir / "runs" / "design=none" / "run-00001"
    (run / STATUS).write_text(json.dumps({"status": "failed", "hash": "x", "error": "ValueError: boom"}))
    if details is None:
        (run / "error.json").mkdir()
    else:
        (run / "error.json").write_text(details)
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 1
    assert list(out["failures"]["error"]) == ["ValueError: boom"]
    assert list(out["failures"]["run_dir"]) == ["runs/design=none/run-00001"]


def test_a_sweep_that_cannot_write_its_lock_note_stops_with_one_line(tmp_path):
    """The lock's note cannot be written (a folder in its place; a full disk does the same): the sweep
    stops before any run with one line and exit status 1, instead of running without its lock."""
    out = tmp_path / "sweep"
    (out / OWNER).mkdir(parents=True)
    proc = subprocess.run(sweep_cmd(out, "design=none", "experiment.replicates=2", "hydra/launcher=basic"),
                          cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: the sweep folder {out} cannot be locked for this sweep"), last
    assert "Traceback" not in proc.stderr
    assert not list(out.glob("runs/*/*"))


def test_a_change_of_the_models_code_runs_finished_runs_again(tmp_path, monkeypatch):
    """The run's hash covers the model's code: the same config after a change of the code is not finished."""
    _, job = tiny_job(tmp_path / "runs", replicates=2)
    assert job() == {"ok": 2, "skipped": 0, "failed": 0}
    assert job() == {"ok": 0, "skipped": 2, "failed": 0}
    monkeypatch.setattr(sweep, "code_digest", lambda: "changed")
    assert job() == {"ok": 2, "skipped": 0, "failed": 0}


def test_the_code_digest_follows_the_models_files(tmp_path):
    """source_digest changes with a file's content, a new file and a file's name; not with other files."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "a.py").write_text("x = 1\n")
    (tmp_path / "results.py").write_text("y = 2\n")
    (tmp_path / "apps.py").write_text("z = 3\n")
    parts = ("model", "results.py")
    first = sweep.source_digest(tmp_path, parts)
    (tmp_path / "apps.py").write_text("z = 4\n")
    assert sweep.source_digest(tmp_path, parts) == first
    (tmp_path / "model" / "a.py").write_text("x = 2\n")
    changed = sweep.source_digest(tmp_path, parts)
    assert changed != first
    (tmp_path / "model" / "b.py").write_text("k = 1\n")
    added = sweep.source_digest(tmp_path, parts)
    assert added != changed
    (tmp_path / "model" / "b.py").rename(tmp_path / "model" / "c.py")
    renamed = sweep.source_digest(tmp_path, parts)
    assert renamed != added
    # the same on every system and install: line endings, an editor's hidden lock file, caches and data do not count
    (tmp_path / "model" / "c.py").write_bytes(b"k = 1\r\n")
    (tmp_path / "model" / ".#a.py").symlink_to(tmp_path / "nowhere")
    (tmp_path / "model" / "__pycache__").mkdir()
    (tmp_path / "model" / "__pycache__" / "a.py").write_text("cached")
    (tmp_path / "model" / "notes.yaml").write_text("k: 2\n")
    assert sweep.source_digest(tmp_path, parts) == renamed
    assert sweep.code_digest() == sweep.source_digest(Path(sweep.__file__).resolve().parent.parent,
                                                      sweep.RESULT_CODE)



def test_a_condition_of_many_swept_keys_fits_a_folder_name():
    """A condition's folder name holds every swept value until a file system's 255 bytes; longer, its start and a
    digest of the whole, the same on every resume and different for different values."""
    params = {f"citizens.weight_{i}": 0.123456789 for i in range(12)}
    name = sweep.condition_name(params)
    assert len(name.encode()) <= 255 and name == sweep.condition_name(dict(params))
    assert name != sweep.condition_name({**params, "citizens.weight_11": 0.5})
    assert sweep.condition_name({"design": "none"}) == "design=none"


def test_the_same_run_in_two_folders_is_counted_once(tmp_path, caplog):
    """A sweep started again with a default value written out (seed=0) names its conditions differently; the
    runs are the same runs (same hash), copied (the next test), and gathering counts each once."""
    cfg, job = tiny_job(tmp_path / "runs", replicates=2)
    job()
    run_job(cfg, tmp_path / "runs", ["design=none", "seed=0"])
    assert len(list(tmp_path.glob("runs/*/run-*"))) == 4
    with caplog.at_level("WARNING"):
        out = collect(tmp_path, figures=False)
    assert len(out["runs"]) == 2 and sorted(out["runs"]["replicate"]) == [0, 1]
    assert sum("the same run twice, counted once" in r.getMessage() for r in caplog.records) == 2
    assert len(out["timeseries"]) == 2 * 12  # two runs of 12 months, not four
    # runs of one condition with the same hash (a sensitivity design that repeats a point) are runs of their own
    shutil.copytree(tmp_path / "runs" / "design=none" / "run-00000", tmp_path / "runs" / "design=none" / "run-00007")
    assert len(collect(tmp_path, figures=False)["runs"]) == 3


def test_gathering_refuses_a_folder_that_holds_no_sweep(tmp_path):
    """collect writes its tables into the folder it gathers: a folder without runs/ or experiment.json (an empty
    one, the docs) is refused with one line and exit status 2, and nothing is written into it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("mine")
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={tmp_path / 'docs'}"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (f"error: dir={tmp_path / 'docs'} is not a sweep folder (no runs/ and no experiment.json "
                           "in it); allowed: the folder of a sweep (hydra.sweep.dir) or of an experiment\n")
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["notes.md"]


def test_a_run_gathering_calls_damaged_is_one_the_sweep_runs_again(tmp_path):
    """Resuming and gathering judge a run by one check: a summary that is not a JSON object (its checksum
    updated to match) and a run whose status no longer lists its time series are damaged for both."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=3)
    job()
    runs = sweep_dir / "runs" / "design=none"
    summary, status_path = runs / "run-00000" / "summary.json", runs / "run-00000" / STATUS
    summary.write_text("[1, 2, 3]")
    status = json.loads(status_path.read_text())
    status["files"]["summary.json"] = sweep.sha256(summary.read_bytes())
    status["checksum"] = sweep.own_checksum(status)  # the status's own checksum made again: consistent
    status_path.write_text(json.dumps(status))
    status_path = runs / "run-00001" / STATUS
    status = json.loads(status_path.read_text())
    del status["files"]["timeseries.parquet"]
    status["checksum"] = sweep.own_checksum(status)
    status_path.write_text(json.dumps(status))
    (runs / "run-00001" / "timeseries.parquet").unlink()
    out = collect(sweep_dir, figures=False)
    assert sorted(out["damaged"]["run_dir"]) == ["runs/design=none/run-00000", "runs/design=none/run-00001"]
    assert job() == {"ok": 2, "skipped": 1, "failed": 0}
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 3 and out["damaged"].empty


def test_a_status_edited_to_leave_out_tables_is_damaged_and_the_run_made_again(tmp_path):
    """A finished run's status.json edited to leave out projects.parquet and cycles.parquet (the fifth tester's
    case): gathering took the run without those tables, as a run from before they existed. The status's own
    checksum no longer matches, so both gathering and the resumed sweep call it damaged, and the run is made
    again with every table. A status from before the checksum (none in it) is still taken."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=2)
    job()
    runs = sweep_dir / "runs" / "design=none"
    path = runs / "run-00000" / STATUS
    status = json.loads(path.read_text())
    assert status["checksum"] == sweep.own_checksum(status)
    for name in ("projects.parquet", "cycles.parquet"):
        del status["files"][name]
    path.write_text(json.dumps(status))
    (runs / "run-00000" / "projects.parquet").write_bytes(b"overwritten")
    legacy = runs / "run-00001" / STATUS
    legacy.write_text(json.dumps({k: v for k, v in json.loads(legacy.read_text()).items() if k != "checksum"}))
    out = collect(sweep_dir, figures=False)
    assert list(out["damaged"]["run_dir"]) == ["runs/design=none/run-00000"]
    assert "changed after the run finished (its checksum does not match its content)" in out["damaged"]["problem"][0]
    assert job() == {"ok": 1, "skipped": 1, "failed": 0}
    again = json.loads(path.read_text())
    assert {"projects.parquet", "cycles.parquet"} <= set(again["files"])
    assert sweep.finished(runs / "run-00000", again["hash"])
    assert len(collect(sweep_dir, figures=False)["runs"]) == 2


def test_ctrl_c_stops_a_sweep_with_one_line_and_its_workers_with_it(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) ends the sweep with one line, not a traceback, exit status
    130, and no worker left running; the finished runs stay finished."""
    out = tmp_path / "sweep"
    cmd = sweep_cmd(out, "design=none,consultation", "experiment.replicates=4", "hydra/launcher=local",
                    "hydra.launcher.n_jobs=2")
    # a process started in the background ignores SIGINT unless it is told not to, as a terminal's is not
    proc = subprocess.Popen([*cmd, *slow_runs(1.0)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    stopped_with_one_line(proc, lambda: len(statuses(out)) >= 1 and in_progress(out) >= 1,
                          lambda: os.killpg(proc.pid, signal.SIGINT), 130,
                          "interrupted: no half-written file is kept as finished")
    finished_runs_are_whole(out)


STOPPED = "stopped (SIGTERM): no half-written file is kept as finished"


def stopped_with_one_line(proc: subprocess.Popen, ready, send, status: int, line: str) -> list[psutil.Process]:
    """Once ``ready()``, ``send()`` a signal; ``proc`` then exits with ``status`` and its stderr ends with one
    ``line`` (the only one), without a traceback, and no process it had started runs on. Its descendants from
    before the signal; its process group is killed in any case."""
    try:
        assert wait_until(ready, timeout=180), "it did not get going"
        children = psutil.Process(proc.pid).children(recursive=True)
        send()
        _, err = proc.communicate(timeout=120)
    finally:
        kill_group(proc)
    assert proc.returncode == status, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert err.strip().splitlines()[-1].startswith(line) and err.count(line) == 1, err[-3000:]
    assert wait_until(lambda: not alive(children), timeout=30), f"still running: {alive(children)}"
    return children


def finished_runs_are_whole(out: Path) -> dict[Path, int]:
    """Every run of the sweep ``out`` marked finished is whole (its checksums hold); their :func:`statuses`."""
    done = statuses(out)
    for path in done:
        status = read_status(path.parent)
        if status["status"] == "ok":
            verify(path.parent, status)
    return done


def test_sigterm_stops_a_sweep_with_one_line_and_its_workers_and_the_rerun_redoes_only_the_missing(tmp_path):
    """SIGTERM to the launcher alone (``kill <pid>``; SLURM at a job's time limit) ends the sweep as Ctrl-C does:
    one line, not a traceback, exit status 143 (128 + 15), no worker left running; the same command again runs
    only the missing runs (it ended the launcher without a line)."""
    out = tmp_path / "sweep"
    cmd = sweep_cmd(out, "design=none,consultation,ideas_platform,citizens_panel", "experiment.replicates=4",
                    "hydra/launcher=local", "hydra.launcher.n_jobs=2")
    proc = subprocess.Popen([*cmd, *slow_runs(1.0)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    children = stopped_with_one_line(proc, lambda: len(statuses(out)) >= 2 and in_progress(out) >= 1,
                                     lambda: os.kill(proc.pid, signal.SIGTERM), 143, STOPPED)
    assert len(children) >= 3, children  # two loky workers and at least one resource tracker
    done_before = finished_runs_are_whole(out)
    assert 2 <= len(done_before) < 16
    runs = rerun_redoes_only_the_missing(cmd, out, repo_env(), done_before, total=16)
    assert len(runs) == 16 and not runs.duplicated(["design", "replicate"]).any()


def test_sigterm_stops_a_single_run_with_one_line(tmp_path):
    """SIGTERM to a single run: the one line and exit status 143, no status marking the run finished."""
    folder = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY,
                             f"hydra.run.dir={folder}", *slow_runs(600.0)], cwd=REPO, env=repo_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    # Hydra writes the run's .hydra/ files just before the job starts (and sleeps in the slowed run)
    stopped_with_one_line(proc, lambda: (folder / ".hydra" / "overrides.yaml").exists(),
                          lambda: os.kill(proc.pid, signal.SIGTERM), 143,
                          f"{STOPPED}; a sweep started again with the same command goes on from its finished runs; "
                          "a single run starts from the beginning")
    assert not (folder / STATUS).exists()
    # the same command again (not slowed) runs it into the same folder
    again = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY,
                            f"hydra.run.dir={folder}"], cwd=REPO, env=repo_env(), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert read_status(folder)["status"] == "ok"


def test_sigterm_to_an_abc_calibration_and_its_forked_workers_stops_it_with_one_line(tmp_path):
    """SIGTERM to the process group of an ABC calibration on two local processes (as SLURM signals every process
    of a job): pyabc's workers, forked from the launcher, die of it as before and print nothing; the launcher
    prints the one line, exit status 143; no finished calibration is written."""
    out = tmp_path / "abc"
    cmd = [sys.executable, "-m", "sim", "+experiment=calibration_abc", "experiment.abc_population=40",
           "experiment.abc_generations=3", "experiment.jobs=2", "run.population_scale=0.1", f"hydra.run.dir={out}"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    stopped_with_one_line(proc, lambda: len(psutil.Process(proc.pid).children()) >= 2,  # the sampler's workers
                          lambda: os.killpg(proc.pid, signal.SIGTERM), 143, STOPPED)
    assert not (out / "abc.db").exists() and not (out / "abc.json").exists()


FORKED_CHILD = """
import multiprocessing, os, sys, time
from pathlib import Path
import sim.__main__ as cli

marks = Path(sys.argv[1])

def mark(name, text):
    (marks / f".{name}").write_text(str(text))
    os.replace(marks / f".{name}", marks / name)

def child(n):
    mark(f"child-{n}", os.getpid())  # the child itself: it is past the fork
    time.sleep(600)

def body(argv):
    # as the ABC's local sampler (sim.experiments.abc_sampler) and the library's process pools start workers
    worker = multiprocessing.get_context("fork").Process(target=child, args=(0,))
    worker.start()
    worker.join()
    mark("exit-0", worker.exitcode)
    pid = os.fork()  # a bare fork
    if pid == 0:
        child(1)
        os._exit(0)
    mark("exit-1", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    time.sleep(600)

cli._main = body
cli.main(["x=1"])
"""


def test_sigterm_to_a_child_forked_from_the_launcher_kills_it_as_before(tmp_path):
    """A child forked from the launching process (pyabc's local sampler, a process pool) keeps SIGTERM's default
    action: it dies of the signal (exit code -15) and prints nothing; the launcher itself prints the one line."""
    proc = subprocess.Popen([sys.executable, "-c", FORKED_CHILD, str(tmp_path)], cwd=REPO, env=repo_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for n in range(2):  # a multiprocessing child, then a bare os.fork
            child, end = tmp_path / f"child-{n}", tmp_path / f"exit-{n}"
            assert wait_until(child.exists, timeout=120), f"child {n} did not start"
            os.kill(int(child.read_text()), signal.SIGTERM)
            assert wait_until(end.exists, timeout=120), f"child {n} did not end"
            assert int(end.read_text()) == -signal.SIGTERM
    except BaseException:
        kill_group(proc)
        raise
    stopped_with_one_line(proc, lambda: True, lambda: os.kill(proc.pid, signal.SIGTERM), 143, STOPPED)


def _loky_workers(proc: subprocess.Popen) -> list[psutil.Process]:
    """The sweep's loky worker processes (not loky's resource tracker)."""
    found = []
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "loky" in line and "resource_tracker" not in line:
            found.append(child)
    return found


def test_a_worker_killed_alone_ends_the_sweep_with_one_line_and_the_rerun_redoes_only_the_missing(tmp_path):
    """A loky worker killed on its own (the launcher lives): one line naming what happened and how to go on, exit
    status 1, no traceback, no process left; the runs finished before stay finished and the same command again
    runs only the missing ones and gathers all (it was joblib's TerminatedWorkerError traceback)."""
    out = tmp_path / "sweep"
    cmd = sweep_cmd(out, "design=none,consultation,ideas_platform,citizens_panel", "experiment.replicates=4",
                    "hydra/launcher=local", "hydra.launcher.n_jobs=2")
    proc = subprocess.Popen([*cmd, *slow_runs(1.0)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert wait_until(lambda: len(statuses(out)) >= 2 and in_progress(out) >= 1, timeout=180), \
            "the sweep did not get going"
        workers = _loky_workers(proc)
        assert len(workers) == 2, [w.cmdline() for w in workers]
        everyone = psutil.Process(proc.pid).children(recursive=True)
        workers[0].kill()
        _, err = proc.communicate(timeout=120)
    finally:
        kill_group(proc)
    assert proc.returncode == 1, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: a worker process of the sweep died (exit code SIGKILL(-9))"), last
    assert f"the runs finished are kept in {out}" in last and "start the same command again" in last, last
    assert wait_until(lambda: not alive(everyone), timeout=10), f"still running: {alive(everyone)}"
    done_before = statuses(out)
    assert 2 <= len(done_before) < 16
    runs = rerun_redoes_only_the_missing(cmd, out, repo_env(), done_before, total=16)
    assert len(runs) == 16 and not runs.duplicated(["design", "replicate"]).any()


def test_a_run_finished_under_another_condition_name_is_copied_not_computed(tmp_path, monkeypatch):
    """The same runs asked for again under other condition names (a default written out: seed=0) are copied
    from the finished ones, files and checksums, not computed again (they were run again); a note that names a
    damaged run, a place outside the sweep or another hash is not trusted: the run is computed."""
    import sim.api

    cfg, job = tiny_job(tmp_path / "runs", replicates=2)
    job()
    computed = []
    real = sim.api.run_config
    monkeypatch.setattr(sim.api, "run_config", lambda config, **kw: computed.append(config) or real(config, **kw))
    counts = run_job(cfg, tmp_path / "runs", ["design=none", "seed=0"])
    assert computed == [] and counts == {"ok": 0, "skipped": 2, "failed": 0}
    for rep in ("run-00000", "run-00001"):
        first, second = tmp_path / "runs" / "design=none" / rep, tmp_path / "runs" / "design=none,seed=0" / rep
        a, b = read_status(first), read_status(second)
        verify(second, b)
        assert b["copied_from"] == f"design=none/{rep}" and b["hash"] == a["hash"]
        assert {k: v for k, v in a["files"].items() if k != "params.json"} == \
            {k: v for k, v in b["files"].items() if k != "params.json"}
        assert json.loads((second / "params.json").read_text())["run_id"] == f"design=none,seed=0/{rep}"
    assert len(collect(tmp_path, figures=False)["runs"]) == 2

    # a third name: the note of run 0 names a damaged run, the note of run 1 a place outside the sweep
    notes = tmp_path / "runs" / sweep.BY_HASH
    hashes = {rep: read_status(tmp_path / "runs" / "design=none" / rep)["hash"] for rep in ("run-00000", "run-00001")}
    (notes / hashes["run-00000"]).write_text("design=none,seed=0/run-00000")
    with open(tmp_path / "runs" / "design=none,seed=0" / "run-00000" / "summary.json", "a") as f:
        f.write(" ")
    outside = tmp_path / "elsewhere" / "run-00001"
    shutil.copytree(tmp_path / "runs" / "design=none" / "run-00001", outside)
    (notes / hashes["run-00001"]).write_text("../elsewhere/run-00001")
    (tmp_path / "runs" / "design=none").rename(tmp_path / "runs" / "gone")  # no other twin to find
    counts = run_job(cfg, tmp_path / "runs", ["design=none", "seed=0", "run.steps=12"])
    assert len(computed) == 2 and counts["ok"] == 2, counts


def _finished_run(folder: Path, digest: str, extra: dict[str, bytes] | None = None) -> None:
    """A run folder that check_run takes as finished with hash ``digest`` (and ``extra`` files its status lists)."""
    folder.mkdir(parents=True)
    files = {"params.json": b"{}", "summary.json": b"{}", "timeseries.parquet": b"table", **(extra or {})}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / STATUS).write_text(json.dumps({"status": "ok", "hash": digest,
                                             "files": {n: sweep.sha256(d) for n, d in files.items()}}))


def test_a_note_of_a_finished_run_names_only_a_run_of_the_sweep(tmp_path):
    """finished_twin takes a note naming a finished run of the sweep (the control), and refuses notes that name
    anything else, though what they name is a finished run with that hash: outside the sweep, through a link,
    hidden; a note that is a link, a FIFO or too long; a notes folder that is a link."""
    root = tmp_path / "runs"
    notes = root / sweep.BY_HASH
    notes.mkdir(parents=True)
    _finished_run(root / "c" / "run-00000", "abc")
    _finished_run(tmp_path / "x" / "run-00000", "abc")
    _finished_run(root / ".hidden" / "run-00000", "abc")
    (root / "c" / "link").symlink_to(tmp_path / "x" / "run-00000")
    here = root / "d" / "run-00000"
    (notes / "abc").write_text("c/run-00000")
    assert sweep.finished_twin(root, "abc", here) == root / "c" / "run-00000"  # the control
    for text in ("../x/run-00000", "c/../../x/run-00000", str(tmp_path / "x" / "run-00000"), "c", "c/run-00000/x",
                 "c/link", "", ".hidden/run-00000", "c/run-00000\n" * 200):
        (notes / "abc").write_text(text)
        assert sweep.finished_twin(root, "abc", here) is None, text
    assert sweep.finished_twin(root, "../abc", here) is None
    (notes / "abc").unlink()
    (tmp_path / "note").write_text("c/run-00000")
    (notes / "abc").symlink_to(tmp_path / "note")
    assert sweep.finished_twin(root, "abc", here) is None
    (notes / "abc").unlink()
    os.mkfifo(notes / "abc")  # reading it would wait for ever
    assert sweep.finished_twin(root, "abc", here) is None
    (notes / "abc").unlink()
    shutil.rmtree(notes)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "abc").write_text("c/run-00000")
    notes.symlink_to(tmp_path / "notes")
    assert sweep.finished_twin(root, "abc", here) is None


def test_copying_a_finished_run_copies_only_a_runs_own_files(tmp_path):
    """A twin whose status lists x/evil.sh (with its checksum) and a link x in the new run's folder: the file was
    written through the link, outside the sweep (a reviewer's case). Only the run's own tables and summary are
    copied."""
    root = tmp_path / "runs"
    twin, here = root / "a" / "run-00000", root / "b" / "run-00000"
    _finished_run(twin, "abc", {"x/evil.sh": b"echo owned", "cycles.parquet": b"cycles"})
    victim = tmp_path / "victim"
    victim.mkdir()
    here.mkdir(parents=True)
    (here / "x").symlink_to(victim)
    files = sweep.copy_results(twin, here)
    assert set(files) == {"summary.json", "timeseries.parquet", "cycles.parquet"}
    assert list(victim.iterdir()) == [] and (here / "cycles.parquet").read_bytes() == b"cycles"


@pytest.mark.parametrize("linked", ["condition", "runs"])
def test_a_folder_of_the_sweep_replaced_by_a_link_is_not_written_or_read_through(tmp_path, caplog, linked):
    """A condition folder, or runs/ itself, moved elsewhere and replaced by a link: the runs behind it were
    skipped as finished (and new ones written outside the sweep) while gathering, which follows no link, found
    none of them. Now the link is removed with a warning, the runs run again in the sweep, nothing outside is
    touched, and gathering finds them all."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=2)
    job()
    moved = sweep_dir / "runs" / "design=none" if linked == "condition" else sweep_dir / "runs"
    outside = tmp_path / "outside" / moved.name
    outside.parent.mkdir()
    moved.rename(outside)
    moved.symlink_to(outside)
    before = sorted((p.relative_to(outside), p.stat().st_mtime_ns) for p in outside.rglob("*"))
    with caplog.at_level("WARNING"):
        assert job() == {"ok": 2, "skipped": 0, "failed": 0}
    assert any(f"{moved} is a link or a file, not a folder of the sweep" in r.getMessage() for r in caplog.records)
    assert not moved.is_symlink() and moved.is_dir()
    assert sorted((p.relative_to(outside), p.stat().st_mtime_ns) for p in outside.rglob("*")) == before
    assert len(collect(sweep_dir, figures=False)["runs"]) == 2


def test_a_runs_file_replaced_by_a_link_or_a_status_without_hash_is_damaged(tmp_path):
    """A table of a finished run replaced by a link to an equal copy elsewhere (its checksum matches), and a run
    overwritten by a single run (its status has no hash): gathering gathered both as finished, while the resumed
    sweep redid the second. Both are damaged for both now (one check), and run again."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=3)
    job()
    runs = sweep_dir / "runs" / "design=none"
    table = runs / "run-00000" / "timeseries.parquet"
    copy = tmp_path / "elsewhere.parquet"
    copy.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(copy)
    path = runs / "run-00001" / STATUS
    path.write_text(json.dumps({k: v for k, v in json.loads(path.read_text()).items() if k != "hash"}))
    out = collect(sweep_dir, figures=False)
    assert sorted(out["damaged"]["run_dir"]) == ["runs/design=none/run-00000", "runs/design=none/run-00001"]
    assert any("a link, not the file the run wrote" in e for e in out["damaged"]["problem"])
    assert any("no hash of the run's config" in e for e in out["damaged"]["problem"])
    assert job() == {"ok": 2, "skipped": 1, "failed": 0}
    assert copy.exists() and not table.is_symlink()
    assert len(collect(sweep_dir, figures=False)["runs"]) == 3


def test_tables_no_run_gives_any_more_are_removed_not_left_stale(tmp_path):
    """Every run damaged after a gathering: the summary tables and figures of the earlier gathering were left
    (n=2 a design) beside an empty runs.parquet; now they are removed."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=2)
    job()
    collect(sweep_dir, figures=True)
    assert (sweep_dir / "summary_table.csv").exists() and list((sweep_dir / "figures").iterdir())
    for table in sweep_dir.glob("runs/design=none/*/timeseries.parquet"):
        table.write_bytes(table.read_bytes()[:100])
    out = collect(sweep_dir, figures=True)
    assert out["runs"].empty and len(out["damaged"]) == 2
    for name in ("summary_table.csv", "summary_table.parquet", "figures"):
        assert not (sweep_dir / name).exists(), name
    assert (sweep_dir / "runs.parquet").exists() and (sweep_dir / "damaged.csv").exists()


def test_gathering_refuses_a_calibrations_folder_and_a_busy_sweep_and_reads_a_bad_experiment_file(tmp_path):
    """collect on an ABC calibration's folder wrote five empty tables into it; on a folder a sweep holds, it
    gathered the runs finished so far; an experiment.json that is a JSON list crashed it (AttributeError)."""
    abc = tmp_path / "abc"
    abc.mkdir()
    (abc / "experiment.json").write_text(json.dumps({"name": "calibration_abc", "kind": "abc"}))
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={abc}"], cwd=REPO, env=repo_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr == (
        f"error: dir={abc} holds an experiment of kind abc, whose results are its own files, not runs to gather; "
        "allowed: the folder of a sweep (hydra.sweep.dir)\n"), proc.stderr
    assert [p.name for p in abc.iterdir()] == ["experiment.json"]

    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=1)
    job()
    (sweep_dir / "experiment.json").write_text("[1, 2]")
    from sim.experiments.callbacks import lock_folder, unlock_folder

    lock = lock_folder(sweep_dir)  # as a sweep at work holds it
    try:
        proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}"], cwd=REPO,
                              env=repo_env(), capture_output=True, text=True, timeout=120)
    finally:
        unlock_folder(sweep_dir, lock)
    last = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 1 and last.startswith(f"error: the sweep folder {sweep_dir} is in use by another "
                                                    "sweep (pid "), proc.stderr
    assert last.endswith("; wait until it ends: it gathers its runs itself") and "Traceback" not in proc.stderr
    assert not (sweep_dir / "runs.parquet").exists()
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}", "figures=false"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "1 runs gathered" in proc.stdout, proc.stderr
    assert f"{sweep_dir / 'experiment.json'}: not a JSON object" in proc.stderr


@pytest.fixture(scope="module")
def two_designs(tmp_path_factory) -> Path:
    """A sweep folder of two conditions (designs none and participatory_budget), one run each, not gathered yet."""
    sweep_dir = tmp_path_factory.mktemp("two_designs") / "sweep"
    for design in ("none", "participatory_budget"):
        cfg = OmegaConf.structured(sim.compose_config("kampenhout", design, 0, [*TINY, "experiment.replicates=1"]))
        assert run_job(cfg, sweep_dir / "runs", [f"design={design}"])["ok"] == 1
    return sweep_dir


#: An experiment.json's outcomes edited by hand, and what gathering says of them after the file's name.
ALLOWED_OUTCOMES = ("summary outcomes such as turnout, turnout_eligible, turnout_first_cycle, turnout_last_cycle, "
                    "turnout_after_election, representativeness, ... (docs/model.md, Outcomes)")
BAD_OUTCOMES = {"empty": ([], f"outcomes=[] is empty; allowed: one or more {ALLOWED_OUTCOMES}"),
                "text": ("turnout",
                         f'outcomes="turnout" is not a list; allowed: a list of one or more {ALLOWED_OUTCOMES}'),
                "null": (None, f"outcomes=null is not a list; allowed: a list of one or more {ALLOWED_OUTCOMES}"),
                "unknown": (["turnoutt"], f'outcomes=["turnoutt"]: "turnoutt" is not an outcome; allowed: '
                                          f"{ALLOWED_OUTCOMES}"),
                "nested": ([["turnout"]], f'outcomes=[["turnout"]]: ["turnout"] is not an outcome; allowed: '
                                          f"{ALLOWED_OUTCOMES}")}


@pytest.mark.parametrize("case", BAD_OUTCOMES)
def test_an_experiment_file_edited_to_outcomes_gathering_cannot_use_is_one_line(two_designs, tmp_path, case):
    """An experiment.json edited by hand to "outcomes": [] (or "turnout", a text, not a list) made collect write the
    tables, then fail drawing no outcome with a traceback (ZeroDivisionError; a TypeError for null or a list in the
    list). Now one line naming the file, the key, the value as written and what is allowed, exit status 1 (as for
    damaged runs), before anything is written."""
    sweep_dir = tmp_path / "sweep"
    shutil.copytree(two_designs, sweep_dir)
    outcomes, message = BAD_OUTCOMES[case]
    (sweep_dir / "experiment.json").write_text(json.dumps({"name": "mine", "kind": "single", "outcomes": outcomes}))
    before = sorted(p.relative_to(sweep_dir) for p in sweep_dir.rglob("*"))
    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}"], cwd=REPO, env=repo_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr == f"error: {sweep_dir / 'experiment.json'}: {message}\n", proc.stderr
    assert sorted(p.relative_to(sweep_dir) for p in sweep_dir.rglob("*")) == before  # nothing written, no lock


def test_a_second_run_into_the_folder_of_a_run_at_work_is_refused(tmp_path):
    """Two single runs started into one folder (one hydra.run.dir, or the default's name in the same second) left
    one run's time series beside the other's summary under one 'ok' status. The second is refused in one line,
    exit 1; the first finishes whole."""
    folder = tmp_path / "run"
    first = subprocess.Popen([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY, "seed=1",
                              f"hydra.run.dir={folder}", *slow_runs(4.0)], cwd=REPO, env=repo_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert wait_until(lambda: (folder / OWNER).exists(), timeout=120), "the first run did not get going"
        second = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=consultation", *TINY,
                                 "seed=2", "run.steps=6", f"hydra.run.dir={folder}"], cwd=REPO, env=repo_env(),
                                capture_output=True, text=True, timeout=300)
        _, err = first.communicate(timeout=300)
    finally:
        kill_group(first)
    assert second.returncode == 1, second.stderr[-3000:]
    last = second.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: the run folder {folder} is in use by another run (pid {first.pid} ") and \
        last.endswith("; choose another hydra.run.dir, or wait until it ends"), last
    assert first.returncode == 0, err[-3000:]
    status = json.loads((folder / STATUS).read_text())
    verify(folder, status)
    summary = json.loads((folder / "summary.json").read_text())
    assert (summary["seed"], summary["design"], summary["steps"]) == (1, "none", 12)
    assert not (folder / OWNER).exists()


def test_a_single_run_whose_folder_cannot_be_made_is_one_line(tmp_path):
    """outputs/ a file where the run's folder goes: Hydra's traceback of the failed mkdir (exit 1); now one line
    naming hydra.run.dir, before Hydra makes anything."""
    (tmp_path / "outputs").write_text("not a folder")
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY], cwd=tmp_path,
                          env=repo_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: hydra.run.dir=outputs/runs/kampenhout/none/seed0_") and last.endswith(
        ": outputs is not a folder; allowed: a folder that can be made and written"), last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]


def test_a_run_folder_named_through_hydras_settings_is_left_to_hydra(tmp_path):
    """hydra.run.dir=.../${hydra:runtime.choices.scenario} resolves only once Hydra has set its settings: the check
    of the run's folder before it is made printed a 5-line warning of Hydra (a reviewer's case); now it leaves it."""
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "design=none", *TINY,
                           f"hydra.run.dir={tmp_path}/${{hydra:runtime.choices.scenario}}"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Warning" not in proc.stderr and "raised" not in proc.stderr, proc.stderr[-3000:]
    verify(tmp_path / "kampenhout", read_status(tmp_path / "kampenhout"))


def test_a_sweep_of_experiments_run_in_one_process_gathers_nothing_and_ends_well(tmp_path):
    """A sweep (-m) of calibrations or discoveries: their results are their own files, no runs; gathering them
    ended the sweep with 'gathering ... failed' and exit 1 once collect refused such folders (a reviewer's case)."""
    from sim.experiments.callbacks import ExperimentCallback

    (tmp_path / "experiment.json").write_text(json.dumps({"kind": "discovery"}))
    config = OmegaConf.create({"experiment": {"kind": "discovery", "figures": False},
                               "hydra": {"launcher": {"_target_": "hydra._internal.core_plugins.basic_launcher"}}})
    ExperimentCallback(progress=False)._end(config, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiment.json"]


def _calibration_folder(folder: Path) -> dict[str, bytes]:
    """A finished ABC calibration's folder as the command leaves it (its files' content does not matter here)."""
    folder.mkdir(parents=True)
    files = {"experiment.json": json.dumps({"name": "calibration_abc", "kind": "abc", "seed": 0}).encode(),
             "abc.json": b"{}", "posterior.parquet": b"PAR1", "fit.csv": b"pattern\n"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_a_sweep_or_run_pointed_at_a_calibrations_folder_is_refused(tmp_path, command):
    """A sweep pointed at an ABC calibration's folder wrote its experiment.json over the calibration's and its
    runs among its files (the third tester's case): refused in one line, exit 1, the folder left as it was. So is
    a single run, before Hydra writes its .hydra/ files and its log there."""
    folder = tmp_path / "abc"
    files = _calibration_folder(folder)
    cmd = {"sweep": sweep_cmd(folder, "design=none,consultation"),
           "run": [sys.executable, "-m", "sim", "scenario=kampenhout", *TINY, f"hydra.run.dir={folder}"]}[command]
    proc = subprocess.run(cmd, cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    key = "hydra.sweep.dir" if command == "sweep" else "hydra.run.dir"
    what = {"sweep": "a sweep of kind grid", "run": "a single run"}[command]
    assert last == (f"error: {key}={folder} holds the results of an experiment of kind abc (its experiment.json); "
                    f"{what} would write among them; allowed: a folder of its own (another {key})"), last
    assert "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_a_calibration_pointed_at_a_sweeps_folder_is_refused(tmp_path):
    """An ABC calibration in a sweep's folder put its experiment.json over the sweep's: gathering then refused the
    sweep's runs as an in-process experiment's folder. Refused in one line before any particle; the sweep's runs
    still gather."""
    folder = tmp_path / "sweep"
    done = subprocess.run(sweep_cmd(folder, "design=none"), cwd=REPO, env=repo_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    before = (folder / "experiment.json").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "sim", "+experiment=calibration_abc", "experiment.abc_population=2",
                           "experiment.abc_generations=1", "experiment.figures=false", f"hydra.run.dir={folder}"],
                          cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last == (f"error: hydra.run.dir={folder} holds the results of an experiment of kind grid "
                    "(its experiment.json); a run of kind abc would write among them; allowed: a folder of its own "
                    "(another hydra.run.dir)"), last
    assert (folder / "experiment.json").read_bytes() == before and not (folder / "abc.json").exists()
    assert not (folder / ".abc.db.partial").exists()


def test_a_single_run_or_a_saved_run_into_a_finished_sweeps_folder_is_refused(tmp_path):
    """A single run (or RunResult.save) into a finished sweep's folder replaced the sweep's gathered time series
    with its own and wrote a status.json there, after which gathering and every restart of the sweep reported a
    damaged run for good (the fourth tester's case). Refused in one line before anything is written; the sweep's
    files stay as they were and it still gathers."""
    import sim

    folder = tmp_path / "sweep"
    done = subprocess.run(sweep_cmd(folder, "design=none,consultation"), cwd=REPO, env=repo_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".sweep" not in p.name}
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", *TINY, "run.steps=3",
                           f"hydra.run.dir={folder}"], cwd=REPO, env=repo_env(), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: hydra.run.dir={folder} holds the results of an experiment of kind grid (its experiment.json); "
        "a single run would write among them; allowed: a folder of its own (another hydra.run.dir)")
    result = sim.run("kampenhout", "none", 0, overrides=TINY)
    with pytest.raises(sim.ConfigError, match=r"^folder='.*sweep': .*sweep holds the results of an experiment of "
                                              r"kind grid \(its experiment.json\); this run would write among them; "
                                              r"allowed: a folder of its own for the run$"):
        result.save(folder, figures=False)
    (folder / "experiment.json").unlink()  # a sweep of older code, or one whose experiment.json was lost: its runs/
    with pytest.raises(sim.ConfigError, match=r"holds the runs of a sweep \(runs/\); this run would write among "):
        result.save(folder, figures=False)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".sweep" not in p.name}
    assert after == {p: b for p, b in before.items() if p.name != "experiment.json"}
    again = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={folder}", "figures=false"], cwd=REPO,
                           env=repo_env(), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "60 runs gathered, 0 failed" in again.stdout, again.stderr[-3000:]


def test_a_sweep_that_chooses_its_experiment_is_checked_by_each_job(tmp_path):
    """A sweep choosing its experiment by an override (+experiment=choice(...)) starts from a config of kind single:
    checked by that kind, it went into a grid sweep's folder (a discovery's files beside its runs, the grid's
    experiment.json replaced), and the same sweep started again in its own folder was refused (a reviewer's case).
    Each job checks its own kind: the first is refused in one line, the second runs again and gathers nothing."""
    grid = tmp_path / "grid"
    done = subprocess.run(sweep_cmd(grid, "design=none", "experiment.replicates=2"), cwd=REPO, env=repo_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    before = (grid / "experiment.json").read_bytes()
    discovery = [sys.executable, "-m", "sim", "-m", "+experiment=choice(scenario_discovery)", "experiment.samples=4",
                 *TINY, "experiment.figures=false", "hydra/launcher=basic"]
    proc = subprocess.run([*discovery, f"hydra.sweep.dir={grid}"], cwd=REPO, env=repo_env(), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines()[-1].endswith(  # after the progress bar's last carriage return
        f"error: hydra.sweep.dir={grid} holds the results of an experiment of kind grid (its experiment.json); a "
        "sweep of kind discovery would write among them; allowed: a folder of its own (another hydra.sweep.dir)")
    assert (grid / "experiment.json").read_bytes() == before and not list(grid.glob("*/discovery.json"))
    own = tmp_path / "own"
    for _ in range(2):
        again = subprocess.run([*discovery, f"hydra.sweep.dir={own}"], cwd=REPO, env=repo_env(), capture_output=True,
                               text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-3000:]
        assert "error" not in again.stderr and list(own.glob("*/discovery.json"))
