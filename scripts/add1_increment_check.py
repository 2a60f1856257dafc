"""Check the default add1 step of method_of_equal_shares against the official 1-unit step.

Usage::

    nice -n 19 .venv/bin/python scripts/add1_increment_check.py DIR [--out docs/data] [--unit-cap 20000]

The official add1 completion (pabutools, equalshares.net) raises every voter's budget by one
unit of currency per rerun of MES. The default step here is ``max(1, 0.1 % of budget / n)``
(:func:`sim.model.mechanisms.budgeting.default_add1_increment`), which differs from the unit step only
where the per-voter share exceeds 1,000 currency units. This script runs MES with the add1
completion both ways on

* every file in DIR whose official rule is an equal-shares rule (compared with the official
  selection too), and
* every approval / choose-1 file whose per-voter share exceeds 1,000 units (where the two steps
  differ at all),

capping the unit-step run at ``--unit-cap`` reruns (it is reported as not ending otherwise), and
writes ``add1_increment_check.csv`` with one row per file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model.mechanisms import budgeting
from sim.model.mechanisms.budgeting import default_add1_increment, method_of_equal_shares
from sim.validation.pabulib import Election, UnsupportedElection, load


def add1_selection(election: Election, increment: float | None) -> tuple[set[str] | None, float]:
    """Selected ids of MES + add1 with ``increment`` (None: did not end within the cap) and CPU seconds."""
    start = time.process_time()
    try:
        mask = method_of_equal_shares(
            election.costs, election.ballots, election.budget, "add1", voter_budget_increment=increment
        )
    except RuntimeError:
        return None, time.process_time() - start
    return {i for i, s in zip(election.project_ids, mask, strict=True) if s}, time.process_time() - start


def is_candidate(path: Path) -> bool:
    """From the META alone (no full parse): an equal-shares rule, or a per-voter share above 1,000.

    ``num_votes`` in META may differ slightly from the ballots in the file; :func:`main` checks the
    share again on the parsed ballots.
    """
    meta: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if line.strip().upper() == "PROJECTS":
                break
            key, _, value = line.partition(";")
            meta[key.strip()] = value.strip()
    if meta.get("vote_type") not in ("approval", "choose-1"):
        return False
    try:
        share = float(meta.get("budget", "0").replace(",", ".")) / max(int(meta.get("num_votes", "0")), 1)
    except ValueError:
        return True  # let the full parse decide
    return meta.get("rule", "").startswith("equalshares") or share > 900


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Default add1 step against the 1-unit step on pabulib files.")
    parser.add_argument("dir", type=Path, help="folder searched recursively for pabulib .pb files")
    parser.add_argument("--out", type=Path, default=Path("docs/data"), help="where to write the CSV")
    parser.add_argument("--unit-cap", type=int, default=20_000, help="most reruns of the unit-step run")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        parser.error(f"DIR={str(args.dir)!r} is not a folder")
    if args.unit_cap < 1:
        parser.error(f"--unit-cap must be at least 1, got --unit-cap={args.unit_cap}")
    rows = []
    for path in sorted(args.dir.rglob("*.pb")):
        if not is_candidate(path):
            continue
        try:
            election = load(path)
        except (ValueError, UnsupportedElection):
            continue
        n = election.ballots.shape[0]
        rule = election.meta.get("rule", "")
        share = election.budget / n if n else 0.0
        if not (rule.startswith("equalshares") or share > 1000):
            continue
        default, default_cpu = add1_selection(election, None)
        budgeting.ADD1_MAX_STEPS = args.unit_cap
        try:
            unit, unit_cpu = add1_selection(election, 1.0)
        finally:
            budgeting.ADD1_MAX_STEPS = 100_000
        official = None
        if election.selected_column is not None:
            official = {i for i, s in zip(election.project_ids, election.selected_column, strict=True) if s == 1}
        rows.append(
            {
                "file": path.name,
                "rule": rule,
                "voters": n,
                "per_voter_share": share,
                "default_step": default_add1_increment(election.budget, n),
                "default_ended": default is not None,
                "unit_ended": unit is not None,
                "same_as_unit": None if unit is None or default is None else default == unit,
                "default_equals_official": None
                if official is None or default is None or not rule.startswith("equalshares")
                else default == official,
                "unit_equals_official": None
                if official is None or unit is None or not rule.startswith("equalshares")
                else unit == official,
                "default_cpu_s": round(default_cpu, 3),
                "unit_cpu_s": round(unit_cpu, 3),
            }
        )
        print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out / "add1_increment_check.csv", index=False)
    ended = df[df["unit_ended"]]
    print(
        f"{len(df)} files; unit step ended within {args.unit_cap} reruns on {len(ended)}; "
        f"default step selects the same there on {int(ended['same_as_unit'].eq(True).sum())}; "
        f"median CPU default {np.median(df['default_cpu_s']):.2f} s, unit {np.median(df['unit_cpu_s']):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
