"""pytest plugin for ``make test``: a skipped test is a failed test.

    python -m pytest -p tools.strict_skips tests

A green ``make test`` must mean the whole suite ran. Tests still call
``pytest.skip`` when something they need is missing (so a quick ``pytest`` on
a laptop says what did not run); under this plugin each such skip is
reported as a failure with its reason. The one skip allowed is a PyTorch
oracle test when PyTorch is not installed (``make test`` never installs it:
on most machines ``pip install torch`` downloads gigabytes); setting
``CNNLIB_REQUIRE_TORCH=1``, as ``.ci/run`` does, forbids that one too.
"""
from __future__ import annotations

import os

import pytest

TORCH_MISSING = "could not import 'torch'"


def _allowed(reason: str) -> bool:
    return TORCH_MISSING in reason and os.environ.get("CNNLIB_REQUIRE_TORCH") != "1"


def _reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return str(longrepr[2])
    return str(longrepr)


def _fail_if_skipped(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = _reason(report)
        if not _allowed(reason):
            report.outcome = "failed"
            report.longrepr = (f"make test runs everything, but this was skipped: {reason}\n"
                               "Hint: make test's set-up (tools/test_setup.py) should have provided what it "
                               "needs; see .venv/test-setup.log. For a quick partial run use make test-quick.")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_if_skipped(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_if_skipped(outcome.get_result())
