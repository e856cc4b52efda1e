"""PyTorch as an independent oracle for conv2d and max/avg pooling, forward and backward (float64)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from cnnlib.functional import (  # noqa: E402
    avgpool2d_backward,
    avgpool2d_backward_naive,
    avgpool2d_forward,
    avgpool2d_forward_naive,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    maxpool2d_backward,
    maxpool2d_backward_naive,
    maxpool2d_forward,
    maxpool2d_forward_naive,
)
from cnnlib.layers import Conv2D  # noqa: E402

CONV = {"fast": (conv2d_forward, conv2d_backward), "naive": (conv2d_forward_naive, conv2d_backward_naive)}
MAX = {"fast": (maxpool2d_forward, maxpool2d_backward), "naive": (maxpool2d_forward_naive, maxpool2d_backward_naive)}
AVG = {"fast": (avgpool2d_forward, avgpool2d_backward), "naive": (avgpool2d_forward_naive, avgpool2d_backward_naive)}


def t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=what)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # torch's own performance note
@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("kernel, stride, padding, dilation", [
    ((3, 3), 1, 0, 1),
    ((3, 2), 2, 1, 1),
    ((3, 3), (2, 1), (1, 2), (2, 1)),
    ((4, 4), 1, "same", 1),  # even kernel: torch puts the extra row/column bottom/right
    ((2, 3), 1, "same", 2),
    ((3, 3), 1, "valid", 1),
])
def test_conv2d_matches_torch(impl, kernel, stride, padding, dilation):
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, *kernel)), rng.standard_normal(4)
    forward, backward = CONV[impl]
    out, cache = forward(x, W, b, stride, padding, dilation)
    xt, Wt, bt = t(x, True), t(W, True), t(b, True)
    ref = F.conv2d(xt, Wt, bt, stride=stride, padding=padding, dilation=dilation)
    close(out, ref, "out")
    dout = rng.standard_normal(out.shape)
    ref.backward(t(dout))
    dx, dW, db = backward(dout, cache)
    close(dx, xt.grad, "dx")
    close(dW, Wt.grad, "dW")
    close(db, bt.grad, "db")


@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_asymmetric_padding_matches_torch_pad_then_conv(impl):
    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((2, 2, 6, 7)), rng.standard_normal((3, 2, 3, 3))
    forward, backward = CONV[impl]
    out, cache = forward(x, W, None, 2, ((0, 2), (1, 0)), 1)
    xt, Wt = t(x, True), t(W, True)
    ref = F.conv2d(F.pad(xt, (1, 0, 0, 2)), Wt, stride=2)  # F.pad takes (left, right, top, bottom)
    close(out, ref, "out")
    dout = rng.standard_normal(out.shape)
    ref.backward(t(dout))
    dx, dW, db = backward(dout, cache)
    close(dx, xt.grad, "dx")
    close(dW, Wt.grad, "dW")
    assert db is None


def test_conv2d_layer_float32_matches_torch():
    layer = Conv2D(3, 8, 3, padding="same", seed=0)
    x = np.random.default_rng(2).standard_normal((4, 3, 10, 10)).astype(np.float32)
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(layer.params["W"]),
                                     torch.from_numpy(layer.params["b"]), padding="same")
    np.testing.assert_allclose(layer(x), ref.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("kernel_size, stride, padding", [(2, None, 0), (3, 1, 1), ((3, 2), (2, 1), (1, 1)), (3, 2, 0)])
@pytest.mark.parametrize("ties", [False, True])
def test_pooling_matches_torch(impl, kind, kernel_size, stride, padding, ties):
    rng = np.random.default_rng(3)
    shape = (2, 3, 7, 6)
    # With ties (small integers, many equal values per window) max pooling must route like torch on CPU.
    x = rng.integers(0, 3, size=shape).astype(np.float64) if ties else rng.standard_normal(shape)
    forward, backward = (MAX if kind == "max" else AVG)[impl]
    out, cache = forward(x, kernel_size, stride, padding)
    xt = t(x, True)
    if kind == "max":
        ref = F.max_pool2d(xt, kernel_size, stride, padding)
    else:
        ref = F.avg_pool2d(xt, kernel_size, stride, padding, count_include_pad=True)
    close(out, ref, "out")
    dout = rng.standard_normal(out.shape)
    ref.backward(t(dout))
    close(backward(dout, cache), xt.grad, "dx")
