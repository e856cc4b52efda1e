"""The JupyterLab settings ``make lab`` and the workshop hub install (``tools/jupyterlab-overrides.json``), and
their Jupyter server's configuration (``tools/jupyter-server-config.json``).

``saveState``: without it, a lesson a student has run and saved (JupyterLab autosaves every 2 minutes) opens
the next time with "Error displaying widget: model not found" under every widget's still picture, until its
cell runs again: the saved outputs point to widget models that were not saved. Measured in Chromium on lesson 01
(run, save, reopen, every cell scrolled into view): "model not found" without the setting; with it, all 8
widget views render their last pictures, and the saved file grows from 158 to 179 kB.

``hide_globs``: every lesson has a jupytext ``.py`` pair beside it (for reviewing changes), and the file browser
listed both, so a student could open ``01_sliding_window.py`` instead of the lesson. The server now leaves the
pairs out of its listings (they still open by path); the library's own ``.py`` files stay listed.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text())
SERVER_CONFIG = json.loads((ROOT / "tools" / "jupyter-server-config.json").read_text())
MAKEFILE = (ROOT / "Makefile").read_text()


def test_widget_state_is_saved_with_a_lesson():
    assert OVERRIDES["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}


def test_every_override_names_a_setting_the_installed_extension_declares():
    """An unknown key would be dropped by JupyterLab (the schemas allow no additional properties)."""
    import sys

    share = Path(sys.prefix) / "share" / "jupyter"
    for plugin, values in OVERRIDES.items():
        package, _, name = plugin.partition(":")
        schemas = list(share.glob(f"lab*/**/schemas/{package}/{name}.json"))
        if not schemas:
            pytest.skip(f"{package} is not installed in this environment (make lab installs it)")
        declared = json.loads(schemas[0].read_text())["properties"]
        assert set(values) <= set(declared), f"{plugin}: {set(values) - set(declared)} not in its schema"


@pytest.mark.parametrize("env", [r"\$\(VENV\)", r"\$\(HUB_PREFIX\)/env"])
def test_make_lab_and_the_hub_both_install_the_overrides(env):
    assert re.search(rf"cp tools/jupyterlab-overrides.json {env}/share/jupyter/lab/settings/overrides.json", MAKEFILE)


def _contents_manager():
    pytest.importorskip("jupyter_server", reason="make lab installs jupyter_server")
    from jupyter_server.services.contents.manager import ContentsManager
    from traitlets.config import Config

    return ContentsManager(config=Config(SERVER_CONFIG)), ContentsManager()


def test_the_file_browser_lists_each_lesson_once():
    configured, _ = _contents_manager()
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) >= 14
    for lesson in lessons:
        assert configured.should_list(lesson.name), f"{lesson.name} must be listed"
        assert not configured.should_list(lesson.with_suffix(".py").name), f"{lesson.stem}.py must be hidden"


def test_the_library_and_tools_stay_listed_and_jupyters_own_hiding_is_kept():
    configured, default = _contents_manager()
    shown = [p.name for folder in ("cnnlib", "cnnlib/layers", "tools", "benchmarks", "images")
             for p in (ROOT / folder).iterdir() if default.should_list(p.name)]
    assert "model.py" in shown and "conv.py" in shown
    hidden = [name for name in shown if not configured.should_list(name)]
    assert hidden == [], f"only the lessons' .py pairs should be hidden, not {hidden}"
    assert set(default.hide_globs) <= set(configured.hide_globs), "keep Jupyter's defaults (__pycache__, *.pyc, ...)"


@pytest.mark.parametrize("env", [r"\$\(VENV\)", r"\$\(HUB_PREFIX\)/env"])
def test_make_lab_and_the_hub_both_install_the_server_config(env):
    assert re.search(rf"cp tools/jupyter-server-config.json {env}/etc/jupyter/jupyter_server_config.json", MAKEFILE)
