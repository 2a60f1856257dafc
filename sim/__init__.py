"""coproduction-sim: an agent-based model of citizen participation, co-creation and co-production.

>>> import sim
>>> res = sim.run(scenario="geel", design="participatory_budget", seed=3)
>>> res.summary["turnout"]  # doctest: +SKIP
"""

from sim.api import RunResult, compare, compose_config, replicate_seeds, run, run_config
from sim.config import ConfigError

__all__ = ["ConfigError", "RunResult", "compare", "compose_config", "replicate_seeds", "run", "run_config"]
