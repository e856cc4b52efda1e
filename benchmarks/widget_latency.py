"""How long a slider move takes to redraw each lesson widget of lessons 01-06 (target: <= 150 ms).

    .venv/bin/python benchmarks/widget_latency.py                 # print the table
    .venv/bin/python benchmarks/widget_latency.py --write-readme  # and put it in benchmarks/README.md

Two numbers per widget, each the median of 20 updates at the widget's default
size, every update to a different slider value, after one untimed warm-up:

* **callback**: the view function (compute and draw the figure; on the
  figure it drew last time where the widget reuses its figure) plus the PNG
  encoding: the work between a slider change and the image bytes being
  ready, the same work the inline backend does for a figure;
* **widget**: setting a slider's ``value`` in Python on a built widget (its
  picture caches emptied first), which runs the observer, the callback(s)
  and the update of the image widget(s).

Views that return SVG (``.svg``) have no PNG to encode: their callback is
the view function alone. The backward-pass widget draws two pictures: moving the output cell redraws
only the first, moving the stride or padding redraws both. Not included:
the browser's round trip (``tests/browser`` measures it).
"""
from __future__ import annotations

import argparse
import itertools
import platform
import statistics
import time
from pathlib import Path

import matplotlib

from cnnlib.image_filters import KERNEL_NAMES
from cnnlib.viz.display import figure_to_png
from cnnlib.widgets import (backprop_pass_view, backprop_view, backprop_widget, batchnorm_view, batchnorm_widget,
                            filter_view, filter_widget, output_size_view, output_size_widget, pooling_view,
                            pooling_widget, shift_view, shift_widget, sliding_window_view, sliding_window_widget)
from cnnlib.widgets.view_widget import WIDGET_PNG_COMPRESSION

UPDATES = 20
TARGET_MS = 150
HERE = Path(__file__).resolve().parent
START, END = "<!-- widget-latency:start -->", "<!-- widget-latency:end -->"


def median_ms(fn, values) -> float:
    """Median time of ``fn(v)`` over ``UPDATES`` values, after one untimed warm-up call."""
    values = list(itertools.islice(itertools.cycle(values), UPDATES + 1))
    fn(values[0])  # imports, fonts, the photo
    times = []
    for v in values[1:]:
        t0 = time.perf_counter()
        fn(v)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def _callback(*view_fns, reuse: bool = False, **fixed):
    """One slider move: every view it redraws, with their PNGs.

    ``reuse``: pass each view the figure it drew last time (``figure=``), as the widget does.
    """
    figures = [None] * len(view_fns)

    def run(v):
        for k, view_fn in enumerate(view_fns):
            again = {"figure": figures[k]} if reuse and figures[k] is not None else {}
            result = view_fn(**{**fixed, **v, **again})
            if hasattr(result, "svg"):  # an SVG view: the widget sends the text as it is
                continue
            figures[k] = result.fig
            figure_to_png(figures[k], compress_level=WIDGET_PNG_COMPRESSION)

    return run


def _slider(box, name):
    """Move one control of a built widget to a value whose pictures are not cached."""
    control = box.controls[name]

    def move(v):
        for panel in box.panels:
            panel.cache.clear()
        control.value = v

    return move


def measure() -> list[tuple[str, str, str, float, float]]:
    """``(widget, setting, slider moved, callback ms, widget ms)`` per widget."""
    steps, cells = list(range(1, 10)), list(range(1, 10))
    strides = [1, 2, 3, 4]
    kernels = list(KERNEL_NAMES)
    shifts = list(range(7))
    bn_shifts = [-4.0, -2.0, 0.0, 2.0, 4.0]
    return [
        ("sliding window (01)", "4×4 ⋆ 2×2 example", "step 1…9",
         median_ms(_callback(sliding_window_view, reuse=True), [{"step": s} for s in steps]),
         median_ms(_slider(sliding_window_widget(), "step"), steps)),
        ("output size (02)", "H=7, K=3, P=1, D=1", "stride 1…4",
         median_ms(_callback(output_size_view, reuse=True), [{"stride": s} for s in strides]),
         median_ms(_slider(output_size_widget(), "stride"), strides)),
        ("filters (03)", "150×128 photo, padding 1", "kernel menu",
         median_ms(_callback(filter_view, reuse=True), [{"kernel": k} for k in kernels]),
         median_ms(_slider(filter_widget(), "kernel"), kernels)),
        ("pooling explorer (04)", "150×128 edge map, max", "stride 1…4",
         median_ms(_callback(pooling_view, reuse=True), [{"stride": s} for s in strides]),
         median_ms(_slider(pooling_widget(), "stride"), strides)),
        ("shift demo (04)", "150×128 photo, 2×2 pool", "shift 0…6",
         median_ms(_callback(shift_view, reuse=True), [{"shift": s} for s in shifts]),
         median_ms(_slider(shift_widget(), "shift"), shifts)),
        ("batch norm histograms (05)", "16×3×6×6 batch", "shift −4…4",
         median_ms(_callback(batchnorm_view, reuse=True), [{"shift": s} for s in bn_shifts]),
         median_ms(_slider(batchnorm_widget(), "shift"), bn_shifts)),
        ("backward pass (06)", "4×4 ⋆ 2×2, stride 1", "output cell 1…9",
         median_ms(_callback(backprop_view, reuse=True), [{"cell": c} for c in cells]),
         median_ms(_slider(backprop_widget(), "cell"), cells)),
        ("backward pass (06)", "4×4 ⋆ 2×2, cell 1", "stride 1…3 (both pictures)",
         median_ms(_callback(backprop_view, backprop_pass_view, reuse=True), [{"stride": s} for s in (1, 2, 3)]),
         median_ms(_slider(backprop_widget(), "stride"), [1, 2, 3])),
        ("backward pass (06)", "4×4 ⋆ 2×2, cell 1, stride 1", "padding 0…2 (both pictures)",
         median_ms(_callback(backprop_view, backprop_pass_view, reuse=True), [{"padding": p} for p in (0, 1, 2)]),
         median_ms(_slider(backprop_widget(), "padding"), [0, 1, 2])),
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


def readme_section(rows) -> str:
    machine = f"{platform.machine()}, Python {platform.python_version()}, matplotlib {matplotlib.__version__}"
    return "\n".join([
        START,
        f"Median of {UPDATES} updates each ({machine}; shared 2-core machine, expect ±30%):",
        "",
        table(rows),
        END,
    ])


SECTION_HEAD = """## Widget latency: `widget_latency.py`

```
.venv/bin/python benchmarks/widget_latency.py                 # print
.venv/bin/python benchmarks/widget_latency.py --write-readme  # update the table below
```

How long a lesson widget takes to redraw after a slider move, for every
widget of lessons 01-06 at its default size (target: 150 ms, the point where
a slider stops feeling instant). *callback* is the view function plus the PNG
encoding; *widget update* sets the slider in Python on a built widget (its
picture caches emptied), so it adds the observer and the image widget's
update. Neither includes the browser round trip.

"""


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
    parser = argparse.ArgumentParser(description="Time the lesson widgets' redraws.")
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
