"""Re-execute lesson notebooks in place, in a fresh kernel, and keep their jupytext pairs in sync.

    python tools/run_notebooks.py                 # every notebooks/*.ipynb (and *.py without one)
    python tools/run_notebooks.py notebooks/01_sliding_window.ipynb

For each notebook:

1. sync the pair (``jupytext --sync``): whichever of ``.ipynb`` / ``.py`` was
   edited last provides the cells, so you can edit either;
2. run every cell in a fresh kernel of *this* Python (the project's venv),
   from the notebook's directory, with one BLAS thread as the tests use
   (``tools/blas_threads.py``), stopping at the first error;
3. drop the widget state (``metadata.widgets``): nbval needs the outputs, but
   widget state is large, changes on every run and is useless without a kernel;
4. write the ``.ipynb`` and regenerate the ``.py`` from it.

Used by ``make notebooks``. Exits non-zero if a notebook fails.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.blas_threads import pin_blas_threads  # noqa: E402  (the repository root is on the path from here on)

pin_blas_threads()  # the kernels it starts inherit it
PAIR_FORMATS = "ipynb,py:percent"
TIMEOUT_S = 600


def notebook_paths(args: list[str]) -> list[Path]:
    """The ``.ipynb`` files to run: the arguments, or every lesson (``.py`` files name their pair)."""
    if args:
        paths = [Path(a) for a in args]
    else:
        nb_dir = ROOT / "notebooks"
        paths = sorted(set(nb_dir.glob("*.ipynb")) | {p.with_suffix(".ipynb") for p in nb_dir.glob("*.py")})
    return [p.with_suffix(".ipynb") for p in paths]


def sync_pair(ipynb: Path) -> None:
    """Create or update the pair from whichever file is newer (jupytext keeps the outputs)."""
    source = ipynb if ipynb.exists() else ipynb.with_suffix(".py")
    if not source.exists():
        raise FileNotFoundError(f"neither {ipynb} nor {ipynb.with_suffix('.py')} exists")
    if source.suffix == ".py":
        nb = jupytext.read(source)
        nb.metadata.setdefault("jupytext", {})["formats"] = PAIR_FORMATS
        jupytext.write(nb, ipynb)
        return
    subprocess.run([sys.executable, "-m", "jupytext", "--quiet", "--set-formats", PAIR_FORMATS, "--sync", str(ipynb)],
                   check=True)


def strip_widget_state(nb) -> None:
    """Remove stored widget state; keep the outputs (the widget-view references are harmless)."""
    nb.metadata.pop("widgets", None)


def execute(ipynb: Path) -> float:
    """Run ``ipynb`` top to bottom in a fresh kernel; write it back with outputs. Returns seconds."""
    nb = nbformat.read(ipynb, as_version=4)
    env_path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    os.environ["PATH"] = env_path  # the "python3" kernel spec runs `python`: make it this venv's
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(ipynb.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    strip_widget_state(nb)
    nb.metadata.setdefault("jupytext", {})["formats"] = PAIR_FORMATS
    nbformat.write(nb, ipynb)
    jupytext.write(nb, ipynb.with_suffix(".py"), fmt="py:percent")
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all in notebooks/)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in notebook_paths(args.notebooks) if not p.exists() and not p.with_suffix(".py").exists()]
    if missing:
        lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        parser.error(f"no such notebook: {', '.join(missing)} (neither the .ipynb nor its .py pair exists). "
                     f"Hint: NB=notebooks/{lessons[0] if lessons else '02_stride_padding_output_size.ipynb'}; "
                     "the lessons are in notebooks/.")
    failed = []
    for ipynb in notebook_paths(args.notebooks):
        sync_pair(ipynb)
        try:
            seconds = execute(ipynb)
        except CellExecutionError as exc:
            failed.append(ipynb)
            print(f"FAILED {ipynb}:\n{str(exc)[:3000]}", file=sys.stderr)
            continue
        print(f"ran {ipynb.relative_to(ROOT) if ipynb.is_relative_to(ROOT) else ipynb} in {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
