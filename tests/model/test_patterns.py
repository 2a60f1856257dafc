"""The patterns of MODEL.md's "must be able to show" list, as directions over replicates.

Each test runs two (or more) conditions on the same 10 replicate seeds (common random
numbers: the same residents and network in both conditions) at Kampenhout's real size, and
asserts the direction: the mean paired difference has the expected sign AND at least 8 of
the 10 pairs agree. A mechanism that is switched off or reversed fails these tests; no
number here is tuned to a particular outcome.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

import sim

pytestmark = pytest.mark.slow

SEEDS = sim.replicate_seeds(2026, 10)
MIN_AGREE = 8


def outcomes(design: str, overrides: list[str], scenario: str = "kampenhout") -> pd.DataFrame:
    """Summaries of the 10 replicates of one condition, indexed by seed."""
    return _outcomes(design, tuple(overrides), scenario).copy()


@functools.cache
def _outcomes(design: str, overrides: tuple[str, ...], scenario: str) -> pd.DataFrame:
    # cached: several tests share a condition (e.g. inflated promises without realism)
    rows = [sim.run_config(sim.compose_config(scenario, design, s, list(overrides))).summary for s in SEEDS]
    return pd.DataFrame(rows).set_index("seed")


def assert_direction(low: pd.Series, high: pd.Series, what: str) -> None:
    """``high`` exceeds ``low``: on average, and in at least MIN_AGREE of the paired replicates."""
    diff = (high - low).to_numpy(dtype=float)
    agree = int((diff > 0).sum())
    assert diff.mean() > 0 and agree >= MIN_AGREE, (
        f"{what}: mean paired difference {diff.mean():.4g}, {agree}/{diff.size} replicates agree")


def test_fear_lowers_turnout():
    calm = outcomes("participatory_budget", ["citizens.fear_mean=0.2"])
    afraid = outcomes("participatory_budget", ["citizens.fear_mean=0.7"])
    assert_direction(afraid["turnout"], calm["turnout"], "turnout, low fear > high fear")


def test_complex_design_lowers_turnout():
    simple = outcomes("participatory_budget", ["design.complexity=0.1"])
    complex_ = outcomes("participatory_budget", ["design.complexity=0.9"])
    assert_direction(complex_["turnout"], simple["turnout"], "turnout, simple > complex design")


def test_informing_first_softens_fear():
    base = ["citizens.fear_mean=0.7", "design.inform_intensity=0.8"]
    informed = outcomes("consultation", [*base, "design.inform_first=true", "design.inform_months=3",
                                         "design.cycle_months=12"])
    uninformed = outcomes("consultation", [*base, "design.inform_first=false"])
    assert_direction(uninformed["turnout"], informed["turnout"], "turnout under high fear, informed first")
    # and the fear of those residents ends lower
    assert_direction(informed["fear_citizens"], uninformed["fear_citizens"], "fear, uninformed > informed")


def test_asking_and_ignoring_is_worse_than_not_asking():
    """The residents who took part trust the municipality less than the same residents (same seed: same
    people) when never asked (verification L1): their latent trust is lower, and the share of them who
    agree is never higher. The latent view is compared because Kampenhout's tokenistic consultation
    draws a few dozen participants, so their share agreeing moves in steps of a few points and is
    often unchanged: the direction shows in the view behind it."""
    lows, highs, share_gaps = [], [], []
    for s in SEEDS:
        asked = sim.run_config(sim.compose_config("kampenhout", "tokenistic_consultation", s))
        never = sim.run_config(sim.compose_config("kampenhout", "none", s))
        took_part = asked.model.population.ever_participated
        assert took_part.any()
        lows.append(asked.model.population.latent("trust")[took_part].mean())
        highs.append(never.model.population.latent("trust")[took_part].mean())
        share_gaps.append(never.model.population.agrees("trust")[took_part].mean()
                          - asked.model.population.agrees("trust")[took_part].mean())
    assert_direction(pd.Series(lows), pd.Series(highs), "participants' latent trust: never asked > asked and ignored")
    assert min(share_gaps) >= 0, share_gaps


def test_ignoring_lowers_mean_trust_against_no_participation():
    # Asked every year, nothing ever done with it.
    asked = outcomes("tokenistic_consultation", ["design.permanent=true", "design.responsiveness=0.0"])
    never = outcomes("none", [])
    assert_direction(asked["trust_citizens"], never["trust_citizens"], "mean trust: none > tokenistic")


def test_reopening_lowers_throughput_legitimacy_and_trust():
    stable = outcomes("participatory_budget", ["design.reopen_probability=0.0"])
    reopened = outcomes("participatory_budget", ["design.reopen_probability=0.6",
                                                 "administration.role_guardian=0.0"])
    assert (reopened["decisions_reopened"] > 0).all()
    assert_direction(reopened["legitimacy_throughput_mean"], stable["legitimacy_throughput_mean"],
                     "throughput legitimacy, stable > reopened")
    assert_direction(reopened["trust_citizens"], stable["trust_citizens"], "trust, stable > reopened")


def test_overpromising_raises_early_turnout_but_costs_trust():
    # Missed after the first evidence revision; holds again since the second (see realism below).
    # The ideas platform's truthful promise is modest, so there is room to over-promise
    # (a participatory budget already promises almost everything it can: empower).
    honest = outcomes("ideas_platform", ["design.promise_inflation=0.0", "administration.role_realism=0.0"])
    inflated = outcomes("ideas_platform", ["design.promise_inflation=1.5", "administration.role_realism=0.0"])
    assert_direction(honest["turnout_first_cycle"], inflated["turnout_first_cycle"],
                     "first-cycle turnout, over-promising > honest")
    assert_direction(inflated["trust_participants"], honest["trust_participants"],
                     "participants' trust at the end, honest > over-promising")
    assert_direction(inflated["trust_citizens"], honest["trust_citizens"], "mean trust, honest > over-promising")


def test_realism_protects_trust_when_promises_are_inflated():
    # Missed after the first evidence revision; holds again since the second (attrition in
    # implementation, the age profile, ballot parameters from pabulib); which of them restored it
    # is not traced.
    unrealistic = outcomes("ideas_platform", ["design.promise_inflation=1.5", "administration.role_realism=0.0"])
    realistic = outcomes("ideas_platform", ["design.promise_inflation=1.5", "administration.role_realism=1.0"])
    assert_direction(unrealistic["trust_participants"], realistic["trust_participants"],
                     "participants' trust, realism > none")


CONTINUITY = ["scenario.next_election_month=30", "run.steps=72"]


def test_continuity_carries_turnout_across_an_election():
    low = outcomes("participatory_budget", [*CONTINUITY, "administration.role_continuity=0.0"])
    high = outcomes("participatory_budget", [*CONTINUITY, "administration.role_continuity=1.0"])
    assert_direction(low["turnout_after_election"], high["turnout_after_election"],
                     "turnout in the first cycle after the election")


def test_continuity_carries_trust_across_an_election():
    # 7 of 10 replicates agreed after the attrition of projects was added; 8 or more since the
    # ballot parameters came from pabulib.
    low = outcomes("participatory_budget", [*CONTINUITY, "administration.role_continuity=0.0"])
    high = outcomes("participatory_budget", [*CONTINUITY, "administration.role_continuity=1.0"])
    assert_direction(low["trust_participants"], high["trust_participants"], "participants' trust at the end")


def test_random_selection_narrows_the_resource_gap():
    open_call = outcomes("consultation", [], scenario="geel")
    panel = outcomes("citizens_panel", ["design.panel_size=100"], scenario="geel")
    # Open calls over-represent the highly educated...
    assert (open_call["education_bias"] > 1.0).mean() >= MIN_AGREE / 10
    # ...and a panel by lot narrows the gap toward 1.
    gap_open = (open_call["education_bias"] - 1.0).abs()
    gap_panel = (panel["education_bias"] - 1.0).abs()
    assert_direction(gap_panel, gap_open, "education gap, open call > panel by lot")


def test_permanence_raises_general_interest_and_lowers_fear_of_self_interest():
    adhoc = outcomes("ideas_platform", ["design.permanent=false", "design.cycles=6"])
    permanent = outcomes("ideas_platform", ["design.permanent=true"])
    assert_direction(adhoc["general_interest_share_last"], permanent["general_interest_share_last"],
                     "general-interest share of the last cycle's proposals")
    assert_direction(permanent["fear_self_interest_administration"], adhoc["fear_self_interest_administration"],
                     "administration's fear of self-interest, ad hoc > permanent")
    assert_direction(permanent["fear_self_interest_council"], adhoc["fear_self_interest_council"],
                     "council's fear of self-interest, ad hoc > permanent")


def test_coproduction_adds_quality_when_capacity_matches():
    full = ["administration.hours_per_month=120"]
    scarce = ["administration.hours_per_month=2"]
    alone = outcomes("coproduction", [*full, "design.coproduction=0.0"])
    together = outcomes("coproduction", [*full, "design.coproduction=0.8"])
    assert_direction(alone["service_quality_mean"], together["service_quality_mean"],
                     "quality, co-production > professionals alone")
    gain_full = (together["service_quality_mean"] - alone["service_quality_mean"]).mean()
    alone_s = outcomes("coproduction", [*scarce, "design.coproduction=0.0"])
    together_s = outcomes("coproduction", [*scarce, "design.coproduction=0.8"])
    gain_scarce = (together_s["service_quality_mean"] - alone_s["service_quality_mean"]).mean()
    # Without capacity to match citizens' effort, co-production adds much less.
    assert gain_scarce < 0.5 * gain_full, (gain_scarce, gain_full)
    assert np.isfinite([gain_full, gain_scarce]).all()


def test_a_minority_of_projects_is_delivered_within_a_year():
    """Verification F3: of the residents' projects adopted at least a year before the end, fewer than half
    are delivered within twelve months (a 12-month implementation plus a delay)."""
    shares = []
    for s in SEEDS[:5]:
        p = sim.run_config(sim.compose_config("geel", "participatory_budget", s)).projects
        adopted = p[(p["origin"] == "residents") & p["adopted"].astype(bool) & (p["month_adopted"] + 12 <= 72)]
        lag = adopted["month_delivered"] - adopted["month_adopted"]
        shares.append(float((lag <= 12).sum()) / max(len(adopted), 1))
    assert np.mean(shares) < 0.5, shares
