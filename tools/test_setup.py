"""Get what the test suite needs, by whichever route works here, and say in one line what was done.

    python tools/test_setup.py [--no-browser] [--env-file .venv/test-env.sh]

``make test`` runs this before pytest. It needs two things from outside the
repository:

* **Fashion-MNIST** (lessons 07-09, the dataset tests, docstring examples):
  already on disk (``$CNNLIB_DATA``, the cache, Debian's package directory),
  else Debian's ``dataset-fashion-mnist`` (``apt-get install`` as root;
  without root, ``apt-get download`` and unpack the ``.deb`` into the cache),
  else the official mirrors (SHA-256 checked), into the cache.
* **Chromium** for the browser suite: ``$CNNLIB_CHROMIUM``, else the
  system's, else Debian's ``chromium`` as root, else Playwright's managed
  Chromium (``python -m playwright install chromium``, needs the internet).

What it found is written to ``--env-file`` as ``CNNLIB_CHROMIUM=...`` for the
browser tests. If something cannot be had, it exits 1 and prints the one
command that fixes it. Every command it runs is logged to
``.venv/test-setup.log``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / ".venv" / "test-setup.log"
DEBIAN_DATA_PACKAGE = "dataset-fashion-mnist"
DEBIAN_BROWSER_PACKAGE = "chromium"
SYSTEM_BROWSERS = ("chromium", "chromium-browser")


class SetupError(Exception):
    """Something the suite needs could not be had; the message says how to get it."""


def _log(text: str) -> None:
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("a") as f:
        f.write(text.rstrip("\n") + "\n")


def _run(argv: list[str], **kwargs) -> bool:
    """Run ``argv``, its output going to the log; True if it exited 0."""
    _log(f"$ {' '.join(argv)}")
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, **kwargs)
    except OSError as exc:
        _log(f"  could not start: {exc}")
        return False
    _log(proc.stdout)
    _log(f"  exit {proc.returncode}")
    return proc.returncode == 0


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt_install(package: str) -> bool:
    """``apt-get install`` as root; refresh the package lists once if the package is not known yet."""
    if not (_is_root() and shutil.which("apt-get")):
        return False
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    return _run(install) or (_run(["apt-get", "update", "-q"]) and _run(install))


# --- Fashion-MNIST -----------------------------------------------------------------------------

def _fashion_mnist_dir() -> Path | None:
    """The directory the loader reads Fashion-MNIST from (every file SHA-256 checked), or None."""
    from cnnlib.datasets.mnist import FASHION_MNIST, find_local

    return find_local(FASHION_MNIST)


def _deb_without_root() -> bool:
    """``apt-get download`` the package (no root needed) and unpack its data files into the cache."""
    if not shutil.which("apt-get"):
        return False
    from cnnlib.datasets.debian import extract_deb_dataset
    from cnnlib.datasets.mnist import FASHION_MNIST, download_dir

    with tempfile.TemporaryDirectory() as tmp:
        if not _run(["apt-get", "download", DEBIAN_DATA_PACKAGE], cwd=tmp):
            return False
        debs = sorted(Path(tmp).glob(f"{DEBIAN_DATA_PACKAGE}_*.deb"))
        if not debs:
            return False
        try:
            extract_deb_dataset(debs[0], download_dir(FASHION_MNIST))
        except (OSError, ValueError) as exc:
            _log(f"  unpacking {debs[0].name} failed: {exc}")
            return False
    return True


def _from_mirrors() -> bool:
    from cnnlib.datasets.mnist import load_fashion_mnist

    try:
        for split in ("train", "test"):
            load_fashion_mnist(split, download=True, progress=False)
    except (FileNotFoundError, ValueError) as exc:
        _log(f"  download failed: {exc}")
        return False
    return True


def ensure_fashion_mnist() -> str:
    """Make Fashion-MNIST readable by the loader; return how."""
    found = _fashion_mnist_dir()
    if found is not None:
        return f"Fashion-MNIST found in {found}"
    routes = [("installed Debian's " + DEBIAN_DATA_PACKAGE, lambda: _apt_install(DEBIAN_DATA_PACKAGE)),
              ("unpacked Debian's " + DEBIAN_DATA_PACKAGE + " into the cache", _deb_without_root),
              ("downloaded from the official mirrors", _from_mirrors)]
    for how, route in routes:
        if route() and (found := _fashion_mnist_dir()) is not None:
            return f"Fashion-MNIST {how} ({found})"
    raise SetupError(
        "Fashion-MNIST could not be had: no copy on disk, no Debian package, no reachable mirror "
        f"(details in {LOG}). Fix: sudo apt-get install {DEBIAN_DATA_PACKAGE}, "
        "or set CNNLIB_DATA=/dir with the four IDX files in /dir/fashion-mnist/ and run make test again."
    )


# --- Chromium ----------------------------------------------------------------------------------

def _works(executable: str) -> bool:
    return _run([executable, "--headless", "--no-sandbox", "--disable-gpu", "--version"], timeout=60)


def _system_browser() -> str | None:
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path and _works(path):
            return path
    return None


def _playwright_browser() -> str | None:
    """Playwright's own Chromium, installed if missing (this needs the internet)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    _run([sys.executable, "-m", "playwright", "install", "chromium"], timeout=900)
    with sync_playwright() as p:
        path = p.chromium.executable_path
    return path if path and Path(path).exists() and _works(path) else None


def ensure_chromium() -> tuple[str, str]:
    """Return ``(path, how)`` of a Chromium that starts headless."""
    wanted = os.environ.get("CNNLIB_CHROMIUM")
    if wanted:
        if not (Path(wanted).is_file() and _works(wanted)):
            raise SetupError(f"CNNLIB_CHROMIUM={wanted!r} does not start a headless Chromium. "
                             "Fix: unset CNNLIB_CHROMIUM to let make test find or install one.")
        return wanted, f"Chromium {wanted} (CNNLIB_CHROMIUM)"
    if (path := _system_browser()):
        return path, f"Chromium {path} (system)"
    if _apt_install(DEBIAN_BROWSER_PACKAGE) and (path := _system_browser()):
        return path, f"Chromium {path} (installed Debian's {DEBIAN_BROWSER_PACKAGE})"
    if (path := _playwright_browser()):
        return path, f"Chromium {path} (Playwright's)"
    raise SetupError(
        "Chromium for the browser tests could not be had: none on the system, no root for apt-get, "
        f"and Playwright's download failed (details in {LOG}). Fix: "
        f"sudo apt-get install {DEBIAN_BROWSER_PACKAGE}   (or run without the browser suite: make test SKIP_BROWSER=1)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="do not look for Chromium")
    parser.add_argument("--env-file", type=Path, default=ROOT / ".venv" / "test-env.sh")
    args = parser.parse_args(argv)
    done, env = [], {}
    try:
        done.append(ensure_fashion_mnist())
        if args.no_browser:
            done.append("browser suite NOT run (SKIP_BROWSER=1)")
        else:
            env["CNNLIB_CHROMIUM"], how = ensure_chromium()
            done.append(how)
    except SetupError as exc:
        print(f"make test set-up failed: {exc}", file=sys.stderr)
        return 1
    args.env_file.parent.mkdir(parents=True, exist_ok=True)
    args.env_file.write_text("".join(f"export {k}={v}\n" for k, v in env.items()))
    print("make test set-up: " + "; ".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
