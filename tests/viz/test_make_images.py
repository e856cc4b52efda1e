import xml.etree.ElementTree as ET

from PIL import Image

from cnnlib.viz.make_images import main, make_images

NS = "{http://www.w3.org/2000/svg}"
#: Each figure is written as .svg (drawn as SVG) or .png (a matplotlib figure), whichever its function returns.
FIGURES = {"kernel_filter", "output_size", "pooling_layer", "sliding_window"}


def _size(path):
    if path.suffix == ".svg":
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        return float(root.get("width")), float(root.get("height"))
    with Image.open(path) as im:
        return im.width, im.height


def test_make_images_writes_every_figure(tmp_path):
    written = make_images(tmp_path / "images")
    assert {p.stem for p in written} == FIGURES and {p.suffix for p in written} <= {".svg", ".png"}
    for path in written:
        width, height = _size(path)
        assert width > 300 and height > 200, path.name
    animation = ET.fromstring((tmp_path / "images" / "sliding_window.svg").read_text(encoding="utf-8"))
    steps = [g for g in animation.iter(f"{NS}g") if g.get("data-step")]
    assert len(steps) == 9  # one group per window position of the 4×4 ⋆ 2×2 example
    assert all(len(g.findall(f"{NS}animate")) == 1 for g in steps)


def test_make_images_removes_an_older_format_of_the_same_figure(tmp_path):
    outdir = tmp_path / "images"
    outdir.mkdir()
    (outdir / "sliding_window.gif").write_bytes(b"GIF89a")
    make_images(outdir)
    assert not (outdir / "sliding_window.gif").exists()
    assert sorted(p.stem for p in outdir.iterdir()) == sorted(FIGURES)


def test_main_needs_an_output_directory(capsys):
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
