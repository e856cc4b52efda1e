"""``make present``'s and ``make hub``'s early refusals, without starting a server: a busy port, a lesson that does
not exist, a workshop password that is too short.

The link ``make present`` prints must be the server's: Jupyter would move to the next free port when ``make lab``
already holds 8888, so the port is checked first. ``LESSON=1`` is lesson 01, not the first lesson whose number
starts with 1 (lesson 10 or 11).
"""
from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _present(**variables) -> subprocess.CompletedProcess:
    argv = ["make", "--no-print-directory", "present", *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.mark.parametrize("lesson, chosen", [("1", "01_sliding_window"), ("01", "01_sliding_window"),
                                            ("11", "11_transposed_convolution"), ("02_stride", "02_stride")])
def test_a_busy_port_is_refused_before_any_link_is_printed(busy_port, lesson, chosen):
    done = _present(LESSON=lesson, PORT=busy_port)
    assert done.returncode == 2, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert f"Port {busy_port} is in use" in said and f"notebooks/{chosen}" in said and "PORT=8890" in said
    assert "Presenting" not in said and "token=" not in said


def test_a_lesson_that_does_not_exist_is_named():
    done = _present(LESSON="77", PORT=1)
    assert done.returncode == 2
    assert "No lesson matches notebooks/77_*.ipynb: LESSON is a lesson's number, e.g. LESSON=02" in done.stdout


@pytest.mark.parametrize("password, said", [("", "8 characters or more:"), ("short", "(this one has 5)")])
def test_make_hub_refuses_a_short_password_before_installing_anything(password, said):
    # the length was checked only after the long install into /opt/cnnlib-hub (tools/hub/hub_settings.py)
    env = {k: v for k, v in os.environ.items() if k != "HUB_PASSWORD"} | {"HUB_PASSWORD": password}
    done = subprocess.run(["make", "--no-print-directory", "hub-check"], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2 and said in done.stdout, done.stdout + done.stderr
