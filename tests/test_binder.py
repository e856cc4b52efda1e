"""The repository builds unchanged on Binder / JupyterHub (repo2docker), checked without Docker, with make lab's settings."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_repo2docker_plans_a_build_from_environment_yml():
    exe = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("jupyter-repo2docker not installed (it is in the test extras)")
    proc = subprocess.run([exe, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300)
    plan = proc.stdout + proc.stderr
    assert proc.returncode == 0, plan[-3000:]
    assert 'environment.yml' in plan, "repo2docker should build from environment.yml"
    # repo2docker chowns to the invoking user's uid:gid (0:0 as root)
    match = re.search(r"COPY --chown=\d+:\d+ src/ \$\{REPO_DIR\}/", plan)
    copy = match.start() if match else -1
    update = plan.find('env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"')
    assert 0 <= copy < update, "the repo must be copied before the env update, so `pip install -e .` finds cnnlib"
    # postBuild (make lab's two settings) runs after the environment exists, into the environment Lab runs from
    post_build = plan.find("RUN ./postBuild")
    assert update < post_build, "repo2docker should run postBuild after installing environment.yml"


def test_post_build_installs_make_labs_two_settings(tmp_path):
    # What repo2docker runs (in the repository, with NB_PYTHON_PREFIX set), on a stand-in environment.
    env = {"PATH": os.environ["PATH"], "NB_PYTHON_PREFIX": str(tmp_path)}
    subprocess.run(["bash", str(ROOT / "postBuild")], cwd=ROOT, env=env, check=True, timeout=60)
    overrides = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    server = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    assert overrides.read_bytes() == (ROOT / "tools" / "jupyterlab-overrides.json").read_bytes()
    assert server.read_bytes() == (ROOT / "tools" / "jupyter-server-config.json").read_bytes()
    assert json.loads(overrides.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    assert os.access(ROOT / "postBuild", os.X_OK), "postBuild should be executable, as repo2docker expects"


def test_post_build_outside_repo2docker_says_what_it_needs(tmp_path):
    env = {"PATH": os.environ["PATH"]}
    proc = subprocess.run(["bash", str(ROOT / "postBuild")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode != 0
    assert "NB_PYTHON_PREFIX" in proc.stderr and "repo2docker" in proc.stderr
