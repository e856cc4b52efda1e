"""Fixtures for the workshop hub tests: a hub on 127.0.0.1 as ``make hub`` runs it, with a teacher's lesson repository.

The hub needs root (one Unix account per student) and its install under
/opt/cnnlib-hub (``make .venv/.hub-installed``, which ``make test`` runs).
Student accounts are a fixed set, created once and reused
(``cnnlib-test-alice``, ``cnnlib-test-bob``, ``cnnlib-test-s1`` ...); each hub
gets its own work directory for homes and state, removed afterwards, and every
process it started is ended.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "hub"))

from hub_client import Hub, StudentServer  # noqa: E402
from hub_process import DEFAULT_PREFIX, HubProcess, snapshot_lessons  # noqa: E402

ACCOUNT_PREFIX = "cnnlib-test-"
PASSWORD = "workshop-" + secrets.token_hex(4)
# The lessons the test class pulls: this checkout's notebooks/ and images/, or those of
# another tree with the same layout (CNNLIB_HUB_LESSONS_FROM, e.g. an export of HEAD).
LESSONS_FROM = Path(os.environ.get("CNNLIB_HUB_LESSONS_FROM") or ROOT)


def _require_hub_install() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.fail("the hub tests run as root (the hub creates one Unix account per student); run make test as root")
    if not (DEFAULT_PREFIX / "env" / "bin" / "jupyterhub").exists():
        pytest.fail(f"no hub install under {DEFAULT_PREFIX}. Fix: make .venv/.hub-installed")


def _launched_in_the_background() -> None:
    """Start the hub as a shell starts a background command without job control (``nohup make hub &``, a
    script that backgrounds make test): SIGINT and SIGQUIT ignored, which children inherit. The hub must
    still stop its services."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


class TestClass:
    """A running hub with its admin API, the teacher's lesson repo and helpers to reach students' servers."""

    __test__ = False  # not a pytest test class

    def __init__(self, work: Path) -> None:
        self.work = work
        self.teacher = snapshot_lessons(work / "teacher", LESSONS_FROM)
        self.token = secrets.token_hex(32)
        self.password = PASSWORD
        self.process = HubProcess(work / "hub", password=PASSWORD, admin_token=self.token,
                                  lessons_repo=self.teacher, account_prefix=ACCOUNT_PREFIX,
                                  extra_env={"HUB_SINGLEUSER_ARGS": "--LabApp.expose_app_in_browser=True"},
                                  preexec_fn=_launched_in_the_background)
        self.url = self.process.url
        self.hub = Hub(self.url, self.token)

    def student(self, name: str) -> StudentServer:
        """``name``'s server, started, reached with a token of ``name``'s own."""
        self.hub.create_user(name)
        self.hub.start_server(name)
        return StudentServer(self.url, name, self.hub.user_token(name))

    def home(self, name: str) -> Path:
        return self.process.work / "home" / f"{ACCOUNT_PREFIX}{name}"

    def close(self) -> None:
        try:
            self.process.stop()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


@pytest.fixture(scope="module")
def test_class():
    _require_hub_install()
    work = Path(tempfile.mkdtemp(prefix="cnnlib-hub-test-"))
    os.chmod(work, 0o711)
    made = TestClass(work)
    try:
        yield made
    finally:
        made.close()
