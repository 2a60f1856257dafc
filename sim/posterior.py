"""A calibration's posterior: reading it, and drawing parameter sets from it.

The ABC calibration (:mod:`sim.experiments.abc`) writes ``posterior.parquet``; comparisons over
the calibration's uncertainty (``sim.compare(posterior=..., draws=...)``, a sweep with
``experiment.posterior``, :mod:`sim.experiments.uncertainty`) resample it here. It sits beside the
API, below the experiments, because ``sim.compare`` and the sweeps both draw from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.keys import assumed_priors

__all__ = ["draw_parameters", "load_posterior"]


def load_posterior(path: str | Path) -> pd.DataFrame:
    """The posterior of a calibration: the last generation of ``posterior.parquet``.

    ``path`` is the file or the folder that holds it. Returns the parameter columns (schema keys)
    and ``weight`` (summing to 1). Raises ``FileNotFoundError`` / ``ValueError`` naming the path.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "posterior.parquet"
    if not p.is_file():
        raise FileNotFoundError(f"posterior={str(path)!r}: no posterior.parquet there "
                                "(run python -m sim +experiment=calibration_abc first)")
    df = pd.read_parquet(p)
    if not {"generation", "weight"} <= set(df.columns):
        raise ValueError(f"posterior={str(path)!r} has no generation and weight columns; not an ABC posterior")
    last = df[df["generation"] == df["generation"].max()]
    keys = [c for c in last.columns if "." in c and not c.startswith("stat.")]
    out = last[[*keys, "weight"]].reset_index(drop=True)
    out["weight"] = out["weight"] / out["weight"].sum()
    return out


#: Spawn key of the posterior resampling, so that it never shares a stream with a model run.
_DRAW_STREAM = 0xAB_C0


def draw_parameters(posterior: str | Path | pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """``draws`` parameter sets resampled with replacement from a posterior, by its weights, each with
    the assumed effect sizes drawn from their priors.

    ``posterior`` is a calibration's folder, its ``posterior.parquet`` or the frame
    :func:`load_posterior` returns. Beside the calibrated parameters it holds, every *assumed*
    parameter with a prior (``sim.config.keys.assumed_priors``: effect sizes no published estimate
    fixes) is drawn uniformly over its prior, independently, so that a comparison over the posterior
    carries their uncertainty too (issue 17, point 2). The draws use their own stream of ``seed``
    (numpy SeedSequence), so the same seed gives the same draws in any process. Returns one row per
    draw (column ``draw``) with the parameters under their schema keys.
    """
    if isinstance(draws, bool) or int(draws) != draws or draws < 1:
        raise ValueError(f"draws={draws!r}: allowed int >= 1 (parameter sets drawn from the posterior)")
    post = posterior if isinstance(posterior, pd.DataFrame) else load_posterior(posterior)
    keys = [c for c in post.columns if c != "weight"]
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(_DRAW_STREAM,)))
    w = post["weight"].to_numpy(dtype=float)
    rows = rng.choice(len(post), size=int(draws), replace=True, p=w / w.sum())
    out = post.iloc[rows][keys].reset_index(drop=True)
    for key, lo, hi in assumed_priors():
        if key not in out.columns:
            out[key] = rng.uniform(lo, hi, size=int(draws))
    out.insert(0, "draw", np.arange(int(draws)))
    return out
