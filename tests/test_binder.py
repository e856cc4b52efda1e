"""The repository builds unchanged on Binder / JupyterHub (repo2docker), checked without Docker."""
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
