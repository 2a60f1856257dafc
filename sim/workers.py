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

:func:`stop_on_sigterm` makes SIGTERM (``kill``, SLURM at a job's time limit) stop the launching
process as Ctrl-C does, and leaves the default action of SIGTERM to the children forked from it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
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


# =========================================================================== SIGTERM in the launching process

class Terminated(KeyboardInterrupt):
    """SIGTERM reached the launching process: raised where Ctrl-C raises ``KeyboardInterrupt`` (a subclass of
    it), so everything that cleans up after Ctrl-C (joblib stopping its workers, ``finally`` blocks, the
    command's one line) cleans up after SIGTERM the same way."""


#: The process whose SIGTERM raises :class:`Terminated` (0: none); a forked child has another pid.
_terminating: int = 0
#: Whether the fork hook that gives forked children the default SIGTERM is registered (once per process).
_fork_hook = False


def _raise_terminated(signum: int, frame: object) -> None:
    if os.getpid() != _terminating:
        # a child forked from the launcher (the fork hook restores the default before this can run; this is
        # the second guard): die of the signal as it would without the handler, not raise in a worker
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated


#: Per thread: whether the fork under way blocked SIGTERM (:func:`_block_sigterm`).
_forking = threading.local()


def _block_sigterm() -> None:
    """Before a fork in the launcher: SIGTERM waits (pending) until each side has the handler it should have."""
    _forking.blocked = (signal.getsignal(signal.SIGTERM) is _raise_terminated
                        and signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}))


def _unblock_sigterm() -> None:
    if getattr(_forking, "blocked", False):
        _forking.blocked = False
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _default_sigterm_in_child() -> None:
    """After a fork: a child (pyabc's local sampler, a process pool, multiprocessing) keeps SIGTERM's default; a
    SIGTERM that came during the fork is delivered when unblocked, to that default (it is not lost)."""
    if signal.getsignal(signal.SIGTERM) is _raise_terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _unblock_sigterm()


def stop_on_sigterm() -> Callable[[], None]:
    """In the launching process: make SIGTERM raise :class:`Terminated`, as Ctrl-C raises ``KeyboardInterrupt``;
    the function that puts the previous handler back.

    SIGTERM is what ``kill`` sends by default and what SLURM sends at a job's time limit. Only this process
    raises: children forked from it after this call (fork, ``multiprocessing``, ``ProcessPoolExecutor``,
    the ABC's local sampler :mod:`sim.experiments.abc_sampler`) get the default action back at the fork, so
    they die of the signal as before; processes started by exec (loky's workers, subprocesses) never inherit a
    Python handler. Nothing is done outside the main thread, where Python allows no handler (the function
    returned does nothing).
    """
    global _terminating, _fork_hook
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    before, _terminating = _terminating, os.getpid()
    if not _fork_hook:
        os.register_at_fork(before=_block_sigterm, after_in_parent=_unblock_sigterm,
                            after_in_child=_default_sigterm_in_child)
        _fork_hook = True

    def restore() -> None:
        global _terminating
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
        _terminating = before

    return restore
