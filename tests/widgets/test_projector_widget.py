from types import SimpleNamespace

import ipywidgets as widgets
import pytest

from cnnlib.viz.projector import projector_mode
from cnnlib.viz.style import new_figure
from cnnlib.widgets.view_widget import PROJECTOR_CSS, ViewWidget


@pytest.fixture
def mode():
    before = projector_mode()
    yield projector_mode
    projector_mode(before)


def _view(n=1):
    return SimpleNamespace(fig=new_figure(3, 2), message=f"n = {n}")


def test_projector_widget_has_18px_controls_and_figures_at_natural_size(mode):
    mode(True)
    w = ViewWidget({"n": widgets.IntSlider(value=1, min=0, max=3, description="a long description")}, [_view])
    assert "cnnlib-projector" in w._dom_classes
    styles = [c for c in w.children if isinstance(c, widgets.HTML) and "<style>" in c.value]
    assert len(styles) == 1 and ".cnnlib-projector .widget-label" in styles[0].value and "18px" in PROJECTOR_CSS
    assert w.panel.image.layout.max_width == "none"  # never shrunk below its natural width


def test_normal_widget_fits_the_cell_and_wraps_its_controls(mode):
    mode(False)
    w = ViewWidget({"n": widgets.IntSlider(value=1, min=0, max=3)}, [_view])
    assert "cnnlib-projector" not in w._dom_classes
    assert not any(isinstance(c, widgets.HTML) and "<style>" in c.value for c in w.children)
    assert w.panel.image.layout.max_width == "100%"
    assert w.children[0].layout.flex_flow == "row wrap"


def test_projector_widget_with_two_figures_shows_them_as_tabs(mode):
    mode(True)
    w = ViewWidget({"n": widgets.IntSlider(value=1, min=0, max=3)}, [_view, _view], titles=("first", "second"))
    tabs = [c for c in w.children if isinstance(c, widgets.Tab)]
    assert len(tabs) == 1 and list(tabs[0].children) == list(w.panels)
    assert [tabs[0].get_title(i) for i in range(2)] == ["first", "second"]
    w.controls["n"].value = 2  # both panels still redraw
    assert all(p.message.value.count("n = 2") == 1 for p in w.panels)
    mode(False)
    assert not any(isinstance(c, widgets.Tab) for c in ViewWidget({"n": widgets.IntSlider()}, [_view, _view]).children)


def test_titles_must_name_every_panel():
    with pytest.raises(ValueError, match=r"got 1 titles \(\['only'\]\) for 2 panels.*one title per panel"):
        ViewWidget({"n": widgets.IntSlider()}, [_view, _view], titles=("only",))
