"""Tiny models for the tests of the processes (tests/model/processes/test_*.py, test_signals.py,
test_agents.py, test_model.py).

A tiny model has 12 residents (24,087 residents of the generic scenario * 0.0005), two
civil servants and the council of the scenario. The tests set the residents' state (their latent
attitudes ``perception``, one row per survey item, fear, awareness, ...), the network and the
processes' state by hand to known values, then call one process's part of the month, so that every
expected number can be worked out from the formulas. Money is scaled with the residents
(``run.population_scale``): a tiny model's year of project money is 100,000 * 0.0005 = EUR 50, less
than any project costs, so tests that need projects paid for set the scenario's money by hand.

``calendar_month`` and ``election_month`` run the calendar and the election parts of a month exactly
as ``CoproductionModel.step`` does, for tests that need a cycle at a given phase without the rest of
the month.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import scipy.sparse as sp

import sim
from sim.config.schema import Config
from sim.model.model import CoproductionModel
from sim.model.processes.cycle import Phase

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


def calendar_month(model: CoproductionModel, month: int) -> Phase:
    """The calendar part of ``month``, exactly as ``CoproductionModel.step`` does it: close the cycle
    whose time is up, open the next (announcing the promise, reporting progress), then the month's phase."""
    m = model
    m.month = m.signals.month = month
    if m.cycles.closing():
        m.cycles.close()
        m.participation.reset()
    if m.cycles.opening():
        record = m.cycles.open()
        m.participation.reset()
        record.expected = m.decision.announce()
        m.projects.report_progress()
    return m.cycles.advance()


def run_calendar(model: CoproductionModel, months: range) -> list[Phase]:
    """Run only the calendar over ``months``; the phase of each."""
    return [calendar_month(model, t) for t in months]


def election_month(model: CoproductionModel) -> bool:
    """The election part of the month, exactly as ``CoproductionModel.step`` does it: hold the election if
    it is due; a new council that pauses participation cuts a running cycle short (its participants hear
    the silence) and residents keep only part of what they knew. Returns whether an election was held."""
    m = model
    held = m.elections.step()
    if held and m.elections.pause() and m.cycles.scheduled():
        if m.cycles.postpone(m.elections.pause()):
            m.decision.abandon()
            m.cycles.close(abandoned=True)
            m.participation.reset()
        kept = m.elections.memory_kept()
        m.information.fade(kept)
        m.participation.fade_habit(kept)
    return held
