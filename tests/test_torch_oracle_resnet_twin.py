"""The benchmark's PyTorch twin is ``fashion_mnist_resnet`` layer for layer, and its flip-averaged scoring.

Issue 15's table puts cnnlib's network beside ``torch_resnet`` from ``benchmarks/resnet_fashion_mnist.py``;
the comparison means something only if the two are the same network: the same parameters in the same order
and, with the same weights, the same logits, for two stages and for three.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cnnlib.networks import fashion_mnist_resnet  # noqa: E402

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "resnet_fashion_mnist.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("resnet_fashion_mnist_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("channels, blocks", [((4, 8), (1, 1)), ((4, 8), (1, 2)), ((4, 8, 16), (1, 1, 1)),
                                              ((4, 6, 8), (2, 1, 2))])
def test_the_twin_has_our_parameters_and_our_logits(bench, channels, blocks):
    ours = fashion_mnist_resnet(channels, blocks, seed=0)
    theirs = bench.torch_resnet(list(channels), list(blocks))
    pairs = list(zip(ours.params(), theirs.parameters(), strict=True))
    with torch.no_grad():
        for (_, name, ours_p), their_p in pairs:
            value = ours_p.T if name == "W" and ours_p.ndim == 2 else ours_p  # Dense W is (in, out), Linear's (out, in)
            assert tuple(their_p.shape) == value.shape, name
            their_p.copy_(torch.from_numpy(np.ascontiguousarray(value)))
    x = np.random.default_rng(1).random((6, 1, 28, 28), dtype=np.float32)
    theirs.train()  # both normalise with the batch's statistics
    np.testing.assert_allclose(ours.train()(x), theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-4, atol=1e-4)
    assert bench.flops_per_image(channels, blocks) == ours.multiply_adds((1, 28, 28))


def test_flip_averaging_adds_the_two_votes(bench):
    # two 1x2 images; the "network" trusts the left pixel: class 1 when it is bright
    x = np.array([[[[1.0, 0.0]]], [[[0.0, 1.0]]]], dtype=np.float32)  # (2, 1, 1, 2)

    def probabilities(v):
        left = v[:, 0, 0, 0]
        return np.stack([np.where(left > 0.5, 0.45, 0.8), np.where(left > 0.5, 0.55, 0.2)], axis=1)

    # image 0: 0.55 for class 1 as it is, 0.2 mirrored -> 0.75 against 1.25 for class 0
    # image 1: 0.2 for class 1 as it is, 0.55 mirrored -> class 0 again
    assert bench.flip_averaged_accuracy(probabilities, x, np.array([0, 0])) == 1.0
    assert (probabilities(x).argmax(axis=1) == np.array([0, 0])).mean() == 0.5  # without averaging: one of two
