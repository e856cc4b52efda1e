"""Projector mode: one switch that makes every figure and widget readable from the back of a classroom.

On a projector at 1024×768 a notebook cell is about 820 px wide. A figure
wider than that is scaled down to fit, and its text shrinks with it. So:

* **normal mode** (a student's laptop, 1280×800 and up): figures fit the
  cell; text on a figure is drawn large enough to stay at least
  :data:`NORMAL_MIN_PX` px after the cell scales it down;
* **projector mode**: no figure is drawn below its natural width (a wide one
  scrolls sideways instead of shrinking), text on figures is at least
  :data:`PROJECTOR_MIN_PX` px, and a widget's labels and readouts are that
  size too.

Switch it on with ``projector_mode(True)`` in a lesson, or for a whole
server with the environment variable ``CNNLIB_PROJECTOR=1`` (``make present``
sets it; ``make lab PROJECTOR=1`` too). SVG figures are drawn at 18 px and
their natural size in both modes; this module sizes the text of matplotlib
figures (:func:`ensure_min_font`) before they become PNGs.

>>> projector_mode(False)
False
>>> min_font_px(natural_width=1080.0)
12.0
"""
from __future__ import annotations

import os

ENV_VAR = "CNNLIB_PROJECTOR"
PROJECTOR_MIN_PX = 18.0  # smallest text on a projected figure, CSS px (1024×768)
NORMAL_MIN_PX = 12.0  # smallest text at 1280×800
NORMAL_CELL_PX = 1080.0  # width of a notebook cell's output at 1280×800 (JupyterLab, file browser closed)

_state = {"on": os.environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes", "on")}


def projector_mode(on: bool | None = None) -> bool:
    """Switch projector mode on or off (``on``), or read it (no argument); returns whether it is on.

    Figures drawn afterwards follow the new mode; run the widget cells again
    to redraw them.
    """
    if on is not None:
        if not isinstance(on, bool):
            raise TypeError(f"projector_mode takes True or False, got {on!r}. "
                            "Hint: projector_mode(True) before projecting, projector_mode(False) after.")
        _state["on"] = on
    return _state["on"]


def min_font_px(natural_width: float) -> float:
    """The smallest text size, in px of the PNG, for a figure ``natural_width`` px wide.

    In projector mode figures are shown at their natural size, so it is
    :data:`PROJECTOR_MIN_PX`. Otherwise a figure wider than a cell at
    1280×800 is scaled down by ``NORMAL_CELL_PX / natural_width``, and its
    text must be that much larger to stay :data:`NORMAL_MIN_PX`.
    """
    if projector_mode():
        return PROJECTOR_MIN_PX
    return NORMAL_MIN_PX * max(1.0, natural_width / NORMAL_CELL_PX)


def ensure_min_font(fig) -> float:
    """Enlarge every visible text of ``fig`` smaller than :func:`min_font_px` to that size; returns the size in px.

    Titles, labels, tick labels, legends and texts in cells all count. A
    figure laid out by matplotlib (``layout="constrained"``) makes room for
    the larger text; the fixed-layout grids of the lessons already use sizes
    above it.
    """
    from matplotlib.text import Text

    dpi = fig.dpi
    width_px = fig.get_figwidth() * dpi
    floor_px = min_font_px(width_px)
    floor_pt = floor_px * 72.0 / dpi
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text() and text.get_fontsize() < floor_pt - 1e-9:
            text.set_fontsize(floor_pt)
    for ax in fig.axes:  # tick labels not made yet take their size from the axis
        for axis in (ax.xaxis, ax.yaxis):
            sizes = [t.get_fontsize() for t in axis.get_ticklabels()]
            if sizes and min(sizes) < floor_pt - 1e-9:
                axis.set_tick_params(labelsize=floor_pt)
    return floor_px
