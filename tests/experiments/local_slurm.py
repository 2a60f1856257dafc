"""A single-node SLURM cluster for the tests, in a folder of its own.

Debian's slurm-wlm with accounting (slurmdbd on MariaDB: submitit asks ``sacct`` for the state
of a job, and without accounting a job that dies leaves the sweep waiting forever), started as
root without systemd or cgroups. Everything it runs has its own ports, database folder, state
and logs, so two of them can run side by side; munge, which authenticates the daemons, is the
machine's (one per machine; started here, and stopped after, when it does not run).
``make test-services`` installs the packages.

    with LocalSlurm(folder) as slurm:   # ~10 s
        subprocess.run(["sinfo"], env=slurm.env)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PACKAGES = ("slurmctld", "slurmd", "slurmdbd", "sacctmgr", "munged", "mungekey", "mariadbd", "mariadb-install-db")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _exe(name: str) -> str:
    for folder in ("", "/usr/sbin/", "/usr/bin/"):
        path = shutil.which(name) if not folder else (folder + name if os.path.exists(folder + name) else None)
        if path:
            return path
    raise FileNotFoundError(name)


def missing() -> list[str]:
    """The programs of the packages this needs that are not installed."""
    out = []
    for name in PACKAGES:
        try:
            _exe(name)
        except FileNotFoundError:
            out.append(name)
    return out


class LocalSlurm:
    """Starts munged, MariaDB, slurmdbd, slurmctld and slurmd in ``folder``; stops them by PID."""

    def __init__(self, folder: Path, cpus: int | None = None) -> None:
        self.dir = Path(folder)
        self.cpus = cpus or os.cpu_count() or 1
        self.cluster = f"sim{os.getpid()}"
        self.env = dict(os.environ, SLURM_CONF=str(self.dir / "slurm.conf"))
        self.pid_files: list[Path] = []
        self.mariadb: subprocess.Popen | None = None

    # ------------------------------------------------------------------ helpers
    def _run(self, *cmd: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(list(cmd), env=self.env, capture_output=True, text=True, timeout=timeout, check=True)

    def _wait(self, what: str, ok, timeout: float = 60) -> None:
        deadline, last = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            try:
                if ok():
                    return
            except subprocess.CalledProcessError as exc:
                last = f"{exc.cmd}: {exc.stderr or exc.stdout}"
            except Exception as exc:
                last = repr(exc)
            time.sleep(0.2)
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted((self.dir / "log").glob("*.log")))
        raise RuntimeError(f"local SLURM: {what} did not come up in {timeout:.0f} s ({last})\n{logs}")

    # ------------------------------------------------------------------ start and stop
    def start(self) -> LocalSlurm:
        d = self.dir
        for sub in ("state", "spool", "log", "db"):
            (d / sub).mkdir(parents=True, exist_ok=True)

        # munge: the machine's daemon (one per machine, as on a cluster's nodes), started if it is not running
        if subprocess.run(["munge", "-n"], capture_output=True).returncode != 0:
            key = Path("/etc/munge/munge.key")
            if not key.exists():
                self._run(_exe("mungekey"), "--create")
                shutil.chown(key, "munge", "munge")
            Path("/run/munge").mkdir(parents=True, exist_ok=True)
            shutil.chown("/run/munge", "munge", "munge")
            self._run("runuser", "-u", "munge", "--", _exe("munged"))
            self.pid_files.append(Path("/run/munge/munged.pid"))  # stopped with the rest: it was not running
            self._wait("munged", lambda: subprocess.run(["munge", "-n"], capture_output=True).returncode == 0)

        # MariaDB for the accounting, in our folder, without grant tables (reachable on localhost only)
        db_port = _free_port()
        self._run(_exe("mariadb-install-db"), "--no-defaults", f"--datadir={d / 'db'}", "--user=root",
                  "--skip-test-db", "--auth-root-authentication-method=normal", timeout=120)
        with (d / "log" / "mariadb.log").open("w") as log:
            self.mariadb = subprocess.Popen(
                [_exe("mariadbd"), "--no-defaults", f"--datadir={d / 'db'}", "--user=root",
                 f"--socket={d / 'mysql.sock'}", f"--port={db_port}", "--bind-address=127.0.0.1",
                 "--skip-grant-tables", "--innodb-buffer-pool-size=16M", f"--pid-file={d / 'mariadb.pid'}"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid_files.append(d / "mariadb.pid")
        self._wait("MariaDB", lambda: socket.create_connection(("127.0.0.1", db_port), timeout=1).close() is None)

        dbd_port, ctld_port, slurmd_port = _free_port(), _free_port(), _free_port()
        (d / "slurmdbd.conf").write_text("\n".join([
            "AuthType=auth/munge", "DbdHost=localhost", "DbdAddr=127.0.0.1", f"DbdPort={dbd_port}",
            "SlurmUser=root", f"LogFile={d / 'log' / 'slurmdbd.log'}", f"PidFile={d / 'slurmdbd.pid'}",
            "StorageType=accounting_storage/mysql", "StorageHost=127.0.0.1", f"StoragePort={db_port}",
            f"StorageLoc=acct_{self.cluster}", "StorageUser=root", ""]))
        (d / "slurmdbd.conf").chmod(0o600)
        host = socket.gethostname().split(".")[0]
        (d / "slurm.conf").write_text("\n".join([
            f"ClusterName={self.cluster}", f"SlurmctldHost={host}(127.0.0.1)", "SlurmUser=root", "SlurmdUser=root",
            "AuthType=auth/munge", "CredType=cred/munge", f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={slurmd_port}", f"StateSaveLocation={d / 'state'}", f"SlurmdSpoolDir={d / 'spool'}",
            f"SlurmctldPidFile={d / 'slurmctld.pid'}", f"SlurmdPidFile={d / 'slurmd.pid'}",
            f"SlurmctldLogFile={d / 'log' / 'slurmctld.log'}", f"SlurmdLogFile={d / 'log' / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/slurmdbd", "AccountingStorageHost=127.0.0.1",
            f"AccountingStoragePort={dbd_port}", "JobCompType=jobcomp/none", "MpiDefault=none",
            "MailProg=/bin/true", "SchedulerType=sched/backfill", "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core", "ReturnToService=2", "SlurmdTimeout=30", "InactiveLimit=0",
            "KillWait=5", "MinJobAge=60",
            f"NodeName=localhost NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory=4000 State=UNKNOWN",
            "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP", ""]))

        self._run(_exe("slurmdbd"))
        self.pid_files.append(d / "slurmdbd.pid")
        self._wait("slurmdbd", lambda: socket.create_connection(("127.0.0.1", dbd_port), timeout=1).close() is None)
        self._wait("the accounting", lambda: self._run(_exe("sacctmgr"), "-i", "add", "cluster", self.cluster)
                   .returncode == 0, timeout=60)
        self._run(_exe("slurmctld"), "-f", str(d / "slurm.conf"))
        self.pid_files.append(d / "slurmctld.pid")
        self._run(_exe("slurmd"), "-f", str(d / "slurm.conf"), "-N", "localhost")
        self.pid_files.append(d / "slurmd.pid")
        self._wait("the node", lambda: "idle" in self._run("sinfo", "-h", "-o", "%T").stdout, timeout=60)
        return self

    def stop(self) -> None:
        """Stop every daemon by the PID it recorded (slurmd first, munged last); SIGKILL what lingers."""
        pids = []
        for path in reversed(self.pid_files):
            with contextlib.suppress(OSError, ValueError):
                pid = int(path.read_text().split()[0])
                os.kill(pid, signal.SIGTERM)
                pids.append(pid)
        deadline = time.monotonic() + 15
        for pid in pids:
            while time.monotonic() < deadline and _running(pid):
                time.sleep(0.1)
            if _running(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        if self.mariadb is not None:  # our child: reaped here
            if self.mariadb.poll() is None:
                self.mariadb.kill()
            self.mariadb.wait()

    def __enter__(self) -> LocalSlurm:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie (dead, not yet reaped) does not run
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
