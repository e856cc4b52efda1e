"""The one helper behind every lesson widget: controls above panels, each panel drawing a view of their values.

A *view* is a plain function of the settings that returns a result with a
``.fig`` (a matplotlib figure) or an ``.svg`` (an SVG document as a string,
for number grids: the browser draws it crisply and at its natural size),
and, optionally, a ``.message`` shown under it and an ``.error`` that shows
the message in red; tests and static pictures call it directly.
:class:`ViewWidget` does the rest: it calls each panel's view when a control
it reads changes, renders a figure to PNG (keeping what it already drew, so
going back to a setting is instant), redraws in place and turns a
``ValueError``/``TypeError`` into a red message.

>>> from types import SimpleNamespace
>>> from cnnlib.viz.style import new_figure
>>> def square(n=2, figure=None):
...     return SimpleNamespace(fig=figure or new_figure(2, 2), message=f"{n}² = {n * n}")
>>> w = ViewWidget({"n": widgets.IntSlider(value=2, min=1, max=5)}, [square])
>>> w.controls["n"].value = 3
>>> w.panel.message.value.count("3² = 9"), sorted(w.cache)
(1, [(('n', 2),), (('n', 3),)])
"""
from __future__ import annotations

import html
import inspect
from functools import partial
from typing import Callable

import ipywidgets as widgets

from .._checks import check_positive_int, is_real_number
from ..viz.projector import projector_mode
from ..viz.display import figure_to_png
from .projector_css import PROJECTOR_CSS  # the style sheet of a widget in projector mode

CACHE_SIZE = 64  # rendered PNGs kept per panel (about 50 kB each)
WIDGET_PNG_COMPRESSION = 1  # zlib level: fast to encode, the bytes only travel to the browser
ERROR_COLOR, TEXT_COLOR = "#d62728", "#333333"
MESSAGE_PX = 15  # the message under a figure; PROJECTOR_MIN_PX in projector mode


def _parameters(view) -> frozenset | None:
    """The keyword names ``view`` accepts; None if it takes ``**kwargs`` (then it reads every setting)."""
    params = inspect.signature(view).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return frozenset(p.name for p in params)


class FigurePanel(widgets.VBox):
    """One view's figure, as a PNG image (or an inline SVG) above a one-line message.

    Args:
        view: ``view(**settings) -> result`` with ``.fig`` (optional ``.message``, ``.error``).
        uses: the settings (control names) the view reads; default: its parameters.

    If the view takes ``figure=``, it gets the figure it returned last time,
    to redraw on it instead of making a new one (several times faster).
    """

    view: Callable
    uses: frozenset | None  # None: every setting
    cache: dict  # (png bytes or svg text, message, is_error) by the settings the view read
    image: widgets.Image
    svg: widgets.HTML  # shown instead of ``image`` when the view returns ``.svg``
    message: widgets.HTML

    def __init__(self, view: Callable, uses=None) -> None:
        self.view = view
        params = _parameters(view)
        self.uses = frozenset(uses) if uses is not None else params
        self.cache = {}
        # In projector mode a PNG keeps its natural size (never shrunk below it); the panel scrolls if it must.
        fit = "none" if projector_mode() else "100%"
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width=fit, height="auto"))
        # overflow: a figure wider than the page scrolls instead of shrinking below its natural size
        self.svg = widgets.HTML(value="", layout=widgets.Layout(display="none", overflow="auto", max_width="100%"))
        self.message = widgets.HTML(value="")
        self._redraws = params is None or "figure" in params
        self._figure = None
        super().__init__([self.image, self.svg, self.message], layout=widgets.Layout(overflow="auto"))

    def reads(self, names) -> bool:
        """True if the view reads any of the settings ``names``."""
        return self.uses is None or not self.uses.isdisjoint(names)

    def draw(self, settings: dict) -> None:
        """Show the view of ``settings`` (those it reads), from the cache if it was drawn before."""
        values = {k: v for k, v in settings.items() if self.uses is None or k in self.uses}
        key = tuple(sorted(values.items()))
        if key not in self.cache:
            try:
                result = self.view(**values, **({"figure": self._figure} if self._figure is not None else {}))
            except (ValueError, TypeError) as exc:
                self.show_error(str(exc))
                return
            if self._redraws:
                self._figure = getattr(result, "fig", None)
            drawing = result.svg if hasattr(result, "svg") else self.render(result.fig)
            self.cache[key] = (drawing, getattr(result, "message", ""), bool(getattr(result, "error", None)))
            if len(self.cache) > CACHE_SIZE:
                del self.cache[next(iter(self.cache))]  # dicts keep insertion order: drop the oldest
        self.show_png(*self.cache[key])

    def render(self, fig) -> bytes:
        """The PNG bytes of ``fig`` (fast to encode: they only travel to the browser)."""
        return figure_to_png(fig, compress_level=WIDGET_PNG_COMPRESSION)

    def show_png(self, png: bytes | str, message: str = "", error: bool = False) -> None:
        """Show an already rendered figure (PNG bytes, or SVG text) and a plain-text message (red if ``error``)."""
        if isinstance(png, str):
            self.svg.value = png
            self.svg.layout.display, self.image.layout.display = None, "none"
        else:
            self.image.value = png
            self.image.layout.display, self.svg.layout.display = None, "none"
        self.message.value = _as_html(message, ERROR_COLOR if error else TEXT_COLOR)

    def show_error(self, message: str) -> None:
        """Keep the last figure, show ``message`` in red."""
        self.message.value = _as_html(message, ERROR_COLOR)


def _short(value) -> str:
    """A control's value as a reader would write it: 0.1, not 0.1000000000000001."""
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _shown_value(control) -> str:
    """What a control shows: a menu's label ("predicted class"), else its value as :func:`_short` writes it."""
    label = getattr(control, "label", None) if hasattr(control, "options") else None
    return str(label) if label is not None else _short(control.value)


def _as_html(text: str, color: str) -> str:
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return (f'<div class="cnnlib-message" style="color:{color}; font-size:{MESSAGE_PX}px; font-family:monospace; '
            f'white-space:pre-wrap">{body}</div>')


class ViewWidget(widgets.VBox):
    """Controls (sliders, menus, …) above one or more :class:`FigurePanel`; a control's change redraws its panels.

    Args:
        controls: ``{name: control}``; each control's ``value`` is the view's setting ``name``.
        panels: :class:`FigurePanel` objects, or view functions (each becomes a panel).
        layout: the widget that arranges the controls (default: all of them in one row).
        on_change: ``on_change(widget, name)``, called after control ``name`` changed and
            before anything is redrawn, e.g. to set another slider's range; the
            controls it changes are drawn with the rest, once.
        titles: one name per panel. In projector mode a widget with several panels
            shows them as tabs with these names, so that the controls and one
            figure fit on one screen (default "figure 1", "figure 2", …).

    The first panel is also ``panel``, its cache ``cache`` and its view ``view``.
    """

    controls: dict
    panels: tuple
    panel: FigurePanel
    cache: dict
    view: Callable

    def __init__(self, controls: dict, panels, *, layout=None, on_change: Callable | None = None,
                 titles=None) -> None:
        self.controls = dict(controls)
        self.panels = tuple(p if isinstance(p, FigurePanel) else FigurePanel(p) for p in panels)
        self.panel = self.panels[0]
        self.cache = self.panel.cache
        self.view = self.panel.view
        self._on_change = on_change
        self._pending = None  # names changed while on_change runs
        if titles is not None and len(titles) != len(self.panels):
            raise ValueError(f"titles names each panel: got {len(titles)} titles ({list(titles)!r}) for "
                             f"{len(self.panels)} panels. Hint: one title per panel, in the panels' order.")
        for name, control in self.controls.items():
            control.observe(partial(self._changed, name), names="value")
        controls_box = layout if layout is not None else widgets.HBox(
            list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))  # wrap, never overlap
        body, extra = list(self.panels), []
        if projector_mode():
            extra = [widgets.HTML(f"<style>{PROJECTOR_CSS}</style>", layout=widgets.Layout(height="0px"))]
            if len(self.panels) > 1:  # one figure at a time under the controls: all of it on one screen
                names = list(titles) if titles is not None else [f"figure {i + 1}" for i in range(len(self.panels))]
                tabs = widgets.Tab(children=list(self.panels))
                for i, name in enumerate(names):
                    tabs.set_title(i, name)
                body = [tabs]
        super().__init__([controls_box, *body, *extra])
        if projector_mode():
            self.add_class("cnnlib-projector")
        self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        """The widget, plus what a reader without a running kernel sees instead of ``VBox(children=...)``.

        JupyterLab shows the ``text/html`` of a widget whose state was not saved
        (a lesson opened before running it), and so do ``make html`` and
        nbviewer, and JupyterLab without the widget extension even after the cell
        has run: a line saying it is interactive, with which settings, and what to
        do if it stays. The static picture of the starting state is the cell just
        before it.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # no view (a closed widget): nothing to add
            return None
        shown = ", ".join(f"{getattr(c, 'description', '') or name} = {_shown_value(c)}"
                          for name, c in self.controls.items()
                          if not isinstance(c, widgets.Play))  # a Play button repeats its slider's value
        text = (f"Interactive figure ({shown}): run the cell to move its controls (if this line stays after it "
                "has run, open the lessons with make lab). The still picture above shows its start.")
        bundle["text/plain"] = text
        # Stored in the lesson, so the size must adapt where it is read: 1em is the page's output text, 18 px in
        # make lab PROJECTOR=1 (the widgets' projector style sheet is not on the page before the cell runs).
        bundle["text/html"] = (f'<div class="cnnlib-widget-fallback" style="font-size:max({MESSAGE_PX}px, 1em); '
                               f'color:{TEXT_COLOR}; '
                               f'border-left:4px solid #0072B2; padding:4px 10px">▶ {html.escape(text)}</div>')
        return bundle

    def settings(self) -> dict:
        """Every control's value, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, changed=None) -> None:
        """Draw the panels that read any of the ``changed`` names (default: every panel)."""
        settings = self.settings()
        for panel in self.panels:
            if changed is None or panel.reads(changed):
                panel.draw(settings)

    def _changed(self, name: str, change) -> None:
        if self._pending is not None:  # changed by on_change: drawn below, with the rest
            self._pending.add(name)
            return
        self._pending = {name}
        try:
            if self._on_change is not None:
                self._on_change(self, name)
        finally:
            changed, self._pending = self._pending, None
        self.redraw(changed)


def sliders(ranges: dict, start: dict, labels: dict | None = None, width: str | None = None, **options) -> dict:
    """One slider per ``name: (min, max)`` or ``(min, max, step)`` in ``ranges``, starting at ``start[name]``.

    Integer ranges give ``IntSlider``, others ``FloatSlider``; ``labels`` are
    the descriptions (default: the names); ``width`` a CSS width; ``options``
    go to every slider (``style``, ``readout_format``, …).

    >>> sliders({"stride": (1, 4)}, {"stride": 2})["stride"].value
    2
    """
    made = {}
    for name, (lo, hi, *step) in ranges.items():
        kind = widgets.IntSlider if all(isinstance(v, int) for v in (lo, hi, *step)) else widgets.FloatSlider
        _check_start(name, start[name], lo, hi, step[0] if step else None, kind is widgets.IntSlider)
        layout = widgets.Layout(width=width) if width else widgets.Layout()
        made[name] = kind(value=start[name], min=lo, max=hi, step=step[0] if step else 1,
                          description=(labels or {}).get(name, name), layout=layout, **options)
    return made


def play_slider(name: str, n: int, start: int, interval_ms: int, *, label: str | None = None, width: str,
                **options) -> dict:
    """``{"play": Play, name: IntSlider}``: a Play button and a slider over ``1 .. n``, linked in the browser.

    Both start at ``start``; the Play button moves the slider one step every
    ``interval_ms`` milliseconds without a round trip to the kernel.

    >>> controls = play_slider("step", 9, 1, 1200, width="420px")
    >>> controls["play"].interval, controls["step"].max
    (1200, 9)
    """
    interval_ms = check_positive_int(interval_ms, "interval_ms")
    slider = sliders({name: (1, n)}, {name: start}, {name: label or name}, width=width, **options)[name]
    play = widgets.Play(value=start, min=1, max=n, step=1, interval=interval_ms, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    return {"play": play, name: slider}


def _check_start(name: str, value, lo, hi, step, whole: bool) -> None:
    """A slider's start value, checked: ipywidgets would silently clamp 9 to a slider's 4, or fail on 2.5."""
    if not is_real_number(value):
        raise TypeError(f"{name} must be a number, got {value!r} of type {type(value).__name__}. "
                        f"Hint: the {name} slider runs from {lo} to {hi}.")
    in_range = lo <= value <= hi  # False for NaN and inf too, before they reach the grid arithmetic
    steps = float(value - lo) / step if in_range and step is not None else 0.0
    on_grid = abs(steps - round(steps)) < 1e-6
    if not in_range or (whole and value != int(value)) or not on_grid:
        grid = f" in steps of {step}" if step is not None else ""
        raise ValueError(f"{name} must be {'a whole number ' if whole else ''}from {lo} to {hi}{grid} to start the "
                         f"{name} slider there, got {value!r}. Hint: the widget shows that range; for a value "
                         "outside it, call the function the widget draws with directly.")
