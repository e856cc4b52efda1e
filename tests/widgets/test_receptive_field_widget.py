import xml.etree.ElementTree as ET

from cnnlib.shapes import receptive_field, receptive_field_region
from cnnlib.widgets import receptive_field_view, receptive_field_widget
from cnnlib.widgets.receptive_field import MENU_WIDTH, SLIDER_WIDTH

NS = "{http://www.w3.org/2000/svg}"


def test_default_view_is_the_32x32x3_network_on_a_photo_patch():
    view = receptive_field_view()
    assert view.layout.sizes == ((32, 32), (30, 30), (15, 15), (13, 13), (6, 6), (4, 4))
    assert view.input_region == ((0, 18), (0, 18))
    assert len(list(ET.fromstring(view.svg).iter(f"{NS}image"))) == 1  # the photo patch, under the input grid
    assert "receptive field 18×18, input rows 0..17" in view.message


def test_view_input_region_matches_the_calculator():
    layers = [(3, 1), (2, 2), (3, 1, 1)]
    view = receptive_field_view(layer=2, i=2, j=5, layers=layers, input_size=(16, 16))  # layers[2]
    rf = receptive_field(layers, (16, 16))[-1]
    assert view.input_region == receptive_field_region(rf, 2, 5, input_size=(16, 16))
    assert not list(ET.fromstring(view.svg).iter(f"{NS}image"))  # no photo: a grid


def test_widget_sliders_follow_the_layer_size():
    box = receptive_field_widget()
    menu, row_s, col_s = box.controls["layer"], box.controls["i"], box.controls["j"]
    assert [v for _, v in menu.options] == [0, 2, 3, 5, 6]  # model.layers indices of the convs and pools
    assert menu.options[0][0] == "0 · Conv2D 3×3 (30×30)"
    assert (row_s.max, col_s.max) == (3, 3)
    menu.value = 0
    assert (row_s.max, col_s.max) == (29, 29)
    row_s.value, col_s.value = 20, 7
    assert "input rows 20..22, columns 7..9" in box.panel.message.value
    menu.value = 5  # 6×6: the sliders are clamped before drawing
    assert (row_s.value, col_s.value) == (5, 5)
    assert "unit (5, 5) of layer 5 · MaxPool2D" in box.panel.message.value
    assert len(box.cache) == 5  # one picture per move: none for the unclamped (5, 20, 7)
    assert box.panel.svg.value == receptive_field_view(5, 5, 5).svg  # drawn as SVG, not a PNG
    assert box.panel.svg.layout.display != "none" and box.panel.image.layout.display == "none"


def test_figure_size_is_the_same_for_every_layer_and_unit():
    sizes = {(ET.fromstring(receptive_field_view(layer, i, j).svg).get("width"),
              ET.fromstring(receptive_field_view(layer, i, j).svg).get("height"))
             for layer, i, j in [(0, 0, 0), (0, 29, 3), (2, 14, 14), (3, 6, 2), (5, 0, 5), (6, 3, 3)]}
    assert len(sizes) == 1


def test_controls_fit_a_1024_px_page_and_wrap():
    box = receptive_field_widget()
    menu, unit_row = box.children[0].children  # the layer menu on its own row, then the row and column sliders
    assert menu.layout.width == MENU_WIDTH and unit_row.layout.flex_flow == "row wrap"
    assert [c.layout.width for c in unit_row.children] == [SLIDER_WIDTH, SLIDER_WIDTH]
    assert 2 * int(SLIDER_WIDTH.rstrip("px")) <= 820  # one row in a cell at 1024
    # The track is what is left after the 72 px label and the readout (3.5em at 18 px): >= 200 px, so that a
    # 30-unit layer is at least 6 px a step on the projector (it was 60 px, 2 px a step).
    assert int(SLIDER_WIDTH.rstrip("px")) - 72 - 3.5 * 18 - 40 >= 200
    assert all(c.style.description_width == "72px" for c in [menu, *unit_row.children])  # "column j" at ~8 px
