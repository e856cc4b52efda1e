"""The batch-norm SVG: the drawn histograms are np.histogram of the demo's data, channels differ by hatching and dash
pattern as well as hue, every text is >= 18 px inside an 800 px figure whose size never changes."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from cnnlib.demos.batchnorm import activation_batch, batchnorm_demo
from cnnlib.viz.batchnorm import (BOTTOM, CHANNEL_COLORS, CHANNEL_DASHES, CHANNEL_HATCHES, HEIGHT, WIDTH,
                                  draw_batchnorm, plot_for)
from cnnlib.viz.svg import MIN_FONT_PX

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed


def _outlines(root):
    """The histogram outlines, in drawing order (before: channels 0, 1, 2; after: 0, 1, 2)."""
    return list(root.iter(f"{NS}polyline"))


def _heights(points: str, plot):
    """The bar heights (counts) and bin edges a stairs outline ``x0,base x0,y1 x1,y1 x1,y2 … xn,base`` draws."""
    xy = np.array([[float(v) for v in p.split(",")] for p in points.split()])  # (2·bins + 2, 2)
    tops = xy[1:-1]  # each bin's top-left and top-right corners
    counts = (BOTTOM - tops[0::2, 1]) / (BOTTOM - plot.y(plot.top_count)) * plot.top_count
    xs = np.array([*tops[0::2, 0], tops[-1, 0]])  # each bin's left edge, then the last one's right edge
    edges = plot.lo + (xs - plot.left) / (plot.right - plot.left) * (plot.hi - plot.lo)
    assert (xy[0, 1], xy[-1, 1]) == (BOTTOM, BOTTOM) and np.array_equal(tops[0::2, 1], tops[1::2, 1])  # flat tops
    return counts, edges


@pytest.mark.parametrize("kwargs", [dict(), dict(shift=3.0, scale=2.0, gamma=2.0, beta=1.0),
                                    dict(shift=-5.0, scale=4.0, mode="eval")])
def test_drawn_bars_are_the_histograms_of_the_batch_and_of_the_output(kwargs):
    demo = batchnorm_demo(**kwargs)
    root = ET.fromstring(draw_batchnorm(demo))
    outlines = _outlines(root)
    assert len(outlines) == 6
    for k, (side, values) in enumerate([("before", demo.x), ("before", demo.x), ("before", demo.x),
                                        ("after", demo.out), ("after", demo.out), ("after", demo.out)]):
        c = k % 3
        edges, counts = demo.histograms[side]
        expected, _ = np.histogram(values[:, c], bins=edges)  # (N, H, W) values of channel c
        drawn, drawn_edges = _heights(outlines[k].get("points"), plot_for(side, edges, counts))
        np.testing.assert_allclose(drawn, expected, atol=0.2, err_msg=f"{side}, channel {c}")
        np.testing.assert_allclose(drawn_edges, edges, atol=0.05)
        assert outlines[k].get("stroke") == CHANNEL_COLORS[c]


def test_the_key_gives_each_channels_statistics_before_and_after():
    demo = batchnorm_demo(shift=2.0, gamma=2.0, beta=1.0)
    texts = [t.text for t in ET.fromstring(draw_batchnorm(demo)).iter(f"{NS}text")]
    x = activation_batch(shift=2.0)
    for c in range(3):
        k = texts.index(f"channel {c}")
        mean, std = x[:, c].mean(), x[:, c].std()  # over (N, H, W)
        assert texts[k + 1] == f"before: μ = {round(float(mean), 2) + 0.0:+.2f}, σ = {std:.2f}".replace("-", "−")
        assert texts[k + 2] == "after: μ = +1.00, σ = 2.00"  # train mode: β and γ, whatever the batch
    assert texts[0] == "γ = 2, β = 1:  out = γ · (x − μ) / √(σ² + ε) + β"
    assert "after BatchNorm2D, train mode" in texts and "normalised with this batch's μ, σ²" in texts
    eval_texts = [t.text for t in ET.fromstring(draw_batchnorm(batchnorm_demo(mode="eval"))).iter(f"{NS}text")]
    assert "after BatchNorm2D, eval mode" in eval_texts and "normalised with the running μ, σ²" in eval_texts


def test_channels_differ_by_hatching_and_dash_pattern_not_only_hue():
    root = ET.fromstring(draw_batchnorm(batchnorm_demo(shift=2.0)))
    assert len(set(CHANNEL_HATCHES)) == 3 and len(set(CHANNEL_DASHES)) == 3
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    marks = [patterns[f"bn-hatch-{c}"].find(f"{NS}path").get("d") for c in range(3)]
    assert len(set(marks)) == 3  # three different hatchings
    dashes = [p.get("stroke-dasharray") for p in _outlines(root)]
    assert dashes == [*CHANNEL_DASHES, *CHANNEL_DASHES]
    swatches = [r for r in root.iter(f"{NS}rect") if (r.get("fill") or "").startswith("url(#bn-hatch-")]
    assert [(s.get("fill"), s.get("stroke-dasharray")) for s in swatches] == [
        (f"url(#bn-hatch-{c})", CHANNEL_DASHES[c]) for c in range(3)]  # the key shows hatching and dashes


@pytest.mark.parametrize("kwargs", [dict(), dict(shift=5.0, scale=4.0, gamma=3.0, beta=3.0, mode="eval"),
                                    dict(shift=-5.0, scale=4.0, gamma=3.0, beta=-3.0, mode="eval"),
                                    dict(shift=-5.0, scale=0.25, gamma=0.5)])
def test_text_is_at_least_18px_fits_inside_and_the_size_never_changes(kwargs):
    root = ET.fromstring(draw_batchnorm(batchnorm_demo(**kwargs)))
    assert (float(root.get("width")), float(root.get("height"))) == (WIDTH, HEIGHT)
    assert WIDTH <= PROJECTOR_CONTENT_PX
    measure = TextToPath()
    boxes = []
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size").removesuffix("px"))
        assert size >= MIN_FONT_PX, t.text
        weight = "bold" if t.get("font-weight") == "bold" else "normal"
        w = measure.get_text_width_height_descent(t.text, FontProperties(family="DejaVu Sans", size=size,
                                                                         weight=weight), ismath=False)[0]
        x, y = float(t.get("x")), float(t.get("y"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert 0 <= left and left + w <= WIDTH, f"{t.text!r} runs out of the figure"
        assert size / 2 <= y <= HEIGHT - size / 2, f"{t.text!r} is cut at the top or bottom"
        boxes.append((left, left + w, y - size / 2, y + size / 2, t.text))
    for i, a in enumerate(boxes):  # no two texts overlap
        for b in boxes[i + 1:]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], f"{a[4]!r} overlaps {b[4]!r}"
