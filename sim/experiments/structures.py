"""Structural alternatives: where the literature offers more than one defensible form of a mechanism.

Each alternative is a preset of the ``structure`` config group (``configs/structure/<name>.yaml``;
``structure=<name>`` on the command line), which changes one structural choice of the schema
and nothing else:

=================  ======================================================================
``default``        the model as documented
``performance``    participants judge the outcome alone (``citizens.judgement``)
``disconfirmation`` participants judge the outcome against the expectation
``geometric``      overall legitimacy as the geometric mean of its three shares
                   (``perceptions.aggregation``; the default is their mean)
``minimum``        overall legitimacy as its weakest share
``habit``          taking part alone forms the habit (``citizens.habit_rule``)
``aspiration``     aspiration-based learning
=================  ======================================================================

``python -m sim -m +experiment=structures`` runs every design under every structure;
:func:`rankings` then says, per structure and outcome, how the designs rank, how far that
ranking agrees with the default's (Kendall's tau), whether the best design stays the best, and
which pairs of designs swap places. ``python -m sim validate structure=<name>`` runs the
validation report under a structure.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.config.compose import CONFIG_DIR

__all__ = ["DEFAULT", "STRUCTURE_DIR", "markdown", "names", "overrides", "rankings"]

STRUCTURE_DIR = CONFIG_DIR / "structure"
DEFAULT = "default"


def names() -> list[str]:
    """The structure presets, ``default`` first, then alphabetical."""
    found = sorted(p.stem for p in STRUCTURE_DIR.glob("*.yaml"))
    return [DEFAULT, *[n for n in found if n != DEFAULT]]


def overrides(name: str) -> list[str]:
    """The structure preset ``name`` as dotted command-line overrides (``key=value``)."""
    from omegaconf import OmegaConf

    path = STRUCTURE_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"structure={name!r} is not a structure preset; allowed: {', '.join(names())}")
    flat: list[str] = []

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{prefix}{k}.")
        else:
            flat.append(f"{prefix[:-1]}={node}")

    walk(OmegaConf.to_container(OmegaConf.load(path)), "")
    return flat


def _kendall(a: Sequence[float], b: Sequence[float]) -> float:
    from scipy import stats

    return float(stats.kendalltau(a, b).statistic)


def rankings(runs: pd.DataFrame, outcomes: Sequence[str], by: str = "structure",
             lower_is_better: Sequence[str] = ()) -> pd.DataFrame:
    """Per structure and outcome: the designs in rank order and how that compares with ``default``.

    Designs are ranked by their mean over replicates (best first; higher is better unless the
    outcome is in ``lower_is_better``). Columns: ``ranking`` (design names, best first), ``best``,
    ``kendall_tau`` against the default structure's means, ``same_best`` and ``swapped`` (pairs
    of designs in the opposite order from the default, as ``a > b`` under this structure).
    Other condition columns (e.g. ``scenario``) are grouped apart.
    """
    others = [c for c in ("scenario",) if c in runs.columns and runs[c].nunique() > 1]
    rows = []
    for key, g in (runs.groupby(others, sort=False) if others else [((), runs)]):
        fixed = dict(zip(others, key if isinstance(key, tuple) else (key,), strict=True))
        means = g.groupby([by, "design"], sort=False, observed=True)[list(outcomes)].mean()
        for o in outcomes:
            sign = -1.0 if o in lower_is_better else 1.0
            table = (sign * means[o]).unstack("design")
            if DEFAULT not in table.index:
                raise ValueError(f"the runs hold no {by}={DEFAULT!r} to compare the others with")
            order_of = {n: i for i, n in enumerate(names())}
            table = table.loc[sorted(table.index, key=lambda n: (order_of.get(n, len(order_of)), n))]
            designs = list(table.columns)
            base = table.loc[DEFAULT, designs]
            for structure, row in table.iterrows():
                row = row[designs]
                order = row.sort_values(ascending=False).index.tolist()
                swapped = [_swap(a, b, row, base) if row[a] > row[b] else _swap(b, a, row, base)
                           for i, a in enumerate(designs) for b in designs[i + 1:]
                           if (row[a] - row[b]) * (base[a] - base[b]) < 0]
                rows.append({**fixed, by: structure, "outcome": o, "ranking": " > ".join(order), "best": order[0],
                             "kendall_tau": _kendall(row.to_numpy(), base.to_numpy()),
                             "same_best": order[0] == base.sort_values(ascending=False).index[0],
                             "swapped": "; ".join(swapped)})
    return pd.DataFrame(rows)


def _swap(a: str, b: str, row: pd.Series, base: pd.Series) -> str:
    """``a > b`` with the gap under this structure and under the default (signed as ranked)."""
    return f"{a} > {b} ({row[a] - row[b]:+.3g}; default {base[a] - base[b]:+.3g})"


def markdown(table: pd.DataFrame, by: str = "structure") -> str:
    """The rankings as a Markdown section: one table per outcome."""
    lines = []
    for o, g in table.groupby("outcome", sort=False):
        lines += [f"### {o}", "", f"| {by} | ranking (best first) | Kendall tau vs default | same best | "
                  "pairs in the opposite order |", "|---|---|---:|---|---|"]
        for r in g.itertuples():
            lines.append(f"| {getattr(r, by)} | {r.ranking} | {r.kendall_tau:.2f} | {'yes' if r.same_best else 'no'} "
                         f"| {r.swapped or '-'} |")
        lines.append("")
    return "\n".join(lines)
