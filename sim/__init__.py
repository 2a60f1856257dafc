"""coproduction-sim: an agent-based model of citizen participation, co-creation and co-production.

>>> import sim
>>> res = sim.run(scenario="geel", design="participatory_budget", seed=3)
>>> res.summary["turnout"]  # doctest: +SKIP

The run functions come from sim.api, imported on first use, so that ``import sim.config``
or ``import sim.experiment`` (the process that launches a sweep) does not load the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.config import ConfigError

if TYPE_CHECKING:
    from sim.api import RunResult, compare, compose_config, replicate_runs, replicate_seeds, run, run_config

__all__ = ["ConfigError", "RunResult", "compare", "compose_config", "replicate_runs", "replicate_seeds", "run",
           "run_config"]


def __getattr__(name: str) -> Any:
    """Load sim.api's public names on first access (PEP 562)."""
    if name in __all__:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
