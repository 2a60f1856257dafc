"""The ABC sampler whose generations the seed fixes (sim.experiments.abc_sampler): the same generation from one
process or several, whichever finishes first; the first ``n`` acceptances in the order of their numbers."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from pyabc import Parameter
from pyabc.population import Particle, SampleFactory

from sim.experiments.abc_sampler import DeterministicSampler, evaluation_seed


def _toy(delay: bool = False):
    """A stand-in for pyabc's ``simulate_one``: a proposal from the global generator, accepted below 0.3. With
    ``delay`` the even draws take longer, so that two processes finish out of order."""

    def simulate_one() -> Particle:
        u = float(np.random.random())  # noqa: NPY002 (as pyabc draws its proposals)
        if delay and int(u * 1000) % 2 == 0:
            time.sleep(0.01)
        return Particle(m=0, parameter=Parameter({"u": u}), weight=1.0, sum_stat={"u": u}, distance=u,
                        accepted=u < 0.3)

    return simulate_one


def _sample(procs: int, n: int = 5, t: int = 0, seed: int = 7, delay: bool = False, **kwargs):
    sampler = DeterministicSampler(seed, n_procs=procs)
    sampler.sample_factory = SampleFactory(record_rejected=True)
    sample = sampler.sample_until_n_accepted(n, _toy(delay), t, **kwargs)
    return sampler, sample


def _draws(seed: int, t: int, count: int) -> list[float]:
    """What evaluation k of generation t draws, k = 0 .. count - 1, from its own seed."""
    return [float(np.random.RandomState(evaluation_seed(seed, t, k)).random()) for k in range(count)]


def test_a_generation_is_the_first_n_acceptances_in_the_order_of_their_numbers():
    draws = _draws(7, 0, 200)
    accepted_at = [k for k, u in enumerate(draws) if u < 0.3]
    last = accepted_at[4]
    sampler, sample = _sample(1)
    assert [p.parameter["u"] for p in sample.accepted_particles] == [draws[k] for k in accepted_at[:5]]
    assert sorted(p.parameter["u"] for p in sample.rejected_particles) == sorted(
        u for u in draws[:last + 1] if u >= 0.3)
    assert sampler.nr_evaluations_ == last + 1 and sampler.dropped_ == 0 and sample.ok


@pytest.mark.parametrize("procs", [2, 3])
def test_several_processes_give_the_generation_one_process_gives(procs):
    _, one = _sample(1, n=8, delay=True)
    sampler, many = _sample(procs, n=8, delay=True)
    key = [(p.parameter["u"], p.accepted) for p in one.all_particles]
    assert [(p.parameter["u"], p.accepted) for p in many.all_particles] == key
    assert sampler.nr_evaluations_ == len(key)
    assert sampler.dropped_ >= 0


def test_generations_and_seeds_draw_apart():
    assert _draws(7, 0, 20) != _draws(7, 1, 20) != _draws(8, 0, 20)
    assert _draws(7, -1, 20) != _draws(7, 0, 20)  # pyabc's calibration sample is generation -1


def test_the_calibration_sample_takes_the_first_n_evaluations():
    """pyabc's calibration sample accepts every evaluation (all_accepted): the numbers 0 .. n - 1."""

    def every_one() -> Particle:
        u = float(np.random.random())  # noqa: NPY002
        return Particle(m=0, parameter=Parameter({"u": u}), weight=1.0, sum_stat={"u": u}, distance=u)

    for procs in (1, 2):
        sampler = DeterministicSampler(3, n_procs=procs)
        sampler.sample_factory = SampleFactory(record_rejected=True)
        sample = sampler.sample_until_n_accepted(6, every_one, -1, all_accepted=True)
        assert [p.parameter["u"] for p in sample.accepted_particles] == _draws(3, -1, 6)
        assert sampler.nr_evaluations_ == 6


@pytest.mark.parametrize("procs", [1, 2])
def test_a_limit_of_evaluations_ends_a_generation_short_and_says_so(procs):
    sampler = DeterministicSampler(7, n_procs=procs)
    sampler.check_max_eval = True
    sampler.sample_factory = SampleFactory(record_rejected=True)
    sample = sampler.sample_until_n_accepted(50, _toy(), 0, max_eval=20)
    assert not sample.ok and sampler.nr_evaluations_ == 20
    assert [p.parameter["u"] for p in sample.all_particles if p.accepted] == [u for u in _draws(7, 0, 20) if u < 0.3]


def test_one_process_leaves_the_global_generators_as_it_found_them():
    np.random.seed(11)  # noqa: NPY002
    random.seed(11)
    expected = np.random.random(), random.random()  # noqa: NPY002
    np.random.seed(11)  # noqa: NPY002
    random.seed(11)
    _sample(1)
    assert (np.random.random(), random.random()) == expected  # noqa: NPY002
