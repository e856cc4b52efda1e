"""Start JupyterLab or Voilà on 127.0.0.1 with a random port (and token) for the browser tests."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# make test's set-up (tools/test_setup.py) finds or installs a Chromium and exports its path.
CHROMIUM = os.environ.get("CNNLIB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PRESENT_TEMPLATE = "cnnlib-present"  # tools/jupyter/voila/templates/: hides cells tagged presentation-hide
PROGRESSIVE = "--VoilaConfiguration.progressive_rendering=True"  # as make present: text first, outputs as they come
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_lessons(dest: Path) -> Path:
    """Copy notebooks/ and images/ to ``dest`` so the browser never writes into the repo."""
    for name in ("notebooks", "images"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest / "notebooks"


class Server:
    """A Jupyter server process; ``url(path)`` adds the token."""

    def __init__(self, argv: list[str], port: int, token: str, log: Path, ready_path: str, env: dict):
        self.port, self.token, self.log = port, token, log
        self.proc = subprocess.Popen(argv, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.url(ready_path), timeout=5)
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not answer in 120 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def shut_down_kernels(self) -> int:
        """Shut down every kernel the server runs (its sessions), as File > Shut Down All Kernels; return how many.

        A notebook's kernel outlives its closed browser tab: without this the Lab suite ends with one idle kernel
        per lesson (14 of them, a few hundred MB each).
        """
        with urllib.request.urlopen(self.url("/api/sessions"), timeout=30) as answer:
            sessions = json.load(answer)
        for session in sessions:
            request = urllib.request.Request(self.url(f"/api/sessions/{session['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=60).close()
        return len(sessions)

    def running_kernels(self) -> int:
        with urllib.request.urlopen(self.url("/api/kernels"), timeout=30) as answer:
            return len(json.load(answer))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "jupyter-runtime")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp / "lab-workspaces")
    # No announcements pop-up over the notebook.
    (tmp / "lab-settings" / "@jupyterlab" / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (tmp / "lab-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    # The lessons are opened by several tests in one server: none may save what it ran (JupyterLab autosaves every
    # 120 s; a saved run of lesson 09 made the notebook trusted with new outputs and no widget state, and the
    # "opened before running" test then saw "model not found" instead of the fallback line).
    docmanager = tmp / "lab-settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True, exist_ok=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    return env


#: The user settings ``make lab PROJECTOR=1`` starts JupyterLab from: the theme's font sizes at 18 px.
LAB_PROJECTOR_SETTINGS = ROOT / "tools" / "jupyterlab-projector"


def start_lab(tmp: Path, *, projector: bool = False) -> Server:
    """JupyterLab as ``make lab`` runs it; ``projector=True`` as ``make lab PROJECTOR=1``."""
    root = tmp / "root"
    root.mkdir()
    copy_lessons(root)
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        "--ContentsManager.allow_hidden=False",
    ]
    env = _env(tmp)
    if projector:  # as make lab PROJECTOR=1: its settings copied into this server's user settings
        shutil.copytree(LAB_PROJECTOR_SETTINGS, env["JUPYTERLAB_SETTINGS_DIR"], dirs_exist_ok=True)
        env["CNNLIB_PROJECTOR"] = "1"
    return Server(argv, port, token, tmp / "lab.log", "/api/status", env)


def start_voila(tmp: Path) -> Server:
    """Voilà as ``make present`` runs it: a Jupyter server extension, served from above notebooks/, in projector mode."""
    root = tmp / "voila-root"
    root.mkdir()
    copy_lessons(root)
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--VoilaConfiguration.strip_sources=True",
        f"--VoilaConfiguration.template={PRESENT_TEMPLATE}", PROGRESSIVE,
    ]
    env = _env(tmp)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(ROOT / "tools" / "jupyter"), env.get("JUPYTER_PATH")) if p)
    env["CNNLIB_PROJECTOR"] = "1"  # as make present: the lessons in projector mode
    return Server(argv, port, token, tmp / "voila.log", "/api/status", env)
