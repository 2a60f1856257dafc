"""Tests for sim.validation.real_ballots: the ballot parameters estimated, the model's ballots beside real ones.

The estimators are checked on ballots drawn by the model's own ballot mechanism
(sim.model.mechanisms.ballots.approval_ballots) with known parameters: each must give back the
parameter it estimates. The statistics of the model's ballots are checked by hand on a small
ledger; the real side on a small per-round table written here (invented numbers).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from sim.model.mechanisms.ballots import approval_ballots
from sim.validation.pabulib import Election, area_name, area_set
from sim.validation.real_ballots import (
    OWN_AREA_FILES,
    STATISTICS,
    comparison_figure,
    comparison_table,
    estimate_approval_fill,
    fill_estimates,
    model_ballot_statistics,
    neighbourhood_weight,
    real_ballot_statistics,
)

# --------------------------------------------------------------------------------------------
# approval_fill
# --------------------------------------------------------------------------------------------


def rounds(*rows: tuple[str, str, float, float | None, float | None, int]) -> pd.DataFrame:
    """A per-round table: (file, vote_type, mean_approvals, max_length, min_length, n_projects)."""
    cols = ["file", "vote_type", "mean_approvals", "max_length", "min_length", "n_projects"]
    return pd.DataFrame(rows, columns=cols).assign(country="Testland")


def test_fill_estimates_subset_and_moment():
    df = rounds(
        ("a.pb", "approval", 2.0, 3, 1, 10),        # k 3: (2 - 1) / 2 = 0.5
        ("b.pb", "approval", 3.0, 10, None, 5),     # k = 5 projects: (3 - 1) / 4 = 0.5; no min_length: 1
        ("c.pb", "approval", 4.0, 5, 3, 20),        # 3 approvals required: left out
        ("d.pb", "choose-1", 1.0, 1, 1, 20),        # choose-1: left out
        ("e.pb", "approval", 2.5, None, None, 20),  # no max_length: left out
        ("f.pb", "approval", 1.0, 1, 1, 20),        # k 1: left out
        ("g.pb", "approval", 1.8, 5, 1, 30),        # k 5: 0.8 / 4 = 0.2
    )
    est = fill_estimates(df)
    assert est["file"].tolist() == ["a.pb", "b.pb", "g.pb"]
    np.testing.assert_allclose(est["k"], [3, 5, 5])
    np.testing.assert_allclose(est["fill"], [0.5, 0.5, 0.2])
    assert estimate_approval_fill(df) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="no round of the subset"):
        estimate_approval_fill(df.iloc[2:6])
    with pytest.raises(ValueError, match=r"lacks the columns \['min_length'\]"):
        fill_estimates(df.drop(columns="min_length"))


@pytest.mark.parametrize("fill", [0.3, 0.55, 0.9])
def test_fill_estimate_gives_back_the_models_fill(fill):
    """Ballots drawn by the model with a known fill (3 approvals of 8 proposals) estimate that fill."""
    rng = np.random.default_rng(7)
    n, m = 20_000, 8
    ballots = approval_ballots(rng, rng.integers(0, 3, n), rng.random(n), rng.integers(0, 3, m), rng.random(m),
                               3, 1.0, 1.5, fill=fill)
    lengths = np.diff(ballots.indptr)
    df = rounds(("x.pb", "approval", float(lengths.mean()), 3, 1, m))
    # sd of one voter's count is at most sqrt(2 * 0.25) = 0.71; over 20,000 voters and / (k - 1) = 2: 0.0025
    assert estimate_approval_fill(df) == pytest.approx(fill, abs=0.01)


# --------------------------------------------------------------------------------------------
# ballot_neighbourhood_weight
# --------------------------------------------------------------------------------------------


def election(ballots: sp.csr_matrix, home: np.ndarray, place: np.ndarray, vote_type: str = "choose-1") -> Election:
    """An Election from model-drawn ballots, areas named A0, A1, ..."""
    m = ballots.shape[1]
    return Election(path=Path("synthetic.pb"), meta={"vote_type": vote_type}, costs=np.ones(m), ballots=ballots,
                    budget=float(m), project_ids=[f"p{j}" for j in range(m)], selected_column=None,
                    project_area=[f"A{a}" for a in place], voter_area=[f"A{a}" for a in home],
                    area_field="district/district")


@pytest.mark.parametrize("weight", [0.0, 2.0, 4.5])
def test_neighbourhood_weight_gives_back_the_models_weight(weight):
    """Choose-1 ballots drawn by the model (4 areas, 16 proposals) with a known own-area weight and a
    general-interest term that differs between proposals (absorbed by the fixed effects)."""
    rng = np.random.default_rng(3)
    n, m = 8_000, 16
    home, place = rng.integers(0, 4, n), np.repeat(np.arange(4), 4)
    ballots = approval_ballots(rng, home, np.ones(n), place, rng.random(m), 1, weight, 1.5)
    fit = neighbourhood_weight(election(ballots, home, place))
    assert (fit.voters, fit.areas) == (n, 4)
    assert 0 < fit.standard_error < 0.15
    assert fit.weight == pytest.approx(weight, abs=4 * fit.standard_error)
    # the own-area share it reports is the share of votes for a proposal of the voter's area
    own = (home[:, None] == place[None, :])
    assert fit.own_area_vote_share == pytest.approx(float(ballots.multiply(own).sum() / n))


def test_neighbourhood_weight_refuses_other_ballots():
    rng = np.random.default_rng(1)
    home, place = rng.integers(0, 2, 50), np.array([0, 1, 0, 1])
    ballots = approval_ballots(rng, home, np.ones(50), place, rng.random(4), 2, 1.0, 0.0)
    with pytest.raises(ValueError, match="needs choose-1 ballots"):
        neighbourhood_weight(election(ballots, home, place, vote_type="approval"))
    one = approval_ballots(rng, home, np.ones(50), place, rng.random(4), 1, 1.0, 0.0)
    no_areas = election(one, home, place)
    no_areas = Election(**{**no_areas.__dict__, "voter_area": [None] * 50})
    with pytest.raises(ValueError, match="must both carry an area"):
        neighbourhood_weight(no_areas)


def test_area_names_are_compared_written_out():
    assert area_name("Osobowice - Rędzin") == area_name("Osobowice-Rędzin") == "Osobowice-Rędzin"
    assert area_name("Gądów-Popowice  Płd.") == "Gądów-Popowice Południowe"
    assert area_set("Pilczyce-Kozanów-Popowice Płn., Ołbin") == {"Pilczyce-Kozanów-Popowice Północne", "Ołbin"}
    assert area_set(None) == frozenset()


# --------------------------------------------------------------------------------------------
# The model's ballots and the real ones
# --------------------------------------------------------------------------------------------


def ledger() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two cycles. Cycle 1: 10 ballots, 3 approvals allowed; on the ballot votes 8, 4, 3, 1 (own 6, 2, 0, 1),
    funded the first two; one proposal screened out. Cycle 2: nobody voted (no row)."""
    projects = pd.DataFrame({
        "cycle": [1, 1, 1, 1, 1, 2],
        "screened_in": [True, True, True, True, False, True],
        "votes": pd.array([8, 4, 3, 1, 0, 0], dtype="Int64"),
        "own_neighbourhood_votes": pd.array([6, 2, 0, 1, 0, 0], dtype="Int64"),
        "funded": pd.array([True, True, False, False, False, False], dtype="boolean"),
    })
    cycles = pd.DataFrame({"cycle": [1, 2], "ballots": [10, 0]})
    return projects, cycles


def test_model_ballot_statistics_by_hand():
    stats = model_ballot_statistics(*ledger(), approvals_allowed=3)
    assert list(stats.columns) == ["cycle", "ballots", "n_projects", "mean_approvals", *(s.name for s in STATISTICS)]
    assert len(stats) == 1
    row = stats.iloc[0]
    assert (row["cycle"], row["ballots"], row["n_projects"]) == (1, 10, 4)
    assert row["mean_approvals"] == pytest.approx(1.6)                 # 16 approvals on 10 ballots
    assert row["approval_share_of_max"] == pytest.approx(16 / 30)
    # counts sorted 1, 3, 4, 8: sum((2i - 5) x_i) / (4 * 16) = (-3 - 3 + 4 + 24) / 64
    assert row["vote_gini"] == pytest.approx(22 / 64)
    assert row["top10_vote_share"] == pytest.approx(8 / 16)            # top 10 % of 4 = 1 proposal
    assert row["funded_project_share"] == pytest.approx(0.5)
    assert row["own_area_vote_share"] == pytest.approx(9 / 16)
    with pytest.raises(ValueError, match="approvals_allowed=0 must be at least 1"):
        model_ballot_statistics(*ledger(), approvals_allowed=0)


def real_table(tmp_path: Path) -> Path:
    """A per-round table as scripts/pabulib_agreement.py writes it (invented numbers)."""
    df = pd.DataFrame({
        "file": ["a.pb", "b.pb", "c.pb", OWN_AREA_FILES[0], "e.pb"],
        "country": ["Poland"] * 5,
        "vote_type": ["approval", "approval", "choose-1", "choose-1", "approval"],
        "mean_approvals": [2.0, 4.7, 1.0, 1.0, 2.0],
        "max_length": [3, 5, 1, 1, 3],
        "min_length": [1, 3, 1, 1, None],
        "n_projects": [10, 30, 12, 200, 15],
        "approval_share_of_max": [2 / 3, 0.94, 1.0, 1.0, 2 / 3],
        "vote_gini": [0.2, 0.3, 0.5, 0.6, 0.4],
        "top10_vote_share": [0.2, 0.25, 0.4, 0.1, 0.3],
        "funded_project_share": [0.4, 0.5, 0.3, 0.2, None],
        "own_area_vote_share": [None, None, 1.0, 0.65, None],
    })
    path = tmp_path / "instances.csv"
    df.to_csv(path, index=False)
    return path


def test_real_ballot_statistics_keep_each_statistics_subset(tmp_path):
    real = real_ballot_statistics(real_table(tmp_path))
    # share of max: approval rounds of the fill subset (b requires 3 approvals)
    np.testing.assert_allclose(real["approval_share_of_max"], [2 / 3, np.nan, np.nan, np.nan, 2 / 3])
    np.testing.assert_allclose(real["vote_gini"], [0.2, 0.3, np.nan, np.nan, 0.4])   # approval rounds
    np.testing.assert_allclose(real["own_area_vote_share"], [np.nan, np.nan, np.nan, 0.65, np.nan])
    with pytest.raises(FileNotFoundError, match="no per-round pabulib table"):
        real_ballot_statistics(tmp_path / "missing.csv")


def test_comparison_table_and_figure(tmp_path):
    real = real_ballot_statistics(real_table(tmp_path))
    model = model_ballot_statistics(*ledger(), approvals_allowed=3)
    table = comparison_table({"Toy": model}, real)
    assert len(table) == len(STATISTICS)
    gini = table.set_index("statistic").loc["vote_gini"]
    # real Gini 0.2, 0.3, 0.4: quartiles 0.25, 0.3, 0.35; the model's 22 / 64 = 0.344 lies within
    assert (gini["real_rounds"], gini["model_cycles"], gini["use"]) == (3, 1, "validation")
    assert (gini["real_q25"], gini["real_median"], gini["real_q75"]) == pytest.approx((0.25, 0.3, 0.35))
    assert bool(gini["within_real_iqr"]) is True
    share = table.set_index("statistic").loc["approval_share_of_max"]
    assert share["use"] == "calibration" and bool(share["within_real_iqr"]) is False  # 0.53 against 0.67
    comparison_figure({"Toy": model}, real, tmp_path / "ballots.png")
    assert (tmp_path / "ballots.png").stat().st_size > 5_000


def test_neighbourhood_weight_flags_areas_read_from_the_vote():
    """Where the voter's area is the area of the project she voted for, every project's voters name
    one area: one_area_projects is 1 (and near 0 for areas of residence)."""
    rng = np.random.default_rng(5)
    n, m = 2_000, 8
    home, place = rng.integers(0, 4, n), np.repeat(np.arange(4), 2)
    ballots = approval_ballots(rng, home, np.ones(n), place, rng.random(m), 1, 1.0, 0.0)
    assert neighbourhood_weight(election(ballots, home, place)).one_area_projects == 0.0
    voted_area = place[ballots.indices]  # one approval per ballot: the area of the project voted for
    assert neighbourhood_weight(election(ballots, voted_area, place)).one_area_projects == 1.0
