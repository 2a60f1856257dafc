"""The rule that no test is skipped (tests/resources.py), tried on a small suite in a separate pytest.

A missing resource fails its test naming the make target that provides it; any skip fails the
session, also under xdist and for a module skipped at collection; TESTS_ALLOW_SKIPS=1 allows
skips, except where CI=true.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

SAMPLE = '''
import pytest

from tests.resources import missing


def test_runs():
    pass


def test_skips():
    pytest.skip("skipped on purpose")


def test_needs_a_thing():
    missing("the thing is not there", "thing")
'''

SKIPPED_MODULE = '''
import pytest

pytest.skip("a module skipped at collection", allow_module_level=True)


def test_never_collected():
    pass
'''


def run_sample(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "test_skipped_module.py").write_text(SKIPPED_MODULE)
    clean = {k: v for k, v in os.environ.items()
             if k not in ("TESTS_ALLOW_SKIPS", "CI", "PYTEST_ADDOPTS") and not k.startswith("PYTEST_XDIST")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.resources", "-p", "no:cacheprovider", "-q", "-rs",
         "--rootdir", str(tmp_path), *args, str(tmp_path)],
        cwd=tmp_path, env={**clean, "PYTHONPATH": str(REPO), **env}, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_a_skip_fails_the_session_and_a_missing_resource_its_test(tmp_path: Path, workers: list[str]) -> None:
    proc = run_sample(tmp_path, *workers)
    out = proc.stdout
    assert proc.returncode == pytest.ExitCode.TESTS_FAILED, out
    assert "the thing is not there: run `make thing` (`make test` runs it before the tests)" in out
    assert "skipped tests fail the run" in out and "2 skipped; every test must run" in out
    assert "SKIPPED test_sample.py::test_skips: skipped on purpose" in out
    assert "SKIPPED test_skipped_module.py: a module skipped at collection" in out
    assert "1 failed, 1 passed, 2 skipped" in out


def test_the_development_shortcut_allows_skips_but_not_in_ci(tmp_path: Path) -> None:
    allowed = run_sample(tmp_path, TESTS_ALLOW_SKIPS="1")
    assert allowed.returncode == pytest.ExitCode.OK, allowed.stdout
    assert "1 passed, 3 skipped" in allowed.stdout
    assert "3 skipped, allowed by TESTS_ALLOW_SKIPS=1" in allowed.stdout
    in_ci = run_sample(tmp_path, TESTS_ALLOW_SKIPS="1", CI="true")
    assert in_ci.returncode == pytest.ExitCode.TESTS_FAILED, in_ci.stdout
    assert "1 failed, 1 passed, 2 skipped" in in_ci.stdout
