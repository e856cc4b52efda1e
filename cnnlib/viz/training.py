"""Figures for the training lesson: the data, the training curves, what the network gets wrong.

Colour is never the only cue: the training and validation curves differ in
colour (Okabe–Ito), marker shape and line style, the splits of the class
balance in colour and hatching, both named in a legend; the confusion matrix
colours its counts on one single-hue scale with a colour bar and marks the
diagonal (the right answers) with an outline, not a colour.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .palette import OKABE_ITO
from .style import IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, new_figure, robust_signed_norm, SIGNED_CMAP

TRAIN_COLOR, VAL_COLOR = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
TRAIN_MARKER, VAL_MARKER = "o", "s"  # and solid vs dashed lines
#: One (colour, hatch) per split of :func:`draw_class_balance`, in order.
SPLIT_STYLES = [(OKABE_ITO["blue"], ""), (OKABE_ITO["orange"], "//"), (OKABE_ITO["bluish green"], ".."),
                (OKABE_ITO["reddish purple"], "xx")]
SPLIT_COLORS = [c for c, _ in SPLIT_STYLES]
COUNT_CMAP = "Blues"  # single hue, light = few
DIAGONAL_EDGE = OKABE_ITO["black"]


def _gray(img) -> np.ndarray:
    """One image ``(1, H, W)`` or ``(H, W)`` as ``(H, W)``."""
    img = np.asarray(img, dtype=float)
    return img[0] if img.ndim == 3 else img


def draw_samples(x, y, classes, *, per_class: int = 8, seed: int = 0) -> Figure:
    """A grid with one row per class: ``per_class`` random images of it, the class name on the left.

    Args:
        x: images ``(N, 1, H, W)``; y: labels ``(N,)``; classes: the class names.
        per_class: images per row (default 8).
        seed: which images are picked (default 0).
    """
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    k = len(classes)
    fig = new_figure(1.0 * per_class + 1.6, 1.0 * k + 0.5)
    axes = fig.subplots(k, per_class, squeeze=False)
    for c in range(k):
        idx = np.flatnonzero(y == c)
        picks = rng.choice(idx, size=min(per_class, idx.size), replace=False) if idx.size else []
        for col in range(per_class):
            ax = axes[c, col]
            ax.set_xticks([])
            ax.set_yticks([])
            for side in ax.spines.values():
                side.set_visible(False)
            if col < len(picks):
                ax.imshow(_gray(x[picks[col]]), cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest")
        axes[c, 0].set_ylabel(f"{c}: {classes[c]}", rotation=0, ha="right", va="center", fontsize=LABEL_SIZE)
    fig.suptitle(f"{per_class} training images of each class", fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_augmented(images, augment, *, copies: int = 5, names=None) -> Figure:
    """Each image in the first column, then ``copies`` augmented versions of it (what training sees).

    Args:
        images: a few images ``(R, 1, H, W)``, one row each.
        augment: a callable batch -> batch, e.g. ``cnnlib.augment.RandomAugment(seed=0)``.
        copies: augmented versions per image (default 5).
        names: optional row labels (e.g. class names).
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"draw_augmented expects images (R, C, H, W), got shape {images.shape}. "
                         "Hint: pick a few with x[:4], not one with x[0].")
    rows = len(images)
    fig = new_figure(1.1 * (copies + 1) + 1.6, 1.1 * rows + 0.6)
    axes = fig.subplots(rows, copies + 1, squeeze=False)
    versions = [images] + [augment(images) for _ in range(copies)]  # copies+1 batches of (R, 1, H, W)
    for r in range(rows):
        for col, batch in enumerate(versions):
            ax = axes[r, col]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.imshow(_gray(batch[r]), cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest")
        if names is not None:
            axes[r, 0].set_ylabel(str(names[r]), rotation=0, ha="right", va="center", fontsize=LABEL_SIZE)
    axes[0, 0].set_title("original", fontsize=LABEL_SIZE)
    for col in range(1, copies + 1):
        axes[0, col].set_title(f"copy {col}", fontsize=LABEL_SIZE)
    fig.suptitle(f"What training sees: {augment!r}", fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_class_balance(counts: dict, classes) -> Figure:
    """Bars of the number of images per class, one colour per split (``{"train": counts, "test": counts}``)."""
    fig = new_figure(10, 4.2)
    ax = fig.add_subplot()
    k = len(classes)
    width = 0.8 / len(counts)
    if len(counts) > len(SPLIT_STYLES):
        raise ValueError(f"draw_class_balance draws at most {len(SPLIT_STYLES)} splits, got {len(counts)}.")
    for s, (split, c) in enumerate(counts.items()):
        c = np.asarray(c)
        color, hatch = SPLIT_STYLES[s]
        bars = ax.bar(np.arange(k) + (s - (len(counts) - 1) / 2) * width, c, width, label=f"{split} ({c.sum():,})",
                      color=color, hatch=hatch, edgecolor="white" if not hatch else "#333333", linewidth=0.5)
        ax.bar_label(bars, labels=[f"{v:,}" for v in c], fontsize=LABEL_SIZE - 2, rotation=90, padding=2)
    ax.set_xticks(np.arange(k), classes, rotation=30, ha="right", fontsize=LABEL_SIZE - 1)
    ax.set_ylabel("images", fontsize=LABEL_SIZE)
    ax.set_ylim(0, max(np.max(c) for c in counts.values()) * 1.6)  # room for the labels and the legend
    ax.legend(fontsize=LABEL_SIZE - 1, loc="upper center", ncols=len(counts), title="split (colour and hatching)",
              title_fontsize=LABEL_SIZE - 1)
    ax.set_title("images per class", fontsize=TITLE_SIZE)
    return fig


def draw_training_curves(steps, batch_loss, batch_accuracy, epoch_steps=(), epoch_logs=(), *,
                         title: str | None = None) -> Figure:
    """Loss (left) and accuracy (right) against the batch number.

    Thin lines: every batch's value (noisy). Dots: each epoch's mean over the
    training batches (``loss``, ``accuracy``) and, when present, the scores on
    held-out data (``val_loss``, ``val_accuracy``) at the end of the epoch.
    """
    fig = new_figure(9.9, 3.8)  # 990 px: it fits a projected page (1024 px) at its natural size
    axes = fig.subplots(1, 2)
    for ax, key, values, label in ((axes[0], "loss", batch_loss, "cross-entropy loss"),
                                   (axes[1], "accuracy", batch_accuracy, "accuracy")):
        ax.plot(steps, values, color=TRAIN_COLOR, alpha=0.35, linewidth=1, label=f"batch {key}")
        for prefix, color, marker, dash, name in (("", TRAIN_COLOR, TRAIN_MARKER, "-", "training (epoch mean)"),
                                                  ("val_", VAL_COLOR, VAL_MARKER, "--", "validation")):
            pts = [(s, logs[prefix + key]) for s, logs in zip(epoch_steps, epoch_logs) if prefix + key in logs]
            if pts:
                xs, ys = zip(*pts)
                ax.plot(xs, ys, marker=marker, linestyle=dash, color=color, linewidth=2, markersize=7, label=name)
        ax.set_xlabel("batch", fontsize=LABEL_SIZE)
        ax.set_ylabel(label, fontsize=LABEL_SIZE)
        ax.tick_params(labelsize=LABEL_SIZE - 1)
        ax.grid(alpha=0.3)
        if key == "accuracy":
            ax.set_ylim(0, 1)
        if len(steps):
            ax.set_xlim(0, max(steps[-1], 1))
            ax.legend(fontsize=LABEL_SIZE - 1, loc="lower right" if key == "accuracy" else "upper right")
    if title:
        fig.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_confusion_matrix(cm, classes, *, title: str = "confusion matrix (test set)") -> Figure:
    """The matrix as a heat map with the counts written in; rows are true classes, columns predictions.

    One single-hue scale (light = few, dark = many) with a colour bar; it is
    a square-root scale, so that the few mistakes are not washed out by the
    large diagonal. The diagonal (the right answers) is outlined in black.
    """
    cm = np.asarray(cm)
    k = len(classes)
    if cm.shape != (k, k):
        raise ValueError(f"cm must be ({k}, {k}) for {k} classes, got shape {cm.shape}. "
                         "Hint: confusion_matrix(y_true, y_pred, num_classes=len(classes)).")
    fig = new_figure(9.5, 8)
    ax = fig.add_subplot()
    norm = PowerNorm(gamma=0.5, vmin=0, vmax=max(int(cm.max()), 1))
    im = ax.imshow(cm, cmap=COUNT_CMAP, norm=norm, interpolation="nearest")
    colours = im.cmap(norm(cm))  # (k, k, 4)
    dark = colours[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5
    for i in range(k):
        for j in range(k):
            ax.text(j, i, f"{cm[i, j]}", ha="center", va="center", fontsize=LABEL_SIZE,
                    color="white" if dark[i, j] else "black", fontweight="bold" if i == j else "normal")
        ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=DIAGONAL_EDGE, linewidth=2.5))
    ax.set_xticks(np.arange(k), classes, rotation=40, ha="right", fontsize=LABEL_SIZE - 1)
    ax.set_yticks(np.arange(k), classes, fontsize=LABEL_SIZE - 1)
    ax.set_xlabel("predicted class", fontsize=LABEL_SIZE)
    ax.set_ylabel("true class", fontsize=LABEL_SIZE)
    bar = fig.colorbar(im, ax=ax, shrink=0.8)
    bar.set_label("number of test images (square-root scale)", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=LABEL_SIZE - 1)
    acc = np.trace(cm) / max(cm.sum(), 1)
    ax.set_title(f"{title}: accuracy {acc:.3f}\noutlined diagonal: right answers; elsewhere: mistakes",
                 fontsize=TITLE_SIZE)
    return fig


def draw_confused_examples(x, y_true, y_pred, pairs, classes, *, per_pair: int = 6) -> Figure:
    """For each ``(true, predicted, count)`` pair, the first ``per_pair`` test images with that mistake."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    fig = new_figure(1.15 * per_pair + 2.8, 1.35 * len(pairs) + 0.6)
    axes = fig.subplots(len(pairs), per_pair, squeeze=False)
    for r, (t, p, count) in enumerate(pairs):
        idx = np.flatnonzero((y_true == t) & (y_pred == p))[:per_pair]
        for c in range(per_pair):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c < idx.size:
                ax.imshow(_gray(x[idx[c]]), cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest")
            else:
                ax.set_axis_off()
        axes[r, 0].set_ylabel(f"{classes[t]}\n→ {classes[p]}\n({count}×)", rotation=0, ha="right", va="center",
                              fontsize=LABEL_SIZE - 1)
    fig.suptitle("the most frequent mistakes: true class → predicted class", fontsize=TITLE_SIZE, fontweight="bold")
    return fig


def draw_filters(W, *, ncols: int = 8, title: str | None = None) -> Figure:
    """Every filter of a first conv layer ``(C_out, 1, KH, KW)`` as a small signed image (red +, blue −).

    All filters share one colour scale centred at 0, so their strengths compare.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 4 or W.shape[1] != 1:
        raise ValueError(f"draw_filters expects first-layer weights (C_out, 1, KH, KW), got shape {W.shape}.")
    n = W.shape[0]
    nrows = -(-n // ncols)
    fig = new_figure(1.1 * ncols + 0.8, 1.2 * nrows + 0.7)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    norm = robust_signed_norm(W, percentile=100)
    for f in range(nrows * ncols):
        ax = axes.flat[f]
        ax.set_axis_off()
        if f < n:
            im = ax.imshow(W[f, 0], cmap=SIGNED_CMAP, norm=norm, interpolation="nearest")
            ax.set_title(f"{f}", fontsize=LABEL_SIZE - 2)
    fig.colorbar(im, ax=axes, shrink=0.8, label="weight")
    fig.suptitle(title or f"the {n} learned {W.shape[2]}×{W.shape[3]} filters of the first layer",
                 fontsize=TITLE_SIZE, fontweight="bold")
    return fig
