"""Bad input found by an audit of the core (functional ops, optimizers, metrics, saving, gradcheck, the CLI).

Each case was a silent wrong answer, a raw traceback or a file the next step refused; now it is a clear
error that names the value and a fix, or the right answer.
"""
import os

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.callbacks import CosineLR
from cnnlib.datasets.idx import read_idx
from cnnlib.datasets.mnist import find_local
from cnnlib.functional.im2col import col2im, im2col
from cnnlib.functional.padding import pad_nchw, unpad_nchw
from cnnlib.functional.pooling_naive import avgpool2d_forward_naive, maxpool2d_backward_naive
from cnnlib.gradcheck import check_layer, check_loss, numerical_gradient
from cnnlib.layers import BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, MaxPool2D
from cnnlib.losses import CrossEntropy
from cnnlib.metrics import accuracy, confusion_matrix
from cnnlib.optim import SGD, Adam


def _model():
    return Sequential([Dense(3, 2, seed=0)])


@pytest.mark.parametrize("call, error, words", [
    # silent wrong answers before
    (lambda: numerical_gradient(lambda: 0.0, np.ones(3, int)), TypeError, ["need float64", "int64"]),
    (lambda: numerical_gradient(lambda: 0.0, np.ones(3, np.float32)), TypeError, ["float32", "dtype=np.float64"]),
    (lambda: maxpool2d_backward_naive(np.ones((1, 1, 3, 3)), avgpool2d_forward_naive(np.ones((1, 1, 4, 4)), 2,
                                                                                        padding=1)[1]),
     TypeError, ["maxpool2d_forward_naive", "AvgPoolNaiveCache"]),
    (lambda: unpad_nchw(np.ones((2, 3, 3, 5)), ((-1, 0), (0, 0))), ValueError, ["whole numbers >= 0"]),
    (lambda: pad_nchw(np.ones((1, 1, 2, 2), int), ((1, 1), (1, 1)), value=-np.inf), ValueError,
     ["-inf does not fit", "int64", "Hint"]),
    (lambda: Adam(_model(), eps=0), ValueError, ["eps must be a finite number > 0"]),
    (lambda: accuracy(np.zeros((0, 3)), np.zeros(0, int)), ValueError, ["no samples"]),
    (lambda: accuracy(np.full((2, 3), np.nan), np.array([0, 1])), ValueError, ["NaN in the model outputs", "Hint"]),
    (lambda: Dropout(0.99999)(np.ones((2, 3), np.float16)), ValueError, ["1e+05", "float16", "Hint"]),
    # raw tracebacks before
    (lambda: pad_nchw(np.ones((1, 1, 2, 2)), 1), TypeError, ["((top, bottom), (left, right))", "got 1"]),
    (lambda: accuracy(np.ones((4, 3)), np.array([0, 1])), ValueError, ["4 samples but y has 2"]),
    (lambda: confusion_matrix([0], [10 ** 6]), ValueError, ["1000001 classes", "num_classes"]),
    (lambda: _model().fit(np.ones((4, 3)), np.zeros(4, int), loss=None, optimizer=None, epochs=1, progress=False),
     TypeError, ["fit needs a loss", "CrossEntropy()"]),
    (lambda: _fit_with(callbacks=CosineLR(SGD(_model(), lr=0.1), 10)), TypeError, ["callbacks must be a list",
                                                                                   "brackets"]),
    (lambda: _model().save(None), TypeError, ["model.save needs a file path", "None"]),
    (lambda: Sequential.load(""), ValueError, ["Sequential.load got an empty path"]),
    (lambda: check_layer("x", np.ones((2, 3))), TypeError, ["check_layer needs a cnnlib layer"]),
    (lambda: check_loss("mse", np.ones(3), np.ones(3)), TypeError, ["check_loss needs a cnnlib loss"]),
    (lambda: check_layer(Dense(3, 2, dtype=np.float64), np.ones((2, 3)), eps=0), ValueError, ["eps must be"]),
    (lambda: BatchNorm2D(3).output_shape(3), TypeError, ["expects one sample's shape as a tuple"]),
    (lambda: read_idx("/nonexistent/train-labels-idx1-ubyte.gz"), FileNotFoundError, ["does not exist", "Hint"]),
    (lambda: find_local("fashion"), TypeError, ["find_local takes a dataset spec", "FASHION_MNIST"]),
    (lambda: CosineLR(SGD(_model(), lr=0.1), 10).lr_at("a"), TypeError, ["lr_at takes a number of batches"]),
])
def test_bad_input_names_the_value_and_a_fix(call, error, words):
    with pytest.raises(error) as info:
        call()
    missing = [w for w in words if w not in str(info.value)]
    assert not missing, f"{missing} not in: {info.value}"


def _fit_with(**kwargs):
    model = _model()
    return model.fit(np.ones((4, 3)), np.zeros(4, int), loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=1,
                     progress=False, **kwargs)


@pytest.mark.parametrize("make", [lambda m: SGD(m, lr=0.1, momentum=0.9), lambda m: Adam(m)])
def test_a_step_on_a_nan_gradient_is_refused_before_any_weight_moves(make):
    """The NaN is in the last parameter: every earlier one must still be as it was (no half step)."""
    model = Sequential([Dense(3, 4, seed=0), Dense(4, 2, seed=1)])
    opt = make(model)
    for layer in model.layers:
        layer.grads = {k: np.ones_like(v) for k, v in layer.params.items()}
    model.layers[1].grads["b"][0] = np.nan
    before = [p.copy() for layer in model.layers for p in layer.params.values()]
    with pytest.raises(RuntimeError, match=r"NaN in the gradient of Dense parameter 'b'.*Hint: .*training diverged"):
        opt.step()
    assert all(np.array_equal(a, p) for a, p in zip(before, [p for layer in model.layers for p in layer.params.values()]))


def test_fit_says_where_a_gradient_became_nan_and_what_to_change():
    class Explodes(Dense):
        def backward(self, dout):
            dx = super().backward(dout)
            self.grads["W"][0, 0] = np.inf
            return dx

    model = Sequential([Explodes(3, 2, seed=0)])
    with pytest.raises(RuntimeError, match=r"epoch 1/1, batch 1/1.*inf in the gradient.*lower the learning rate"):
        model.fit(np.ones((4, 3)), np.zeros(4, int), loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=1,
                  batch_size=4, progress=False)


def test_col2im_of_booleans_counts_instead_of_or_ing():
    counts = col2im(im2col(np.ones((1, 1, 3, 3), bool), 2, 2), (1, 1, 3, 3), 2, 2)[0, 0]
    assert counts.tolist() == [[1, 2, 1], [2, 4, 2], [1, 2, 1]]


def test_confusion_matrix_takes_empty_and_mixed_integer_labels():
    assert confusion_matrix([], []).tolist() == [[0]]
    assert confusion_matrix(np.array([0, 1], np.uint64), np.array([0, 1])).tolist() == [[1, 0], [0, 1]]


def test_saving_refuses_nan_weights_and_a_directory(tmp_path):
    model = _model()
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        model.save(tmp_path)
    model.layers[0].params["W"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN in the layer 0 \(Dense\) 'W'.*Hint: Sequential.load would refuse"):
        model.save(tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


def test_saving_over_a_shared_file_keeps_its_mode(tmp_path):
    path = _model().save(tmp_path / "m.npz")
    os.chmod(path, 0o644)
    old = os.umask(0o077)
    try:
        _model().save(path)
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == 0o644


@pytest.mark.parametrize("padding", [[1, 1], np.int64(1), [[1, 0], [0, 1]]])
def test_conv_padding_given_as_a_list_or_numpy_int_saves_and_loads(tmp_path, padding):
    model = Sequential([Conv2D(1, 2, 3, padding=padding, seed=0)])
    again = Sequential.load(model.save(tmp_path / "c.npz"))
    assert repr(again) == repr(model)


@pytest.mark.parametrize("layer", [Conv2D(3, 4, 3), MaxPool2D(2), BatchNorm2D(3), BatchNorm1D(3)],
                         ids=lambda layer: type(layer).__name__)
def test_an_input_of_the_wrong_rank_always_gets_a_hint(layer):
    with pytest.raises(ValueError, match=r"expects a [24]-D input .*got shape \(1, 3, 4, 4, 1\) \(5-D\)\. Hint: "):
        layer.forward(np.ones((1, 3, 4, 4, 1)))
