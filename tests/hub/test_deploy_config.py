"""deploy/config.yaml (Zero to JupyterHub) parses, sets only documented keys, and sizes students from our measurements."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "config.yaml"

# The keys config.yaml may set, from the chart's own schema: jupyterhub/values.schema.yaml of
# github.com/jupyterhub/zero-to-jupyterhub-k8s (read at commit 02dd73df01bdbb6d602fed21b0be12565ab38080),
# the source of the "Configuration Reference" at https://z2jh.jupyter.org/en/stable/resources/reference.html.
# Only the keys cnnlib's config uses are listed; each was found there with this path and type.
DOCUMENTED_KEYS = {
    "hub.config": "object, additionalProperties: true (traitlets config passed to JupyterHub)",
    "singleuser.image.name": "string",
    "singleuser.image.tag": "string",
    "singleuser.defaultUrl": "string or null (KubeSpawner.default_url)",
    "singleuser.lifecycleHooks.postStart": "object, additionalProperties: true (KubeSpawner.lifecycle_hooks)",
    "singleuser.memory.guarantee": "number, string or null",
    "singleuser.memory.limit": "number, string or null",
    "singleuser.cpu.guarantee": "number or null",
    "singleuser.cpu.limit": "number or null",
    "singleuser.storage.capacity": "string or null",
    "cull.enabled": "boolean",
    "cull.timeout": "integer or null (--timeout)",
    "cull.every": "integer or null (--cull-every)",
}
# Below these, anything goes (the schema says additionalProperties: true).
FREE_FORM = ("hub.config", "singleuser.lifecycleHooks.postStart")
SIZES = {"K": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def _leaves(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not any(path == f for f in FREE_FORM):
            yield from _leaves(value, path + ".")
        else:
            yield path, value


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([KMG]i?)", str(size)).groups()
    return int(number) * SIZES[unit]


def test_config_parses_and_sets_only_documented_keys():
    config = yaml.safe_load(CONFIG.read_text())
    keys = [path for path, _ in _leaves(config)]
    assert keys, "config.yaml is empty"
    assert [k for k in keys if k not in DOCUMENTED_KEYS] == []


def test_types_match_the_schema():
    config = yaml.safe_load(CONFIG.read_text())
    values = dict(_leaves(config))
    assert isinstance(values["singleuser.image.name"], str) and isinstance(values["singleuser.image.tag"], str)
    assert isinstance(values["cull.enabled"], bool) and values["cull.enabled"] is True
    assert isinstance(values["cull.timeout"], int) and isinstance(values["cull.every"], int)
    assert all(isinstance(values[f"singleuser.cpu.{k}"], (int, float)) for k in ("guarantee", "limit"))


def test_memory_limit_covers_the_measured_training_lesson_and_the_server():
    """The limit must hold the largest lesson kernel (benchmarks/lesson_memory.md) plus a Jupyter server (~150 MiB)."""
    peaks = [int(m) for m in re.findall(r"\|\s*`\d\d_\w+`\s*\|\s*(\d+)\s*\|", (ROOT / "benchmarks" / "lesson_memory.md").read_text())]
    assert len(peaks) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))  # every lesson measured
    memory = yaml.safe_load(CONFIG.read_text())["singleuser"]["memory"]
    assert _bytes(memory["limit"]) >= (max(peaks) + 150) * 2**20
    assert (min(peaks) + 150) * 2**20 <= _bytes(memory["guarantee"]) < _bytes(memory["limit"])


def test_lessons_are_pulled_with_nbgitpuller_into_the_default_url():
    config = yaml.safe_load(CONFIG.read_text())
    command = config["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[0] == "gitpuller" and command[3] == "cnnlib"
    lesson = config["singleuser"]["defaultUrl"].removeprefix("/lab/tree/cnnlib/")
    assert (ROOT / lesson).exists(), lesson
    # the image repo2docker builds must have the gitpuller the hook runs
    assert re.search(r"^\s*- nbgitpuller", (ROOT / "environment.yml").read_text(), re.M), \
        "environment.yml must list nbgitpuller for the postStart hook"


def test_guide_names_the_commands_and_the_nbgitpuller_link():
    guide = (ROOT / "deploy" / "README.md").read_text()
    assert "jupyter-repo2docker" in guide and "helm upgrade --install" in guide
    link = re.search(r"https://\S+/hub/user-redirect/git-pull\?repo=\S+", guide)
    assert link and "urlpath=lab%2Ftree%2Fcnnlib%2Fnotebooks%2F00_start_here.ipynb" in link.group(0)
