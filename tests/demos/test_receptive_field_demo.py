import pytest

from cnnlib.demos.receptive_field import receptive_field_layout, spatial_layer_indices
from cnnlib.networks import cifar_cnn

LAYERS = cifar_cnn().layers[:8]


def test_two_3x3_convs_by_hand():
    lay = receptive_field_layout([(3, 1), (3, 1)], (8, 8), layer=1, i=1, j=2)  # layers[1]: the second conv
    # The unit (1, 2) after two 3×3 convs reads rows 1..3, columns 2..4 of the first output: rows 1..5 and
    # columns 2..6 of the input, a 5×5 window.
    assert lay.regions == (((1, 6), (2, 7)), ((1, 4), (2, 5)), ((1, 2), (2, 3)))
    assert lay.sizes == ((8, 8), (6, 6), (4, 4)) and lay.rf.size == (5, 5)


def test_layout_regions_stage_by_stage():
    lay = receptive_field_layout(LAYERS, (32, 32), layer=3, i=6, j=2)  # LAYERS[3]: the second conv
    assert lay.names[0] == "input" and len(lay.sizes) == 6
    assert lay.indices == (None, 0, 2, 3, 5, 6) and lay.stage == 3 and lay.label(3) == "3 · Conv2D 3×3"
    assert lay.regions == (((12, 20), (4, 12)), ((12, 18), (4, 10)), ((6, 9), (2, 5)), ((6, 7), (2, 3)))
    assert lay.rf.size == (8, 8)


def test_layout_rejects_units_outside_the_layer():
    with pytest.raises(ValueError, match=r"unit \(4, 0\) is outside layer 6's 4×4 output"):
        receptive_field_layout(LAYERS, (32, 32), layer=6, i=4, j=0)


@pytest.mark.parametrize("layer, why", [(1, "layer 1 is ReLU, which slides no window"), (8, "layer 8:"),
                                        (-1, "layer -1:")])
def test_layout_takes_only_the_model_layers_index_of_a_conv_or_pool(layer, why):
    with pytest.raises(ValueError, match=rf"{why}.*choose one of \[0, 2, 3, 5, 6\].*# column of model.summary"):
        receptive_field_layout(LAYERS, (32, 32), layer=layer, i=0, j=0)


def test_spatial_layer_indices_are_the_conv_and_pool_positions():
    assert spatial_layer_indices(LAYERS) == [0, 2, 3, 5, 6]
