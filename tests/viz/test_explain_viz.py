"""Lesson 13's SVG figures: the embedded pictures are the maps, the size never changes, text is projector-sized."""
import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib import colormaps
from PIL import Image

from cnnlib.datasets import FASHION_MNIST_CLASSES as CLASSES
from cnnlib.demos.explain import ImageExplanation, explain_image
from cnnlib.demos.shifts import shift_response
from cnnlib.networks import fashion_mnist_resnet
from cnnlib.viz.explain import (EXPLANATION_H, METHODS, OVERLAY_ALPHA, SHIFT_H, WIDTH, draw_explanation,
                                draw_shift_response, method_limits, method_values)
from cnnlib.viz.svg import MIN_FONT_PX, text_width

NS = "{http://www.w3.org/2000/svg}"


def _pixels(element) -> np.ndarray:
    data = element.get("href").removeprefix("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def _colours(values, cmap, lo, hi) -> np.ndarray:
    scaled = np.clip((np.nan_to_num(values, nan=lo) - lo) / (hi - lo), 0, 1)
    return colormaps[cmap](scaled, bytes=True)[..., :3].astype(int)


@pytest.fixture(scope="module")
def explanation():
    model = fashion_mnist_resnet(channels=(4, 8), seed=0)
    x = np.zeros((1, 28, 28), np.float32)
    x[0, 4:24, 3:20] = np.random.default_rng(0).uniform(0.2, 1, (20, 17))
    return explain_image(model, x, label=0), model, x


def _check_projector_sized(svg: str, height: int) -> ET.Element:
    root = ET.fromstring(svg)
    assert (float(root.get("width")), float(root.get("height"))) == (WIDTH, height)
    assert WIDTH <= 800
    texts = list(root.iter(f"{NS}text"))
    sizes = [float(t.get("font-size").removesuffix("px")) for t in texts]
    assert sizes and min(sizes) >= MIN_FONT_PX
    for t in texts:  # left-anchored text ends inside the figure
        if t.get("text-anchor") == "start":
            right = float(t.get("x")) + text_width(t.text, float(t.get("font-size").removesuffix("px")))
            assert right <= WIDTH, f"{t.text!r} ends at {right:.0f} px"
    return root


@pytest.mark.parametrize("method", ["all", *METHODS])
def test_every_method_gives_the_same_size_and_projector_text(explanation, method):
    e, _, _ = explanation
    _check_projector_sized(draw_explanation(e, CLASSES, method=method), EXPLANATION_H)


def test_the_embedded_pictures_decode_to_the_image_and_the_three_maps(explanation):
    e, _, _ = explanation
    root = ET.fromstring(draw_explanation(e, CLASSES))
    images = [im for im in root.iter(f"{NS}image") if im.get("width") == im.get("height")]  # not the colour bars
    photo, *maps = images
    np.testing.assert_array_equal(_pixels(photo), _colours(e.image, "gray", 0, 1))
    assert len(maps) == 3
    for name, element in zip(METHODS, maps):
        cmap, lo, hi, _ = method_limits(e, name)
        np.testing.assert_array_equal(_pixels(element), _colours(method_values(e, name), cmap, lo, hi), err_msg=name)
    assert method_values(e, "saliency").max() == pytest.approx(1.0)  # saliency divided by its peak
    _, lo, hi, _ = method_limits(e, "occlusion")
    assert lo == -hi and hi == pytest.approx(max(np.nanmax(np.abs(e.occlusion)), 0.01))  # signed, symmetric


def test_a_chosen_method_is_blended_over_the_image_and_its_panel_framed(explanation):
    e, _, _ = explanation
    root = ET.fromstring(draw_explanation(e, CLASSES, method="grad_cam"))
    overlay = next(im for im in root.iter(f"{NS}image") if im.get("width") == im.get("height"))
    expected = (1 - OVERLAY_ALPHA) * np.clip(e.image, 0, 1)[..., None] * 255 + OVERLAY_ALPHA * colormaps["viridis"](
        e.grad_cam)[..., :3] * 255
    assert np.abs(_pixels(overlay) - expected).max() <= 1
    groups = [g.get("class") for g in root.iter(f"{NS}g")]
    assert "highlight" in groups
    assert "highlight" not in [g.get("class") for g in ET.fromstring(draw_explanation(e, CLASSES)).iter(f"{NS}g")]


def test_the_header_names_the_classes_and_marks_a_misclassified_image(explanation):
    e, _, _ = explanation
    texts = [t.text for t in ET.fromstring(draw_explanation(e, CLASSES)).iter(f"{NS}text")]
    right = e.predicted == e.label
    assert texts[0].startswith(f"true: {CLASSES[e.label]} · predicted: {CLASSES[e.predicted]}")
    assert texts[0].endswith("✔ right" if right else "✘ misclassified")
    fields = {k: getattr(e, k) for k in ImageExplanation.__dataclass_fields__}
    flipped = ImageExplanation(**{**fields, "label": (e.predicted + 1) % 10})
    assert ET.fromstring(draw_explanation(flipped, CLASSES)).find(f"{NS}text").text.endswith("✘ misclassified")
    with pytest.raises(ValueError, match="method must be one of"):
        draw_explanation(e, CLASSES, method="lime")


def test_the_shift_figure_plots_the_measured_moves_and_changes(explanation):
    _, model, x = explanation
    r = shift_response(model, x)
    root = _check_projector_sized(draw_shift_response(r), SHIFT_H)
    groups = {g.get("class"): g for g in root.iter(f"{NS}g")}
    assert {"moved layer-2", "moved layer-5", "moved layer-7", "changed logits"} <= set(groups)
    line = groups["moved layer-2"].find(f"{NS}polyline")
    ys = [float(p.split(",")[1]) for p in line.get("points").split()]
    assert ys == sorted(ys, reverse=True) and len(ys) == 5  # moved 0, 1, 2, 3, 4 px: climbing
    assert len(groups["changed logits"].findall(f"{NS}polygon")) == 5  # one X marker per shift


def test_the_mirrored_bars_figure_draws_the_three_pictures_and_the_read_half():
    from cnnlib.demos.explain import mirrored_bars
    from cnnlib.viz.explain import BARS_H, draw_mirrored_bars

    m = mirrored_bars()
    root = _check_projector_sized(draw_mirrored_bars(m), BARS_H)
    groups = {g.get("class"): g for g in root.iter(f"{NS}g")}
    np.testing.assert_array_equal(_pixels(groups["map Grad-CAM"].find(f"{NS}image")),
                                  _colours(m.grad_cam, "viridis", 0, 1))
    peak = np.abs(m.saliency).max()
    np.testing.assert_array_equal(_pixels(groups["map saliency"].find(f"{NS}image")),
                                  _colours(m.saliency, "RdBu_r", -peak, peak))
    boxes = [r for r in root.iter(f"{NS}rect") if r.get("stroke-dasharray") == "6 4"]
    assert len(boxes) == 3 and {float(b.get("width")) for b in boxes} == {58.0}  # 6 of 12 columns of 116 px


def test_the_current_shift_is_marked_in_both_plots_and_written(explanation):
    _, model, x = explanation
    r = shift_response(model, x)
    root = _check_projector_sized(draw_shift_response(r, current=2), SHIFT_H)
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("class") == "current shift"]
    lines = group.findall(f"{NS}line")
    assert len(lines) == 2 and all(ln.get("x1") == ln.get("x2") for ln in lines)
    text = group.find(f"{NS}text").text
    assert text == f"shift 2 px: maps moved 2, {int(r.measured[1, 2])}, {int(r.measured[2, 2])} px; logits changed " \
                   f"{100 * r.logit_change[2]:.0f} %"
    assert "current shift" not in draw_shift_response(r)
    with pytest.raises(ValueError, match="one of the measured shifts"):
        draw_shift_response(r, current=7)
