import numpy as np
import pytest

from cnnlib.networks import fashion_mnist_cnn
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD
from cnnlib.profiling import profile_step, time_call


def test_time_call_runs_warmup_plus_repeats():
    calls = []
    assert time_call(lambda: calls.append(1), repeats=3, warmup=2) >= 0
    assert len(calls) == 5


def test_profile_step_lists_every_part_in_order_and_trains():
    model = fashion_mnist_cnn(seed=0)
    x = np.random.default_rng(0).random((4, 1, 28, 28)).astype(np.float32)
    y = np.arange(4)
    before = model.layers[0].params["W"].copy()
    rows = profile_step(model, CrossEntropy(), SGD(model, lr=0.1), x, y, repeats=2)
    n = len(model.layers)
    assert [r.phase for r in rows] == ["forward"] * n + ["loss"] + ["backward"] * n + ["update"]
    assert rows[0].part.startswith("0 Conv2D") and rows[n + 1].part.startswith(f"{n - 1} Dense")
    assert all(r.ms >= 0 for r in rows)
    assert not np.array_equal(before, model.layers[0].params["W"])
    assert model.layers[0].requires_input_grad  # restored


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(warmup=-1), ValueError, "warmup must be >= 0, got -1"),
    (dict(warmup=1.5), TypeError, "warmup must be an integer, got 1.5"),  # range() would fail without a hint
    (dict(fn=42), TypeError, "time_call needs a function to call, got 42"),
])
def test_time_call_refuses_what_it_cannot_time(kwargs, error, words):
    with pytest.raises(error, match=words):
        time_call(**{"fn": lambda: None, **kwargs})
