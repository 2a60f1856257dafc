"""The residents a model builds before its first month, and runs that share them.

A model first draws its residents (:func:`sim.model.population.synthesize`) and their social network
(:func:`sim.model.network.build_network`) from its generator; the design, the administration and the
council are read only afterwards. Two runs therefore build the same residents, to the last bit, when
they agree on what the build reads: the seed (and replicate), the scenario, the population scale, and
the ``citizens`` and ``perceptions`` sections. That is the case of the runs that compare designs on one
seed (common random numbers): a replicate's designs in :func:`sim.compare` (and so the report), an ABC
particle's Geel participatory budget and Geel citizens' panel, and a validation pattern's conditions
that differ only in the design.

:class:`SharedResidents` builds them once for such runs: the first run builds them and keeps a copy of
the residents as built and the generator's state after the build; a later run with the same inputs
starts from a copy of the residents (the last one from the kept copy itself), the same network and that
state, so it draws every later random number exactly as if it had built them itself
(tests/model/test_residents.py compares both). The network is shared, so it is built read-only: a rule
that tried to change it would fail instead of changing another run. A build is about a quarter of a
Geel run (40,781 residents: 0.035 s of 0.12 s).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from sim.config.schema import Config, model_seed, simulated_residents
from sim.model.network import build_network
from sim.model.pages import small_pages
from sim.model.population import Population, synthesize


def build_residents(config: Config, rng: np.random.Generator) -> tuple[Population, sp.csr_matrix]:
    """The residents of ``config``'s scenario at its population scale and their social network (read-only),
    drawn from ``rng``."""
    cfg, s = config, config.scenario
    n = simulated_residents(s.population, cfg.run.population_scale)
    with small_pages():  # large arrays filled once: huge pages cost more than they save here
        population = synthesize(n, s, cfg.citizens, cfg.perceptions, rng)
        network = build_network(population.neighbourhood, population.education, population.age_group,
                                cfg.citizens.mean_degree, cfg.citizens.share_local_ties, cfg.citizens.homophily, rng)
    for part in (network.data, network.indices, network.indptr):
        part.flags.writeable = False
    return population, network


def what_the_build_reads(config: Config) -> tuple[Any, ...]:
    """Everything :func:`build_residents` reads of a config: the seed of the model's generator, the scenario,
    the population scale, the citizens and the perceptions (compared with ``==``)."""
    return (model_seed(config), config.scenario, config.run.population_scale, config.citizens, config.perceptions)


def _copy(population: Population) -> Population:
    """A population whose arrays are copies (a run changes its residents' state in place)."""
    return Population(**{f.name: getattr(population, f.name).copy() for f in dataclasses.fields(population)})


@dataclasses.dataclass
class _Build:
    reads: tuple[Any, ...]
    runs_left: int  # announced runs that read the same and have not started yet
    # while a later run needs it: the residents as built, their network, the generator's state after the build
    kept: tuple[Population, sp.csr_matrix, Mapping[str, Any]] | None = None


class SharedResidents:
    """Residents built once for the runs announced to it (``configs``), as :func:`sim.api.run_config`'s
    ``residents`` passes them on.

    A build is kept only while an announced run that reads the same is still to come, and let go when
    the last one starts (about 120 MB a million residents, besides the network the runs share); a run
    not announced builds its own. ``builds`` counts the builds made, ``reused`` the runs that started
    from one.
    """

    def __init__(self, configs: Iterable[Config]) -> None:
        self._builds: list[_Build] = []  # configs compare with == only (their sections are not hashable)
        for config in configs:
            reads = what_the_build_reads(config)
            found = self._find(reads)
            if found is None:
                self._builds.append(_Build(reads, 1))
            else:
                found.runs_left += 1
        self.builds = 0
        self.reused = 0

    def _find(self, reads: tuple[Any, ...]) -> _Build | None:
        return next((b for b in self._builds if b.reads == reads), None)

    def residents(self, config: Config, rng: np.random.Generator) -> tuple[Population, sp.csr_matrix]:
        """The residents and network of ``config``: built from ``rng`` or, when an earlier announced run built
        the same ones, a copy of those with ``rng`` set to where that build left its generator."""
        build = self._find(what_the_build_reads(config))
        if build is None or build.runs_left == 0:
            self.builds += 1
            return build_residents(config, rng)
        build.runs_left -= 1
        if build.kept is not None:
            population, network, rng.bit_generator.state = build.kept
            self.reused += 1
            if build.runs_left:
                population = _copy(population)
            else:  # the last run that needs it takes the kept residents themselves
                build.kept = None
            return population, network
        population, network = build_residents(config, rng)
        self.builds += 1
        if build.runs_left:
            build.kept = (_copy(population), network, rng.bit_generator.state)
        return population, network
