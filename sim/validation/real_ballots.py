"""The model's ballots against real ones: ballot parameters estimated from pabulib, and a side-by-side.

Two jobs, both on the statistics :mod:`sim.validation.pabulib` computes for a real round:

Estimating the ballot parameters (run by ``scripts/pabulib_agreement.py`` on the pabulib files;
the figures are in ``docs/pabulib_agreement.md``, section "Ballot parameters"):

* ``citizens.approval_fill`` -- the model draws ``1 + Binomial(k - 1, fill)`` approvals of the
  ``k = min(approvals allowed, candidates)`` a voter may give, so ``(mean approvals - 1) / (k - 1)``
  is an unbiased estimate of ``fill`` for one round (:func:`fill_estimates`). The estimate is
  the median over :data:`FILL_SUBSET`: approval rounds that, like the model's ballot, allow more
  than one approval and ask for no more than one (rounds with a ``min_length`` above 1, such as
  most Amsterdam rounds, force approvals and say nothing about how many voters want to give).
* ``citizens.ballot_neighbourhood_weight`` -- the model's ballot utility is ``w [own
  neighbourhood] + (general-interest fit) + Gumbel noise``. On a choose-1 round whose voters and
  projects carry an area, :func:`neighbourhood_weight` fits the conditional logit ``u = alpha_p +
  w [project p in the voter's area] + Gumbel`` by maximum likelihood, with a fixed effect
  ``alpha_p`` per project that absorbs how attractive each project is to everyone (the model's
  general-interest term and whatever else makes a project popular). ``w`` is then identified by
  voters of different areas choosing among the same projects, and is on the model's scale
  (standard Gumbel noise). :data:`OWN_AREA_FILES` lists the rounds it is fitted on and why.

Comparing the model's ballots with real ones: :func:`model_ballot_statistics` computes, per
decided cycle of a run with a vote, the statistics that :func:`sim.validation.pabulib.statistics_of`
computes per real round, with the same definitions (:data:`STATISTICS`);
:func:`real_ballot_statistics` reads the real ones per round from the committed table
``docs/data/pabulib_replay_instances.csv`` (our computed figures; no pabulib file is needed);
:func:`comparison_table` and :func:`comparison_figure` put the two distributions side by side
(the "Ballots against real elections" section of the validation report, :mod:`sim.validation.report`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from sim.io import atomic_savefig
from sim.validation.pabulib import area_set, vote_concentration

if TYPE_CHECKING:
    from sim.validation.pabulib import Election

__all__ = [
    "FILL_SUBSET",
    "OWN_AREA_FILES",
    "REAL_INSTANCES",
    "STATISTICS",
    "NeighbourhoodWeight",
    "Statistic",
    "comparison_figure",
    "comparison_table",
    "estimate_approval_fill",
    "fill_estimates",
    "model_ballot_statistics",
    "neighbourhood_weight",
    "real_ballot_statistics",
    "run_ballot_statistics",
]

REAL_INSTANCES: Final[Path] = Path(__file__).resolve().parents[2] / "docs" / "data" / "pabulib_replay_instances.csv"
"""Per-round statistics of the pabulib files (written by ``scripts/pabulib_agreement.py``)."""

FILL_SUBSET: Final[str] = (
    "approval rounds with a META max_length, at most one approval required (min_length absent or 1) and "
    "k = min(max_length, projects) of at least 2"
)
"""The rounds whose approvals per ballot estimate ``citizens.approval_fill`` (see :func:`fill_estimates`)."""

OWN_AREA_FILES: Final[tuple[str, ...]] = (
    "Poland_Wroclaw_2015_up_to_150.pb",
    "Poland_Wroclaw_2015_150_-_500.pb",
    "Poland_Wroclaw_2015_from_500.pb",
)
"""Rounds that tell how much voters favour projects of their own area.

Of the pabulib files in which both voters and projects carry an area (all of them Wrocław), only
the three district budgets of 2015 put local projects of every area (about 49 osiedla) on one
ballot that voters of every area could choose from, with an area recorded for the voter that is
not the area of her vote: the voters of one project name many areas
(:attr:`NeighbourhoodWeight.one_area_projects` near 0). The others do not. In the city-wide
rounds (2017, 2018, 2018 cultural, 2019) a project's area is where a city-wide project happens
to be located. In the local rounds of 2019, 2020 and 2021 every voter of a project names one and
the same area (``one_area_projects`` 1): the voter's area is the area of the project she voted
for, not where she lives, so it says nothing about favouring one's own area (in 2019 it even
differs from the project's own area column for most projects: all 3,716 voters of project 100,
"Park Leonarda da Vinci na Gądowie Małym", name Gądów-Popowice Południowe, the project's column
says Leśnica; a fit there gives 1.13, with an own-area share of 0.12).
"""


@dataclasses.dataclass(frozen=True)
class Statistic:
    """A ballot statistic compared between the model and real rounds.

    ``use`` is *calibration* where the statistic estimated a model parameter (the comparison then
    shows the estimate carried over) and *validation* where no parameter was set with it in view.
    ``real_subset`` says which real rounds count; ``model`` how the model's value is computed.
    """

    name: str
    label: str
    use: str
    parameter: str
    real_subset: str
    model: str


STATISTICS: Final[tuple[Statistic, ...]] = (
    Statistic("approval_share_of_max", "approvals per ballot / allowed", "calibration", "citizens.approval_fill",
              FILL_SUBSET,
              "approvals cast / (ballots x design.approvals_per_ballot)"),
    Statistic("vote_gini", "Gini of votes over projects", "validation", "",
              "approval rounds", "Gini of the approvals of the proposals on the ballot"),
    Statistic("top10_vote_share", "vote share of the top 10 % of projects", "validation", "",
              "approval rounds", "share of the approvals that went to the top 10 % (at least one) of the ballot"),
    Statistic("funded_project_share", "share of projects funded", "validation", "",
              "approval rounds with an official selection (selected == 1)",
              "funded proposals / proposals on the ballot"),
    Statistic("own_area_vote_share", "votes from the project's own area", "calibration",
              "citizens.ballot_neighbourhood_weight", "the Wrocław 2015 district budgets (OWN_AREA_FILES)",
              "approvals from the proposal's own neighbourhood / all approvals"),
)
"""The statistics of the side-by-side, in order."""


# ---------------------------------------------------------------------------------------------
# Estimation
# ---------------------------------------------------------------------------------------------


def fill_estimates(instances: pd.DataFrame) -> pd.DataFrame:
    """The rounds of :data:`FILL_SUBSET` with ``k`` and their estimate ``fill = (a - 1) / (k - 1)``.

    ``instances`` has one row per round with ``vote_type``, ``mean_approvals`` (a),
    ``max_length``, ``min_length`` and ``n_projects`` (as ``docs/data/pabulib_replay_instances.csv``);
    ``k = min(max_length, n_projects)`` is the number of approvals a voter could give, as in the
    model (``min(design.approvals_per_ballot, candidates)``). Under the model, the expected number of
    approvals is ``1 + (k - 1) fill``, so this is the moment estimate of ``fill`` for one round.
    """
    missing = {"vote_type", "mean_approvals", "max_length", "min_length", "n_projects"} - set(instances.columns)
    if missing:
        raise ValueError(f"instances lacks the columns {sorted(missing)} (see scripts/pabulib_agreement.py)")
    df = instances[instances["vote_type"] == "approval"].copy()
    max_length = pd.to_numeric(df["max_length"], errors="coerce")
    min_length = pd.to_numeric(df["min_length"], errors="coerce").fillna(1)
    df["k"] = np.minimum(max_length, pd.to_numeric(df["n_projects"]))
    df = df[max_length.notna() & (min_length <= 1) & (df["k"] >= 2)]
    df["fill"] = (df["mean_approvals"] - 1.0) / (df["k"] - 1.0)
    return df


def estimate_approval_fill(instances: pd.DataFrame) -> float:
    """``citizens.approval_fill``: the median of :func:`fill_estimates` (``ValueError`` if none)."""
    fills = fill_estimates(instances)["fill"]
    if fills.empty:
        raise ValueError(f"no round of the subset: {FILL_SUBSET}")
    return float(fills.median())


@dataclasses.dataclass(frozen=True)
class NeighbourhoodWeight:
    """Fit of :func:`neighbourhood_weight` on one round."""

    weight: float
    """Maximum-likelihood ``w``: utility of a project in the voter's own area (Gumbel scale)."""
    standard_error: float
    """From the observed information (inverse Hessian of the log-likelihood)."""
    voters: int
    """Ballots with a known voter area (the others are left out)."""
    projects: int
    """Projects with at least one such vote (the others have no finite fixed effect)."""
    areas: int
    """Distinct voter areas (sets of areas, for voters naming several)."""
    own_area_vote_share: float
    """Share of these voters' votes that went to a project of their own area."""
    one_area_projects: float
    """Share of the projects with at least 10 such votes whose voters all name one and the same
    area: near 1 when the voter's recorded area is the area of her vote, not of her home (then
    the fit says nothing about favouring one's own area; see :data:`OWN_AREA_FILES`)."""


def neighbourhood_weight(election: Election) -> NeighbourhoodWeight:
    """Fit ``u_vp = alpha_p + w [p in v's area] + Gumbel`` to a choose-1 round with voter and project areas.

    Conditional (multinomial) logit with a fixed effect per project, by maximum likelihood on the
    votes grouped by voter area (voters of one area face the same choice, so the counts suffice).
    A voter or project naming several areas is in its own area when the two sets meet. Raises
    ``ValueError`` for other ballots (approval ballots would need the order of the approvals) or
    a round without areas for both voters and projects.
    """
    from scipy.optimize import minimize

    path = str(election.path)
    csr = election.ballots.tocsr()
    if election.meta.get("vote_type") != "choose-1" and int(np.diff(csr.indptr).max(initial=0)) > 1:
        raise ValueError(f"path={path!r}: neighbourhood_weight needs choose-1 ballots (one vote per ballot)")
    voter_sets = [area_set(a) for a in election.voter_area]
    project_sets = [area_set(a) for a in election.project_area]
    groups: dict[frozenset[str], list[int]] = {}
    for voter, areas in enumerate(voter_sets):
        if areas:
            groups.setdefault(areas, []).append(voter)
    if not groups or not any(project_sets):
        raise ValueError(f"path={path!r}: voters and projects must both carry an area (district or neighborhood)")
    keys = list(groups)
    counts = np.vstack([np.asarray(csr[groups[k]].sum(axis=0), dtype=np.float64).ravel() for k in keys])
    own = np.array([[1.0 if key & p else 0.0 for p in project_sets] for key in keys])
    voted = counts.sum(axis=0) > 0
    counts, own = counts[:, voted], own[:, voted]
    n_groups, n_projects = counts.shape
    per_group = counts.sum(axis=1)

    def probabilities(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # alpha of the first project is 0 (the fixed effects are identified up to a constant)
        utility = np.concatenate([[0.0], theta[:-1]])[None, :] + theta[-1] * own
        top = utility.max(axis=1, keepdims=True)
        log_sum = top[:, 0] + np.log(np.exp(utility - top).sum(axis=1))
        return utility, np.exp(utility - log_sum[:, None]), log_sum

    def negative_log_likelihood(theta: np.ndarray) -> tuple[float, np.ndarray]:
        utility, prob, log_sum = probabilities(theta)
        residual = counts - per_group[:, None] * prob
        gradient = np.concatenate([residual.sum(axis=0)[1:], [(residual * own).sum()]])
        return -float((counts * utility).sum() - (per_group * log_sum).sum()), -gradient

    fit = minimize(negative_log_likelihood, np.zeros(n_projects), jac=True, method="L-BFGS-B")
    if not fit.success:
        raise RuntimeError(f"path={path!r}: the conditional logit did not converge ({fit.message})")
    _, prob, _ = probabilities(fit.x)
    # observed information of (alpha_1.., w): sum over groups of n_g (X' diag(P) X - X'P P'X), with X
    # the project dummies and the own-area column (0/1, so own^2 = own)
    weighted = per_group[:, None] * prob
    own_mean = (prob * own).sum(axis=1)
    information = np.empty((n_projects + 1, n_projects + 1))
    information[:n_projects, :n_projects] = np.diag(weighted.sum(axis=0)) - prob.T @ weighted
    cross = (weighted * own).sum(axis=0) - weighted.T @ own_mean
    information[:n_projects, -1] = information[-1, :n_projects] = cross
    information[-1, -1] = float((per_group * (own_mean - own_mean**2)).sum())
    information = information[1:, 1:]  # alpha of the first project is fixed at 0
    variance = np.linalg.pinv(information)[-1, -1]
    return NeighbourhoodWeight(
        weight=float(fit.x[-1]),
        standard_error=float(np.sqrt(max(variance, 0.0))),
        voters=int(per_group.sum()),
        projects=n_projects,
        areas=n_groups,
        own_area_vote_share=float((counts * own).sum() / counts.sum()),
        one_area_projects=float(((counts > 0).sum(axis=0) == 1)[counts.sum(axis=0) >= 10].mean()),
    )


# ---------------------------------------------------------------------------------------------
# The model's ballots and the real ones
# ---------------------------------------------------------------------------------------------


def model_ballot_statistics(projects: pd.DataFrame, cycles: pd.DataFrame, approvals_allowed: int) -> pd.DataFrame:
    """One row per decided cycle with a vote: the statistics of :data:`STATISTICS` for the model's ballot.

    ``projects`` and ``cycles`` are a run's ledger and cycle table (``res.projects``,
    ``res.cycles``); ``approvals_allowed`` is ``design.approvals_per_ballot``, the model's
    ``max_length``. The ballot is the cycle's screened-in proposals; a cycle without ballots cast
    or without proposals on the ballot has no row. Columns: ``cycle``, ``ballots``,
    ``n_projects``, ``mean_approvals`` and one column per statistic.
    """
    if approvals_allowed < 1:
        raise ValueError(f"approvals_allowed={approvals_allowed} must be at least 1")
    ballots_cast = cycles.set_index("cycle")["ballots"]
    on_ballot = projects[projects["screened_in"].fillna(False).astype(bool) & projects["votes"].notna()]
    rows = []
    for cycle, ballot in on_ballot.groupby("cycle", sort=True):
        ballots = int(ballots_cast.get(cycle, 0))
        votes = ballot["votes"].to_numpy(dtype=np.float64)
        if ballots == 0 or votes.size == 0:
            continue
        total = float(votes.sum())
        gini, _, top10 = vote_concentration(votes)
        own = ballot["own_neighbourhood_votes"].to_numpy(dtype=np.float64)
        rows.append({
            "cycle": int(cycle), "ballots": ballots, "n_projects": int(votes.size),
            "mean_approvals": total / ballots,
            "approval_share_of_max": total / ballots / approvals_allowed,
            "vote_gini": gini, "top10_vote_share": top10,
            "funded_project_share": float(ballot["funded"].astype(bool).mean()),
            "own_area_vote_share": float(own.sum() / total) if total else np.nan,
        })
    columns = ["cycle", "ballots", "n_projects", "mean_approvals", *(s.name for s in STATISTICS)]
    return pd.DataFrame(rows, columns=columns)


def run_ballot_statistics(run: Any) -> pd.DataFrame:
    """:func:`model_ballot_statistics` of a finished run (``sim.run``'s result), tagged with scenario and seed."""
    stats = model_ballot_statistics(run.projects, run.cycles, int(run.settings.design.approvals_per_ballot))
    stats.insert(0, "seed", int(run.summary["seed"]))
    stats.insert(0, "scenario", str(run.summary["scenario"]))
    return stats


def real_ballot_statistics(path: str | Path = REAL_INSTANCES) -> pd.DataFrame:
    """The real rounds' statistics, one row per round, each column restricted to its :data:`STATISTICS` subset.

    Reads the per-round table that ``scripts/pabulib_agreement.py`` writes; a statistic is NaN for
    a round outside its subset (``approval_share_of_max`` outside :data:`FILL_SUBSET`,
    ``own_area_vote_share`` outside :data:`OWN_AREA_FILES`, the others for choose-1 rounds).
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"path={str(path)!r}: no per-round pabulib table (run scripts/pabulib_agreement.py)")
    df = pd.read_csv(p)
    out = df[["file", "country", "vote_type"]].copy()
    approval = df["vote_type"] == "approval"
    in_fill = df.index.isin(fill_estimates(df).index)
    out["approval_share_of_max"] = df["approval_share_of_max"].where(in_fill)
    for name in ("vote_gini", "top10_vote_share", "funded_project_share"):
        out[name] = df[name].where(approval)
    out["own_area_vote_share"] = df["own_area_vote_share"].where(df["file"].isin(OWN_AREA_FILES))
    return out


def _quartiles(values: pd.Series) -> tuple[int, float, float, float]:
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return 0, np.nan, np.nan, np.nan
    return int(v.size), float(v.quantile(0.25)), float(v.median()), float(v.quantile(0.75))


def comparison_table(model: Mapping[str, pd.DataFrame], real: pd.DataFrame) -> pd.DataFrame:
    """One row per statistic and model scenario: real and model quartiles side by side.

    ``model`` maps a label (e.g. ``"Geel"``) to :func:`model_ballot_statistics` rows (cycles of
    all replicates); ``real`` is :func:`real_ballot_statistics`. ``within_real_iqr`` says whether
    the model's median lies in the real rounds' interquartile range.
    """
    rows = []
    for stat in STATISTICS:
        n_real, r25, r50, r75 = _quartiles(real[stat.name])
        for label, stats in model.items():
            n_model, m25, m50, m75 = _quartiles(stats[stat.name]) if stat.name in stats else (0, np.nan, np.nan, np.nan)
            rows.append({
                "statistic": stat.name, "use": stat.use, "model": label,
                "real_rounds": n_real, "real_q25": r25, "real_median": r50, "real_q75": r75,
                "model_cycles": n_model, "model_q25": m25, "model_median": m50, "model_q75": m75,
                "within_real_iqr": bool(n_real and n_model and r25 <= m50 <= r75),
            })
    return pd.DataFrame(rows)


def comparison_figure(model: Mapping[str, pd.DataFrame], real: pd.DataFrame, path: Path) -> None:
    """One panel per statistic: box plots of the real rounds and of the model's cycles per scenario."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(STATISTICS), figsize=(3.2 * len(STATISTICS), 3.4), squeeze=False)
    colours = ["#7f7f7f", "#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    for ax, stat in zip(axes.flat, STATISTICS, strict=True):
        samples = [pd.to_numeric(real[stat.name], errors="coerce").dropna().to_numpy()]
        labels = [f"pabulib\n(n={samples[0].size})"]
        for label, stats in model.items():
            values = pd.to_numeric(stats[stat.name], errors="coerce").dropna().to_numpy()
            samples.append(values)
            labels.append(f"{label}\n(n={values.size})")
        shown = [s if s.size else np.array([np.nan]) for s in samples]
        boxes = ax.boxplot(shown, patch_artist=True, widths=0.6, showfliers=True,
                           flierprops={"markersize": 2, "alpha": 0.4})
        for patch, colour in zip(boxes["boxes"], colours, strict=False):
            patch.set_facecolor(colour)
            patch.set_alpha(0.45)
        ax.set_xticks(range(1, len(labels) + 1), labels, fontsize=7)
        ax.set_ylim(0, 1)
        ax.set_ylabel("share", fontsize=8)
        ax.set_title(f"{stat.label}\n({stat.use})", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle("Ballots of the model (cycles over replicates) against real rounds (pabulib); "
                 "boxes: quartiles, whiskers: 1.5 IQR", fontsize=9)
    fig.tight_layout()
    atomic_savefig(fig, path, dpi=110)
    plt.close(fig)
