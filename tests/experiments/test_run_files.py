"""What a run folder's files say is never a way out of it: a status.json that lists files outside the run (an
absolute path, "..", a folder that is a link), a FIFO or a device, and a ``figures`` folder replaced by a link.

Gathering and a resumed sweep read a run's files only inside its folder, only regular files of a bounded size,
never waiting on a FIFO; anything else makes the run damaged (named, not gathered, run again). Figures are written
into a real folder: a link in its place is removed, never its target's files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.experiments import sweep
from sim.experiments.collect import collect
from sim.io import STATUS, inside, read_regular, run_files
from tests.experiments.test_faults import tiny_job
from tests.helpers import REPO, repo_env

pytestmark = pytest.mark.xdist_group("sweeps")  # sweeps use both cores: keep them on one worker


def _list_file(run: Path, name: str, data: bytes) -> None:
    """Add ``name`` with the checksum of ``data`` to the run's status, as a status.json crafted with its own
    checksum made again would (a status edited without it is damaged for that first)."""
    status = json.loads((run / STATUS).read_text())
    status["files"][name] = sweep.sha256(data)
    status["checksum"] = sweep.own_checksum(status)
    (run / STATUS).write_text(json.dumps(status))


def test_a_status_naming_files_outside_its_run_or_a_fifo_is_damaged_and_run_again(tmp_path, caplog):
    """Before, a status listing an absolute path or a "../" path with its right checksum was trusted (the run
    gathered), a file listed through a linked folder was read outside, and a FIFO (a listed file, or status.json
    itself) hung gathering for good. Now each run is damaged, named in one line, and run again on resume; nothing
    outside is read or touched."""
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=6)
    assert job() == {"ok": 6, "skipped": 0, "failed": 0}
    runs = sweep_dir / "runs" / "design=none"
    secret = tmp_path / "outside.txt"
    secret.write_bytes(b"not the run's")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "t.txt").write_bytes(b"not the run's either")
    _list_file(runs / "run-00000", str(secret), secret.read_bytes())
    _list_file(runs / "run-00001", "../../../../outside.txt", secret.read_bytes())
    (runs / "run-00002" / "sub").symlink_to(elsewhere)
    _list_file(runs / "run-00002", "sub/t.txt", (elsewhere / "t.txt").read_bytes())
    os.mkfifo(runs / "run-00003" / "pipe")
    _list_file(runs / "run-00003", "pipe", b"")
    (runs / "run-00004" / STATUS).unlink()
    os.mkfifo(runs / "run-00004" / STATUS)
    problems = {"run-00000": f"lists '{secret}', not a file inside the run's folder",
                "run-00001": "lists '../../../../outside.txt', not a file inside the run's folder",
                "run-00002": "lists 'sub/t.txt', not a file inside the run's folder",
                "run-00003": "pipe: not a regular file",
                "run-00004": f"{STATUS}: not a regular file (a folder, a FIFO or a device)"}

    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}", "figures=false"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "1 runs gathered, 0 failed, 5 damaged" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr
    for run, problem in problems.items():  # each line names its run's file once
        assert sum(line.count(str(runs / run)) == 1 and problem in line for line in proc.stderr.splitlines()) == 1, \
            (run, proc.stderr)

    with caplog.at_level("WARNING"):
        assert job() == {"ok": 5, "skipped": 1, "failed": 0}
    for run, problem in problems.items():
        assert any(run in r.getMessage() and problem in r.getMessage() for r in caplog.records), run
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 6 and out["damaged"].empty
    assert secret.read_bytes() == b"not the run's" and os.listdir(elsewhere) == ["t.txt"]


#: What a damaged status.json is, and what its message says after its path.
DAMAGED_STATUS = {"fifo": "not a regular file (a folder, a FIFO or a device)",
                  "link": "a link, not the file the run wrote",
                  "folder": "not a regular file (a folder, a FIFO or a device)",
                  "missing": "missing or unreadable (No such file or directory)",
                  "not_json": "not valid JSON (Expecting value: line 1 column 1 (char 0))",
                  "not_utf8": "not valid JSON (",
                  "list": "not a run status (no 'status': 'ok' or 'failed')",
                  "nested": "not valid JSON (nested deeper than it can be read)"}


@pytest.mark.parametrize("case", DAMAGED_STATUS)
def test_a_damaged_status_names_its_path_once(tmp_path, case):
    """The message of a damaged status.json named its path twice (`<run>/status.json: unreadable (ValueError:
    <run>/status.json: not a regular file ...)`); now once, with what is wrong with it."""
    run = tmp_path / "run-00000"
    run.mkdir()
    status = run / STATUS
    (tmp_path / "elsewhere.json").write_text('{"status": "ok"}')
    make = {"fifo": lambda: os.mkfifo(status), "link": lambda: status.symlink_to(tmp_path / "elsewhere.json"),
            "folder": status.mkdir, "missing": lambda: None, "not_json": lambda: status.write_text("nope"),
            "not_utf8": lambda: status.write_bytes(b"\xff\xfe{"), "list": lambda: status.write_text("[1]"),
            "nested": lambda: status.write_text("[" * 100_000 + "]" * 100_000)}  # 200 kB: under the status's limit
    make[case]()
    with pytest.raises(sweep.DamagedRun) as caught:
        sweep.read_status(run)
    message = str(caught.value)
    assert message.startswith(f"{status}: {DAMAGED_STATUS[case]}") and message.count(str(run)) == 1, message


def test_only_plain_names_of_regular_files_of_a_bounded_size_are_read(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"png")
    (tmp_path / "linked").symlink_to(tmp_path / "figures")
    assert inside(tmp_path, "figures/a.png") == tmp_path / "figures" / "a.png"
    for name in ("", "/etc/passwd", "..", "../x", "a/../b", "./a", "a//b", "linked/a.png", "a\0b"):
        assert inside(tmp_path, name) is None, name
    assert read_regular(tmp_path / "figures" / "a.png", 3) == b"png"
    big = tmp_path / "big"
    with big.open("wb") as f:  # sparse: its size, not its bytes, is refused
        f.truncate(1 << 40)
    for path, why in [(tmp_path / "figures" / "a.png", "more than such a file can hold (2)"),
                      (big, "more than such a file can hold"), (Path("/dev/zero"), "not a regular file"),
                      (tmp_path / "figures", "not a regular file"), (tmp_path / "linked", "a link")]:
        with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
            read_regular(path, 2 if path.name == "a.png" else 1 << 20)
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ValueError, match="not a regular file"):
        read_regular(tmp_path / "pipe", 100)


@pytest.fixture
def victim(tmp_path) -> Path:
    """A folder outside the run holding a file a run's figure would replace."""
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "turnout.png").write_text("precious")
    return folder


def test_a_single_run_whose_figures_folder_is_a_link_writes_into_a_real_folder(tmp_path, victim):
    """Before, the figures went through the link: the victim's turnout.png was replaced, rc 0."""
    out = tmp_path / "run"
    out.mkdir()
    (out / "figures").symlink_to(victim)
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "run.population_scale=0.02",
                           "run.steps=3", f"hydra.run.dir={out}"], cwd=REPO, env=repo_env(), capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert os.listdir(victim) == ["turnout.png"] and (victim / "turnout.png").read_text() == "precious"
    assert not (out / "figures").is_symlink() and (out / "figures" / "turnout.png").is_file()
    assert "figures/turnout.png" in json.loads((out / STATUS).read_text())["files"]
    logged = proc.stderr + "".join(p.read_text() for p in out.glob("*.log"))  # Hydra logs into the run's folder
    assert f"{out / 'figures'} is a link, not a folder" in logged


def test_a_single_run_whose_figures_is_a_file_stops_with_one_line(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "figures").write_text("mine")
    proc = subprocess.run([sys.executable, "-m", "sim", "scenario=kampenhout", "run.population_scale=0.02",
                           "run.steps=3", f"hydra.run.dir={out}"], cwd=REPO, env=repo_env(), capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{out / 'figures'} is a file, not a folder" in proc.stderr.strip().splitlines()[-1]
    assert (out / "figures").read_text() == "mine"
    assert json.loads((out / STATUS).read_text())["status"] == "failed"


def test_a_saved_run_never_writes_or_removes_figures_through_a_link(tmp_path, victim):
    """RunResult.save: figures through a linked folder replaced the victim's; a save without figures after one
    with them removed the earlier figures, as its status listed them, through the link."""
    result = sim.run("kampenhout", overrides=["run.population_scale=0.02", "run.steps=3"])
    folder = tmp_path / "saved"
    result.save(folder)
    (folder / "figures").rename(tmp_path / "moved")
    (folder / "figures").symlink_to(victim)
    assert "figures/turnout.png" not in run_files(folder)  # listed, but through a link: not the run's file
    result.save(folder, figures=False)
    assert (victim / "turnout.png").read_text() == "precious"
    (folder / "figures").unlink()
    (folder / "figures").symlink_to(victim)
    result.save(folder)
    assert os.listdir(victim) == ["turnout.png"] and (victim / "turnout.png").read_text() == "precious"
    assert not (folder / "figures").is_symlink() and (folder / "figures" / "turnout.png").is_file()


def test_gathering_into_a_sweep_whose_figures_folder_is_a_link_writes_into_a_real_folder(tmp_path, victim):
    sweep_dir = tmp_path / "sweep"
    _, job = tiny_job(sweep_dir / "runs", replicates=2)
    job()
    (sweep_dir / "figures").symlink_to(victim)
    (victim / "outcome_turnout.png").write_text("precious")
    collect(sweep_dir, figures=True)
    assert sorted(os.listdir(victim)) == ["outcome_turnout.png", "turnout.png"]
    assert all(p.read_text() == "precious" for p in victim.iterdir())
    assert not (sweep_dir / "figures").is_symlink() and (sweep_dir / "figures" / "outcome_turnout.png").is_file()
