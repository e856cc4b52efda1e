"""Rendering figures to PNG quickly: an Agg canvas that rasterises each text once and reuses it.

A lesson figure is mostly text (cell numbers, indices, titles), and
matplotlib lays out and rasterises every text again on every draw, glyph by
glyph: that was most of a widget's redraw time. :class:`FastCanvas` keeps
each text's bitmap and size (by string, font and dpi), so "0", "1" or a
title seen on the previous slider move are drawn by copying pixels. The
bitmaps are made by FreeType as matplotlib's Agg backend made them up to
version 3.10 (the whole string at once, placed on whole pixels), so the
pictures look the same. :func:`encode_png` then writes the PNG in about
half the time Pillow takes.

>>> from matplotlib.figure import Figure
>>> png = render_png(Figure(figsize=(2, 1)))
>>> png[:4] == b"\\x89PNG"
True
"""
from __future__ import annotations

import io
import math
import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.font_manager import fontManager, get_font

MAX_CACHED_TEXTS = 4000  # a few MB of small bitmaps; the cache starts over when full


class CachedTextRenderer(RendererAgg):
    """``RendererAgg`` that keeps every plain text's bitmap and metrics (shared by all figures)."""

    _bitmaps: dict = {}
    _metrics: dict = {}
    _font_heights: dict = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or _has_text_features(mtext):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = (s, hash(prop), self.dpi, gc.get_antialiased(), get_hinting_flag())
        cached = self._bitmaps.get(key)
        if cached is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())  # angle 0: draw_text_image rotates the bitmap
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            cached = (np.array(font.get_image()), font.get_descent() / 64, xo / 64, yo / 64)
            _remember(self._bitmaps, key, cached)
        bitmap, descent, xo, yo = cached
        xd, yd = descent * math.sin(math.radians(angle)), descent * math.cos(math.radians(angle))
        self._renderer.draw_text_image(bitmap, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc)

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, hash(prop), self.dpi, get_hinting_flag())
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = _remember(self._metrics, key, super().get_text_width_height_descent(s, prop, ismath))
        return metrics

    def _get_font_height_metrics(self, prop):
        """``(ascent, descent, line gap)`` of the font in pixels, cached; matplotlib >= 3.11 asks for it per text.

        The same numbers matplotlib reads from the font's OS/2 or hhea table
        (``Text._get_layout``); ``(None, None, None)`` lets it measure instead.
        """
        key = (hash(prop), self.dpi)
        metrics = self._font_heights.get(key)
        if metrics is None:
            metrics = _remember(self._font_heights, key, _font_height_metrics(prop, self.dpi))
        return metrics


def _font_height_metrics(prop, dpi: float) -> tuple:
    font = get_font(fontManager._find_fonts_by_props(prop))
    scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def _has_text_features(mtext) -> bool:
    """Font features or a language (matplotlib >= 3.10) need matplotlib's own text layout."""
    if mtext is None:
        return False
    features = getattr(mtext, "get_fontfeatures", lambda: None)()
    language = getattr(mtext, "get_language", lambda: None)()
    return bool(features) or bool(language)


def _remember(cache: dict, key, value):
    if len(cache) >= MAX_CACHED_TEXTS:
        cache.clear()
    cache[key] = value
    return value


class FastCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`CachedTextRenderer`; attach it once, redraw it many times."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if getattr(self, "_renderer_key", None) != key:
            self.renderer = CachedTextRenderer(w, h, self.figure.dpi)
            self._renderer_key = key
        return self.renderer


def render_png(fig, compress_level: int = 6) -> bytes:
    """Draw ``fig`` and encode it as PNG (``compress_level`` 0-9: zlib's speed/size trade-off).

    A figure not made by pyplot gets a :class:`FastCanvas` the first time
    and keeps it; other figures are saved the usual way.
    """
    canvas = fig.canvas
    if not isinstance(canvas, FastCanvas):
        if type(canvas) is not FigureCanvasBase:  # a pyplot or other backend's canvas: leave it alone
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=fig.dpi, pil_kwargs={"compress_level": compress_level})
            return buf.getvalue()
        canvas = FastCanvas(fig)
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()), compress_level)


def encode_png(rgba, compress_level: int = 6) -> bytes:
    """PNG bytes of an ``(H, W, 4)`` uint8 image; RGB if every pixel is opaque (a figure's usually are).

    Every row is stored as its difference from the row above (PNG's "Up"
    filter): on a figure's flat colours that compresses as well as Pillow's
    adaptive filters, in half the time.
    """
    rgba = np.asarray(rgba, dtype=np.uint8)
    h, w, _ = rgba.shape
    opaque = bool((rgba[..., 3] == 255).all())
    pixels = (rgba[..., :3] if opaque else rgba).reshape(h, -1)  # (H, W*3) or (H, W*4)
    rows = np.empty((h, 1 + pixels.shape[1]), dtype=np.uint8)
    rows[:, 0] = 2  # filter type "Up"
    rows[0, 1:] = pixels[0]
    np.subtract(pixels[1:], pixels[:-1], out=rows[1:, 1:])  # uint8: wraps modulo 256, as PNG wants
    header = struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0)  # 8 bits, RGB/RGBA, no interlace
    data = zlib.compress(rows.tobytes(), compress_level)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
