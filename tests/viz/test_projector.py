import io

import pytest
from PIL import Image

from cnnlib.viz import projector
from cnnlib.viz.projector import PROJECTOR_MIN_PX, ensure_min_font, min_font_px, projector_mode
from cnnlib.viz.display import figure_to_png
from cnnlib.viz.style import new_figure


@pytest.fixture
def mode():
    before = projector_mode()
    yield projector_mode
    projector_mode(before)


def _small_text_figure(width_in: float):
    fig = new_figure(width_in, 3)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title", fontsize=6)
    ax.set_xlabel("x", fontsize=7)
    ax.tick_params(labelsize=5)
    return fig


def _smallest_px(fig) -> float:
    from matplotlib.text import Text
    fig.canvas.draw() if hasattr(fig.canvas, "renderer") else None
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    sizes += [t.get_fontsize() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return min(sizes) * fig.dpi / 72


def test_normal_mode_keeps_12px_after_the_cell_scales_a_wide_figure_down(mode):
    mode(False)
    assert min_font_px(800) == 12.0
    assert min_font_px(2160) == pytest.approx(24.0)  # shown at half size in a 1080 px cell: 12 px on screen
    fig = _small_text_figure(16.2)  # 1620 px at 100 dpi
    ensure_min_font(fig)
    assert _smallest_px(fig) >= 12.0 * 1620 / 1080 - 1e-6


def test_projector_mode_makes_every_text_18px_and_records_it_in_the_png(mode):
    mode(True)
    fig = _small_text_figure(7)
    png = figure_to_png(fig)
    assert _smallest_px(fig) >= PROJECTOR_MIN_PX - 1e-6
    with Image.open(io.BytesIO(png)) as im:
        assert float(im.text["cnnlib:min-font-px"]) == PROJECTOR_MIN_PX


def test_text_already_large_enough_is_left_alone(mode):
    mode(True)
    fig = new_figure(6, 3)
    ax = fig.add_subplot()
    ax.set_title("big", fontsize=30)
    ensure_min_font(fig)
    assert ax.title.get_fontsize() == 30


def test_the_switch_reads_the_environment_and_refuses_non_booleans(mode, monkeypatch):
    assert projector.ENV_VAR == "CNNLIB_PROJECTOR"
    with pytest.raises(TypeError, match=r"True or False, got 'yes'.*projector_mode\(True\)"):
        mode("yes")
    assert mode(True) is True and mode() is True
    assert mode(False) is False


def test_projector_mode_is_on_when_the_server_sets_the_variable():
    import subprocess
    import sys
    code = "from cnnlib.viz.projector import projector_mode; print(projector_mode())"
    out = subprocess.run([sys.executable, "-c", code], env={"CNNLIB_PROJECTOR": "1", "PATH": ""},
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
