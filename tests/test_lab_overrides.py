"""The JupyterLab settings ``make lab`` and the workshop hub install (``tools/jupyterlab-overrides.json``).

``saveState``: without it, a lesson a student has run and saved (JupyterLab autosaves every 2 minutes) opens
the next time with "Error displaying widget: model not found" under every widget's still picture, until its
cell runs again: the saved outputs point to widget models that were not saved. Measured in Chromium on lesson 01
(run, save, reopen, every cell scrolled into view): "model not found" without the setting; with it, all 8
widget views render their last pictures, and the saved file grows from 158 to 179 kB.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text())
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
