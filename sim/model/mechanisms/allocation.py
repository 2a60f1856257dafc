"""From a participatory budget's ballots to funded projects, as real rounds organise it (docs/model.md 7.7).

Rule (one sentence): each project scores its approvals (or, where live and online votes carry
fixed shares of the result, the two channels' approval rates weighted by those shares), a project
below the vote threshold is passed over, and the allocation rule funds projects within the budget,
or within each sub-budget where the budget is split over districts or themes.

What real rounds do, and what the code takes from them:

* **Vote thresholds.** Many Polish rounds fund only projects with a minimum number of votes
  (pabulib's ``greedy-threshold``: 350 approval rounds, most with 50 votes; Warszawa 2018 10 % of
  the district's valid votes); Geel 2022: "een project met meer dan 100 stemmen komt in
  aanmerking" (docs/evidence/mechanisms.md 4a). The model states the threshold as a share of the
  round's voters (``design.vote_threshold``), so that it means the same at any population scale.
* **Greedy without skipping.** 262 Polish approval rounds stop at the first project that does
  not fit instead of skipping it (pabulib's ``greedy-no-skip``; docs/pabulib_agreement.md).
* **Sub-budgets.** Warsaw and Paris split the budget over districts; District Antwerpen divides
  its EUR 1.4 million over 12 themes that residents choose, at a budget-division day, before
  they vote on projects (docs/sources.md 3). Here a district's share is its share of residents,
  a theme's share the theme's share of all approvals (what residents want money for); money left
  in one sub-budget stays unspent. Both keys are assumptions of the simplest kind.
* **Live and online votes.** District Antwerpen 2018 counted almost 4,000 online votes and some
  hundreds of live votes at 20 % and 80 % of the result (docs/sources.md 3). A project's score is
  then ``live_share * live approvals / live voters + (1 - live_share) * online approvals /
  online voters``; a channel without voters gives its weight to the other.

Departure: the method of equal shares gives every voter the same budget, so channel weights are
only defined for the greedy rules (``sim.config.keys.validate`` refuses the combination).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.model.mechanisms import budgeting


def channel_scores(ballots: sp.csr_matrix, live: np.ndarray, live_share: float) -> np.ndarray:
    """Each project's score when live and online votes carry fixed shares of the result.

    ``ballots`` is the voters x projects 0/1 matrix, ``live`` marks the voters who voted live.
    The score is ``live_share`` times the share of live voters who approve the project plus
    ``1 - live_share`` times the share of online voters who do; with no live (online) voters the
    online (live) share carries the whole result.
    """
    n_live = int(live.sum())
    n_online = live.size - n_live
    none = np.zeros(ballots.shape[1])
    by_live = np.asarray(ballots[live].sum(axis=0), dtype=float).ravel() if n_live else none
    by_online = np.asarray(ballots[~live].sum(axis=0), dtype=float).ravel() if n_online else none
    if n_live == 0:
        return by_online / n_online
    if n_online == 0:
        return by_live / n_live
    return live_share * by_live / n_live + (1.0 - live_share) * by_online / n_online


def sub_budgets(budget: float, n_groups: int, weights: np.ndarray) -> np.ndarray:
    """The budget of each group (district or theme), in proportion to ``weights`` (one per group).

    Groups with no weight get nothing; with no weight anywhere the budget is split equally.
    """
    w = np.asarray(weights, dtype=float)
    if w.size != n_groups:
        raise ValueError(f"weights has {w.size} entries for {n_groups} groups")
    total = w.sum()
    if total <= 0:
        return np.full(n_groups, budget / max(n_groups, 1))
    return budget * w / total


def fund(costs: np.ndarray, ballots: sp.csr_matrix, budget: float, rule: str, *,
         scores: np.ndarray | None = None, threshold_share: float = 0.0,
         groups: np.ndarray | None = None, group_budgets: np.ndarray | None = None) -> np.ndarray:
    """Mask of funded projects.

    ``rule`` is ``"greedy"``, ``"greedy_no_skip"`` or ``"equal_shares"``. ``scores`` replaces the
    approval counts as the greedy rules' order (channel weights); ``threshold_share`` is the
    share of voters whose approval a project needs (counted on the ballots, whatever the
    weights). With ``groups`` (a group index per project) and ``group_budgets`` the rule runs
    within each group's budget on that group's projects. A project nobody approved is never
    funded (pabutools' greedy would fill a budget with it).
    """
    n_voters, m = ballots.shape
    counts = np.asarray(ballots.sum(axis=0)).ravel()
    order = counts.astype(float) if scores is None else np.asarray(scores, dtype=float)
    eligible = (counts > 0) & (counts >= threshold_share * n_voters)
    funded = np.zeros(m, dtype=bool)
    if groups is None:
        parts = [(np.arange(m), budget)]
    else:
        if group_budgets is None:
            raise ValueError("groups need group_budgets: one budget per group")
        parts = [(np.flatnonzero(groups == g), float(b)) for g, b in enumerate(group_budgets)]
    for cols, money in parts:
        cols = cols[eligible[cols]]
        if cols.size == 0 or money <= 0:
            continue
        if rule == "equal_shares":
            chosen = budgeting.method_of_equal_shares(costs[cols], ballots[:, cols], money)
        else:
            chosen = budgeting.greedy_approval(costs[cols], order[cols], money, skip=rule != "greedy_no_skip")
        funded[cols[chosen]] = True
    return funded
