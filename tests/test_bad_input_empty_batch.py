"""Bad input, class 3: an empty batch (N = 0), and empty channel or spatial axes.

The decisions, as in PyTorch:

* every op and layer takes N = 0 and returns correctly shaped empty outputs
  and gradients, the naive and fast paths alike; parameter gradients are zeros;
* batch norm in training on an empty batch returns an empty output and leaves
  its running statistics alone (there are no statistics to average in);
* ``Sequential.forward``/``backward`` and ``predict`` pass an empty batch
  through; a loss, ``evaluate`` and ``fit`` need at least one sample (a mean
  of nothing is undefined) and say so;
* an empty channel or spatial axis (C, H or W = 0) is a clear ``ValueError``.
"""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.functional import (avgpool2d_backward, avgpool2d_backward_naive, avgpool2d_forward,
                               avgpool2d_forward_naive, conv2d_backward, conv2d_backward_naive, conv2d_forward,
                               conv2d_forward_naive, maxpool2d_backward, maxpool2d_backward_naive,
                               maxpool2d_forward, maxpool2d_forward_naive, maxpool2d_indices)
from cnnlib.layers import (AvgPool2D, BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, LeakyReLU,
                           MaxPool2D, ReLU, Sigmoid, Softmax, Tanh)
from cnnlib.losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, CrossEntropy
from cnnlib.optim import SGD

CONV_PATHS = [(conv2d_forward, conv2d_backward), (conv2d_forward_naive, conv2d_backward_naive)]


# -- ops -------------------------------------------------------------------------------------
@pytest.mark.parametrize("forward, backward", CONV_PATHS, ids=["fast", "naive"])
@pytest.mark.parametrize("C, H, KH, stride, padding", [
    (1, 7, 3, 1, 0),  # many output pixels, few weights per filter: one matmul per sample
    (8, 4, 3, 1, 0),  # few output pixels, many weights: one matmul for the whole batch
    (2, 6, 2, 2, 1),
])
def test_conv_on_an_empty_batch_gives_empty_outputs_and_zero_weight_gradients(forward, backward, C, H, KH, stride,
                                                                             padding):
    x, W, b = np.zeros((0, C, H, H)), np.ones((3, C, KH, KH)), np.zeros(3)
    out, cache = forward(x, W, b, stride=stride, padding=padding)
    reference, _ = conv2d_forward_naive(np.zeros((1, C, H, H)), W, b, stride=stride, padding=padding)
    assert out.shape == (0,) + reference.shape[1:]
    dx, dW, db = backward(np.zeros(out.shape), cache)
    assert dx.shape == x.shape and dW.shape == W.shape and db.shape == b.shape
    assert not dW.any() and not db.any()


@pytest.mark.parametrize("forward, backward", [
    (maxpool2d_forward, maxpool2d_backward), (maxpool2d_forward_naive, maxpool2d_backward_naive),
    (avgpool2d_forward, avgpool2d_backward), (avgpool2d_forward_naive, avgpool2d_backward_naive),
])
@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 1, 1)])
def test_pooling_on_an_empty_batch(forward, backward, kernel, stride, padding):
    out, cache = forward(np.zeros((0, 2, 6, 6)), kernel, stride, padding)
    expected = forward(np.zeros((1, 2, 6, 6)), kernel, stride, padding)[0].shape[1:]
    assert out.shape == (0,) + expected
    assert backward(np.zeros(out.shape), cache).shape == (0, 2, 6, 6)
    assert all(a.shape == out.shape for a in maxpool2d_indices(np.zeros((0, 2, 6, 6)), kernel, stride, padding))


def _weights(x):
    return np.ones((1, max(x.shape[1], 1), 1, 1))


@pytest.mark.parametrize("op", [
    lambda x: conv2d_forward(x, _weights(x)), lambda x: conv2d_forward_naive(x, _weights(x)),
    lambda x: maxpool2d_forward(x, 1), lambda x: maxpool2d_forward_naive(x, 1),
    lambda x: avgpool2d_forward(x, 1), lambda x: avgpool2d_forward_naive(x, 1),
])
@pytest.mark.parametrize("shape", [(1, 1, 0, 4), (1, 1, 4, 0), (2, 0, 4, 4)])
def test_an_empty_channel_or_spatial_axis_is_a_clear_error(op, shape):
    with pytest.raises(ValueError, match=r"empty channel or spatial axis.*only the batch axis N may be 0"):
        op(np.zeros(shape))


# -- layers --------------------------------------------------------------------------------------
LAYERS = [
    (lambda: Conv2D(2, 3, 3, padding=1, seed=0), (2, 5, 5)), (lambda: Conv2D(2, 3, 3, impl="naive", seed=0), (2, 5, 5)),
    (lambda: MaxPool2D(2), (2, 4, 4)), (lambda: AvgPool2D(2, impl="naive"), (2, 4, 4)), (Flatten, (2, 3, 3)),
    (lambda: Dense(4, 3, seed=0), (4,)), (lambda: Dropout(0.5, seed=0), (4,)), (ReLU, (4,)), (LeakyReLU, (4,)),
    (Sigmoid, (4,)), (Tanh, (4,)), (Softmax, (4,)), (lambda: BatchNorm2D(2), (2, 3, 3)), (lambda: BatchNorm1D(4), (4,)),
]


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("make, sample", LAYERS)
def test_every_layer_passes_an_empty_batch_through_forward_and_backward(make, sample, training):
    layer = make().train(training)
    buffers = {k: getattr(layer, k).copy() for k in ("running_mean", "running_var") if hasattr(layer, k)}
    out = layer(np.zeros((0, *sample), dtype=np.float32))
    assert out.shape == (0, *layer.output_shape(sample))
    assert layer.backward(np.zeros(out.shape, dtype=np.float32)).shape == (0, *sample)
    for name, g in layer.grads.items():
        assert g.shape == layer.params[name].shape and not g.any(), name
    for name, before in buffers.items():
        np.testing.assert_array_equal(getattr(layer, name), before, err_msg=f"{name} moved on an empty batch")


def test_softmax_with_no_classes_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Softmax got no classes.*\(3, 0\)"):
        Softmax()(np.zeros((3, 0)))


# -- losses and the model --------------------------------------------------------------------------
@pytest.mark.parametrize("loss, pred, target", [
    (CrossEntropy(), np.zeros((0, 3)), np.zeros(0, np.int64)),
    (CategoricalCrossEntropy(), np.zeros((0, 3)), np.zeros((0, 3))),
    (BinaryCrossEntropy(), np.zeros(0), np.zeros(0)),
    (MSE(), np.zeros((0, 2)), np.zeros((0, 2))),
])
def test_losses_refuse_an_empty_batch_instead_of_returning_nan(loss, pred, target):
    with pytest.raises(ValueError, match=r"empty .* of shape \(0.*mean of nothing is undefined.*at least one sample"):
        loss(pred, target)


def _cnn():
    return Sequential([Conv2D(1, 2, 3, seed=0), BatchNorm2D(2), ReLU(), MaxPool2D(2), Flatten(), Dense(8, 3, seed=1)])


def test_the_model_passes_an_empty_batch_through_and_predict_returns_an_empty_result():
    model, x = _cnn(), np.zeros((0, 1, 6, 6), dtype=np.float32)
    out = model(x)
    assert out.shape == (0, 3)
    assert model.backward(np.zeros((0, 3), dtype=np.float32)).shape == x.shape
    assert model.predict(x).shape == (0, 3)
    assert model.predict(x, batch_size=4).dtype == model.predict(np.zeros((2, 1, 6, 6), np.float32)).dtype


def test_evaluate_and_fit_need_at_least_one_sample():
    model, x, y = _cnn(), np.zeros((0, 1, 6, 6)), np.zeros(0, np.int64)
    with pytest.raises(ValueError, match=r"x and y are empty \(0 samples\)"):
        model.evaluate(x, y, loss=CrossEntropy())
    with pytest.raises(ValueError, match=r"x and y are empty \(0 samples\)"):
        model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"validation_data x and y are empty"):
        model.fit(np.zeros((2, 1, 6, 6)), np.zeros(2, np.int64), loss=CrossEntropy(),
                  optimizer=SGD(model, lr=0.1), epochs=1, progress=False, validation_data=(x, y))


@pytest.mark.parametrize("shape", [(1, 1, 2), (1, 0, 3, 3), (1, 1, 3, 3.0), "x"])
def test_col2im_names_a_bad_target_shape(shape):
    from cnnlib.functional import col2im

    with pytest.raises(ValueError, match=r"col2im expects x_padded_shape as 4 ints \(N, C, H, W\)"):
        col2im(np.zeros((4, 4)), shape, 2, 2)
