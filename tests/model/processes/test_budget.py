"""Tests of sim/model/processes/budget.py: the project money of each budget year, the same for every design.

A 12-resident model's money is scaled with its residents (run.population_scale 0.0005): the generic
scenario's EUR 170,000 a year of project money is EUR 85. Tests that need projects paid for set the
scenario's money so that the scaled amounts are round: scenario.project_budget_eur 92,000,000 is
EUR 46,000 a year, and with proposals.cost_log_sd 0 every project costs exactly its mean (EUR 15,000
for the council's own and the participatory budget's), so the council funds three projects of a year
no resident chose (45,000) and leaves 1,000.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.processes.budget import YEAR
from sim.model.processes.projects import COUNCIL, RESIDENTS
from tests.model.processes.support import tiny_model

#: EUR 46,000 a year (scaled), projects at exactly their mean cost, a citizens' budget of EUR 20,000 a cycle.
ROUND_MONEY = ("scenario.project_budget_eur=92000000", "scenario.citizens_budget_eur=40000000",
               "scenario.annual_budget_eur=4000000000",  # the whole budget holds the citizens' budget (scaled)
               "proposals.cost_log_sd=0.0")

DESIGNS = ("none", "consultation", "tokenistic_consultation", "citizens_panel", "ideas_platform",
           "participatory_budget", "coproduction", "spatial_codesign")


def test_money_is_scaled_with_the_residents():
    """170,000 * 0.0005 = EUR 85 a year; the participatory budget's 170,000 a cycle * 0.0005 = EUR 85."""
    m = tiny_model()
    assert m.config.run.population_scale == 0.0005
    assert (m.config.scenario.project_budget_eur, m.config.design.budget_per_cycle_eur) == (170_000.0, 170_000.0)
    assert_allclose(m.budget.yearly(), 85.0)
    assert_allclose(m.budget.citizens_budget(), 85.0)
    assert tiny_model("none").budget.citizens_budget() == 0.0


def test_a_year_adds_its_money_to_what_is_left():
    """Month 0 opens the year with EUR 85; month 5 opens nothing; month 12 adds another 85 to the 55 left
    (what the council could not spend carries over)."""
    m = tiny_model()
    m.month = 0
    assert m.budget.open_year() is True and m.budget.available == 85.0
    m.budget.commit(RESIDENTS, 30.0)
    m.month = 5
    assert m.budget.open_year() is False and m.budget.available == 55.0
    m.month = 12
    assert m.budget.open_year() is True and m.budget.available == 140.0
    assert m.budget.committed == {RESIDENTS: 30.0, COUNCIL: 0.0}


def test_a_citizens_budget_is_set_aside_and_its_vote_paid_from_it():
    """A cycle opens: its EUR 85 is set aside (advanced if the common money does not hold it); the vote's
    adopted projects (20 + 30) are paid from it and the 35 it leaves return to the common money."""
    m = tiny_model()
    m.month = 0
    m.budget.open_year()
    m.budget.set_aside()
    assert (m.budget.available, m.budget.reserved) == (0.0, 85.0)
    m.budget.fund_vote(np.array([20.0, 30.0, 40.0]), np.array([True, True, False]))
    assert (m.budget.available, m.budget.reserved) == (35.0, 0.0)
    assert m.budget.committed[RESIDENTS] == 50.0


def test_an_overrun_is_paid_from_the_common_money():
    """A council project delivered 20 % over its estimate of 100 costs 20 more; one 10 % under returns 10."""
    m = tiny_model()
    m.budget.available = 500.0
    m.budget.overrun(COUNCIL, 20.0)
    m.budget.overrun(RESIDENTS, -10.0)
    assert m.budget.available == 490.0
    assert m.budget.committed == {RESIDENTS: -10.0, COUNCIL: 20.0}


def test_the_last_month_of_a_year():
    m = tiny_model()
    closing = []
    for t in range(0, 3 * YEAR):
        m.month = t
        if m.budget.closing_year():
            closing.append(t)
    assert closing == [11, 23, 35]


def test_afford_in_priority_order_within_the_money():
    """EUR 50 for proposals costing 20, 10, 30, 5, of which the first three were adopted, in priority
    1, 3, 2, 4: the fourth (priority 4) was not adopted; then 10 (left 40), then 30 (left 10); 20 does
    not fit any more. 40 committed to residents' choices, 10 left."""
    m = tiny_model()
    m.budget.available = 50.0
    keep = m.budget.afford(np.array([20.0, 10.0, 30.0, 5.0]), np.array([True, True, True, False]),
                           np.array([1.0, 3.0, 2.0, 4.0]))
    assert keep.tolist() == [False, True, True, False]
    assert m.budget.committed[RESIDENTS] == 40.0 and m.budget.available == 10.0


def test_afford_skips_what_does_not_fit_and_takes_a_cheaper_one_after_it():
    """EUR 50: 30 (left 20), 25 does not fit, 5 still does (left 15); equal priorities go in ledger order."""
    m = tiny_model()
    m.budget.available = 50.0
    keep = m.budget.afford(np.array([30.0, 25.0, 5.0]), np.ones(3, dtype=bool), np.array([1.0, 1.0, 1.0]))
    assert keep.tolist() == [True, False, True]
    assert m.budget.available == 15.0


def test_afford_nothing_without_money():
    """Money spent (or advanced to a citizens' budget) pays for nothing more."""
    m = tiny_model()
    m.budget.available = -5.0
    keep = m.budget.afford(np.array([1.0, 2.0]), np.ones(2, dtype=bool), np.array([2.0, 1.0]))
    assert not keep.any() and m.budget.committed[RESIDENTS] == 0.0


def test_council_projects_with_what_is_left():
    """EUR 46,000, of which residents committed 15,000: the council funds two projects of 15,000
    (31,000 left, a third would not fit) in neighbourhoods of the municipality, commits 30,000 and
    carries 1,000 over."""
    m = tiny_model("participatory_budget", *ROUND_MONEY)
    m.month = 0
    m.budget.open_year()
    assert m.budget.available == 46_000.0
    m.budget.commit(RESIDENTS, 15_000.0)
    where, cost = m.budget.council_projects()
    assert_allclose(cost, [15_000.0, 15_000.0])
    assert set(where.tolist()) <= set(range(len(m.config.scenario.neighbourhoods)))
    assert_allclose(m.budget.committed[COUNCIL], 30_000.0)
    assert_allclose(m.budget.available, 1_000.0)


def test_no_council_projects_when_residents_chose_everything():
    m = tiny_model("participatory_budget", *ROUND_MONEY)
    m.month = 0
    m.budget.open_year()
    m.budget.commit(RESIDENTS, 40_000.0)  # 6,000 left: less than a project
    where, cost = m.budget.council_projects()
    assert where.size == cost.size == 0 and m.budget.committed[COUNCIL] == 0.0


def test_project_quality_per_month():
    """The quality a month's share of the year's money adds per resident when the council spends it:
    project_quality 0.002 * mean expertise 0.7 * (85 / 12 / 12 residents)."""
    m = tiny_model()
    m.administration.set("expertise", 0.7)
    assert m.config.production.project_quality == 0.002
    assert_allclose(m.budget.project_quality_per_month(), 0.002 * 0.7 * 85 / 12 / 12)


def run_years(design: str, years: int, *overrides: str) -> tuple[object, list[float]]:
    """Run a tiny model of ``design`` for ``years`` budget years (with round money); the money committed
    in each year (residents' choices and the council's together)."""
    m = tiny_model(design, *ROUND_MONEY, "citizens.base_propensity=5.0", "design.proposals_per_participant=0.5",
                   *overrides)
    m.month = m.signals.month = -1
    per_year, before = [], 0.0
    for _ in range(years * YEAR):
        m.step()
        if m.budget.closing_year():
            total = sum(m.budget.committed.values())
            per_year.append(total - before)
            before = total
    return m, per_year


@pytest.mark.parametrize("design", DESIGNS)
def test_every_design_spends_the_same_money_and_the_ledger_adds_up(design):
    """Residents who take part almost surely (base propensity 5) and propose often: whatever residents choose,
    the money is conserved (what came in over three years is committed, set aside or left), what is left
    (or overspent by overruns after the council's spending) is less than two council projects (15,000 each:
    the council spends the common money each year; money a dropped or reopened project gave back after the
    last year's end waits for the next) plus the overruns settled, and the
    ledger adds up to what was committed, by chooser: estimates of adopted projects (not those dropped or
    reopened, whose money came back) plus what delivered ones cost over or under their estimate."""
    m, _ = run_years(design, 3)
    b = m.budget
    assert_allclose(sum(b.committed.values()) + b.available + b.reserved, 3 * 46_000.0)
    rows = m.projects.ledger()
    overruns = sum(abs(r["cost_final"] - r["cost"]) for r in rows if r["cost_final"] is not None)
    assert abs(b.available + b.reserved) < 30_000.0 + overruns
    for chooser in (RESIDENTS, COUNCIL):
        # projects dropped or reopened gave their money back
        adopted = [r for r in rows if r["origin"] == chooser and r["adopted"] and not (r["abandoned"] or r["reopened"])]
        estimates = sum(r["cost"] for r in adopted)
        settled = sum(r["cost_final"] - r["cost"] for r in adopted if r["cost_final"] is not None)
        assert_allclose(estimates + settled, b.committed[chooser])
    if design == "none":
        assert b.committed[RESIDENTS] == 0.0 and b.committed[COUNCIL] > 0


def test_every_design_spends_the_same_money_when_projects_cost_the_same():
    """With every design's projects at the council's cost (EUR 15,000) and no overruns, every year's money
    buys three projects, chosen by residents or by the council: every design commits 3 * 45,000 = 135,000
    over three years, and residents chose some of them in the designs that adopt anything."""
    totals, chosen = {}, {}
    for design in DESIGNS:
        m, _ = run_years(design, 3, "design.mean_project_cost_eur=15000",
                                "administration.cost_overrun_mean=0.0", "administration.cost_overrun_log_sd=0.0")
        totals[design] = sum(m.budget.committed.values())
        chosen[design] = m.budget.committed[RESIDENTS]
    assert_allclose(list(totals.values()), [135_000.0] * len(DESIGNS))
    assert chosen["none"] == 0.0
    assert chosen["participatory_budget"] > 0 and chosen["coproduction"] > 0
