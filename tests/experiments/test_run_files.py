"""What a run folder's files say is never a way out of it: a status.json that lists files outside the run (an
absolute path, "..", a folder that is a link), a FIFO or a device.

Gathering and a resumed sweep read a run's files only inside its folder, only regular files of a bounded size,
never waiting on a FIFO; anything else makes the run damaged (named, not gathered, run again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.experiments import sweep
from sim.experiments.collect import collect
from sim.io import STATUS, inside, read_regular
from tests.experiments.test_faults import tiny_job
from tests.helpers import REPO, repo_env

pytestmark = pytest.mark.xdist_group("sweeps")  # sweeps use both cores: keep them on one worker


def _list_file(run: Path, name: str, data: bytes) -> None:
    """Add ``name`` with the checksum of ``data`` to the run's status, as an edited status.json would."""
    status = json.loads((run / STATUS).read_text())
    status["files"][name] = sweep.sha256(data)
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
                "run-00004": f"{STATUS}: unreadable (ValueError"}

    proc = subprocess.run([sys.executable, "-m", "sim", "collect", f"dir={sweep_dir}", "figures=false"], cwd=REPO,
                          env=repo_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "1 runs gathered, 0 failed, 5 damaged" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr
    for run, problem in problems.items():
        assert sum(run in line and problem in line for line in proc.stderr.splitlines()) == 1, (run, proc.stderr)

    with caplog.at_level("WARNING"):
        assert job() == {"ok": 5, "skipped": 1, "failed": 0}
    for run, problem in problems.items():
        assert any(run in r.getMessage() and problem in r.getMessage() for r in caplog.records), run
    out = collect(sweep_dir, figures=False)
    assert len(out["runs"]) == 6 and out["damaged"].empty
    assert secret.read_bytes() == b"not the run's" and os.listdir(elsewhere) == ["t.txt"]


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
