"""Worker processes die with the process that started them.

A sweep's launcher (Hydra's joblib launcher: loky workers) and the library's process pools
(:func:`sim.compare` with ``n_jobs``, the validation runner, scenario discovery, pyabc's local
sampler) start worker processes. When the launcher is killed (SIGKILL, the OOM killer, a closed
terminal), the workers would be re-parented to PID 1 and run on: they finish their jobs, write
runs nobody gathers, and race a sweep started again on the same folder. A worker that calls
:func:`die_with_parent` exits as soon as its parent is gone:

- on Linux the kernel sends it SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
- everywhere, a daemon thread checks ``os.getppid()`` twice a second and ends the process when
  the parent changed (macOS has no prctl; and prctl fires when the *thread* that started the
  worker ends, which loky's replacement workers would meet at an executor's shutdown).

Only a direct child of the launching process watches: the launcher records its pid in
``SIM_LAUNCHER_PID`` (:func:`mark_launcher`) before any worker starts, and workers inherit the
environment. A job that runs in the launcher itself (the basic launcher), in a Ray worker
(its parent is the raylet) or in a SLURM task (slurmstepd) is left alone: those have their own
supervision. A run killed this way has no ``status.json`` (written last), so starting the sweep
again redoes it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

#: The environment variable holding the launching process's pid.
ENV = "SIM_LAUNCHER_PID"
#: prctl option: the signal a process receives when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
#: Exit status of a worker whose parent died (EX_SOFTWARE).
ORPHANED = 70

#: (this process's pid, the parent it watches): a forked child inherits it but does not watch yet.
_watching: tuple[int, int] | None = None
_lock = threading.Lock()


def mark_launcher() -> None:
    """In the launching process, before any worker starts: tell the workers whom to watch."""
    os.environ[ENV] = str(os.getpid())


def _watch(parent: int, poll: float) -> None:
    while True:
        time.sleep(poll)
        if os.getppid() != parent:
            # no clean-up, no atexit handlers: loky's and multiprocessing's would wait for the dead parent
            os._exit(ORPHANED)


def die_with_parent(parent: int | None = None, poll: float = 0.5) -> bool:
    """Make this process exit when ``parent`` dies; True when it now watches.

    ``parent`` defaults to ``SIM_LAUNCHER_PID``. Nothing is done when this process is not a
    direct child of ``parent`` (see the module's docstring) or already watches; cheap to call
    at the start of every job.
    """
    global _watching
    if parent is None:
        parent = int(os.environ.get(ENV, "0") or 0)
    with _lock:
        if _watching is not None and _watching[0] == os.getpid():
            return _watching[1] == parent
        if not parent or os.getpid() == parent or os.getppid() != parent:
            return False
        _watching = (os.getpid(), parent)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the thread below does the work
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(ORPHANED)
    threading.Thread(target=_watch, args=(parent, poll), name="sim-parent-watch", daemon=True).start()
    return True


def process_pool(max_workers: int) -> ProcessPoolExecutor:
    """A ``ProcessPoolExecutor`` whose workers die with this process (see :func:`die_with_parent`)."""
    return ProcessPoolExecutor(max_workers=max_workers, initializer=die_with_parent, initargs=(os.getpid(),))
