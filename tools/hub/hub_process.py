"""Start and stop a workshop hub for the tests and the load test, as ``make hub`` runs it.

The hub listens on 127.0.0.1 on free ports; its state, the students' homes
and the lessons mirror live under a work directory of the caller's, so a test
hub never touches a real class. Stopping it stops every student server it
started (``cleanup_servers``), then kills any process left under its student
accounts, one pid at a time.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import requests

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
DEFAULT_PREFIX = Path(os.environ.get("HUB_PREFIX") or "/opt/cnnlib-hub")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def public_dir(path: Path) -> Path:
    """A directory every student account can traverse (their homes go inside)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o711)
    return path


class HubProcess:
    """A running hub; ``url`` is its public address, ``restart()`` stops and starts it on the same state."""

    def __init__(self, work: Path, *, password: str, admin_token: str, lessons_repo: Path,
                 account_prefix: str = "cnnlib-", prefix: Path = DEFAULT_PREFIX, extra_env: dict | None = None,
                 preexec_fn=None):
        self.work = public_dir(work)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.account_prefix = account_prefix
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("HUB_")},
            "HUB_PASSWORD": password, "HUB_ADMIN_TOKEN": admin_token, "HUB_HOST": "127.0.0.1",
            "HUB_PORT": str(self.port), "HUB_API_PORT": str(free_port()), "HUB_PROXY_API_PORT": str(free_port()),
            "HUB_PREFIX": str(prefix), "HUB_STATE_DIR": str(self.work / "state"),
            "HUB_HOME_ROOT": str(public_dir(self.work / "home")), "HUB_LESSONS_REPO": str(lessons_repo),
            "HUB_LESSONS_MIRROR": str(self.work / "lessons.git"), "HUB_ACCOUNT_PREFIX": account_prefix,
            **(extra_env or {}),
        }
        self.jupyterhub = prefix / "env" / "bin" / "jupyterhub"
        self.preexec_fn = preexec_fn  # run in the hub's process before it starts (tests: how it was launched)
        self.proc = None
        self.start()

    def start(self, timeout: float = 90) -> None:
        log = (self.work / "hub.log").open("a")
        self.proc = subprocess.Popen([str(self.jupyterhub), "-f", str(CONFIG)], cwd=self.work, env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"hub did not answer in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        return (self.work / "hub.log").read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM the hub (it stops the servers and the proxy), then end what is left of its processes."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.kill_students()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def student_processes(self) -> list[psutil.Process]:
        """Every process running under one of this hub's student accounts (homes under its work dir)."""
        home = str(self.work / "home")
        found = []
        for p in psutil.process_iter(["username", "cwd", "environ"]):
            try:
                if (p.info["username"] or "").startswith(self.account_prefix) and \
                        (p.info["environ"] or {}).get("HOME", "").startswith(home):
                    found.append(p)
            except (psutil.Error, AttributeError):
                continue
        return found

    def kill_students(self) -> None:
        for p in self.student_processes():
            try:
                p.kill()
            except psutil.Error:
                pass


def snapshot_lessons(dest: Path, root: Path = HERE.parents[1]) -> Path:
    """A git repository at ``dest`` holding this checkout's notebooks/ and images/ as one commit.

    The teacher's side of a test class: tests change a lesson here and commit,
    as a teacher would in their clone, without touching the real repository.
    """
    import shutil

    dest.mkdir(parents=True)
    for name in ("notebooks", "images"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    commit(dest, "lessons", init=True)
    return dest


def commit(repo: Path, message: str, init: bool = False) -> None:
    """``git add -A && git commit`` in ``repo`` (``git init -b main`` first if ``init``), as the teacher."""
    git = ["git", "-C", str(repo), "-c", "user.name=teacher", "-c", "user.email=teacher@example.org"]
    if init:
        subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "--quiet", "-m", message], check=True)
