import pytest

from cnnlib.demos.receptive_field import receptive_field_layout
from cnnlib.networks import cifar_cnn

LAYERS = cifar_cnn().layers[:8]


def test_two_3x3_convs_by_hand():
    lay = receptive_field_layout([(3, 1), (3, 1)], (8, 8), layer=2, i=1, j=2)
    # The unit (1, 2) after two 3×3 convs reads rows 1..3, columns 2..4 of the first output: rows 1..5 and
    # columns 2..6 of the input, a 5×5 window.
    assert lay.regions == (((1, 6), (2, 7)), ((1, 4), (2, 5)), ((1, 2), (2, 3)))
    assert lay.sizes == ((8, 8), (6, 6), (4, 4)) and lay.rf.size == (5, 5)


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
