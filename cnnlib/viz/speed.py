"""Bar charts for the speed lesson: how long each implementation takes, and where a training step's time goes."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .style import LABEL_SIZE, TITLE_SIZE, new_figure

PHASE_COLORS = {"forward": "#1f77b4", "backward": "#d62728", "loss": "#7f7f7f", "update": "#2ca02c"}


def _fmt_seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def draw_timings(names, seconds, *, title: str = "time for one convolution") -> Figure:
    """Horizontal bars of ``seconds`` on a log scale, each labelled with its time and its speed-up over the slowest."""
    seconds = np.asarray(seconds, dtype=float)
    fig = new_figure(10, 0.8 * len(names) + 1.4)
    ax = fig.add_subplot()
    y = np.arange(len(names))[::-1]
    ax.barh(y, seconds, color=["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4"][: len(names)] + ["#1f77b4"] * (len(names) - 4))
    ax.set_xscale("log")
    slowest = seconds.max()
    for yi, s in zip(y, seconds):
        speed = f"   {slowest / s:,.0f}× faster" if s < slowest else "   (slowest)"
        ax.text(s, yi, f" {_fmt_seconds(s)}{speed}", va="center", fontsize=LABEL_SIZE)
    ax.set_yticks(y, names, fontsize=LABEL_SIZE)
    ax.set_xlim(seconds.min() / 3, slowest * 40)
    ax.set_xlabel("seconds (log scale: each grid line is 10× more)", fontsize=LABEL_SIZE)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def draw_profile(rows, *, title: str = "where one training step spends its time") -> Figure:
    """Horizontal bars of a :func:`cnnlib.profiling.profile_step` result, coloured by phase."""
    rows = list(rows)
    fig = new_figure(10, 0.32 * len(rows) + 1.6)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    ms = np.array([r.ms for r in rows])
    ax.barh(y, ms, color=[PHASE_COLORS.get(r.phase, "#1f77b4") for r in rows])
    total = ms.sum()
    for yi, v in zip(y, ms):
        ax.text(v, yi, f" {v:.1f} ms ({v / total:.0%})", va="center", fontsize=LABEL_SIZE - 3)
    ax.set_yticks(y, [f"{r.part} {r.phase}" if r.phase in ("forward", "backward") else r.part for r in rows],
                  fontsize=LABEL_SIZE - 3)
    ax.set_xlim(0, ms.max() * 1.35)
    ax.set_xlabel("milliseconds (median)", fontsize=LABEL_SIZE)
    handles = [ax.bar(0, 0, color=c, label=p) for p, c in PHASE_COLORS.items()]
    ax.legend(handles=handles, fontsize=LABEL_SIZE - 2, loc="lower right")
    ax.set_title(f"{title}: {total:.0f} ms in total", fontsize=TITLE_SIZE)
    return fig
