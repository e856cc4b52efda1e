"""Lesson 13's figures as SVG: an image beside its saliency, occlusion and Grad-CAM; maps and logits under shifts.

:func:`draw_explanation` draws what :func:`cnnlib.demos.explain.explain_image`
computed: four pictures of the same size, each with its colour bar, under
two header lines (the true and the predicted class with its probability, the
class explained). :func:`draw_shift_response` draws
:func:`cnnlib.demos.shifts.shift_response`: how far each layer's maps moved
against the image shift (equivariance: on the diagonal) and how much the maps
and the logits changed (invariance: the logits change less). Both are
:data:`WIDTH` px wide whatever the data, text ≥ 18 px.

>>> from cnnlib.demos.explain import tiny_model
>>> from cnnlib.demos.shifts import shift_response
>>> svg = draw_shift_response(shift_response(tiny_model(), np.ones((1, 3, 3)), (0, 1), (1,)))
>>> svg[:4]
'<svg'
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps

from ..demos.explain import ImageExplanation
from ..demos.shifts import ShiftResponse
from .palette import OKABE_ITO
from .png import array_png, encode_png
from .style import IMAGE_CMAP, SIGNED_CMAP
from .svg import Svg, colorbar, marker, tick_text

WIDTH = 800  # px: the width of a notebook cell at 1024×768
MARGIN = 8
PANEL = 116  # px: one 28×28 picture
BAR_GAP, BAR_W, TICKS_W = 6, 14, 60
COLUMN = PANEL + BAR_GAP + BAR_W + TICKS_W  # 196 px: a picture, its colour bar and the bar's numbers
HEADER_PX, TEXT_PX = 20, 18
PANELS_TOP = 128  # under the two header lines and the two title lines of each panel
EXPLANATION_H = PANELS_TOP + PANEL + 58  # room for one note line under the pictures
SALIENCY_CMAP, CAM_CMAP = "magma", "viridis"  # sequential: values from 0 up; the drop is signed (red-blue)
METHODS = ("saliency", "occlusion", "grad_cam")
METHOD_TITLES = {"saliency": ("saliency", "|∂z/∂x|, max-scaled"), "occlusion": ("occlusion", "drop in p"),
                 "grad_cam": ("Grad-CAM", "")}
HIGHLIGHT = OKABE_ITO["black"]
OVERLAY_ALPHA = 0.55  # the heatmap's share of each pixel's colour in the overlay


def method_limits(e: ImageExplanation, method: str) -> tuple[str, float, float, list]:
    """The colormap, limits and ticks a method's picture is drawn with.

    Saliency is divided by its largest value (0 … 1: only its shape is compared); the occlusion drop is
    signed, on limits ±its largest absolute value (at least 0.01); Grad-CAM is in 0 … 1.
    """
    if method == "saliency":
        return SALIENCY_CMAP, 0.0, 1.0, [0.0, 0.5, 1.0]
    if method == "occlusion":
        m = max(float(np.nanmax(np.abs(e.occlusion))), 0.01)
        return SIGNED_CMAP, -m, m, [-m, 0.0, m]
    if method == "grad_cam":
        return CAM_CMAP, 0.0, 1.0, [0.0, 0.5, 1.0]
    raise ValueError(f"method must be one of {METHODS} or 'all', got {method!r}.")


def method_values(e: ImageExplanation, method: str) -> np.ndarray:
    """The ``(H, W)`` picture a method's panel shows (saliency divided by its maximum)."""
    if method == "saliency":
        peak = float(e.saliency.max())
        return e.saliency / peak if peak > 0 else e.saliency
    return {"occlusion": e.occlusion, "grad_cam": e.grad_cam}[method]


def overlay_png(image, values, cmap: str, vmin: float, vmax: float, alpha: float = OVERLAY_ALPHA) -> bytes:
    """The gray ``image`` with ``values`` coloured by ``cmap`` blended over it: ``alpha`` of the colour, per pixel."""
    gray = np.clip(np.asarray(image, dtype=float), 0.0, 1.0)[..., None]  # (H, W, 1)
    span = vmax - vmin if vmax > vmin else 1.0
    colours = colormaps[cmap](np.clip((np.nan_to_num(values, nan=vmin) - vmin) / span, 0, 1))[..., :3]  # (H, W, 3)
    rgb = (1 - alpha) * gray + alpha * colours
    rgba = np.concatenate([rgb, np.ones_like(gray)], axis=-1)  # (H, W, 4)
    return encode_png(np.round(rgba * 255).astype(np.uint8), 1)


def draw_explanation(e: ImageExplanation, classes, *, method: str = "all") -> str:
    """The image, its saliency, occlusion and Grad-CAM maps for class ``e.target`` (SVG, :data:`WIDTH` px wide).

    ``method`` ``"all"`` draws the four pictures side by side; one of
    :data:`METHODS` also blends that map over the image (the first picture)
    and outlines its panel with a thick dashed frame.
    """
    if method != "all":
        method_limits(e, method)  # the check
    svg = Svg(WIDTH, EXPLANATION_H, title=f"what the network sees: class {classes[e.target]}")
    p = e.probabilities
    truth = f"true: {classes[e.label]}" if e.label is not None else "true class unknown"
    verdict = "" if e.label is None else ("  ✔ right" if e.predicted == e.label else "  ✘ misclassified")
    svg.text(MARGIN, 16, f"{truth} · predicted: {classes[e.predicted]} (p = {p[e.predicted]:.2f}){verdict}",
             size=HEADER_PX, anchor="start", weight="bold")
    svg.text(MARGIN, 46, f"explaining the score of: {classes[e.target]} (p = {p[e.target]:.2f})", size=TEXT_PX,
             anchor="start")

    # 1. the photo (gray 0 … 1), or the chosen map blended over it
    x = MARGIN
    if method == "all":
        _titles(svg, x, ("image", "gray 0 … 1"))
        svg.image(x, PANELS_TOP, PANEL, PANEL, array_png(e.image, IMAGE_CMAP, 0.0, 1.0))
        colorbar(svg, x + PANEL + BAR_GAP, PANELS_TOP, PANEL, IMAGE_CMAP, 0.0, 1.0, [0.0, 1.0], width=BAR_W)
    else:
        cmap, lo, hi, ticks = method_limits(e, method)
        _titles(svg, x, ("image +", METHOD_TITLES[method][0]))
        svg.image(x, PANELS_TOP, PANEL, PANEL, overlay_png(e.image, method_values(e, method), cmap, lo, hi))
        colorbar(svg, x + PANEL + BAR_GAP, PANELS_TOP, PANEL, cmap, lo, hi, [lo, hi], width=BAR_W)

    # 2-4. the three maps, each on its own scale
    for k, name in enumerate(METHODS, start=1):
        x = MARGIN + k * COLUMN
        cmap, lo, hi, ticks = method_limits(e, name)
        title, second = METHOD_TITLES[name]
        if name == "grad_cam":
            second = f"layer {e.cam_layer}, {e.cam.shape[0]}×{e.cam.shape[1]}"
        if name == "occlusion":
            second = f"drop in p, {e.patch}×{e.patch} patch"
        _titles(svg, x, (title, second), bold=name == method)
        with svg.group(f"map {name}"):
            svg.image(x, PANELS_TOP, PANEL, PANEL, array_png(method_values(e, name), cmap, lo, hi))
        colorbar(svg, x + PANEL + BAR_GAP, PANELS_TOP, PANEL, cmap, lo, hi, ticks, width=BAR_W)
        if name == method:
            with svg.group("highlight"):
                svg.rect(x - 5, PANELS_TOP - 5, PANEL + 10, PANEL + 10, stroke=HIGHLIGHT, stroke_width=4, dash="10 5")
    note = ("occlusion: red where hiding the patch lowers p, blue where it raises it"
            if method in ("all", "occlusion") else f"dashed frame: the map blended over the image")
    svg.text(MARGIN, PANELS_TOP + PANEL + 34, note, size=TEXT_PX, anchor="start")
    return svg.to_string()


def _titles(svg: Svg, x: float, lines, bold: bool = False) -> None:
    for k, line in enumerate(lines):
        if line:
            svg.text(x, 80 + 24 * k, line, size=TEXT_PX, anchor="start", weight="bold" if bold and k == 0 else "normal")


# -- equivariance against invariance --------------------------------------------------------------------------
SHIFT_H = 480
PLOT_TOP, PLOT_BOTTOM = 150, 380
LEFT_PLOT = (70, 360)  # x from, to (px)
RIGHT_PLOT = (470, 770)
LAYER_STYLES = ((OKABE_ITO["blue"], "o", None), (OKABE_ITO["orange"], "s", "8 5"),
                (OKABE_ITO["bluish green"], "^", "3 4"))  # colour, marker and dash: three cues per layer
LOGIT_STYLE = (OKABE_ITO["black"], "X", None)


def draw_shift_response(r: ShiftResponse, current: int | None = None) -> str:
    """Left: how far each layer's maps moved against the image shift (the diagonal: exact equivariance).
    Right: how much the maps (compared in place) and the logits changed, relative to their size.

    ``current``: one of ``r.shifts``, marked in both plots by a gray vertical line and written under them.
    """
    if current is not None and current not in r.shifts:
        raise ValueError(f"current must be one of the measured shifts {r.shifts.tolist()}, got {current!r}.")
    svg = Svg(WIDTH, SHIFT_H, title="equivariance of the feature maps, invariance of the logits")
    svg.text(MARGIN, 16, "shift the image right: the maps move, the logits change less", size=HEADER_PX,
             anchor="start", weight="bold")
    styles = list(zip(r.layers, r.strides, LAYER_STYLES))
    for i, (layer, stride, (colour, shape, dash)) in enumerate(styles):  # the legend, two per row
        lx, ly = MARGIN + (i % 2) * 400, 50 + 28 * (i // 2)
        svg.polyline([(lx, ly), (lx + 40, ly)], stroke=colour, stroke_width=3, dash=dash)
        marker(svg, shape, lx + 20, ly, size=12, fill=colour, stroke="#222222")
        svg.text(lx + 50, ly, f"layer {layer} maps (stride {stride})", size=TEXT_PX, anchor="start")
    lx, ly = MARGIN + (len(styles) % 2) * 400, 50 + 28 * (len(styles) // 2)
    svg.polyline([(lx, ly), (lx + 40, ly)], stroke=LOGIT_STYLE[0], stroke_width=3)
    marker(svg, "X", lx + 20, ly, size=14, fill=LOGIT_STYLE[0], stroke="#222222")
    svg.text(lx + 50, ly, "logits", size=TEXT_PX, anchor="start")

    smax = float(max(r.shifts.max(), 1))
    top_moved = max(smax, float(np.max(r.measured)), 1.0)
    _axes(svg, LEFT_PLOT, smax, top_moved, "maps moved by (px)", [0, top_moved / 2, top_moved])
    sx = lambda s, plot: plot[0] + s / smax * (plot[1] - plot[0])  # noqa: E731
    sy = lambda v, vmax: PLOT_BOTTOM - v / vmax * (PLOT_BOTTOM - PLOT_TOP)  # noqa: E731
    svg.polyline([(sx(0, LEFT_PLOT), sy(0, top_moved)), (sx(smax, LEFT_PLOT), sy(smax, top_moved))],
                 stroke="#999999", stroke_width=1.5, dash="2 4")
    for k, (layer, stride, (colour, shape, dash)) in enumerate(styles):
        with svg.group(f"moved layer-{layer}"):
            points = [(sx(s, LEFT_PLOT), sy(v, top_moved)) for s, v in zip(r.shifts, r.measured[k])]
            svg.polyline(points, stroke=colour, stroke_width=3, dash=dash)
            for px, py in points:
                marker(svg, shape, px, py, size=12, fill=colour, stroke="#222222")

    if current is not None:
        k = int(np.flatnonzero(r.shifts == current)[0])
        with svg.group("current shift"):
            for plot in (LEFT_PLOT, RIGHT_PLOT):
                svg.line(sx(current, plot), PLOT_TOP, sx(current, plot), PLOT_BOTTOM, stroke="#555555",
                         stroke_width=2)
            svg.rect(sx(current, LEFT_PLOT) - 3, PLOT_TOP, 6, PLOT_BOTTOM - PLOT_TOP, fill="#555555", opacity=0.15)
            moved = ", ".join(f"{int(v)}" for v in r.measured[:, k])
            svg.text(MARGIN, SHIFT_H - 14, f"shift {current} px: maps moved {moved} px; logits changed "
                     f"{100 * r.logit_change[k]:.0f} %", size=TEXT_PX, anchor="start")
    top_change = max(float(np.max(r.map_change)), float(np.max(r.logit_change)), 0.1)
    _axes(svg, RIGHT_PLOT, smax, top_change, "relative change", [0, top_change / 2, top_change])
    curves = [(f"changed layer-{layer}", r.map_change[k], style) for k, (layer, _, style) in enumerate(styles)]
    curves.append(("changed logits", r.logit_change, LOGIT_STYLE))
    for name, values, (colour, shape, dash) in curves:
        with svg.group(name):
            points = [(sx(s, RIGHT_PLOT), sy(v, top_change)) for s, v in zip(r.shifts, values)]
            svg.polyline(points, stroke=colour, stroke_width=3, dash=dash)
            for px, py in points:
                marker(svg, shape, px, py, size=12 if shape != "X" else 14, fill=colour, stroke="#222222")
    return svg.to_string()


def _axes(svg: Svg, plot, smax: float, vmax: float, ylabel: str, yticks) -> None:
    left, right = plot
    with svg.group("axes"):
        svg.rect(left, PLOT_TOP, right - left, PLOT_BOTTOM - PLOT_TOP, stroke="#333333")
        for t in yticks:
            y = PLOT_BOTTOM - t / vmax * (PLOT_BOTTOM - PLOT_TOP)
            svg.line(left - 5, y, left, y, stroke="#333333", stroke_width=1)
            svg.text(left - 8, y, tick_text(t), size=TEXT_PX, anchor="end")
        for s in range(int(smax) + 1):
            x = left + s / smax * (right - left)
            svg.line(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 5, stroke="#333333", stroke_width=1)
            svg.text(x, PLOT_BOTTOM + 18, str(s), size=TEXT_PX)
        svg.text((left + right) / 2, PLOT_BOTTOM + 48, "image shift (px)", size=TEXT_PX)
        svg.text(left, PLOT_TOP - 22, ylabel, size=TEXT_PX, anchor="start")


# -- Grad-CAM's blind spot ---------------------------------------------------------------------------------------
BARS_H = PANELS_TOP + PANEL + 58


def draw_mirrored_bars(m) -> str:
    """:func:`cnnlib.demos.explain.mirrored_bars`: the image (the score reads the dashed half), saliency, Grad-CAM."""
    svg = Svg(WIDTH, BARS_H, title="Grad-CAM weights whole channels: both bars light up")
    svg.text(MARGIN, 16, "the class reads only the left half (dashed box)", size=HEADER_PX, anchor="start",
             weight="bold")
    svg.text(MARGIN, 46, "saliency: 0 on the right half · Grad-CAM: both bars alike", size=TEXT_PX, anchor="start")
    peak = float(np.abs(m.saliency).max()) or 1.0
    panels = (("image", "two vertical bars", m.image, IMAGE_CMAP, 0.0, 1.0, [0.0, 1.0]),
              ("saliency", "∂z/∂x, signed", m.saliency, SIGNED_CMAP, -peak, peak, [-peak, 0.0, peak]),
              ("Grad-CAM", "at the ReLU", m.grad_cam, CAM_CMAP, 0.0, 1.0, [0.0, 0.5, 1.0]))
    h, w = m.image.shape
    for k, (title, second, values, cmap, lo, hi, ticks) in enumerate(panels):
        x = MARGIN + k * (COLUMN + 40)
        _titles(svg, x, (title, second))
        with svg.group(f"map {title}"):
            svg.image(x, PANELS_TOP, PANEL, PANEL, array_png(values, cmap, lo, hi))
        colorbar(svg, x + PANEL + BAR_GAP, PANELS_TOP, PANEL, cmap, lo, hi, ticks, width=BAR_W)
        cols = np.flatnonzero(m.reads.any(axis=0))
        svg.rect(x + cols[0] * PANEL / w, PANELS_TOP, len(cols) * PANEL / w, PANEL, stroke=OKABE_ITO["orange"],
                 stroke_width=3, dash="6 4")
    return svg.to_string()
