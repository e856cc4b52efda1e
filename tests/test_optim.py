"""SGD and Adam: hand-checked updates, in-place updates, parameter collection, errors."""
import numpy as np
import pytest

from cnnlib.layers import BatchNorm1D, Dense, ReLU
from cnnlib.losses import CrossEntropy
from cnnlib.model import Sequential
from cnnlib.optim import SGD, Adam, collect_params


def _layer_with(p, g):
    layer = Dense(len(p), 1, bias=False, dtype=np.float64)
    layer.params["W"] = np.array(p, dtype=np.float64).reshape(-1, 1)
    layer.grads["W"] = np.array(g, dtype=np.float64).reshape(-1, 1)
    return layer


def test_sgd_step_by_hand():
    layer = _layer_with([1.0, 2.0], [0.5, 1.0])
    SGD(layer, lr=0.1).step()
    np.testing.assert_allclose(layer.params["W"].ravel(), [0.95, 1.9])


def test_sgd_momentum_buffer_starts_at_the_gradient():
    layer = _layer_with([1.0], [1.0])
    opt = SGD(layer, lr=0.1, momentum=0.9)
    opt.step()  # buf = g = 1           -> p = 1 - 0.1
    opt.step()  # buf = 0.9 * 1 + 1 = 1.9 -> p = 0.9 - 0.19
    np.testing.assert_allclose(layer.params["W"].ravel(), [0.71])


def test_sgd_weight_decay_is_added_to_the_gradient():
    layer = _layer_with([2.0], [0.0])
    SGD(layer, lr=0.5, weight_decay=0.1).step()  # g = 0 + 0.1 * 2
    np.testing.assert_allclose(layer.params["W"].ravel(), [2.0 - 0.5 * 0.2])


def test_adam_first_step_moves_each_parameter_by_about_lr():
    layer = _layer_with([1.0, 1.0, 1.0], [1e-3, -5.0, 100.0])
    Adam(layer, lr=0.01).step()  # bias-corrected m / sqrt(v) = sign(g) on step 1
    np.testing.assert_allclose(layer.params["W"].ravel(), [0.99, 1.01, 0.99], rtol=1e-6)


def test_adam_by_hand_two_steps():
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    layer = _layer_with([0.0], [2.0])
    opt = Adam(layer, lr=lr)
    opt.step()
    layer.grads["W"][...] = 1.0
    opt.step()
    m = b1 * (1 - b1) * 2 + (1 - b1) * 1
    v = b2 * (1 - b2) * 4 + (1 - b2) * 1
    p1 = -lr * 2 / (2 + eps)  # m_hat = 2, sqrt(v_hat) = 2 on step 1
    p2 = p1 - lr * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + eps)
    np.testing.assert_allclose(layer.params["W"].ravel(), [p2], rtol=1e-12)


@pytest.mark.parametrize("make", [lambda m: SGD(m, lr=0.1, momentum=0.9), lambda m: Adam(m, lr=0.1)])
def test_updates_are_in_place_and_keep_dtype(make):
    layer = Dense(3, 2, seed=0)
    W = layer.params["W"]
    before = W.copy()
    layer(np.ones((2, 3), dtype=np.float32))
    layer.backward(np.ones((2, 2), dtype=np.float32))
    make(layer).step()
    assert layer.params["W"] is W and W.dtype == np.float32
    assert not np.array_equal(W, before)


def test_collect_params_from_model_list_and_layer():
    dense1, relu, bn, dense2 = Dense(4, 3), ReLU(), BatchNorm1D(3), Dense(3, 2, bias=False)
    model = Sequential([dense1, relu, bn, dense2])
    expected = [(dense1, "W"), (dense1, "b"), (bn, "gamma"), (bn, "beta"), (dense2, "W")]
    for source in (model, model.layers, [dense1, relu, bn, dense2, dense1]):
        assert [(id(layer), k) for layer, k in collect_params(source)] == [(id(l), k) for l, k in expected]
    assert [k for _, k in collect_params(dense1)] == ["W", "b"]
    assert "running_mean" not in [k for _, k in collect_params(bn)]  # buffers are not optimized


def test_zero_grad_sets_every_gradient_to_zero():
    layer = _layer_with([1.0, 2.0], [3.0, 4.0])
    opt = SGD([layer], lr=0.1)
    opt.zero_grad()
    np.testing.assert_array_equal(layer.grads["W"], 0.0)


def test_step_before_backward_is_a_runtime_error_with_a_hint():
    with pytest.raises(RuntimeError, match=r"Dense parameter 'W' has no gradient yet.*backward"):
        SGD([Dense(2, 2)], lr=0.1).step()
    layer = _layer_with([1.0, 2.0], [1.0])
    with pytest.raises(RuntimeError, match=r"shape \(1, 1\) but the parameter has shape \(2, 1\)"):
        Adam(layer).step()


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda m: SGD(m, lr=0), ValueError, r"lr must be a finite number > 0, got 0\. Hint: 0\.01 to 0\.1"),
        (lambda m: SGD(m, lr=-0.1), ValueError, "lr must be a finite number > 0"),
        (lambda m: SGD(m, lr=float("inf")), ValueError, "lr must be a finite number > 0, got inf"),
        (lambda m: SGD(m, lr="0.1"), TypeError, "lr must be a number"),
        (lambda m: SGD(m, lr=0.1, momentum=-0.5), ValueError, "momentum must be a finite number >= 0"),
        (lambda m: SGD(m, lr=0.1, weight_decay=-1), ValueError, "weight_decay must be a finite number >= 0"),
        (lambda m: Adam(m, betas=(0.9, 1.0)), ValueError, r"betas\[1\] must be a number in \[0, 1\), got 1\.0"),
        (lambda m: Adam(m, betas=0.9), TypeError, "betas must be a pair"),
        (lambda m: Adam(m, eps=-1e-8), ValueError, "eps must be a finite number > 0"),
        (lambda m: Adam(m, eps=0), ValueError, "eps must be a finite number > 0"),  # 0/0 at a zero gradient
    ],
)
def test_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make([Dense(2, 2)])


def test_model_errors():
    with pytest.raises(TypeError, match=r"got ndarray.*SGD\(model, lr=0.01\)"):
        SGD(np.ones(3), lr=0.1)
    with pytest.raises(ValueError, match="no parameters"):
        Adam([ReLU()])


def test_repr():
    assert repr(SGD([Dense(2, 2)], lr=0.1, momentum=0.9)) == "SGD(lr=0.1, momentum=0.9)"
    assert repr(Adam([Dense(2, 2)])) == "Adam(lr=0.001)"


@pytest.mark.parametrize("make", [lambda m: SGD(m, lr=0.5, momentum=0.9), lambda m: Adam(m, lr=0.05)])
def test_loss_goes_down(make):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    model = Sequential([Dense(2, 16, seed=0), ReLU(), Dense(16, 2, seed=1)])
    opt, loss_fn = make(model), CrossEntropy()
    losses = []
    for _ in range(30):
        losses.append(loss_fn(model.forward(x), y))
        model.backward(loss_fn.backward())
        opt.step()
    assert losses[-1] < 0.5 * losses[0]
