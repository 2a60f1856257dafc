"""Participatory-budgeting allocation rules for approval ballots, as pure numpy functions.

The model needs to turn a municipal budget, project costs and citizens' approval ballots into a
set of funded projects many times per run, for up to ~200,000 voters and ~200 projects. The
reference implementation of these rules, ``pabutools``, works on Python objects and exact
fractions and is far too slow (and too heavy to import) for that, so this module re-implements
the two rules we use directly on numpy / scipy.sparse arrays:

* :func:`greedy_approval` -- the status-quo rule used by most cities: fund projects in order of
  approval count while they still fit in the budget (optionally with a minimum vote count, or
  stopping at the first project that does not fit, as some real rounds did).
* :func:`method_of_equal_shares` -- the proportional Method of Equal Shares (MES) with cost
  utilities, optionally completed greedily or by the "add1" budget-increase heuristic.

Both rules are written to reproduce ``pabutools`` 1.2.3 exactly, including its default
tie-breaking, so that results can be checked against the reference (see
``tests/model/mechanisms/test_budgeting.py``). :func:`to_pabutools` and :func:`from_pabutools` convert between the
array representation used here and ``pabutools``' objects (and hence pabulib ``.pb`` files);
``pabutools`` is imported lazily inside those two functions only.

Conventions
-----------
* ``costs`` is a 1-D float array of length ``m`` (one entry per project, in currency units).
* ``ballots`` is an ``n x m`` 0/1 sparse matrix (voters x projects), CSR preferred.
* Every rule returns a boolean mask of length ``m`` with ``True`` for funded projects.

Tie-breaking
------------
``pabutools``' default tie-breaking is lexicographic on project *names*: among tied projects the
one whose name sorts first (Python ``str`` order) wins. Here projects have no names, so ties are
broken in favour of the **lowest project index**. The two coincide whenever index order equals
name order, which :func:`to_pabutools` guarantees (zero-padded names ``"p000"``, ``"p001"``, ...)
and :func:`from_pabutools` guarantees (projects are returned sorted by name).

Floating point
--------------
``pabutools`` uses exact rational arithmetic; this module uses float64. Two MES quantities that
would be exactly equal in rational arithmetic (two projects' prices per unit of utility, or a
project's cost and its supporters' remaining money) can differ by a few ulps here, so those
comparisons use a relative tolerance of :data:`MES_RTOL`, and "does the project fit in the budget"
comparisons allow :data:`BUDGET_RTOL` times the budget of slack. Both are far below any currency
unit for realistic budgets, and far above the accumulated rounding error, so results agree with
exact arithmetic except for values that differ by less than one part in ~1e11.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "ADD1_MAX_STEPS",
    "ADD1_RELATIVE_INCREMENT",
    "BUDGET_RTOL",
    "COMPLETIONS",
    "MES_RTOL",
    "default_add1_increment",
    "default_project_names",
    "from_pabutools",
    "greedy_approval",
    "method_of_equal_shares",
    "to_pabutools",
]

MES_RTOL: Final[float] = 1e-11
"""Relative tolerance for MES ties and affordability checks (see module docstring)."""

BUDGET_RTOL: Final[float] = 1e-12
"""Slack, as a fraction of the budget, allowed when checking whether a project still fits."""

COMPLETIONS: Final[tuple[str | None, ...]] = (None, "greedy", "add1", "add1_greedy")
"""Accepted values of ``method_of_equal_shares(..., completion=...)``."""

ADD1_MAX_STEPS: Final[int] = 100_000
"""Safety cap on the number of budget increments of the "add1" completion."""

ADD1_RELATIVE_INCREMENT: Final[float] = 1e-3
"""Default add1 step as a fraction of the initial per-voter budget ``budget / n_voters``.

The default increment is ``max(1, ADD1_RELATIVE_INCREMENT * budget / n_voters)`` currency units:
the official one unit of currency per voter and step (pabutools, equalshares.net) whenever each
voter's share is at most 1,000 units, and 0.1 % of the share beyond that, so that the number
of increments no longer depends on the currency unit (reaching ``k`` times the initial share
takes at most ``1000 * (k - 1)`` steps in any unit; one unit of forint per voter would need
hundreds of thousands)."""

_POOR_RICH_PASSES: Final[int] = 8


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def _as_costs(costs: Any) -> np.ndarray:
    """Return ``costs`` as a 1-D float64 array, raising ``ValueError`` if it is not valid."""
    arr = np.asarray(costs, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"costs must be a 1-D array, got an array of shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"costs must be finite and non-negative; got costs[{i}] = {float(arr[i])!r}")
    return arr


def _as_nonnegative(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising ``ValueError`` naming ``name`` unless it is finite and >= 0."""
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a real number, got {name}={value!r}") from err
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be finite and non-negative, got {name}={value!r}")
    return number


def _as_budget(budget: Any) -> float:
    """Return ``budget`` as a float, raising ``ValueError`` if it is not finite and >= 0."""
    return _as_nonnegative("budget", budget)


def _as_counts(approval_counts: Any, n_projects: int) -> np.ndarray:
    """Return ``approval_counts`` as a 1-D float64 array matching ``costs``."""
    arr = np.asarray(approval_counts, dtype=np.float64)
    if arr.shape != (n_projects,):
        raise ValueError(f"approval_counts must have shape ({n_projects},) to match costs, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"approval_counts must be finite and non-negative; got approval_counts[{i}] = {float(arr[i])!r}"
        )
    return arr


def _as_ballots(ballots: Any, n_projects: int) -> sp.csr_array:
    """Return ``ballots`` as a canonical CSR array whose stored entries are exactly the approvals.

    The input is never modified. Explicit zeros are dropped, duplicate entries are summed first
    (so a duplicated approval is rejected rather than silently counted twice).
    """
    if sp.issparse(ballots):
        csr = sp.csr_array(ballots)
    else:
        dense = np.asarray(ballots)
        if dense.ndim != 2:
            raise ValueError(f"ballots must be a 2-D (voters x projects) matrix, got shape {dense.shape}")
        csr = sp.csr_array(dense)
    if csr.ndim != 2 or csr.shape[1] != n_projects:
        raise ValueError(
            f"ballots has shape {csr.shape} but costs has {n_projects} entries; "
            f"ballots must be (n_voters, {n_projects})"
        )
    if not csr.has_canonical_format:
        csr = csr.copy()
        csr.sum_duplicates()
    data = csr.data
    if data.size:
        is_zero = data == 0
        bad = ~(is_zero | (data == 1))
        if bad.any():
            value = data[np.flatnonzero(bad)[0]]
            raise ValueError(f"ballots must contain only 0/1 entries, found the value {value.item()!r}")
        if is_zero.any():
            csr = csr.copy()
            csr.eliminate_zeros()
    return csr


def _check_completion(completion: Any) -> None:
    if completion not in COMPLETIONS:
        raise ValueError(f"completion must be one of {COMPLETIONS}, got completion={completion!r}")


# --------------------------------------------------------------------------------------------
# Greedy
# --------------------------------------------------------------------------------------------


def _greedy_fill(
    costs: np.ndarray,
    counts: np.ndarray,
    budget: float,
    selected: np.ndarray,
    *,
    threshold: float = 0.0,
    skip: bool = True,
) -> np.ndarray:
    """Add projects to ``selected`` by descending count (ties: lower index) while they fit.

    This is ``pabutools``' ``greedy_utilitarian_welfare`` with ``Cost_Sat`` started from the
    allocation ``selected``: with cost satisfaction a project's welfare per unit of cost is
    exactly its approval count. With the defaults, projects that do not fit are skipped, not a
    stopping point. Projects whose count is below ``threshold`` are never added; with
    ``skip=False`` the walk stops at the first (eligible, not yet selected) project that does not
    fit, as in pabulib's ``greedy-no-skip`` rounds.
    """
    selected = selected.copy()
    remaining = budget - float(costs[selected].sum())
    slack = BUDGET_RTOL * budget
    # Stable sort on -count keeps index order among equal counts == lexicographic tie-breaking.
    for p in np.argsort(-counts, kind="stable").tolist():
        if selected[p] or counts[p] < threshold:
            continue
        if costs[p] <= remaining + slack:
            selected[p] = True
            remaining -= costs[p]
        elif not skip:
            break
    return selected


def greedy_approval(
    costs: np.ndarray,
    approval_counts: np.ndarray,
    budget: float,
    *,
    threshold: float = 0.0,
    skip: bool = True,
) -> np.ndarray:
    """Boolean mask of selected projects: go through projects by approval count (descending),
    fund each that still fits in the remaining budget (skip those that don't).

    This is the rule most cities use ("greedy" or "utilitarian greedy"), and it is what
    ``pabutools.rules.greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
    computes (cost satisfaction makes welfare per unit of cost equal to the approval count).

    Two variants used by real rounds (pabulib's ``rule`` field) are keyword options; the
    defaults give the plain rule above, unchanged:

    * ``threshold`` (pabulib ``greedy-threshold``): a project needs at least ``threshold``
      approvals to be funded at all (``approval_counts >= threshold``); projects below it are
      passed over even if money is left. Pabulib files give the threshold as an absolute vote
      count in the META key ``min_project_score_threshold`` (e.g. 50 in most Polish cities;
      Warszawa 2018 used 10 % of the district's valid votes, already converted to a count in
      each file). For a threshold given as a share of voters pass ``share * n_voters``.
    * ``skip=False`` (pabulib ``greedy-no-skip``): stop at the first project, in approval order,
      that does not fit in what is left, instead of skipping it and trying cheaper ones. Projects
      below ``threshold`` are not "the first project that does not fit": they are ignored.

    Parameters
    ----------
    costs
        Project costs, shape ``(m,)``, finite and ``>= 0``.
    approval_counts
        Number (or total weight) of approvals of each project, shape ``(m,)``, ``>= 0``.
    budget
        Total budget, finite and ``>= 0``.
    threshold
        Minimum approval count a project needs to be funded (keyword-only, finite, ``>= 0``;
        default 0: every project is eligible).
    skip
        ``True`` (default) skips projects that do not fit and goes on; ``False`` stops at the
        first one (keyword-only).

    Returns
    -------
    numpy.ndarray
        Boolean mask of shape ``(m,)``; ``True`` for funded projects.

    Notes
    -----
    * Ties in approval count go to the lower project index (= ``pabutools``' lexicographic
      tie-breaking when names follow index order).
    * As in ``pabutools``, every project that fits is funded, including projects with zero
      approvals once all approved ones have been considered, and zero-cost projects always.
      Pass ``approval_counts`` and mask the result yourself if unapproved projects must not
      be funded.
    """
    cost_arr = _as_costs(costs)
    counts = _as_counts(approval_counts, cost_arr.size)
    budget_f = _as_budget(budget)
    threshold_f = _as_nonnegative("threshold", threshold)
    if not isinstance(skip, bool | np.bool_):
        raise ValueError(f"skip must be True or False, got skip={skip!r}")
    selected = np.zeros(cost_arr.size, dtype=bool)
    return _greedy_fill(cost_arr, counts, budget_f, selected, threshold=threshold_f, skip=bool(skip))


# --------------------------------------------------------------------------------------------
# Method of Equal Shares
# --------------------------------------------------------------------------------------------


def _payment_cap(budgets: np.ndarray, cost: float, start: float = 0.0) -> float:
    """Smallest ``alpha`` with ``sum(min(budgets, alpha)) == cost`` (caller checked affordability).

    ``alpha`` is the most any supporter pays: supporters with less money than ``alpha`` pay
    everything they have, the others pay exactly ``alpha``. This is the quantity ``pabutools``'
    ``mes_inner_algo`` finds by walking through the supporters sorted by budget.

    We solve it as the poor/rich fixed point of ``pabutools``' ``affordability_poor_rich``:
    voters with less than ``alpha`` pay all they have, the rest share what is left equally.
    Started from any lower bound (``cost / n``, or ``start`` = this project's previous
    ``alpha``, since budgets only go down), ``alpha`` rises monotonically to the answer and
    usually settles in 1-3 vectorised passes. If it has not after :data:`_POOR_RICH_PASSES`
    passes we switch to the exact sort-and-cumulative-sum search.
    """
    n = budgets.size
    alpha = cost / n
    n_poor = 0
    if start > alpha:
        alpha = start
        n_poor = -1  # force one recomputation from the poor set at the start value
    for _ in range(_POOR_RICH_PASSES):
        poor = budgets < alpha
        n_poor_new = int(np.count_nonzero(poor))
        if n_poor_new == n_poor:
            return alpha
        if n_poor_new == n:
            break
        n_poor = n_poor_new
        alpha = (cost - float(budgets[poor].sum())) / (n - n_poor)
    s = np.sort(budgets)
    paid_before = np.concatenate(([0.0], np.cumsum(s[:-1])))
    alphas = (cost - paid_before) / np.arange(n, 0, -1, dtype=np.float64)
    ok = alphas <= s
    if ok.any():
        return float(alphas[int(np.argmax(ok))])
    # Only reachable when total money equals the cost up to rounding: everybody pays all.
    return float(s[-1])


def _mes_core(
    costs: np.ndarray,
    col_ptr: np.ndarray,
    supporters: np.ndarray,
    n_voters: int,
    voter_budget: float,
    eligible: np.ndarray,
    spend_cap: float = np.inf,
) -> tuple[np.ndarray, float]:
    """Plain MES with cost utilities for a given initial per-voter budget.

    Returns the selection mask and its total cost (summed in selection order).

    ``col_ptr``/``supporters`` is the CSC structure of the ballots (supporters of project ``p``
    are ``supporters[col_ptr[p]:col_ptr[p + 1]]``), ``eligible`` marks projects with positive
    cost and at least one supporter. The run stops early, returning the partial selection, as
    soon as the selected projects cost more than ``spend_cap`` (the add1 loop only needs to
    know that such an outcome is infeasible).

    With cost utilities a supporter's utility for project ``p`` is ``c_p``, so the rule funds, in
    each round, the affordable project minimising ``rho_p = alpha_p / c_p``, where ``alpha_p`` is
    the payment cap from :func:`_payment_cap`; each supporter then pays ``min(budget_i,
    alpha_p)``. A project is affordable while its supporters' remaining money covers its cost.

    Since budgets only go down, ``rho_p`` only goes up; as in ``pabutools`` we keep the last
    computed ``rho_p`` as a lower bound and, each round, evaluate projects in increasing order of
    that bound until the bound exceeds the best ``rho`` found, so a round usually re-evaluates
    only a handful of projects.
    """
    m = costs.size
    budgets = np.full(n_voters, voter_budget, dtype=np.float64)
    selected = np.zeros(m, dtype=bool)
    active = eligible.copy()
    n_supporters = np.diff(col_ptr)
    # Lower bounds on alpha_p; initially everybody pays the equal share c/n_p (rho = 1/n_p).
    alpha_low = np.zeros(m)
    rho_low = np.full(m, np.inf)
    rho_low[active] = 1.0 / n_supporters[active]
    tie_factor = 1.0 + MES_RTOL
    spent = 0.0
    while spent <= spend_cap:
        candidates = np.flatnonzero(active)
        if candidates.size == 0:
            break
        # Stable sort: among equal bounds, lower index first (irrelevant to the result).
        order = candidates[np.argsort(rho_low[candidates], kind="stable")]
        best_rho = np.inf
        evaluated: list[tuple[int, float, float, np.ndarray, np.ndarray]] = []
        for p in order.tolist():
            if rho_low[p] > best_rho * tie_factor:
                break  # every remaining project has rho >= bound > best: no winner or tie
            idx = supporters[col_ptr[p] : col_ptr[p + 1]]
            money = budgets.take(idx)
            cost = float(costs[p])
            if float(money.sum()) < cost * (1.0 - MES_RTOL):
                active[p] = False  # unaffordable now, and budgets never go up
                continue
            alpha = _payment_cap(money, cost, alpha_low[p])
            rho = alpha / cost
            alpha_low[p] = alpha
            rho_low[p] = max(rho_low[p], rho)
            evaluated.append((p, rho, alpha, idx, money))
            best_rho = min(best_rho, rho)
        if not evaluated:
            break
        # Ties (within tolerance) go to the lowest index == lexicographically first name.
        winner, _, alpha, idx, money = min((e for e in evaluated if e[1] <= best_rho * tie_factor), key=lambda e: e[0])
        selected[winner] = True
        active[winner] = False
        budgets[idx] = np.maximum(money - alpha, 0.0)
        spent += float(costs[winner])
    return selected, spent


def method_of_equal_shares(
    costs: np.ndarray,
    ballots: sp.csr_matrix | sp.csr_array,
    budget: float,
    completion: str | None = "greedy",
    *,
    voter_budget_increment: float | None = None,
) -> np.ndarray:
    """Method of Equal Shares (Peters & Skowron 2020; Peters, Pierczynski & Skowron 2021) for
    approval ballots with cost utilities, as ``pabutools``' ``method_of_equal_shares`` with
    ``sat_class=Cost_Sat``.

    The budget is split equally among all ``n`` voters (``budget / n`` each, voters with empty
    ballots included). A project can only be paid for by its supporters. In each round the rule
    funds the affordable project whose cost can be shared most equally, i.e. that minimises the
    price per unit of utility ``rho``: each supporter ``i`` pays ``min(budget_i, rho * u_i)``
    and these payments must add up to the cost. The round ends by deducting the payments; the
    rule stops when no remaining project is affordable by its supporters.

    Utilities are *cost utilities* (``u_i(p) = cost_p`` if ``i`` approves ``p``, else 0;
    ``pabutools.election.Cost_Sat``), the choice used in real elections run with MES (e.g. on
    equalshares.net): a voter is assumed to care about an approved project in proportion to its
    size, so in the first round the most-approved affordable project wins, as under the
    greedy rule. Projects with cost 0 give no cost utility and are never selected by plain MES
    (they are added by the completions, since they always fit).

    Because plain MES usually leaves part of the budget unspent, ``completion`` selects how the
    rest is used:

    * ``None`` -- plain MES.
    * ``"greedy"`` (default) -- fill the leftover budget with :func:`greedy_approval` order
      (``pabutools``' ``completion_by_rule_combination`` with MES then
      ``greedy_utilitarian_welfare``, both with ``Cost_Sat``).
    * ``"add1"`` -- rerun MES with the per-voter budget raised by ``voter_budget_increment``
      until the outcome is exhaustive (no eligible project still fits) or would overspend the
      real budget, in which case the last feasible outcome is kept (``pabutools``'
      ``method_of_equal_shares(..., voter_budget_increment=1)`` with an increment of 1). Costs
      one MES run per increment. The default increment is 1 currency unit while the per-voter
      share is at most 1,000 units and :data:`ADD1_RELATIVE_INCREMENT` (0.1 %) of the share
      beyond that (see there; measured agreement on pabulib in ``docs/pabulib_agreement.md``).
    * ``"add1_greedy"`` -- ``"add1"`` followed by ``"greedy"`` on what is left.

    Parameters
    ----------
    costs
        Project costs, shape ``(m,)``, finite and ``>= 0``.
    ballots
        ``n x m`` sparse 0/1 matrix (voters x projects); CSR is used as is, other sparse formats
        and dense arrays are converted. Not modified.
    budget
        Total budget, finite and ``>= 0``.
    completion
        ``None``, ``"greedy"``, ``"add1"`` or ``"add1_greedy"`` (see above).
    voter_budget_increment
        Per-voter budget increment of the add1 completions, in currency units (keyword-only,
        ``> 0``); ``None`` (default) means ``max(1, ADD1_RELATIVE_INCREMENT * budget /
        n_voters)``. Pass ``1`` for the official unit increment whatever the currency.

    Returns
    -------
    numpy.ndarray
        Boolean mask of shape ``(m,)``; ``True`` for funded projects.

    Notes
    -----
    Ties between projects with the same ``rho`` (within :data:`MES_RTOL`) go to the lowest
    project index, matching ``pabutools``' default lexicographic tie-breaking when names follow
    index order. Runtime is dominated by one CSR-to-CSC conversion plus, per round, a few
    vectorised passes over the remaining budgets of a handful of projects' supporters; no
    Python loop runs over voters (about 10 ms for 200,000 voters x 150 projects).
    """
    cost_arr = _as_costs(costs)
    budget_f = _as_budget(budget)
    _check_completion(completion)
    csr = _as_ballots(ballots, cost_arr.size)
    n_voters, m = csr.shape
    increment = default_add1_increment(budget_f, n_voters)
    if voter_budget_increment is not None:
        try:
            increment = float(voter_budget_increment)
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"voter_budget_increment must be a positive number or None, "
                f"got voter_budget_increment={voter_budget_increment!r}"
            ) from err
        if not np.isfinite(increment) or increment <= 0:
            raise ValueError(
                "voter_budget_increment must be finite and positive (or None for the default), "
                f"got voter_budget_increment={voter_budget_increment!r}"
            )
    counts = np.bincount(csr.indices, minlength=m).astype(np.float64)
    selected = np.zeros(m, dtype=bool)

    if n_voters > 0:
        csc = csr.tocsc()
        col_ptr = csc.indptr.astype(np.intp)
        supporters = csc.indices.astype(np.intp)
        eligible = (cost_arr > 0) & (counts > 0)
        voter_budget = budget_f / n_voters

        def run(per_voter: float, spend_cap: float = np.inf) -> tuple[np.ndarray, float]:
            return _mes_core(cost_arr, col_ptr, supporters, n_voters, per_voter, eligible, spend_cap)

        if completion in (None, "greedy"):
            selected = run(voter_budget)[0]
        else:
            selected = _add1(cost_arr, budget_f, eligible, voter_budget, increment, run)

    if completion in ("greedy", "add1_greedy"):
        selected = _greedy_fill(cost_arr, counts, budget_f, selected)
    return selected


def default_add1_increment(budget: float, n_voters: int) -> float:
    """The default per-voter add1 step: ``max(1, ADD1_RELATIVE_INCREMENT * budget / n_voters)``.

    One currency unit (the official rule) for shares up to 1,000 units, a fixed fraction of the
    share above that, so that the number of MES reruns is bounded whatever the currency unit.
    """
    if n_voters <= 0:
        return 1.0
    return max(1.0, ADD1_RELATIVE_INCREMENT * budget / n_voters)


def _add1(
    costs: np.ndarray,
    budget: float,
    eligible: np.ndarray,
    voter_budget: float,
    increment: float,
    run: Callable[[float, float], tuple[np.ndarray, float]],
) -> np.ndarray:
    """The "add1" loop of ``pabutools``' iterated MES (``voter_budget_increment``).

    Stops at the first per-voter budget whose outcome overspends the real budget (returning the
    previous outcome) or is exhaustive with respect to the MES-eligible projects.
    """
    slack = BUDGET_RTOL * budget
    # As in pabutools, the fallback before the first run is the empty allocation (the first
    # run cannot actually overspend: MES pays for every project out of the real budget).
    previous = np.zeros(costs.size, dtype=bool)
    for _ in range(ADD1_MAX_STEPS):
        outcome, spent = run(voter_budget, budget + slack)
        if spent > budget + slack:  # (the run stopped as soon as it overspent)
            return previous
        still_fits = eligible & ~outcome & (costs + spent <= budget + slack)
        if not still_fits.any():
            return outcome
        previous = outcome
        voter_budget += increment
    raise RuntimeError(
        f"add1 completion did not terminate within {ADD1_MAX_STEPS} increments of {increment!r} per voter "
        f"(per-voter budget now {voter_budget!r}); pass a larger voter_budget_increment"
    )


# --------------------------------------------------------------------------------------------
# pabutools converters (reference comparison, pabulib files)
# --------------------------------------------------------------------------------------------


def _exact_number(x: float) -> Any:
    """``int`` if ``x`` is integral, else the exact rational value of the float (gmpy2 ``mpq``)."""
    from pabutools.fractions import frac

    if float(x).is_integer():
        return int(x)
    return frac(float(x))


def default_project_names(n_projects: int) -> list[str]:
    """Zero-padded names ``"p000"``, ``"p001"``, ... whose string order equals index order."""
    width = max(3, len(str(max(n_projects - 1, 0))))
    return [f"p{i:0{width}d}" for i in range(n_projects)]


def to_pabutools(
    costs: np.ndarray,
    ballots: sp.csr_matrix | sp.csr_array,
    budget: float,
    *,
    project_names: Sequence[str] | None = None,
    multiprofile: bool = False,
) -> tuple[Any, Any]:
    """Convert arrays to a ``pabutools`` ``(Instance, ApprovalProfile)`` pair.

    Used to run the reference implementation on our data and to write pabulib ``.pb`` files
    (``pabutools.election.write_pabulib(instance, profile, path)``).

    Integral costs and budget become Python ``int``; non-integral ones become the exact rational
    value of the float, so ``pabutools`` computes on exactly the numbers this module sees.
    Project names default to :func:`default_project_names`, whose lexicographic order is the
    index order (so ``pabutools``' tie-breaking matches this module's; custom
    ``project_names`` keep that property only if their string order is the index order). With
    ``multiprofile=True`` identical ballots are merged into an ``ApprovalMultiProfile`` (much
    faster in ``pabutools``' MES for large electorates; not suitable for ``write_pabulib``,
    which would repeat voter ids).
    """
    from pabutools.election import (
        ApprovalBallot,
        ApprovalMultiProfile,
        ApprovalProfile,
        FrozenApprovalBallot,
        Instance,
        Project,
    )

    cost_arr = _as_costs(costs)
    budget_f = _as_budget(budget)
    csr = _as_ballots(ballots, cost_arr.size)
    names = default_project_names(cost_arr.size) if project_names is None else list(project_names)
    if len(names) != cost_arr.size or len(set(names)) != len(names):
        raise ValueError(
            f"project_names must hold {cost_arr.size} distinct names, got {len(names)} ({len(set(names))} distinct)"
        )
    projects = [Project(name, _exact_number(c)) for name, c in zip(names, cost_arr, strict=True)]
    instance = Instance(projects, budget_limit=_exact_number(budget_f))
    instance.meta.update(
        {
            "description": "generated by sim.model.mechanisms.budgeting.to_pabutools",
            "country": "none",
            "unit": "none",
            "instance": "synthetic",
            "num_projects": str(cost_arr.size),
            "num_votes": str(csr.shape[0]),
            "budget": str(instance.budget_limit),
            "vote_type": "approval",
            "rule": "none",
        }
    )
    indptr, indices = csr.indptr, csr.indices
    if multiprofile:
        profile = ApprovalMultiProfile(instance=instance)
        rows: dict[tuple[int, ...], int] = {}
        for v in range(csr.shape[0]):
            key = tuple(sorted(indices[indptr[v] : indptr[v + 1]].tolist()))
            rows[key] = rows.get(key, 0) + 1
        for key, count in rows.items():
            profile[FrozenApprovalBallot([projects[j] for j in key])] = count
    else:
        profile = ApprovalProfile(
            [
                ApprovalBallot([projects[j] for j in indices[indptr[v] : indptr[v + 1]].tolist()])
                for v in range(csr.shape[0])
            ],
            instance=instance,
        )
    return instance, profile


def from_pabutools(instance: Any, profile: Any) -> tuple[np.ndarray, sp.csr_matrix, float, list[str]]:
    """Convert a ``pabutools`` instance and approval profile to ``(costs, ballots, budget, names)``.

    Projects are ordered by name (Python ``str`` order, as ``pabutools``' lexicographic
    tie-breaking uses), so this module's lowest-index tie-breaking matches ``pabutools`` on the
    converted data. ``ballots`` is an ``int32`` CSR matrix with one row per voter (multi-profile
    ballots are repeated by their multiplicity). Costs and budget are converted to float.
    """
    from pabutools.election import AbstractApprovalProfile

    if not isinstance(profile, AbstractApprovalProfile):
        raise TypeError(f"profile must be a pabutools approval profile, got {type(profile).__name__}")
    projects = sorted(instance, key=lambda p: p.name)
    names = [p.name for p in projects]
    if len(set(names)) != len(names):
        raise ValueError("instance has several projects with the same name")
    position = {name: j for j, name in enumerate(names)}
    costs = np.array([float(p.cost) for p in projects], dtype=np.float64)
    lengths: list[int] = []
    cols: list[int] = []
    for ballot in profile:
        try:
            row = sorted(position[p.name] for p in ballot)
        except KeyError as err:
            raise ValueError(f"profile approves project {err.args[0]!r}, not in instance") from err
        for _ in range(profile.multiplicity(ballot)):
            lengths.append(len(row))
            cols.extend(row)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    ballots = sp.csr_matrix(
        (np.ones(len(cols), dtype=np.int32), np.asarray(cols, dtype=np.int64), indptr),
        shape=(len(lengths), len(names)),
    )
    return costs, ballots, float(instance.budget_limit), names
