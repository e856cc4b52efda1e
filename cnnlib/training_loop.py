"""The training loop behind ``Sequential.fit``, ``evaluate`` and ``predict``.

One step is the whole lesson: ``out = model.forward(xb)``, ``loss.forward(out, yb)``,
``model.backward(loss.backward())``, ``optimizer.step()``.
"""
from __future__ import annotations

import contextlib

import numpy as np

from ._checks import BAD_DATA_HINT, as_float_array, check_bool, check_finite, check_positive_int, check_xy, make_rng
from .metrics import accuracy
from .progress import progress_bar


class History:
    """What ``fit`` returns: ``history`` maps each metric to one value per epoch.

    Keys are ``"loss"``, ``"accuracy"`` (classification only) and, with
    validation data, ``"val_loss"`` and ``"val_accuracy"``.

    >>> h = model.fit(x, y, loss=CrossEntropy(), optimizer=SGD(model, lr=0.1), epochs=3, progress=False)
    >>> sorted(h.history), len(h.history["loss"])  # one value per epoch for every metric
    (['accuracy', 'loss'], 3)
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def _append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, metrics={list(self.history)})"


def check_output(out: np.ndarray, where, hint: str) -> None:
    """Raise ``RuntimeError`` if the model's output ``out`` holds NaN or inf; ``where()`` says when."""
    if out.dtype.kind == "f" and not np.isfinite(out).all():
        kind = "NaN" if np.isnan(out).any() else "inf"
        raise RuntimeError(f"the model's output became {kind} {where()}: training diverged. Hint: {hint}")


@contextlib.contextmanager
def mode(model, training: bool):
    """Put every layer in train or eval mode for the block, then restore each layer's mode."""
    before = [layer.training for layer in model.layers]
    model.train(training)
    try:
        yield
    finally:
        for layer, was in zip(model.layers, before):
            layer.train(was)


def _check_objects(loss, optimizer) -> None:
    for name, obj, methods in (("loss", loss, ("forward", "backward")), ("optimizer", optimizer, ("step",))):
        if obj is None:
            continue
        if isinstance(obj, type):
            raise TypeError(f"{name} must be an instance, got the class {obj.__name__}. Hint: write {obj.__name__}(...).")
        missing = [m for m in methods if not callable(getattr(obj, m, None))]
        if missing:
            raise TypeError(f"{name} must have method(s) {', '.join(methods)}; {type(obj).__name__} lacks {missing}.")


def _check_optimizer_covers(model, optimizer) -> None:
    """An optimizer made for another model would train nothing: say so."""
    refs = getattr(optimizer, "param_refs", None)  # cnnlib.optim keeps (layer, name) pairs
    if refs is None:
        return
    covered = {id(layer) for layer, _ in refs}
    for i, layer in enumerate(model.layers):
        if layer.params and id(layer) not in covered:
            raise ValueError(
                f"the optimizer does not update layer {i} ({type(layer).__name__}): it was created for a "
                f"different model. Hint: create it for this one, e.g. {type(optimizer).__name__}(model, lr=...)."
            )


class _Means:
    """Running sample-weighted means of the loss and the accuracy over batches."""

    def __init__(self) -> None:
        self.loss, self.correct, self.n, self.n_acc = 0.0, 0.0, 0, 0

    def add(self, n: int, loss_value: float | None, acc: float | None) -> dict[str, float]:
        """Add one batch of ``n`` samples; return that batch's own metrics."""
        self.n += n
        batch = {}
        if loss_value is not None:
            self.loss += loss_value * n  # losses are batch means
            batch["loss"] = loss_value
        if acc is not None:
            self.correct, self.n_acc = self.correct + acc * n, self.n_acc + n
            batch["accuracy"] = acc
        return batch

    def logs(self, with_loss: bool = True) -> dict[str, float]:
        out = {"loss": self.loss / self.n} if with_loss and self.n else {}
        if self.n_acc:
            out["accuracy"] = self.correct / self.n_acc
        return out


def evaluate(model, x, y, *, loss=None, batch_size=256) -> dict[str, float]:
    """Mean loss (if ``loss`` is given) and accuracy over ``(x, y)``, in eval mode."""
    x, y = check_xy(x, y)
    batch_size = check_positive_int(batch_size, "batch_size")
    _check_objects(loss, None)
    means = _Means()
    with mode(model, False):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            out = model.forward(xb)
            check_output(out, lambda: f"in evaluate, for samples {start} to {start + len(xb) - 1}",
                         "the weights are not finite any more; train again with a lower learning rate.")
            means.add(len(xb), float(loss.forward(out, yb)) if loss is not None else None,
                      accuracy(out, yb, "evaluate"))
    return means.logs(with_loss=loss is not None)


def predict(model, x, batch_size=256) -> np.ndarray:
    """The model's outputs for ``x``, computed in batches in eval mode (an empty batch gives an empty result)."""
    x = as_float_array(x, "x")
    if x.ndim == 0:
        raise ValueError(f"predict needs a batch (N, ...) with a batch axis, got a scalar of shape {x.shape}. "
                         "Hint: for one sample add the batch axis with x[None].")
    check_finite(x, "input x", "predict", BAD_DATA_HINT)
    batch_size = check_positive_int(batch_size, "batch_size")
    with mode(model, False):
        # At least one forward pass, so that an empty x gives an empty output of the right shape.
        outs = [model.forward(x[s:s + batch_size]) for s in range(0, max(len(x), 1), batch_size)]
    out = np.concatenate(outs)
    check_output(out, lambda: "in predict", "the weights are not finite any more; train again with a lower "
                 "learning rate.")
    return out


def _progress(total: int, desc: str, enabled: bool):
    return progress_bar(total, desc) if enabled else None


def _check_fit_args(model, x, y, loss, optimizer, epochs, batch_size, validation_data, callbacks, augment):
    x, y = check_xy(x, y, "fit")
    epochs = check_positive_int(epochs, "epochs", minimum=0)
    batch_size = check_positive_int(batch_size, "batch_size")
    for name, obj, example in (("loss", loss, "loss=CrossEntropy()"),
                               ("optimizer", optimizer, "optimizer=SGD(model, lr=0.01)")):
        if obj is None:
            raise TypeError(f"fit needs a {name}, got None. Hint: model.fit(x, y, {example}, ...).")
    _check_objects(loss, optimizer)
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError(f"validation_data must be a pair (x_val, y_val), got {type(validation_data).__name__}. "
                            "Hint: validation_data=(x_val, y_val).")
        validation_data = check_xy(*validation_data, "fit", "validation_data ")
    _check_optimizer_covers(model, optimizer)
    if callbacks is not None and not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list, got {type(callbacks).__name__} {callbacks!r}. Hint: put it in "
                        "brackets, callbacks=[...], even for one callback.")
    callbacks = list(callbacks or [])
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(f"each callback must be a callable cb(epoch, logs), got {cb!r}. Hint: e.g. "
                            "callbacks=[CosineLR(optimizer, total_steps)] or a function def cb(epoch, logs): ...")
    if augment is not None and not callable(augment):
        raise TypeError(
            f"augment must be a callable batch -> batch (e.g. cnnlib.augment.RandomAugment()), got {augment!r}."
        )
    return x, y, epochs, batch_size, validation_data, callbacks


def _diverged_hint(optimizer) -> str:
    lr = getattr(optimizer, "lr", None)
    return (f"lower the learning rate{f' (lr={lr})' if lr is not None else ''} and train again; "
            "model.history keeps the epochs that finished.")


def _train_one_epoch(model, x, y, order, batch_size, loss, optimizer, callbacks, bar, step, augment, epoch_text):
    """One pass over ``x`` in the given order; return the epoch's mean metrics and the step count."""
    means = _Means()
    batches = -(-len(x) // batch_size)
    for start in range(0, len(x), batch_size):
        idx = order[start:start + batch_size]
        xb, yb = x[idx], y[idx]
        if augment is not None:
            xb = _augmented(augment, xb)

        def where():
            return f"at epoch {epoch_text}, batch {start // batch_size + 1}/{batches} (step {step + 1})"

        # One training step: forward, loss, backward, update. Overflow is reported below, once and clearly,
        # so numpy's own overflow warnings are silenced for the step.
        with np.errstate(over="ignore", invalid="ignore"):
            out = model.forward(xb)
            check_output(out, where, _diverged_hint(optimizer))
            try:
                value = float(loss.forward(out, yb))
            except RuntimeError as exc:  # the loss overflowed
                raise RuntimeError(f"{where()}: {exc}") from exc
            if not np.isfinite(value):  # a loss of the user's own that does not check
                raise RuntimeError(f"the loss became {value} {where()}: training diverged. "
                                   f"Hint: {_diverged_hint(optimizer)}")
            model.backward(loss.backward())
            try:
                optimizer.step()
            except RuntimeError as exc:  # a NaN/inf gradient: say where, and (instead of its hint) what to change
                what = str(exc).split(" Hint: ")[0]
                raise RuntimeError(f"{where()}: {what} Training diverged. Hint: {_diverged_hint(optimizer)}") from exc
        batch_logs = means.add(len(idx), value, accuracy(out, yb, "fit"))
        for cb in callbacks:
            if hasattr(cb, "on_batch_end"):
                cb.on_batch_end(step, batch_logs)
        step += 1
        if bar is not None:
            bar.update(1)
            bar.set_postfix({k: f"{v:.4f}" for k, v in means.logs().items()}, refresh=False)
    return means.logs(), step


def _augmented(augment, xb: np.ndarray) -> np.ndarray:
    """``augment(xb)``, checked to be a batch of the same shape."""
    out = augment(xb)
    if not isinstance(out, np.ndarray) or out.shape != xb.shape:
        got = out.shape if isinstance(out, np.ndarray) else type(out).__name__
        raise RuntimeError(
            f"augment must return an array shaped like its input batch {xb.shape}, got {got}. "
            "Hint: augmentation changes pixels, never the batch size or the image size."
        )
    return out


def fit(model, x, y, *, loss, optimizer, epochs, batch_size=64, validation_data=None,
        shuffle=True, seed=0, progress=True, callbacks=None, augment=None) -> History:
    """Train ``model`` in place; see ``Sequential.fit``."""
    x, y, epochs, batch_size, validation_data, callbacks = _check_fit_args(
        model, x, y, loss, optimizer, epochs, batch_size, validation_data, callbacks, augment)
    shuffle = check_bool(shuffle, "shuffle", "fit(..., shuffle=False) keeps the order of x.")
    progress = check_bool(progress, "progress", "fit(..., progress=False) hides the progress bars.")
    rng = make_rng(seed)
    history = model.history = History()
    model.stop_training = False
    first = model.layers[0] if model.layers else None
    needed = first.requires_input_grad if first is not None else None
    step = 0
    try:
        if first is not None:
            first.requires_input_grad = False  # nobody needs d loss / d data
        with mode(model, True):
            for cb in callbacks:
                if hasattr(cb, "on_train_begin"):
                    cb.on_train_begin()
            for epoch in range(epochs):
                order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
                bar = _progress(-(-len(x) // batch_size), f"Epoch {epoch + 1}/{epochs}", progress)
                try:
                    logs, step = _train_one_epoch(model, x, y, order, batch_size, loss, optimizer, callbacks, bar,
                                                  step, augment, f"{epoch + 1}/{epochs}")
                    if validation_data is not None:
                        val = evaluate(model, *validation_data, loss=loss, batch_size=max(batch_size, 256))
                        logs.update({"val_" + k: v for k, v in val.items()})
                    if bar is not None:
                        bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
                finally:
                    if bar is not None:
                        bar.close()  # also after an error or an interrupt: the bar shows where training stopped
                history._append(epoch, logs)
                for cb in callbacks:
                    cb(epoch, dict(logs))
                if model.stop_training:
                    break
    finally:
        if first is not None:
            first.requires_input_grad = needed
    return history
