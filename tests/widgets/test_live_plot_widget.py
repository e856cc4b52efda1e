"""LivePlot, the callback that redraws the training curves in place while fit runs."""

import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.widgets import LivePlot
from cnnlib.layers import Dense
from cnnlib.losses import CrossEntropy
from cnnlib.optim import SGD


@pytest.fixture
def problem():
    """40 points in 4-D labelled by the sign of the first coordinate: 3 batches of 16 per epoch."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 4)).astype(np.float32)
    return Sequential([Dense(4, 2, seed=1)]), x, (x[:, 0] > 0).astype(np.int64)


def test_live_plot_records_batches_and_epochs_during_fit(problem):
    model, x, y = problem
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


def test_live_plot_takes_its_output_area_before_the_first_batch(monkeypatch, problem):
    import IPython.display

    import cnnlib.widgets.live_plot as live_plot

    events = []

    class Handle:
        def update(self, obj):
            events.append(("update", type(obj).__name__))

    def display(obj, raw=False, display_id=False):
        events.append(("display", obj))
        return Handle()

    monkeypatch.setattr(live_plot, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)

    class FirstBatch:
        def on_batch_end(self, step, logs):
            if step == 0:
                events.append(("batch", 0))

        def __call__(self, epoch, logs):
            pass

    model, x, y = problem
    plot = LivePlot(every=2)
    model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.5), epochs=1, batch_size=16, progress=False,
              callbacks=[plot, FirstBatch()])
    assert events[0] == ("display", {"text/plain": "(the training curves appear here after 2 batches)"})
    assert events[1] == ("batch", 0)  # the area exists before training starts (and above any progress bar)
    assert [e for e in events if e[0] == "display"] == [events[0]]  # one area, updated in place from then on
    assert ("update", "Image") in events
