"""Carry the calibration's uncertainty to the users: designs compared over posterior draws.

A comparison at one parameter set shows only the randomness of the drawn residents. Here each
design runs on ``draws`` parameter sets resampled from an ABC posterior
(:mod:`sim.experiments.abc`), each with the same replicates: draw ``d`` and replicate ``r`` of
every design share both the parameters and the seed (common random numbers), so two designs are
compared on the same residents under the same assumptions.

* :func:`sim.posterior.draw_parameters` resamples the posterior by its weights (seeded);
* :func:`intervals` gives, per design and outcome, the mean and the interval that holds 95 % of
  the runs over parameters and replicates together (a predictive interval, not an interval of
  the mean: it says where one municipality's outcome may land);
* :func:`beats` gives, for each pair of designs, the probability that one beats the other on an
  outcome: the share of matched (draw, replicate) runs in which it comes out higher (lower for
  an outcome where lower is better), ties counting half;
* :func:`robust_verdicts` turns those probabilities into plain words: a conclusion "holds under
  the uncertainty" when one design beats the other in at least ``threshold`` (default 90 %) of the
  matched runs; with ``margins`` (the thresholds of what matters of
  :func:`sim.experiments.answers.verdicts`) only by a difference worth acting on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["PAIR", "beats", "intervals", "robust_verdicts"]

PAIR: tuple[str, str] = ("draw", "replicate")
"""Columns that match runs across designs in a posterior comparison."""

def intervals(runs: pd.DataFrame, outcomes: Sequence[str], by: str = "design", level: float = 0.95) -> pd.DataFrame:
    """Per ``by`` and outcome: n, mean and the central ``level`` interval of the runs themselves."""
    a = (1.0 - level) / 2.0
    rows = []
    for cond, g in runs.groupby(by, sort=False, observed=True):
        for o in outcomes:
            x = g[o].astype(float).to_numpy()
            rows.append({by: cond, "outcome": o, "n": x.size, "mean": float(x.mean()),
                         "low": float(np.quantile(x, a)), "high": float(np.quantile(x, 1.0 - a))})
    return pd.DataFrame(rows)


def beats(runs: pd.DataFrame, outcome: str, by: str = "design", pair: Sequence[str] = PAIR,
          lower_is_better: bool = False) -> pd.DataFrame:
    """P(row design beats column design) on ``outcome``, over runs matched on ``pair``.

    Raises ``ValueError`` when two designs share no matched run.
    """
    pair = [c for c in pair if c in runs.columns]
    wide = runs.pivot_table(index=pair, columns=by, values=outcome, aggfunc="first", observed=True)
    names = list(dict.fromkeys(runs[by]))
    table = pd.DataFrame(np.nan, index=pd.Index(names, name=by), columns=names)
    for a in names:
        for b in names:
            if a == b:
                continue
            both = wide[[a, b]].dropna()
            if both.empty:
                raise ValueError(f"designs {a!r} and {b!r} share no run matched on {pair}")
            d = both[a].to_numpy(float) - both[b].to_numpy(float)
            if lower_is_better:
                d = -d
            table.loc[a, b] = float(((d > 0) + 0.5 * (d == 0)).mean())
    return table


def robust_verdicts(runs: pd.DataFrame, baseline: str, outcomes: Sequence[str], by: str = "design",
                    lower_is_better: Sequence[str] = (), threshold: float = 0.9,
                    margins: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Each design against ``baseline``: the probability it does better, and whether that holds.

    One row per design and outcome with ``p_better`` and a verdict: "better (holds)" when
    ``p_better >= threshold``, "worse (holds)" when ``p_better <= 1 - threshold``, otherwise
    "uncertain: depends on the assumptions". ``p_better`` is :func:`beats` (ties count half).

    With ``margins`` (per outcome, in the outcome's own units: the threshold of what matters of
    :func:`sim.experiments.answers.verdicts`), a matched run counts as better only when the design
    beats the baseline by more than the margin, as worse only when it falls short by more than it,
    and otherwise as no difference that matters; ``p_better``, ``p_worse`` and ``p_same`` are those
    shares, and the verdict is "better (holds)", "worse (holds)" or "no clear difference (holds)"
    when that share reaches ``threshold``, else "uncertain: depends on the assumptions". So a
    conclusion holds under the uncertainty only when it would be a verdict worth acting on.
    """
    rows = []
    for o in outcomes:
        if margins is None:
            table = beats(runs, o, by=by, lower_is_better=o in lower_is_better)
            for design in table.index:
                if design == baseline:
                    continue
                p = float(table.loc[design, baseline])
                verdict = ("better (holds)" if p >= threshold else
                           "worse (holds)" if p <= 1.0 - threshold else "uncertain: depends on the assumptions")
                rows.append({by: design, "outcome": o, "p_better": p, "verdict": verdict})
            continue
        pair = [c for c in PAIR if c in runs.columns]
        wide = runs.pivot_table(index=pair, columns=by, values=o, aggfunc="first", observed=True)
        margin = float(margins[o])
        for design in dict.fromkeys(runs[by]):
            if design == baseline:
                continue
            both = wide[[design, baseline]].dropna()
            if both.empty:
                raise ValueError(f"designs {design!r} and {baseline!r} share no run matched on {pair}")
            d = both[design].to_numpy(float) - both[baseline].to_numpy(float)
            if o in lower_is_better:
                d = -d
            better, worse = float((d > margin).mean()), float((d < -margin).mean())
            same = 1.0 - better - worse
            verdict = ("better (holds)" if better >= threshold else "worse (holds)" if worse >= threshold else
                       "no clear difference (holds)" if same >= threshold else
                       "uncertain: depends on the assumptions")
            rows.append({by: design, "outcome": o, "p_better": better, "p_worse": worse, "p_same": same,
                         "verdict": verdict})
    return pd.DataFrame(rows)
