import math

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.callbacks import CosineLR
from cnnlib.layers import Dense
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD


def small_problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = Sequential([Dense(4, 2, seed=0)])
    return model, x, y


def test_cosine_schedule_goes_from_lr_to_final_lr_along_half_a_cosine():
    model, x, y = small_problem()
    opt = SGD(model, lr=0.4)
    sched = CosineLR(opt, total_steps=9, final_lr=0.1)
    assert sched.lr_at(0) == pytest.approx(0.4)
    assert sched.lr_at(9) == pytest.approx(0.1)
    assert sched.lr_at(4.5) == pytest.approx(0.25)
    assert sched.lr_at(20) == pytest.approx(0.1)
    seen = []

    class Spy:
        def __call__(self, epoch, logs):
            pass

        def on_batch_end(self, step, logs):
            seen.append(opt.lr)

    model.fit(x, y, loss=CrossEntropy(), optimizer=opt, epochs=3, batch_size=16, progress=False,
              callbacks=[sched, Spy()])
    expected = [0.1 + 0.15 * (1 + math.cos(math.pi * (s + 1) / 9)) for s in range(9)]
    np.testing.assert_allclose(seen, expected)


def test_cosine_schedule_checks_its_arguments():
    model, _, _ = small_problem()
    with pytest.raises(ValueError, match=r"final_lr must be a learning rate in \[0, 0.1\].*lr=0.1"):
        CosineLR(SGD(model, lr=0.1), total_steps=10, final_lr=0.5)
    with pytest.raises(TypeError, match="lr attribute"):
        CosineLR(object(), total_steps=10)
