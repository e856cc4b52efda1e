import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cnnlib.demos.training import lr_sweep
from cnnlib.viz.training_by_hand import LR_SWEEP_SIZE, lr_regime
from cnnlib.widgets import learning_rate_view, learning_rate_widget

NS = "{http://www.w3.org/2000/svg}"


def _chosen_curve(view):
    """The class of the thick curve's group and its points (px)."""
    root = ET.fromstring(view.svg)
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("class").startswith("run ") and "chosen" in g.get("class")]
    points = [p for line in group.iter(f"{NS}polyline") for p in line.get("points").split()]
    return group.get("class"), points


@pytest.fixture(scope="module")
def sweep():
    rng = np.random.default_rng(0)
    y = np.arange(120) % 3
    x = rng.standard_normal((3, 10))[y] * 2 + rng.standard_normal((120, 10))
    return lr_sweep(x, y, 10.0 ** np.arange(-2, 3.01, 0.5), steps=20, batch_size=40)


def test_view_draws_the_nearest_run_and_summarises_it(sweep):
    view = learning_rate_view(sweep, lr=0.3)
    assert view.index == sweep.index(0.3) and np.isclose(sweep.lrs[view.index], 10 ** -0.5)
    name, points = _chosen_curve(view)
    assert name == f"run run-{view.index} chosen"
    assert len(points) >= np.sum(sweep.losses[view.index] <= 1.25 * sweep.losses[view.index, 0])  # every step shown
    assert f"lr = 0.316: {lr_regime(sweep, view.index)}" in view.svg
    assert view.message.startswith(f"lr = {sweep.lrs[view.index]:.3g}: loss {sweep.losses[view.index, 0]:.2f} → ")


def test_a_diverged_run_is_drawn_and_said_clearly(sweep):
    view = learning_rate_view(sweep, lr=1000.0)
    k = view.index
    assert sweep.diverged_at[k] >= 0 and lr_regime(sweep, k) == "diverged"
    assert f"diverged at step {sweep.diverged_at[k]}" in view.message
    texts = [t.text for t in ET.fromstring(view.svg).iter(f"{NS}text")]
    assert f"diverged at step {sweep.diverged_at[k]}:" in texts and "lr = 1000: diverged" in texts


def test_the_figure_and_its_axes_do_not_move_with_the_slider(sweep):
    views = [learning_rate_view(sweep, lr=lr) for lr in sweep.lrs]
    assert {(ET.fromstring(v.svg).get("width"), ET.fromstring(v.svg).get("height")) for v in views} == {
        tuple(f"{n:g}" for n in LR_SWEEP_SIZE)}
    fixed = {tuple((t.text, t.get("x"), t.get("y")) for t in ET.fromstring(v.svg).iter(f"{NS}text")
                   if t.get("font-weight") == "normal" and not t.text.startswith("lr = ")) for v in views}
    assert len(fixed) == 1  # titles, tick labels, axis labels, legend: the same text in the same place for every run
    assert {"0.01", "1", "100", "learning rate (log scale)", "too small", "good", "too large", "diverged"} <= {
        text for text, _, _ in next(iter(fixed))}


def test_widget_has_a_log_slider_on_the_sweep_stops_and_redraws(sweep):
    box = learning_rate_widget(sweep, lr=0.1)
    slider = box.controls["lr"]
    assert type(slider).__name__ == "FloatLogSlider" and slider.base == 10
    assert (slider.min, slider.max, slider.step) == pytest.approx((-2, 3, 0.5))
    first = box.panel.svg.value
    assert first == learning_rate_view(sweep, lr=0.1).svg and box.panel.image.layout.display == "none"
    slider.value = 1000.0
    assert box.panel.svg.value == learning_rate_view(sweep, lr=1000.0).svg and "diverged" in box.panel.message.value


def test_bad_sweep_is_a_clear_error():
    with pytest.raises(TypeError, match="LRSweep"):
        learning_rate_view([1, 2, 3])
