"""Lesson 13's widgets: what the network sees in a test image (three methods side by side); shifts through it.

:class:`ExplanationSet` holds a trained model and a few test images. Its
:meth:`~ExplanationSet.view` draws one image and one class
(:func:`cnnlib.viz.explain.draw_explanation`); each ``(image, class)`` is
computed the first time it is shown and kept, so going back is instant.
:func:`explain_widget` puts an image menu (misclassified images marked ✘), a
class menu (default: the predicted class) and a method menu above it;
:func:`equivariance_widget` an image menu and a shift slider above the shift figure.

>>> from cnnlib.networks import fashion_mnist_resnet
>>> s = ExplanationSet(fashion_mnist_resnet(channels=(4, 8)), np.zeros((2, 1, 28, 28)), [0, 1], CLASSES)
>>> s.view(index=1).explanation.label
1
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .._checks import check_labels, check_nchw, check_numeric, check_positive_int
from ..datasets import FASHION_MNIST_CLASSES as CLASSES
from ..demos.explain import ImageExplanation, explain_image, probabilities
from ..demos.shifts import ShiftResponse, shift_response
from ..viz.explain import METHODS, draw_explanation, draw_shift_response
from .view_widget import ViewWidget

MAX_SHIFT = 4  # the shift slider: 0 to 4 px, the shifts shift_response measures by default
PREDICTED = -1  # the class menu's first entry: whatever the model predicts for the image
METHOD_OPTIONS = (("all three side by side", "all"), ("saliency over the image", "saliency"),
                  ("occlusion over the image", "occlusion"), ("Grad-CAM over the image", "grad_cam"))


@dataclass(frozen=True)
class ExplanationView:
    """What the explanation widget drew: the SVG, the explanation and the sentence under it."""

    svg: str
    explanation: ImageExplanation
    message: str


@dataclass(frozen=True)
class EquivarianceView:
    """What the equivariance widget drew: the SVG, the measurements and the sentence under it."""

    svg: str
    response: ShiftResponse
    message: str


class ExplanationSet:
    """A model and test images ``(N, C, H, W)`` with their ``labels``; explanations computed once each, on demand.

    Args:
        model: a trained ``Sequential`` classifier (e.g. ``fashion_mnist_resnet``).
        images, labels: the test images and their true classes.
        classes: the class names.
        cam_layer, patch, stride: as :func:`cnnlib.demos.explain.explain_image` takes them.
    """

    def __init__(self, model, images, labels, classes=CLASSES, *, cam_layer: int = 7, patch: int = 7,
                 stride: int = 3) -> None:
        self.model = model
        self.images = check_nchw(images, "images", "ExplanationSet").astype(np.float32, copy=False)
        self.classes = list(classes)
        labels = check_numeric(labels, "labels")
        if labels.ndim != 1 or len(self.images) != len(labels) or len(self.images) == 0:
            raise ValueError(f"ExplanationSet needs one label per image (at least one image), got images of shape "
                             f"{self.images.shape} and labels of shape {labels.shape}. Hint: pass x_test[:n] "
                             "with y_test[:n].")
        self.labels = check_labels(labels, len(self.classes), "ExplanationSet")
        self.options = dict(cam_layer=cam_layer, patch=patch, stride=stride)
        p = probabilities(model, self.images)  # (N, K)
        if p.shape[1] != len(self.classes):
            raise ValueError(f"ExplanationSet got {len(self.classes)} class names, but the model scores "
                             f"{p.shape[1]} classes. Hint: pass the class names of the model's dataset, e.g. "
                             "FASHION_MNIST_CLASSES.")
        self.predicted = p.argmax(axis=1)  # (N,)
        self._explained: dict = {}
        self._shifted: dict = {}

    def image_options(self) -> list[tuple[str, int]]:
        """The image menu: ``"3: Sneaker ✔"``, or ``"5: Shirt, seen as T-shirt/top ✘"`` when misclassified."""
        options = []
        for i, (y, p) in enumerate(zip(self.labels, self.predicted)):
            text = f"{i}: {self.classes[y]} ✔" if y == p else f"{i}: {self.classes[y]}, seen as {self.classes[p]} ✘"
            options.append((text, i))
        return options

    def explanation(self, index: int, target: int = PREDICTED) -> ImageExplanation:
        """The three maps of image ``index`` for class ``target`` (``PREDICTED``: the predicted class), cached."""
        index = check_positive_int(index, "index", minimum=0)
        if index >= len(self.images):
            raise ValueError(f"index must be 0 to {len(self.images) - 1}, got {index!r}. Hint: "
                             f"there are {len(self.images)} images.")
        if isinstance(target, (bool, np.bool_)) or not isinstance(target, numbers.Integral):
            raise TypeError(f"target must be a class index or PREDICTED, got {target!r}. Hint: e.g. target=7.")
        t = int(self.predicted[index]) if target == PREDICTED else int(target)
        if not 0 <= t < len(self.classes):
            raise ValueError(f"target must be a class 0 to {len(self.classes) - 1} or PREDICTED, got {target!r}. "
                             "Hint: class indices count from 0.")
        if (index, t) not in self._explained:
            self._explained[index, t] = explain_image(self.model, self.images[index], t,
                                                      label=int(self.labels[index]), **self.options)
        return self._explained[index, t]

    def view(self, index: int = 0, target: int = PREDICTED, method: str = "all") -> ExplanationView:
        """Image ``index`` and its saliency, occlusion and Grad-CAM for class ``target`` (SVG)."""
        e = self.explanation(index, target)
        svg = draw_explanation(e, self.classes, method=method)
        i, j = np.unravel_index(np.nanargmax(e.occlusion_drop), e.occlusion_drop.shape)
        message = (f"Hiding the patch at rows {i * e.stride}–{i * e.stride + e.patch - 1}, columns "
                   f"{j * e.stride}–{j * e.stride + e.patch - 1} lowers p({self.classes[e.target]}) most: by "
                   f"{e.occlusion_drop[i, j]:.2f} (from {e.probabilities[e.target]:.2f}).")
        return ExplanationView(svg, e, message)

    def shift_view(self, index: int = 0, shift: int = 1) -> EquivarianceView:
        """Image ``index`` shifted right by 0 … 4 px: how far the maps move, how much maps and logits change (SVG).

        The measurement of an image is computed once; ``shift`` only moves the marked shift.
        """
        if not 0 <= index < len(self.images):
            raise ValueError(f"index must be 0 to {len(self.images) - 1}, got {index!r}.")
        if index not in self._shifted:
            self._shifted[index] = shift_response(self.model, self.images[index])
        r = self._shifted[index]
        if shift not in r.shifts:
            raise ValueError(f"shift must be one of {r.shifts.tolist()} px, got {shift!r}.")
        k = int(np.flatnonzero(r.shifts == shift)[0])
        message = (f"Shifted {shift} px: predicted {self.classes[r.predicted[k]]} with p = {r.probability[k]:.2f} "
                   f"(unshifted: {self.classes[r.predicted[0]]}, p = {r.probability[0]:.2f}); compared in place, "
                   f"the layer-{r.layers[0]} maps changed by {100 * r.map_change[0, k]:.0f} %, the logits by "
                   f"{100 * r.logit_change[k]:.0f} %.")
        return EquivarianceView(draw_shift_response(r, current=shift), r, message)


def explain_widget(explained: ExplanationSet, index: int = 0, target: int = PREDICTED,
                   method: str = "all") -> ViewWidget:
    """An image menu (✘: misclassified), a class menu (first: the predicted class) and a method menu.

    Each ``(image, class)`` is computed when first shown (a fraction of a
    second) and kept: going back to it only redraws the SVG.
    """
    if method not in ("all", *METHODS):
        raise ValueError(f"method must be 'all' or one of {METHODS}, got {method!r}.")
    style = {"description_width": "60px"}
    classes = [("the predicted class", PREDICTED)] + [(name, k) for k, name in enumerate(explained.classes)]
    controls = {
        "index": widgets.Dropdown(options=explained.image_options(), value=index, description="image", style=style,
                                  layout=widgets.Layout(width="360px")),
        "target": widgets.Dropdown(options=classes, value=target, description="class", style=style,
                                   layout=widgets.Layout(width="280px")),
        "method": widgets.Dropdown(options=METHOD_OPTIONS, value=method, description="show", style=style,
                                   layout=widgets.Layout(width="320px")),
    }
    return ViewWidget(controls, [explained.view],
                      layout=widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")))


def equivariance_widget(explained: ExplanationSet, index: int = 0, shift: int = 1) -> ViewWidget:
    """An image menu and a shift slider (0 to 4 px) above :meth:`ExplanationSet.shift_view`."""
    style = {"description_width": "60px"}
    controls = {"index": widgets.Dropdown(options=explained.image_options(), value=index, description="image",
                                          style=style, layout=widgets.Layout(width="360px")),
                "shift": widgets.IntSlider(value=shift, min=0, max=MAX_SHIFT, description="shift (px)",
                                           style={"description_width": "80px"}, layout=widgets.Layout(width="320px"))}
    return ViewWidget(controls, [explained.shift_view], layout=widgets.HBox(list(controls.values())))
