import numpy as np
import pytest

from cnnlib.models import cifar_cnn
from cnnlib.viz import draw_receptive_field, receptive_field_layout

LAYERS = cifar_cnn().layers[:8]


def test_layout_regions_stage_by_stage():
    lay = receptive_field_layout(LAYERS, (32, 32), layer=3, i=6, j=2)
    assert lay.names[0] == "input" and len(lay.sizes) == 6
    assert lay.regions == (((12, 20), (4, 12)), ((12, 18), (4, 10)), ((6, 9), (2, 5)), ((6, 7), (2, 3)))
    assert lay.rf.size == (8, 8)


def test_layout_rejects_units_outside_the_layer():
    with pytest.raises(ValueError, match=r"unit \(4, 0\) is outside layer 5's 4×4 output"):
        receptive_field_layout(LAYERS, (32, 32), layer=5, i=4, j=0)
    with pytest.raises(ValueError, match="between 1 and 5"):
        receptive_field_layout(LAYERS, (32, 32), layer=0, i=0, j=0)


def test_drawing_highlights_the_regions():
    lay = receptive_field_layout(LAYERS, (32, 32), layer=2, i=1, j=3)
    fig = draw_receptive_field(lay)
    assert len(fig.axes) == 6
    # Stage 1 (the first conv's output): the cells the unit sees are coloured, the rest white.
    rgba = fig.axes[1].images[0].get_array()
    (t, b), (l, r) = lay.regions[1]
    coloured = (rgba[..., :3] < 1).any(axis=-1)
    expected = np.zeros((30, 30), dtype=bool)
    expected[t:b, l:r] = True
    np.testing.assert_array_equal(coloured, expected)
    # Stage 2 holds the unit itself.
    unit = (fig.axes[2].images[0].get_array()[..., :3] < 1).any(axis=-1)
    assert np.argwhere(unit).tolist() == [[1, 3]]
    assert "sees 4×4" in fig.axes[0].get_title()
