"""coproduction-sim: an agent-based model of citizen participation, co-creation and co-production.

>>> import sim
>>> res = sim.run(scenario="geel", design="participatory_budget", seed=3)
>>> res.summary["turnout"]  # doctest: +SKIP

The package is grouped by what a reader comes for: ``config/`` (the parameters and their
presets), ``model/`` (one run), ``api.py``, ``results.py`` and ``io.py`` (running it and its
tables and files), ``experiments/`` (many runs), ``validation/`` (real data and published
patterns), ``plots/`` (figures) and ``apps/`` (what people use: the report and the dashboard).

The public names below are imported on first use (PEP 562), so that ``import sim`` stays light:
``compose_config`` loads only the configuration, the run functions load the model (Mesa, pandas).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sim.config.keys import ConfigError

if TYPE_CHECKING:
    from sim.api import RunResult, compare, replicate_runs, replicate_seeds, run, run_config
    from sim.config.compose import compose_config

#: Public name -> the module that holds it.
_HOMES = {"compose_config": "sim.config.compose", **{name: "sim.api" for name in (
    "RunResult", "compare", "replicate_runs", "replicate_seeds", "run", "run_config")}}

__all__ = ["ConfigError", "RunResult", "compare", "compose_config", "replicate_runs", "replicate_seeds", "run",
           "run_config"]


def __getattr__(name: str) -> Any:
    """Load a public name's module on first access (PEP 562)."""
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
