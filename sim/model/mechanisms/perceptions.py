"""Residents' perceptions of their municipal government, held per resident and read as a survey reads them.

Rule: every resident holds, for each survey item of :data:`ITEMS`, a latent attitude ``z`` on a
standard-normal scale and agrees with the item when ``z > 0``; what she experiences or hears moves
``z`` by an effect size in standard deviations (Cohen's d), and memory pulls it back toward where
she started.

Why a latent normal scale: published effects of participation on perceptions come as differences
of means on rating scales (Hager et al. 2022; the Zurich allocation experiment of Yang et al., used
in Hänggli Fricker et al. 2024), which convert to standardised differences d by dividing by the
outcome's standard deviation, while published levels come as shares of residents who agree with an
item (Gemeente-Stadsmonitor). The latent-normal (probit) model joins the two: a population in which
a share ``p0`` agrees has mean ``Phi^-1(p0)``, and an effect d on each resident moves the share to
``Phi(Phi^-1(p0) + d)`` (:func:`share_after`). The conversion is stated once, here, and used for
every effect (docs/evidence/perceptions.md checks it on the Zurich data: within 4 points).

State: ``z``, one float32 row per item and one column per resident, initially
``Phi^-1(p_item) + sqrt(r) c + sqrt(1 - r) e``, with ``c`` common to a resident's items (so that
a resident who trusts tends to find decisions fair) and ``e`` her own per item; ``z0``, where she
started, to which memory returns.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

#: The survey items, in the order of the rows of the state. Each is reported as the share who agree.
#: trust: "I have (a lot of) trust in the municipal government"; efficacy: "People like me can
#: influence what the municipality does"; input: "The municipality involves its residents
#: sufficiently"; throughput: "Decisions in my municipality are taken in a fair and open way";
#: output: "I am satisfied with what the municipality delivers". Their wording in Dutch and English
#: and their published Flemish levels: docs/model.md 7.10 and docs/sources.md.
ITEMS = ("trust", "efficacy", "input", "throughput", "output")
INDEX = {item: k for k, item in enumerate(ITEMS)}
#: The items residents' own rules read: how engaged a resident is when she decides whether to take part
#: (efficacy and trust) or to co-produce (efficacy), through ``Population.conviction``. Only these change what
#: residents do; the survey measures all of them. The light path (``sim.api.run_config(series=False)``), which
#: has no survey, moves only these (``Population.moved``).
READ_BY_RULES = ("trust", "efficacy")


def latent_mean(share: float) -> float:
    """Mean of the latent attitude of a population in which ``share`` agree: Phi^-1(share)."""
    if not 0.0 < share < 1.0:
        raise ValueError(f"share={share!r}: allowed a share strictly between 0 and 1")
    return float(ndtri(share))


def share_after(share: float, d: float) -> float:
    """The share who agree after an effect ``d`` (in standard deviations) on every resident:
    Phi(Phi^-1(share) + d), the probit conversion between an effect size and a share."""
    return float(ndtr(latent_mean(share) + d))


def effect_for(share: float, new_share: float) -> float:
    """The effect d (in standard deviations) that moves the share who agree from ``share`` to ``new_share``."""
    return latent_mean(new_share) - latent_mean(share)


def initial(n: int, shares: dict[str, float], correlation: float, rng: np.random.Generator) -> np.ndarray:
    """Latent attitudes of ``n`` residents, shape (items, n): item k is Phi^-1(p_k) + sqrt(r) c + sqrt(1 - r) e_k.

    ``c`` (one per resident) and ``e_k`` (one per resident and item) are independent standard
    normals, so each item has unit variance, any two items correlate ``r = correlation``, and the
    expected share who agree with item k is ``shares[k]``.
    """
    if not 0.0 <= correlation < 1.0:
        raise ValueError(f"correlation={correlation!r}: allowed [0, 1)")
    z = rng.standard_normal((len(ITEMS), n)).astype(np.float32)
    z *= np.float32(np.sqrt(1.0 - correlation))
    z += (rng.standard_normal(n) * np.sqrt(correlation)).astype(np.float32)
    z += np.array([latent_mean(shares[item]) for item in ITEMS], dtype=np.float32)[:, None]
    return z


def agree(z: np.ndarray, who: np.ndarray | None = None) -> float:
    """Share who agree (z > 0) among all residents, or among those ``who`` selects (mask or indices)."""
    values = z if who is None else z[who]
    return float(np.count_nonzero(values > 0) / values.size) if values.size else float("nan")


def chance_to_agree(z: np.ndarray) -> np.ndarray:
    """Each resident's chance of agreeing, Phi(z), in (0, 1): how firmly she holds the view.

    Rules that need a graded belief rather than a yes or no (how engaged a resident is when she
    decides whether to take part or to co-produce) read this.
    """
    return ndtr(z)


def shift(strength: np.ndarray | float, gain: float, loss: float) -> np.ndarray:
    """How far news of ``strength`` in [-1, 1] moves the latent attitude: strength * gain for good
    news, strength * loss for bad news (``gain``, ``loss`` >= 0: the effects, in standard deviations,
    of the best and the worst news of the kind).

    Bad news weighs more than good news in every study of it (Kampen, Van de Walle & Bouckaert
    2006; James 2011; Olsen 2015; Naurin et al. 2019), by a ratio none of them gives as a number:
    ``loss / gain`` is a parameter with that uncertainty (perceptions.negativity).
    """
    s = np.asarray(strength, dtype=np.float32)
    if s.ndim == 0:
        return np.where(s >= 0, s * np.float32(gain), s * np.float32(loss))
    # the good news' products, then the bad news' in their places: the same values as np.where over
    # both products, with one product of every resident's news instead of two (a million residents)
    out = s * np.float32(gain)
    bad = np.flatnonzero(s < 0)
    if bad.size:
        out[bad] = s[bad] * np.float32(loss)
    return out


def relax(z: np.ndarray, z0: np.ndarray, rate: float) -> None:
    """Memory fades: a share ``rate`` of the distance back to where each resident started closes (in place)."""
    if rate:
        gap = z0 - z
        gap *= np.float32(rate)
        z += gap


def monthly_rate(half_life_months: float) -> float:
    """The monthly share of a distance that closes when half of it closes in ``half_life_months``."""
    return float(1.0 - 0.5 ** (1.0 / half_life_months)) if half_life_months > 0 else 1.0
