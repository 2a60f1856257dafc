"""Trace validation patterns: their mean over seeds with a mechanism switched off, one variant a row.

    .venv/bin/python scripts/trace_patterns.py [--patterns V09 F2 W3 V03G C3] [--replicates 6] [--jobs 2]

What the notes of sim/validation/patterns.py (``LEARNED``) say about which mechanism a pattern rests
on comes from this table: each variant adds its overrides to every condition of the pattern
(``sim.validation.run.evaluate_one``'s ``extra``), on the report's replicate seeds. The patterns are
those of the catalogue (``sim.validation.patterns.PATTERNS``, calibration and validation); the
directional checks of the verification tier are unit tests, not patterns. The default traces the
patterns that rest on the switched-off mechanisms: delivery (V09, F2), the age term (W3), the
ballots (V03G) and co-production (C3).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import itertools

import pandas as pd

import sim
from sim.validation import patterns
from sim.validation import run as validation_run

#: Variants: the overrides that switch one mechanism off (the values before it was added).
VARIANTS: dict[str, tuple[str, ...]] = {
    "now": (),
    "no_drops": ("administration.abandon_share=0.0",),
    "no_attrition": ("administration.abandon_share=0.0", "administration.cost_overrun_mean=0.0",
                     "administration.cost_overrun_log_sd=0.0"),
    "no_age_term": ("citizens.weight_age_65plus=0.0",),
    "no_age_term_old_base": ("citizens.weight_age_65plus=0.0", "citizens.base_propensity=-7.05"),
    "old_ballots": ("citizens.approval_fill=0.6", "citizens.ballot_neighbourhood_weight=1.0"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patterns", nargs="+", default=["V09", "F2", "W3", "V03G", "C3"])
    ap.add_argument("--replicates", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    known = [p.id for p in patterns.PATTERNS]
    unknown = [p for p in args.patterns if p not in known]
    if unknown:
        ap.error(f"--patterns: unknown {' '.join(unknown)}; known: {' '.join(known)}")
    if args.replicates < 1 or args.jobs < 1:
        ap.error(f"--replicates={args.replicates} and --jobs={args.jobs} must each be at least 1")
    seeds = sim.replicate_seeds(patterns.ROOT_SEED, args.replicates)
    tasks = list(itertools.product(VARIANTS, args.patterns, seeds))
    calls = [(p, s, None, VARIANTS[v]) for v, p, s in tasks]
    if args.jobs > 1:
        with cf.ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(validation_run.evaluate_one, *zip(*calls, strict=True)))
    else:
        results = [validation_run.evaluate_one(*c) for c in calls]
    df = pd.DataFrame([{"variant": v, "pattern": r[0], "seed": r[1], "value": r[2], "error": r[3]}
                       for (v, _, _), r in zip(tasks, results, strict=True)])
    if (df["error"] != "").any():
        print(df[df["error"] != ""].to_string())
    table = df.groupby(["pattern", "variant"], sort=False)["value"].agg(["mean", "std"]).unstack("variant")
    with pd.option_context("display.width", 200, "display.float_format", lambda x: f"{x:.4f}"):
        print(f"mean (std) over {len(seeds)} seeds of the report's seeds (root {patterns.ROOT_SEED}):")
        print(table.reindex(columns=list(VARIANTS), level=1).to_string())


if __name__ == "__main__":
    main()
