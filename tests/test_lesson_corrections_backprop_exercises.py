"""Issue 14, correction 5: lesson 06's backward pass when the stride does not divide H + 2P − K.

The floor in the output size drops the last r = (H + 2P − K) mod S rows (and columns) of the padded input:
no window reaches them, their gradient is 0, and the dilated dout needs r extra zeros at the bottom/right
before the full correlation. The widget's figure must say exactly the padding it draws, at every setting.
"""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.conv_backward import conv_backward_steps
from cnnlib.demos.sliding_window import SEED_INPUT, SEED_KERNEL
from cnnlib.layers import Conv2D
from cnnlib.viz.backprop_parts import HATCH_ID
from cnnlib.widgets import backprop_pass_view
from cnnlib.widgets.backprop import RANGES

NS = "{http://www.w3.org/2000/svg}"

SETTINGS = [(s, p) for s in range(RANGES["stride"][0], RANGES["stride"][1] + 1)
            for p in range(RANGES["padding"][0], RANGES["padding"][1] + 1)]


def layer_dx(x, kernel, dout, stride, padding):
    """dx from cnnlib's Conv2D layer (forward, then backward), one channel."""
    layer = Conv2D(1, 1, kernel.shape, stride=stride, padding=padding, dtype=np.float64, seed=0)
    layer.params["W"][...] = kernel
    layer.params["b"][...] = 0
    layer.forward(np.asarray(x, dtype=np.float64)[None, None])
    return layer.backward(np.asarray(dout, dtype=np.float64)[None, None])[0, 0]


def _number(pattern, title):
    m = re.search(pattern, title)
    return int(m.group(1)) if m else 0


def drawn_first_grid(svg):
    """``(values, kinds)`` of the first grid drawn in the SVG (dout_full), cell by cell."""
    root = ET.fromstring(svg)
    g = root.find(f"{NS}g[@data-grid='dout_full']")
    cells = [r for r in g.findall(NS + "rect") if r.get("data-kind")]
    n_cols = len({r.get("x") for r in cells})
    values = np.array([float(t.text) for t in g.findall(NS + "text")]).reshape(-1, n_cols)
    kinds = np.array([r.get("data-kind") for r in cells], dtype=object).reshape(-1, n_cols)
    return values, kinds


def drawn_padding(svg):
    """(between, around, bottom extra, right extra), measured on the drawn first grid."""
    drawn, kinds = drawn_first_grid(svg)
    mask = np.isin(kinds, ["padding", "extra"])  # the border zeros are drawn as padding (gray), the dropped hatched
    rows = np.flatnonzero(~mask.all(axis=1))
    cols = np.flatnonzero(~mask.all(axis=0))
    top, bottom = rows[0], mask.shape[0] - 1 - rows[-1]
    left, right = cols[0], mask.shape[1] - 1 - cols[-1]
    block = np.asarray(drawn)[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    entry_rows = np.flatnonzero(block.any(axis=1))  # the example dout has no zero entries
    between = int(np.diff(entry_rows)[0]) - 1 if len(entry_rows) > 1 else 0
    assert top == left and bottom - top == right - left, "the example is square"
    return between, top, bottom - top, right - left


@pytest.mark.parametrize("stride, padding", SETTINGS)
def test_the_label_states_exactly_the_padding_drawn(stride, padding):
    view = backprop_pass_view(stride, padding)
    title = view.title
    texts = [t.text or "" for t in ET.fromstring(view.svg).iter(NS + "text")]
    assert " ".join(title.split()) in " ".join(" ".join(texts).split())  # drawn as it says (lines may wrap)
    between, around, extra_bottom, extra_right = drawn_padding(view.svg)
    said = (_number(r"(\d+) zeros? between", title), _number(r"(\d+) around", title),
            _number(r"(\d+) bottom", title), _number(r"(\d+) (?:bottom/)?right", title))
    assert said == (between, around, extra_bottom, extra_right), title
    r = (4 + 2 * padding - 2) % stride  # (H + 2P − K) mod S for the 4×4 ⋆ 2×2 example
    assert view.extra == (r, r) and (extra_bottom, extra_right) == (r, r)
    assert ("bottom/right" in title) == (r > 0)
    _, kinds = drawn_first_grid(view.svg)
    hatched = kinds == "extra"  # drawn gray and hatched
    expected = np.zeros(kinds.shape, dtype=bool)
    if r:
        expected[-r:, :] = expected[:, -r:] = True
    np.testing.assert_array_equal(hatched, expected)
    assert view.svg.count(f'fill="url(#{HATCH_ID})"') == hatched.sum() + (1 if r else 0)  # + the legend's swatch
    if r:
        legend = [t for t in texts if t.startswith("hatched:")]
        assert legend and (f"{r} rows" in legend[0] or f"{r} row," in legend[0])
        assert f"mod S = {r}" in view.message


@pytest.mark.parametrize("stride, padding", SETTINGS)
def test_the_reconstructed_dx_equals_conv2d_backward(stride, padding):
    view = backprop_pass_view(stride, padding)
    cb = conv_backward_steps(stride=stride, padding=padding)
    np.testing.assert_allclose(view.dx, layer_dx(SEED_INPUT, SEED_KERNEL, cb.dout, stride, padding))
    assert view.dx_padded.shape == (4 + 2 * padding,) * 2


def test_stride_three_without_padding_says_two_extra_not_one():
    """The issue's example: at stride 3 the label said '+ 1 around' while two more zeros were drawn."""
    view = backprop_pass_view(stride=3, padding=0)
    assert view.title == "dout + 1 around\n+ 2 bottom/right"
    assert view.dout_full.shape == (5, 5)  # 1×1 dout + 1 around on each side + 2 at the bottom/right
    assert not view.dx[2:].any() and not view.dx[:, 2:].any()  # rows 2 and 3: no window reached them


def test_the_lessons_hand_example_six_by_six():
    """H = 6, K = 3, S = 2, P = 0: (6 − 3) mod 2 = 1 → one extra zero row and column; row 5 gets no gradient."""
    x = np.arange(36.0).reshape(6, 6) % 5
    kernel = np.array([[1.0, 0, -1], [2, 1, 0], [0, -1, 1]])
    dout = np.array([[1.0, 2], [-1, 1]])
    cb = conv_backward_steps(x, kernel, dout, stride=2)
    assert cb.extra == (1, 1) and cb.uncovered == (1, 1)
    assert cb.dout_dilated.shape == (3, 3) and cb.dout_full.shape == (8, 8)  # 2 + 3 + 2 + 1
    assert cb.full_padding == ((2, 3), (2, 3))
    dx = layer_dx(x, kernel, dout, 2, 0)
    np.testing.assert_allclose(cb.dx, dx)
    assert not dx[5].any() and not dx[:, 5].any() and dx[4].any()
    without_extra = np.pad(cb.dout_dilated, 2)  # forgetting the extra zeros: 7×7 → a 5×5 dx, not 6×6
    assert without_extra.shape[0] - 3 + 1 == 5


@pytest.mark.parametrize("shape, k, stride, padding, uncovered", [
    ((6, 6), 3, 3, 1, (1, 1)),  # (6 + 2 − 3) mod 3 = 2 > P = 1: the last row of x itself gets no gradient
    ((5, 5), 2, 2, 1, (0, 0)),  # (5 + 2 − 2) mod 2 = 1 ≤ P: only a padding row is dropped, cropped off anyway
    ((7, 6), 3, 2, 0, (0, 1)),  # rows fit, one column dropped
])
def test_dropped_rows_get_zero_gradient_then_padding_is_cropped(shape, k, stride, padding, uncovered):
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, shape).astype(float)
    kernel = rng.integers(-2, 3, (k, k)).astype(float) + np.eye(k)
    h_out, w_out = ((n + 2 * padding - k) // stride + 1 for n in shape)
    dout = rng.integers(1, 4, (h_out, w_out)).astype(float)
    cb = conv_backward_steps(x, kernel, dout, stride, padding)
    assert cb.extra == tuple((n + 2 * padding - k) % stride for n in shape)
    assert cb.uncovered == uncovered
    np.testing.assert_allclose(cb.dx, layer_dx(x, kernel, dout, stride, padding))
    ur, uc = uncovered
    if ur:
        assert not cb.dx[-ur:].any()
    if uc:
        assert not cb.dx[:, -uc:].any()
