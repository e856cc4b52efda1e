"""Every ``>>>`` example in cnnlib's docstrings runs and prints what it says.

Examples that continue a lesson's story use the names a lesson would have
defined: a small ``model``, a batch ``x, y``, an optimizer ``opt`` and, when
the dataset is installed, ``x_test, y_test`` from Fashion-MNIST.
"""
import doctest
import functools
import importlib
import pkgutil
import re

import numpy as np
import pytest

import cnnlib
from cnnlib import Sequential
from cnnlib.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD, Adam



def _tests(module_name):
    module = importlib.import_module(module_name)
    return [t for t in doctest.DocTestFinder(exclude_empty=True).find(module, module_name) if t.examples]


ALL_MODULES = sorted(m.name for m in pkgutil.walk_packages(cnnlib.__path__, "cnnlib.") if m.name != "cnnlib.__main__")
MODULES = [name for name in ALL_MODULES if _tests(name)]


@functools.cache
def _installed(loader) -> bool:
    try:
        loader("test", download=False, progress=False)
    except FileNotFoundError:
        return False
    return True


def _story_names():
    """The names a lesson has defined by the time an example uses them (seeded: outputs are stable)."""
    rng = np.random.default_rng(0)
    model = Sequential([Conv2D(1, 32, 3, seed=0), ReLU(), MaxPool2D(2), Flatten(), Dense(32 * 13 * 13, 10, seed=1)])
    x = rng.random((64, 1, 28, 28), dtype=np.float32)
    y = np.arange(64) % 10
    names = dict(np=np, model=model, x=x, y=y, opt=SGD(model, lr=0.05), CrossEntropy=CrossEntropy, SGD=SGD,
                 Adam=Adam, Sequential=Sequential, Conv2D=Conv2D, ReLU=ReLU, MaxPool2D=MaxPool2D, Flatten=Flatten,
                 Dense=Dense, FASHION_MNIST_CLASSES=FASHION_MNIST_CLASSES)
    if _installed(load_fashion_mnist):
        x_test, y_test = load_fashion_mnist("test")
        names.update(x_test=x_test[:100], y_test=y_test[:100])
    return names


def _needs_missing_data(test) -> bool:
    """True when an example loads a dataset that is not installed here (nothing is downloaded in tests)."""
    source = "".join(ex.source for ex in test.examples)
    needs_fashion = "x_test" in source or "load_fashion_mnist(" in source
    return (needs_fashion and not _installed(load_fashion_mnist)) or ("load_mnist(" in source
                                                                       and not _installed(load_mnist))


# numpy 2 shows scalars as ``np.float32(1.0)``, numpy 1 as ``1.0``; the examples are written for numpy 2.
NUMPY2_SCALAR = re.compile(r"np\.(?:float|int|uint|complex)\d+\(([^()]*)\)|np\.(?:True|False)_|np\.str_\(([^()]*)\)")


class _AnyNumpyChecker(doctest.OutputChecker):
    """Accept numpy 1's scalar reprs where an example shows numpy 2's (make test-floors runs numpy 1.24)."""

    def check_output(self, want, got, optionflags):
        if super().check_output(want, got, optionflags):
            return True
        if int(np.__version__.split(".")[0]) >= 2:
            return False
        old = NUMPY2_SCALAR.sub(lambda m: m.group(1) or m.group(2) or m.group(0)[3:-1], want)
        return super().check_output(old, got, optionflags)


def test_numpy2_scalar_reprs_are_read_as_numpy1_would_print_them():
    checker, flags = _AnyNumpyChecker(), doctest.NORMALIZE_WHITESPACE
    want = "(np.float32(1.0), np.True_, np.str_('a'))\n"
    assert checker.check_output(want, want, flags)
    assert checker.check_output(want, "(1.0, True, 'a')\n", flags) == (int(np.__version__.split(".")[0]) < 2)
    assert not checker.check_output(want, "(2.0, True, 'a')\n", flags)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    runner = doctest.DocTestRunner(checker=_AnyNumpyChecker(),
                                   optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runnable = [t for t in _tests(module_name) if not _needs_missing_data(t)]
    if not runnable:
        pytest.skip(f"the examples of {module_name} need a dataset that is not installed")
    for test in runnable:
        test.globs = {**vars(module), **_story_names()}
        runner.run(test, out=report.append)
    assert runner.tries > 0 and runner.failures == 0, "".join(report)


def test_the_examples_were_found():
    """The collection above is not silently empty: most modules show an example."""
    assert len(MODULES) >= 30 and "cnnlib.augment" in MODULES and "cnnlib.layers.conv" in MODULES
