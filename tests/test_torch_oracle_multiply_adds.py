"""``multiply_adds``: each layer's count against PyTorch's ``FlopCounterMode`` (2 FLOPs per multiply-add).

PyTorch counts what its convolution and matmul kernels compute for the equivalent modules, biases left out,
and nothing for activations, batch norm or pooling: the same rule as cnnlib's docstring. The whole networks
(the seed-000 CNN and the small ResNet of lesson 13) are rebuilt in ``torch.nn`` from their cnnlib layers, so
a residual block's shortcut and the shapes each layer receives are counted by an independent forward pass.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from cnnlib import Sequential  # noqa: E402
from cnnlib.layers import (BatchNorm2D, Conv2D, ConvTranspose2D, Dense, Flatten, GlobalAvgPool2D,  # noqa: E402
                           MaxPool2D, ReLU, Residual)
from cnnlib.networks import fashion_mnist_cnn, fashion_mnist_resnet  # noqa: E402


def torch_multiply_adds(module, input_shape) -> int:
    """Multiply-adds of one sample's forward pass through ``module``, as PyTorch counts them."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        module.eval()(torch.zeros((1, *input_shape)))
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    return flops // 2


class _Residual(torch.nn.Module):
    def __init__(self, block, shortcut):
        super().__init__()
        self.block, self.shortcut = block, shortcut

    def forward(self, x):
        return self.block(x) + (x if self.shortcut is None else self.shortcut(x))


def to_torch(layers) -> torch.nn.Sequential:
    """The ``torch.nn`` twin of a list of cnnlib layers (the types the networks use)."""
    twins = []
    for layer in layers:
        if isinstance(layer, Conv2D):
            twins.append(torch.nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride,
                                         layer.pads[0][0], layer.dilation, bias=layer.bias))
            assert layer.pads[0][0] == layer.pads[0][1] and layer.pads[1][0] == layer.pads[1][1] == layer.pads[0][0]
        elif isinstance(layer, Dense):
            twins.append(torch.nn.Linear(layer.in_features, layer.out_features, bias=layer.bias))
        elif isinstance(layer, BatchNorm2D):
            twins.append(torch.nn.BatchNorm2d(layer.num_features))
        elif isinstance(layer, ReLU):
            twins.append(torch.nn.ReLU())
        elif isinstance(layer, MaxPool2D):
            twins.append(torch.nn.MaxPool2d(layer.kernel_size, layer.stride))
        elif isinstance(layer, Flatten):
            twins.append(torch.nn.Flatten())
        elif isinstance(layer, GlobalAvgPool2D):
            twins += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()]
        elif isinstance(layer, Residual):
            twins.append(_Residual(to_torch(layer.block), None if layer.shortcut is None else to_torch(layer.shortcut)))
        else:
            raise AssertionError(f"no torch twin for {layer!r}")
    return torch.nn.Sequential(*twins)


@pytest.mark.parametrize("C_in, C_out, kernel, stride, padding, dilation, size", [
    (1, 32, 3, 1, 0, 1, (28, 28)),
    (3, 8, 5, 2, 2, 1, (17, 20)),
    (4, 6, (3, 2), (2, 1), (1, 0), (2, 1), (15, 9)),
    (2, 3, 1, 1, 0, 1, (7, 7)),
])
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_counts_what_torch_counts(C_in, C_out, kernel, stride, padding, dilation, size, bias):
    ours = Conv2D(C_in, C_out, kernel, stride=stride, padding=padding, dilation=dilation, bias=bias)
    theirs = torch.nn.Conv2d(C_in, C_out, kernel, stride, padding, dilation, bias=bias)
    assert ours.multiply_adds((C_in, *size)) == torch_multiply_adds(theirs, (C_in, *size))


@pytest.mark.parametrize("C_in, C_out, kernel, stride, padding, output_padding, dilation, size", [
    (16, 8, 4, 2, 1, 0, 1, (7, 7)),
    (3, 5, 3, 2, 1, 1, 1, (4, 6)),
    (2, 4, (3, 2), (3, 2), (1, 0), (2, 1), (2, 1), (5, 3)),
])
def test_conv_transpose2d_counts_what_torch_counts(C_in, C_out, kernel, stride, padding, output_padding, dilation,
                                                   size):
    ours = ConvTranspose2D(C_in, C_out, kernel, stride=stride, padding=padding, output_padding=output_padding,
                           dilation=dilation)
    theirs = torch.nn.ConvTranspose2d(C_in, C_out, kernel, stride, padding, output_padding, dilation=dilation)
    assert ours.multiply_adds((C_in, *size)) == torch_multiply_adds(theirs, (C_in, *size))


def test_dense_counts_what_torch_counts():
    assert Dense(1600, 128).multiply_adds((1600,)) == torch_multiply_adds(torch.nn.Linear(1600, 128), (1600,))


@pytest.mark.parametrize("build, input_shape, expected", [
    (fashion_mnist_cnn, (1, 28, 28), 2_631_040),  # the 2.63 M of benchmarks/resnet_fashion_mnist.md
    (fashion_mnist_resnet, (1, 28, 28), 3_782_496),  # its 3.78 M
    (lambda: fashion_mnist_resnet(channels=(16, 32), blocks=(1, 2)), (1, 28, 28), None),
    (lambda: fashion_mnist_resnet(channels=(8, 16, 32), blocks=(1, 1, 2)), (1, 28, 28), None),
    (lambda: fashion_mnist_cnn(batchnorm=True), (1, 28, 28), None),
])
def test_whole_networks_count_what_their_torch_twins_count(build, input_shape, expected):
    model = build()
    ours = model.multiply_adds(input_shape)
    assert ours == torch_multiply_adds(to_torch(model.layers), input_shape)
    if expected is not None:
        assert ours == expected


def test_a_nested_residual_counts_its_inner_shortcut():
    inner = Residual([Conv2D(4, 8, 3, stride=2, padding=1)], shortcut=[Conv2D(4, 8, 1, stride=2)])
    model = Sequential([Conv2D(1, 4, 3, padding=1), Residual([inner, ReLU(), Conv2D(8, 8, 3, padding=1)],
                                                             shortcut=[Conv2D(4, 8, 1, stride=2)])])
    assert model.multiply_adds((1, 10, 10)) == torch_multiply_adds(to_torch(model.layers), (1, 10, 10))


def test_counts_do_not_depend_on_the_weights():
    model = fashion_mnist_cnn()
    before = model.multiply_adds((1, 28, 28))
    for _, _, arr in model.params():
        arr[...] = np.random.default_rng(0).standard_normal(arr.shape)
    assert model.multiply_adds((1, 28, 28)) == before
