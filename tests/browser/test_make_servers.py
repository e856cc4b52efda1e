"""``make lab`` and ``make present`` as a user types them: they start (as root too), ask for a token,
listen on 127.0.0.1 only, refuse a foreign Host header, and lesson 01's animation shows."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT
from .servers import PRESENT_TEMPLATE, PROGRESSIVE, free_port

GIF = "sliding_window.svg"  # the animation of lesson 01 (an animated SVG)
IMG_LOADED_JS = f"""() => {{
  const img = document.querySelector('img[src*="{GIF}"]');
  return !!img && img.complete && img.naturalWidth > 0;
}}"""


class MakeServer:
    """``make <target> PORT=...`` in the repository; ``url`` is the tokenised URL it printed."""

    def __init__(self, target: str, tmp: Path, pattern: str, **variables):
        self.port = free_port()
        env = {**os.environ, "BROWSER": "true",  # JupyterLab "opens" the URL with /bin/true
               "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "JUPYTER_DATA_DIR": str(tmp / "data"),
               "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces")}
        env.pop("JUPYTER_TOKEN", None)
        argv = ["make", "--no-print-directory", target, f"PORT={self.port}", *(f"{k}={v}" for k, v in variables.items())]
        self.log = tmp / f"{target}.log"
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        self.url = self._wait_for(pattern)

    def _wait_for(self, pattern: str) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = self.log.read_text()
            match = re.search(pattern.replace("PORT", str(self.port)), text)
            if match and self._answers():
                return match.group(0)
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise AssertionError(f"make did not start a server on port {self.port}:\n{self.log.read_text()[-3000:]}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/status", timeout=5)
        except urllib.error.HTTPError:
            return True  # it answered (403 without a token)
        except OSError:
            return False
        return True

    @property
    def token(self) -> str:
        return re.search(r"token=([0-9a-f]+)", self.url).group(1)

    def status(self, path: str, host: str | None = None, token: bool = True) -> int:
        sep = "&" if "?" in path else "?"
        url = f"http://127.0.0.1:{self.port}{path}" + (f"{sep}token={self.token}" if token else "")
        request = urllib.request.Request(url, headers={"Host": host} if host else {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def stop(self) -> None:
        """Stop make and the server it started: the whole process group, killed if it has not left in 10 s.

        Waiting for make alone is not enough: make exits on SIGTERM at once, while the Jupyter server it started
        can hang in its shutdown (seen: Voila's kernel, "Socket operation on non-socket") and outlive the test.
        """
        group = self.proc.pid  # start_new_session: make leads its own group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=30)  # reap make, or the group never looks empty
        deadline = time.monotonic() + 10  # a server that shuts down at all does so in 1-2 s
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.proc.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(tmp_path):
    servers = []

    def start(target, pattern, **variables):
        servers.append(MakeServer(target, tmp_path, pattern, **variables))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


def _listing(server: MakeServer, folder: str) -> set[str]:
    """The names the file browser shows in ``folder`` (the contents API it reads)."""
    url = f"http://127.0.0.1:{server.port}/api/contents/{folder}?content=1&token={server.token}"
    return {item["name"] for item in json.loads(urllib.request.urlopen(url, timeout=30).read())["content"]}


def _listening_addresses(port: int) -> set[str]:
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout
    return {line.split()[3].rsplit(":", 1)[0] for line in out.splitlines() if line.strip()}


def test_make_lab_answers_with_a_token_and_shows_lesson_01s_animation(served, browser):
    lab = served("lab", r"http://127\.0\.0\.1:PORT/lab\S*\?token=[0-9a-f]+")
    assert lab.status("/api/status", token=False) == 403, "make lab must ask for a token"
    assert lab.status("/api/status") == 200
    assert lab.status("/api/status", host="attacker.example") == 403, "a foreign Host header must be refused"
    assert lab.status(f"/files/images/{GIF}") == 200, "images/ must be inside the server's root"
    if shutil.which("ss"):
        assert _listening_addresses(lab.port) <= {"127.0.0.1"}, "make lab listens beyond 127.0.0.1"
    settings = json.loads(urllib.request.urlopen(
        f"http://127.0.0.1:{lab.port}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={lab.token}",
        timeout=30).read())
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, \
        f"JupyterLab's news and update pop-ups must be off for make lab, got {defaults}"
    listed = {name: _listing(lab, name) for name in ("notebooks", "cnnlib")}
    assert "01_sliding_window.ipynb" in listed["notebooks"] and "model.py" in listed["cnnlib"]
    pairs = sorted(name for name in listed["notebooks"] if name.endswith(".py"))
    assert pairs == [], f"the file browser lists each lesson twice: also {pairs} (tools/jupyter-server-config.json)"
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/notebooks/01_sliding_window.ipynb?reset&token={lab.token}")
        page.wait_for_selector(f'img[src*="{GIF}"]', state="attached", timeout=120_000)
        page.evaluate(f"document.querySelector('img[src*=\"{GIF}\"]').scrollIntoView()")
        page.wait_for_function(IMG_LOADED_JS, timeout=60_000)
    finally:
        page.close()


def test_make_present_answers_with_a_token_and_shows_lesson_01s_animation(served, browser):
    present = served("present", r"http://127\.0\.0\.1:PORT/voila/render/\S+\?token=[0-9a-f]+", LESSON="01")
    path = present.url.split(str(present.port), 1)[1].split("?")[0]
    assert path == "/voila/render/notebooks/01_sliding_window.ipynb"
    assert present.status(path, token=False) in (302, 403), "make present must ask for a token"
    assert present.status("/api/status", host="attacker.example") == 403, "a foreign Host header must be refused"
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(present.url, wait_until="commit", timeout=240_000)
        page.wait_for_selector(f'img[src*="{GIF}"]', state="attached", timeout=240_000)
        page.evaluate(f"document.querySelector('img[src*=\"{GIF}\"]').scrollIntoView()")
        page.wait_for_function(IMG_LOADED_JS, timeout=60_000)
        assert page.query_selector_all(".jp-InputArea-editor") == [], "make present must hide the code"
    finally:
        page.close()


def test_the_voila_suite_presents_as_make_present_does():
    """The browser suite's Voila server (servers.start_voila) renders progressively, with the template, as make present."""
    made = subprocess.run(["make", "-n", "present"], cwd=ROOT, capture_output=True, text=True).stdout
    assert PROGRESSIVE in made and f"--VoilaConfiguration.template={PRESENT_TEMPLATE}" in made


def test_allow_root_is_passed_only_when_running_as_root():
    """``make -n`` prints the commands: as root they carry --allow-root, as another user they do not."""
    as_me = subprocess.run(["make", "-n", "lab", "present"], cwd=ROOT, capture_output=True, text=True).stdout
    assert ("--allow-root" in as_me) == (os.geteuid() == 0)
    if os.geteuid() == 0 and shutil.which("runuser"):
        as_nobody = subprocess.run(["runuser", "-u", "nobody", "--", "make", "-n", "lab", "present"], cwd=ROOT,
                                   capture_output=True, text=True)
        assert as_nobody.returncode == 0, as_nobody.stderr
        assert "jupyter lab" in as_nobody.stdout and "--allow-root" not in as_nobody.stdout
