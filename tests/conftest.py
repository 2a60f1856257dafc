"""Shared fixtures for the test suite.

Keep this file small: fixtures used by more than one test module only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

import sim

#: What the tests need from outside Python, and the rule that a session with a skipped test fails.
pytest_plugins = ["tests.resources"]

#: Hydra overrides for fast runs: about 1,200 residents in the generic scenario, three years.
TINY_OVERRIDES = ("run.population_scale=0.05", "run.steps=36")


@pytest.fixture(scope="session")
def tiny_overrides() -> list[str]:
    """Hydra overrides for fast runs (a copy: extend it, do not rely on mutating it)."""
    return list(TINY_OVERRIDES)


@pytest.fixture
def run_tiny(tiny_overrides: list[str]) -> Callable[..., sim.RunResult]:
    """``run_tiny(scenario, design, seed, extra_overrides)``: ``sim.run`` with the tiny overrides.

    ``extra_overrides`` come after the tiny ones, so they win (e.g. "run.steps=12").
    """

    def _run(scenario: str | None = "generic", design: str | None = "none", seed: int = 0,
             extra_overrides: Sequence[str] = ()) -> sim.RunResult:
        return sim.run(scenario, design, seed, [*tiny_overrides, *extra_overrides])

    return _run
