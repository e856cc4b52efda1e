"""``Summary``: a Keras-style table of each layer's output shape and parameter count.

The shapes come from each layer's ``output_shape`` (pure arithmetic, no
forward pass), so a summary of a large network is instant and a shape error
names the layer that cannot take its input. A layer made of layers
(``Residual``) gets one row, followed by indented rows for its inner layers
(from its ``summary_rows``); only the outer row counts in the totals.
"""
from __future__ import annotations

import html

from ._checks import as_input_shape

_HEADERS = ("#", "Layer (type)", "Output Shape", "Param #")


def _shape_text(shape: tuple[int, ...]) -> str:
    """``(32, 26, 26)`` -> ``'(None, 32, 26, 26)'``: ``None`` stands for the batch axis."""
    return "(" + ", ".join(["None", *(str(d) for d in shape)]) + ")"


class Summary:
    """Per-layer output shapes and parameter counts of a ``Sequential`` model.

    ``str(summary)`` is a text table, and a notebook shows it as an HTML table.

    Attributes:
        input_shape: one sample's input shape (no batch axis).
        rows: list of ``(name, output_shape, n_params)``, one per layer;
            ``name`` is the layer's class name, ``output_shape`` one sample's shape.
        total_params: number of learnable scalars.
        trainable_params: learnable scalars the optimizer updates (all of them here).
        buffers: scalars kept but not trained (batch norm's running statistics).
        inner_rows: for a layer made of layers (``Residual``), its index maps to
            ``(path, type, output_shape, n_params)`` of each inner layer, e.g.
            ``("block.0", "Conv2D", (16, 28, 28), 2320)``; shown indented, not added to the totals.

    >>> s = Sequential([Flatten(), Dense(784, 10)]).summary((1, 28, 28))
    >>> s.rows[-1], s.total_params
    (('Dense', (10,), 7850), 7850)
    """

    def __init__(self, layers, input_shape) -> None:
        self.input_shape = as_input_shape(input_shape)
        self.rows: list[tuple[str, tuple[int, ...], int]] = []
        self.buffers = 0
        self.inner_rows: dict[int, list[tuple[str, str, tuple[int, ...], int]]] = {}
        shape = self.input_shape
        for i, layer in enumerate(layers):
            name = type(layer).__name__
            try:
                if callable(getattr(layer, "summary_rows", None)):
                    self.inner_rows[i] = [(p, n, tuple(s), k) for p, n, s, k in layer.summary_rows(shape)]
                shape = tuple(layer.output_shape(shape))
            except (ValueError, TypeError) as exc:
                hint = ""
                if i == 0 and "batch" not in str(exc):
                    hint = " (input_shape is one sample's shape, without the batch axis)"
                raise type(exc)(f"layer {i} ({name}) cannot take input shape {shape}{hint}: {exc}") from exc
            self.rows.append((name, shape, layer.num_params()))
            self.buffers += sum(b.size for _, b in layer.named_buffers())
        self.total_params = sum(n for _, _, n in self.rows)
        self.trainable_params = self.total_params

    @property
    def output_shape(self) -> tuple[int, ...]:
        """One sample's output shape of the whole model."""
        return self.rows[-1][1] if self.rows else self.input_shape

    def _cells(self) -> list[tuple[str, str, str, str]]:
        cells = []
        for i, (name, shape, n) in enumerate(self.rows):
            cells.append((str(i), name, _shape_text(shape), f"{n:,}"))
            for path, inner, inner_shape, k in self.inner_rows.get(i, []):
                indent = "  " * ((path.count(".") + 2) // 2)  # block.0, shortcut: 2 spaces; block.1.block.0: 4
                cells.append(("", f"{indent}{path}: {inner}", _shape_text(inner_shape), f"{k:,}"))
        return cells

    def _footer(self) -> list[str]:
        lines = [
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
        ]
        if self.buffers:
            lines.append(f"Buffers (running statistics, not trained): {self.buffers:,}")
        return lines

    def __str__(self) -> str:
        cells = self._cells()
        widths = [max(len(r[j]) for r in [_HEADERS, *cells]) for j in range(4)]
        widths[1] = max(widths[1], 20)
        widths[2] = max(widths[2], 20)

        def line(row):
            # Numbers right-aligned, text left-aligned, as in Keras.
            return "  ".join(
                [row[0].rjust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]), row[3].rjust(widths[3])]
            )

        rule = "=" * len(line(_HEADERS))
        body = [line(r) for r in cells]
        return "\n".join(
            [f"Input shape: {_shape_text(self.input_shape)}", rule, line(_HEADERS), rule, *body, rule, *self._footer()]
        )

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in _HEADERS)
        body = "".join(
            f"<tr><td style='text-align:right'>{esc(i)}</td>"
            f"<td style='text-align:left; white-space:pre'>{esc(name)}</td>"
            f"<td style='text-align:left'>{esc(shape)}</td><td style='text-align:right'>{esc(n)}</td></tr>"
            for i, name, shape, n in self._cells()
        )
        foot = "<br>".join(esc(t) for t in self._footer())
        return (
            f"<p>Input shape: <code>{esc(_shape_text(self.input_shape))}</code></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{foot}</p>"
        )

