"""Sequential: chaining, modes, parameters, repr and bad input."""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib._checks import check_layer_dout
from cnnlib.layers.base import Layer


class Scale(Layer):
    """out = c * x; a parameter-free layer that honours requires_input_grad."""

    def __init__(self, c: float) -> None:
        super().__init__()
        self.c = c

    def forward(self, x):
        self._cache = np.shape(x)
        return self.c * np.asarray(x)

    def backward(self, dout):
        check_layer_dout(dout, self._get_cache(), self)
        return None if not self.requires_input_grad else self.c * dout


class Affine(Layer):
    """out = x W + b on (N, n_in); W drawn from a seeded generator."""

    def __init__(self, n_in: int, n_out: int, seed=0) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.n_in, self.n_out = n_in, n_out
        self.params = {"W": rng.standard_normal((n_in, n_out)), "b": rng.standard_normal(n_out)}

    def forward(self, x):
        if x.shape[1:] != (self.n_in,):
            raise ValueError(f"Affine expects (N, {self.n_in}), got {x.shape}")
        self._cache = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        x = self._get_cache()
        self.grads = {"W": x.T @ dout, "b": dout.sum(0)}
        return None if not self.requires_input_grad else dout @ self.params["W"].T

    def output_shape(self, input_shape):
        if tuple(input_shape) != (self.n_in,):
            raise ValueError(f"Affine expects ({self.n_in},), got {tuple(input_shape)}")
        return (self.n_out,)


def _net():
    return Sequential([Affine(4, 5, seed=1), Scale(2.0), Affine(5, 3, seed=2)])


def test_forward_and_backward_equal_manual_chaining():
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    model = _net()
    a, s, b = (Affine(4, 5, seed=1), Scale(2.0), Affine(5, 3, seed=2))
    out = model(x)
    np.testing.assert_array_equal(out, b(s(a(x))))
    dx = model.backward(dout)
    np.testing.assert_array_equal(dx, a.backward(s.backward(b.backward(dout))))
    for mine, ref in ((model[0], a), (model[2], b)):
        for k in ref.grads:
            np.testing.assert_array_equal(mine.grads[k], ref.grads[k], err_msg=k)


def test_backward_returns_none_when_first_layer_needs_no_input_grad():
    model = _net()
    model(np.ones((2, 4)))
    model[0].requires_input_grad = False
    assert model.backward(np.ones((2, 3))) is None
    assert model[0].grads["W"].shape == (4, 5), "the first layer's parameter gradients are still filled"


def test_a_middle_layer_returning_none_is_a_clear_error():
    model = _net()
    model(np.ones((2, 4)))
    model[1].requires_input_grad = False
    with pytest.raises(RuntimeError, match=r"layer 1 \(Scale\) returned no gradient, so layer 0 \(Affine\)"):
        model.backward(np.ones((2, 3)))


def test_forward_error_names_the_layer():
    with pytest.raises(ValueError, match=r"layer 2 \(Affine\) forward: Affine expects \(N, 5\)"):
        Sequential([Affine(4, 6), Scale(1.0), Affine(5, 3)])(np.ones((2, 4)))


def test_train_and_eval_propagate():
    model = _net()
    assert model.eval() is model
    assert not any(layer.training for layer in model)
    model.train()
    assert all(layer.training for layer in model)


def test_params_num_params_len_getitem():
    model = _net()
    assert [(i, k, a.shape) for i, k, a in model.params()] == [(0, "W", (4, 5)), (0, "b", (5,)), (2, "W", (5, 3)), (2, "b", (3,))]
    assert model.num_params() == 4 * 5 + 5 + 5 * 3 + 3
    assert len(model) == 3
    assert isinstance(model[1], Scale) and isinstance(model[-1], Affine)
    head = model[1:]
    assert isinstance(head, Sequential) and head.layers == model.layers[1:]


def test_repr_shows_one_layer_per_line():
    text = repr(Sequential([Scale(1.0), Affine(2, 2)]))
    assert text == "Sequential(\n  (0): Scale()\n  (1): Affine()\n)"
    assert repr(Sequential([])) == "Sequential()"


def test_empty_model_is_the_identity():
    x = np.arange(3.0)
    assert Sequential([])(x) is x


@pytest.mark.parametrize(
    "args, error, pattern",
    [
        (([Scale(1.0), "relu"],), TypeError, r"layers\[1\] must be a Layer, got 'relu' of type str"),
        (([Scale(1.0), Scale],), TypeError, r"layers\[1\] must be a Layer.*create an instance, e\.g\. Scale\(\.\.\.\)"),
        ((Scale(1.0), Scale(2.0)), TypeError, r"one list of layers.*wrap them in brackets"),
        ((Scale(1.0),), TypeError, r"one list of layers"),
        (("abc",), TypeError, r"layers must be a list of Layer objects, got str"),
        (([Sequential([])],), TypeError, r"layers\[0\] must be a Layer.*Sequential\(a\.layers \+ b\.layers\)"),
    ],
)
def test_bad_layers_are_rejected(args, error, pattern):
    with pytest.raises(error, match=pattern):
        Sequential(*args)


def test_the_same_layer_object_twice_is_rejected():
    s = Scale(1.0)
    with pytest.raises(ValueError, match=r"layers\[2\] is the same Scale object as layers\[0\].*new instance"):
        Sequential([s, Scale(2.0), s])
