"""Tests of the agents' own methods (sim/model/agents.py), called as the processes call them: through
the model's AgentSets with ``do``.

Attitudes are set by hand on a 12-resident model (two civil servants, the scenario's council);
expected values follow from sim.model.mechanisms.fears and sim.model.mechanisms.elections, worked out in
the comments.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.agents import LEARNED_ATTITUDES, RENEWED_ATTITUDES, Citizen, CivilServant, CouncilMember
from tests.model.processes.support import set_population, tiny_model


@pytest.fixture
def model():
    """A 12-resident model whose agents all start at trust 0.5 and fears 0.4."""
    m = tiny_model()
    for name in ("fear_failure", "fear_complexity", "fear_self_interest"):
        m.administration.set(name, 0.4)
    m.administration.set("trust_in_citizens", 0.5)
    m.council.set("fear_self_interest", 0.4)
    m.council.set("trust_in_citizens", 0.5)
    m.council.set("commitment", 0.6)
    return m


def test_agent_sets(model):
    """Two civil servants and one council member per seat, of the right classes."""
    assert len(model.administration) == model.config.administration.staff == 2
    assert len(model.council) == model.config.council.seats
    assert all(isinstance(a, CivilServant) for a in model.administration)
    assert all(isinstance(c, CouncilMember) for c in model.council)


class TestCivilServant:
    def test_learn_from_projects(self, model):
        """Fear of failure moves toward the month's failure share, scaled by events / saturation."""
        model.administration.do("learn_from_projects", 1, 1, 0.1, 5)
        # evidence 1/2; 0.4 + 0.1 * min(2, 5)/5 * (0.5 - 0.4) = 0.404
        assert_allclose(model.administration.get("fear_failure"), [0.404, 0.404])

    def test_learn_from_projects_saturates(self, model):
        """More events than the saturation count as the saturation: 10 failures move as 5 do."""
        model.administration.do("learn_from_projects", 0, 10, 0.1, 5)
        # 0.4 + 0.1 * 5/5 * (1 - 0.4) = 0.46
        assert_allclose(model.administration.get("fear_failure"), 0.46)

    def test_no_projects_no_learning(self, model):
        """A month without deliveries or failures leaves the fear of failure alone."""
        model.administration.do("learn_from_projects", 0, 0, 0.1, 5)
        assert_allclose(model.administration.get("fear_failure"), 0.4)

    def test_learn_from_cycle(self, model):
        """Self-interest toward the evidence (permanence doubles the rate), complexity down, trust to 1 - evidence."""
        model.administration.do("learn_from_cycle", 0.6, 0.1, 2.0, 0.5)
        a = model.administration
        # fear_self_interest: 0.4 + (0.1 * 2) * (0.6 - 0.4) = 0.44
        assert_allclose(a.get("fear_self_interest"), 0.44)
        # fear_complexity: 0.4 * (1 - 0.5 * 0.1) = 0.38
        assert_allclose(a.get("fear_complexity"), 0.38)
        # trust_in_citizens: 0.5 + 0.1 * ((1 - 0.6) - 0.5) = 0.49
        assert_allclose(a.get("trust_in_citizens"), 0.49)
        # fear of failure is not learned from a cycle
        assert_allclose(a.get("fear_failure"), 0.4)


class TestCouncilMember:
    def test_learn_from_cycle(self, model):
        """Self-interest toward the evidence, trust toward its complement; commitment unchanged."""
        model.council.do("learn_from_cycle", 0.2, 0.1, 1.0)
        # fear_self_interest: 0.4 + 0.1 * (0.2 - 0.4) = 0.38; trust: 0.5 + 0.1 * (0.8 - 0.5) = 0.53
        assert_allclose(model.council.get("fear_self_interest"), 0.38)
        assert_allclose(model.council.get("trust_in_citizens"), 0.53)
        assert_allclose(model.council.get("commitment"), 0.6)

    def test_be_replaced(self, model):
        """A newcomer's attitude is prior + continuity * (outgoing - prior); fear of losing control stays."""
        member = model.council.to_list()[0]
        member.fear_losing_control = 0.7
        priors = {"trust_in_citizens": 0.3, "fear_self_interest": 0.5, "commitment": 0.2}
        outgoing = {"trust_in_citizens": 0.7, "fear_self_interest": 0.1, "commitment": 0.6}
        member.be_replaced(priors, outgoing, 0.25)
        # 0.3 + 0.25*(0.7-0.3) = 0.4;  0.5 + 0.25*(0.1-0.5) = 0.4;  0.2 + 0.25*(0.6-0.2) = 0.3
        assert_allclose([getattr(member, a) for a in RENEWED_ATTITUDES], [0.4, 0.4, 0.3])
        assert member.fear_losing_control == 0.7
        # the other members keep their attitudes
        assert_allclose(model.council.get("trust_in_citizens")[1:], 0.5)

    def test_be_replaced_through_do(self, model):
        """Without continuity every replaced member takes exactly the priors."""
        priors = {"trust_in_citizens": 0.3, "fear_self_interest": 0.5, "commitment": 0.2}
        model.council.do("be_replaced", priors, {a: 0.9 for a in RENEWED_ATTITUDES}, 0.0)
        for attr, value in priors.items():
            assert_allclose(model.council.get(attr), value)


class TestForget:
    def test_learned_attitudes_drift_back_to_where_they_started(self, model):
        """Where each civil servant started (``initial``, drawn at creation) is set by hand to trust 0.5
        and fears 0.4. After learning moved fear of failure to 0.46, forgetting at rate 0.1 closes a tenth
        of the gap:
        0.46 + 0.1 * (0.4 - 0.46) = 0.454; trust 0.8 -> 0.8 + 0.1 * (0.5 - 0.8) = 0.77."""
        for servant in model.administration:
            servant.initial = {"trust_in_citizens": 0.5, "fear_complexity": 0.4, "fear_failure": 0.4,
                               "fear_self_interest": 0.4}
        model.administration.do("learn_from_projects", 0, 10, 0.1, 5)  # fear of failure 0.46
        model.administration.set("trust_in_citizens", 0.8)
        model.administration.do("forget", 0.1)
        a = model.administration
        assert_allclose(a.get("fear_failure"), 0.454)
        assert_allclose(a.get("trust_in_citizens"), 0.77)
        # attitudes at their starting point stay there
        assert_allclose(a.get("fear_complexity"), 0.4)
        assert_allclose(a.get("fear_self_interest"), 0.4)

    def test_initial_is_what_she_drew(self):
        """``initial`` holds the attitudes drawn at creation, each civil servant her own."""
        m = tiny_model()
        for servant in m.administration:
            assert servant.initial == {attr: getattr(servant, attr) for attr in LEARNED_ATTITUDES}
        assert len({s.initial["fear_failure"] for s in m.administration}) == len(m.administration)

    def test_no_fear_only_ever_falls(self, model):
        """Learning by doing lowers the fear of complexity each cycle; with forgetting at
        administration.attitude_memory (0.01 a month) it returns toward its start when cycles stop:
        0.38 after a cycle, then 0.4 - 0.02 * 0.99 ** 120 = 0.39401 after ten years without one."""
        rate = model.config.administration.attitude_memory
        assert rate == 0.01
        for servant in model.administration:
            servant.initial = {**servant.initial, "fear_complexity": 0.4}
        model.administration.do("learn_from_cycle", 0.6, 0.1, 1.0, 0.5)
        assert_allclose(model.administration.get("fear_complexity"), 0.38)
        for _ in range(120):
            model.administration.do("forget", rate)
        assert_allclose(model.administration.get("fear_complexity"), 0.4 - 0.02 * 0.99**120)


def test_citizen_is_a_view_of_the_population(model):
    """A Citizen agent reads its row of the population arrays (no copy)."""
    trust_row = model.population.latent("trust")
    trust_row[:] = np.linspace(-0.55, 0.55, 12)
    c = model.citizen(11)
    assert isinstance(c, Citizen)
    assert c.index == 11
    assert_allclose(c.perception("trust"), 0.55)
    assert c.trusts and c.agrees("trust") and not model.citizen(0).trusts
    model.population.latent("trust")[11] = -0.9
    assert_allclose(c.perception("trust"), -0.9)
    assert not c.trusts
    # every item is read from its own row
    model.population.latent("output")[11] = 1.5
    assert c.perception("output") == 1.5 and c.agrees("output")
    set_population(model, fear=np.linspace(0.0, 0.55, 12))
    assert_allclose(c.fear, 0.55)
    assert c.participating is False
    model.participation.taking_part[11] = True
    assert c.participating is True
    assert "trusts=False" in repr(c)


def test_citizens_are_created_on_first_use_and_readable_by_a_datacollector(model):
    """No Citizen agent exists until one is asked for; then every resident is one, in order,
    and Mesa's DataCollector reads them like any agent (agent-type reporters)."""
    import mesa

    assert Citizen not in model.agents_by_type
    citizens = model.citizens
    assert len(citizens) == model.population.size == 12
    assert sorted(c.index for c in citizens) == list(range(12))
    set_population(model, fear=np.linspace(0.0, 0.55, 12))
    model.population.latent("trust")[:] = np.where(np.arange(12) < 4, 1.0, -1.0)
    collector = mesa.DataCollector(agenttype_reporters={Citizen: {"fear": "fear", "trusts": "trusts"}})
    collector.collect(model)
    table = collector.get_agenttype_vars_dataframe(Citizen)
    assert_allclose(sorted(table["fear"]), np.linspace(0.0, 0.55, 12))
    assert int(table["trusts"].sum()) == 4
