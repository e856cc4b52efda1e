"""How long a slider move takes to redraw the widgets of lessons 09 and 10 (target: <= 150 ms).

    .venv/bin/python benchmarks/widget_latency_09_10.py

Measured the same way as ``widget_latency.py`` (lessons 01-03): the median
of 20 updates, each to a different setting, after one untimed call;
*callback* is the view function (both widgets draw SVG: the text goes to the
browser as it is), *widget update* sets a control of a built widget with its
picture cache emptied.

* feature-map explorer (lesson 09): the 28×28 network on Fashion-MNIST test
  images (weights untrained: drawing costs the same), moving the image slider
  on the default layer (32 maps of 26×26) and on the 64-channel layer, and
  the layer menu. The callback runs the image's forward pass and draws the
  figure; the widget also keeps the forward
  passes, computed 8 images at a time (``layer_outputs_cache``);
* receptive field (lesson 10): the 32×32×3 network, moving the row slider.
"""
from __future__ import annotations

from cnnlib.datasets import load_fashion_mnist
from cnnlib.networks import fashion_mnist_cnn
from cnnlib.widgets import feature_map_view, feature_map_widget, receptive_field_view, receptive_field_widget
from widget_latency import median_ms  # the same timing as lessons 01-06 (benchmarks/ is on the path)

TARGET_MS = 150


def main() -> int:
    x, y = load_fashion_mnist("test", progress=False)
    model = fashion_mnist_cnn(seed=0)
    rows = []
    for layer in (1, 4):
        def callback(i, layer=layer):  # a new image: its forward pass and its figure
            feature_map_view(model, x, i, layer, y)

        box = feature_map_widget(model, x, y, layer=layer)

        def move(i, box=box):
            box.cache.clear()
            box.controls["index"].value = i

        rows.append((f"feature maps (09), layer {layer}", "test image 1…21", median_ms(callback, range(1, 22)),
                     median_ms(move, range(1, 22))))

    menu_box = feature_map_widget(model, x, y, layer=1)

    def menu_callback(layer):
        feature_map_view(model, x, 0, layer, y)

    def menu_move(layer):
        menu_box.cache.clear()
        menu_box.controls["layer"].value = layer

    layers = [0, 1, 2, 3, 4, 5] * 4
    rows.append(("feature maps (09), image 0", "layer menu 0…5", median_ms(menu_callback, layers),
                 median_ms(menu_move, layers)))

    def rf_callback(i):
        receptive_field_view(layer=3, i=i, j=4)

    rf_box = receptive_field_widget(layer=3, i=0, j=4)

    def rf_move(i):
        rf_box.cache.clear()
        rf_box.controls["i"].value = i

    rows.append(("receptive field (10), layer 3", "row 0…12", median_ms(rf_callback, range(13)),
                 median_ms(rf_move, range(13))))
    print(f"| widget | slider moved | callback (ms) | widget update (ms) | ≤ {TARGET_MS} ms |")
    print("|---|---|---:|---:|:-:|")
    for name, moved, cb, wd in rows:
        print(f"| {name} | {moved} | {cb:.0f} | {wd:.0f} | {'yes' if max(cb, wd) <= TARGET_MS else '**no**'} |")
    return 0 if all(max(cb, wd) <= TARGET_MS for *_, cb, wd in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
