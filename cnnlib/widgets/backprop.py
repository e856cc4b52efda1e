"""The backward-pass widget: step through the output cells and watch each one's gradient flow back.

Two pictures, one above the other. The first (:func:`backprop_view`) follows
one output cell: the window of the input it used, the kernel, its gradient
in ``dout``, and ``dW`` and ``dx`` filling up as the cells' gradients are
added. The second (:func:`backprop_pass_view`) shows every cell at once:
``dout`` with the stride's zeros inserted, the full correlation with the
kernel rotated 180°, and the cropping of the padding. Stride and padding
sliders change both. Both are SVG (``view.svg``): a redraw takes a few
milliseconds, and each has one size for the sliders' whole range. A stride
or padding change keeps the cell where the student put it: the same
``(row, col)`` of the output when it still exists, the nearest one otherwise.

>>> view = backprop_view(cell=2)
>>> view.out_cell, view.window, view.grad
((0, 1), (0, 1, 2, 2), 2.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets
import numpy as np

from ..demos.conv_backward import ConvBackward, cell_equations, conv_backward_steps
from .._checks import check_positive_int
from ..viz.backprop import draw_backward_cell, draw_backward_pass, full_dout_title
from .value_cache import cache_by_value
from .view_widget import ViewWidget, play_slider, sliders

#: Slider ranges (min, max).
RANGES = {"stride": (1, 3), "padding": (0, 2)}


@dataclass(frozen=True)
class BackpropView:
    """What the cell picture drew.

    ``cell`` is 1-based (as the slider shows it); ``out_cell`` its
    ``(row, col)``; ``window`` is ``(top, left, KH, KW)`` in the padded
    input; ``dW`` and ``dx_padded`` are the sums over cells ``1..cell``.
    ``backward`` holds everything else (the final gradients, the dilated ``dout``).
    """

    svg: str
    cell: int
    n_cells: int
    out_cell: tuple
    window: tuple
    grad: float
    dW: np.ndarray
    dx_padded: np.ndarray
    message: str
    backward: ConvBackward


@dataclass(frozen=True)
class BackpropPassView:
    """What the whole-pass picture drew; ``crop`` is ``(top, left, H, W)`` of ``dx`` inside ``dx_padded``.

    ``extra`` is ``(rows, cols)``, the zeros at the bottom/right of ``dout_full`` for the rows and columns
    the floor dropped, ``(H + 2P - KH) % S``; ``title`` the first grid's title, which states the padding drawn.
    """

    svg: str
    dout_dilated: np.ndarray
    inserted: np.ndarray
    dout_full: np.ndarray
    kernel_rot: np.ndarray
    dx_padded: np.ndarray
    dx: np.ndarray
    dW: np.ndarray
    db: float
    crop: tuple
    message: str
    extra: tuple = (0, 0)
    title: str = ""


def backprop_view(cell: int = 1, stride: int = 1, padding: int = 0, x=None, kernel=None,
                  dout=None) -> BackpropView:
    """Draw output cell ``cell`` (1-based, row-major) and the gradients it sends back.

    Args:
        cell: which output cell, ``1 .. H_out*W_out``.
        stride: window step (default 1).
        padding: zeros on every side of the input (default 0).
        x, kernel: 2-D input and kernel (default: the lesson's 4×4 ⋆ 2×2 example).
        dout: upstream gradient ``(H_out, W_out)`` (default: small integers, see
            :func:`cnnlib.demos.conv_backward.example_dout`).

    The figure has one size for every stride and padding of the widget's range (:data:`RANGES`).
    """
    cell = check_positive_int(cell, "cell")
    cb = _backward(x, kernel, dout, stride, padding)
    n = len(cb.cells)
    if cell > n:
        raise ValueError(f"cell must be in 1..{n} for stride {stride} and padding {padding}, got {cell}. "
                         f"Hint: cells are numbered row by row; cell={n} is the last one.")
    c = cb.cells[cell - 1]
    dW, dx_padded = cb.partial(cell - 1)
    kh, kw = cb.kernel.shape
    return BackpropView(draw_backward_cell(cb, cell - 1, max_padding=RANGES["padding"][1]), cell, n, (c.row, c.col),
                        (c.top, c.left, kh, kw), c.grad, dW, dx_padded, cell_equations(cb, cell - 1), cb)


def backprop_pass_view(stride: int = 1, padding: int = 0, x=None, kernel=None, dout=None) -> BackpropPassView:
    """Draw the whole backward pass at once as a full correlation (arguments as :func:`backprop_view`)."""
    cb = _backward(x, kernel, dout, stride, padding)
    kh = cb.kernel.shape[0]
    message = (f"stride {stride}: {stride - 1} zero(s) between the entries of dout; full correlation: "
               f"{kh - 1} zero(s) around; ")
    er, ec = cb.extra
    if er or ec:
        mod = f"{er}" if er == ec else f"{er} (rows), {ec} (columns)"
        message += (f"(H + 2P − K) mod S = {mod}: the floor dropped the last {er} row(s) and {ec} column(s) of x_pad, "
                    f"no window reached them, so dout gets {er} extra zero row(s) at the bottom and {ec} column(s) at "
                    f"the right, and their gradient is 0; ")
    message += (f"padding {padding}: dx = dx_pad[{padding}:{padding + cb.x.shape[0]}, "
                f"{padding}:{padding + cb.x.shape[1]}]" if padding else "padding 0: nothing to crop")
    svg = draw_backward_pass(cb, max_padding=RANGES["padding"][1])
    return BackpropPassView(svg, cb.dout_dilated, cb.inserted, cb.dout_full, cb.kernel_rot, cb.dx_padded, cb.dx,
                            cb.dW, cb.db, cb.crop, message, cb.extra, full_dout_title(cb))


def _backward(x, kernel, dout, stride, padding) -> ConvBackward:
    """The backward pass of this example, computed once per setting."""
    return _cached_backward(x, kernel, dout, stride, padding)


_cached_backward = cache_by_value(16)(conv_backward_steps)


def backprop_widget(x=None, kernel=None, dout=None, stride: int = 1, padding: int = 0, cell: int = 1,
                    interval_ms: int = 1500) -> ViewWidget:
    """Play button + cell slider, stride and padding sliders; draws :func:`backprop_view` and :func:`backprop_pass_view`.

    ``cell``, ``stride`` and ``padding`` are the sliders' starting values.
    Moving the cell redraws only the first picture. A custom ``dout`` fits
    only its own stride and padding; other settings show a message instead
    of a picture.
    """
    cell = check_positive_int(cell, "cell")
    n = len(_backward(x, kernel, dout, stride, padding).cells)
    if cell > n:
        raise ValueError(f"cell must be in 1..{n} for stride {stride} and padding {padding}, got {cell}. "
                         f"Hint: cells are numbered row by row; cell={n} is the last one.")
    cells = play_slider("cell", n, cell, interval_ms, label="output cell", width="380px",
                        style={"description_width": "90px"})
    geometry = sliders(RANGES, {"stride": stride, "padding": padding}, width="300px")
    controls = {**cells, **geometry}
    layout = widgets.HBox([widgets.HBox(list(cells.values())), widgets.VBox(list(geometry.values()))])
    arrays = {"x": x, "kernel": kernel, "dout": dout}
    last = {"geometry": (stride, padding)}  # the stride and padding the cell slider counts cells for
    return ViewWidget(controls, [partial(backprop_view, **arrays), partial(backprop_pass_view, **arrays)],
                      layout=layout, on_change=partial(_keep_cell, arrays, last),
                      titles=("one output cell", "the whole backward pass"))


def _output_shape(arrays: dict, stride: int, padding: int) -> tuple | None:
    """``(H_out, W_out)`` of this example, None if the setting does not fit (a custom dout)."""
    try:
        return _backward(*arrays.values(), stride, padding).dout.shape
    except ValueError:  # a custom dout fits only its own stride and padding: the views say so
        return None


def keep_cell(cell: int, old_shape: tuple, new_shape: tuple) -> int:
    """The 1-based cell of ``new_shape`` at the same ``(row, col)`` as ``cell`` of ``old_shape``, clamped.

    >>> keep_cell(4, (3, 3), (2, 2))   # out[1, 0] stays out[1, 0]
    3
    >>> keep_cell(9, (3, 3), (2, 2))   # out[2, 2] is gone: the nearest is out[1, 1]
    4
    """
    row, col = divmod(cell - 1, old_shape[1])
    row, col = min(row, new_shape[0] - 1), min(col, new_shape[1] - 1)
    return row * new_shape[1] + col + 1


def _keep_cell(arrays: dict, last: dict, widget: ViewWidget, name: str) -> None:
    """After a stride or padding change: the cell slider runs over the new cells, at the same (row, col)."""
    if name not in RANGES:
        return
    c = widget.controls
    geometry = (c["stride"].value, c["padding"].value)
    old, new = _output_shape(arrays, *last["geometry"]), _output_shape(arrays, *geometry)
    if new is None:
        return
    cell = keep_cell(c["cell"].value, old, new) if old is not None else min(c["cell"].value, new[0] * new[1])
    n = new[0] * new[1]
    for control in (c["cell"], c["play"]):
        if n > control.max:  # widen first, so that the value fits
            control.max = n
        control.value = cell
        control.max = n
    last["geometry"] = geometry
