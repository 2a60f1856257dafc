"""Tests of sim/model/processes/perceptions.py: the month's survey of residents' perceptions.

On a 12-resident model every resident's latent attitude on each survey item is set by hand, so that
the share who agree (latent > 0) among all residents, among those who ever took part and among those
who never did can be counted by hand; overall legitimacy combines the shares agreeing with the input,
throughput and output items as ``perceptions.aggregation`` says; the council's acceptance of input is
its members' mean trust in citizens discounted by their mean fear of self-interest.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.config.schema import Aggregation
from sim.model.mechanisms.perceptions import INDEX, ITEMS
from sim.model.processes.perceptions import combine
from tests.model.processes.support import N, mask, tiny_model

#: How many of the 12 residents agree with each item; residents 0-3 ever took part.
AGREE = {"trust": 6, "efficacy": 3, "input": 4, "throughput": 9, "output": 12}


@pytest.fixture
def surveyed():
    """Item k: the first AGREE[k] residents agree (latent 0.5), the others do not (-0.5; one at exactly 0,
    which is not agreeing). Residents 0-3 ever took part."""
    m = tiny_model()
    z = np.full((len(ITEMS), N), -0.5, dtype=np.float32)
    for item, count in AGREE.items():
        z[INDEX[item], :count] = 0.5
    z[INDEX["efficacy"], 11] = 0.0  # on the fence: does not agree
    m.population.perception = z
    m.population.ever_participated = mask(N, 0, 1, 2, 3)
    return m


def test_shares_among_all_participants_and_the_others(surveyed):
    """trust: 6 of 12 agree (0.5); among the 4 who took part (0-3) all 4 (1.0), among the 8 others
    2 (0.25). efficacy: 3 of 12 (0.25); participants 3 of 4 (0.75), others 0 of 8.
    throughput: 9 of 12 (0.75); participants 4/4, others 5/8."""
    m = surveyed
    p = m.perceptions
    p.step()
    assert p.shares == {item: count / 12 for item, count in AGREE.items()}
    assert p.participants["trust"] == 1.0 and p.others["trust"] == 0.25
    assert p.participants["efficacy"] == 0.75 and p.others["efficacy"] == 0.0
    assert p.participants["throughput"] == 1.0 and p.others["throughput"] == 5 / 8
    assert p.participants["output"] == p.others["output"] == 1.0


def test_results_name_the_survey_items(surveyed):
    """The time-series columns read the month's shares: trust and efficacy among all residents, trust
    among participants and the others, the three parts of legitimacy and their mean (arithmetic, the
    default): (4 + 9 + 12) / 36 = 0.694444."""
    m = surveyed
    assert m.config.perceptions.aggregation is Aggregation.arithmetic
    m.perceptions.step()
    r = {res.name: res.measure(m) for res in m.perceptions.results}
    assert r["trust_citizens"] == 0.5 and r["efficacy_citizens"] == 0.25
    assert (r["trust_participants"], r["trust_nonparticipants"]) == (1.0, 0.25)
    assert (r["legitimacy_input"], r["legitimacy_throughput"], r["legitimacy_output"]) == (4 / 12, 9 / 12, 1.0)
    assert_allclose(r["legitimacy"], 25 / 36)


@pytest.mark.parametrize(("aggregation", "expected"), [
    (Aggregation.arithmetic, (1 / 3 + 3 / 4 + 1) / 3),  # 0.694444
    (Aggregation.geometric, (1 / 3 * 3 / 4 * 1) ** (1 / 3)),  # cbrt(0.25) = 0.629961
    (Aggregation.minimum, 1 / 3),  # the weakest part: input
])
def test_three_aggregations_of_legitimacy(surveyed, aggregation, expected):
    m = surveyed
    m.config.perceptions.aggregation = aggregation
    m.perceptions.step()
    assert_allclose(m.perceptions.overall, expected)


def test_combine_by_hand():
    """0.2, 0.4, 0.8: mean 0.466667, geometric mean cbrt(0.064) = 0.4, minimum 0.2; a part at 0 makes the
    geometric mean and the minimum 0 but not the mean."""
    parts = (0.2, 0.4, 0.8)
    assert_allclose(combine(parts, Aggregation.arithmetic), 1.4 / 3)
    assert_allclose(combine(parts, Aggregation.geometric), 0.4)
    assert combine(parts, Aggregation.minimum) == 0.2
    assert combine((0.0, 0.5, 0.9), Aggregation.geometric) == 0.0
    assert combine((0.0, 0.5, 0.9), Aggregation.minimum) == 0.0
    assert_allclose(combine((0.0, 0.5, 0.9), Aggregation.arithmetic), 1.4 / 3)


def test_nobody_took_part_yet(surveyed):
    """Before anyone took part the participants' shares are undefined (nan), the others' are everyone's."""
    m = surveyed
    m.population.ever_participated[:] = False
    m.perceptions.step()
    assert all(np.isnan(v) for v in m.perceptions.participants.values())
    assert m.perceptions.others == m.perceptions.shares


def test_everybody_took_part(surveyed):
    """Everyone took part: the participants' shares are everyone's, the others' undefined."""
    m = surveyed
    m.population.ever_participated[:] = True
    m.perceptions.step()
    assert m.perceptions.participants == m.perceptions.shares
    assert all(np.isnan(v) for v in m.perceptions.others.values())


def test_a_survey_moves_nothing(surveyed):
    """Measuring leaves every resident where she was."""
    m = surveyed
    before = m.population.perception.copy()
    m.perceptions.step()
    assert np.array_equal(m.population.perception, before)


def test_council_acceptance(surveyed):
    """Mean trust in citizens 0.6, mean fear of self-interest 0.4, discount 0.5 (council.acceptance_fear_discount):
    0.6 * (1 - 0.5 * 0.4) = 0.48. Members differ: the means count."""
    m = surveyed
    assert m.config.council.acceptance_fear_discount == 0.5
    members = m.council.to_list()
    for k, member in enumerate(members):
        member.trust_in_citizens = 0.5 if k % 2 else 0.7
        member.fear_self_interest = 0.4
    members[-1].trust_in_citizens = 0.6  # an odd number of seats: the last one at the mean
    assert np.mean(m.council.get("trust_in_citizens")) == pytest.approx(0.6)
    m.perceptions.step()
    assert_allclose(m.perceptions.council_acceptance, 0.48)
    assert_allclose({r.name: r.measure(m) for r in m.perceptions.results}["legitimacy_council"], 0.48)


def test_the_first_survey_reads_the_scenarios_levels():
    """A model as built, before anything happened to anyone: each item's share agreeing is the count of
    latent attitudes above 0 (as drawn around the scenario's level); nobody took part yet."""
    m = tiny_model()
    m.perceptions.step()
    for item in ITEMS:
        assert m.perceptions.shares[item] == np.count_nonzero(m.population.latent(item) > 0) / N
    assert np.isnan(m.perceptions.participants["trust"])
