"""Fixtures for the browser suite: one JupyterLab, one Voilà and one Chromium shared by every lesson."""
from __future__ import annotations

from pathlib import Path

import pytest

from .servers import CHROMIUM, CHROMIUM_ARGS, ROOT, start_lab, start_voila

ARTIFACTS = ROOT / "artifacts" / "browser"


def lesson_names() -> list[str]:
    return sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: make test installs one (or set CNNLIB_CHROMIUM=/path/to/chromium)")
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    server = start_lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab_projector(tmp_path_factory):
    """JupyterLab as ``make lab PROJECTOR=1`` runs it (only the module that needs it starts it)."""
    server = start_lab(tmp_path_factory.mktemp("lab-projector"), projector=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila(tmp_path_factory):
    server = start_voila(tmp_path_factory.mktemp("voila"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
