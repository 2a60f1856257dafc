"""Tests of sim/model/signals.py: SignalBoard.send and the kinds of signals, on a 12-resident model.

Residents' trust, efficacy and fear are set by hand; each expected value is worked out in a
comment from the update rules (sim.model.mechanisms.trust.asymmetric_update, process_premium,
sim.model.mechanisms.fears.citizens_wasted_effort) and the rates of the generic config (read from
the config, so that an edit of configs/ shows up as a change of the rates, not of the rules).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.signals import Signal, SignalKind
from tests.model.processes.support import N, set_network, set_population, tiny_model


@pytest.fixture
def model():
    """A 12-resident model with trust 0.5, efficacy 0.4, fear 0.4 everywhere and no ties."""
    m = tiny_model()
    set_population(m, trust=0.5, efficacy=0.4, fear=0.4)
    set_network(m, [])
    return m


def test_rates_of_the_generic_config(model):
    """The hand computations below assume these rates; fail loudly if the preset changes them."""
    c = model.config.citizens
    assert (c.trust_gain, c.trust_loss, c.process_premium, c.trust_spillover) == (0.15, 0.3, 0.03, 0.1)
    assert (c.efficacy_learning_factor, c.quality_trust_effect) == (1.5, 0.5)


def test_standard_signal_is_asymmetric(model):
    """A good and an equally bad piece of news: trust is lost faster than it is gained (Slovic 1993)."""
    b = model.signals
    b.send(b.standard(SignalKind.delivered, np.array([0, 1]), np.array([0.5, -0.5])))
    pop = model.population
    # up:   0.5 + 0.15 * 0.5 * (1 - 0.5) = 0.5375;  down: 0.5 - 0.3 * 0.5 * 0.5 = 0.425
    assert_allclose(pop.trust[:2], [0.5375, 0.425])
    # efficacy at the same rates: 0.4 + 0.15*0.5*0.6 = 0.445;  0.4 - 0.3*0.5*0.4 = 0.34
    assert_allclose(pop.efficacy[:2], [0.445, 0.34])
    # nobody else is moved, and a standard signal leaves fear alone
    assert_allclose(pop.trust[2:], 0.5)
    assert_allclose(pop.fear, 0.4)
    assert (0.5 - pop.trust[1]) > (pop.trust[0] - 0.5)


def test_response_signal_fairness_premium_efficacy_and_fear(model):
    """Participants' response: trust plus the fairness premium, efficacy 1.5x faster, fear of wasted effort."""
    b = model.signals
    b.send(b.response(SignalKind.heard, np.array([0]), np.array([0.2]), fairness=0.5))
    pop = model.population
    # trust: 0.5 + 0.15*0.2*0.5 = 0.515; premium: 0.515 + 0.03*0.5*(1 - 0.515) = 0.522275
    assert_allclose(pop.trust[0], 0.522275)
    # efficacy gain 0.15*1.5 = 0.225: 0.4 + 0.225*0.2*0.6 = 0.427
    assert_allclose(pop.efficacy[0], 0.427)
    # fear rate trust_loss = 0.3, good news lowers it: 0.4 - 0.3*0.2*0.4 = 0.376
    assert_allclose(pop.fear[0], 0.376)
    assert_allclose(pop.trust[1:], 0.5)


def test_premium_applies_to_losers_too(model):
    """The fairness premium is earned by a fair process whatever the outcome (also on bad news)."""
    b = model.signals
    b.send(Signal(SignalKind.heard, np.array([0, 1]), np.array([-0.2, -0.2]), trust=(0.15, 0.3),
                  fairness=1.0))
    b.send(Signal(SignalKind.heard, np.array([2]), np.array([-0.2]), trust=(0.15, 0.3)))
    pop = model.population
    # without premium: 0.5 - 0.3*0.2*0.5 = 0.47; with fairness 1: 0.47 + 0.03*1*0.53 = 0.4859
    assert_allclose(pop.trust[:3], [0.4859, 0.4859, 0.47])


def test_spillover_reaches_ties_not_receivers(model):
    """Ties of the receivers hear a weaker echo; receivers are not moved twice; others not at all.

    Network: a path 0-1-2-3. Residents 0 and 1 receive a reopening (strength -1, spill 0.5).
    """
    set_network(model, [(0, 1), (1, 2), (2, 3)])
    b = model.signals
    b.send(b.standard(SignalKind.reopened, np.array([0, 1]), np.full(2, -1.0), spill=0.5))
    pop = model.population
    # receivers: 0.5 - 0.3*1*0.5 = 0.35 (and no echo on top, although they are each other's ties)
    assert_allclose(pop.trust[:2], 0.35)
    # resident 2: ties 1 and 3 heard -0.5 and 0 -> mean -0.25, * spillover 0.1 = -0.025
    #   trust 0.5 - 0.3*0.025*0.5 = 0.49625
    assert_allclose(pop.trust[2], 0.49625, rtol=1e-6)
    # resident 3's only tie (2) received nothing; residents 4.. have no ties
    assert_allclose(pop.trust[3:], 0.5)
    assert set(b.history[0]) == {"reopened", "word_of_mouth"}


def test_no_spill_without_spill_share(model):
    """spill=0: the receivers' ties hear nothing (no word_of_mouth entry at all)."""
    set_network(model, [(0, 1)])
    b = model.signals
    b.send(b.standard(SignalKind.late, np.array([0]), np.array([-0.5])))
    assert_allclose(model.population.trust[1:], 0.5)
    assert "word_of_mouth" not in b.history[0]


def test_history_records_change_of_mean_trust_per_kind(model):
    """history[month][kind] is the change of mean trust and efficacy over all 12 residents, summed."""
    b = model.signals
    b.send(b.standard(SignalKind.delivered, np.array([0, 1]), np.array([0.5, -0.5])))
    b.send(b.standard(SignalKind.delivered, np.array([2]), np.array([0.5])))
    b.month = 3
    b.send(b.standard(SignalKind.late, np.array([3]), np.array([-0.5])))
    # month 0, delivered: trust +0.0375 - 0.075 + 0.0375 = 0 over 12 residents -> 0.0
    #   efficacy: +0.045 - 0.06 + 0.045 = 0.03 -> 0.03 / 12 = 0.0025
    assert_allclose(b.history[0]["delivered"], [0.0, 0.0025], atol=1e-9)
    # month 3, late: trust -0.075 / 12 = -0.00625; efficacy -0.06 / 12 = -0.005
    assert_allclose(b.history[3]["late"], [-0.00625, -0.005])
    assert set(b.history) == {0, 3}


def test_history_equals_the_change_of_mean_trust(model):
    """What history records for a signal is exactly the change of the population's mean trust."""
    b = model.signals
    before = float(model.population.trust.mean())
    b.send(b.standard(SignalKind.progress, None, np.linspace(-1, 1, N)))
    assert_allclose(b.history[0]["progress"][0], float(model.population.trust.mean()) - before, atol=1e-12)
    assert b.history[0]["progress"][0] != 0.0


@pytest.mark.parametrize("stored_by_neighbourhood", [True, False])
def test_services_signal_moves_trust_only(model, stored_by_neighbourhood):
    """Services: trust gains at quality_trust_effect (0.5), loses at 0.5 * 0.3/0.15 = 1.0; efficacy unmoved.

    The change is one value per neighbourhood, for each of its residents, whether or not the
    residents are stored neighbourhood by neighbourhood.
    """
    pop = model.population
    if not stored_by_neighbourhood:
        pop.neighbourhood = pop.neighbourhood[::-1].copy()
    b = model.signals
    change = np.zeros(len(model.config.scenario.neighbourhoods))
    change[0], change[2] = 0.1, -0.1
    b.send(b.services(change))
    # 0.5 + 0.5*0.1*0.5 = 0.525;  0.5 - 1.0*0.1*0.5 = 0.45
    expected = np.select([pop.neighbourhood == 0, pop.neighbourhood == 2], [0.525, 0.45], 0.5)
    assert_allclose(pop.trust, expected)
    assert (pop.neighbourhood == 0).any() and (pop.neighbourhood == 2).any()
    assert_allclose(pop.efficacy, 0.4)


def test_inspiration_raises_efficacy_only(model):
    """The inspirator's signal: efficacy rises by rate * reached * (1 - efficacy); trust unmoved."""
    b = model.signals
    reached = np.zeros(N)
    reached[0] = 0.5
    b.send(b.inspiration(reached, 0.02))
    # 0.4 + 0.02*0.5*0.6 = 0.406
    assert_allclose(model.population.efficacy[:2], [0.406, 0.4])
    assert_allclose(model.population.trust, 0.5)


def test_forget_records_memory(model):
    """forget pulls trust toward its initial level and records the change of the mean as "memory"."""
    pop = model.population
    set_population(model, trust_initial=0.3, efficacy_initial=0.4)
    model.signals.forget(0.1)
    # 0.5 + 0.1*(0.3 - 0.5) = 0.48
    assert_allclose(pop.trust, 0.48)
    assert_allclose(model.signals.history[0]["memory"], [-0.02, 0.0], atol=1e-12)
