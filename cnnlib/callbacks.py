"""Callbacks for ``Sequential.fit``: a learning-rate schedule (the live training plot is
:class:`cnnlib.widgets.LivePlot`, in the teaching layer: it draws).

A callback is a callable ``cb(epoch, logs)`` run after every epoch; if it
also has ``on_batch_end(step, logs)`` it hears about every batch, and
``on_train_begin()`` is called once before the first batch.
"""
from __future__ import annotations

import math

from ._checks import check_positive_int, check_real, is_real_number


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
        if not is_real_number(step):
            raise TypeError(f"lr_at takes a number of batches, got {step!r}. Hint: e.g. lr_at(100).")
        if not math.isfinite(step):
            raise ValueError(f"lr_at takes a finite number of batches, got {step!r}. Hint: e.g. lr_at(100).")
        t = min(max(step, 0), self.total_steps) / self.total_steps
        return self.final_lr + 0.5 * (self.initial_lr - self.final_lr) * (1 + math.cos(math.pi * t))

    def on_batch_end(self, step: int, logs: dict) -> None:
        """Set the learning rate for the next batch."""
        self.optimizer.lr = self.lr_at(step + 1)

    def __call__(self, epoch: int, logs: dict) -> None:
        """Nothing to do per epoch: the rate changes every batch."""
