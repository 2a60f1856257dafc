"""Tests of sim/model/signals.py: SignalBoard.send and the kinds of signals, on a 12-resident model.

Residents' latent attitudes and fear are set by hand; each expected value is worked out in a
comment from the rules (sim.model.mechanisms.perceptions.shift, sim.model.mechanisms.fears) and the
effect sizes of the generic config (read from the config, so that an edit of configs/ or of the
schema shows up as a change of the sizes, not of the rules).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.signals import Signal, SignalKind
from tests.model.processes.support import N, set_network, set_population, tiny_model


@pytest.fixture
def model():
    """A 12-resident model with every latent attitude at -0.05 (just disagreeing), fear 0.4, no ties."""
    m = tiny_model()
    set_population(m, perception=np.full((len(ITEMS), N), -0.05), fear=0.4)
    set_network(m, [])
    return m


def row(model, item: str) -> np.ndarray:
    return model.population.perception[INDEX[item]]


def test_sizes_of_the_generic_config(model):
    """The hand computations below assume these sizes; fail loudly if the schema changes them."""
    s = model.config.perceptions
    assert (s.asked, s.asked_with_feedback, s.outcome, s.negativity, s.fair_process) == (0.05, 0.12, 0.2, 2.0, 0.1)
    assert (s.public, s.delivery, s.services, s.word_of_mouth) == (0.05, 0.1, 2.0, 0.1)
    assert model.config.citizens.fear_learning == 0.3


def test_project_news_weighs_bad_news_by_the_negativity(model):
    """Delivered (strength 1) and late (strength -0.5): +0.1 and -0.5 * 0.1 * 2 = -0.1 on trust and output."""
    b = model.signals
    b.send(b.project(SignalKind.delivered, np.array([0]), 1.0))
    b.send(b.project(SignalKind.late, np.array([1]), -0.5))
    for item in ("trust", "output"):
        assert_allclose(row(model, item)[:2], [0.05, -0.15], atol=1e-6)
    # the other items and the other residents are not moved
    assert_allclose(row(model, "input"), -0.05)
    assert_allclose(row(model, "trust")[2:], -0.05)
    # bad news raises the fear of wasted effort: 0.4 + 0.3 * 0.5 * 0.6 = 0.49; good news does not move it
    assert_allclose(model.population.fear[:2], [0.4, 0.49])


def test_response_moves_the_four_process_items_and_fear(model):
    """A participant's response of strength 0.5: +0.1 on trust, efficacy, input, throughput; fear
    0.4 - 0.3 * 0.5 * 0.4 = 0.34; output unmoved."""
    b = model.signals
    b.send(b.response(SignalKind.heard, np.array([0]), np.array([0.5])))
    for item in ("trust", "efficacy", "input", "throughput"):
        assert row(model, item)[0] == pytest.approx(0.05)
    assert row(model, "output")[0] == pytest.approx(-0.05)
    assert model.population.fear[0] == pytest.approx(0.34)


def test_asked_grows_with_promised_feedback(model):
    """Being asked: +0.05 without feedback, +0.12 with full feedback, +0.085 with half (Hager et al.)."""
    b = model.signals
    b.send(b.asked(np.array([0]), 0.0))
    b.send(b.asked(np.array([1]), 1.0))
    b.send(b.asked(np.array([2]), 0.5))
    assert_allclose(row(model, "efficacy")[:3] + 0.05, [0.05, 0.12, 0.085], atol=1e-6)
    assert_allclose(row(model, "input")[:3] + 0.05, [0.05, 0.12, 0.085], atol=1e-6)
    assert_allclose(row(model, "trust"), -0.05)


def test_fair_process_rewards_losers_too(model):
    """A fair process (fairness 0.5) moves the throughput item of every participant by 0.5 * 0.1."""
    b = model.signals
    b.send(b.response(SignalKind.heard, np.array([0, 1]), np.array([0.5, -0.5])))
    b.send(b.fair_process(np.array([0, 1]), 0.5, model.config.perceptions.fair_process))
    # winner: -0.05 + 0.1 + 0.05; loser: -0.05 - 0.5 * 0.2 * 2 + 0.05
    assert_allclose(row(model, "throughput")[:2], [0.1, -0.2], atol=1e-6)


def test_public_news_moves_the_readers_only(model):
    b = model.signals
    b.send(b.public(np.array([3, 4]), -0.5))
    # -0.5 * 0.05 * 2 = -0.05 on trust, input and throughput of the two readers
    for item in ("trust", "input", "throughput"):
        assert_allclose(row(model, item)[[3, 4]], -0.1, atol=1e-6)
        assert_allclose(np.delete(row(model, item), [3, 4]), -0.05)


def test_spillover_reaches_ties_not_receivers(model):
    """Network: a path 0-1-2-3. Resident 1 hears her project was dropped (strength -0.75): her ties
    0 and 2 hear the mean of their ties' news (-0.75 / 1 for resident 0, -0.75 / 2 for resident 2)
    times word_of_mouth 0.1, weighed as bad news (loss 0.1 * 2); resident 3 hears nothing."""
    set_network(model, [(0, 1), (1, 2), (2, 3)])
    b = model.signals
    b.send(b.project(SignalKind.abandoned, np.array([1]), -0.75))
    trust = row(model, "trust")
    assert trust[1] == pytest.approx(-0.05 - 0.75 * 0.2)
    assert trust[0] == pytest.approx(-0.05 - 0.075 * 0.2)
    assert trust[2] == pytest.approx(-0.05 - 0.0375 * 0.2)
    assert trust[3] == pytest.approx(-0.05)


def test_no_spill_without_spill_share(model):
    set_network(model, [(0, 1)])
    b = model.signals
    b.send(b.public(np.array([0]), 1.0))
    assert row(model, "trust")[1] == pytest.approx(-0.05)


def test_history_records_the_change_of_the_share_agreeing(model):
    """Two of 12 residents pass from disagreeing (-0.05) to agreeing (+0.05) with the trust item:
    the delivered kind moved the share agreeing by 2/12 that month."""
    b = model.signals
    b.month = 7
    b.send(b.project(SignalKind.delivered, np.array([0, 1]), 1.0))
    assert b.history[7]["delivered"]["trust"] == pytest.approx(2 / 12)
    assert b.history[7]["delivered"]["output"] == pytest.approx(2 / 12)
    assert b.history[7]["delivered"]["input"] == 0.0


@pytest.mark.parametrize("stored_by_neighbourhood", [True, False])
def test_services_signal_moves_the_output_item_by_neighbourhood(model, stored_by_neighbourhood):
    """Quality +0.01 in neighbourhood 0 and -0.01 elsewhere: output +/- 0.02 (services 2.0, no negativity),
    whether or not residents are stored by neighbourhood."""
    pop = model.population
    if not stored_by_neighbourhood:
        pop.neighbourhood = pop.neighbourhood[::-1].copy()
    k = len(model.config.scenario.neighbourhoods)
    change = np.full(k, -0.01)
    change[0] = 0.01
    model.signals.send(model.signals.services(change))
    expected = np.where(pop.neighbourhood == 0, -0.05 + 0.02, -0.05 - 0.02)
    assert_allclose(row(model, "output"), expected, atol=1e-6)
    assert_allclose(row(model, "trust"), -0.05)


def test_inspiration_raises_efficacy_in_proportion_to_reach(model):
    reached = np.zeros(N)
    reached[:2] = [1.0, 0.5]
    model.signals.send(model.signals.inspiration(reached, 1.0))
    gain = model.config.perceptions.inspiration
    assert_allclose(row(model, "efficacy")[:3], [-0.05 + gain, -0.05 + 0.5 * gain, -0.05], atol=1e-7)


def test_forget_returns_attitudes_and_fear_to_where_they_started(model):
    """After a shift, forgetting closes the monthly share of the gap (half-life 36 months), and
    fear returns toward its initial level at citizens.fear_memory."""
    pop = model.population
    pop.perception_initial = np.zeros_like(pop.perception)
    pop.fear_initial = np.full(N, 0.5)
    rate = 1 - 0.5 ** (1 / 36)
    model.signals.forget()
    assert_allclose(pop.perception, -0.05 * (1 - rate), atol=1e-7)
    assert_allclose(pop.fear, 0.4 + 0.02 * 0.1)
    assert "memory" in model.signals.history[model.signals.month]


def test_progress_weighs_promises_kept_against_broken(model):
    """3 kept, 1 broken: strength (3 - 1) / 4 = 0.5, trust and output +0.5 * public 0.05 = 0.025; 1 kept, 3 broken:
    -0.5 * 0.05 * 2 = -0.05; as many kept as broken: no news. Nothing else moves."""
    b = model.signals
    b.send(b.progress(np.array([0]), 3, 1))
    b.send(b.progress(np.array([1]), 1, 3))
    b.send(b.progress(np.array([2]), 2, 2))
    for name in ("trust", "output"):
        assert_allclose(row(model, name)[:3] + 0.05, [0.025, -0.05, 0.0], atol=1e-7)
    assert_allclose(row(model, "throughput"), -0.05)
    assert_allclose(model.population.fear, 0.4)


def test_reopened_is_input_ignored_after_the_fact(model):
    """A reopened decision (reopen_signal -1) moves trust and throughput by -1 * outcome 0.2 * 2 = -0.4, raises
    fear 0.4 + 0.3 * 1 * 0.6 = 0.58, and a tie hears -1 * reopen_spill 0.5 * word_of_mouth 0.1, weighed as bad
    news: -0.05 * 0.4 = -0.02."""
    set_network(model, [(0, 1)])
    b = model.signals
    b.send(b.reopened(np.array([0])))
    for name in ("trust", "throughput"):
        assert_allclose(row(model, name)[:3], [-0.45, -0.07, -0.05], atol=1e-6)
    assert_allclose(row(model, "output"), -0.05)
    assert_allclose(model.population.fear[:2], [0.58, 0.4])


def test_nobody_to_tell_records_nothing(model):
    """A signal to nobody moves nobody and is not recorded."""
    b = model.signals
    b.month = 3
    b.send(b.project(SignalKind.delivered, np.empty(0, dtype=np.int64), 1.0))
    assert 3 not in b.history
    assert_allclose(model.population.perception, -0.05)


def test_unknown_item_is_refused():
    with pytest.raises(ValueError, match="items"):
        Signal(SignalKind.public, None, 1.0, ("happiness",), 0.1, 0.1)


def test_a_signal_moves_at_least_one_item():
    with pytest.raises(ValueError, match="at least one survey item"):
        Signal(SignalKind.public, None, 1.0, (), 0.1, 0.1)


def test_the_light_path_moves_only_the_items_rules_read(model):
    """With only trust and efficacy moving (Population.move_only, the light path): a response moves those two
    and the fear as on the normal path (+0.1, fear 0.34, as above), the ties' echo reaches trust only for
    project news; news of services or of a fair process (output, throughput) moves nobody and none of
    their rows change from nan; memory pulls back only the moved rows."""
    set_network(model, [(0, 1)])
    b, pop = model.signals, model.population
    pop.move_only(("trust", "efficacy"))
    b.send(b.response(SignalKind.heard, np.array([0]), np.array([0.5])))
    for item in ("trust", "efficacy"):
        assert_allclose(row(model, item)[0], 0.05, atol=1e-6)
    assert_allclose(pop.fear[0], 0.34)
    # resident 1 hears the echo: 0.1 * 0.5 * 0.2 = +0.01 on trust and efficacy
    assert_allclose(row(model, "trust")[1], -0.04, atol=1e-6)
    b.send(b.services(np.full(len(model.config.scenario.neighbourhoods), 0.5)))
    b.send(b.fair_process(np.array([2]), 1.0, 0.1))
    for item in ("input", "throughput", "output"):
        assert np.isnan(row(model, item)).all()
    assert_allclose(row(model, "trust")[2:], -0.05)
    b.forget()
    assert np.isnan(pop.perception_initial[INDEX["output"]]).all() and np.isnan(row(model, "output")).all()
    with pytest.raises(LookupError, match="'output' does not move"):
        pop.latent("output")
