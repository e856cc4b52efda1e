"""Packaging: the two install routes (pip via pyproject.toml, conda via environment.yml) name the same packages,
and the wheel holds the data files inside the package."""
import fnmatch
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in meta["dependencies"]}
    for extra in meta["optional-dependencies"].values():
        names |= {_name(r) for r in extra}
    return names


def _environment_names() -> set[str]:
    names = set()
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)", line)  # top-level conda entries only
        if m:
            names.add(_name(m.group(1)))
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_name_the_same_packages():
    py, env = _pyproject_names(), _environment_names()
    assert py == env, (
        f"only in pyproject.toml: {sorted(py - env)}; only in environment.yml: {sorted(env - py)}"
    )


def test_torch_is_never_a_dependency():
    assert "torch" not in _pyproject_names(), "torch is a test oracle only; .ci/run installs the pinned CPU wheel"


def _commands(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_the_readme_test_command_and_only_adds_the_oracle_pin_and_the_floors():
    readme = (ROOT / "README.md").read_text()
    ci = _commands((ROOT / ".ci" / "run").read_text())
    assert "make test" in readme
    assert "make test" in ci and "make test-floors" in ci
    setup = {"set -euo pipefail", 'cd "$(dirname "$0")/.."', "export CNNLIB_REQUIRE_TORCH=1",
             "make .venv/.test-installed", ".venv/bin/python -m pip install --quiet torch==2.13.0"}
    extra = [c for c in ci if c not in setup | {"make test", "make test-floors"}]
    assert extra == [], f".ci/run must be make test plus the oracle pin and the floors; it also runs {extra}"


def _floor(requirement: str) -> str | None:
    m = re.search(r">=\s*([0-9][0-9.]*)", requirement)
    return m.group(1) if m else None


def test_the_floors_make_tests_are_the_floors_pyproject_declares():
    """make test-floors pins exactly the oldest versions pyproject.toml (and environment.yml) declare."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    makefile = (ROOT / "Makefile").read_text()
    pins = dict(re.findall(r'"([a-z0-9_-]+)==([0-9.]+)"', makefile.split("FLOOR_PINS", 1)[1].split("\n\n")[0]))
    declared = {_name(r): _floor(r) for r in meta["dependencies"] + meta["optional-dependencies"]["test"]}
    for name, floor in declared.items():
        if name in ("nbval", "jupytext", "playwright", "jupyter-repo2docker"):
            continue  # notebook and browser tools: make test-floors runs the unit tests only
        expected = floor + ".0" * (3 - floor.count(".") - 1)  # 1.24 -> 1.24.0: the oldest release declared
        assert pins.get(name) == expected, \
            f"pyproject declares {name}>={floor}; make test-floors installs {pins.get(name)}, expected {expected}"
    assert meta["requires-python"] == ">=3.10" and "3.10" in makefile.split("FLOOR_PYTHON ?=", 1)[1].split("\n")[0]
    env = (ROOT / "environment.yml").read_text()
    for name, floor in declared.items():
        assert f"- {name}>={floor}" in env, f"environment.yml should declare {name}>={floor} like pyproject.toml"


def test_lesson_00s_environment_check_asks_for_the_floors_pyproject_declares():
    from cnnlib.setup_check import REQUIREMENTS

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r): _floor(r) for r in meta["dependencies"]}
    for name, minimum, _ in REQUIREMENTS:
        if name in declared:
            assert minimum == declared[name], f"lesson 00 asks for {name} >= {minimum}; pyproject says >= {declared[name]}"


def test_every_data_file_inside_the_package_is_in_the_wheel():
    """A wheel (make hub installs one) holds only the package data pyproject.toml names: the shipped weights."""
    from cnnlib.networks import PRETRAINED_RESNET

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cnnlib"]
    data = [p.relative_to(ROOT / "cnnlib").as_posix() for p in (ROOT / "cnnlib").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert PRETRAINED_RESNET.relative_to(ROOT / "cnnlib").as_posix() in data
    missing = [d for d in data if not any(fnmatch.fnmatch(d, pattern) for pattern in patterns)]
    assert missing == [], f"not in the wheel: {missing}; add them to [tool.setuptools.package-data]"
