"""The backward-pass widget: step through the output cells and watch each one's gradient flow back.

Two pictures, one above the other. The first (:func:`backprop_view`) follows
one output cell: the window of the input it used, the kernel, its gradient
in ``dout``, and ``dW`` and ``dx`` filling up as the cells' gradients are
added. The second (:func:`backprop_pass_view`) shows every cell at once:
``dout`` with the stride's zeros inserted, the full correlation with the
kernel rotated 180°, and the cropping of the padding. Stride and padding
sliders change both.

>>> view = backprop_view(cell=2)
>>> view.out_cell, view.window, view.grad
((0, 1), (0, 1, 2, 2), 2.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..viz.backprop import ConvBackward, cell_equations, conv_backward_steps
from ..viz.backprop_draw import draw_backward_cell, draw_backward_pass
from .panel import FigurePanel, observe_all, redrawing, run_view

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

    fig: Figure
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
    """What the whole-pass picture drew; ``crop`` is ``(top, left, H, W)`` of ``dx`` inside ``dx_padded``."""

    fig: Figure
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


def backprop_view(cell: int = 1, stride: int = 1, padding: int = 0, x=None, kernel=None, dout=None,
                  figure: Figure | None = None) -> BackpropView:
    """Draw output cell ``cell`` (1-based, row-major) and the gradients it sends back.

    Args:
        cell: which output cell, ``1 .. H_out*W_out``.
        stride: window step (default 1).
        padding: zeros on every side of the input (default 0).
        x, kernel: 2-D input and kernel (default: the lesson's 4×4 ⋆ 2×2 example).
        dout: upstream gradient ``(H_out, W_out)`` (default: small integers, see
            :func:`cnnlib.viz.backprop.example_dout`).
        figure: a figure drawn by this function before, to redraw in place (what the widget
            does: its Axes are reused, which is faster); default None draws a new figure.
    """
    cb = _backward(x, kernel, dout, stride, padding)
    n = len(cb.cells)
    if not 1 <= cell <= n:
        raise ValueError(f"cell must be in 1..{n} for stride {stride} and padding {padding}, got {cell}.")
    c = cb.cells[cell - 1]
    dW, dx_padded = cb.partial(cell - 1)
    kh, kw = cb.kernel.shape
    return BackpropView(draw_backward_cell(cb, cell - 1, figure=figure), cell, n, (c.row, c.col), (c.top, c.left, kh, kw), c.grad,
                        dW, dx_padded, cell_equations(cb, cell - 1), cb)


def backprop_pass_view(stride: int = 1, padding: int = 0, x=None, kernel=None, dout=None,
                       figure: Figure | None = None) -> BackpropPassView:
    """Draw the whole backward pass at once as a full correlation (arguments as :func:`backprop_view`)."""
    cb = _backward(x, kernel, dout, stride, padding)
    kh = cb.kernel.shape[0]
    message = (f"stride {stride}: {stride - 1} zero(s) between the entries of dout; full correlation: "
               f"{kh - 1} zero(s) around; ")
    message += (f"padding {padding}: dx = dx_pad[{padding}:{padding + cb.x.shape[0]}, "
                f"{padding}:{padding + cb.x.shape[1]}]" if padding else "padding 0: nothing to crop")
    return BackpropPassView(draw_backward_pass(cb, figure=figure), cb.dout_dilated, cb.inserted, cb.dout_full, cb.kernel_rot,
                            cb.dx_padded, cb.dx, cb.dW, cb.db, cb.crop, message)


def _backward(x, kernel, dout, stride, padding) -> ConvBackward:
    return _cached(_key(x), _key(kernel), _key(dout), stride, padding)


def _key(a):
    if a is None:
        return None
    a = np.asarray(a, dtype=float)
    return a.shape, tuple(a.ravel())


def _array(key):
    return None if key is None else np.array(key[1]).reshape(key[0])


@lru_cache(maxsize=16)
def _cached(x_key, k_key, d_key, stride, padding) -> ConvBackward:
    return conv_backward_steps(_array(x_key), _array(k_key), _array(d_key), stride, padding)


def backprop_widget(x=None, kernel=None, dout=None, stride: int = 1, padding: int = 0, cell: int = 1,
                    interval_ms: int = 1500) -> widgets.VBox:
    """Play button + cell slider, stride and padding sliders; draws :func:`backprop_view` and :func:`backprop_pass_view`.

    ``cell``, ``stride`` and ``padding`` are the sliders' starting values. A
    custom ``dout`` fits only its own stride and padding; other settings
    show a message instead of a picture.
    """
    n = len(_backward(x, kernel, dout, stride, padding).cells)
    if not 1 <= cell <= n:
        raise ValueError(f"cell must be in 1..{n} for stride {stride} and padding {padding}, got {cell}.")
    play = widgets.Play(value=cell, min=1, max=n, step=1, interval=interval_ms, description="play")
    cell = widgets.IntSlider(value=cell, min=1, max=n, description="output cell", style={"description_width": "90px"},
                             layout=widgets.Layout(width="380px"))
    widgets.jslink((play, "value"), (cell, "value"))
    start = {"stride": stride, "padding": padding}
    sliders = {name: widgets.IntSlider(value=start[name], min=lo, max=hi, description=name,
                                       layout=widgets.Layout(width="300px"))
               for name, (lo, hi) in RANGES.items()}
    cell_panel, pass_panel = FigurePanel(), FigurePanel()
    cell_cache: dict = {}
    pass_cache: dict = {}
    busy = {"on": False}  # set while the code (not the user) moves the cell slider
    # Each picture is redrawn on its own figure, reusing its Axes.
    cell_view = redrawing(lambda c, s, p, figure: backprop_view(c, s, p, x, kernel, dout, figure=figure))
    pass_view = redrawing(lambda s, p, figure: backprop_pass_view(s, p, x, kernel, dout, figure=figure))

    def draw_cell() -> None:
        if busy["on"]:
            return
        run_view(cell_panel, cell_view, cell_cache,
                 c=cell.value, s=sliders["stride"].value, p=sliders["padding"].value)

    def draw_all() -> None:
        s, p = sliders["stride"].value, sliders["padding"].value
        busy["on"] = True
        try:
            n = len(_backward(x, kernel, dout, s, p).cells)
            cell.value = min(cell.value, n)
            cell.max = play.max = n
        except ValueError as exc:  # a custom dout fits only its own stride and padding
            cell_panel.show_error(str(exc))
            return
        finally:
            busy["on"] = False
        draw_cell()
        run_view(pass_panel, pass_view, pass_cache, s=s, p=p)

    cell.observe(lambda change: draw_cell(), names="value")
    observe_all(sliders.values(), draw_all)
    draw_all()
    controls = widgets.HBox([widgets.VBox([widgets.HBox([play, cell])]), widgets.VBox(list(sliders.values()))])
    box = widgets.VBox([controls, cell_panel, pass_panel])
    box.controls = {"play": play, "cell": cell, **sliders}
    box.panel = cell_panel
    box.pass_panel = pass_panel
    box.cache = cell_cache  # rendered PNGs by slider values (the benchmark clears it)
    box.pass_cache = pass_cache
    return box
