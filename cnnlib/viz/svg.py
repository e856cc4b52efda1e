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
"""
from __future__ import annotations

from html import escape

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
