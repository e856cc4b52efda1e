"""Activations: hand-checked values, gradient checks, stability and properties."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlib.gradcheck import check_layer
from cnnlib.layers import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh

RNG = np.random.default_rng(0)


# -- hand-checked cases ---------------------------------------------------------
def test_relu_values_and_gradient():
    relu = ReLU()
    out = relu(np.array([[-2.0, 0.0, 3.0]]))
    np.testing.assert_array_equal(out, [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu.backward(np.array([[5.0, 5.0, 5.0]])), [[0.0, 0.0, 5.0]])


def test_leaky_relu_values_and_gradient():
    layer = LeakyReLU(0.1)
    np.testing.assert_allclose(layer(np.array([[-2.0, 3.0]])), [[-0.2, 3.0]])
    np.testing.assert_allclose(layer.backward(np.array([[1.0, 1.0]])), [[0.1, 1.0]])


def test_softmax_of_zero_and_ln2_is_one_third_two_thirds():
    out = Softmax()(np.array([[0.0, np.log(2.0)]]))
    np.testing.assert_allclose(out, [[1 / 3, 2 / 3]])


def test_sigmoid_and_tanh_at_zero():
    np.testing.assert_allclose(Sigmoid()(np.zeros((1, 2))), 0.5)
    np.testing.assert_allclose(Tanh()(np.zeros((1, 2))), 0.0)


def test_softmax_backward_is_the_jacobian_vector_product():
    x = RNG.normal(size=(1, 4))
    layer = Softmax()
    s = layer(x)[0]
    jacobian = np.diag(s) - np.outer(s, s)  # ds_j/dx_i = s_j (delta_ij - s_i)
    dout = RNG.normal(size=(1, 4))
    np.testing.assert_allclose(layer.backward(dout)[0], jacobian @ dout[0], rtol=1e-12)


# -- gradient checks (float64) ---------------------------------------------------
@pytest.mark.parametrize(
    "layer, x",
    [
        (ReLU(), RNG.normal(size=(3, 2, 4, 4))),
        (LeakyReLU(0.2), RNG.normal(size=(3, 2, 4, 4))),  # normal samples are never within 1e-5 of 0
        (Sigmoid(), RNG.normal(size=(3, 2, 4, 4))),
        (Tanh(), RNG.normal(size=(3, 5))),
        (Softmax(), RNG.normal(size=(4, 10))),
        (Softmax(), RNG.normal(size=(2, 3, 4, 4))),  # over axis 1 of an image batch
    ],
    ids=lambda v: repr(v) if not isinstance(v, np.ndarray) else str(v.shape),
)
def test_gradient_check(layer, x):
    report = check_layer(layer, x)
    assert report.passed(1e-6), str(report)


# -- dtype, shape and contract ----------------------------------------------------
@pytest.mark.parametrize("cls", [ReLU, LeakyReLU, Sigmoid, Tanh, Softmax])
def test_dtype_preserved_and_ints_cast(cls):
    assert cls()(np.ones((2, 3), dtype=np.float32)).dtype == np.float32
    assert cls()(np.ones((2, 3), dtype=np.float64)).dtype == np.float64
    assert cls()(np.ones((2, 3), dtype=np.int64)).dtype == np.float32


@pytest.mark.parametrize("cls", [ReLU, LeakyReLU, Sigmoid, Tanh, Softmax])
def test_output_shape_and_backward_contract(cls):
    layer = cls()
    assert layer.output_shape((3, 8, 8)) == (3, 8, 8)
    with pytest.raises(RuntimeError, match="before forward"):
        cls().backward(np.ones((2, 3)))
    layer(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout of shape \(3, 2\), expected \(2, 3\)"):
        layer.backward(np.ones((3, 2)))
    layer.requires_input_grad = False
    assert layer.backward(np.ones((2, 3))) is None


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="numeric array"):
        ReLU()(np.array([["a", "b"]]))


def test_softmax_needs_a_class_axis():
    with pytest.raises(ValueError, match=r"at least 2-D.*x\[None\]"):
        Softmax()(np.ones(3))
    with pytest.raises(ValueError, match="class axis"):
        Softmax().output_shape(())


def test_leaky_relu_rejects_non_number_slope_and_shows_it():
    with pytest.raises(TypeError, match="negative_slope must be a number"):
        LeakyReLU("0.1")
    assert repr(LeakyReLU()) == "LeakyReLU()"
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"


# -- stability and properties -------------------------------------------------------
def test_sigmoid_and_softmax_are_finite_for_huge_inputs():
    x = np.array([[-1e4, -800.0, 0.0, 800.0, 1e4]])
    for dtype in (np.float32, np.float64):
        s = Sigmoid()(x.astype(dtype))
        assert np.all(np.isfinite(s)) and s[0, 0] == 0.0 and s[0, -1] == 1.0
        p = Softmax()(x.astype(dtype))
        assert np.all(np.isfinite(p)) and p[0, -1] == 1.0


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 8)), elements=finite))
def test_softmax_rows_are_distributions(x):
    p = Softmax()(x)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_is_finite_bounded_and_symmetric(x):
    s = Sigmoid()(x)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(Sigmoid()(-x), 1 - s, atol=1e-15)
    small = np.abs(x) < 30  # away from rounding to exactly 0 or 1: strictly inside
    assert np.all((s[small] > 0) & (s[small] < 1))
