"""The helper every widget is built on: controls, panels, PNG cache, redraw in place, on_change."""
import re
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np
import pytest

from cnnlib.viz.style import new_figure
from cnnlib.widgets.value_cache import cache_by_value
from cnnlib.widgets.view_widget import CACHE_SIZE, FigurePanel, ViewWidget, play_slider, sliders


class Recorder:
    """A view of ``n`` (and ``m``) that records its calls and the figure it was handed."""

    def __init__(self):
        self.calls = []

    def __call__(self, n: int = 1, m: int = 0, figure=None):
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        self.calls.append((n, m, figure))
        fig = figure if figure is not None else new_figure(2, 1)
        fig.text(0.1, 0.5, f"n = {n}, m = {m}")  # a different picture for every setting
        return SimpleNamespace(fig=fig, message=f"n = {n}", error="odd" if n % 2 else None)


def _widget(*views, **kwargs):
    controls = sliders({"n": (-1, 200), "m": (0, 3)}, {"n": 2, "m": 0})
    return ViewWidget(controls, views or [Recorder()], **kwargs)


def test_it_is_a_widget_with_declared_parts():
    view = Recorder()
    w = _widget(view)
    assert isinstance(w, widgets.VBox) and isinstance(w.panel, FigurePanel)
    assert w.view is view and w.cache is w.panel.cache and w.panels == (w.panel,)
    assert set(w.controls) == {"n", "m"} and w.settings() == {"n": 2, "m": 0}
    assert w.children[1] is w.panel and bytes(w.panel.image.value).startswith(b"\x89PNG")


def test_a_control_change_draws_the_view_of_the_new_settings_in_place():
    view = Recorder()
    w = _widget(view)
    first_fig = view.calls[0][2]
    assert first_fig is None  # the first picture is drawn on a new figure
    w.controls["n"].value = 4
    assert view.calls[-1][:2] == (4, 0) and view.calls[-1][2] is not None  # then on the last one
    assert "n = 4" in w.panel.message.value and "#333333" in w.panel.message.value


def test_pictures_already_drawn_come_from_the_cache():
    view = Recorder()
    w = _widget(view)
    png = bytes(w.panel.image.value)
    w.controls["n"].value = 4
    w.controls["n"].value = 2
    assert [c[0] for c in view.calls] == [2, 4] and bytes(w.panel.image.value) == png
    for n in range(6, 6 + 2 * CACHE_SIZE, 2):
        w.controls["n"].value = n
    assert len(w.cache) == CACHE_SIZE and (("m", 0), ("n", 2)) not in w.cache  # the oldest went first


def test_an_error_result_is_red_and_an_exception_keeps_the_last_picture():
    w = _widget()
    w.controls["n"].value = 3
    assert "#d62728" in w.panel.message.value and "n = 3" in w.panel.message.value
    png = bytes(w.panel.image.value)
    w.controls["n"].value = -1
    assert bytes(w.panel.image.value) == png and "n must be &gt;= 0, got -1" in w.panel.message.value


def test_each_panel_is_drawn_only_when_a_setting_it_reads_changes():
    both, only_m = Recorder(), Recorder()
    w = _widget(FigurePanel(both), FigurePanel(only_m, uses=["m"]))
    w.controls["n"].value = 4
    assert len(both.calls) == 2 and len(only_m.calls) == 1
    w.controls["m"].value = 1
    assert len(both.calls) == 3 and len(only_m.calls) == 2
    assert w.panels[1].reads({"m"}) and not w.panels[1].reads({"n"})


def test_views_get_only_the_settings_they_take():
    def count(n: int):
        return SimpleNamespace(fig=new_figure(1, 1))

    w = _widget(count)
    w.controls["m"].value = 2  # count does not read m: nothing to draw
    assert list(w.cache) == [(("n", 2),)]


def test_on_change_runs_first_and_its_changes_are_drawn_once():
    view = Recorder()

    def tie(widget, name):
        if name == "n":
            widget.controls["m"].value = widget.controls["n"].value % 4

    w = _widget(view, on_change=tie)
    w.controls["n"].value = 7
    assert view.calls[-1][:2] == (7, 3) and len(view.calls) == 2


def test_sliders_are_int_or_float_by_their_range():
    made = sliders({"k": (1, 7), "x": (0.0, 1.0, 0.25)}, {"k": 3, "x": 0.5}, {"k": "kernel"}, width="200px")
    assert isinstance(made["k"], widgets.IntSlider) and made["k"].description == "kernel"
    assert isinstance(made["x"], widgets.FloatSlider) and made["x"].step == 0.25 and made["x"].description == "x"
    assert made["k"].layout.width == "200px" and made["k"].layout is not made["x"].layout


def test_cache_by_value_treats_equal_arrays_as_one_argument():
    seen = []

    def total(a, k):
        seen.append(type(a).__name__)
        return float(np.sum(a)) * k

    cached = cache_by_value(4)(total)
    assert cached(np.array([1, 2]), 2) == cached(np.array([1.0, 2.0]), 2) == 6.0  # equal numbers: one call
    assert cached(np.array([[1], [2]]), 2) == 6.0  # another shape: another entry
    assert cached([[1], [2]], 2) == cached(((1,), (2,)), 2) == 6.0  # a list is its tuple
    assert seen == ["ndarray", "ndarray", "tuple"]
    with pytest.raises(TypeError):
        cached({1: 2}, 1)  # unhashable and not an array


def test_every_widget_builder_returns_a_view_widget():
    import inspect

    import cnnlib.widgets

    builders = [getattr(cnnlib.widgets, name) for name in cnnlib.widgets.__all__ if name.endswith("_widget")]
    assert len(builders) >= 10  # every lesson widget, im2col explorer included
    for builder in builders:
        assert inspect.signature(builder).return_annotation in (ViewWidget, "ViewWidget"), builder.__name__


def test_fallback_line_names_a_menus_choice_by_its_label():
    menu = widgets.Dropdown(options=[("the predicted class", -1), ("Shirt", 6)], value=-1, description="class")
    w = ViewWidget({"target": menu}, [lambda target: SimpleNamespace(fig=new_figure(2, 2))])
    text = w._repr_mimebundle_()["text/plain"]
    assert "class = the predicted class" in text and "-1" not in text


def test_fallback_line_names_a_played_slider_once_and_grows_with_the_page_text():
    """Lesson 00's stored line said "(play = 1, step = 1)": the Play button only repeats its slider's value.
    At a fixed 15 px it was the one text below 18 px in a projected lesson not yet run
    (tests/browser/test_lab_projector.py measures it there)."""
    controls = play_slider("step", 9, 1, 1200, label="step", width="420px")
    bundle = ViewWidget(controls, [lambda step: SimpleNamespace(fig=new_figure(2, 2))])._repr_mimebundle_()
    assert "(step = 1)" in bundle["text/plain"] and "play" not in bundle["text/plain"]
    assert "font-size:max(15px, 1em)" in bundle["text/html"]


def test_cache_by_value_keys_scalars_by_type_so_every_call_is_checked():
    """As plain keys True == 1 == 1.0: stride=True would get stride=1's cached result and skip its check."""
    def stride_checked(stride):
        if isinstance(stride, bool) or not isinstance(stride, int):
            raise TypeError(f"stride must be an int, got {stride!r}")
        return stride * 10

    cached = cache_by_value(4)(stride_checked)
    assert cached(1) == 10
    for bad in (True, 1.0, [True]):
        with pytest.raises(TypeError, match="stride must be an int"):
            cached(bad)


@pytest.mark.parametrize("start, error, words", [
    (9, ValueError, "stride must be a whole number from 1 to 4 to start the stride slider there, got 9"),
    (2.5, ValueError, "got 2.5"),
    ("2", TypeError, "stride must be a number, got '2'"),
    (True, TypeError, "got True of type bool"),
])
def test_sliders_refuse_a_start_the_slider_would_silently_change(start, error, words):
    with pytest.raises(error, match=re.escape(words)):
        sliders({"stride": (1, 4)}, {"stride": start})


def test_sliders_take_starts_on_their_step_grid_only():
    assert sliders({"x": (0.0, 1.0, 0.05)}, {"x": 0.35})["x"].value == 0.35
    with pytest.raises(ValueError, match="in steps of 10"):
        sliders({"depth": (10, 40, 10)}, {"depth": 15})
