from PIL import Image

from cnnlib.viz.make_images import main, make_images

EXPECTED = {"kernel_filter.png", "output_size.png", "pooling_layer.png", "sliding_window.gif"}


def test_make_images_writes_every_figure(tmp_path):
    written = make_images(tmp_path / "images")
    assert {p.name for p in written} == EXPECTED
    for path in written:
        with Image.open(path) as im:
            assert im.width > 300 and im.height > 200
    with Image.open(tmp_path / "images" / "sliding_window.gif") as gif:
        assert gif.n_frames == 9  # one frame per window position of the 4×4 ⋆ 2×2 example


def test_main_needs_an_output_directory(capsys):
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
