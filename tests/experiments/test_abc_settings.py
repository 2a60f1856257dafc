"""The ABC calibration's settings checked before anything runs (sim/experiments/abc_settings.py): the scheduler's
form and whether it answers, its password never written, the command line's unused overrides, the population
scale against every pattern's municipality and fit()'s arguments: one line naming the key or argument, the value
and what is allowed."""

from __future__ import annotations

import json
import math
import socket

import pytest

from sim.config.keys import ConfigError
from sim.experiments import abc, abc_settings
from sim.experiments.abc_settings import (
    PASSWORD_ENV,
    SchedulerUnreachable,
    check_scheduler,
    reach_scheduler,
    redact_records,
    redis_password,
    shown_scheduler,
)
from tests.experiments.test_prevalidate import sim_command
from tests.helpers import REPO

pytestmark = pytest.mark.xdist_group("sweeps")  # the command line runs a calibration: keep it on one worker

BASE = ["+experiment=calibration_abc", "run.population_scale=0.05", "experiment.abc_population=4",
        "experiment.abc_generations=1", "experiment.jobs=1"]


def free_port() -> int:
    """A port nobody listens on (bound to port 0 to be given one, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("value", "problem"), [
    ("foo", "has no scheme"),
    ("http://example.org", "has the scheme http://"),
    ("redis://localhost:99999", "has a port outside 1 to 65535"),
    ("redis://", "names no host"),
    ("tcp://host", "names no port"),
    ("tcp://host:0", "has a port outside 1 to 65535"),
    ("redis://host:6379/0", "has more than a host and a port"),
    ("tcp://:pw@host:8786", "gives a password to a Dask scheduler"),
])
def test_a_malformed_scheduler_is_refused_naming_the_key_and_what_is_allowed(value, problem):
    with pytest.raises(ConfigError, match=problem) as info:
        check_scheduler(value)
    message = str(info.value)
    assert message.startswith("experiment.scheduler=") and "allowed: empty (local processes), redis://" in message
    assert "\n" not in message and "pw" not in message


@pytest.mark.parametrize("value", ["", "redis://localhost:6379", "redis://:s3cret@10.0.0.1:16399",
                                   "tcp://127.0.0.1:8786"])
def test_a_well_formed_scheduler_passes(value):
    assert check_scheduler(value) == value


def test_the_password_is_never_shown():
    assert shown_scheduler("redis://:s3cret@127.0.0.1:16399") == "redis://:***@127.0.0.1:16399"
    assert shown_scheduler("redis://user:s3cret@host:1") == "redis://user:***@host:1"
    assert shown_scheduler("redis://host:6379") == "redis://host:6379"
    assert shown_scheduler("") == ""
    with pytest.raises(ConfigError) as info:
        check_scheduler("redis://:s3cret@host:99999")
    assert "s3cret" not in str(info.value) and ":***@host:99999" in str(info.value)


def test_hydra_records_lose_the_urls_password_and_nothing_else(tmp_path):
    """The URL's password, plain, in YAML's single quotes and in its double quotes with escapes, is replaced; the
    same letters elsewhere in a file (the host, a folder's name) stay, and no record is removed (a password such as
    127 or redis removed every record once)."""
    url = "redis://:it's\"127@127.0.0.1:6379"
    plain, single, double, other = (tmp_path / n for n in ("overrides.yaml", "config.yaml", "hydra.yaml", "x.yaml"))
    plain.write_text(f"- experiment.scheduler={url}\n")
    single.write_text("experiment:\n  scheduler: 'redis://:it''s\"127@127.0.0.1:6379'\n")
    double.write_text('scheduler: "redis://:it\'s\\"127@127.0.0.1:6379"\noutput_dir: /runs/it\'s"127\n')
    other.write_text("scheduler: redis://127.0.0.1:6379\n")
    assert redact_records([plain, single, double, other, tmp_path / "missing.yaml"], url) == [plain, single, double]
    assert plain.read_text() == "- experiment.scheduler=redis://:***@127.0.0.1:6379\n"
    assert single.read_text() == "experiment:\n  scheduler: 'redis://:***@127.0.0.1:6379'\n"
    assert double.read_text() == 'scheduler: "redis://:***@127.0.0.1:6379"\noutput_dir: /runs/it\'s"127\n'
    assert other.read_text() == "scheduler: redis://127.0.0.1:6379\n"
    assert redact_records([plain], "redis://host:6379") == [] and redact_records([plain], "") == []


def test_a_sweep_refuses_a_password_on_its_command_line(tmp_path):
    """Hydra names a sweep job's folder after its overrides, logs them and prints them: a password given there
    stood in the folder's name, the log and the console. A sweep refuses it before anything is written."""
    out = tmp_path / "sweep"
    proc = sim_command("-m", "seed=0,1", "experiment.scheduler=redis://127.0.0.1:1,redis://:s3cret@127.0.0.1:2",
                       "run.population_scale=0.05", f"hydra.sweep.dir={out}", cwd=REPO)
    assert proc.returncode == 2 and "s3cret" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: experiment.scheduler=redis://127.0.0.1:1,redis://:***@127.0.0.1:2 gives a password on a sweep's "
        "command line, which would name its folders and stand in its log; allowed: the URL without it and the "
        f"password in the environment variable {PASSWORD_ENV}"]
    assert not out.exists()


def test_a_password_on_the_command_line_is_in_no_file_of_the_run(tmp_path):
    """Hydra records the command line in .hydra/ before the run starts; the run replaces the password there too,
    first thing, so that even a calibration whose Redis is not there leaves it nowhere."""
    out = tmp_path / "out"
    proc = sim_command(*BASE, f"hydra.run.dir={out}", f"experiment.scheduler=redis://:s3cret@127.0.0.1:{free_port()}",
                       cwd=REPO)
    assert proc.returncode == 1 and "cannot be reached" in proc.stderr and "s3cret" not in proc.stderr, proc.stderr
    assert [p for p in out.rglob("*") if p.is_file() and b"s3cret" in p.read_bytes()] == []
    assert "experiment.scheduler=redis://:***@127.0.0.1:" in (out / ".hydra" / "overrides.yaml").read_text()


def test_the_redis_password_can_come_from_the_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert redis_password("redis://host:6379") is None
    monkeypatch.setenv(PASSWORD_ENV, "fromenv")
    assert redis_password("redis://host:6379") == "fromenv"
    assert redis_password("redis://:inurl@host:6379") == "inurl"


@pytest.mark.parametrize("scheme", ["redis", "tcp"])
def test_a_scheduler_nobody_listens_on_is_one_line(scheme):
    url = f"{scheme}://:s3cret@127.0.0.1:{free_port()}" if scheme == "redis" else f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(SchedulerUnreachable, match="cannot be reached") as info:
        reach_scheduler(url, timeout=2)
    assert "\n" not in str(info.value) and "s3cret" not in str(info.value)
    assert isinstance(info.value, OSError)  # the command line ends with one line and exit status 1


def test_the_command_line_refuses_a_malformed_scheduler_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    proc = sim_command(*BASE, f"hydra.run.dir={out}", "experiment.scheduler=redis://localhost:99999", cwd=REPO)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: experiment.scheduler=redis://localhost:99999 has a port outside 1 to 65535; allowed: empty (local "
        "processes), redis://[:password@]host:port (Redis workers) or tcp://host:port (a Dask scheduler), with a "
        "port from 1 to 65535"]
    assert not out.exists()


def test_the_command_line_ends_with_one_line_when_redis_is_not_there(tmp_path):
    out = tmp_path / "out"
    proc = sim_command(*BASE, f"hydra.run.dir={out}", f"experiment.scheduler=redis://127.0.0.1:{free_port()}",
                       cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "scheduler=redis://127.0.0.1:" in lines[0], proc.stderr
    assert "cannot be reached" in lines[0] and "Traceback" not in proc.stderr
    assert not (out / ".abc.db.partial").exists()


@pytest.mark.parametrize("override", ["citizens.fear_mean=0.1", "scenario=kampenhout", "design=none",
                                      "run.steps=2", "replicate=3"])
def test_the_command_line_refuses_an_override_the_calibration_does_not_use(tmp_path, override):
    out = tmp_path / "out"
    refused(sim_command(*BASE, f"hydra.run.dir={out}", override, cwd=REPO), out,
            f"error: {override}: {UNUSED}; allowed: experiment.*, seed, run.population_scale")


#: Why a calibration refuses a key it does not use, as its messages say it.
UNUSED = ("the ABC calibration does not use it (each pattern fixes its own scenario, design and parameters; the "
          "calibrated parameters are drawn from their priors)")


def refused(proc, out, line: str) -> None:
    """The command ``proc`` stopped before anything ran: exit status 2, the one ``line`` on stderr, no ``out``."""
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [line]
    assert not out.exists()


def test_the_overrides_the_calibration_uses_pass():
    abc_settings.check_command_line([("experiment", "+experiment=calibration_abc"), ("seed", "seed=3"),
                                     ("experiment.jobs", "experiment.jobs=1"),
                                     ("run.population_scale", "run.population_scale=0.05")])


def test_the_population_scale_is_checked_against_every_patterns_municipality(tmp_path):
    least, scenario, population = abc_settings.smallest_population_scale()
    assert scenario == "generic" and population == 24_087 and least == 0.0004  # not Geel's 40,781
    out = tmp_path / "out"
    proc = sim_command(*BASE[:1], "run.population_scale=0.0003", *BASE[2:], f"hydra.run.dir={out}", cwd=REPO)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: run.population_scale=0.0003 is too small for the calibration: the pattern runs of generic (24,087 "
        "residents) would simulate too few residents; allowed: 0.0004 to 1"]
    assert not out.exists()


def test_the_command_line_refuses_more_jobs_than_the_other_doors(tmp_path):
    out = tmp_path / "out"
    proc = sim_command(*BASE[:-1], "experiment.jobs=1025", f"hydra.run.dir={out}", cwd=REPO)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "experiment.jobs" in lines[0] and "1,024" in lines[0].replace("1024", "1,024")
    assert not out.exists()


GOOD = {"population": 4, "generations": 1, "min_epsilon": 0.0, "seed": 0, "jobs": 1, "scheduler": "",
        "overrides": ["run.population_scale=0.05"]}


@pytest.mark.parametrize(("argument", "value", "error", "message"), [
    ("population", 0, ConfigError, "population=0 is too small; allowed: a whole number from 2 to 100,000"),
    ("population", -3, ConfigError, "population=-3 is too small"),
    ("population", 1.5, TypeError, "population=1.5 (float) is not a whole number"),
    ("population", "4", TypeError, "population='4' (str) is not a whole number"),
    ("generations", 0, ConfigError, "generations=0 is too small; allowed: a whole number from 1 to 1,000"),
    ("generations", -1, ConfigError, "generations=-1 is too small"),
    ("seed", -1, ConfigError, "seed=-1 is too small"),
    ("seed", 1.7, TypeError, "seed=1.7 (float) is not a whole number"),
    ("seed", None, TypeError, "seed=None (NoneType) is not a whole number"),
    ("seed", "a", TypeError, "seed='a' (str)"),
    ("jobs", -1, ConfigError, "jobs=-1 is too small; allowed: a whole number from 0 to 1,024"),
    ("jobs", "2", TypeError, "jobs='2' (str)"),
    ("jobs", 100_000, ConfigError, "jobs=100000 is too large; allowed: a whole number from 0 to 1,024"),
    ("min_epsilon", math.nan, ConfigError, "min_epsilon=nan is out of range; allowed: a number from 0 to 1e+06"),
    ("min_epsilon", -1.0, ConfigError, "min_epsilon=-1.0 is out of range"),
    ("min_epsilon", "0", TypeError, "min_epsilon='0' (str) is not a number"),
    ("scheduler", None, TypeError, "scheduler=None (NoneType) is not a text; allowed: empty (local processes)"),
    ("scheduler", "foo", ConfigError, "scheduler=foo has no scheme; allowed: empty"),
    ("overrides", "run.population_scale=0.05", TypeError,
     "overrides='run.population_scale=0.05' is a single text; allowed: a list of texts 'key=value'"),
])
def test_fit_refuses_a_bad_argument_before_anything_is_touched(tmp_path, argument, value, error, message):
    db = tmp_path / "abc.db"
    db.write_bytes(b"a finished calibration")
    with pytest.raises(error) as info:
        abc.fit(db, **{**GOOD, argument: value})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
    assert db.read_bytes() == b"a finished calibration"  # nothing touched


def test_fit_refuses_a_prior_with_lo_above_hi(tmp_path):
    db = tmp_path / "abc.db"
    db.write_bytes(b"kept")
    with pytest.raises(ConfigError, match=r"priors\[0\]=citizens.fear_mean has bounds lo=0.9, hi=0.1; allowed: "
                                          "finite numbers with lo < hi"):
        abc.fit(db, priors=[abc.Prior("citizens.fear_mean", 0.9, 0.1)], **GOOD)
    assert db.read_bytes() == b"kept"


def test_fit_names_an_unreachable_scheduler_before_the_database_is_touched(tmp_path):
    db = tmp_path / "abc.db"
    db.write_bytes(b"kept")
    with pytest.raises(SchedulerUnreachable, match=r"^scheduler=redis://:\*\*\*@127.0.0.1:\d+ cannot be reached"):
        abc.fit(db, **{**GOOD, "scheduler": f"redis://:s3cret@127.0.0.1:{free_port()}"})
    assert db.read_bytes() == b"kept"


def test_abc_json_records_the_scheduler_without_its_password(tmp_path, monkeypatch):
    """run_experiment records the scheduler as shown_scheduler shows it (the fit itself is replaced: no Redis)."""
    from omegaconf import OmegaConf

    from sim.config.compose import compose_node

    recorded = {}

    def fake_write(history, out_dir, *, info, **kwargs):
        recorded.update(info)
        return dict(info)

    cfg = compose_node([*BASE, "experiment.scheduler=redis://:s3cret@127.0.0.1:16399"])
    monkeypatch.setattr(abc, "fit", lambda path, **kwargs: object())
    monkeypatch.setattr(abc, "write_results", fake_write)
    (tmp_path / ".abc.db.partial").write_bytes(b"")
    abc.run_experiment(OmegaConf.create(OmegaConf.to_container(cfg)), tmp_path)
    assert recorded["scheduler"] == "redis://:***@127.0.0.1:16399"
    assert "s3cret" not in json.dumps(recorded, default=str)


def test_a_scale_too_small_to_measure_the_patterns_is_one_line(tmp_path):
    """run.population_scale=0.001 passes the check of every pattern's municipality (enough residents to build), but
    most particles of the prior then measure nothing (no decided cycle, no voter aged 65+): pyabc's first threshold
    was nan and the command ended in its 35-line 'The epsilon threshold nan is invalid.' (the sixth tester)."""
    out = tmp_path / "out"
    base = [o if not o.startswith("run.population_scale=") else "run.population_scale=0.001" for o in BASE]
    proc = sim_command(*base, f"hydra.run.dir={out}", cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "epsilon threshold nan is invalid" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        "error: most particles of the prior cannot be measured with overrides ['run.population_scale=0.001']: their "
        "runs hold no decided cycle or no voter of a group a pattern compares (pyabc's first threshold is nan); "
        "allowed: municipalities large enough to measure every pattern, such as a larger run.population_scale; "
        f"the results in {out} are incomplete")
    assert not (out / "abc.json").exists()


@pytest.mark.parametrize(("lines", "message"), [
    ("citizens:\n  fear_mean: 0.1\n", "citizens.fear_mean=0.1 (the default: 0.4)"),
    ("run:\n  steps: 2\n", "run.steps=2 (the default: 72)"),
])
def test_an_experiment_file_setting_what_the_calibration_does_not_use_is_one_line(tmp_path, lines, message):
    """A calibration's experiment file of the user's own (kind: abc) with model keys in it: the calibration ran with
    the defaults, exit 0, the keys ignored without a word (only the command line's overrides were checked)."""
    folder = tmp_path / "cfg" / "experiment"
    folder.mkdir(parents=True)
    (folder / "mycal.yaml").write_text("# @package _global_\nexperiment:\n  name: mycal\n  kind: abc\n"
                                       "  abc_population: 4\n  abc_generations: 1\n" + lines)
    out = tmp_path / "out"
    proc = sim_command("--config-dir", str(tmp_path / "cfg"), "+experiment=mycal", "run.population_scale=0.05",
                       f"hydra.run.dir={out}", cwd=REPO)
    refused(proc, out, f"error: {message}: {UNUSED}; allowed: in a calibration's experiment file, experiment.*, seed "
                       "and run.population_scale")
