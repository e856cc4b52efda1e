import pytest

from cnnlib.widgets import output_size_view, output_size_widget


@pytest.mark.parametrize("args, out, starts, dropped", [
    ((7, 3, 2, 1, 1), 4, (0, 2, 4, 6), ()),
    ((8, 3, 2, 0, 1), 3, (0, 2, 4), (7,)),
    ((10, 3, 3, 0, 1), 3, (0, 3, 6), (9,)),
    ((9, 3, 1, 0, 2), 5, (0, 1, 2, 3, 4), ()),
])
def test_view_returns_what_it_drew(args, out, starts, dropped):
    view = output_size_view(*args)
    assert (view.out_size, view.starts, view.dropped, view.error) == (out, starts, dropped, None)
    assert view.message.endswith(f"= {out}") or "drops" in view.message
    assert any(t.get_text().endswith(f"output {out}×{out}") for t in view.fig.texts)


def test_invalid_setting_is_a_message_not_a_traceback():
    view = output_size_view(size=3, kernel_size=7, stride=1, padding=0)
    assert view.out_size == 0
    assert "kernel 7 is larger than the padded input 3 + 0 + 0 = 3" in view.message


def test_widget_sliders_drive_the_figure_and_message():
    box = output_size_widget()
    sliders = box.controls
    assert set(sliders) == {"size", "kernel_size", "stride", "padding", "dilation"}
    first = bytes(box.panel.image.value)
    sliders["stride"].value = 3
    assert bytes(box.panel.image.value) != first
    assert "⌊(7 + 2·1 − 3) / 3⌋ + 1 = ⌊6 / 3⌋ + 1 = 2 + 1 = 3" in box.panel.message.value
    sliders["padding"].value = 0
    sliders["size"].value = 2
    sliders["kernel_size"].value = 5
    assert "larger than the padded input" in box.panel.message.value
    assert "#d62728" in box.panel.message.value  # shown in red


def _png_size(png: bytes) -> tuple:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # IHDR width, height


def test_the_picture_keeps_its_size_for_every_setting():
    box = output_size_widget()
    size = _png_size(bytes(box.panel.image.value))
    for name, value in [("size", 12), ("padding", 3), ("stride", 4), ("dilation", 3), ("kernel_size", 1),
                        ("size", 1)]:
        box.controls[name].value = value
        assert _png_size(bytes(box.panel.image.value)) == size, (name, value)
