"""Past one machine, on one machine: multi-node set-ups that the tests host, and what a dead node does.

- Ray: a cluster of a head and two worker nodes (``ray.cluster_utils.Cluster``, as Ray's own
  tests do) runs a sweep through ``hydra/launcher=ray``; its runs record the node they ran on; a
  worker node is removed part-way (with Ray's retries off, so the sweep fails) and the sweep
  started again redoes only the missing runs.
- pyabc's Redis sampler with separate ``abc-redis-worker`` processes (Debian's redis-server, from
  ``make test-services``): a worker SIGKILLed mid-generation, and the calibration still ends; a
  worker that cannot import ``sim`` gives a clear error instead of a hang.
- pyabc's Dask sampler on a local cluster of worker processes: a worker SIGKILLed, and the
  calibration still ends.
- SLURM (slurm-wlm with munge and slurmdbd on MariaDB, from ``make test-services``; the daemons
  started for the tests with their own ports, keys and folders): a ``hydra/launcher=submitit_slurm``
  sweep; a job killed part-way (its python SIGKILLed, or the job cancelled with ``scancel``, which sends
  SIGTERM and, KillWait later, SIGKILL, as SLURM does at a time limit) fails the sweep cleanly and the
  sweep started again fills the gap.

Each test kills only processes it started, by PID (never ``ray stop --force``, which would stop
other Ray instances on the machine). All in one xdist group: they need both cores.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import pandas as pd
import psutil
import pytest

from sim.experiments import abc
from tests.experiments.hooks import slow_runs
from tests.helpers import REPO, alive, kill_group, repo_env, rerun_redoes_only_the_missing, statuses, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cluster")]

TINY = ["run.population_scale=0.02", "run.steps=12"]
SERVICES = "make test-services (root, Debian or Ubuntu) installs it"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_all(processes: list[psutil.Process]) -> None:
    """SIGKILL each process of the list that still runs (they were all started by this test)."""
    for p in alive(processes):
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(processes, timeout=10)


def run_params(out: Path) -> list[dict]:
    rows = []
    for p in out.glob("runs/*/*/params.json"):
        with contextlib.suppress(OSError, ValueError):
            rows.append({**json.loads(p.read_text()), "_dir": p.parent})
    return rows


# =========================================================================== Ray

@pytest.fixture(scope="module")
def ray_cluster():
    """A Ray cluster of a head and two worker nodes, one CPU each; started again once if the start
    times out under load (Ray waits a fixed 30 s for a node's agents)."""
    from ray.cluster_utils import Cluster

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    with pytest.MonkeyPatch.context() as mp:
        # the nodes' worker processes import this checkout's sim and tests (the sweep's callbacks)
        mp.setenv("PYTHONPATH", repo_env()["PYTHONPATH"])
        mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
        cluster = None
        for attempt in (1, 2):
            try:
                cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
                workers = [cluster.add_node(num_cpus=1) for _ in range(2)]
                cluster.wait_for_nodes()
                break
            except Exception:
                if cluster is not None:
                    with contextlib.suppress(Exception):
                        cluster.shutdown()
                kill_all([p for p in me.children(recursive=True) if p.pid not in before])
                cluster = None
                if attempt == 2:
                    raise
        assert cluster is not None
        try:
            yield cluster, workers
        finally:
            started = [p for p in me.children(recursive=True) if p.pid not in before]
            with contextlib.suppress(Exception):
                cluster.shutdown()
            kill_all(started)  # agents that ignore SIGTERM after a node was removed


def ray_sweep(address: str, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout",
            "design=none,consultation,ideas_platform,citizens_panel", "experiment.replicates=3", *TINY,
            "experiment.figures=false", f"hydra.sweep.dir={out}", "hydra/launcher=ray",
            f"+hydra.launcher.ray.init.address={address}", "+hydra.launcher.ray.init.object_store_memory=null",
            *extra]


def test_ray_sweep_spreads_over_nodes_and_a_dead_node_costs_only_its_missing_runs(ray_cluster, tmp_path):
    cluster, (victim, _) = ray_cluster
    nodes = {cluster.head_node.node_id, *(n.node_id for n in cluster.worker_nodes)}
    out = tmp_path / "sweep"
    # Ray's retries off: a job on the dead node fails the sweep instead of running again elsewhere
    cmd = ray_sweep(cluster.address, out, "+hydra.launcher.ray.remote.max_retries=0")
    proc = subprocess.Popen([*cmd, *slow_runs(1.0)], cwd=REPO, env=repo_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)

    def victim_has_finished_a_run() -> bool:
        on_victim = {p["_dir"].parent for p in run_params(out) if p.get("ray_node") == victim.node_id}
        return any((d / "status.json").exists() for c in on_victim for d in c.iterdir())

    try:
        assert wait_until(victim_has_finished_a_run, timeout=240), "no job ran on the worker node"
        cluster.remove_node(victim, allow_graceful=False)
        _, err = proc.communicate(timeout=300)
    finally:
        kill_group(proc)
    assert proc.returncode != 0, "the sweep should fail when a node dies with retries off"
    assert "NodeDiedError" in err, err[-3000:]
    first = statuses(out)
    assert 1 <= len(first) < 12
    ran_on = {p["ray_node"] for p in run_params(out)}
    assert ran_on <= nodes and victim.node_id in ran_on and len(ran_on) >= 2  # spread over the nodes

    # started again on the same folder (two nodes left): only the missing runs are done
    runs = rerun_redoes_only_the_missing(cmd, out, repo_env(), first, total=12)
    assert len(runs) == 12 and runs["ray_node"].notna().all() and set(runs["ray_node"]) <= nodes
    assert "ray_node" not in pd.read_parquet(out / "summary_table.parquet").columns


# =========================================================================== pyabc: Redis and Dask

@pytest.fixture
def redis_server(tmp_path, request):
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail(f"redis-server is not installed: {SERVICES}")
    import redis

    port = free_port()
    password = getattr(request, "param", None)  # indirect parametrization: a server that asks for a password
    server = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path), *(["--requirepass", password] if password else [])],
                              stdout=subprocess.DEVNULL, start_new_session=True)
    client = redis.Redis(host="127.0.0.1", port=port, password=password)
    try:
        assert wait_until(lambda: _pings(client), timeout=20), "redis-server did not start"
        yield port, client
    finally:
        client.close()
        kill_group(server)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


def start_redis_worker(port: int, log: Path, code: str | None = None, password: str | None = None) -> subprocess.Popen:
    """An ``abc-redis-worker`` process (its own session), importing this checkout's sim."""
    if code is None:
        cmd = [str(Path(sys.executable).parent / "abc-redis-worker"), "--host=127.0.0.1", f"--port={port}",
               "--runtime=10m", "--processes=1", *([f"--password={password}"] if password else [])]
    else:
        cmd = [sys.executable, "-c", code]
    with log.open("w") as fh:  # the child writes to its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=REPO, env=repo_env(), stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)


def fit_in_thread(**kwargs) -> tuple[threading.Thread, dict]:
    """abc.fit in a thread (a test fails on a timeout instead of hanging); its history or error."""
    result: dict = {}

    def target() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result["history"] = abc.fit(**kwargs)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, result


def test_redis_workers_one_killed_mid_generation_and_the_calibration_ends(redis_server, tmp_path):
    port, client = redis_server
    workers = [start_redis_worker(port, tmp_path / f"worker{i}.log") for i in (1, 2)]
    try:
        thread, result = fit_in_thread(db_path=tmp_path / "abc.db", population=16, generations=2,
                                       overrides=["run.population_scale=0.15"], scheduler=f"redis://127.0.0.1:{port}",
                                       watchdog={"grace": 3.0, "timeout": 120.0})

        def evaluating_generation_1() -> bool:
            ana = client.get("analysis_id")
            if ana is None or client.get(f"generation_{ana.decode()}") != b"1":
                return False
            return int(client.get(f"n_eval_{ana.decode()}_1") or 0) >= 4

        assert wait_until(evaluating_generation_1, timeout=240, interval=0.05), \
            (tmp_path / "worker1.log").read_text()[-2000:]
        kill_group(workers[0])  # mid-particle: it never reports it, nor signs off
        thread.join(timeout=300)
        assert not thread.is_alive(), "the calibration hung after a worker died"
        assert "error" not in result, result.get("error")
        history = result["history"]
        assert history.max_t == 1 and len(history.get_population(t=1).particles) == 16
    finally:
        for worker in workers:
            kill_group(worker)


@pytest.mark.parametrize("redis_server", ["s3cret"], indirect=True)
def test_a_calibration_on_a_redis_with_a_password_writes_it_into_no_result(redis_server, tmp_path):
    """The command line with experiment.scheduler=redis://:<password>@host:port: the calibration ends, and abc.json and
    experiment.json record the URL with *** for the password, and so do Hydra's records of the command line
    (.hydra/): no file holds it."""
    port, _ = redis_server
    worker = start_redis_worker(port, tmp_path / "worker.log", password="s3cret")
    out = tmp_path / "abc"
    try:
        proc = subprocess.run([sys.executable, "-m", "sim", "+experiment=calibration_abc", "run.population_scale=0.05",
                               "experiment.abc_population=4", "experiment.abc_generations=1",
                               f"experiment.scheduler=redis://:s3cret@127.0.0.1:{port}", f"hydra.run.dir={out}"],
                              cwd=REPO, env=repo_env(), capture_output=True, text=True, timeout=300)
    finally:
        kill_group(worker)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = f"redis://:***@127.0.0.1:{port}"
    assert json.loads((out / "abc.json").read_text())["scheduler"] == shown
    assert json.loads((out / "experiment.json").read_text())["scheduler"] == shown
    assert [p.relative_to(out) for p in out.rglob("*") if p.is_file() and b"s3cret" in p.read_bytes()] == []
    assert f"experiment.scheduler={shown}" in (out / ".hydra" / "overrides.yaml").read_text()


def test_a_redis_worker_that_cannot_import_sim_gives_a_clear_error(redis_server, tmp_path):
    port, _ = redis_server
    code = textwrap.dedent(f"""
        import sys

        class NoSim:  # as on a machine where this project is not installed
            def find_spec(self, name, path=None, target=None):
                if name == "sim" or name.startswith("sim."):
                    raise ModuleNotFoundError(f"No module named {{name!r}}")

        sys.meta_path.insert(0, NoSim())
        sys.argv = ["abc-redis-worker", "--host=127.0.0.1", "--port={port}", "--runtime=2m"]
        from pyabc.sampler.redis_eps.cli import work
        work()
    """)
    worker = start_redis_worker(port, tmp_path / "worker.log", code=code)
    try:
        thread, result = fit_in_thread(db_path=tmp_path / "abc.db", population=4, generations=1,
                                       overrides=["run.population_scale=0.05"], scheduler=f"redis://127.0.0.1:{port}",
                                       watchdog={"grace": 3.0, "timeout": 8.0})
        thread.join(timeout=120)
        assert not thread.is_alive(), "the calibration hung"
        error = result.get("error")
        assert isinstance(error, abc.WorkersGone), error
        assert "no Redis worker has evaluated a particle of ABC generation" in str(error)
        assert "cannot import sim" in str(error)
        assert "No module named 'sim" in (tmp_path / "worker.log").read_text()
    finally:
        kill_group(worker)


@pytest.mark.filterwarnings("ignore")
def test_dask_worker_killed_and_the_calibration_ends(tmp_path):
    from distributed import Client, LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    db = tmp_path / "abc.db"
    try:
        thread, result = fit_in_thread(db_path=db, population=16, generations=2,
                                       overrides=["run.population_scale=0.15"], scheduler=cluster.scheduler_address)

        def generation_0_stored() -> bool:
            try:
                with contextlib.closing(sqlite3.connect(db, timeout=1)) as con:
                    return bool(con.execute("select count(*) from populations where t >= 0").fetchone()[0])
            except sqlite3.Error:
                return False

        assert wait_until(generation_0_stored, timeout=240), "generation 0 did not end"
        time.sleep(1.0)  # generation 1 is being evaluated
        pids = client.run(os.getpid)
        victim = psutil.Process(sorted(pids.values())[0])
        victim.kill()
        thread.join(timeout=300)
        assert not thread.is_alive(), "the calibration hung after a worker died"
        assert "error" not in result, result.get("error")
        history = result["history"]
        assert history.max_t == 1 and len(history.get_population(t=1).particles) == 16
        assert wait_until(lambda: len(client.scheduler_info()["workers"]) == 2, timeout=60)  # the nanny restarted it
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            client.close()
            cluster.close()


# =========================================================================== SLURM

@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    from tests.experiments.local_slurm import LocalSlurm, missing

    if missing():
        pytest.fail(f"SLURM is not installed ({', '.join(missing())} missing): {SERVICES}")
    with LocalSlurm(tmp_path_factory.mktemp("slurm")) as cluster:
        yield cluster


def slurm_sweep(out: Path) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", "+experiment=design_comparison", "scenario=kampenhout",
            "design=none,consultation,ideas_platform", "experiment.replicates=3", *TINY, "experiment.figures=false",
            f"hydra.sweep.dir={out}", "hydra/launcher=submitit_slurm", "hydra.launcher.partition=debug",
            "hydra.launcher.timeout_min=10", "hydra.launcher.cpus_per_task=1"]


@pytest.mark.parametrize("how", ["sigkill", "scancel"])
def test_slurm_sweep_a_killed_job_fails_it_cleanly_and_the_rerun_fills_the_gap(slurm, tmp_path, how):
    """A job's python killed (SIGKILL, as the OOM killer or a crash would) or its job cancelled (``scancel``:
    SLURM sends SIGTERM, then SIGKILL after its KillWait, as at a time limit): the sweep fails naming the
    job's end, the runs finished before are kept, and the same command again runs only the missing ones."""
    out = tmp_path / "sweep"
    env = repo_env(SLURM_CONF=slurm.env["SLURM_CONF"])
    cmd = slurm_sweep(out)
    # scancel: submitit's job ignores the SIGTERM (as it must to requeue at a time limit) and the SIGKILL comes
    # KillWait (5 s here) later; a run of 15 s is cut by it
    proc = subprocess.Popen([*cmd, *slow_runs(1.0 if how == "sigkill" else 15.0)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed: dict = {}

    def a_job_is_half_done() -> bool:
        for p in run_params(out):
            runs = list(p["_dir"].parent.glob("*/status.json"))
            if runs and not (p["_dir"] / "status.json").exists():  # a run in progress after a finished one
                killed.update(p)
                return True
        return False

    try:
        assert wait_until(a_job_is_half_done, timeout=240), "no SLURM job got going"
        if how == "sigkill":
            os.kill(killed["pid"], signal.SIGKILL)  # the job's python, as the OOM killer or a crash would
        else:
            subprocess.run(["scancel", str(killed["slurm_job"])], env=slurm.env, check=True, timeout=30)
        _, err = proc.communicate(timeout=300)
    finally:
        kill_group(proc)
    assert proc.returncode != 0, "the sweep should fail when a job dies"
    assert "UncompletedJobError" in err and ("FAILED" if how == "sigkill" else "CANCELLED") in err, err[-3000:]
    assert killed.get("slurm_job"), killed  # runs record their SLURM job
    first = statuses(out)
    assert 1 <= len(first) < 9

    runs = rerun_redoes_only_the_missing(cmd, out, env, first, total=9)
    assert len(runs) == 9 and runs["slurm_job"].notna().all()
    assert wait_until(lambda: not subprocess.run(["squeue", "-h"], env=slurm.env, capture_output=True,
                                                 text=True).stdout.strip(), timeout=60)
