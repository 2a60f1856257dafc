"""Global sensitivity analysis with SALib: Morris screening, then Sobol indices.

The problem (names and bounds) comes from the config schema: by default every parameter
marked ``uncertain=True`` in sim/config/schema.py, over its allowed range, or the keys and bounds an
experiment gives. Samples are drawn with a fixed seed, so every sweep job regenerates the same
sample matrix and runs its own rows (sim.experiments.sweep).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.keys import ConfigError, experiment_bounds


def problem(parameters: list[str], lower: list[float] | None = None,
            upper: list[float] | None = None) -> dict:
    """SALib problem: the given keys (default: all `uncertain` parameters) with their bounds.

    The keys and bounds are checked against the schema by ``sim.config.keys.experiment_bounds``,
    the check that validating an experiment's config makes too.
    """
    names, bounds = experiment_bounds(parameters, lower, upper)
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def sample(kind: str, prob: dict, n: int, levels: int = 4, seed: int = 0) -> np.ndarray:
    """Sample matrix (rows: runs, columns: parameters) for Morris or Sobol (first and total order)."""
    if kind == "morris":
        from SALib.sample import morris

        return morris.sample(prob, n, num_levels=levels, seed=seed)
    if kind == "sobol":
        from SALib.sample import sobol

        if n & (n - 1):
            raise ConfigError(f"experiment.samples={n}: Sobol sampling needs a power of 2; allowed: 2, 4, 8, ...")
        return sobol.sample(prob, n, calc_second_order=False, seed=seed)
    raise ConfigError(f"experiment.kind={kind!r} has no sample; allowed: morris, sobol")


def sample_size(kind: str, prob: dict, n: int) -> int:
    """Number of runs a Morris or Sobol design needs."""
    d = prob["num_vars"]
    return n * (d + 1) if kind == "morris" else n * (d + 2)


def analyze(kind: str, prob: dict, x: np.ndarray, y: np.ndarray, levels: int = 4, seed: int = 0) -> pd.DataFrame:
    """Indices per parameter: Morris mu, mu*, sigma (with mu* confidence) or Sobol S1 and ST."""
    if kind == "morris":
        from SALib.analyze import morris

        res = morris.analyze(prob, x, y, num_levels=levels, seed=seed)
        cols = ["mu", "mu_star", "sigma", "mu_star_conf"]
    else:
        from SALib.analyze import sobol

        res = sobol.analyze(prob, y, calc_second_order=False, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    df = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols})
    df.insert(0, "parameter", prob["names"])
    return df


def ranking(indices: pd.DataFrame, kind: str) -> list[str]:
    """Parameters from most to least influential (mu* for Morris, ST for Sobol)."""
    col = "mu_star" if kind == "morris" else "ST"
    return indices.sort_values(col, ascending=False)["parameter"].tolist()
