"""Bad input, class 2: the declared floor, numpy >= 1.24 (pyproject), not just the numpy installed here.

CI also runs the unit tests on the oldest versions; these tests catch the
usual slip on a newer numpy first: calling a function numpy 2 added.
"""
import ast
from pathlib import Path

import numpy as np
import pytest

import cnnlib
from cnnlib.layers import BatchNorm1D, BatchNorm2D

# Functions and names that numpy 2.0 or later added (absent from numpy 1.24-1.26).
NUMPY_2_ONLY = {
    "vecdot", "matvec", "vecmat", "trapezoid", "unique_counts", "unique_values", "unique_all", "unique_inverse",
    "astype", "concat", "permute_dims", "isdtype", "bitwise_count", "cumulative_sum", "cumulative_prod",
    "matrix_transpose", "pow", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_left_shift",
    "bitwise_right_shift", "bitwise_invert", "vector_norm", "matrix_norm", "long", "ulong",
}
NUMPY_2_ONLY_MODULES = {"exceptions", "dtypes", "strings", "array_utils"}


def _numpy_names(tree: ast.AST):
    """Yield ``(line, dotted name)`` for every attribute chain that starts at ``np`` or ``numpy``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = []
            inner = node
            while isinstance(inner, ast.Attribute):
                parts.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id in ("np", "numpy"):
                yield node.lineno, ".".join(reversed(parts))


def test_the_package_calls_no_numpy_2_only_function():
    found = []
    for path in sorted(Path(cnnlib.__file__).parent.rglob("*.py")):
        for line, name in _numpy_names(ast.parse(path.read_text(), str(path))):
            parts = name.split(".")
            if parts[-1] in NUMPY_2_ONLY or set(parts[:-1]) & NUMPY_2_ONLY_MODULES:
                found.append(f"{path.relative_to(Path(cnnlib.__file__).parent.parent)}:{line}: np.{name}")
    assert not found, "numpy >= 2 only, but pyproject declares numpy>=1.24:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("make, shape", [(lambda: BatchNorm2D(3), (4, 3, 5, 5)), (lambda: BatchNorm1D(3), (6, 3))])
def test_batchnorm_trains_without_numpy_2_functions(monkeypatch, make, shape):
    monkeypatch.delattr(np, "vecdot", raising=False)  # as on numpy 1.26
    bn = make()
    x = np.random.default_rng(0).standard_normal(shape)
    out = bn(x)
    np.testing.assert_allclose(out.mean(axis=tuple(i for i in range(len(shape)) if i != 1)), 0, atol=1e-6)
    assert bn.backward(np.ones_like(out)).shape == shape
