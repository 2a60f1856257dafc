"""What the tests need from outside the Python environment, and the rule that no test is skipped.

On a fresh clone `make test` sets up everything the suite needs (README, "Quick start"): the
.venv (`make setup`), Debian's chromium and Solara's offline assets (`make browser`) and the
pabulib rounds distributed on PyPI (`make test-data`); the curated pabulib rounds are shipped in
tests/data/. A test whose resource is missing fails with the make target that provides it
(:func:`missing`), and a session in which any test was skipped fails (the hooks below, a pytest
plugin loaded by tests/conftest.py), so a test cannot silently stop running.

Development shortcut: ``TESTS_ALLOW_SKIPS=1`` turns a missing resource into a skip and lets the
session pass with skips (for a machine without root, where chromium cannot be installed). It is
ignored where ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

ALLOW_SKIPS = "TESTS_ALLOW_SKIPS"

#: Debian's chromium (``make browser`` installs it), or None.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skips_allowed() -> bool:
    """True when the development shortcut TESTS_ALLOW_SKIPS is set (and this is not CI)."""
    return os.environ.get(ALLOW_SKIPS, "") not in ("", "0") and os.environ.get("CI") != "true"


def missing(what: str, target: str) -> NoReturn:
    """Fail the test: ``what`` is missing and ``make target`` provides it (skip under TESTS_ALLOW_SKIPS=1)."""
    message = f"{what}: run `make {target}` (`make test` runs it before the tests)"
    if skips_allowed():
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def require_chromium() -> str:
    """The path of Debian's chromium, or fail naming `make browser`."""
    if CHROMIUM is None:
        missing("chromium is not installed (the browser tests drive Debian's chromium)", "browser")
    return CHROMIUM


# --- the no-skip rule (a pytest plugin) --------------------------------------------------------

#: (test id, reason) of every skip seen in this process; under xdist the controller sees all reports.
_skipped: list[tuple[str, str]] = []


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _skipped.append((report.nodeid, _reason(report)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _reason(report)))


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and not skips_allowed() and not _is_worker(session.config) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _skipped or _is_worker(config):
        return
    if skips_allowed():
        terminalreporter.write_line(f"{len(_skipped)} skipped, allowed by {ALLOW_SKIPS}=1 (a development shortcut)",
                                    yellow=True)
        return
    terminalreporter.section("skipped tests fail the run", sep="=", red=True)
    terminalreporter.write_line(f"{len(_skipped)} skipped; every test must run (tests/resources.py). "
                                f"{ALLOW_SKIPS}=1 allows skips on a development machine.", red=True)
    for nodeid, reason in _skipped:
        terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}")
