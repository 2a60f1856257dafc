"""Tests of sim/model/processes/legitimacy.py: input, throughput and output legitimacy from set values.

Config: turnout reference 0.03, process spill-over 0.3, memory 0.1, feedback memory share 0.25,
transparency baseline 0.3, fairness without process 0.5, council fear discount 0.5; the
participatory budget's facilitation 0.4. The representativeness of the participants is set by
hand (it is tested in tests/model/test_outcomes.py), as are efficacy, quality and the process's state.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.config.schema import AllocationRule
from sim.model.processes.cycle import Phase
from tests.model.processes.support import mask, set_population, tiny_model


@pytest.fixture
def model(monkeypatch):
    m = tiny_model()
    lg = m.config.legitimacy
    assert (lg.turnout_reference, lg.process_spillover, lg.memory, lg.feedback_memory_share,
            lg.transparency_baseline, lg.fairness_without_process, lg.council_fear_discount) == (
        0.03, 0.3, 0.1, 0.25, 0.3, 0.5, 0.5)
    set_population(m, efficacy=0.4)
    m.services.quality = np.full(len(m.services.quality), 0.6)
    monkeypatch.setattr(m.participation, "observed_representativeness", lambda: 0.6)
    m.council.set("trust_in_citizens", 0.5)
    m.council.set("fear_self_interest", 0.5)
    return m


def test_month_with_participants(model):
    """Two of 10 eligible take part, feedback 0.5 on record, reopen rate 0.2 with a decision on
    record (one ledger row), no promise due yet."""
    m = model
    assert m.n_eligible == 10
    m.projects.rows.append({})  # a decision was taken: stability has a record
    m.participation.taking_part[:] = mask(12, 0, 1)
    m.legitimacy.feedback, m.legitimacy.reopen_rate = 0.5, 0.2
    m.legitimacy.step(Phase.participate)
    lg = m.legitimacy
    # reach 1 - exp(-0.2 / 0.03); input 0.5 * 0.4 + 0.5 * reach * 0.6
    reach = 1 - np.exp(-0.2 / 0.03)
    inp = 0.5 * 0.4 + 0.5 * reach * 0.6
    # throughput: transparency 0.3 + 0.7 * 0.5 = 0.65, stability 0.8, fairness 0.5*0.6 + 0.5*0.4 = 0.5 -> 0.65
    assert_allclose(lg.throughput, 0.65)
    # output 0.5 * 0.5 (no promise due: without_record) + 0.5 * 0.6 = 0.55; the drag 1 - 0.3 * (1 - 0.65) = 0.895
    assert_allclose(lg.input, inp * 0.895)
    assert_allclose(lg.output, 0.55 * 0.895)
    assert_allclose(lg.overall, np.cbrt(inp * 0.895 * 0.65 * 0.55 * 0.895))
    assert_allclose(lg.reach, reach)
    # the feedback fades by 0.1 * 0.25: 0.5 * 0.975 = 0.4875
    assert_allclose(lg.feedback, 0.4875)
    # council: 0.5 * (1 - 0.5 * 0.5) = 0.375
    assert_allclose(lg.council_acceptance, 0.375)


def test_month_without_process():
    """No design: transparency at the baseline 0.3, no decision on record (stability 0.5: nothing
    is perfect by default), fairness without process 0.5, no reach: input 0.5 * efficacy;
    throughput (0.3 + 0.5 + 0.5) / 3 = 0.43333; output 0.5 * 0.5 + 0.5 * quality."""
    m = tiny_model("none")
    set_population(m, efficacy=0.4)
    m.legitimacy.step(Phase.idle)
    thr = (0.3 + 0.5 + 0.5) / 3
    assert_allclose(m.legitimacy.throughput, thr)
    assert_allclose(m.legitimacy.input, 0.2 * (1 - 0.3 * (1 - thr)))
    assert_allclose(m.legitimacy.output, (0.25 + 0.5 * m.services.measure()) * (1 - 0.3 * (1 - thr)))


def test_weights_of_the_parts_are_parameters(model):
    """Throughput with weights (0, 0, 1) is the fairness alone; equal shares adds its bonus."""
    m = model
    m.projects.rows.append({})
    lg = m.config.legitimacy
    lg.weight_transparency, lg.weight_stability, lg.weight_fairness = 0.0, 0.0, 1.0
    m.participation.taking_part[:] = mask(12, 0, 1)
    m.legitimacy.step(Phase.participate)
    assert_allclose(m.legitimacy.throughput, 0.5 * 0.6 + 0.5 * 0.4)
    m.config.design.allocation_rule = AllocationRule.equal_shares
    m.legitimacy.step(Phase.participate)
    assert_allclose(m.legitimacy.throughput, 0.5 + 0.1)


def test_reach_is_remembered(model):
    """Nobody takes part now: the reach of earlier participation fades by memory 0.1 (0.8 -> 0.72)."""
    m = model
    m.legitimacy.reach = 0.8
    m.legitimacy.step(Phase.idle)
    assert_allclose(m.legitimacy.reach, 0.72)


def test_observe_reopening_smoothing(model):
    """reopen_rate <- 0.9 * rate + 0.1 * min(1, share * 12); no open decision: rate * 0.9."""
    lg = model.legitimacy
    lg.observe_reopening(0.05)
    assert_allclose(lg.reopen_rate, 0.06)  # 0.1 * 0.6
    lg.observe_reopening(0.5)
    assert_allclose(lg.reopen_rate, 0.154)  # 0.9 * 0.06 + 0.1 * min(1, 6)
    lg.observe_reopening(None)
    assert_allclose(lg.reopen_rate, 0.1386)  # 0.154 * 0.9


def test_observe_decision(model):
    """A decision with 3 of 10 eligible participants: reach 1 - exp(-0.3 / 0.03), feedback recorded."""
    model.legitimacy.observe_decision(3, 0.595)
    assert_allclose(model.legitimacy.reach, 1 - np.exp(-10))
    assert model.legitimacy.feedback == 0.595
