"""Callbacks for ``Sequential.fit``: a live training plot and a learning-rate schedule.

A callback is a callable ``cb(epoch, logs)`` run after every epoch; if it
also has ``on_batch_end(step, logs)`` it hears about every batch, and
``on_train_begin()`` is called once before the first batch.

>>> plot = LivePlot()
>>> model.fit(x, y, loss=CrossEntropy(), optimizer=opt, epochs=3, callbacks=[plot], progress=False)
History(epochs=3, metrics=['loss', 'accuracy'])
"""
from __future__ import annotations

import math

from ._checks import check_bool, check_positive_int, check_real


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
        if self.display and _in_ipython() and self._handle is None:
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
        from .viz.training import draw_training_curves

        return draw_training_curves(self.steps, self.batch_loss, self.batch_accuracy, self.epoch_steps,
                                    self.epoch_logs, title=self.title)

    def _refresh(self) -> None:
        if not self.display or not _in_ipython():
            return
        from IPython.display import Image, display

        from .viz.style import figure_to_png

        image = Image(data=figure_to_png(self.figure()), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


class CosineLR:
    r"""Lower the optimizer's learning rate along a half cosine, batch by batch.

    :math:`\eta_t = \eta_{end} + \tfrac12(\eta_0 - \eta_{end})(1 + \cos(\pi t / T))`
    for step :math:`t` of :math:`T`: large steps at first, small ones at the
    end, when the weights need fine adjustments rather than big moves.

    Args:
        optimizer: anything with an ``lr`` attribute (``SGD``, ``Adam``).
        total_steps: :math:`T`, usually ``epochs * ceil(N / batch_size)``.
        final_lr: :math:`\eta_{end}` (default 0).

    >>> sched = CosineLR(opt, total_steps=10)        # 10 epochs of one batch of 64
    >>> h = model.fit(x, y, loss=CrossEntropy(), optimizer=opt, epochs=10, callbacks=[sched], progress=False)
    >>> opt.lr                                        # decayed all the way to final_lr
    0.0
    """

    def __init__(self, optimizer, total_steps: int, final_lr: float = 0.0) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"CosineLR needs an optimizer with an lr attribute, got {type(optimizer).__name__}.")
        self.optimizer = optimizer
        self.total_steps = check_positive_int(total_steps, "total_steps")
        self.initial_lr = check_real(optimizer.lr, "the optimizer's lr", low=0)
        self.final_lr = check_real(final_lr, "final_lr", low=0, high=self.initial_lr, noun="a learning rate",
                                   hint=f"the schedule ends at final_lr, at most the starting lr={self.initial_lr}; "
                                   "0 is usual.")

    def lr_at(self, step: int) -> float:
        """The learning rate after ``step`` batches (clamped at ``final_lr`` beyond ``total_steps``)."""
        t = min(max(step, 0), self.total_steps) / self.total_steps
        return self.final_lr + 0.5 * (self.initial_lr - self.final_lr) * (1 + math.cos(math.pi * t))

    def on_batch_end(self, step: int, logs: dict) -> None:
        """Set the learning rate for the next batch."""
        self.optimizer.lr = self.lr_at(step + 1)

    def __call__(self, epoch: int, logs: dict) -> None:
        """Nothing to do per epoch: the rate changes every batch."""
