"""The validation runs each condition once per seed for every pattern and budget that measures it; the
numbers must be those of running each pattern and each budget on its own."""

from __future__ import annotations

import pandas as pd

import sim
from sim.validation import patterns
from sim.validation import run as validation_run
from sim.validation.real_ballots import run_ballot_statistics

# Geel's budget is measured by T1, S1, W3 and V17 and by its ballots; V17 adds a bigger budget, F4 and F5
# share the two allocation rules; D1 stands alone.
IDS = ("T1", "S1", "W3", "V17", "F4", "F5", "D1")
SCALE = 0.05


def test_units_group_patterns_by_shared_conditions() -> None:
    chosen = [patterns.by_id(i) for i in IDS]
    units = patterns.shared_runs(chosen, list(patterns.BALLOT_CONDITIONS))
    assert units == [(("T1", "S1", "W3", "V17"), ("Geel",)), (("F4", "F5"), ()), (("D1",), ()),
                     ((), ("District Antwerpen",))]


def test_shared_runs_give_the_numbers_of_separate_runs() -> None:
    chosen = [patterns.by_id(i) for i in IDS]
    reps, cycles = validation_run._evaluate(chosen, list(patterns.BALLOT_CONDITIONS), 2, scale=SCALE, jobs=2,
                                            root_seed=patterns.ROOT_SEED)
    seeds = validation_run.replicate_seeds(patterns.ROOT_SEED, 2)
    alone = pd.DataFrame([validation_run.evaluate_one(i, s, SCALE) for i in IDS for s in seeds],
                         columns=["id", "seed", "value", "error"])
    pd.testing.assert_frame_equal(reps, alone)
    assert reps["error"].eq("").all() and reps["value"].notna().all()
    separate = []
    for label, cond in patterns.BALLOT_CONDITIONS.items():
        for s in seeds:
            stats = run_ballot_statistics(sim.run_config(validation_run._config(cond, s, SCALE)))
            stats.insert(0, "model", label)
            separate.append(stats)
    assert cycles is not None and len(cycles) > 0
    pd.testing.assert_frame_equal(cycles, pd.concat(separate, ignore_index=True))
