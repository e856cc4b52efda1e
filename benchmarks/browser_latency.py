"""Slider-to-redraw latency measured in a real browser, for every lesson's widgets.

Runs the JupyterLab browser suite (``tests/browser/test_lessons_in_lab.py``),
which moves each widget's first slider with the keyboard and times, in the
page, the interval from the keydown to the moment the new figure is in the
DOM. This script turns the times it recorded into
``benchmarks/browser_latency.md``.

    .venv/bin/python benchmarks/browser_latency.py

    .venv/bin/python benchmarks/browser_latency.py --no-run   # summarise the last `make test` run

The machine is shared and noisy: read the medians and p95s, not single moves.
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
WIDGET_RESULTS = ROOT / "artifacts" / "browser" / "latency_lab_widgets.json"
REPORT = ROOT / "benchmarks" / "browser_latency.md"
TARGET_MS = 150


def percentile(values, q: float) -> float:
    """The ``q``-th percentile, linear between the nearest ranks (numpy's default), without numpy."""
    v = sorted(values)
    pos = (len(v) - 1) * q / 100
    lo = int(pos)
    return v[lo] + (v[min(lo + 1, len(v) - 1)] - v[lo]) * (pos - lo)


def main() -> int:
    returncode = 0
    if "--no-run" not in sys.argv[1:]:
        returncode = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/browser/test_lessons_in_lab.py"], cwd=ROOT
        ).returncode
    if returncode != 0 or not RESULTS.exists():
        print("the browser suite failed; no latency report written", file=sys.stderr)
        return 1
    data = json.loads(WIDGET_RESULTS.read_text()) if WIDGET_RESULTS.exists() else {
        name: entry["moves"] for name, entry in json.loads(RESULTS.read_text()).items()}
    rows, all_moves, misses = [], [], []
    for name, moves in sorted(data.items()):
        if not moves:
            continue
        all_moves += moves
        p95 = percentile(moves, 95)
        misses += [name] if p95 > TARGET_MS else []
        rows.append(f"| `{name}` | {len(moves)} | {statistics.median(moves):.0f} | {p95:.0f} | {max(moves):.0f} |")
    lines = [
        "# Slider latency in a real browser",
        "",
        f"Measured {datetime.date.today().isoformat()} with `.venv/bin/python benchmarks/browser_latency.py"
        f"{' --no-run` (from the browser tests of a `make test` run, Voilà tests running beside them)' if '--no-run' in sys.argv[1:] else '`'}:",
        "JupyterLab + headless Chromium on this 2-core machine (shared with other work while measuring),",
        "time from a keyboard slider move to the moment every figure of the widget is redrawn (the last change",
        f"before the widget stays still for 0.7 s). Target: p95 ≤ {TARGET_MS} ms per widget. Each widget's first",
        "slider is moved right (left at its end); values drawn before come from the widget's cache.",
        "",
        "| widget (lesson, cell) | moves | median ms | p95 ms | worst ms |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Over all {len(all_moves)} moves: median **{statistics.median(all_moves):.0f} ms**, "
        f"p95 **{percentile(all_moves, 95):.0f} ms**. "
        + (f"Widgets over the target: {', '.join(f'`{m}`' for m in misses)}." if misses
           else f"Every widget meets the {TARGET_MS} ms p95 target."),
        f"Python {platform.python_version()}, {platform.machine()}.",
        "",
    ]
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
