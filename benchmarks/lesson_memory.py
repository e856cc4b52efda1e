"""Peak memory of the kernel that runs each lesson, for sizing a JupyterHub / Binder.

Runs every notebook top to bottom in a fresh kernel (nbclient) and asks the
kernel, at the end, for its peak resident set size (``ru_maxrss``). Writes
``benchmarks/lesson_memory.md``.

    .venv/bin/python benchmarks/lesson_memory.py
"""
from __future__ import annotations

import datetime
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "benchmarks" / "lesson_memory.md"
PEAK_CELL = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"


def peak_mib(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return int(nb.cells[-1].outputs[0]["text"].strip())


def main() -> int:
    rows = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        mib = peak_mib(path)
        rows.append((path.stem, mib))
        print(f"{path.stem:<40} {mib:>6} MiB", flush=True)
    lines = [
        "# Memory per lesson",
        "",
        f"Measured {datetime.date.today().isoformat()} with `.venv/bin/python benchmarks/lesson_memory.py`: the peak",
        "resident memory of the kernel that runs the lesson top to bottom as stored (the training lesson on its",
        "default subset). The JupyterLab server adds about 100–150 MiB per user.",
        "",
        "| lesson | kernel peak (MiB) |",
        "|---|---:|",
        *[f"| `{name}` | {mib} |" for name, mib in rows],
        "",
    ]
    REPORT.write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
