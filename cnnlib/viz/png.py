"""PNG bytes of a figure or of an array, with public APIs only.

:func:`render_png` draws a matplotlib figure on an Agg canvas (attached to
the figure once, so a widget's redraws reuse it) and :func:`encode_png`
writes the pixels. The encoder is a few lines of numpy and zlib: it stores
each row as its difference from the row above (PNG's "Up" filter), which
compresses a figure's flat colours as well as Pillow's adaptive filters in
half the time. :func:`array_png` colours a 2-D array with a colormap, for a
feature map placed inside an SVG figure.

>>> from matplotlib.figure import Figure
>>> render_png(Figure(figsize=(2, 1)))[:4] == b"\\x89PNG"
True
"""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from matplotlib import colormaps
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg


def render_png(fig, compress_level: int = 6, text: dict | None = None) -> bytes:
    """Draw ``fig`` and encode it as PNG (``compress_level`` 0-9: zlib's speed/size trade-off).

    A figure not made by pyplot gets an Agg canvas the first time and keeps
    it; a pyplot figure (or another backend's) is saved with ``savefig``.
    ``text``: ``{keyword: value}`` stored in the PNG as ``tEXt`` chunks.
    """
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        if type(canvas) is not FigureCanvasBase:  # a pyplot or other backend's canvas: leave it alone
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=fig.dpi, metadata=text,
                        pil_kwargs={"compress_level": compress_level})
            return buf.getvalue()
        canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()), compress_level, text)


def array_png(values, cmap: str = "gray", vmin: float = 0.0, vmax: float = 1.0, compress_level: int = 1) -> bytes:
    """PNG bytes of a 2-D array coloured by ``cmap`` on ``vmin … vmax`` (values outside are clipped).

    One array value becomes one pixel; the page scales it up (``image-rendering: pixelated``).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"array_png draws a 2-D array, got shape {values.shape}. Hint: pick one channel, x[0, c].")
    span = vmax - vmin if vmax > vmin else 1.0
    scaled = np.clip((np.nan_to_num(values, nan=vmin) - vmin) / span, 0.0, 1.0)
    rgba = colormaps[cmap](scaled, bytes=True)  # (H, W, 4) uint8
    return encode_png(rgba, compress_level)


def encode_png(rgba, compress_level: int = 6, text: dict | None = None) -> bytes:
    """PNG bytes of an ``(H, W, 4)`` uint8 image; RGB if every pixel is opaque (a figure's usually are).

    ``text``: ``{keyword: value}`` pairs stored as ``tEXt`` chunks (Latin-1),
    e.g. the figure's smallest font size for the browser tests to read.
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
    texts = b"".join(_chunk(b"tEXt", k.encode("latin-1") + b"\0" + str(v).encode("latin-1"))
                     for k, v in (text or {}).items())
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + texts + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
