"""The residents a model builds before its first month, and runs that share them.

A model first draws its residents (:func:`sim.model.population.synthesize`) and their social network
(:func:`sim.model.network.build_network`) from its generator; the design, the administration and the
council are read only afterwards. Two runs therefore build the same residents, to the last bit, when
they agree on what the build reads: the seed (and replicate), the scenario, the population scale, and
the ``citizens`` and ``perceptions`` sections. That is the case of the runs that compare designs on one
seed (common random numbers): an ABC particle's Geel participatory budget and Geel citizens' panel, and
the validation's conditions of one pattern.

:class:`SharedResidents` builds them once for such runs: the first run builds them and keeps a copy of
the residents as built, the network (which no run changes) and the generator's state after the build;
a later run with the same inputs starts from a copy of the residents and that state, so it draws every
later random number exactly as if it had built them itself (tests/model/test_residents.py compares
both). A build is about a quarter of a Geel run (40,781 residents: 0.035 s of 0.12 s).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from sim.config.schema import Config, model_seed
from sim.model.network import build_network
from sim.model.pages import small_pages
from sim.model.population import Population, synthesize


def build_residents(config: Config, rng: np.random.Generator) -> tuple[Population, sp.csr_matrix]:
    """The residents of ``config``'s scenario at its population scale and their social network, drawn from ``rng``."""
    cfg, s = config, config.scenario
    n = round(s.population * cfg.run.population_scale)
    with small_pages():  # large arrays filled once: huge pages cost more than they save here
        population = synthesize(n, s, cfg.citizens, cfg.perceptions, rng)
        network = build_network(population.neighbourhood, population.education, population.age_group,
                                cfg.citizens.mean_degree, cfg.citizens.share_local_ties, cfg.citizens.homophily, rng)
    return population, network


def what_the_build_reads(config: Config) -> tuple[Any, ...]:
    """Everything :func:`build_residents` reads of a config, besides the generator's seed (compared with ``==``)."""
    return (model_seed(config), config.scenario, config.run.population_scale, config.citizens, config.perceptions)


def _copy(population: Population) -> Population:
    """A population whose arrays are copies (a run changes its residents' state in place)."""
    return Population(**{f.name: getattr(population, f.name).copy() for f in dataclasses.fields(population)})


@dataclasses.dataclass(frozen=True)
class _Built:
    reads: tuple[Any, ...]
    population: Population  # as built, never handed out: runs get copies
    network: sp.csr_matrix  # read only by the month's rules
    state: Mapping[str, Any]  # the generator's state after the build


class SharedResidents:
    """Residents built once for the runs given this object (:func:`sim.api.run_config`'s ``residents``).

    Keep one for a group of runs that belong together (one ABC particle, one validation unit) and
    let it go with them: it holds a copy of each distinct build. ``builds`` counts the builds made,
    ``reused`` the runs that started from one.
    """

    def __init__(self) -> None:
        self._built: list[_Built] = []
        self.builds = 0
        self.reused = 0

    def residents(self, config: Config, rng: np.random.Generator) -> tuple[Population, sp.csr_matrix]:
        """The residents and network of ``config``, built from ``rng`` or, when a run before built the same
        ones, a copy of those with ``rng`` set to where that build left its generator."""
        reads = what_the_build_reads(config)
        for built in self._built:
            if built.reads == reads:
                rng.bit_generator.state = built.state
                self.reused += 1
                return _copy(built.population), built.network
        population, network = build_residents(config, rng)
        self._built.append(_Built(reads, _copy(population), network, rng.bit_generator.state))
        self.builds += 1
        return population, network
