import numpy as np
import pytest

from cnnlib.demos.training import lr_sweep
from cnnlib.viz.training_by_hand import lr_regime
from cnnlib.widgets import learning_rate_view, learning_rate_widget


@pytest.fixture(scope="module")
def sweep():
    rng = np.random.default_rng(0)
    y = np.arange(120) % 3
    x = rng.standard_normal((3, 10))[y] * 2 + rng.standard_normal((120, 10))
    return lr_sweep(x, y, 10.0 ** np.arange(-2, 3.01, 0.5), steps=20, batch_size=40)


def test_view_draws_the_nearest_run_and_summarises_it(sweep):
    view = learning_rate_view(sweep, lr=0.3)
    assert view.index == sweep.index(0.3) and np.isclose(sweep.lrs[view.index], 10 ** -0.5)
    bold = [line for line in view.fig.axes[0].lines if line.get_linewidth() == 3]
    assert len(bold) == 1
    np.testing.assert_allclose(bold[0].get_ydata(), sweep.losses[view.index])
    assert view.message.startswith(f"lr = {sweep.lrs[view.index]:.3g}: loss {sweep.losses[view.index, 0]:.2f} → ")


def test_a_diverged_run_is_drawn_and_said_clearly(sweep):
    view = learning_rate_view(sweep, lr=1000.0)
    k = view.index
    assert sweep.diverged_at[k] >= 0 and lr_regime(sweep, k) == "diverged"
    assert f"diverged at step {sweep.diverged_at[k]}" in view.message
    texts = [t.get_text() for t in view.fig.axes[0].texts]
    assert any(t.startswith(f"diverged at step {sweep.diverged_at[k]}") for t in texts)


def test_axes_do_not_move_with_the_slider(sweep):
    a, b = learning_rate_view(sweep, lr=0.01), learning_rate_view(sweep, lr=1000.0)
    assert a.fig.axes[0].get_ylim() == b.fig.axes[0].get_ylim()
    assert a.fig.axes[1].get_xlim() == b.fig.axes[1].get_xlim()


def test_widget_has_a_log_slider_on_the_sweep_stops_and_redraws(sweep):
    box = learning_rate_widget(sweep, lr=0.1)
    slider = box.controls["lr"]
    assert type(slider).__name__ == "FloatLogSlider" and slider.base == 10
    assert (slider.min, slider.max, slider.step) == pytest.approx((-2, 3, 0.5))
    first = bytes(box.panel.image.value)
    slider.value = 1000.0
    assert bytes(box.panel.image.value) != first and "diverged" in box.panel.message.value


def test_bad_sweep_is_a_clear_error():
    with pytest.raises(TypeError, match="LRSweep"):
        learning_rate_view([1, 2, 3])
