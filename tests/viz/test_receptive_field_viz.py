"""The receptive-field SVG: the marked regions are the ones cnnlib.shapes computes, readable from the back of the
room at 1024×768, the same size for every layer and unit, and not told apart by colour alone."""
import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread
from matplotlib.textpath import TextToPath

from cnnlib.demos.receptive_field import receptive_field_layout
from cnnlib.networks import cifar_cnn
from cnnlib.shapes import receptive_field, receptive_field_region
from cnnlib.viz.receptive_field import (FIELD_EDGE, FIELD_HALO, RING, SEEN_EDGE, UNIT_FILL, draw_receptive_field,
                                        panel_layout, receptive_field_size)
from cnnlib.viz.svg import MIN_FONT_PX, text_width

NS = "{http://www.w3.org/2000/svg}"
LAYERS = cifar_cnn().layers[:8]
SPATIAL = [0, 2, 3, 5, 6]  # model.layers indices of the convs and pools
BOLD = TextToPath()  # measures bold text (svg.text_width measures regular)
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed


def _root(layer, i, j, image=None, layers=LAYERS, size=(32, 32)):
    return ET.fromstring(draw_receptive_field(receptive_field_layout(layers, size, layer, i, j), image))


def _box(rect):
    return tuple(round(float(rect.get(k)), 2) for k in ("x", "y", "width", "height"))  # SVG numbers: 6 digits


def _rects(root, stroke, width):
    """The grid marks outlined in ``stroke`` at ``width`` px (the table's swatches, under the grids, left out)."""
    return [_box(r) for r in root.iter(f"{NS}rect") if r.get("stroke") == stroke
            and float(r.get("stroke-width")) == width and float(r.get("y")) < _table_top(root)]


def _table_top(root):
    """The y of the table's first line (its "input"), below every grid."""
    return max(float(t.get("y")) for t in root.iter(f"{NS}text") if t.text == "input") - 20


def _expected_box(panel, region):
    (t, b), (l, r) = region
    box = (panel.x + l * panel.cell, panel.y + t * panel.cell, (r - l) * panel.cell, (b - t) * panel.cell)
    return tuple(round(v, 2) for v in box)


@pytest.mark.parametrize("layer, i, j", [(2, 1, 3), (6, 2, 1), (3, 12, 0), (5, 5, 5)])
def test_marked_regions_are_the_receptive_fields_cnnlib_shapes_computes(layer, i, j):
    root = _root(layer, i, j)
    sizes = [(32, 32)] + [rf.output_size for rf in receptive_field(LAYERS, (32, 32))]
    panels = panel_layout(sizes)
    stage = SPATIAL.index(layer) + 1
    # The input: the unit's receptive field (the calculator's last row for the layers up to the unit's), dashed green.
    rf = receptive_field(LAYERS[:layer + 1], (32, 32))[-1]
    field = _expected_box(panels[0], receptive_field_region(rf, i, j, (32, 32)))
    assert _rects(root, FIELD_EDGE, 4) == [field]
    # ... on a wider white band, so that it shows on any photo (under deuteranopia its green looks gray). The band
    # reaches 2 px inside the field, as the 4-px dashes do (its 7 px centred 1.5 px outside), and lies under them.
    x, y, w, h = field
    assert _rects(root, FIELD_HALO, 7) == [(round(x - 1.5, 2), round(y - 1.5, 2), round(w + 3, 2), round(h + 3, 2))]
    strokes = [r.get("stroke") for r in root.iter(f"{NS}rect") if r.get("stroke") in (FIELD_HALO, FIELD_EDGE)]
    assert strokes.index(FIELD_HALO) < strokes.index(FIELD_EDGE), "the white band must be drawn under the dashes"
    # Stage s (the output of layer SPATIAL[s-1]): the field of the layers after it up to the unit's, on its own grid.
    expected = []
    for s in range(1, stage):
        after = receptive_field(LAYERS[SPATIAL[s - 1] + 1:layer + 1])[-1]  # the layers from stage s to the unit
        expected.append(_expected_box(panels[s], receptive_field_region(after, i, j, sizes[s])))
    assert _rects(root, SEEN_EDGE, 2.5) == expected
    # The unit: a vermillion cell in a black ring 3.5 px outside it.
    p = panels[stage]
    unit = [_box(r) for r in root.iter(f"{NS}rect")
            if r.get("fill") == UNIT_FILL and float(r.get("y")) < _table_top(root)]
    assert unit == [_expected_box(p, ((i, i + 1), (j, j + 1)))]
    x, y, w, h = _expected_box(p, ((i, i + 1), (j, j + 1)))
    assert _rects(root, RING, 3) == [tuple(round(v, 2) for v in (x - 3.5, y - 3.5, w + 7, h + 7))]


def test_the_table_names_every_stage_and_says_what_the_unit_depends_on():
    texts = [t.text for t in _root(3, 6, 2).iter(f"{NS}text")]
    assert texts[0] == "unit (6, 2) of layer 3 sees 8×8 input pixels"
    assert "moves its window 2 input pixels (the jump)" in texts[1]
    table = texts[-12:]  # six stages: name, then what the unit depends on there
    assert table[0::2] == ["input", "0 · Conv2D 3×3", "2 · MaxPool2D 2×2 stride 2", "3 · Conv2D 3×3",
                           "5 · MaxPool2D 2×2 stride 2", "6 · Conv2D 3×3"]
    assert table[1::2] == ["receptive field 8×8: rows 12–19, columns 4–11", "depends on 6×6: rows 12–17, columns 4–9",
                           "depends on 3×3: rows 6–8, columns 2–4", "the unit (6, 2)",
                           "after the unit: not part of its field", "after the unit: not part of its field"]


def test_a_unit_of_the_first_conv_is_a_cell_of_at_least_6_px_in_a_ring():
    root = _root(0, 20, 7)
    p = panel_layout([(32, 32), (30, 30), (15, 15), (13, 13), (6, 6), (4, 4)])[1]
    assert p.cell >= 6
    (x, y, w, h), = _rects(root, RING, 3)
    assert w == h == round(p.cell + 7, 2)  # the ring: a 3 px black square around the cell, ≥ 13 px across


@pytest.mark.parametrize("layer, i, j", [(0, 0, 0), (0, 29, 29), (2, 14, 14), (5, 5, 5), (6, 3, 3)])
def test_text_is_at_least_18px_fits_inside_and_the_size_never_changes(layer, i, j):
    root = _root(layer, i, j)
    width, height = float(root.get("width")), float(root.get("height"))
    assert (width, height) == receptive_field_size(receptive_field_layout(LAYERS, (32, 32), 6, 0, 0))
    assert width <= PROJECTOR_CONTENT_PX
    spans = []
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size").removesuffix("px"))
        assert size >= MIN_FONT_PX, t.text
        w = text_width(t.text, size)
        if t.get("font-weight") == "bold":
            w = BOLD.get_text_width_height_descent(t.text, FontProperties(family="DejaVu Sans", size=size,
                                                                          weight="bold"), ismath=False)[0]
        x = float(t.get("x"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert 0 <= left and left + w <= width, f"{t.text!r} runs out of the figure"
        spans.append((float(t.get("y")), left, left + w, t.text))
    label_y = min(y for y, *_, text in spans if text == "input")  # the line above the grids (the table has one too)
    labels = sorted((s for s in spans if s[0] == label_y), key=lambda s: s[1])
    assert [s[3] for s in labels] == ["input", "layer 0", "layer 2", "layer 3", "layer 5", "layer 6"]
    assert all(a[2] < b[1] for a, b in zip(labels, labels[1:])), "the layer labels above the grids overlap"


def test_the_photo_is_under_the_input_grid_and_the_svg_stays_small():
    photo = np.random.default_rng(0).random((32, 32, 3))
    svg = draw_receptive_field(receptive_field_layout(LAYERS, (32, 32), 6, 2, 1), photo)
    image, = ET.fromstring(svg).iter(f"{NS}image")
    p = panel_layout([(32, 32)] + [rf.output_size for rf in receptive_field(LAYERS, (32, 32))])[0]
    assert _box(image) == _expected_box(p, ((0, 32), (0, 32)))
    pixels = imread(io.BytesIO(base64.b64decode(image.get("href").split(",", 1)[1])))
    np.testing.assert_allclose(pixels[..., :3], np.round(photo * 255) / 255, atol=1e-6)
    assert len(svg) < 25_000  # a redraw sends a few kilobytes: one path per grid, not a rectangle per cell


def test_too_many_stages_to_fit_is_a_clear_error():
    with pytest.raises(ValueError, match=r"13 stages do not fit side by side in 800 px.*fewer layers"):
        panel_layout([(64, 64)] * 13)


def test_spec_tuples_and_another_input_size():
    layers = [(3, 1), (2, 2), (3, 1, 1)]
    root = _root(2, 2, 5, layers=layers, size=(16, 16))
    panels = panel_layout([(16, 16), (14, 14), (7, 7), (7, 7)])
    region = receptive_field_region(receptive_field(layers, (16, 16))[-1], 2, 5, (16, 16))
    assert _rects(root, FIELD_EDGE, 4) == [_expected_box(panels[0], region)]
    assert float(root.get("width")) <= PROJECTOR_CONTENT_PX
