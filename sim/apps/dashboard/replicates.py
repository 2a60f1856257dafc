"""Compare over replicates: the same two settings run a few times each on the same residents, judged by the
report's one verdict rule (:func:`sim.experiments.answers.verdicts`, with its thresholds).

One run of each design has no interval, so the Compare tab's single pair can only say "no clear
difference (one run each)" where the difference is large. Here each side runs ``REPLICATES`` times
(replicate r of both sides shares its seed: common random numbers, exactly as ``sim.compare`` and a
sweep run them) to the run's horizon, and the verdict is better / worse / no clear difference with
the 95 % interval of the paired differences. The two sides may be two designs, or the trainer's
settings against the preset (the run history's "my settings against the preset").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim import api
from sim.apps.dashboard.levers import lever_overrides
from sim.experiments import answers

#: Runs per side: enough for an interval, few enough for a class to wait for (each side runs to the horizon).
REPLICATES = 5
#: The outcomes judged (those of the report with a threshold).
JUDGED = answers.OUTCOMES


def replicate_runs(kw: dict[str, Any], replicates: int = REPLICATES, n_jobs: int = 1) -> pd.DataFrame:
    """One row per replicate of the dashboard's keywords ``kw`` (``DashboardModel``'s), with the report's
    outcomes (``sim.compare`` with the keywords as overrides)."""
    return api.compare(kw["municipality"], designs=(kw["design"],), replicates=replicates, seed=int(kw.get("seed", 0)),
                       overrides=lever_overrides(kw), n_jobs=n_jobs)


def replicate_verdicts(kw_a: dict[str, Any], kw_b: dict[str, Any], replicates: int = REPLICATES,
                       n_jobs: int = 1) -> pd.DataFrame:
    """``kw_a`` against ``kw_b`` over ``replicates`` paired runs: one row per outcome with ``difference``
    (percentage points for shares), ``ci_low``, ``ci_high``, ``threshold``, ``verdict`` and ``reason``."""
    runs = []
    for side, kw in (("a", kw_a), ("b", kw_b)):
        frame = replicate_runs(kw, replicates, n_jobs)
        frame["design"] = side  # the two sides may share a design (my settings against the preset)
        runs.append(frame)
    table = pd.concat(runs, ignore_index=True)
    outcomes = [o for o in JUDGED if o in table.columns]
    return answers.verdicts(table, "b", outcomes)


__all__ = ["JUDGED", "REPLICATES", "replicate_runs", "replicate_verdicts"]
