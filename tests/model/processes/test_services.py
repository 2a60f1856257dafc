"""Tests of sim/model/processes/services.py: one month of service quality and what residents notice.

12 residents, neighbourhoods set by hand (0-3 in 0, 4-7 in 1, 8-11 in 2); quality set to
[0.5, 0.5, 0.9, 0.5, 0.5]; production: decay 0.01, maintenance 0.005, project quality 0.002,
complementarity 1; the civil servants' expertise 0.7; residents' trust 0.5 (services signal:
gain 0.5, loss 0.5 * 0.3 / 0.15 = 1.0).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.processes.projects import Delivery
from tests.model.processes.support import set_network, set_population, tiny_model


@pytest.fixture
def model():
    m = tiny_model()
    set_network(m, [])
    set_population(m, trust=0.5, neighbourhood=[0] * 4 + [1] * 4 + [2] * 4)
    m.services.neighbourhood_population = np.bincount(m.population.neighbourhood, minlength=5)
    m.services.quality = np.array([0.5, 0.5, 0.9, 0.5, 0.5])
    m.administration.set("expertise", 0.7)
    p = m.config.production
    assert (p.decay, p.professional_maintenance, p.project_quality, p.complementarity) == (0.01, 0.005, 0.002, 1.0)
    return m


def test_delivery_and_coproduction(model):
    """A delivery of 100 EUR with a 0.3 residents' share in neighbourhood 0, co-production 0.01 in 1.

    Quality of the delivery: 0.7 + sqrt(0.7 * 0.3) = 1.158258; added 0.002 * 1.158258 * 100 / 4
    = 0.0579129. Neighbourhood 0: 0.5 * 0.99 + 0.005 + 0.0579129 = 0.5579129; 1: 0.5 + 0.01 = 0.51;
    2: 0.9 * 0.99 + 0.005 = 0.896 (decay outweighs maintenance); 3 and 4 stay at 0.5.
    """
    m = model
    m.services.step([Delivery(0, 100.0, 0.3)], np.array([0.0, 0.01, 0.0, 0.0, 0.0]))
    added0 = 0.002 * (0.7 + np.sqrt(0.21)) * 100 / 4
    assert_allclose(added0, 0.0579129, rtol=1e-6)
    assert_allclose(m.services.quality, [0.5 + added0, 0.51, 0.896, 0.5, 0.5])
    trust_ = m.population.trust
    # improved neighbourhood 0: 0.5 + 0.5 * 0.0579129 * 0.5 = 0.514478
    assert_allclose(trust_[:4], 0.5 + 0.5 * added0 * 0.5)
    assert (trust_[:4] > 0.5).all()
    # neighbourhood 1: 0.5 + 0.5 * 0.01 * 0.5 = 0.5025; neighbourhood 2 (worse by 0.004): 0.5 - 1.0 * 0.004 * 0.5
    assert_allclose(trust_[4:8], 0.5025)
    assert_allclose(trust_[8:], 0.498)
    assert "services" in m.signals.history[0]


def test_no_news_no_change_at_the_steady_state(model):
    """Without deliveries or co-production a quality of 0.5 is steady (0.5 * 0.99 + 0.005 = 0.5)."""
    m = model
    m.services.quality = np.full(5, 0.5)
    m.services.step([], None)
    assert_allclose(m.services.quality, 0.5)
    assert_allclose(m.population.trust, 0.5)


def test_measure_is_population_weighted(model):
    """Weights max(population, 1) = [4, 4, 4, 1, 1]: (4*0.5 + 4*0.5 + 4*0.9 + 0.5 + 0.5) / 14 = 0.614286."""
    assert_allclose(model.services.measure(), 8.6 / 14)
