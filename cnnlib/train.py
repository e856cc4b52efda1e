"""Train the course's 28×28 CNN from the command line.

    python -m cnnlib.train --dataset fashion-mnist --epochs 10
    python -m cnnlib.train --batchnorm --dense-batchnorm --lr 3e-3 --label-smoothing 0.1 --init uniform --save bn.npz
    python -m cnnlib.train --subset 2000 --epochs 2          # a quick look

It builds :func:`cnnlib.networks.fashion_mnist_cnn`, trains it with a progress
bar, prints the loss and accuracy after every epoch (and on held-out training
images with ``--val N``), reports the test accuracy once at the end, and can
save the weights (``Sequential.load(path)`` rebuilds the model).

The test set is used once, at the end: choose settings with ``--val``.

Every argument is checked before anything is loaded (the ``--save`` path
too: it must be, or be creatable as, a file in a writable directory), so a
mistake costs a second, not a training run. Exit status: 0 done, 1 the data
cannot be loaded or the model cannot be saved, 2 a bad argument, 130
interrupted (Ctrl-C). An interrupted run saves nothing: a file written by
``--save`` always holds a finished run.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .augment import RandomAugment
from .callbacks import CosineLR
from .datasets import FASHION_MNIST_CLASSES, MNIST_CLASSES, load_fashion_mnist, load_mnist
from .layers import Dropout
from .losses import CrossEntropy
from .networks import fashion_mnist_cnn
from .optim import SGD, Adam

DATASETS = {"fashion-mnist": (load_fashion_mnist, FASHION_MNIST_CLASSES), "mnist": (load_mnist, MNIST_CLASSES)}
DEFAULT_LR = {"adam": 1e-3, "sgd": 0.05}
IMAGE_SIZE = 28  # both datasets: 28x28 grayscale


def _number(text: str, what: str, ok, convert=float, in_range: str | None = None):
    """``convert(text)`` if ``ok`` of it, else an argparse error saying what was expected and what came."""
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"must be {in_range or what}, got {value}")
    return value


def _probability(text: str) -> float:
    return _number(text, "a number in [0, 1)", lambda p: 0 <= p < 1, in_range="in [0, 1)")  # nan fails too


def _positive(text: str) -> int:
    return _number(text, "a positive integer", lambda n: n >= 1, int)


def _nonnegative(text: str) -> int:
    return _number(text, "0 or more", lambda n: n >= 0, int)


def _learning_rate(text: str) -> float:
    return _number(text, "a positive, finite number", lambda x: math.isfinite(x) and x > 0)


def _decay(text: str) -> float:
    return _number(text, "a finite number >= 0", lambda x: math.isfinite(x) and x >= 0)


def _shift(text: str) -> int:
    return _number(text, f"0 to {IMAGE_SIZE - 1} (the images are {IMAGE_SIZE}x{IMAGE_SIZE})",
                   lambda n: 0 <= n < IMAGE_SIZE, int)


def _directory_ok(parser, option: str, value: str, directory: Path, *, writable: bool) -> None:
    """Error unless ``directory`` exists or can be created (its nearest existing ancestor is a directory)."""
    existing = directory
    try:
        while not existing.exists():
            existing = existing.parent
    except OSError as exc:
        parser.error(f"argument {option}: cannot look in {existing} ({exc.strerror or exc}), for {value}")
    if not existing.is_dir():
        parser.error(f"argument {option}: {existing} is a file, not a directory, so {value} cannot be created. "
                     "Hint: choose another path.")
    if writable and not (os.access(existing, os.W_OK | os.X_OK) and _can_create_in(existing)):
        parser.error(f"argument {option}: cannot write in {existing} (read-only, or no permission), so {value} "
                     "cannot be saved. Hint: choose a directory you can write to, e.g. your home directory.")


def _can_create_in(directory: Path) -> bool:
    """Whether a file can be created in ``directory``, tried for real: ``os.access`` says yes to root even in
    ``/proc`` or on a read-only file system, and training would end with nowhere to save."""
    try:
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False


def check_paths(parser, args) -> None:
    """Refuse a ``--save`` path that could not be written and a ``--data-dir`` that is a file, before any work."""
    if args.save is not None:
        path = Path(args.save).expanduser()
        if args.save.strip() == "" or path.is_dir() or args.save.endswith(("/", os.sep)):
            parser.error(f"argument --save: {args.save!r} names a directory; expected a file name such as "
                         f"{path / 'model.npz'}")
        final = path if path.suffix == ".npz" else path.with_name(path.name + ".npz")  # as Sequential.save names it
        if final.is_dir():
            parser.error(f"argument --save: {final} is a directory (--save {args.save} writes {final.name}). "
                         "Hint: choose another name.")
        _directory_ok(parser, "--save", args.save, final.parent, writable=True)
    if args.data_dir is not None:
        _directory_ok(parser, "--data-dir", args.data_dir, Path(args.data_dir).expanduser(), writable=False)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cnnlib.train", description=__doc__.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--dataset", choices=sorted(DATASETS), default="fashion-mnist")
    p.add_argument("--epochs", type=_positive, default=10)
    p.add_argument("--batchnorm", action="store_true", help="BatchNorm2D after each convolution")
    p.add_argument("--dense-batchnorm", action="store_true", help="BatchNorm1D after Dense(1600, 128)")
    p.add_argument("--dropout", type=_probability, default=0.0,
                   help="dropout on the flattened features and before the last Dense layer")
    p.add_argument("--hidden-dropout", type=_probability, default=None, metavar="P",
                   help="dropout before the last Dense layer only (default: the same as --dropout)")
    p.add_argument("--optimizer", choices=sorted(DEFAULT_LR), default="adam")
    p.add_argument("--lr", type=_learning_rate, default=None, help="learning rate (default: 1e-3 Adam, 0.05 SGD)")
    p.add_argument("--momentum", type=_probability, default=None, help="SGD momentum (default 0.9)")
    p.add_argument("--weight-decay", type=_decay, default=0.0, help="L2 weight decay")
    p.add_argument("--label-smoothing", type=_probability, default=0.0,
                   help="target 1-e on the right class and e/K spread over all K classes (0.1 is usual); "
                        "the training and validation losses then include it, the test loss does not")
    p.add_argument("--schedule", choices=["constant", "cosine"], default="cosine",
                   help="learning rate: constant, or a cosine decay to 0 over all the epochs")
    p.add_argument("--flip", action="store_true",
                   help="augment: mirror each training image left-right with probability 0.5 (not for digits)")
    p.add_argument("--shift", type=_shift, default=0, metavar="PIXELS",
                   help="augment: move each training image by up to PIXELS pixels per direction")
    p.add_argument("--batch-size", type=_positive, default=64)
    p.add_argument("--subset", type=_positive, default=None, help="train on the first N training images")
    p.add_argument("--val", type=_nonnegative, default=0, metavar="N",
                   help="hold out the last N training images and score them after every epoch")
    p.add_argument("--test-subset", type=_positive, default=None, help="evaluate on the first N test images")
    p.add_argument("--init", choices=["he", "uniform"], default="he",
                   help="starting weights: He normal, or PyTorch's default uniform (cnnlib.layers.init)")
    p.add_argument("--seed", type=_nonnegative, default=0, help="seeds the weights, the shuffling and dropout")
    p.add_argument("--data-dir", default=None, help="directory with the IDX files (see cnnlib.datasets)")
    p.add_argument("--save", default=None, metavar="PATH",
                   help="save the trained weights to PATH (.npz), checked before training; nothing is saved if "
                        "training is interrupted")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (per-epoch lines only)")
    return p


def split_data(x, y, subset, val):
    """``(x_train, y_train), (x_val, y_val) or None``: the last ``val`` images are held out, then ``subset`` kept."""
    if val < 0 or val >= len(x):
        raise ValueError(f"--val {val} leaves no training images: the training set has {len(x)}. "
                         f"Hint: use a smaller --val (0 to {len(x) - 1}).")
    val_data = (x[len(x) - val:], y[len(y) - val:]) if val else None
    x, y = x[:len(x) - val], y[:len(y) - val]
    if subset is not None:
        if subset > len(x):
            raise ValueError(f"--subset {subset} is more than the {len(x)} training images"
                             + (f" left after --val {val}" if val else "") + ". Hint: leave out --subset to use all.")
        x, y = x[:subset], y[:subset]
    return (x, y), val_data


def _dropout_places(model):
    """``(dropout layer, name of the layer after it)`` for every Dropout of ``model``."""
    layers = model.layers
    return [(layer, type(layers[i + 1]).__name__ + f"({layers[i + 1].extra_repr()})")
            for i, layer in enumerate(layers[:-1]) if isinstance(layer, Dropout)]


class EpochPrinter:
    """Print one line per epoch with its metrics and its duration; keep the durations."""

    def __init__(self, epochs: int, out=None) -> None:
        self.epochs, self.out = epochs, out
        self.seconds: list[float] = []
        self._start = time.perf_counter()

    def __call__(self, epoch: int, logs: dict) -> None:
        now = time.perf_counter()
        self.seconds.append(now - self._start)
        self._start = now
        metrics = "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
        print(f"epoch {epoch + 1:>2}/{self.epochs}  {metrics}  ({self.seconds[-1]:.1f} s)", file=self.out or sys.stdout,
              flush=True)


def main(argv=None) -> dict:
    """Run the command line; return the results (also printed) as a dict.

    Errors end in ``SystemExit`` with a one-paragraph message: 2 for a bad
    argument, 1 when the data cannot be loaded or the model saved, 130 on Ctrl-C.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.flip and args.dataset == "mnist":
        parser.error("--flip mirrors images, and a mirrored digit is not the same digit (a flipped 2 is not a 2); "
                     "use --shift 2 to augment MNIST")
    if args.momentum is not None and args.optimizer != "sgd":
        parser.error(f"--momentum is for --optimizer sgd; {args.optimizer} ignores it. "
                     "Hint: add --optimizer sgd, or leave out --momentum.")
    check_paths(parser, args)
    state = {"stage": "loading the data", "printer": None}
    try:
        return _run(parser, args, state)
    except KeyboardInterrupt:
        printer = state["printer"]
        if state["stage"] == "training" and printer is not None:
            done = len(printer.seconds)
            message = f"Interrupted in epoch {done + 1}/{args.epochs} ({done} finished); nothing saved."
        else:
            message = f"Interrupted while {state['stage']}; nothing {'trained' if printer is None else 'saved'}."
        print("\n" + message, file=sys.stderr)
        raise SystemExit(130) from None


def _run(parser, args, state: dict) -> dict:
    loader, classes = DATASETS[args.dataset]
    try:
        x_train, y_train = loader("train", data_dir=args.data_dir)
        x_test, y_test = loader("test", data_dir=args.data_dir)
    except (OSError, ValueError) as exc:  # not found, unreadable, damaged: the loader's message says what to do
        parser.exit(1, f"{parser.prog}: error: {exc}\n")
    try:
        (x, y), val_data = split_data(x_train, y_train, args.subset, args.val)
    except ValueError as exc:
        parser.error(str(exc))
    if args.test_subset is not None:
        if args.test_subset > len(x_test):
            parser.error(f"--test-subset {args.test_subset} is more than the {len(x_test)} test images. "
                         "Hint: leave out --test-subset to use all.")
        x_test, y_test = x_test[:args.test_subset], y_test[:args.test_subset]

    model = fashion_mnist_cnn(batchnorm=args.batchnorm, dropout=args.dropout, dense_batchnorm=args.dense_batchnorm,
                              hidden_dropout=args.hidden_dropout, num_classes=len(classes), seed=args.seed,
                              init=args.init)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    if args.optimizer == "adam":
        optimizer = Adam(model, lr=lr, weight_decay=args.weight_decay)
    else:
        momentum = 0.9 if args.momentum is None else args.momentum
        optimizer = SGD(model, lr=lr, momentum=momentum, weight_decay=args.weight_decay)
    augment = None
    if args.flip or args.shift:
        augment = RandomAugment(flip=args.flip, max_shift=args.shift, seed=args.seed)
    printer = state["printer"] = EpochPrinter(args.epochs)
    callbacks = [printer]
    if args.schedule == "cosine":
        callbacks.append(CosineLR(optimizer, total_steps=args.epochs * math.ceil(len(x) / args.batch_size)))

    print(f"{args.dataset}: training on {len(x):,} images"
          + (f", validating on {len(val_data[0]):,}" if val_data else "") + f", testing on {len(x_test):,}")
    print(f"model: {model.num_params():,} parameters"
          + (", BatchNorm2D after each conv" if args.batchnorm else "")
          + (", BatchNorm1D after Dense(1600, 128)" if args.dense_batchnorm else "")
          + (f", {args.init} init" if args.init != "he" else "")
          + "".join(f", {layer.p} dropout before {after}" for layer, after in _dropout_places(model)))
    if augment is not None:
        print(f"augmentation: {augment!r}")
    print(f"optimizer: {optimizer!r}, {args.schedule} schedule, batch size {args.batch_size}, seed {args.seed}"
          + (f", label smoothing {args.label_smoothing}" if args.label_smoothing else ""), flush=True)
    loss = CrossEntropy(label_smoothing=args.label_smoothing)
    state["stage"] = "training"
    try:
        history = model.fit(x, y, loss=loss, optimizer=optimizer, epochs=args.epochs, batch_size=args.batch_size,
                            validation_data=val_data, seed=args.seed, progress=not args.no_progress,
                            callbacks=callbacks, augment=augment)
    except RuntimeError as exc:  # training diverged: the message says where
        parser.exit(1, f"{parser.prog}: error: {exc}\nNothing was saved; run again with a smaller --lr "
                       f"(this run used {lr:g}).\n")
    state["stage"] = "testing"
    test = model.evaluate(x_test, y_test, loss=CrossEntropy())
    per_epoch = float(np.mean(printer.seconds))
    print(f"test accuracy {test['accuracy']:.4f}  test loss {test['loss']:.4f}  "
          f"({per_epoch:.1f} s per epoch over {len(x):,} images)")
    if args.save:
        state["stage"] = "saving"
        try:
            path = model.save(Path(args.save).expanduser())
        except OSError as exc:
            parser.exit(1, f"{parser.prog}: error: cannot save the model to {args.save}: {exc.strerror or exc}\n")
        print(f"saved the weights to {path}")
    return {"history": history.history, "test_accuracy": test["accuracy"], "test_loss": test["loss"],
            "seconds_per_epoch": per_epoch, "model": model}


if __name__ == "__main__":
    main()
