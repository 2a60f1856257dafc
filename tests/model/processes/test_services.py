"""Tests of sim/model/processes/services.py: one month of service quality and what residents notice.

12 residents, neighbourhoods set by hand (0-3 in 0, 4-7 in 1, 8-11 in 2); quality set to
[0.5, 0.5, 0.9, 0.5, 0.5]; production: decay 0.01, project quality 0.002, complementarity 1; the civil
servants' expertise 0.7. Regular maintenance is derived per neighbourhood so that, with the year's
project money spent on the council's own priorities, quality stays where it started
(``priorities.maintenance``): decay * q0 - the quality a month of project money adds per resident,
0.002 * 0.7 * (EUR 85 a year / 12 months / 12 residents) = 0.000826389. Every latent attitude starts
at 0; residents notice a change of quality in their neighbourhood on the output item, 2.0 sd per unit
of quality (perceptions.services), better and worse alike.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sim
from sim.model.mechanisms import priorities
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.model import CoproductionModel
from sim.model.processes.projects import Delivery
from tests.model.processes.support import N, set_network, set_population, tiny_model

#: The quality a month of the year's project money adds per resident (see the module's docstring).
PER_MONTH = 0.002 * 0.7 * 85 / 12 / 12


@pytest.fixture
def model():
    m = tiny_model()
    set_network(m, [])
    set_population(m, perception=np.zeros((len(ITEMS), N)), neighbourhood=[0] * 4 + [1] * 4 + [2] * 4)
    m.services.neighbourhood_population = np.bincount(m.population.neighbourhood, minlength=5)
    m.administration.set("expertise", 0.7)
    m.services.quality = np.array([0.5, 0.5, 0.9, 0.5, 0.5])
    m.services.maintenance = priorities.maintenance(m.services.quality, 0.01, m.budget.project_quality_per_month())
    p = m.config.production
    assert (p.decay, p.project_quality, p.complementarity) == (0.01, 0.002, 1.0)
    assert m.config.perceptions.services == 2.0
    return m


def output(m) -> np.ndarray:
    return m.population.perception[INDEX["output"]]


def test_maintenance_is_derived_from_the_initial_quality():
    """As built: maintenance = max(0.01 * q0 - project quality per month, 0) per neighbourhood, with the
    administration's expertise as drawn (all 0.7: administration.expertise)."""
    m = tiny_model()
    q0 = m.services.quality
    assert_allclose(m.budget.project_quality_per_month(), PER_MONTH)
    assert_allclose(m.services.maintenance, np.maximum(0.01 * q0 - PER_MONTH, 0.0))


def test_delivery_and_coproduction(model):
    """A delivery of 100 EUR with a 0.3 residents' share in neighbourhood 0, co-production 0.01 in 1.

    Quality of the delivery: 0.7 + sqrt(0.7 * 0.3) = 1.158258; added 0.002 * 1.158258 * 100 / 4
    = 0.0579129. Maintenance 0.005 - 0.000486 = 0.004514 for q0 0.5, 0.009 - 0.000486 = 0.008514 for 0.9.
    Neighbourhood 0: 0.5 * 0.99 + 0.004514 + 0.0579129; 1: 0.5 * 0.99 + 0.004514 + 0.01;
    2: 0.9 * 0.99 + 0.008514 = 0.9 - 0.000486; 3 and 4: 0.5 - 0.000486.
    """
    m = model
    m.services.step([Delivery(0, 100.0, 0.3)], np.array([0.0, 0.01, 0.0, 0.0, 0.0]))
    added0 = 0.002 * (0.7 + np.sqrt(0.21)) * 100 / 4
    assert_allclose(added0, 0.0579129, rtol=1e-6)
    change = np.array([added0, 0.01, 0.0, 0.0, 0.0]) - PER_MONTH
    assert_allclose(m.services.quality, np.array([0.5, 0.5, 0.9, 0.5, 0.5]) + change)
    # residents notice the change in their neighbourhood: output 2.0 * change, better or worse alike
    assert_allclose(output(m), np.repeat(2.0 * change[:3], 4), rtol=1e-5)
    assert (output(m)[:8] > 0).all() and (output(m)[8:] < 0).all()
    assert_allclose(np.delete(m.population.perception, INDEX["output"], axis=0), 0.0)
    assert "services" in m.signals.history[0]


def test_without_projects_quality_falls_by_a_months_project_money(model):
    """No deliveries, no co-production: each neighbourhood loses exactly the quality the month's project
    money would have added (q0 * 0.99 + 0.01 * q0 - 0.000486 = q0 - 0.000486)."""
    m = model
    m.services.step([], None)
    assert_allclose(m.services.quality, np.array([0.5, 0.5, 0.9, 0.5, 0.5]) - PER_MONTH)
    assert_allclose(output(m), -2.0 * PER_MONTH, rtol=1e-5)


def test_a_months_project_money_spent_as_residents_live_keeps_quality(model):
    """The month's share of the year's money (85 / 12 EUR), spent by the council in each neighbourhood in
    proportion to its residents (4 of 12 each in 0-2), adds 0.002 * 0.7 * (85 / 12 / 3) / 4 = 0.000826 per
    resident there: quality stays exactly where it started, and residents notice nothing."""
    m = model
    money = 85 / 12
    deliveries = [Delivery(k, money / 3, 0.0) for k in range(3)]
    m.services.step(deliveries, None)
    assert_allclose(m.services.quality[:3], [0.5, 0.5, 0.9])
    assert_allclose(output(m), 0.0, atol=1e-7)


def test_maintenance_never_below_zero(model):
    """A neighbourhood whose services start at 0.02: 0.01 * 0.02 = 0.0002 < 0.000486, maintenance 0."""
    q0 = np.array([0.02, 0.5])
    assert_allclose(priorities.maintenance(q0, 0.01, PER_MONTH), [0.0, 0.005 - PER_MONTH])


def test_measure_is_population_weighted(model):
    """Weights max(population, 1) = [4, 4, 4, 1, 1]: (4*0.5 + 4*0.5 + 4*0.9 + 0.5 + 0.5) / 14 = 0.614286."""
    assert_allclose(model.services.measure(), 8.6 / 14)


@pytest.mark.slow
def test_quality_stays_where_it_started_without_participation():
    """The 'none' design in the full generic municipality (24,087 residents, EUR 170,000 of project money a
    year, about six council projects of EUR 15,000): over twelve years the population-weighted quality
    stays within 0.015 of where it started, on average over the last five years and at the end. Without the
    council's projects (the same maintenance, no project money spent) it falls by the projects' share of the
    steady state, 0.0484 * (1 - 0.99 ** 144) = 0.037 by the end: the projects keep it up."""
    def run(with_projects: bool) -> tuple[float, np.ndarray]:
        m = CoproductionModel(sim.compose_config("generic", "none", 0))
        q0 = m.services.measure()
        if not with_projects:
            m.budget.council_projects = lambda: (np.empty(0, dtype=np.int16), np.empty(0))
        quality = []
        for _ in range(144):
            m.step()
            quality.append(m.services.measure())
        return q0, np.array(quality)

    q0, quality = run(True)
    assert abs(quality[-60:].mean() - q0) < 0.015
    assert abs(quality[-1] - q0) < 0.015
    q0_without, without = run(False)
    assert q0_without == q0
    assert q0 - without[-1] > 0.03
    assert (without[-60:] < quality[-60:]).all()
