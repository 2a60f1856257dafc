"""Tiny models for the tests of the processes (tests/test_process_*.py, test_signals.py, test_agents.py).

A tiny model has 12 residents (24,087 residents of the generic scenario * 0.0005), two
civil servants and the council of the scenario. The tests set the residents' state, the
network and the processes' state by hand to known values, then call one process's step, so
that every expected number can be worked out from the formulas.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import scipy.sparse as sp

import sim
from sim.config.schema import Config
from sim.model.mechanisms.proposals import Proposals
from sim.model.model import CoproductionModel
from sim.model.processes.decision import Decided

#: 24,087 * 0.0005 = 12.04 -> 12 residents (the schema needs at least 10).
TINY_SCALE = "run.population_scale=0.0005"
N = 12


@functools.cache
def _composed(design: str, overrides: tuple[str, ...]) -> Config:
    return sim.compose_config("generic", design, 0, [TINY_SCALE, *overrides])


def tiny_config(design: str = "participatory_budget", *overrides: str) -> Config:
    """A config of the generic scenario with 12 residents (a copy: tests may change it)."""
    return copy.deepcopy(_composed(design, tuple(overrides)))


def tiny_model(design: str = "participatory_budget", *overrides: str) -> CoproductionModel:
    """A 12-resident model of ``design``, before its first month (``model.month == 0``)."""
    model = CoproductionModel(tiny_config(design, *overrides))
    model.month = 0
    model.signals.month = 0
    return model


def set_population(model: CoproductionModel, **values) -> None:
    """Set population arrays to a value (or one value per resident), keeping their dtype."""
    pop = model.population
    for name, value in values.items():
        old = getattr(pop, name)
        setattr(pop, name, np.broadcast_to(np.asarray(value, dtype=old.dtype), old.shape).copy())


def set_network(model: CoproductionModel, edges: list[tuple[int, int]]) -> None:
    """Replace the social network by the undirected ``edges`` (everyone else isolated)."""
    n = model.population.size
    rows = [a for a, b in edges] + [b for a, b in edges]
    cols = [b for a, b in edges] + [a for a, b in edges]
    adj = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n))
    model.network = adj
    model.degree = np.diff(adj.indptr).astype(np.float32)
    model.signals.network = adj
    model.signals.degree = model.degree


def set_eligible(model: CoproductionModel, eligible: np.ndarray) -> None:
    """Set who may take part (normally age >= design.min_age)."""
    model.eligible = np.asarray(eligible, dtype=bool)
    model.n_eligible = int(model.eligible.sum())


def mask(n: int, *indices: int) -> np.ndarray:
    """A boolean array of length ``n`` that is True at ``indices``."""
    out = np.zeros(n, dtype=bool)
    out[list(indices)] = True
    return out


def decided(props: Proposals, screened_in: np.ndarray, votes: np.ndarray | None, funded: np.ndarray | None,
            adopted: np.ndarray, supporters: list[np.ndarray], staff_hours: float,
            own_votes: np.ndarray | None = None, cycle: int = 1) -> Decided:
    """A decision of cycle ``cycle`` on ``props`` (nobody's satisfaction recorded), as ``Decision.step`` returns it."""
    return Decided(cycle, props, screened_in, votes, funded, adopted, supporters, staff_hours, own_votes,
                   participants=np.empty(0, dtype=np.int64), satisfaction=np.zeros(0), feedback=0.0)


def step_calendar(model: CoproductionModel, months: range) -> None:
    """Step only the calendar over ``months``; a cycle that opens is announced, as ``model.step`` does."""
    for t in months:
        model.month = t
        model.signals.month = t
        opened = model.cycles.step().opened
        if opened is not None:
            opened.expected = model.decision.announce()


def pass_on_decision(model: CoproductionModel, decision: Decided | None) -> None:
    """What ``model.step`` does with a decision (tests/model/test_model.py checks that it does): the
    adopted proposals enter the ledger, taking part forms a habit, legitimacy notes the decision."""
    assert decision is not None
    model.projects.record_cycle(decision)
    model.participation.remember(decision.participants, decision.satisfaction)
    model.legitimacy.observe_decision(decision.participants.size, decision.feedback)
