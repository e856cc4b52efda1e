"""Robustness to small shifts drawn: edge maps of the photo and of the shifted photo, before and after pooling.

:func:`draw_shift_comparison` draws a :class:`~cnnlib.demos.translation.ShiftComparison`
(from :func:`~cnnlib.demos.translation.compare_shift`): the four maps and the
similarity for every shift.
"""
from __future__ import annotations

from matplotlib.figure import Figure

from ..demos.translation import ShiftComparison
from .style import IMAGE_CMAP, LABEL_SIZE, TITLE_SIZE, axes_at, reuse_figure, set_labels, set_title


def draw_shift_comparison(c: ShiftComparison, *, figure: Figure | None = None) -> Figure:
    """Four maps (before/after the shift, before/after pooling) and the similarity for every shift.

    ``figure``: redraw this figure (one drawn by this function before) instead of making a new one.
    """
    H, W = c.fmap.shape
    img_h = 2.9
    img_w = img_h * W / H
    chart_w = 3.6
    gaps = [0.25, 0.6, 0.25, 1.0]
    left, bottom = 0.2, 0.75
    fig_w = left + 4 * img_w + chart_w + sum(gaps) + 0.3
    fig_h = img_h + 1.75
    fig = reuse_figure(figure, fig_w, fig_h)
    vmax = float(c.fmap.max()) or 1.0
    k = c.kernel_size
    maps = [(c.fmap, "edge map"), (c.fmap_shifted, f"photo shifted {c.shift} px"),
            (c.pooled, f"max pooled {k}×{k}"), (c.pooled_shifted, f"shifted, pooled {k}×{k}")]
    x = left
    for index, ((m, title), gap) in enumerate(zip(maps, gaps)):
        ax = axes_at(fig, index, (x / fig_w, bottom / fig_h, img_w / fig_w, img_h / fig_h))
        ax.imshow(m, cmap=IMAGE_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_axis_off()
        set_title(ax, f"{title}\n{m.shape[0]}×{m.shape[1]}", fontsize=LABEL_SIZE)
        x += img_w + gap
    ax = axes_at(fig, len(maps), (x / fig_w, bottom / fig_h, chart_w / fig_w, img_h / fig_h))
    ax.plot(c.shifts, c.curve_before, "o-", color="#7f7f7f", label="edge maps")
    ax.plot(c.shifts, c.curve_after, "o-", color="#1a9e3f", label=f"after {k}×{k} max pool")
    ax.axvline(c.shift, color="#d62728", linewidth=1.5, linestyle="--")
    ax.set_ylim(-0.1, 1.05)
    ax.set_xticks(c.shifts)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LABEL_SIZE - 2, loc="upper right")
    ax.tick_params(labelsize=LABEL_SIZE - 2)
    set_labels(ax, "shift (pixels)", "similarity", tick_chars=3)
    set_title(ax, "1 = same pattern, 0 = unrelated", fontsize=LABEL_SIZE)
    fig.suptitle(f"shift {c.shift} px: similarity {c.before:.2f} before pooling, {c.after:.2f} after {k}×{k} "
                 "max pooling", fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.12 / fig_h)
    return fig
