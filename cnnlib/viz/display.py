"""How a lesson figure reaches the page: PNG bytes, an ``<img>`` of an SVG, and :func:`show`."""
from __future__ import annotations

import base64
import html
import re

from matplotlib.figure import Figure

from .png import render_png
from .projector import ensure_min_font, projector_mode

MIN_FONT_KEY = "cnnlib:min-font-px"  # PNG text chunk: the smallest font on the figure, px


def figure_to_png(fig: Figure, compress_level: int = 6) -> bytes:
    """Render ``fig`` to PNG bytes (what the lesson cells and the widgets display).

    Text smaller than the mode's minimum (:mod:`cnnlib.viz.projector`) is
    enlarged first, and the PNG records that size (``tEXt`` chunk
    ``cnnlib:min-font-px``) for the browser tests. Widgets pass
    ``compress_level=1``: a slightly bigger file, encoded faster.
    """
    min_px = ensure_min_font(fig)
    return render_png(fig, compress_level, text={MIN_FONT_KEY: f"{min_px:.1f}"})


def svg_as_img(svg: str) -> str:
    """An HTML ``<img>`` of the SVG document ``svg``, its ``alt`` text the SVG's ``<title>``.

    A screen reader reads the ``alt`` of an ``<img>``, not the title inside the picture, so the title is
    copied there ("figure" for an SVG without one).

    >>> svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>max pooling 2×2 &amp; stride 2</title></svg>'
    >>> svg_as_img(svg).split(" src=")[0]
    '<img alt="max pooling 2×2 &amp; stride 2"'
    """
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    alt = " ".join(html.unescape(title.group(1)).split()) if title else "figure"
    data = base64.b64encode(svg.encode()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def show(fig):
    """Display ``fig`` in a notebook as a PNG image and return nothing; an SVG string, or a view with ``.svg``, as SVG.

    Works whatever matplotlib backend is active, so a lesson's static
    rendering looks the same in JupyterLab, Voilà and a static viewer. An
    SVG goes out twice: as ``image/svg+xml`` (GitHub, nbviewer, ``make html``)
    and as an HTML ``<img>`` of it, which JupyterLab shows even in a notebook
    that has not been run yet (it does not show the SVG of an untrusted notebook).
    In projector mode a PNG is shown at its natural size even if it is wider
    than the cell (``unconfined``: it scrolls sideways instead of shrinking).
    """
    from IPython.display import Image, display

    svg = fig if isinstance(fig, str) else getattr(fig, "svg", None)  # an SVG document, or a view drawing one
    if svg is not None:
        display({"text/html": svg_as_img(svg), "image/svg+xml": svg, "text/plain": "<figure>"}, raw=True)
    else:
        display(Image(data=figure_to_png(fig), format="png", unconfined=projector_mode()))
