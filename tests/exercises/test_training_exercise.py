"""Lesson 08's checkers accept the right answers (equal to cnnlib.optim) and name each planted mistake."""
import numpy as np
import pytest

from cnnlib.exercises.bce_gradient import check_bce_grad, reference_bce_grad
from cnnlib.exercises.training import (check_momentum_update, check_sgd_update, reference_momentum_update,
                                       reference_sgd_update)
from cnnlib.layers import Dense
from cnnlib.losses import BinaryCrossEntropy
from cnnlib.optim import SGD


def _update_each(fn):
    def update(model, lr):
        for layer in model.layers:
            for name in layer.params:
                fn(layer, name, lr)
    return update


SGD_MISTAKES = {
    "sign": _update_each(lambda l, n, lr: l.params[n].__iadd__(lr * l.grads[n])),
    "no_lr": _update_each(lambda l, n, lr: l.params[n].__isub__(l.grads[n])),
    "only_W": _update_each(lambda l, n, lr: l.params[n].__isub__(lr * l.grads[n]) if n == "W" else None),
    "some_still": lambda model, lr: [model.layers[0].params[n].__isub__(lr * model.layers[0].grads[n])
                                     for n in model.layers[0].params],  # only the first layer
    "not_in_place": lambda model, lr: [l.params[n] - lr * l.grads[n] for l in model.layers for n in l.params],
    "not_answered": lambda model, lr: None,
    "other": _update_each(lambda l, n, lr: l.params[n].__isub__(lr * lr * l.grads[n])),
}


def test_reference_sgd_update_is_bit_for_bit_sgd():
    result = check_sgd_update(reference_sgd_update)
    assert result.correct and "bit for bit" in result.message


@pytest.mark.parametrize("mistake", list(SGD_MISTAKES))
def test_sgd_checker_names_each_mistake_and_hints_in_stages(mistake):
    result = check_sgd_update(SGD_MISTAKES[mistake])
    assert not result.correct and result.mistake == mistake
    assert result.hint(1) == result.message
    assert "-=" in result.hint(3) and "-=" not in result.message  # the fix is only in the last hint


@pytest.mark.parametrize("update, moved, still", [
    (lambda model, lr: [model.layers[-1].params[n].__isub__(lr * model.layers[-1].grads[n])
                        for n in model.layers[-1].params], "layers[2].params['W']", "layers[0].params['W']"),
    (_update_each(lambda l, n, lr: l.params[n].__isub__(lr * l.grads[n]) if n == "b" else None),
     "layers[0].params['b']", "layers[0].params['W']"),
])
def test_sgd_checker_names_the_parameters_that_did_not_move(update, moved, still):
    """Only the last layer (a loop indented wrongly) or only b: each named, not a generic 'moved wrongly'."""
    result = check_sgd_update(update)
    assert result.mistake == "some_still" and moved in result.message.split("but")[0]
    assert still in result.message.split("but")[1]


def test_sgd_checker_reports_an_exception():
    def broken(model, lr):
        raise KeyError("W")
    result = check_sgd_update(broken)
    assert not result.correct and result.mistake == "raised" and "KeyError" in result.message


def test_checkers_reject_a_non_function():
    for check in (check_sgd_update, check_momentum_update, check_bce_grad):
        with pytest.raises(TypeError, match="got 3"):
            check(3)


def test_reference_momentum_update_matches_sgd_momentum_over_steps():
    rng = np.random.default_rng(5)
    w = rng.standard_normal((2, 2))
    layer = Dense(2, 2, dtype=np.float64)
    layer.params["W"][...] = w
    opt = SGD([layer], lr=0.05, momentum=0.8)
    v = np.zeros_like(w)
    for _ in range(4):
        g = rng.standard_normal((2, 2))
        w, v = reference_momentum_update(w, g, v, 0.05, 0.8)
        layer.grads = {"W": g, "b": np.zeros(2)}
        opt.step()
        np.testing.assert_allclose(w, layer.params["W"], rtol=1e-13)
    assert check_momentum_update(reference_momentum_update).correct


MOMENTUM_MISTAKES = {
    "plain_sgd": lambda w, g, v, lr, mu: (w - lr * g, v),
    "sign": lambda w, g, v, lr, mu: (w + lr * (mu * v + g), mu * v + g),
    "ema": lambda w, g, v, lr, mu: (w - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g),
    "old_velocity": lambda w, g, v, lr, mu: (w - lr * v, mu * v + g),
    "not_answered": lambda w, g, v, lr, mu: None,
    "other": lambda w, g, v, lr, mu: (w - lr * (mu * v + g), v),  # velocity never carried over, but mu * 0 + g
}


@pytest.mark.parametrize("mistake", ["plain_sgd", "sign", "ema", "old_velocity", "not_answered"])
def test_momentum_checker_names_each_mistake(mistake):
    result = check_momentum_update(MOMENTUM_MISTAKES[mistake])
    assert not result.correct and result.mistake == mistake
    assert "velocity" in result.hint(3)


def test_momentum_with_lr_inside_the_velocity_is_accepted():
    def sutskever(w, g, v, lr, mu):
        v = mu * v + lr * g
        return w - v, v
    assert check_momentum_update(sutskever).correct  # the same w at a constant lr


def test_reference_bce_grad_is_cnnlib_backward_times_n():
    z, y = np.array([2.0, -1.0, 40.0, -800.0]), np.array([1.0, 0.0, 0.0, 1.0])
    bce = BinaryCrossEntropy(from_logits=True)
    bce.forward(z, y)
    np.testing.assert_allclose(reference_bce_grad(z, y), bce.backward() * len(z), rtol=1e-12)
    assert check_bce_grad(reference_bce_grad).correct


def _sig(z):
    return 1 / (1 + np.exp(-z))


BCE_MISTAKES = {
    "sign": lambda z, y: y - _sig(z),
    "forgot_y": lambda z, y: _sig(z),
    "sigmoid_only": lambda z, y: _sig(z) * (1 - _sig(z)),
    "dL_dp": lambda z, y: -y / _sig(z) + (1 - y) / (1 - _sig(z)),
    "mean": lambda z, y: (_sig(z) - y) / len(z),
    "unsimplified": lambda z, y: (-y / _sig(z) + (1 - y) / (1 - _sig(z))) * _sig(z) * (1 - _sig(z)),
    "not_answered": lambda z, y: ...,
    "other": lambda z, y: _sig(2 * z) - y,
}


@pytest.mark.parametrize("mistake", list(BCE_MISTAKES))
def test_bce_checker_names_each_mistake(mistake):
    result = check_bce_grad(BCE_MISTAKES[mistake])
    assert not result.correct and result.mistake == mistake
    assert "sigmoid(z) - y" in result.hint(3)


def test_naive_sigmoid_minus_y_is_right():
    assert check_bce_grad(lambda z, y: _sig(z) - y).correct


def test_an_update_that_replaces_the_arrays_is_told_so():
    """Lesson 08 asks for the update in place; right numbers in new arrays used to pass "bit for bit"."""
    def copies(model, lr):
        for layer in model.layers:
            for name in layer.params:
                layer.params[name] = layer.params[name] - lr * layer.grads[name]

    result = check_sgd_update(copies)
    assert not result and result.mistake == "new_arrays" and "builds a copy" in result.message
    assert "-=" in result.hint(3)


def test_a_column_of_right_bce_gradients_is_named_and_a_list_pair_is_a_pair():
    from cnnlib.layers.activations import stable_sigmoid

    result = check_bce_grad(lambda z, y: (stable_sigmoid(z) - y)[:, None])
    assert not result and result.mistake == "column" and "(N, 1)" in result.message

    def as_list(w, grad, velocity, lr, momentum):
        velocity = momentum * velocity + grad
        return [w - lr * velocity, velocity]

    assert check_momentum_update(as_list)
