"""A callback for ``Sequential.fit`` that draws the loss and accuracy curves while training runs.

It lives in the teaching layer because it draws (``cnnlib.viz``) and shows
(IPython); the core's ``fit`` only calls it.

>>> plot = LivePlot()
>>> model.fit(x, y, loss=CrossEntropy(), optimizer=opt, epochs=3, callbacks=[plot], progress=False)
History(epochs=3, metrics=['loss', 'accuracy'])
"""
from __future__ import annotations

import math

from .._checks import check_bool, check_positive_int
from ..progress import in_notebook
from ..viz.projector import projector_mode
from ..viz.display import figure_to_png
from ..viz.training import draw_training_curves


class LivePlot:
    """Loss and accuracy curves that redraw while ``fit`` runs (in a notebook; silent elsewhere).

    Every ``every`` batches and after every epoch the figure is re-rendered
    into one output area of the cell, so the curves grow in place. Outside
    IPython nothing is displayed; ``figure()`` still draws the curves.

    Args:
        every: redraw after this many batches (default 10).
        title: figure title (default none).
        display: show the plot in the notebook (default True).

    Attributes:
        steps, batch_loss, batch_accuracy: one entry per batch.
        epoch_logs: the logs ``fit`` passed after each epoch (``loss``, ``accuracy``, ``val_*``).
        epoch_steps: the step count at the end of each epoch (x position of the epoch marks).
    """

    def __init__(self, every: int = 10, title: str | None = None, display: bool = True) -> None:
        self.every = check_positive_int(every, "every")
        self.title = title
        self.display = check_bool(display, "display", "LivePlot(display=False) records without showing.")
        self.steps: list[int] = []
        self.batch_loss: list[float] = []
        self.batch_accuracy: list[float] = []
        self.epoch_logs: list[dict] = []
        self.epoch_steps: list[int] = []
        self._handle = None

    def on_train_begin(self) -> None:
        """Reserve the plot's output area now, above the progress bars; it says when the curves will appear."""
        if self.display and in_notebook() and self._handle is None:
            from IPython.display import display

            note = f"(the training curves appear here after {self.every} batches)"
            self._handle = display({"text/plain": note}, raw=True, display_id=True)

    def on_batch_end(self, step: int, logs: dict) -> None:
        """Record one batch's loss and accuracy; redraw every ``every`` batches."""
        self.steps.append(step + 1)
        self.batch_loss.append(float(logs.get("loss", math.nan)))
        self.batch_accuracy.append(float(logs.get("accuracy", math.nan)))
        if (step + 1) % self.every == 0:
            self._refresh()

    def __call__(self, epoch: int, logs: dict) -> None:
        """Record the epoch's metrics and redraw."""
        self.epoch_logs.append(dict(logs))
        self.epoch_steps.append(self.steps[-1] if self.steps else 0)
        self._refresh()

    def figure(self):
        """The current curves as a matplotlib ``Figure``."""
        return draw_training_curves(self.steps, self.batch_loss, self.batch_accuracy, self.epoch_steps,
                                    self.epoch_logs, title=self.title)

    def _refresh(self) -> None:
        if not self.display or not in_notebook():
            return
        from IPython.display import Image, display

        # projector mode: at its natural size, never shrunk to the cell (as cnnlib.viz.show does)
        image = Image(data=figure_to_png(self.figure()), format="png", unconfined=projector_mode())
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
