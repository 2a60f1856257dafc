"""Tests of sim/model/mechanisms/perceptions.py: the latent-normal reading of survey shares.

The numbers are worked out from the normal distribution: Phi^-1(0.35) = -0.38532, Phi(-0.38532 + 0.1)
= Phi(-0.28532) = 0.38770 (docs/evidence/perceptions.md gives +3.8 points for d = 0.1 at p0 = 0.35).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.model.mechanisms import perceptions


def test_share_after_is_the_probit_conversion():
    assert_allclose(perceptions.latent_mean(0.35), -0.385320, atol=1e-6)
    assert_allclose(perceptions.share_after(0.35, 0.1), 0.387699, atol=1e-6)
    assert_allclose(perceptions.share_after(0.5, 0.2), 0.579260, atol=1e-6)
    assert perceptions.share_after(0.35, 0.0) == pytest.approx(0.35)


def test_effect_for_inverts_share_after():
    for p0, p1 in ((0.29, 0.34), (0.7, 0.6), (0.05, 0.5)):
        d = perceptions.effect_for(p0, p1)
        assert perceptions.share_after(p0, d) == pytest.approx(p1)
    # the Flemish monitor: 34 % (2020) -> 29 % (2023) is a shift of Phi^-1(0.29) - Phi^-1(0.34)
    # = -0.55338 - (-0.41246) = -0.14092 sd
    assert perceptions.effect_for(0.34, 0.29) == pytest.approx(-0.14092, abs=1e-5)


@pytest.mark.parametrize("share", [0.0, 1.0, -0.1, 1.5])
def test_a_share_must_lie_strictly_between_0_and_1(share):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        perceptions.latent_mean(share)


def test_initial_attitudes_have_the_shares_and_the_correlation():
    """200,000 residents: each item's share agreeing within 0.005 of its target, unit variance, and
    every pair of items correlated 0.5 (within 0.01)."""
    rng = np.random.default_rng(3)
    shares = {"trust": 0.29, "efficacy": 0.35, "input": 0.34, "throughput": 0.4, "output": 0.7}
    z = perceptions.initial(200_000, shares, 0.5, rng)
    assert z.shape == (5, 200_000) and z.dtype == np.float32
    for k, item in enumerate(perceptions.ITEMS):
        assert perceptions.agree(z[k]) == pytest.approx(shares[item], abs=0.005)
        assert z[k].std() == pytest.approx(1.0, abs=0.01)
    corr = np.corrcoef(z)
    assert_allclose(corr[np.triu_indices(5, 1)], 0.5, atol=0.01)


def test_initial_rejects_a_correlation_of_one():
    with pytest.raises(ValueError, match="correlation"):
        perceptions.initial(10, dict.fromkeys(perceptions.ITEMS, 0.5), 1.0, np.random.default_rng(0))


def test_an_effect_on_everyone_moves_the_share_as_the_conversion_says():
    """A simulated population shifted by d = 0.2 agrees as often as share_after predicts."""
    z = perceptions.initial(200_000, dict.fromkeys(perceptions.ITEMS, 0.35), 0.0, np.random.default_rng(1))[0]
    z += np.float32(0.2)
    assert perceptions.agree(z) == pytest.approx(perceptions.share_after(0.35, 0.2), abs=0.004)


def test_agree_among_a_group():
    z = np.array([-1.0, 0.5, 2.0, -0.1], dtype=np.float32)
    assert perceptions.agree(z) == 0.5
    assert perceptions.agree(z, np.array([True, True, True, False])) == pytest.approx(2 / 3)
    assert np.isnan(perceptions.agree(z, np.zeros(4, dtype=bool)))


def test_shift_weighs_bad_news_by_the_loss():
    """strength 0.5 with gain 0.2: +0.1; strength -0.5 with loss 0.4: -0.2."""
    assert_allclose(perceptions.shift(np.array([0.5, -0.5, 0.0]), 0.2, 0.4), [0.1, -0.2, 0.0], atol=1e-7)


def test_shift_of_many_residents_equals_the_product_chosen_by_sign():
    """One value per resident: bit for bit what np.where over both products gives (including -0.0 and
    a scalar strength), in float32."""
    rng = np.random.default_rng(2)
    s = np.concatenate([rng.uniform(-1, 1, 999).astype(np.float32), np.float32([-0.0, 0.0, 1.0])])
    for strength in (s, s[:0], np.float32(-0.25), 0.5):
        a = np.asarray(strength, dtype=np.float32)
        expected = np.where(a >= 0, a * np.float32(0.12), a * np.float32(0.3))
        got = perceptions.shift(strength, 0.12, 0.3)
        assert got.dtype == np.float32 and got.shape == expected.shape
        np.testing.assert_array_equal(np.atleast_1d(got).view(np.int32), np.atleast_1d(expected).view(np.int32))


def test_relax_closes_the_gap_by_the_rate():
    z = np.array([1.0, -1.0], dtype=np.float32)
    perceptions.relax(z, np.zeros(2, dtype=np.float32), 0.25)
    assert_allclose(z, [0.75, -0.75])


def test_monthly_rate_halves_in_the_half_life():
    rate = perceptions.monthly_rate(36.0)
    assert (1 - rate) ** 36 == pytest.approx(0.5)


def test_chance_to_agree_is_phi():
    assert_allclose(perceptions.chance_to_agree(np.array([0.0, 1.0])), [0.5, 0.841345], atol=1e-6)
