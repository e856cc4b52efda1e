"""Lesson 08's learning-rate sweep as SVG: the curves are the sweep's losses, the chosen run stands out by more than
colour, diverged runs are marked, and the figure is legible on a projector and the same size at every slider stop."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.training import lr_sweep
from cnnlib.viz.svg import MIN_FONT_PX, text_width
from cnnlib.viz.training_by_hand import (BOLD_WIDER, DIVERGED_BAND, FINAL_BOX, LOSS_BOX, LR_SWEEP_SIZE, REGIME_STYLE,
                                         RING_R, PlotBox, band_y, below, draw_lr_sweep, final_box, lr_regime, lr_text,
                                         nice_ticks)

NS = "{http://www.w3.org/2000/svg}"
PROJECTOR_CONTENT_PX = 800  # a notebook cell's output is ~820 px wide at 1024×768 with the sidebar collapsed


@pytest.fixture(scope="module")
def sweep():
    rng = np.random.default_rng(0)
    y = np.arange(150) % 3
    x = rng.standard_normal((3, 10))[y] + 3 * rng.standard_normal((150, 10))
    return lr_sweep(x, y, 10.0 ** np.arange(-2, 2.01, 0.25), steps=20, batch_size=50)


def _root(sweep, index):
    return ET.fromstring(draw_lr_sweep(sweep, index))


def _groups(root, name):
    return [g for g in root.iter(f"{NS}g") if name in g.get("class").split()]


def _points(group):
    """Every polyline point of a group, in order, as an (n, 2) array of px."""
    pts = [p for line in group.iter(f"{NS}polyline") for p in line.get("points").split()]
    return np.array([[float(v) for v in p.split(",")] for p in pts])  # (n, 2)


def _centre(mark):
    """The middle of a marker: a circle's centre, a rectangle's middle, the mean of a polygon's corners."""
    if mark.tag == NS + "circle":
        return float(mark.get("cx")), float(mark.get("cy"))
    if mark.tag == NS + "rect":
        return (float(mark.get("x")) + float(mark.get("width")) / 2,
                float(mark.get("y")) + float(mark.get("height")) / 2)
    corners = np.array([[float(v) for v in p.split(",")] for p in mark.get("points").split()])  # (n, 2)
    return tuple(corners.mean(axis=0))


def _top(sweep):
    return float(np.nanmax(sweep.losses[:, 0])) * 1.25


def test_the_sweep_has_every_regime(sweep):
    regimes = {lr_regime(sweep, i) for i in range(len(sweep.lrs))}
    assert regimes == {"too small", "good", "too large", "diverged"}, regimes  # so the tests below see them all


def test_each_curve_is_that_runs_losses(sweep):
    index = sweep.best()
    root = _root(sweep, index)
    top = _top(sweep)
    box = PlotBox(*LOSS_BOX, xlim=(0, sweep.steps), ylim=(0, top))
    px_per_step, px_per_loss = box.w / sweep.steps, box.h / top
    for i in range(len(sweep.lrs)):
        (group,) = [g for g in _groups(root, f"run-{i}") if g.get("class").startswith("run ")]
        pts = _points(group)
        step = (pts[:, 0] - box.x) / px_per_step
        loss = (box.y + box.h - pts[:, 1]) / px_per_loss
        on_step = np.abs(step - np.round(step)) < 1e-3
        inside = np.flatnonzero(sweep.losses[i] <= top)  # the steps drawn: finite and inside the plot
        np.testing.assert_array_equal(np.round(step[on_step]).astype(int), inside, err_msg=f"run {i}")
        np.testing.assert_allclose(loss[on_step], sweep.losses[i, inside], atol=0.06 / px_per_loss, err_msg=f"run {i}")
        np.testing.assert_allclose(loss[~on_step], top, atol=0.06 / px_per_loss)  # cut where it leaves the plot
    fully_inside = [i for i in range(len(sweep.lrs)) if np.all(sweep.losses[i] <= top)]
    assert 0 < len(fully_inside) < len(sweep.lrs)  # the sweep has both kinds


def test_the_chosen_run_is_thick_coloured_marked_and_labelled(sweep):
    for index in range(len(sweep.lrs)):
        root = _root(sweep, index)
        (chosen,) = _groups(root, "chosen")[:1]
        assert chosen.get("class") == f"run run-{index} chosen"
        regime = lr_regime(sweep, index)
        color, shape = REGIME_STYLE[regime]
        lines = list(chosen.iter(f"{NS}polyline"))
        assert lines and {(ln.get("stroke"), ln.get("stroke-width")) for ln in lines} == {(color, "4")}
        others = [ln for g in _groups(root, "run") if "chosen" not in g.get("class") for ln in g.iter(f"{NS}polyline")]
        assert {ln.get("stroke-width") for ln in others} == {"1.5"} and color not in {ln.get("stroke") for ln in others}
        tag = {"o": "circle", "s": "rect", "^": "polygon", "X": "polygon"}[shape]
        if sweep.losses[index, 0] <= _top(sweep):  # at least the first step is drawn, with its marker
            assert list(chosen.iter(f"{NS}{tag}")), f"run {index}: no {shape} marker"
        texts = [t.text for t in root.iter(f"{NS}text")]
        label = f"lr = {lr_text(sweep.lrs[index])}: {regime}"
        assert texts.count(label) == 2, (label, texts)  # the left legend and over the dashed line on the right


def test_the_right_plot_is_the_final_loss_per_learning_rate_with_the_chosen_one_ringed(sweep):
    index = 4
    root = _root(sweep, index)
    top = _top(sweep)
    box = final_box(sweep, top)
    for i in range(len(sweep.lrs)):
        regime = lr_regime(sweep, i)
        (group,) = _groups(root, f"run-{i}")[1:]  # [0] is the loss curve on the left
        assert group.get("class") == f"final {regime.replace(' ', '-')} run-{i}"
        (mark,) = list(group)
        shape = REGIME_STYLE[regime][1]
        assert mark.tag == NS + {"o": "circle", "s": "rect", "^": "polygon", "X": "polygon"}[shape]
        if shape in "^X":
            assert len(mark.get("points").split()) == {"^": 3, "X": 12}[shape]
        assert mark.get("fill") == REGIME_STYLE[regime][0]
        cx, cy = _centre(mark)
        assert cx == pytest.approx(box.to_x(sweep.lrs[i]), abs=0.01)
        if shape != "^":  # a triangle's points are not centred on its position
            y = band_y() if regime == "diverged" else float(box.to_y(min(sweep.final_loss()[i], top)))
            assert cy == pytest.approx(y, abs=0.01), (i, regime)
    ring = _groups(root, "chosen")[1]
    (circle,) = list(ring.iter(f"{NS}circle"))
    assert float(circle.get("cx")) == pytest.approx(box.to_x(sweep.lrs[index]), abs=0.01)
    (dashed,) = list(ring.iter(f"{NS}polyline"))
    assert dashed.get("stroke-dasharray") and _points(ring)[0, 0] == pytest.approx(box.to_x(sweep.lrs[index]), abs=0.06)


def test_a_diverged_run_gets_a_cross_and_a_note_with_its_step(sweep):
    k = int(np.flatnonzero(sweep.diverged_at >= 0)[0])
    root = _root(sweep, k)
    (note,) = _groups(root, "diverged-note")
    texts = [t.text for t in note.iter(f"{NS}text")]
    assert texts == [f"diverged at step {sweep.diverged_at[k]}:", f"the loss went above {sweep.limit:g}"]
    cross = next(note.iter(f"{NS}polygon"))
    assert len(cross.get("points").split()) == 12  # an ✗, not a triangle
    box = PlotBox(*LOSS_BOX, xlim=(0, sweep.steps), ylim=(0, _top(sweep)))
    assert _centre(cross) == pytest.approx((box.to_x(sweep.diverged_at[k]), band_y()), abs=0.01)
    assert not _groups(_root(sweep, sweep.best()), "diverged-note")  # only a diverged run has one
    diverged = {int(re.search(r"run-(\d+)", g.get("class")).group(1)) for g in _groups(root, "diverged")}
    assert diverged == set(np.flatnonzero(sweep.diverged_at >= 0).tolist())


def _bbox(el):
    """``(x0, y0, x1, y1)`` px of a marker or a ring (stroke included)."""
    if el.tag == NS + "circle":
        cx, cy, r = (float(el.get(k)) for k in ("cx", "cy", "r"))
        r += float(el.get("stroke-width", 0)) / 2
        return cx - r, cy - r, cx + r, cy + r
    if el.tag == NS + "rect":
        x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
        return x, y, x + w, y + h
    xy = np.array([[float(v) for v in p.split(",")] for p in el.get("points").split()])  # (n, 2)
    return (*xy.min(axis=0), *xy.max(axis=0))


def _text_bbox(t):
    size = float(t.get("font-size").removesuffix("px"))
    w = text_width(t.text, size)
    x0 = float(t.get("x")) - {"start": 0.0, "middle": 0.5, "end": 1.0}[t.get("text-anchor")] * w
    y = float(t.get("y"))  # dominant-baseline central
    return x0, y - size / 2, x0 + w, y + size / 2


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_diverged_runs_sit_in_a_labelled_band_above_the_axis_and_no_marker_covers_a_tick_label(sweep):
    band_top, band_h = DIVERGED_BAND
    for index in range(len(sweep.lrs)):
        root = _root(sweep, index)
        marks = [el for g in _groups(root, "final") + _groups(root, "diverged-note") + _groups(root, "chosen")
                 for el in g if el.tag in (NS + "circle", NS + "rect", NS + "polygon")
                 and el.get("fill") != "#ffffff"]
        ticks = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end" and re.fullmatch(r"[\d.]+", t.text)]
        assert len(ticks) >= 6  # both plots' y tick labels
        for mark in marks:
            for t in ticks:
                assert not _overlap(_bbox(mark), _text_bbox(t)), (index, t.text)
        for g in _groups(root, "final") + _groups(root, "diverged-note"):
            if "diverged" in g.get("class").split() or g.get("class") == "diverged-note":
                cross = next(g.iter(f"{NS}polygon"))
                x0, y0, x1, y1 = _bbox(cross)
                assert band_top <= y0 and y1 <= band_top + band_h < FINAL_BOX[1]  # in the band, above the plot
        (ring,) = _groups(root, "chosen")[1].iter(f"{NS}circle")
        x0, y0, x1, y1 = _bbox(ring)
        assert FINAL_BOX[0] <= x0 and x1 <= FINAL_BOX[0] + FINAL_BOX[2], (index, x0, x1)  # inside the frame
        assert band_top <= y0 and y1 <= FINAL_BOX[1] + FINAL_BOX[3]
        labels = [t for t in root.iter(f"{NS}text") if t.text == "diverged" and float(t.get("y")) < FINAL_BOX[1]]
        assert len(labels) == 2 and all(band_top < float(t.get("y")) < band_top + band_h for t in labels)  # both bands
        for t in labels:  # the band's label is clear of the crosses
            assert not any(_overlap(_bbox(m), _text_bbox(t)) for m in marks)
    assert RING_R > 0


def test_same_size_at_every_stop_fits_a_projector_and_all_text_is_18px_or_more(sweep):
    sizes = set()
    for index in range(len(sweep.lrs)):
        root = _root(sweep, index)
        width, height = float(root.get("width")), float(root.get("height"))
        sizes.add((width, height))
        assert width <= PROJECTOR_CONTENT_PX
        for t in root.iter(f"{NS}text"):
            size = float(t.get("font-size").removesuffix("px"))
            assert size >= MIN_FONT_PX, t.text
            w = text_width(t.text, size) * (BOLD_WIDER if t.get("font-weight") == "bold" else 1.0)
            left = {"start": 0.0, "middle": 0.5, "end": 1.0}[t.get("text-anchor")] * w
            x = float(t.get("x"))
            assert 0 <= x - left and x - left + w <= width, f"{t.text!r} sticks out of the figure"
    assert sizes == {LR_SWEEP_SIZE}


def test_the_two_titles_do_not_overlap(sweep):
    root = _root(sweep, 0)
    titles = [t for t in root.iter(f"{NS}text") if t.get("font-size") == "20px"]
    assert [t.text for t in titles] == ["loss on all images after each step",
                                        f"loss after {sweep.steps} steps, by learning rate"]
    (a, b) = [(float(t.get("x")) - text_width(t.text, 20) / 2, float(t.get("x")) + text_width(t.text, 20) / 2)
              for t in titles]
    assert a[1] < b[0]


def test_a_line_above_the_plot_is_cut_at_its_edge():
    assert below([0, 1, 2, 3], [1.0, 3.0, 1.0, np.nan], 2.0) == [[(0.0, 1.0), (0.5, 2.0)], [(1.5, 2.0), (2.0, 1.0)]]
    assert below([0, 1, 2], [1.0, 1.5, 0.5], 2.0) == [[(0.0, 1.0), (1.0, 1.5), (2.0, 0.5)]]
    assert below([0, 1, 2, 3], [1.0, np.nan, 1.0, 1.0], 2.0) == [[(0.0, 1.0)], [(2.0, 1.0), (3.0, 1.0)]]
    assert below([0, 1], [5.0, 6.0], 2.0) == []


def test_ticks_and_learning_rates_read_plainly():
    np.testing.assert_allclose(nice_ticks(3.2), np.arange(0, 3.01, 0.5))
    np.testing.assert_allclose(nice_ticks(20), [0, 5, 10, 15, 20])
    assert [lr_text(v) for v in (0.001, 0.00177827941, 1000.0, 5.62341325)] == ["0.001", "0.00178", "1000", "5.62"]


def test_bad_index_is_a_clear_error(sweep):
    with pytest.raises(ValueError, match=r"index must be in 0\.\.16 .*got 17"):
        draw_lr_sweep(sweep, 17)
