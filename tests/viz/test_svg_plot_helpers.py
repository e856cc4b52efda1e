"""The SVG helpers for plots (curves, markers, named groups): valid SVG, the numbers they were given."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.viz.svg import Svg, marker

NS = "{http://www.w3.org/2000/svg}"


def test_polyline_circle_and_group_write_the_given_numbers():
    s = Svg(100, 50)
    with s.group("curve run-3"):
        s.polyline([(0, 50), (10.04, 20.5), (20, 0)], stroke="#0072B2", stroke_width=4, dash="8 5")
    s.circle(30, 20, 5, fill="#009E73")
    root = ET.fromstring(s.to_string())
    (group,) = root.iter(f"{NS}g")
    assert group.get("class") == "curve run-3"
    (line,) = group
    assert line.get("points") == "0.0,50.0 10.0,20.5 20.0,0.0"  # 0.1 px: finer than a screen shows
    assert (line.get("fill"), line.get("stroke"), line.get("stroke-width"), line.get("stroke-dasharray")) == (
        "none", "#0072B2", "4", "8 5")
    (circle,) = root.iter(f"{NS}circle")
    assert [circle.get(k) for k in ("cx", "cy", "r", "fill")] == ["30", "20", "5", "#009E73"]


def test_group_closes_even_if_drawing_fails():
    s = Svg(10, 10)
    with pytest.raises(ValueError):
        with s.group("broken"):
            marker(s, "?", 0, 0)
    ET.fromstring(s.to_string())  # still well-formed


@pytest.mark.parametrize("shape, tag, corners", [("o", "circle", None), ("s", "rect", None), ("^", "polygon", 3),
                                                 ("X", "polygon", 12)])
def test_markers_are_distinct_shapes_centred_on_their_point(shape, tag, corners):
    s = Svg(100, 100)
    marker(s, shape, 40, 60, 20, fill="#E69F00")
    (mark,) = list(ET.fromstring(s.to_string()))
    assert mark.tag == NS + tag and mark.get("fill") == "#E69F00" and mark.get("stroke") == "#333333"
    if tag == "polygon":
        pts = np.array([[float(v) for v in p.split(",")] for p in mark.get("points").split()])  # (corners, 2)
        assert len(pts) == corners
        assert pts[:, 0].mean() == pytest.approx(40)
        assert pts[:, 0].min() >= 30 - 1e-9 and pts[:, 0].max() <= 50 + 1e-9  # 20 px across at most
        if shape == "X":
            assert pts[:, 1].mean() == pytest.approx(60)
    elif tag == "rect":
        assert float(mark.get("x")) + float(mark.get("width")) / 2 == pytest.approx(40)
        assert float(mark.get("y")) + float(mark.get("height")) / 2 == pytest.approx(60)
    else:
        assert (mark.get("cx"), mark.get("cy"), mark.get("r")) == ("40", "60", "10")


def test_unknown_marker_says_which_exist():
    with pytest.raises(ValueError, match=r"marker shape must be 'o', 's', '\^' or 'X', got 'D'"):
        marker(Svg(10, 10), "D", 0, 0)
