"""Shared fixtures for the test suite.

Keep this file small: fixtures used by more than one test module only.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

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


@pytest.fixture
def small_disk(tmp_path):
    """``small_disk(kilobytes)``: a new, empty folder on a file system of that size (a tmpfs mounted
    for the test and unmounted after it), to see what a full disk does. Needs root, as CI and
    ``make test`` (which installs system packages) run."""
    mounted: list[Path] = []

    def _mount(kilobytes: int) -> Path:
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"cannot mount a small tmpfs to fill ({done.stderr.strip()}): the full-disk tests "
                        "need root, as CI and `make test` have")
        mounted.append(folder)
        return folder

    yield _mount
    for folder in mounted:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
