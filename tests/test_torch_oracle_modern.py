"""PyTorch as an independent oracle for ConvTranspose2D, GlobalAvgPool2D and Residual, forward and backward."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from cnnlib import Sequential  # noqa: E402
from cnnlib.functional import (  # noqa: E402
    conv_transpose2d_backward,
    conv_transpose2d_backward_naive,
    conv_transpose2d_forward,
    conv_transpose2d_forward_naive,
)
from cnnlib.layers import BatchNorm2D, Conv2D, ConvTranspose2D, GlobalAvgPool2D, ReLU, Residual  # noqa: E402
from cnnlib.shapes import conv_transpose_output_size  # noqa: E402

TRANSPOSE = {"fast": (conv_transpose2d_forward, conv_transpose2d_backward),
             "naive": (conv_transpose2d_forward_naive, conv_transpose2d_backward_naive)}


def t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def close(ours, theirs, what, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=rtol, atol=atol, err_msg=what)


# -- ConvTranspose2D -------------------------------------------------------------------------------------
@pytest.mark.parametrize("impl", ["fast", "naive"])
@pytest.mark.parametrize("kernel, stride, padding, output_padding, dilation", [
    ((3, 3), 1, 0, 0, 1),
    ((2, 2), 2, 0, 0, 1),  # the stamp picture: exact 2x upsampling
    ((4, 4), 2, 1, 0, 1),  # DCGAN's generator layer
    ((3, 3), 2, 1, 1, 1),  # output_padding picks the even size
    ((3, 2), (2, 3), (1, 0), (1, 2), 1),
    ((3, 3), 1, 1, 1, 2),  # output_padding < dilation at stride 1
    ((2, 3), (3, 1), (0, 1), (2, 0), (1, 2)),
])
def test_conv_transpose2d_matches_torch(impl, kernel, stride, padding, output_padding, dilation):
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((3, 4, *kernel)), rng.standard_normal(4)
    forward, backward = TRANSPOSE[impl]
    out, cache = forward(x, W, b, stride, padding, output_padding, dilation)
    xt, Wt, bt = t(x, True), t(W, True), t(b, True)
    ref = F.conv_transpose2d(xt, Wt, bt, stride=stride, padding=padding, output_padding=output_padding,
                             dilation=dilation)
    close(out, ref, "out")
    assert out.shape[2:] == conv_transpose_output_size((5, 4), kernel, stride, padding, output_padding, dilation)
    dout = rng.standard_normal(out.shape)
    ref.backward(t(dout))
    dx, dW, db = backward(dout, cache)
    close(dx, xt.grad, "dx")
    close(dW, Wt.grad, "dW")
    close(db, bt.grad, "db")


def test_conv_transpose2d_layer_matches_torch_module_float32():
    layer = ConvTranspose2D(6, 3, 4, stride=2, padding=1, seed=0, init="uniform")
    module = torch.nn.ConvTranspose2d(6, 3, 4, stride=2, padding=1)
    assert tuple(module.weight.shape) == layer.params["W"].shape  # the same (C_in, C_out, KH, KW) layout
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.params["W"]))
        module.bias.copy_(torch.from_numpy(layer.params["b"]))
    x = np.random.default_rng(2).standard_normal((4, 6, 7, 7)).astype(np.float32)
    xt = torch.from_numpy(x).requires_grad_(True)
    ref = module(xt)
    out = layer(x)
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-4, atol=1e-5)
    dout = np.random.default_rng(3).standard_normal(out.shape).astype(np.float32)
    ref.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(layer.backward(dout), xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.grads["W"], module.weight.grad.numpy(), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(layer.grads["b"], module.bias.grad.numpy(), rtol=1e-4, atol=1e-3)


def test_uniform_init_has_torchs_bound():
    # torch: kaiming_uniform(a=sqrt(5)) on a (C_in, C_out, KH, KW) weight gives U(-1/sqrt(C_out*KH*KW), ...)
    torch.manual_seed(0)
    module = torch.nn.ConvTranspose2d(32, 8, 3)
    layer = ConvTranspose2D(32, 8, 3, init="uniform", seed=0)
    bound = 1 / np.sqrt(8 * 9)
    for ours, theirs in ((layer.params["W"], module.weight), (layer.params["b"], module.bias)):
        assert np.abs(ours).max() <= bound and theirs.abs().max().item() <= bound
    # 2304 draws each: both standard deviations are bound / sqrt(3) within a few percent
    assert abs(layer.params["W"].std() - module.weight.std().item()) < 0.05 * bound


# -- GlobalAvgPool2D -------------------------------------------------------------------------------------
@pytest.mark.parametrize("impl", ["fast", "naive"])
def test_global_avg_pool_matches_torch_mean(impl):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 5, 6, 7))
    layer = GlobalAvgPool2D(impl=impl)
    xt = t(x, True)
    ref = xt.mean((2, 3))
    close(layer(x), ref, "out")
    close(layer(x), F.adaptive_avg_pool2d(xt, 1).flatten(1), "out (adaptive_avg_pool2d)")
    dout = rng.standard_normal((3, 5))
    ref.backward(t(dout))
    close(layer.backward(dout), xt.grad, "dx")


# -- Residual ----------------------------------------------------------------------------------------------
class TorchBlock(torch.nn.Module):
    """Conv-BN-ReLU-Conv-BN plus a shortcut (identity or 1x1 conv + BN), the ResNet basic block before its ReLU."""

    def __init__(self, C_in, C_out, stride):
        super().__init__()
        self.block = torch.nn.Sequential(
            torch.nn.Conv2d(C_in, C_out, 3, stride=stride, padding=1, bias=False), torch.nn.BatchNorm2d(C_out),
            torch.nn.ReLU(), torch.nn.Conv2d(C_out, C_out, 3, padding=1, bias=False), torch.nn.BatchNorm2d(C_out))
        self.shortcut = torch.nn.Identity() if C_in == C_out and stride == 1 else torch.nn.Sequential(
            torch.nn.Conv2d(C_in, C_out, 1, stride=stride, bias=False), torch.nn.BatchNorm2d(C_out))

    def forward(self, x):
        return self.block(x) + self.shortcut(x)


def _ours(C_in, C_out, stride):
    f64 = dict(dtype=np.float64)
    block = [Conv2D(C_in, C_out, 3, stride=stride, padding=1, bias=False, seed=0, **f64), BatchNorm2D(C_out, **f64),
             ReLU(), Conv2D(C_out, C_out, 3, padding=1, bias=False, seed=1, **f64), BatchNorm2D(C_out, **f64)]
    shortcut = None if C_in == C_out and stride == 1 else Sequential([
        Conv2D(C_in, C_out, 1, stride=stride, bias=False, seed=2, **f64), BatchNorm2D(C_out, **f64)])
    return Residual(block, shortcut)


def _pairs(ours, theirs):
    """(our array name, torch parameter) in the same order: conv W, BN gamma/beta, for block then shortcut."""
    names = {"W": "weight", "gamma": "weight", "beta": "bias"}
    pairs = []
    for path, layer in ours.named_layers():
        part, index = path.split(".")
        module = getattr(theirs, part)[int(index)]
        pairs += [(f"{path}.{k}", getattr(module, names[k])) for k in layer.params]
    return pairs


@pytest.mark.parametrize("C_in, C_out, stride", [(4, 4, 1), (4, 6, 2)], ids=["identity", "projection"])
def test_residual_matches_the_torch_module(C_in, C_out, stride):
    ours = _ours(C_in, C_out, stride)
    theirs = TorchBlock(C_in, C_out, stride).double()
    pairs = _pairs(ours, theirs)
    assert len(pairs) == len(ours.params) == sum(1 for _ in theirs.parameters())
    rng = np.random.default_rng(5)
    with torch.no_grad():
        for name, p in pairs:
            ours.params[name][...] = rng.standard_normal(p.shape) * (0.3 if p.dim() > 1 else 1)
            p.copy_(torch.from_numpy(ours.params[name]))
    x = rng.standard_normal((4, C_in, 6, 6))
    for step in range(2):  # training mode: batch statistics, and the running statistics move
        xt = t(x, True)
        ref = theirs(xt)
        out = ours(x)
        close(out, ref, f"out, step {step}")
        dout = rng.standard_normal(out.shape)
        ref.backward(t(dout))
        close(ours.backward(dout), xt.grad, f"dx, step {step}")
        for name, p in pairs:
            close(ours.grads[name], p.grad, f"d{name}, step {step}")
            p.grad = None
    buffers = dict(ours.named_buffers())
    torch_bns = [m for m in theirs.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(torch_bns) * 2 == len(buffers)
    bn_paths = [path for path, layer in ours.named_layers() if isinstance(layer, BatchNorm2D)]
    for path, bn in zip(bn_paths, torch_bns):
        close(buffers[f"{path}.running_mean"], bn.running_mean, f"{path}.running_mean")
        close(buffers[f"{path}.running_var"], bn.running_var, f"{path}.running_var")
    ours.eval()
    theirs.eval()
    close(ours(x), theirs(t(x)), "out in eval mode")
