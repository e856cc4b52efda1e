"""Lesson 13's widgets: the menus drive the figure, misclassified images are marked, every map is computed once."""
import re

import numpy as np
import pytest

from cnnlib.datasets import FASHION_MNIST_CLASSES as CLASSES
from cnnlib.networks import fashion_mnist_resnet
from cnnlib.widgets.explain import (PREDICTED, ExplanationSet, equivariance_widget, explain_widget)


@pytest.fixture(scope="module")
def explained():
    model = fashion_mnist_resnet(channels=(4, 8), seed=0)
    rng = np.random.default_rng(0)
    x = np.zeros((3, 1, 28, 28), np.float32)
    x[:, :, 4:24, 3:20] = rng.uniform(0.2, 1, (3, 1, 20, 17))
    s = ExplanationSet(model, x, [0, 0, 0], CLASSES)
    s.labels[:] = [s.predicted[0], (s.predicted[1] + 1) % 10, s.predicted[2]]  # image 1 misclassified
    return s


def test_the_image_menu_marks_misclassified_images(explained):
    options = explained.image_options()
    assert [v for _, v in options] == [0, 1, 2]
    assert options[0][0] == f"0: {CLASSES[explained.labels[0]]} ✔"
    assert options[1][0] == f"1: {CLASSES[explained.labels[1]]}, seen as {CLASSES[explained.predicted[1]]} ✘"


def test_the_class_defaults_to_the_predicted_one_and_each_map_is_computed_once(explained):
    v = explained.view(index=1)
    assert v.explanation.target == explained.predicted[1] and v.explanation.label == explained.labels[1]
    assert "✘ misclassified" in v.svg and v.message.startswith("Hiding the patch at rows ")
    again = explained.view(index=1, target=int(explained.predicted[1]), method="saliency")
    assert again.explanation is v.explanation  # (image, class) cached: only the SVG is redrawn
    other = explained.view(index=1, target=3)
    assert other.explanation.target == 3 and other.explanation is not v.explanation


def test_the_widget_redraws_on_every_menu_and_keeps_its_size(explained):
    w = explain_widget(explained)
    assert w.settings() == {"index": 0, "target": PREDICTED, "method": "all"}
    first = w.panel.svg.value
    w.controls["index"].value = 1
    w.controls["target"].value = 7
    w.controls["method"].value = "occlusion"
    assert w.panel.svg.value != first and "explaining the score of: Sneaker" in w.panel.svg.value
    size = first[:first.index("viewBox")]
    assert w.panel.svg.value.startswith(size)  # width and height unchanged
    assert len(w.cache) == 4
    with pytest.raises(ValueError, match="method must be"):
        explain_widget(explained, method="lime")


def test_bad_settings_are_named(explained):
    with pytest.raises(ValueError, match="index must be 0 to 2, got 3"):
        explained.view(index=3)
    with pytest.raises(ValueError, match="target must be a class 0 to 9"):
        explained.view(index=0, target=10)
    with pytest.raises(ValueError, match="one label per image"):
        ExplanationSet(explained.model, explained.images, [0])


def test_the_equivariance_widget_measures_each_image_once_and_marks_the_shift(explained):
    w = equivariance_widget(explained)
    assert w.settings() == {"index": 0, "shift": 1}
    view = explained.shift_view(0, shift=1)
    r = view.response
    np.testing.assert_array_equal(r.measured[0], [0, 1, 2, 3, 4])
    assert view.message.startswith("Shifted 1 px: predicted ") and f"{100 * r.logit_change[1]:.0f} %" in view.message
    assert "shift 1 px: maps moved 1, " in w.panel.svg.value
    w.controls["shift"].value = 3
    assert "shift 3 px: maps moved 3, " in w.panel.svg.value
    assert explained.shift_view(0, shift=3).response is r  # computed once per image
    w.controls["index"].value = 2
    assert set(explained._shifted) == {0, 2}
    with pytest.raises(ValueError, match="shift must be one of"):
        explained.shift_view(0, shift=5)


@pytest.mark.parametrize("labels, error, words", [
    ([0, -1, 2], ValueError, "got label -1 at index 1"),  # would name the last class
    ([0, 1, 10], ValueError, "got label 10 at index 2"),
    ([0.0, 1.7, 2.0], TypeError, "must be integer class indices, got dtype float64"),  # would be cut to 1
    ([0, 1], ValueError, "one label per image"),
])
def test_explanation_set_refuses_labels_it_would_misname(explained, labels, error, words):
    with pytest.raises(error, match=re.escape(words)):
        ExplanationSet(explained.model, explained.images, labels, CLASSES)


def test_explanation_set_refuses_class_names_that_do_not_match_the_model(explained):
    with pytest.raises(ValueError, match="got 3 class names, but the model scores 10 classes"):
        ExplanationSet(explained.model, explained.images, [0, 1, 2], CLASSES[:3])


@pytest.mark.parametrize("target, error", [(2.7, TypeError), (True, TypeError), (10, ValueError), (-2, ValueError)])
def test_explanation_refuses_a_target_that_is_not_a_class(explained, target, error):
    with pytest.raises(error, match="target must be a class"):
        explained.explanation(0, target)
