import math

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.callbacks import CosineLR, LivePlot
from cnnlib.layers import Dense
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD


def small_problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = Sequential([Dense(4, 2, seed=0)])
    return model, x, y


def test_live_plot_records_batches_and_epochs_during_fit():
    model, x, y = small_problem()
    plot = LivePlot(every=2, display=True)  # outside IPython nothing is displayed
    model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.5), epochs=3, batch_size=16,
              progress=False, validation_data=(x, y), callbacks=[plot])
    assert plot.steps == list(range(1, 10))  # 3 batches per epoch
    assert plot.epoch_steps == [3, 6, 9]
    assert [set(logs) for logs in plot.epoch_logs] == [{"loss", "accuracy", "val_loss", "val_accuracy"}] * 3
    assert len(plot.batch_loss) == len(plot.batch_accuracy) == 9
    fig = plot.figure()
    loss_ax, acc_ax = fig.axes
    lines = {line.get_label(): line for line in loss_ax.lines}
    np.testing.assert_allclose(lines["batch loss"].get_ydata(), plot.batch_loss)
    np.testing.assert_allclose(lines["validation"].get_ydata(), [e["val_loss"] for e in plot.epoch_logs])
    assert acc_ax.get_ylim() == (0, 1)


def test_live_plot_takes_its_output_area_before_the_first_batch(monkeypatch):
    import IPython.display

    import cnnlib.callbacks

    events = []

    class Handle:
        def update(self, obj):
            events.append(("update", type(obj).__name__))

    def display(obj, raw=False, display_id=False):
        events.append(("display", obj))
        return Handle()

    monkeypatch.setattr(cnnlib.callbacks, "_in_ipython", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)

    class FirstBatch:
        def on_batch_end(self, step, logs):
            if step == 0:
                events.append(("batch", 0))

        def __call__(self, epoch, logs):
            pass

    model, x, y = small_problem()
    plot = LivePlot(every=2)
    model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.5), epochs=1, batch_size=16, progress=False,
              callbacks=[plot, FirstBatch()])
    assert events[0] == ("display", {"text/plain": "(the training curves appear here after 2 batches)"})
    assert events[1] == ("batch", 0)  # the area exists before training starts (and above any progress bar)
    assert [e for e in events if e[0] == "display"] == [events[0]]  # one area, updated in place from then on
    assert ("update", "Image") in events


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
