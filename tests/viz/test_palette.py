"""The category colours survive colour-vision deficiency (Machado et al. 2009 simulation, CIE76 ΔE)."""
import numpy as np
import pytest

from cnnlib.viz import activations, batchnorm, output_size, pooling, receptive_field, translation
from cnnlib.viz.backprop import CATEGORY_COLORS as BACKPROP_CELLS
from cnnlib.viz.backprop import WINDOW_EDGE as BACKPROP_WINDOW_EDGE
from cnnlib.viz.im2col import PICK_EDGE, PICK_FILL, PLAIN, WEIGHT_FILL
from cnnlib.viz.palette import OKABE_ITO, delta_e, min_delta_e, simulate_cvd, to_rgb
from cnnlib.viz.training import SPLIT_COLORS as TRAINING_SPLITS
from cnnlib.viz.training import TRAIN_COLOR, VAL_COLOR

DEFICIENCIES = ("deuteranopia", "protanopia", "tritanopia")
DISTINGUISHABLE = 10.0  # ΔE: clearly different side by side on a projector (2.3 is just noticeable)

#: Every set of category colours a figure puts side by side, by figure.
CATEGORY_SETS = {
    "okabe-ito": list(OKABE_ITO.values()),
    "im2col explorer cells": [PICK_FILL, WEIGHT_FILL, PLAIN],
    "im2col explorer outline vs cells": [PICK_EDGE, PICK_FILL, WEIGHT_FILL],
    "output size cells": list(output_size.CELL_FILLS),
    "output size legend": [fill for _, fill, _ in output_size.LEGEND],
    "pooling windows": list(pooling.WINDOW_COLORS),
    "pooling zoom: windows vs kept pixels": [pooling.ZOOM_WINDOW_COLOR, pooling.PICK_COLOR],
    "pooling zoom: example windows vs kept pixels": [*pooling.ZOOM_EXAMPLE_COLORS, pooling.PICK_COLOR],
    "batchnorm channels": list(batchnorm.CHANNEL_COLORS),
    "shift comparison (04): zoomed region vs pooling windows": [translation.ZOOM_COLOR, translation.WINDOW_COLOR],
    "shift comparison (04): table bars, edge maps vs pooled": [translation.EDGE_BAR, translation.POOLED_BAR],
    "receptive field: unit, what it depends on, its field (10)": [receptive_field.UNIT_FILL, receptive_field.SEEN_FILL,
                                                                  receptive_field.FIELD_EDGE],
    "receptive field outlines (10)": [receptive_field.UNIT_FILL, receptive_field.SEEN_EDGE, receptive_field.FIELD_EDGE],
    "activation curves and shading": [activations.FUNC_COLOR, activations.GRAD_COLOR, activations.SAT_COLOR],
    "gradient through depth lines": list(activations.DEPTH_COLORS.values()),
    "backward pass cells (06)": BACKPROP_CELLS,
    "backward pass window outline vs cells (06)": [BACKPROP_WINDOW_EDGE, *BACKPROP_CELLS],
    "training curves (09)": [TRAIN_COLOR, VAL_COLOR],
    "class balance splits (09)": TRAINING_SPLITS,
}


@pytest.mark.parametrize("kind", DEFICIENCIES)
@pytest.mark.parametrize("name", sorted(CATEGORY_SETS))
def test_every_pair_of_category_colours_stays_distinguishable(name, kind):
    colors = CATEGORY_SETS[name]
    worst = min_delta_e(colors, kind)
    assert worst >= DISTINGUISHABLE, f"{name}: two colours are only ΔE {worst:.1f} apart with {kind}"


def test_the_check_catches_a_red_green_pair():
    red, green = "#d62728", "#2ca02c"  # matplotlib's default red and green
    assert delta_e(red, green) > 60  # very different with normal vision
    assert delta_e(red, green, "deuteranopia") < DISTINGUISHABLE  # and not with deuteranopia


def test_simulation_keeps_grays_and_matches_machado_rows_summing_to_one():
    grays = ["#000000", "#777777", "#ffffff"]
    for kind in DEFICIENCIES:
        assert np.allclose(simulate_cvd(grays, kind), to_rgb(grays), atol=2e-3), kind


def test_bad_colours_are_named():
    with pytest.raises(ValueError, match="must be a '#rrggbb' string, got 'red'"):
        to_rgb("red")
    with pytest.raises(ValueError, match="kind must be one of"):
        simulate_cvd("#000000", "colourblind")


def test_cvd_image_simulation_matches_the_colour_simulation():
    from cnnlib.viz.palette import simulate_cvd, simulate_cvd_image
    img = np.array([[[0xD5, 0x5E, 0x00], [0x00, 0x72, 0xB2]]], dtype=np.uint8)  # (1, 2, 3)
    for kind in ("deuteranopia", "protanopia", "tritanopia"):
        seen = simulate_cvd_image(img, kind)
        expected = np.round(simulate_cvd(["#D55E00", "#0072B2"], kind) * 255)
        np.testing.assert_array_equal(seen[0], expected)
    with pytest.raises(ValueError, match=r"\(H, W, 3\) uint8 image, got float64"):
        simulate_cvd_image(img.astype(float), "deuteranopia")
