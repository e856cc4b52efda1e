"""Flatten, Dense and Dropout: values, gradient checks, errors."""
import numpy as np
import pytest

from cnnlib.gradcheck import check_layer
from cnnlib.layers import Dense, Dropout, Flatten

RNG = np.random.default_rng(0)


# -- Flatten -------------------------------------------------------------------------
def test_flatten_round_trip_and_shape():
    x = RNG.normal(size=(2, 64, 4, 4))
    layer = Flatten()
    out = layer(x)
    assert out.shape == (2, 1024)
    np.testing.assert_array_equal(out[1], x[1].ravel())
    np.testing.assert_array_equal(layer.backward(out), x)
    assert layer.output_shape((64, 4, 4)) == (1024,)
    assert check_layer(Flatten(), RNG.normal(size=(2, 3, 2, 2))).passed()


def test_flatten_errors():
    with pytest.raises(ValueError, match=r"at least 2-D, got shape \(5,\)"):
        Flatten()(np.ones(5))
    with pytest.raises(ValueError, match="positive ints"):
        Flatten().output_shape((0, 3))


# -- Dense ------------------------------------------------------------------------------
def test_dense_by_hand():
    layer = Dense(2, 3)
    layer.params["W"][...] = [[1, 2, 3], [4, 5, 6]]
    layer.params["b"][...] = [0.5, 0.0, -0.5]
    out = layer(np.array([[1.0, 1.0]]))
    np.testing.assert_allclose(out, [[5.5, 7.0, 8.5]])
    dx = layer.backward(np.array([[1.0, 0.0, 1.0]]))
    np.testing.assert_allclose(dx, [[4.0, 10.0]])
    np.testing.assert_allclose(layer.grads["W"], [[1, 0, 1], [1, 0, 1]])
    np.testing.assert_allclose(layer.grads["b"], [1, 0, 1])


def test_dense_he_init_shapes_dtype_and_seed():
    layer = Dense(400, 300, seed=1)
    W = layer.params["W"]
    assert W.shape == (400, 300) and W.dtype == np.float32
    assert abs(W.std() - np.sqrt(2 / 400)) < 0.002
    np.testing.assert_array_equal(layer.params["b"], np.zeros(300))
    np.testing.assert_array_equal(W, Dense(400, 300, seed=1).params["W"])
    assert Dense(3, 2, dtype=np.float64).params["W"].dtype == np.float64
    assert "b" not in Dense(3, 2, bias=False).params
    assert Dense(3, 2).num_params() == 8


@pytest.mark.parametrize("bias", [True, False])
def test_dense_gradient_check(bias):
    layer = Dense(6, 4, bias=bias, dtype=np.float64, seed=0)
    report = check_layer(layer, RNG.normal(size=(5, 6)))
    assert set(report.entries) == ({"x", "W", "b"} if bias else {"x", "W"})
    assert report.passed(1e-7), str(report)


def test_dense_requires_input_grad_false_skips_dx_but_fills_grads():
    layer = Dense(3, 2, seed=0)
    layer.requires_input_grad = False
    layer(np.ones((4, 3), dtype=np.float32))
    assert layer.backward(np.ones((4, 2), dtype=np.float32)) is None
    np.testing.assert_allclose(layer.grads["W"], np.full((3, 2), 4.0))
    assert layer.grads["W"].dtype == np.float32
    assert set(check_layer(Dense(3, 2, dtype=np.float64), np.ones((2, 3))).entries) == {"x", "W", "b"}


def test_dense_feature_mismatch_message():
    with pytest.raises(ValueError, match=r"Dense expected in_features=1600 but got input with 1024 features; "
                                         r"hint: check the Flatten size / summary\(\)"):
        Dense(1600, 10)(np.ones((2, 1024)))
    with pytest.raises(ValueError, match="in_features=1600 but got input with 1024"):
        Dense(1600, 10).output_shape((1024,))
    assert Dense(1600, 10).output_shape((1600,)) == (10,)


def test_dense_other_errors():
    with pytest.raises(ValueError, match=r"2-D input.*\(2, 4, 4, 4\).*Flatten\(\)"):
        Dense(64, 10)(np.ones((2, 4, 4, 4)))
    with pytest.raises(TypeError, match="in_features must be an integer"):
        Dense(3.5, 2)
    with pytest.raises(ValueError, match="out_features must be >= 1"):
        Dense(3, 0)
    with pytest.raises(TypeError, match="dtype must be"):
        Dense(3, 2, dtype=np.int32)
    with pytest.raises(RuntimeError, match=r"Dense.backward\(\) was called before forward"):
        Dense(3, 2).backward(np.ones((1, 2)))
    layer = Dense(3, 2)
    layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"dout of shape \(4, 3\), expected \(4, 2\)"):
        layer.backward(np.ones((4, 3)))


def test_dense_repr():
    assert repr(Dense(1024, 10)) == "Dense(in_features=1024, out_features=10)"
    assert repr(Dense(3, 2, bias=False, dtype=np.float64)) == \
        "Dense(in_features=3, out_features=2, bias=False, dtype=float64)"


# -- Dropout -----------------------------------------------------------------------------
def test_dropout_is_inverted_and_backward_reuses_the_mask():
    layer = Dropout(0.25, seed=0)
    x = np.ones((200, 100))
    out = layer(x)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.75)  # survivors scaled by 1/(1-p)
    assert abs(kept.mean() - 0.75) < 0.01
    dx = layer.backward(np.full_like(x, 2.0))
    np.testing.assert_array_equal(dx != 0, kept)
    np.testing.assert_allclose(dx[kept], 2 / 0.75)


def test_dropout_eval_is_identity_and_seed_reproducible():
    x = RNG.normal(size=(3, 4))
    layer = Dropout(0.5, seed=1).eval()
    np.testing.assert_array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)
    np.testing.assert_array_equal(Dropout(0.5, seed=3)(x), Dropout(0.5, seed=3)(x))
    np.testing.assert_array_equal(Dropout(0.0)(x), x)
    assert Dropout(0.5)(x.astype(np.float32)).dtype == np.float32


def test_dropout_gradient_check_in_training_reuses_the_mask():
    layer = Dropout(0.5, seed=0)
    state = layer.rng.bit_generator.state
    report = check_layer(layer, RNG.normal(size=(4, 30)))
    assert report.passed(1e-8), str(report)
    assert layer.rng.bit_generator.state == state  # the check leaves the generator as it found it


@pytest.mark.parametrize("p", [1, 1.0, -0.1, 1.5])
def test_dropout_p_out_of_range(p):
    with pytest.raises(ValueError, match=rf"Dropout p must be a probability in \[0, 1\), got {p}.*p=1 would drop"):
        Dropout(p)


def test_dropout_p_type_and_repr():
    with pytest.raises(TypeError, match="Dropout p must be a number"):
        Dropout("0.5")
    assert repr(Dropout()) == "Dropout(p=0.5)"
    assert Dropout().output_shape((3, 4)) == (3, 4)
