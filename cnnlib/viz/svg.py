"""Number grids drawn as SVG: crisp at any zoom, text in CSS pixels, no PNG round trip.

A lesson's number grids (a window over an input, a matrix, an output) are
rectangles and short texts. As SVG the browser draws them: they stay sharp
on a projector, their text size is what the page says (never shrunk with a
bitmap), and a redraw sends a few kilobytes of text. :class:`Svg` collects
elements and writes the document; the element helpers are plain functions
of numbers, so a drawing reads top to bottom like the figure.

>>> s = Svg(120, 40)
>>> s.rect(0, 0, 40, 40, fill="#56B4E9")
>>> s.text(60, 20, "x = 3")
>>> s.to_string().count("<rect"), s.to_string().count("<text")
(1, 1)

A photo or a feature map goes in as a small PNG, one pixel per value, that
the browser scales up with sharp pixels (:meth:`Svg.image`, with
:func:`cnnlib.viz.png.array_png`); :func:`colorbar` draws the scale of its
colours, its limits written beside it.
"""
from __future__ import annotations

import base64
from contextlib import contextmanager
from functools import lru_cache
from html import escape

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from .png import array_png

FONT = "DejaVu Sans, Verdana, sans-serif"
MIN_FONT_PX = 18  # the smallest text in a figure: readable from the back of a classroom at 1024×768


class Svg:
    """An SVG document of ``width × height`` CSS pixels, built element by element.

    The document has a fixed size: a widget that redraws it never changes the
    height of the page. Text sizes are CSS pixels, at least :data:`MIN_FONT_PX`.
    """

    def __init__(self, width: float, height: float, *, title: str = "") -> None:
        self.width, self.height = width, height
        self.title = title
        self.defs: list[str] = []
        self.items: list[str] = []

    def rect(self, x, y, w, h, *, fill="none", stroke="none", stroke_width=1.0, dash: str | None = None,
             opacity: float | None = None) -> None:
        """A rectangle; ``dash`` is an SVG dash pattern such as ``"6 4"``."""
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        extra += f' fill-opacity="{opacity:g}"' if opacity is not None else ""
        self.items.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="{fill}" '
                          f'stroke="{stroke}" stroke-width="{stroke_width:g}"{extra}/>')

    def line(self, x1, y1, x2, y2, *, stroke="#333333", stroke_width=1.5, arrow: bool = False) -> None:
        """A straight line, with an arrow head at ``(x2, y2)`` if ``arrow``."""
        if arrow and "arrow" not in "".join(self.defs):
            self.defs.append('<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
                             'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
                             'fill="#333333"/></marker>')
        head = ' marker-end="url(#arrow)"' if arrow else ""
        self.items.append(f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{stroke}" '
                          f'stroke-width="{stroke_width:g}"{head}/>')

    def text(self, x, y, text: str, *, size: float = MIN_FONT_PX, anchor: str = "middle", weight: str = "normal",
             fill: str = "#000000", family: str = FONT, baseline: str = "central") -> None:
        """``text`` at ``(x, y)``: ``anchor`` start/middle/end, vertically centred by default."""
        if size < MIN_FONT_PX:
            raise ValueError(f"text size {size} px is below the {MIN_FONT_PX} px a projected figure needs.")
        self.items.append(f'<text x="{x:g}" y="{y:g}" font-size="{size:g}px" font-family="{family}" '
                          f'text-anchor="{anchor}" dominant-baseline="{baseline}" font-weight="{weight}" '
                          f'fill="{fill}">{escape(text)}</text>')

    def image(self, x, y, w, h, png: bytes, *, pixelated: bool = True) -> None:
        """PNG bytes stretched over ``w × h`` px; ``pixelated``: each pixel a sharp square (a value, not a blur)."""
        data = base64.b64encode(png).decode("ascii")
        style = ' style="image-rendering: pixelated"' if pixelated else ""
        self.items.append(f'<image x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" preserveAspectRatio="none" '
                          f'href="data:image/png;base64,{data}"{style}/>')

    def polygon(self, points, *, fill="none", stroke="none", stroke_width=1.0) -> None:
        """A closed polygon through ``points``, a list of ``(x, y)``."""
        path = " ".join(f"{px:g},{py:g}" for px, py in points)
        self.items.append(f'<polygon points="{path}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width:g}"/>')

    def circle(self, cx, cy, r, *, fill="none", stroke="none", stroke_width=1.0) -> None:
        """A circle of radius ``r`` centred at ``(cx, cy)``."""
        self.items.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fill}" stroke="{stroke}" '
                          f'stroke-width="{stroke_width:g}"/>')

    def polyline(self, points, *, stroke="#333333", stroke_width=1.5, dash: str | None = None) -> None:
        """An open line through ``points``, a list of ``(x, y)`` (a curve of a plot); ``dash`` as in :meth:`rect`."""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.items.append(f'<polyline points="{path}" fill="none" stroke="{stroke}" stroke-width="{stroke_width:g}" '
                          f'stroke-linejoin="round"{extra}/>')

    @contextmanager
    def group(self, name: str):
        """``with svg.group("run chosen"):`` puts the elements drawn inside in one ``<g class="...">``.

        The class names what a group shows, for a reader of the SVG and for tests.
        """
        self.items.append(f'<g class="{escape(name)}">')
        try:
            yield self
        finally:
            self.items.append("</g>")

    def to_string(self) -> str:
        """The SVG document; its ``width``/``height`` are its natural size in CSS pixels."""
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="cnnlib-figure" width="{self.width:g}" '
                f'height="{self.height:g}" viewBox="0 0 {self.width:g} {self.height:g}" role="img">'
                f'{title}{defs}{"".join(self.items)}</svg>')


def number_grid(svg: Svg, values, x0: float, y0: float, cell: float, *, fill="#ffffff", fills=None,
                size: float = MIN_FONT_PX, fmt=None) -> None:
    """A grid of numbers, cell ``(r, c)`` at ``(x0 + c·cell, y0 + r·cell)``; ``fills[r][c]`` overrides ``fill``."""
    fmt = fmt or (lambda v: str(v))
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            face = fills[r][c] if fills is not None else fill
            svg.rect(x0 + c * cell, y0 + r * cell, cell, cell, fill=face, stroke="#555555", stroke_width=1)
            svg.text(x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell, fmt(v), size=size)


def marker(svg: Svg, shape: str, x: float, y: float, size: float = 14, *, fill="#000000", stroke="#333333",
           stroke_width: float = 1.0) -> None:
    """A plot marker ``size`` px across centred at ``(x, y)``: ``shape`` as in matplotlib, "o", "s", "^" or "X".

    The shape is the second cue beside the colour: categories stay apart in grayscale or colour blindness.
    """
    r = size / 2
    if shape == "o":
        svg.circle(x, y, r, fill=fill, stroke=stroke, stroke_width=stroke_width)
    elif shape == "s":
        svg.rect(x - 0.9 * r, y - 0.9 * r, 1.8 * r, 1.8 * r, fill=fill, stroke=stroke, stroke_width=stroke_width)
    elif shape == "^":
        svg.polygon([(x, y - 1.1 * r), (x + r, y + 0.75 * r), (x - r, y + 0.75 * r)], fill=fill, stroke=stroke,
                    stroke_width=stroke_width)
    elif shape == "X":  # a plus sign of arms r long and 0.6 r thick, turned by 45°
        t = 0.3 * r
        plus = [(t, r), (t, t), (r, t), (r, -t), (t, -t), (t, -r),
                (-t, -r), (-t, -t), (-r, -t), (-r, t), (-t, t), (-t, r)]
        c = np.sqrt(0.5)
        svg.polygon([(x + c * (px - py), y + c * (px + py)) for px, py in plus], fill=fill, stroke=stroke,
                    stroke_width=stroke_width)
    else:
        raise ValueError(f"marker shape must be 'o', 's', '^' or 'X', got {shape!r}.")


@lru_cache(maxsize=1024)
def text_width(text: str, size: float = MIN_FONT_PX) -> float:
    """The width in px of ``text`` at ``size`` px in DejaVu Sans (the figures' first font), as matplotlib measures it.

    For laying out and testing a figure: does a title fit above its picture?

    >>> round(text_width("input 150×128"))
    136
    """
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(family="DejaVu Sans", size=size),
                                                              ismath=False)
    return float(width)


_TEXT_TO_PATH = TextToPath()


@lru_cache(maxsize=16)
def _strip_png(cmap: str, rows: int) -> bytes:
    """A colour bar's gradient, ``rows`` px tall, the top of ``cmap`` first (the same for any limits: kept)."""
    return array_png(np.linspace(1.0, 0.0, rows)[:, None], cmap, 0.0, 1.0)  # (rows, 1)


def tick_text(value: float) -> str:
    """A colour-bar number: 2 significant digits, no exponent, a true minus sign.

    >>> tick_text(-0.25), tick_text(450.0), tick_text(1.0), tick_text(-0.0)
    ('−0.25', '450', '1', '0')
    """
    rounded = float(f"{value:.2g}") + 0.0  # + 0.0: no "-0"
    return np.format_float_positional(rounded, trim="-").replace("-", "−")


def colorbar(svg: Svg, x: float, y: float, h: float, cmap: str, vmin: float, vmax: float, ticks=None, *,
             width: float = 16, extend: str = "neither", fmt=tick_text, size: float = MIN_FONT_PX) -> None:
    """A vertical colour bar, top-left at ``(x, y)``, ``h`` px tall: ``vmax`` at the top, ``vmin`` at the bottom.

    ``ticks`` (default: the two limits) are marked and written on the right
    with ``fmt``. ``extend`` ``"min"``, ``"max"`` or ``"both"`` adds a
    triangle beyond that end: values there are drawn in its end colour.
    """
    if extend not in ("neither", "min", "max", "both"):
        raise ValueError(f"extend must be 'neither', 'min', 'max' or 'both', got {extend!r}.")
    span = vmax - vmin if vmax > vmin else 1.0
    svg.image(x, y, width, h, _strip_png(cmap, max(int(round(h)), 2)), pixelated=False)
    svg.rect(x, y, width, h, stroke="#333333", stroke_width=1)  # the bar's edge: its white end must show
    tip = 0.9 * width
    low, high = colormaps[cmap]([0.0, 1.0])  # the end colours
    for end, edge, sign, colour in (("max", y, -1, high), ("min", y + h, 1, low)):
        if extend in (end, "both"):
            svg.polygon([(x, edge), (x + width, edge), (x + width / 2, edge + sign * tip)], fill=to_hex(colour),
                        stroke="#333333")
    for t in (vmin, vmax) if ticks is None else ticks:
        ty = y + (vmax - t) / span * h
        svg.line(x + width, ty, x + width + 5, ty, stroke="#333333", stroke_width=1)
        svg.text(x + width + 8, ty, fmt(t), size=size, anchor="start")
