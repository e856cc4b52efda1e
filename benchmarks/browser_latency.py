"""Slider-to-redraw latency measured in a real browser, for every lesson's widgets.

Runs the JupyterLab browser suite (``tests/browser/test_lessons_in_lab.py``),
which moves each widget's first slider with the keyboard and times, in the
page, the interval from the keydown to the moment the new figure is in the
DOM. This script turns the times it recorded into
``benchmarks/browser_latency.md``.

    .venv/bin/python benchmarks/browser_latency.py

    .venv/bin/python benchmarks/browser_latency.py --no-run   # summarise the last `make test` run

The machine is shared and noisy: read the medians, not single moves.
"""
from __future__ import annotations

import datetime
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "artifacts" / "browser" / "latency_lab.json"
REPORT = ROOT / "benchmarks" / "browser_latency.md"
TARGET_MS = 150


def main() -> int:
    returncode = 0
    if "--no-run" not in sys.argv[1:]:
        returncode = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/browser/test_lessons_in_lab.py"], cwd=ROOT
        ).returncode
    if returncode != 0 or not RESULTS.exists():
        print("the browser suite failed; no latency report written", file=sys.stderr)
        return 1
    data = json.loads(RESULTS.read_text())
    rows, all_moves = [], []
    for name, entry in sorted(data.items()):
        moves = entry["moves"]
        if not moves:
            continue
        all_moves += moves
        rows.append(f"| `{name}` | {len(moves)} | {statistics.median(moves):.0f} | {max(moves):.0f} |")
    overall = statistics.median(all_moves)
    lines = [
        "# Slider latency in a real browser",
        "",
        f"Measured {datetime.date.today().isoformat()} with `.venv/bin/python benchmarks/browser_latency.py"
        f"{' --no-run` (from the browser tests of a `make test` run, Voilà tests running beside them)' if '--no-run' in sys.argv[1:] else '`'}:",
        "JupyterLab + headless Chromium on this 2-core machine (shared with other work while measuring),",
        "time from a keyboard slider move to the new figure in the page. Target: median ≤ "
        f"{TARGET_MS} ms.",
        "",
        "| lesson | moves | median ms | worst ms |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"Overall median over {len(all_moves)} moves: **{overall:.0f} ms** "
        f"({'meets' if overall <= TARGET_MS else 'misses'} the {TARGET_MS} ms target).",
        f"Python {platform.python_version()}, {platform.machine()}.",
        "",
    ]
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
