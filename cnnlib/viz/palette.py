"""Colours that survive colour-vision deficiency, and the simulation that checks they do.

Categories use the Okabe–Ito palette (:data:`OKABE_ITO`), chosen to stay
distinct for the common forms of colour blindness; every figure adds a
second cue (a label, a dashed or thick outline, hatching), so colour is
never the only one. :func:`simulate_cvd` shows a colour as a person with
protanopia, deuteranopia or tritanopia sees it (Machado, Oliveira and
Fernandes 2009, severity 1, applied in linear RGB), and :func:`delta_e` says
how far apart two colours look (CIE 1976 ΔE in CIELAB: about 2.3 is just
noticeable, 10 and more is easy to tell apart on a projector).

>>> round(delta_e("#000000", "#ffffff"))
100
>>> min_delta_e([OKABE_ITO["blue"], OKABE_ITO["orange"]], "deuteranopia") > 20
True
"""
from __future__ import annotations

import numpy as np

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
}

#: Machado et al. (2009), severity 1.0: linear RGB -> linear RGB as seen with the deficiency.
CVD_MATRICES = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def to_rgb(colors) -> np.ndarray:
    """``"#rrggbb"`` strings (or one string) as an ``(n, 3)`` array of sRGB values in 0..1."""
    if isinstance(colors, str):
        colors = [colors]
    rgb = []
    for c in colors:
        if not (isinstance(c, str) and len(c) == 7 and c.startswith("#")):
            raise ValueError(f"colour must be a '#rrggbb' string, got {c!r}. Hint: OKABE_ITO['blue'] is '#0072B2'.")
        try:
            rgb.append([int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        except ValueError:
            raise ValueError(f"colour {c!r} is not hexadecimal '#rrggbb'.") from None
    return np.array(rgb, dtype=float)  # (n, 3)


def _to_linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _to_srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate_cvd(colors, kind: str) -> np.ndarray:
    """``colors`` as seen with ``kind`` ("protanopia", "deuteranopia" or "tritanopia"): ``(n, 3)`` sRGB in 0..1."""
    if kind not in CVD_MATRICES:
        raise ValueError(f"kind must be one of {sorted(CVD_MATRICES)}, got {kind!r}.")
    linear = _to_linear(to_rgb(colors))  # (n, 3)
    return _to_srgb(linear @ CVD_MATRICES[kind].T)


def to_lab(srgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of ``(n, 3)`` sRGB values in 0..1."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = _to_linear(np.asarray(srgb, dtype=float)) @ m.T / np.array([0.95047, 1.0, 1.08883])  # (n, 3)
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def delta_e(a: str, b: str, kind: str | None = None) -> float:
    """How different colours ``a`` and ``b`` look (CIE76 ΔE), with normal vision or with deficiency ``kind``."""
    rgb = to_rgb([a, b]) if kind is None else simulate_cvd([a, b], kind)
    lab = to_lab(rgb)
    return float(np.linalg.norm(lab[0] - lab[1]))


def min_delta_e(colors, kind: str | None = None) -> float:
    """The smallest ΔE between any two of ``colors`` (normal vision, or as seen with ``kind``)."""
    colors = list(colors)
    return min(delta_e(a, b, kind) for i, a in enumerate(colors) for b in colors[i + 1:])


def simulate_cvd_image(rgb, kind: str) -> np.ndarray:
    """An ``(H, W, 3)`` uint8 image (a screenshot) as seen with deficiency ``kind``, as uint8."""
    if kind not in CVD_MATRICES:
        raise ValueError(f"kind must be one of {sorted(CVD_MATRICES)}, got {kind!r}.")
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] < 3 or rgb.dtype != np.uint8:
        raise ValueError(f"simulate_cvd_image takes an (H, W, 3) uint8 image, got {rgb.dtype} {rgb.shape}. "
                         "Hint: np.asarray(PIL.Image.open(path).convert('RGB')).")
    linear = _to_linear(rgb[..., :3].reshape(-1, 3) / 255.0)  # (H*W, 3)
    seen = _to_srgb(linear @ CVD_MATRICES[kind].T)
    return np.round(seen * 255).astype(np.uint8).reshape(rgb.shape[0], rgb.shape[1], 3)  # (H, W, 3)
