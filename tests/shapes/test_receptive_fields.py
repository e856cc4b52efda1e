import numpy as np
import pytest

from cnnlib.layers import AvgPool2D, BatchNorm2D, Conv2D, Flatten, Layer, MaxPool2D, ReLU
from cnnlib.networks import cifar_cnn, fashion_mnist_cnn
from cnnlib.shapes import receptive_field, receptive_field_region


def brute_force_region(layers, input_hw, i, j):
    """Rows/columns of the input whose change changes unit (i, j): found by perturbing pixels."""
    H, W = input_hw
    base = np.zeros((1, 1, H, W))
    seen = np.zeros((H, W), dtype=bool)
    for r in range(H):
        for c in range(W):
            x = base.copy()
            x[0, 0, r, c] = 1.0
            h = x
            for layer in layers:
                h = layer.forward(h)
            seen[r, c] = h[0, 0, i, j] != 0
    rows, cols = np.flatnonzero(seen.any(axis=1)), np.flatnonzero(seen.any(axis=0))
    return (rows.min(), rows.max() + 1), (cols.min(), cols.max() + 1)


def positive_conv(k, **kw):
    conv = Conv2D(1, 1, k, bias=False, dtype=np.float64, **kw)
    conv.params["W"][...] = 1.0  # every tap counts, so every pixel in the window shows
    return conv


def test_theory_network_receptive_fields():
    rows = receptive_field(cifar_cnn().layers[:8], input_size=32)
    assert [r.size for r in rows] == [(3, 3), (4, 4), (8, 8), (10, 10), (18, 18)]
    assert [r.jump for r in rows] == [(1, 1), (2, 2), (2, 2), (4, 4), (4, 4)]
    assert [r.output_size for r in rows] == [(30, 30), (15, 15), (13, 13), (6, 6), (4, 4)]
    assert [r.name for r in rows] == ["Conv2D 3×3", "MaxPool2D 2×2 stride 2"] * 2 + ["Conv2D 3×3"]


def test_pointwise_layers_are_skipped_and_flatten_is_refused():
    with_bn = receptive_field(fashion_mnist_cnn(batchnorm=True).layers[:8], (28, 28))
    assert [r.size[0] for r in with_bn] == [3, 4, 8, 10]
    assert with_bn[-1].output_size == (5, 5)
    with pytest.raises(ValueError, match="Flatten has no spatial layout.*model.layers"):
        receptive_field([Conv2D(1, 1, 3), Flatten()])


def test_spec_tuples_with_padding_and_dilation():
    rows = receptive_field([(3, 1, "same"), (2, 2), (3, 1, 1, 2)], (9, 9))
    assert [r.size[0] for r in rows] == [3, 4, 12]
    assert [r.start[0] for r in rows] == [-1, -1, -3]
    assert [r.output_size for r in rows] == [(9, 9), (4, 4), (2, 2)]
    with pytest.raises(TypeError, match="kernel_size, stride"):
        receptive_field([(3,)])


@pytest.mark.parametrize("layers, hw, unit", [
    ([dict(k=3), "pool", dict(k=3)], (14, 14), (2, 3)),
    ([dict(k=3, stride=2, padding=1), dict(k=3, dilation=2)], (13, 11), (1, 1)),
    ([dict(k=(3, 5), padding=(1, 2)), "avg", dict(k=2)], (12, 12), (0, 4)),
])
def test_region_matches_brute_force(layers, hw, unit):
    built = []
    for spec in layers:
        if spec == "pool":
            built += [MaxPool2D(2)]
        elif spec == "avg":
            built += [AvgPool2D(2)]
        else:
            spec = dict(spec)
            built += [positive_conv(spec.pop("k"), **spec), ReLU()]
    rf = receptive_field(built, hw)[-1]
    # Max pooling with all-zero inputs hides pixels, so use inputs >= 0 with conv weights 1: a 1 always shows.
    assert receptive_field_region(rf, *unit, input_size=hw) == brute_force_region(built, hw, *unit)


def test_region_is_clipped_only_with_input_size():
    rf = receptive_field([(3, 1, 1)])[-1]
    assert receptive_field_region(rf, 0, 0) == ((-1, 2), (-1, 2))
    assert receptive_field_region(rf, 0, 0, input_size=5) == ((0, 2), (0, 2))


def test_batchnorm_layer_counts_as_pointwise():
    assert receptive_field([BatchNorm2D(1), MaxPool2D(3, stride=1)])[0].size == (3, 3)


class _Upsample(Layer):
    """Not a forward window, though it has a kernel_size: the receptive-field tool must not treat it as one."""

    def __init__(self):
        super().__init__()
        self.kernel_size, self.stride = (2, 2), (2, 2)


class _Shift(Layer):
    """A custom pointwise layer: it says so, and is skipped."""

    pointwise = True


def test_layers_take_part_by_what_they_declare_not_by_a_kernel_size_attribute():
    with pytest.raises(ValueError, match="_Upsample has no spatial layout"):
        receptive_field([Conv2D(1, 1, 3), _Upsample()])
    assert [r.size for r in receptive_field([_Shift(), Conv2D(1, 1, 3), _Shift()])] == [(3, 3)]
    conv = Conv2D(1, 1, 3, stride=2, padding=1)
    assert receptive_field([conv])[0].kernel_size == conv.geometry.kernel_size == (3, 3)
    declared = {type(layer).__name__: ("window" if layer.geometry is not None else
                                       "pointwise" if layer.pointwise else "neither")
                for layer in fashion_mnist_cnn(batchnorm=True, dropout=0.5).layers + [AvgPool2D(2)]}
    assert declared == {"Conv2D": "window", "MaxPool2D": "window", "AvgPool2D": "window", "BatchNorm2D": "pointwise",
                        "ReLU": "pointwise", "Dropout": "pointwise", "Flatten": "neither", "Dense": "neither"}
