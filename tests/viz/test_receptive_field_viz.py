import numpy as np

from cnnlib.demos.receptive_field import receptive_field_layout
from cnnlib.networks import cifar_cnn
from cnnlib.viz.receptive_field import draw_receptive_field

LAYERS = cifar_cnn().layers[:8]


def test_drawing_highlights_the_regions():
    lay = receptive_field_layout(LAYERS, (32, 32), layer=2, i=1, j=3)  # LAYERS[2]: the first max pool
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
    # Panels and title number the layers by their index in LAYERS (model.layers): 0, 2, 3, 5, 6.
    assert [ax.get_title().split("\n")[0] for ax in fig.axes] == [
        "input", "0 · Conv2D 3×3", "2 · MaxPool2D 2×2 stride 2", "3 · Conv2D 3×3", "5 · MaxPool2D 2×2 stride 2",
        "6 · Conv2D 3×3"]
    assert any("unit (1, 3) of layer 2 · MaxPool2D" in t.get_text() for t in fig.texts)  # the suptitle
