"""The ABC calibration's result files (sim.experiments.abc): a finished calibration is kept only when its files
are what it wrote (read as a run's files are: regular, no link followed, bounded), a new one replaces the last
one's files only once it has finished (a staging folder, switched in abc.json last), nothing is written through
a link or outside the folder, and a folder in a result's place stops the command before any particle."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyabc
import pytest
from omegaconf import OmegaConf

import sim
from sim.config.keys import ConfigError
from sim.experiments import abc
from tests.helpers import REPO

pytestmark = pytest.mark.xdist_group("sweeps")  # ABC runs many models: keep them on one worker

SMALL = ["run.population_scale=0.05", "experiment.abc_population=4", "experiment.abc_generations=1",
         "experiment.jobs=1", "experiment.figures=false"]
RESULTS = ("posterior.parquet", "fit.csv", "abc.json", "abc.db")


def _cfg(seed: int = 0) -> object:
    return OmegaConf.structured(sim.compose_config("geel", "participatory_budget", seed,
                                                   ["+experiment=calibration_abc", *SMALL]))


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A calibration finished (four particles, one generation, a twentieth of the population): its folder."""
    out = tmp_path_factory.mktemp("abc") / "finished"
    abc.run_experiment(_cfg(), out)
    return out


@pytest.fixture
def copy(finished, tmp_path) -> Path:
    """A copy of the finished calibration's folder, to damage."""
    out = tmp_path / "abc"
    shutil.copytree(finished, out, symlinks=True)
    return out


def _refit(db_path, **kwargs):
    raise RuntimeError("computed again")


def _nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def _fifo(name: str):
    def damage(path: Path) -> None:
        (path / name).unlink()
        os.mkfifo(path / name)
    return damage


DAMAGES = {
    "abc_json_fifo": _fifo("abc.json"),
    "posterior_fifo": _fifo("posterior.parquet"),
    "abc_json_dev_zero": lambda p: ((p / "abc.json").unlink(), (p / "abc.json").symlink_to("/dev/zero")),
    "abc_json_nested": lambda p: _nested(p / "abc.json"),
    "abc_json_too_large": lambda p: (p / "abc.json").write_bytes(b" " * (2 << 20)),
    "db_fifo": _fifo("abc.db"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_result_file_is_not_finished_and_is_calibrated_again_with_one_line(copy, damage, monkeypatch,
                                                                                        caplog):
    """D4: a FIFO (never waited on), a link to /dev/zero (never read without end), JSON nested deeper than Python
    parses, or a file larger than abc.json can be: not finished, calibrated again, with one line saying why."""
    cfg = _cfg()
    key = abc.calibration_key(cfg)
    assert abc.finished_before(copy, key) is not None  # the control: the copy is kept
    DAMAGES[damage](copy)
    assert abc.finished_before(copy, key) is None
    monkeypatch.setattr(abc, "fit", _refit)
    with caplog.at_level(logging.INFO, logger=abc.log.name), pytest.raises(RuntimeError, match="computed again"):
        abc.run_experiment(cfg, copy)
    why = [r.getMessage() for r in caplog.records if "calibrating anew" in r.getMessage()]
    assert len(why) == 1 and str(copy) in why[0], why


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


EDITS = {
    "mean_99": lambda d: d["posterior"]["citizens.base_propensity"].update(mean=99),
    "evaluations": lambda d: d.update(evaluations=123456),
    "epsilons_empty": lambda d: d.update(epsilons=[]),
    "posterior_not_parameters": lambda d: d.update(posterior={"x": 1}),
    "epsilon_text": lambda d: d.update(epsilons=["a"]),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edited_abc_json_is_not_trusted_and_is_calibrated_again(copy, edit, monkeypatch, caplog):
    """D13: abc.json carries the checksum of its own content: edited (a number changed, a list emptied), it is no
    longer a finished calibration's record; it is calibrated again, never printed nor a traceback."""
    cfg = _cfg()
    key = abc.calibration_key(cfg)
    _edit(copy / "abc.json", lambda d: None)  # written again by another writer, unchanged: still kept
    assert abc.finished_before(copy, key) is not None
    _edit(copy / "abc.json", EDITS[edit])
    assert abc.finished_before(copy, key) is None
    monkeypatch.setattr(abc, "fit", _refit)
    with caplog.at_level(logging.INFO, logger=abc.log.name), pytest.raises(RuntimeError, match="computed again"):
        abc.run_experiment(cfg, copy)
    assert any("abc.json: its checksum does not match its content" in r.getMessage() for r in caplog.records)


def _stub_fit(source: Path):
    """A fit that "computes" the calibration of ``source``: its database copied to ``db_path``."""
    def fit(db_path, **kwargs):
        shutil.copyfile(source / "abc.db", db_path)
        return pyabc.History("sqlite:///" + str(db_path))
    return fit


def test_a_link_in_place_of_the_working_database_is_removed_never_written_through(finished, copy, tmp_path,
                                                                                  monkeypatch):
    """D5: a link at .abc.db.partial (to a file outside the folder) is removed before the calibration fills the
    database there: nothing is written outside, and the finished abc.db is a file in the folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (copy / "abc.json").unlink()
    (copy / ".abc.db.partial").symlink_to(outside / "victim.db")
    seen = []

    def fit(db_path, **kwargs):
        seen.append(os.path.lexists(db_path))
        return _stub_fit(finished)(db_path, **kwargs)

    monkeypatch.setattr(abc, "fit", fit)
    abc.run_experiment(_cfg(), copy)
    assert seen == [False]
    assert list(outside.iterdir()) == []
    assert not (copy / "abc.db").is_symlink() and (copy / "abc.db").is_file()
    assert abc.finished_before(copy, abc.calibration_key(_cfg())) is not None


def _fit_small(db_path: Path):
    return abc.fit(db_path, population=4, generations=1, seed=0, jobs=1, overrides=["run.population_scale=0.05"])


@pytest.mark.parametrize("name", ["run%20one", "x%2F..%2F..%2Fescaped"])
def test_a_percent_escape_in_the_folder_name_is_taken_literally(tmp_path, name):
    """D18: the database is written at the path given, whatever '%' escapes its folder's name holds (SQLAlchemy
    decodes them in a URL): inside the folder, and the calibration works."""
    (tmp_path / "a" / "x").mkdir(parents=True)
    (tmp_path / "escaped").mkdir()
    folder = tmp_path / "a" / name
    folder.mkdir()
    history = _fit_small(folder / "abc.db")
    assert history.max_t == 0
    assert (folder / "abc.db").read_bytes()[:16] == b"SQLite format 3\x00"
    assert list((tmp_path / "escaped").iterdir()) == [] and list((tmp_path / "a" / "x").iterdir()) == []


def test_fit_removes_only_a_database_or_an_empty_file_at_its_path(tmp_path):
    """D3 (the file): fit() replaces an SQLite database or an empty file at db_path, refuses any other file with
    one line naming it (the file left as it was), and removes a link there, never writing through it."""
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"PK\x03\x04 my thesis")
    with pytest.raises(ConfigError) as info:
        _fit_small(thesis)
    assert str(info.value) == (f"db_path={thesis}: a file that is not an SQLite database (its first bytes are not "
                               "'SQLite format 3'); allowed: the path of a new file, an empty file or an SQLite "
                               "database (pyabc's) to replace")
    assert thesis.read_bytes() == b"PK\x03\x04 my thesis"
    for bad in (None, ""):
        with pytest.raises(ConfigError, match=f"db_path={bad!r} .{type(bad).__name__}. is not a file's path; allowed"):
            _fit_small(bad)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(ConfigError, match=f"db_path={folder}: a folder; allowed: "):
        _fit_small(folder)
    # a link (to a file outside) is removed, the database written in its place; then that database is replaced
    outside = tmp_path / "outside.db"
    link = tmp_path / "link.db"
    link.symlink_to(outside)
    _fit_small(link)
    assert not link.is_symlink() and not outside.exists()
    _fit_small(link)
    empty = tmp_path / "empty.db"
    empty.touch()
    assert _fit_small(empty).max_t == 0


def _switches(out: Path, fail_after: int):
    """os.replace, failing (OSError) on the switch's replace number ``fail_after + 1`` into ``out``."""
    real, done = os.replace, []

    def replace(src, dst, **kwargs):
        if Path(dst).parent == out and Path(src).parent == out / abc.STAGING:
            if len(done) == fail_after:
                raise OSError("injected between two replaces")
            done.append(Path(dst).name)
        return real(src, dst, **kwargs)
    return replace, done


@pytest.mark.parametrize("fail_after", [0, 1, 3])
def test_a_switch_stopped_between_two_replaces_is_finished_by_the_next_start(finished, copy, monkeypatch,
                                                                             fail_after):
    """D15: a new calibration (another seed) writes its files into a hidden staging folder, then replaces the
    last one's, abc.json last. Stopped between two replaces, the next start finishes the switch: the new
    calibration is kept, not computed again; the old one's command calibrates anew (its results were replaced)."""
    old, new = _cfg(0), _cfg(9)
    kept_old = json.loads((copy / "abc.json").read_text())
    monkeypatch.setattr(abc, "fit", _stub_fit(finished))
    replace, done = _switches(copy, fail_after)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="injected"):
        abc.run_experiment(new, copy)
    monkeypatch.undo()
    assert len(done) == fail_after
    assert (copy / abc.STAGING).is_dir()
    monkeypatch.setattr(abc, "fit", _refit)
    result = abc.run_experiment(new, copy)  # finished, switched, kept
    assert result["seed"] == 9 and result["key"] == abc.calibration_key(new)
    assert not os.path.lexists(copy / abc.STAGING)
    assert json.loads((copy / "abc.json").read_text()) == result != kept_old
    with pytest.raises(RuntimeError, match="computed again"):
        abc.run_experiment(old, copy)


def test_a_calibration_stopped_while_it_stages_its_files_keeps_the_last_one(finished, copy, monkeypatch):
    """D15: stopped before its staging is complete (here writing abc.json into it), nothing of the last
    calibration is replaced: it is kept by its command, and the half-staged files are removed at the next
    start."""
    old, new = _cfg(0), _cfg(9)
    before = {name: (copy / name).read_bytes() for name in RESULTS}
    monkeypatch.setattr(abc, "fit", _stub_fit(finished))
    real = abc.atomic_write_text

    def stopped(path, text):
        if path == copy / abc.STAGING / "abc.json":
            raise KeyboardInterrupt
        return real(path, text)

    monkeypatch.setattr(abc, "atomic_write_text", stopped)
    with pytest.raises(KeyboardInterrupt):
        abc.run_experiment(new, copy)
    monkeypatch.undo()
    assert {name: (copy / name).read_bytes() for name in RESULTS} == before
    monkeypatch.setattr(abc, "fit", _refit)
    assert abc.run_experiment(old, copy)["seed"] == 0
    assert not os.path.lexists(copy / abc.STAGING)
    assert {name: (copy / name).read_bytes() for name in RESULTS} == before


@pytest.mark.parametrize("name", RESULTS)
def test_a_folder_where_a_result_goes_stops_before_any_particle(copy, name, monkeypatch):
    """D6: a folder in place of a result file (which no rename can replace) is one line naming it, before the
    first particle (nothing computed), rather than an error after the whole calibration."""
    (copy / "abc.json").unlink()
    path = copy / name
    if path.exists():
        path.unlink()
    (path / "sub").mkdir(parents=True)
    monkeypatch.setattr(abc, "fit", _refit)
    with pytest.raises(SystemExit) as info:
        abc.run_experiment(_cfg(), copy)
    assert str(info.value) == (f"error: {path} is a folder, where the calibration writes its {name}; allowed: a "
                               "file or nothing there (move the folder away; nothing was computed)")


def test_a_folder_where_a_result_goes_is_one_line_and_exit_status_1_on_the_command_line(copy):
    """D6, on the command line: one line on stderr, exit status 1, nothing computed."""
    (copy / "abc.json").unlink()
    (copy / "fit.csv").unlink()
    (copy / "fit.csv").mkdir()
    cmd = [sys.executable, "-m", "sim", "+experiment=calibration_abc", *SMALL, f"hydra.run.dir={copy}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: {copy / 'fit.csv'} is a folder, where the calibration writes its fit.csv; allowed: a file or "
        "nothing there (move the folder away; nothing was computed)")
    assert not os.path.lexists(copy / ".abc.db.partial") and "ABC-SMC" not in proc.stdout
