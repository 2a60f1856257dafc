"""Print the turnout table of docs/model.md, "Calibration": participatory budget, seeds 0-4, 1:1.

    .venv/bin/python scripts/calibration_table.py
"""

from __future__ import annotations

import pandas as pd

import sim

rows = []
for scenario in ("geel", "antwerp_district", "kampenhout", "generic"):
    for seed in range(5):
        s = sim.run(scenario, "participatory_budget", seed).summary
        years = s["steps"] / 12
        rows.append({"scenario": scenario, "cycles": s["cycles"], "turnout": s["turnout"],
                     "first": s["turnout_first_cycle"], "last": s["turnout_last_cycle"],
                     "eligible": s["turnout_eligible"], "submitted_per_year": s["proposals_submitted"] / years,
                     "adopted_per_year": s["proposals_adopted"] / years})
df = pd.DataFrame(rows)
g = df.groupby("scenario", sort=False)
out = g.mean()
out["turnout_min"], out["turnout_max"] = g["turnout"].min(), g["turnout"].max()
pd.set_option("display.width", 200)
print((out * [1, 100, 100, 100, 100, 1, 1, 100, 100]).round(2).to_string())
