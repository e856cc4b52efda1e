import numpy as np
import pytest
from matplotlib.colors import to_hex

from cnnlib.profiling import PartTime
from cnnlib.augment import RandomAugment
from cnnlib.viz.training import COUNT_CMAP, SPLIT_COLORS
from cnnlib.viz import (draw_augmented, draw_class_balance, draw_confused_examples, draw_confusion_matrix, draw_filters,
                        draw_profile, draw_samples, draw_timings, draw_training_curves)

CLASSES = ("a", "b", "c")
MIN_PT = 9  # 12 px at 100 dpi: the classroom's minimum
rng = np.random.default_rng(0)
X = rng.random((30, 1, 6, 6)).astype(np.float32)
Y = np.arange(30) % 3


def test_samples_grid_has_one_row_per_class_with_its_name():
    fig = draw_samples(X, Y, CLASSES, per_class=4)
    assert len(fig.axes) == 12
    labels = [ax.get_ylabel() for ax in fig.axes[::4]]
    assert labels == ["0: a", "1: b", "2: c"]
    first_row_images = [ax.images[0].get_array() for ax in fig.axes[:4]]
    for img in first_row_images:  # every image of row 0 is an image of class 0
        assert any(np.allclose(img, X[i, 0]) for i in np.flatnonzero(Y == 0))


def test_class_balance_bars_are_the_counts():
    fig = draw_class_balance({"train": [5, 6, 7], "test": [1, 2, 3]}, CLASSES)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [5, 6, 7, 1, 2, 3]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["train (18)", "test (6)"]


def test_class_balance_splits_differ_in_hatching_too_and_the_legend_names_them():
    fig = draw_class_balance({"train": [5, 6, 7], "test": [1, 2, 3]}, CLASSES)
    bars = fig.axes[0].patches
    assert {b.get_hatch() or "" for b in bars[:3]} != {b.get_hatch() or "" for b in bars[3:]}
    assert {to_hex(b.get_facecolor()).upper() for b in bars[:3]} == {SPLIT_COLORS[0]}
    assert [h.get_hatch() or "" for h in fig.axes[0].get_legend().legend_handles] == ["", "//"]
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= MIN_PT  # the counts on the bars


def test_training_curves_plot_batches_and_epoch_marks():
    fig = draw_training_curves([1, 2, 3, 4], [2.0, 1.5, 1.0, 0.8], [0.1, 0.3, 0.5, 0.6], [2, 4],
                               [{"loss": 1.7, "accuracy": 0.2, "val_loss": 1.2}, {"loss": 0.9, "accuracy": 0.55,
                                                                                   "val_loss": 1.0}])
    loss_ax, acc_ax = fig.axes
    by_label = {line.get_label(): line for line in loss_ax.lines}
    np.testing.assert_allclose(by_label["training (epoch mean)"].get_ydata(), [1.7, 0.9])
    np.testing.assert_allclose(by_label["validation"].get_xdata(), [2, 4])
    assert "validation" not in {line.get_label() for line in acc_ax.lines}  # no val_accuracy given
    train, val = by_label["training (epoch mean)"], by_label["validation"]
    assert train.get_marker() != val.get_marker() and train.get_linestyle() != val.get_linestyle()  # not colour only
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["batch loss", "training (epoch mean)",
                                                                       "validation"]


def test_confusion_matrix_writes_every_count():
    cm = np.array([[5, 1, 0], [2, 7, 0], [0, 3, 9]])
    fig = draw_confusion_matrix(cm, CLASSES)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == [str(v) for v in cm.ravel()]
    assert "accuracy 0.778" in fig.axes[0].get_title()
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= MIN_PT


def test_confusion_matrix_is_one_hue_with_a_colour_bar_and_an_outlined_diagonal():
    cm = np.array([[50, 1, 0], [2, 70, 0], [0, 3, 90]])
    fig = draw_confusion_matrix(cm, CLASSES)
    ax, bar = fig.axes
    (im,) = ax.images  # one image, one colour map for every cell: no red/green pair
    assert im.get_cmap().name == COUNT_CMAP
    np.testing.assert_array_equal(im.get_array(), cm)
    assert bar.get_ylabel().startswith("number of test images") and bar.get_ylim()[1] >= cm.max()
    outlined = sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in ax.patches if not p.get_fill())
    assert outlined == [(0, 0), (1, 1), (2, 2)]
    assert "outlined diagonal: right answers" in ax.get_title()
    dark_cell = ax.texts[8]  # 90: the darkest cell gets white text
    assert dark_cell.get_color() == "white" and ax.texts[1].get_color() == "black"
    with pytest.raises(ValueError, match=r"cm must be \(3, 3\) for 3 classes, got shape \(2, 2\)"):
        draw_confusion_matrix(np.eye(2), CLASSES)


def test_confused_examples_show_only_that_mistake():
    y_pred = Y.copy()
    y_pred[[0, 3, 6]] = 1  # three 0s predicted as 1
    fig = draw_confused_examples(X, Y, y_pred, [(0, 1, 3)], CLASSES, per_pair=4)
    shown = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(shown) == 3
    for img, i in zip(shown, [0, 3, 6]):
        np.testing.assert_allclose(img, X[i, 0])
    assert fig.axes[0].get_ylabel() == "a\n→ b\n(3×)"


def test_filters_share_one_signed_scale():
    W = rng.standard_normal((5, 1, 3, 3))
    fig = draw_filters(W, ncols=4)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 5
    assert {im.norm.vmax for im in images} == {np.abs(W).max()}
    with pytest.raises(ValueError, match="first-layer weights"):
        draw_filters(np.zeros((4, 3, 3, 3)))


def test_timing_and_profile_charts():
    fig = draw_timings(["slow", "fast"], [1.0, 0.01])
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == [" 1.00 s   (slowest)", " 10.0 ms   100× faster"]
    rows = [PartTime("0 Conv2D", "forward", 3.0), PartTime("CrossEntropy", "loss", 1.0),
            PartTime("0 Conv2D", "backward", 6.0)]
    fig = draw_profile(rows)
    assert [p.get_width() for p in fig.axes[0].patches[:3]] == [3.0, 1.0, 6.0]
    assert "10 ms in total" in fig.axes[0].get_title()


def test_augmented_grid_shows_the_original_then_flipped_copies():
    fig = draw_augmented(X[:2], RandomAugment(flip=True, max_shift=0, seed=0), copies=3, names=["a", "b"])
    assert len(fig.axes) == 8
    assert [ax.get_title() for ax in fig.axes[:4]] == ["original", "copy 1", "copy 2", "copy 3"]
    assert fig.axes[0].get_ylabel() == "a" and fig.axes[4].get_ylabel() == "b"
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), X[0, 0])
    for ax in fig.axes[1:4]:  # a flip-only augmentation shows the image or its mirror
        shown = ax.images[0].get_array()
        assert np.allclose(shown, X[0, 0]) or np.allclose(shown, X[0, 0, :, ::-1])
    assert any("RandomAugment(flip=True, max_shift=0, seed=0)" in t.get_text() for t in fig.texts)
    with pytest.raises(ValueError, match=r"expects images \(R, C, H, W\), got shape \(1, 6, 6\)"):
        draw_augmented(X[0], RandomAugment())
