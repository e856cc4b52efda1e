"""tools/test_setup.py, which make test runs first: each route to Fashion-MNIST and Chromium, in order,
and a failure that names the command to fix it. The routes that touch the system are replaced by fakes
that record what would have run."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tools import strict_skips

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def setup(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("cnnlib_test_setup", ROOT / "tools" / "test_setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "LOG", tmp_path / "setup.log")
    monkeypatch.delenv("CNNLIB_CHROMIUM", raising=False)
    module.ran = []

    def fake_run(argv, **kwargs):
        module.ran.append(" ".join(argv))
        return module.answers.get(argv[0] + " " + argv[1] if len(argv) > 1 else argv[0], False)

    module.answers = {}
    monkeypatch.setattr(module, "_run", fake_run)
    return module


def _data_appears_after(module, monkeypatch, route_name):
    """Fashion-MNIST is absent until ``route_name`` has run."""
    state = {"there": False}

    def found():
        return Path("/data/fashion-mnist") if state["there"] else None

    original = getattr(module, route_name)

    def route(*args):
        original(*args)
        state["there"] = True
        return True

    monkeypatch.setattr(module, "_fashion_mnist_dir", found)
    monkeypatch.setattr(module, route_name, route)


def test_data_already_on_disk_is_used_and_nothing_runs(setup, monkeypatch):
    monkeypatch.setattr(setup, "_fashion_mnist_dir", lambda: Path("/usr/share/datasets/fashion-mnist"))
    assert setup.ensure_fashion_mnist() == "Fashion-MNIST found in /usr/share/datasets/fashion-mnist"
    assert setup.ran == []


def test_as_root_the_debian_package_is_installed_after_refreshing_the_lists(setup, monkeypatch):
    monkeypatch.setattr(setup, "_is_root", lambda: True)
    monkeypatch.setattr(setup.shutil, "which", lambda name: f"/usr/bin/{name}")
    calls = iter([False, True, True])  # install fails (lists empty), update works, install works
    monkeypatch.setattr(setup, "_run", lambda argv, **kw: setup.ran.append(" ".join(argv)) or next(calls))
    monkeypatch.setattr(setup, "_fashion_mnist_dir", lambda: Path("/usr/share/x") if len(setup.ran) == 3 else None)
    how = setup.ensure_fashion_mnist()
    assert how.startswith("Fashion-MNIST installed Debian's dataset-fashion-mnist")
    assert setup.ran == ["apt-get install -y -q --no-install-recommends dataset-fashion-mnist", "apt-get update -q",
                         "apt-get install -y -q --no-install-recommends dataset-fashion-mnist"]


def test_without_root_the_deb_is_downloaded_and_unpacked_into_the_cache(setup, monkeypatch):
    monkeypatch.setattr(setup, "_is_root", lambda: False)
    monkeypatch.setattr(setup.shutil, "which", lambda name: f"/usr/bin/{name}")
    _data_appears_after(setup, monkeypatch, "_deb_without_root")
    unpacked = []
    import cnnlib.datasets.debian as debian

    monkeypatch.setattr(debian, "extract_deb_dataset", lambda deb, target: unpacked.append((deb.name, target)))

    def fake_download(argv, cwd=None, **kwargs):
        setup.ran.append(" ".join(argv))
        (Path(cwd) / "dataset-fashion-mnist_0.0-1_all.deb").write_bytes(b"!<arch>\n")
        return True

    monkeypatch.setattr(setup, "_run", fake_download)
    how = setup.ensure_fashion_mnist()
    assert how == "Fashion-MNIST unpacked Debian's dataset-fashion-mnist into the cache (/data/fashion-mnist)"
    assert setup.ran == ["apt-get download dataset-fashion-mnist"]
    assert unpacked and unpacked[0][0] == "dataset-fashion-mnist_0.0-1_all.deb"


def test_without_apt_the_official_mirrors_are_used(setup, monkeypatch):
    monkeypatch.setattr(setup.shutil, "which", lambda name: None)
    loads = []
    import cnnlib.datasets.mnist as mnist

    monkeypatch.setattr(mnist, "load_fashion_mnist", lambda split, **kw: loads.append((split, kw["download"])))
    _data_appears_after(setup, monkeypatch, "_from_mirrors")
    assert setup.ensure_fashion_mnist().startswith("Fashion-MNIST downloaded from the official mirrors")
    assert loads == [("train", True), ("test", True)] and setup.ran == []


def test_no_route_fails_with_the_command_that_fixes_it(setup, monkeypatch):
    monkeypatch.setattr(setup.shutil, "which", lambda name: None)
    monkeypatch.setattr(setup, "_fashion_mnist_dir", lambda: None)
    monkeypatch.setattr(setup, "_from_mirrors", lambda: False)
    with pytest.raises(setup.SetupError, match=r"Fix: sudo apt-get install dataset-fashion-mnist"):
        setup.ensure_fashion_mnist()


def test_chromium_routes_in_order_system_then_debian_then_playwright(setup, monkeypatch):
    monkeypatch.setattr(setup, "_is_root", lambda: True)
    monkeypatch.setattr(setup.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.setattr(setup, "_playwright_browser", lambda: "/root/.cache/ms-playwright/chrome")
    path, how = setup.ensure_chromium()
    assert setup.ran[0].startswith("apt-get install") and "chromium" in setup.ran[0]
    assert (path, how) == ("/root/.cache/ms-playwright/chrome",
                           "Chromium /root/.cache/ms-playwright/chrome (Playwright's)")


def test_no_chromium_fails_naming_the_install_and_the_explicit_opt_out(setup, monkeypatch):
    monkeypatch.setattr(setup, "_is_root", lambda: False)
    monkeypatch.setattr(setup.shutil, "which", lambda name: None)
    monkeypatch.setattr(setup, "_playwright_browser", lambda: None)
    with pytest.raises(setup.SetupError, match=r"sudo apt-get install chromium.*SKIP_BROWSER=1"):
        setup.ensure_chromium()


def test_a_chromium_named_by_the_user_that_does_not_start_is_refused(setup, monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    monkeypatch.setenv("CNNLIB_CHROMIUM", str(fake))
    with pytest.raises(setup.SetupError, match="does not start a headless Chromium"):
        setup.ensure_chromium()


def test_main_writes_the_env_file_and_says_what_it_did_in_one_line(setup, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(setup, "ensure_fashion_mnist", lambda: "Fashion-MNIST found in /d")
    monkeypatch.setattr(setup, "ensure_chromium", lambda: ("/usr/bin/chromium", "Chromium /usr/bin/chromium (system)"))
    assert setup.main(["--env-file", str(tmp_path / "env.sh")]) == 0
    assert capsys.readouterr().out == "make test set-up: Fashion-MNIST found in /d; Chromium /usr/bin/chromium (system)\n"
    assert (tmp_path / "env.sh").read_text() == "export CNNLIB_CHROMIUM=/usr/bin/chromium\n"


def test_main_fails_with_exit_1_and_the_fix(setup, monkeypatch, tmp_path, capsys):
    def missing():
        raise setup.SetupError("Fashion-MNIST could not be had. Fix: sudo apt-get install dataset-fashion-mnist")

    monkeypatch.setattr(setup, "ensure_fashion_mnist", missing)
    assert setup.main(["--env-file", str(tmp_path / "env.sh")]) == 1
    assert "Fix: sudo apt-get install dataset-fashion-mnist" in capsys.readouterr().err


class _Report:
    def __init__(self, reason):
        self.skipped, self.outcome = True, "skipped"
        self.longrepr = ("tests/x.py", 3, f"Skipped: {reason}")


def test_strict_skips_turns_a_skip_into_a_failure_that_gives_the_reason(monkeypatch):
    monkeypatch.delenv("CNNLIB_REQUIRE_TORCH", raising=False)
    report = _Report("no Chromium at /usr/bin/chromium")
    strict_skips._fail_if_skipped(report)
    assert report.outcome == "failed" and "no Chromium at /usr/bin/chromium" in report.longrepr


def test_strict_skips_allows_a_missing_torch_unless_ci_requires_it(monkeypatch):
    monkeypatch.delenv("CNNLIB_REQUIRE_TORCH", raising=False)
    report = _Report("could not import 'torch': No module named 'torch'")
    strict_skips._fail_if_skipped(report)
    assert report.outcome == "skipped"
    monkeypatch.setenv("CNNLIB_REQUIRE_TORCH", "1")
    strict_skips._fail_if_skipped(report)
    assert report.outcome == "failed"


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
