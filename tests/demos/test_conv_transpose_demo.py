"""Lesson 11's numbers: the stamps add up to the layer's output, the overlap map counts stamps, the size table."""
import itertools
import re

import numpy as np
import pytest

from cnnlib.demos.conv_transpose import (conv_transpose_layout, conv_transpose_stamps, min_overlap_size,
                                         output_padding_table, overlap_map, stamp_equation, upsample_constant)
from cnnlib.functional import conv2d_backward, conv2d_forward
from cnnlib.layers import ConvTranspose2D
from cnnlib.shapes import conv_output_size, conv_transpose_output_size

W3 = np.array([[1, 0, -1], [2, 1, 0], [0, -1, 1]], dtype=float)
DOUT = np.array([[1, 2], [-1, 1]], dtype=float)


def test_hand_computed_stamps_of_lesson_11():
    st = conv_transpose_stamps(DOUT, W3, stride=2)
    assert [(s.top, s.left, s.value) for s in st.steps] == [(0, 0, 1), (0, 2, 2), (2, 0, -1), (2, 2, 1)]
    assert st.canvas[2, 2] == 3  # 1·W[2,2] + 2·W[2,0] + (-1)·W[0,2] + 1·W[0,0]
    assert st.canvas.tolist()[0] == [1, 0, 1, 0, -2]
    assert stamp_equation(st, 2) == "x[1, 0] = -1 → (-1)·W added to rows 2..4, columns 0..2"
    assert stamp_equation(st, 2, names=("dout", "W3")) == "dout[1, 0] = -1 → (-1)·W3 added to rows 2..4, columns 0..2"
    for bad in ("dout", ("dout",), ("dout", 3), ("", "W")):
        with pytest.raises(TypeError, match="names must be two names"):
            stamp_equation(st, 2, names=bad)


@pytest.mark.parametrize("stride, padding, output_padding", [(1, 0, 0), (2, 0, 0), (2, 1, 1), (3, 1, 2), (3, 2, 1)])
def test_stamps_sum_to_the_layer_output(stride, padding, output_padding):
    rng = np.random.default_rng(stride * 10 + padding)
    x, w = rng.standard_normal((3, 4)), rng.standard_normal((3, 2))
    st = conv_transpose_stamps(x, w, stride, padding, output_padding)
    layer = ConvTranspose2D(1, 1, (3, 2), stride, padding, output_padding, bias=False, dtype=np.float64)
    layer.params["W"][0, 0] = w
    out = layer(x[None, None])[0, 0]
    np.testing.assert_allclose(st.output, out)
    H_out, W_out = out.shape
    np.testing.assert_allclose(st.canvas[padding:padding + H_out, padding:padding + W_out], out)
    np.testing.assert_allclose(st.partial_canvas(len(st.steps) - 1), st.canvas)
    assert not st.partial_canvas(-1).any()


def test_stamps_are_lesson_06_dx():
    x = np.arange(16, dtype=float).reshape(4, 4) % 5
    W = np.array([[1, 0], [-1, 1]], dtype=float)
    _, cache = conv2d_forward(x[None, None], W[None, None], stride=2)
    dx = conv2d_backward(DOUT[None, None], cache)[0][0, 0]
    np.testing.assert_array_equal(conv_transpose_stamps(DOUT, W, stride=2).canvas, dx)


def _brute_force_counts(size, k, s):
    n = (size - 1) * s + k
    counts = np.zeros((n, n), dtype=int)
    for i, j in itertools.product(range(size), repeat=2):
        counts[i * s:i * s + k, j * s:j * s + k] += 1
    return counts


@pytest.mark.parametrize("k, s", list(itertools.product(range(1, 7), range(1, 5))))
def test_overlap_map_is_a_brute_force_count_and_uneven_iff_k_mod_s(k, s):
    size = max(4, min_overlap_size(k, s))
    ov = overlap_map(size, k, s)
    np.testing.assert_array_equal(ov.counts, _brute_force_counts(size, k, s))
    assert ov.uneven == (k % s != 0)
    a, b = ov.interior
    inside = ov.counts[a:b, a:b]
    if k % s == 0:
        assert set(np.unique(inside)) == {(k // s) ** 2}
    else:
        assert inside.min() < inside.max()


def test_overlap_map_values_by_hand_and_too_small_input():
    assert overlap_map(4, 3, 2).interior_values == (1, 2, 4)
    assert overlap_map(4, 4, 2).interior_values == (4,)
    assert overlap_map(3, 1, 3).interior_values == (0, 1)  # holes
    with pytest.raises(ValueError, match="too small.*size >= 6"):
        overlap_map(4, 5, 1)


def test_constant_image_is_uniform_inside_iff_k_divisible_by_s():
    even = upsample_constant(8, 4, 2, padding=1)
    assert even.shape == (16, 16) and np.allclose(even[2:-2, 2:-2], 1.0)
    checker = upsample_constant(8, 3, 2)
    assert checker.shape == (17, 17)
    assert set(np.unique(checker[2:-2, 2:-2]).round(6)) == {0.25, 0.5, 1.0}


def test_output_padding_table_lists_the_sizes_a_strided_conv_merges():
    rows = output_padding_table(4, 3, stride=2, padding=1)
    assert [(r.conv_input, r.output_padding, r.transposed) for r in rows] == [(7, 0, 7), (8, 1, 8)]
    for size, k, s, p in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(0, 2)):
        for r in output_padding_table(size, k, s, p):
            assert conv_output_size(r.conv_input, k, s, p) == size
            assert conv_transpose_output_size(size, k, s, p, r.output_padding) == r.conv_input
            assert r.output_padding < s


def test_layout_sizes_match_the_formula_and_the_layer():
    for h, k, s, p, op, d in itertools.product(range(1, 6), range(1, 4), range(1, 4), range(0, 2), range(0, 3),
                                                range(1, 3)):
        lay = conv_transpose_layout(h, k, s, p, op, d)
        try:
            expected = conv_transpose_output_size(h, k, s, p, op, d)
        except ValueError as exc:  # refused: the layout carries the same explanation, and the formula's value
            assert lay.error == str(exc) and lay.conv_back == ""
            assert lay.out_size == (h - 1) * s - 2 * p + d * (k - 1) + op + 1
            assert lay.formula.replace("−", "-").endswith(f"= {lay.out_size}")
            continue
        assert lay.error is None
        assert lay.out_size == expected == (h - 1) * s - 2 * p + d * (k - 1) + op + 1
        assert lay.starts == tuple(i * s for i in range(h))
        assert lay.canvas_size == lay.span + op  # output_padding's zero cells after the stamps
        assert lay.out_start == p == lay.canvas_size - (lay.out_start + lay.out_size)  # P cut at each end
        assert lay.formula.endswith(f"= {expected}")
    layer = ConvTranspose2D(1, 1, 3, stride=2, padding=1, output_padding=1)
    assert layer(np.zeros((1, 1, 4, 4))).shape[2:] == (conv_transpose_layout(4, 3, 2, 1, 1).out_size,) * 2
    assert "maps each of 7, 8 to 4" in conv_transpose_layout(4, 3, 2, 1, 1).conv_back


def test_a_refused_layout_carries_cnnlib_explanation_instead_of_raising():
    refused = conv_transpose_layout(4, 3, 2, 0, 2)
    assert "output_padding must be smaller" in refused.error and refused.out_size == 11  # 6 - 0 + 2 + 2 + 1
    cut = conv_transpose_layout(1, 1, 1, 3, 0)
    assert "No valid output" in cut.error and cut.formula.endswith("= −5")  # a minus sign, as in the formula


@pytest.mark.parametrize("args, error, words", [
    ((0, 3), ValueError, "size must be >= 1, got 0"),
    ((4, 3.5), TypeError, "kernel_size must be an integer, got 3.5"),
    ((4, 3, 2, -1), ValueError, "padding must be >= 0, got -1"),
    ((4, 3, 2, 1, True), TypeError, "output_padding must be an integer, got True"),
])
def test_a_layout_of_bad_arguments_still_raises(args, error, words):
    with pytest.raises(error, match=re.escape(words)):
        conv_transpose_layout(*args)


@pytest.mark.parametrize("call, words", [
    (lambda: upsample_constant(4, 0, 2), "kernel_size must be >= 1, got 0"),
    (lambda: upsample_constant(4, 3, 0), "stride must be >= 1, got 0"),  # was a ZeroDivisionError
    (lambda: overlap_map(4, 3, 0), "stride must be >= 1, got 0"),
    (lambda: output_padding_table(4, 3, 2, padding=-1), "padding must be >= 0, got -1"),  # was an empty table
    (lambda: output_padding_table(-4, 3, 2), "size must be >= 1, got -4"),
])
def test_demos_refuse_a_geometry_without_a_meaning(call, words):
    with pytest.raises(ValueError, match=words):
        call()
