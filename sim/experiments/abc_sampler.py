"""An ABC-SMC sampler whose result does not depend on how many processes evaluate it, or which finishes first.

Why
    pyabc's local sampler (``MulticoreEvalParallelSampler``) reseeds each worker from the clock and keeps
    whichever particles are accepted first, so two calibrations with the same seed on two processes differ
    (before this module the project said so: "the same in distribution, not bit for bit"), and one on one
    process (``SingleCoreSampler``) differs from one on two. The project's rule is that the same
    configuration and seed give identical results in any process; it also makes a calibration's time
    comparable between two versions of the code, which then evaluate the same particles.
How
    Evaluation ``k`` of generation ``t`` (a proposal drawn from the last generation's perturbation kernel, or
    from the prior, then the model's verdict) starts from numpy's and Python's global generators seeded with
    :func:`evaluation_seed` of the calibration's seed, ``t`` and ``k``: pyabc draws its proposals from them,
    and the model's runs take their seed from the particle (:func:`sim.experiments.abc.particle_seed`), so
    evaluation ``k`` is a function of ``(seed, t, k)`` and the last generation alone. Workers take the numbers
    ``k = 0, 1, 2, ...`` in turn; the generation is the evaluations ``0..K``, where ``K`` is the number of the
    ``n``-th accepted one, in that order, whatever the order they finished in. Once ``n`` accepted ones are
    known, no worker starts a number above the ``n``-th of them; a number a worker started before that
    (at most one a worker) is evaluated and dropped. That waste, the evaluations pyabc's own sampler would
    also have dropped, is the price: the generation's count of evaluations (``nr_evaluations_``, which pyabc
    stores) is ``K + 1``, the evaluations it is made of; :attr:`DeterministicSampler.dropped_` counts the rest.
    With one process the evaluations run in the calling process (no fork: tests can count and patch), with
    the global generators' state kept as it was, so one process and several give the same generations.
"""

from __future__ import annotations

import bisect
import logging
import random
from collections.abc import Callable
from ctypes import c_longlong
from typing import Any

import numpy as np
from pyabc.sampler.multicorebase import MultiCoreSampler, get_if_worker_healthy
from pyabc.sampler.util import get_mp_context
from tqdm import tqdm

log = logging.getLogger(__name__)

__all__ = ["DeterministicSampler", "evaluation_seed"]

_DONE = "done"
_NO_LIMIT = 2**62
#: A word in the seed's entropy that keeps these streams apart from the model's (:func:`particle_seed`).
_DOMAIN = 0xABC5


def evaluation_seed(root: int, t: int, k: int) -> np.ndarray:
    """The state that seeds the global generators before evaluation ``k`` of generation ``t`` (``t`` may be
    negative: pyabc's calibration sample), from numpy's SeedSequence of the calibration's ``root`` seed."""
    return np.random.SeedSequence([int(root) & 0xFFFFFFFF, _DOMAIN, int(t) & 0xFFFFFFFF, int(k)]).generate_state(4)


def _evaluate(simulate_one: Callable[[], Any], root: int, t: int, k: int) -> Any:
    """Evaluation ``k``: the global generators seeded for it, then pyabc's proposal and the model's verdict."""
    state = evaluation_seed(root, t, k)
    np.random.seed(state)  # noqa: NPY002 (pyabc draws its proposals from the global generator)
    random.seed(int(state[0]))
    return simulate_one()


def _work(simulate_one: Callable[[], Any], root: int, t: int, queue: Any, taken: Any, limit: Any,
          stop_before: int) -> None:
    """A worker process: take the next number while it is at most ``limit`` and below ``stop_before``,
    evaluate it, send ``(k, particle)``; say when done."""
    while True:
        with taken.get_lock():
            k = taken.value
            if k > limit.value or k >= stop_before:
                break
            taken.value = k + 1
        queue.put((k, _evaluate(simulate_one, root, t, k)))
    queue.put(_DONE)


class _Tally:
    """The evaluations received so far, by number, and the number of the ``n``-th accepted one."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.particles: dict[int, Any] = {}
        self.accepted: list[int] = []

    def add(self, k: int, particle: Any) -> int | None:
        """Record evaluation ``k``; the number of the ``n``-th accepted evaluation received so far, or None."""
        self.particles[k] = particle
        if particle.accepted:
            bisect.insort(self.accepted, k)
        return self.accepted[self.n - 1] if len(self.accepted) >= self.n else None

    def last(self) -> int:
        """The number of the generation's last evaluation: the ``n``-th accepted, or the last received."""
        if len(self.accepted) >= self.n:
            return self.accepted[self.n - 1]
        return max(self.particles, default=-1)


class DeterministicSampler(MultiCoreSampler):
    """pyabc's evaluation-parallel sampling on local processes, with a result fixed by the seed (module doc).

    ``seed``: the calibration's seed (:func:`sim.experiments.abc.fit`'s); ``n_procs``: the processes (one
    evaluates in the calling process).
    """

    def __init__(self, seed: int, n_procs: int = 1) -> None:
        super().__init__(n_procs=max(int(n_procs), 1), daemon=True)
        self.seed = int(seed)
        self.dropped_ = 0
        self.show_progress = False

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *,
                                max_eval: float = np.inf, all_accepted: bool = False, ana_vars: Any = None) -> Any:
        """The evaluations ``0..K`` of generation ``t`` in their order, ``K`` the ``n``-th accepted (all of them
        when ``all_accepted``: pyabc's calibration sample, every evaluation accepted)."""
        stop_before = int(n) if all_accepted else (int(max_eval) if self.check_max_eval and np.isfinite(max_eval)
                                                   else _NO_LIMIT)
        tally = _Tally(int(n))
        if self.n_procs == 1:
            self._here(simulate_one, t, tally, stop_before)
        else:
            self._forked(simulate_one, t, tally, stop_before)
        last = tally.last()
        sample = self._create_empty_sample()
        for k in range(last + 1):
            sample.append(tally.particles[k])
        self.nr_evaluations_ = last + 1
        self.dropped_ = len(tally.particles) - (last + 1)
        log.debug("ABC generation %d: %d evaluations kept, %d more evaluated and dropped", t, last + 1, self.dropped_)
        if sample.n_accepted < n:
            sample.ok = False
        return sample

    def _here(self, simulate_one: Callable[[], Any], t: int, tally: _Tally, stop_before: int) -> None:
        """One process: evaluate in turn until the ``n``-th acceptance, the global generators left as found."""
        saved = np.random.get_state(), random.getstate()  # noqa: NPY002
        try:
            k = 0
            while k < stop_before and tally.add(k, _evaluate(simulate_one, self.seed, t, k)) is None:
                k += 1
        finally:
            np.random.set_state(saved[0])  # noqa: NPY002
            random.setstate(saved[1])

    def _forked(self, simulate_one: Callable[[], Any], t: int, tally: _Tally, stop_before: int) -> None:
        """Several processes forked from this one (pyabc's local way: nothing is pickled on the way there)."""
        ctx = get_mp_context()
        taken, limit = ctx.Value(c_longlong, 0), ctx.Value(c_longlong, _NO_LIMIT)
        queue = ctx.Queue()
        args = (simulate_one, self.seed, t, queue, taken, limit, stop_before)
        workers = [ctx.Process(target=_work, args=args, daemon=self.daemon) for _ in range(self.n_procs)]
        for w in workers:
            w.start()
        done = 0
        with tqdm(total=tally.n, disable=not self.show_progress, leave=False, unit="accepted") as bar:
            while done < len(workers):
                item = get_if_worker_healthy(workers, queue)
                if item == _DONE:
                    done += 1
                    continue
                k, particle = item
                nth = tally.add(k, particle)
                if particle.accepted:
                    bar.update()
                if nth is not None and nth < limit.value:
                    limit.value = nth  # no worker starts a number above the n-th acceptance known so far
        for w in workers:
            w.join()
