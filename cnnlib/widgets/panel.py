"""The display half of every widget: a PNG image of the figure and a message line.

The figure goes into an ``ipywidgets.Image`` (its bytes are replaced on every
slider move, so the page does not flicker and a browser test can watch the
image change); errors go into an HTML line instead of a traceback.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..viz.style import figure_to_png


CACHE_SIZE = 64  # rendered PNGs kept per widget (about 50 kB each)
WIDGET_PNG_COMPRESSION = 1  # zlib level: fast to encode, the bytes only travel to the browser


class FigurePanel(widgets.VBox):
    """An image of the current figure above a one-line message."""

    def __init__(self, **kwargs) -> None:
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.message = widgets.HTML(value="")
        super().__init__([self.image, self.message], **kwargs)

    def show_png(self, png: bytes, message: str = "", error: bool = False) -> None:
        """Show an already rendered figure and an optional plain-text message (red if ``error``)."""
        self.image.value = png
        self.message.value = _as_html(message, color="#d62728" if error else "#333333")

    def show_error(self, message: str) -> None:
        """Keep the last figure, show ``message`` in red."""
        self.message.value = _as_html(message, color="#d62728")


def _as_html(text: str, color: str = "#333333") -> str:
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f'<div style="color:{color}; font-size:15px; font-family:monospace; white-space:pre-wrap">{body}</div>'


def run_view(panel: FigurePanel, view_fn, cache: dict | None = None, **values) -> None:
    """Call ``view_fn(**values)``, render its figure into ``panel``; a ValueError becomes a red message.

    ``cache`` (optional) keeps rendered PNGs by slider values, so going back
    to a setting already seen is instant.
    """
    key = tuple(sorted(values.items()))
    if cache is not None and key in cache:
        panel.show_png(*cache[key])
        return
    try:
        view = view_fn(**values)
    except (ValueError, TypeError) as exc:
        panel.show_error(str(exc))
        return
    png = figure_to_png(view.fig, compress_level=WIDGET_PNG_COMPRESSION)
    entry = (png, getattr(view, "message", ""), bool(getattr(view, "error", None)))
    if cache is not None:
        cache[key] = entry
        if len(cache) > CACHE_SIZE:
            del cache[next(iter(cache))]  # dicts keep insertion order: drop the oldest
    panel.show_png(*entry)


def redrawing(view_fn):
    """``view_fn`` made to draw every picture on the figure it returned last time (its ``figure=`` argument).

    Reusing one figure and its Axes is about three times faster than making
    new ones; every widget whose view takes ``figure`` does it.
    """
    drawn = {"fig": None}

    def view(*args, **kwargs):
        result = view_fn(*args, **kwargs, figure=drawn["fig"])
        drawn["fig"] = result.fig
        return result

    return view


def observe_all(controls, callback) -> None:
    """Call ``callback()`` whenever the value of any control changes."""
    for control in controls:
        control.observe(lambda change: callback(), names="value")
