"""Numbers the lessons state in their corrected text (issue 14, "Wrong"), computed with cnnlib."""
import numpy as np

from cnnlib.demos.activations import gradients_through_depth
from cnnlib.functional import im2col
from cnnlib.layers import AvgPool2D, Conv2D, Sigmoid, Softmax
from cnnlib.losses import CategoricalCrossEntropy


def _sigmoid_slope(x: float) -> float:
    layer = Sigmoid()
    layer.forward(np.array([x]))
    return float(layer.backward(np.ones(1))[0])


def test_lesson05_sigmoid_slope_at_3_is_small_not_zero():
    top, at3, at5 = _sigmoid_slope(0.0), _sigmoid_slope(3.0), _sigmoid_slope(5.0)
    assert np.isclose(top, 0.25), f"sigma'(0) = {top}, lesson says 1/4"
    assert round(at3, 3) == 0.045, f"sigma'(3) = {at3:.4f}, lesson says 0.045"
    assert round(at3 / top, 2) == 0.18, f"sigma'(3)/sigma'(0) = {at3 / top:.3f}, lesson says 18%"
    assert round(at5, 4) == 0.0066, f"sigma'(5) = {at5:.5f}, lesson says 0.0066"


def test_lesson05_measured_ratio_is_below_the_sigma_prime_bound():
    norms = gradients_through_depth(("sigmoid",), depth=10)["sigmoid"]
    ratio = norms[-1] / norms[0]
    assert f"{ratio:.2g}" == "6.1e+04", f"layer 10 / layer 1 = {ratio:.3g}, lesson says 6.1e4"
    assert ratio < 4.0 ** 10, "the measured ratio should be smaller than the (1/4)^10 bound's 1e6"


def test_lesson06_guide_loop_is_right_only_if_the_prime_returns_p_minus_y():
    rng = np.random.default_rng(0)
    z, labels = rng.standard_normal((2, 3)), np.array([0, 2])
    softmax, cce = Softmax(), CategoricalCrossEntropy()
    p = softmax.forward(z)
    cce.forward(p, labels)
    dp = cce.backward()  # dL/dp = -y / (p N)
    y = np.eye(3)[labels]
    two_step = softmax.backward(dp)
    assert np.allclose(two_step, (p - y) / len(z)), "softmax.backward(cce.backward()) should be (p - y) / N"
    assert not np.allclose(dp, two_step), "dL/dp alone (no softmax step) must differ from dL/dz"


def test_lesson10_32_maps_of_4_windows_have_rank_at_most_4():
    x = np.random.default_rng(0).random((1, 1, 4, 4))
    conv = Conv2D(1, 32, 3, bias=False, dtype=np.float64, seed=0)
    cols = im2col(x, 3, 3)  # (C*KH*KW, N*H_out*W_out) = (9, 4)
    assert cols.shape == (9, 4), f"im2col shape {cols.shape}, lesson says 9x4"
    maps = conv(x)[0].reshape(32, -1)  # (32 filters, 4 values each)
    assert np.allclose(maps, conv.params["W"].reshape(32, 9) @ cols), "maps should be W (32x9) @ im2col (9x4)"
    assert np.linalg.matrix_rank(maps) == 4, f"rank {np.linalg.matrix_rank(maps)}, lesson says 4"


def test_lesson04_avgpool_counts_padded_zeros():
    out = AvgPool2D(2, stride=2, padding=1)(np.ones((1, 1, 2, 2)))[0, 0]
    # each 2x2 window holds one real 1 and three padded zeros: 1/4, as PyTorch's count_include_pad=True
    assert np.allclose(out, np.full((2, 2), 0.25)), f"got {out}, hand-computed 0.25 everywhere"
