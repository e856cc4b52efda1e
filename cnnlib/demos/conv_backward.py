r"""The convolution's backward pass, one output cell at a time and all at once.

Forward, output cell :math:`(i, j)` is the window of the padded input whose
top-left corner is :math:`(i s, j s)`, times the kernel, summed. Backward, its
gradient :math:`g = dout[i, j]` flows back along the same connections:

.. math::

    dW \mathrel{+}= g \cdot x_{pad}[is : is + K_H,\ js : js + K_W], \qquad
    dx_{pad}[is : is + K_H,\ js : js + K_W] \mathrel{+}= g \cdot W

Summed over every cell this is two correlations. ``dout`` is first *dilated*
(``s - 1`` zeros between its entries, so entry :math:`(i, j)` sits at
:math:`(i s, j s)`, where its window starts), then

* :math:`dW = x_{pad} \star dout_{dil}` (valid cross-correlation),
* :math:`dx_{pad} = dout_{dil} \star_{full} \mathrm{rot180}(W)` (pad by
  :math:`K - 1`, then cross-correlate with the kernel rotated by 180°),
* when the stride does not divide :math:`H + 2P - K`, the floor in the
  output size drops the last :math:`r = (H + 2P - K) \bmod S` rows of
  :math:`x_{pad}`: no window reaches them, so their gradient is 0, and
  :math:`dout_{dil}` gets :math:`r` extra zero rows at the bottom (columns
  likewise, at the right) so that :math:`dx_{pad}` has :math:`x_{pad}`'s shape,
* :math:`dx` is :math:`dx_{pad}` with the padding cropped off, and
  :math:`db = \sum dout`.

:func:`conv_backward_steps` computes both views for one channel (tests prove
them equal to :func:`cnnlib.functional.conv2d_backward`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..shapes import conv_output_size
from .formatting import format_rows, format_value, paren
from .sliding_window import SEED_INPUT, SEED_KERNEL, correlate

#: The upstream gradient of the lesson's 4×4 ⋆ 2×2 example (other shapes repeat these numbers row by row).
SEED_DOUT = np.array([[1, 2, -1], [-1, 1, -1], [2, -1, 1]], dtype=float)


def example_dout(shape) -> np.ndarray:
    """A small integer ``dout`` of ``shape``: :data:`SEED_DOUT`'s numbers repeated row by row."""
    return np.resize(SEED_DOUT.ravel(), shape).astype(float)


def dilate(a, stride: int) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring entries of the 2-D ``a``.

    Shape: ``(H, W)`` becomes ``((H - 1) S + 1, (W - 1) S + 1)``.

    >>> dilate(np.array([[1., 2.], [3., 4.]]), 2)
    array([[1., 0., 2.],
           [0., 0., 0.],
           [3., 0., 4.]])
    """
    a = np.asarray(a, dtype=float)
    h, w = a.shape
    out = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1))
    out[::stride, ::stride] = a
    return out


@dataclass(frozen=True)
class BackwardCell:
    """Output cell ``(row, col)``: its window's corner ``(top, left)`` in the padded input and its gradient."""

    index: int
    row: int
    col: int
    top: int
    left: int
    grad: float
    window: np.ndarray  # x_padded[top:top+KH, left:left+KW]


@dataclass(frozen=True)
class ConvBackward:
    """Both views of ``conv2d``'s backward pass for a 2-D input, kernel and ``dout``.

    Padded coordinates start at the first padding cell. ``dout_full`` is
    ``dout_dilated`` with ``K - 1`` zeros around it plus ``extra`` more at
    the bottom/right, so that ``correlate(dout_full, kernel_rot)`` has the
    padded input's shape. ``extra = ((H + 2P - KH) % S, (W + 2P - KW) % S)``
    counts the rows and columns of the padded input that the floor in the
    output size dropped: no window reaches them and their gradient is 0.
    ``inserted`` marks the zeros the stride put between entries of ``dout``.
    """

    x: np.ndarray
    kernel: np.ndarray
    dout: np.ndarray
    stride: int
    padding: int
    padded: np.ndarray
    cells: list
    dW: np.ndarray
    db: float
    dx_padded: np.ndarray
    dx: np.ndarray
    dout_dilated: np.ndarray
    inserted: np.ndarray  # bool, like dout_dilated
    dout_full: np.ndarray
    full_offset: tuple  # (row, col) of dout_dilated[0, 0] inside dout_full
    kernel_rot: np.ndarray
    extra: tuple = (0, 0)  # (rows, cols) the floor dropped: extra zeros at the bottom/right of dout_full

    @property
    def around(self) -> tuple:
        """``(KH - 1, KW - 1)``: the zeros on every side of the dilated ``dout`` for the full correlation."""
        return self.full_offset

    @property
    def full_padding(self) -> tuple:
        """``((top, bottom), (left, right))``: the zeros around ``dout_dilated`` inside ``dout_full``."""
        (r0, c0), (er, ec) = self.full_offset, self.extra
        return (r0, r0 + er), (c0, c0 + ec)

    @property
    def uncovered(self) -> tuple:
        """``(rows, cols)`` of ``x`` itself (not padding) that no window reached: ``max(extra - P, 0)``."""
        return tuple(max(e - self.padding, 0) for e in self.extra)

    @property
    def crop(self) -> tuple:
        """``(top, left, H, W)``: where ``dx`` sits inside ``dx_padded``."""
        return (self.padding, self.padding, *self.x.shape)

    def partial(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """``(dW, dx_padded)`` after the gradients of cells ``0..index`` have flowed back (the loop version)."""
        dW = np.zeros_like(self.kernel)
        dx_padded = np.zeros_like(self.padded)
        kh, kw = self.kernel.shape
        for c in self.cells[: index + 1]:
            dW += c.grad * c.window
            dx_padded[c.top : c.top + kh, c.left : c.left + kw] += c.grad * self.kernel
        return dW, dx_padded


def conv_backward_steps(x=None, kernel=None, dout=None, stride: int = 1, padding: int = 0) -> ConvBackward:
    """Gradients of ``out = x ⋆ kernel`` (one channel) for the upstream gradient ``dout``, cell by cell.

    Args:
        x: 2-D input (default: the lesson's 4×4 example).
        kernel: 2-D kernel (default: ``[[1, 0], [-1, 1]]``).
        dout: gradient w.r.t. the output, ``(H_out, W_out)`` (default: :func:`example_dout`).
        stride: window step (default 1).
        padding: zeros on every side (default 0).

    Shape:
        ``dout``: ``(H_out, W_out)``, ``H_out = (H + 2P - KH) // S + 1``;
        ``dout_dilated``: ``((H_out - 1) S + 1, (W_out - 1) S + 1)``;
        ``dout_full``: ``dout_dilated`` padded by ``K - 1`` on every side plus
        ``extra = (H + 2P - KH) % S`` at the bottom (columns likewise);
        ``dx_padded``: ``(H + 2P, W + 2P)``; ``dx``: like ``x``; ``dW``: like ``kernel``.

    >>> conv_backward_steps().dW
    array([[ 8.,  7.],
           [-3.,  8.]])
    """
    x = SEED_INPUT if x is None else np.asarray(x, dtype=float)
    kernel = SEED_KERNEL if kernel is None else np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"conv_backward_steps expects a 2-D input and kernel, got shapes {x.shape} and {kernel.shape}. "
            "Hint: show one channel at a time."
        )
    kh, kw = kernel.shape
    h_out = conv_output_size(x.shape[0], kh, stride, padding)
    w_out = conv_output_size(x.shape[1], kw, stride, padding)
    dout = example_dout((h_out, w_out)) if dout is None else np.asarray(dout, dtype=float)
    if dout.shape != (h_out, w_out):
        raise ValueError(
            f"dout must have the output's shape ({h_out}, {w_out}) for this input, kernel, stride and padding, "
            f"got {dout.shape}."
        )
    padded = np.pad(x, padding)
    cells = [BackwardCell(k, i, j, i * stride, j * stride, float(dout[i, j]),
                          padded[i * stride : i * stride + kh, j * stride : j * stride + kw])
             for k, (i, j) in enumerate(np.ndindex(h_out, w_out))]

    # All cells at once: two correlations with the dilated dout.
    dout_dilated = dilate(dout, stride)
    inserted = np.ones(dout_dilated.shape, dtype=bool)
    inserted[::stride, ::stride] = False
    hd, wd = dout_dilated.shape
    # The floor in H_out dropped the last (H + 2P - KH) % S rows of x_pad: no window reached them, so they get
    # zero gradient, and dout_full needs that many extra zero rows at the bottom (columns: at the right).
    extra_h = (padded.shape[0] - kh) % stride
    extra_w = (padded.shape[1] - kw) % stride
    assert (hd + kh - 1 + extra_h, wd + kw - 1 + extra_w) == padded.shape, "full correlation must give x_pad's shape"
    dout_full = np.pad(dout_dilated, ((kh - 1, kh - 1 + extra_h), (kw - 1, kw - 1 + extra_w)))
    kernel_rot = kernel[::-1, ::-1]  # rotate by 180°
    dx_padded = correlate(dout_full, kernel_rot)  # (H + 2P, W + 2P)
    dW = correlate(padded[: hd + kh - 1, : wd + kw - 1], dout_dilated)  # (KH, KW)
    dx = dx_padded[padding : padding + x.shape[0], padding : padding + x.shape[1]]
    return ConvBackward(x, kernel, dout, stride, padding, padded, cells, dW, float(dout.sum()), dx_padded, dx,
                        dout_dilated, inserted, dout_full, (kh - 1, kw - 1), kernel_rot, (extra_h, extra_w))


def cell_equations(cb: ConvBackward, index: int) -> str:
    """Two lines: where cell ``index``'s gradient goes, with the numbers.

    >>> print(cell_equations(conv_backward_steps(), 1).splitlines()[1])
    dW += 2 · x[0:2, 1:3] = [[4, 6], [2, 4]]     dx[0:2, 1:3] += 2 · W = [[2, 0], [-2, 2]]
    """
    c = cb.cells[index]
    kh, kw = cb.kernel.shape
    x, dx = ("x_pad", "dx_pad") if cb.padding else ("x", "dx")
    where = f"[{c.top}:{c.top + kh}, {c.left}:{c.left + kw}]"
    return (f"out[{c.row}, {c.col}] used {x}{where} and all of W; its gradient dout[{c.row}, {c.col}] "
            f"= {format_value(c.grad)} flows back:\n"
            f"dW += {paren(c.grad)} · {x}{where} = {format_rows(c.grad * c.window)}     "
            f"{dx}{where} += {paren(c.grad)} · W = {format_rows(c.grad * cb.kernel)}")
