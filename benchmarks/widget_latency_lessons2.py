"""How long a slider move takes to redraw each widget of lessons 04-06 (target: <= 150 ms).

    .venv/bin/python benchmarks/widget_latency_lessons2.py                 # print the table
    .venv/bin/python benchmarks/widget_latency_lessons2.py --write-readme  # and put it in benchmarks/README.md

Measured like ``widget_latency.py`` (lessons 00-03): median of 20 updates,
each to a different slider value, after one untimed warm-up;

* **callback**: the view function (compute and build the figure) plus the PNG encoding;
* **widget**: setting a slider's ``value`` on a built widget with its picture
  caches emptied, which runs the observer, the callback(s) and the image update.

The backward-pass widget draws two pictures: moving the output cell redraws
only the first, moving the stride or padding redraws both.
"""
from __future__ import annotations

import argparse
import itertools
import platform
import statistics
import time
from pathlib import Path

import matplotlib

from cnnlib.viz.style import figure_to_png
from cnnlib.widgets import (backprop_pass_view, backprop_view, backprop_widget, batchnorm_view, batchnorm_widget,
                            pooling_view, pooling_widget, shift_view, shift_widget)

UPDATES = 20
TARGET_MS = 150
HERE = Path(__file__).resolve().parent
START, END = "<!-- widget-latency-lessons2:start -->", "<!-- widget-latency-lessons2:end -->"


def _median_ms(fn, values) -> float:
    """Median time of ``fn(v)`` over ``UPDATES`` values, after one untimed warm-up call."""
    values = list(itertools.islice(itertools.cycle(values), UPDATES + 1))
    fn(values[0])
    times = []
    for v in values[1:]:
        t0 = time.perf_counter()
        fn(v)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def _callback(*view_fns, **fixed):
    """One slider move: every view it redraws, with their PNGs."""
    def run(v):
        for view_fn in view_fns:
            figure_to_png(view_fn(**{**fixed, **v}).fig)
    return run


def _slider(box, name):
    """Move one slider of a built widget to a value whose pictures are not cached."""
    control = box.controls[name]

    def move(v):
        for cache in (box.cache, getattr(box, "pass_cache", {})):
            cache.clear()
        control.value = v

    return move


def measure() -> list[tuple[str, str, str, float, float]]:
    """``(widget, setting, slider moved, callback ms, widget ms)`` per widget."""
    cells = list(range(1, 10))
    return [
        ("pooling explorer (04)", "150×128 edge map, max", "stride 1…4",
         _median_ms(_callback(pooling_view), [{"stride": s} for s in (1, 2, 3, 4)]),
         _median_ms(_slider(pooling_widget(), "stride"), [1, 2, 3, 4])),
        ("shift demo (04)", "150×128 photo, 2×2 pool", "shift 0…6",
         _median_ms(_callback(shift_view), [{"shift": s} for s in range(7)]),
         _median_ms(_slider(shift_widget(), "shift"), list(range(7)))),
        ("batch norm histograms (05)", "16×3×6×6 batch", "shift −5…5",
         _median_ms(_callback(batchnorm_view), [{"shift": s} for s in (-4.0, -2.0, 0.0, 2.0, 4.0)]),
         _median_ms(_slider(batchnorm_widget(), "shift"), [-4.0, -2.0, 0.0, 2.0, 4.0])),
        ("backward pass (06)", "4×4 ⋆ 2×2, stride 1", "output cell 1…9",
         _median_ms(_callback(backprop_view), [{"cell": c} for c in cells]),
         _median_ms(_slider(backprop_widget(), "cell"), cells)),
        ("backward pass (06)", "4×4 ⋆ 2×2, cell 1", "stride 1…3 (both pictures)",
         _median_ms(_callback(backprop_view, backprop_pass_view), [{"stride": s} for s in (1, 2, 3)]),
         _median_ms(_slider(backprop_widget(), "stride"), [1, 2, 3])),
    ]


def table(rows) -> str:
    lines = [
        f"| widget | setting | slider moved | callback (ms) | widget update (ms) | ≤ {TARGET_MS} ms |",
        "|---|---|---|---:|---:|:-:|",
    ]
    for name, setting, moved, cb, wd in rows:
        ok = "yes" if max(cb, wd) <= TARGET_MS else "**no**"
        lines.append(f"| {name} | {setting} | {moved} | {cb:.0f} | {wd:.0f} | {ok} |")
    return "\n".join(lines)


SECTION_HEAD = """## Lessons 2 widgets: `widget_latency_lessons2.py`

```
.venv/bin/python benchmarks/widget_latency_lessons2.py                 # print
.venv/bin/python benchmarks/widget_latency_lessons2.py --write-readme  # update the table below
```

The widgets of lessons 04-06, measured like `widget_latency.py` measures
lessons 00-03: median of 20 slider moves at the widget's default size;
*callback* is the view function plus the PNG encoding, *widget update* sets
the slider on a built widget with its picture caches emptied. The
backward-pass widget draws two pictures, so that stepping through the output
cells (the Play button) redraws only the first; a stride or padding move
redraws both, the cell picture first (it reaches the browser after about half
the time in the table). The last run was taken with a load average near 3 on
the 2 cores (other engineers' test runs); on the same load, lesson 01's
sliding window took 60-100 ms.

"""


def readme_section(rows) -> str:
    machine = f"{platform.machine()}, Python {platform.python_version()}, matplotlib {matplotlib.__version__}"
    return "\n".join([START, f"Median of {UPDATES} updates each ({machine}; shared 2-core machine, expect ±30%):",
                      "", table(rows), END])


def write_readme(rows, path: Path = HERE / "README.md") -> None:
    """Replace this script's section of ``path`` (or append it); other sections are left alone."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = readme_section(rows)
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION_HEAD + section + "\n"
    path.write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time the redraws of the lesson 04-06 widgets.")
    parser.add_argument("--write-readme", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args(argv)
    rows = measure()
    print(table(rows))
    if args.write_readme:
        write_readme(rows)
        print(f"wrote {HERE / 'README.md'}")
    return 0 if all(max(cb, wd) <= TARGET_MS for *_, cb, wd in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
