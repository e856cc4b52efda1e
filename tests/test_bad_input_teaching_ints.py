"""Bad input: the counts, seeds and steps of the teaching layer's demos and widgets.

A bool is an int to Python, so ``step=True`` drew step 1, ``seed=True`` seeded
with 1 and ``steps=-1`` trained nothing, all without a word; a Play button
accepted ``interval_ms="3"`` and the channel menu raised ipywidgets' own
``TraitError``. Each now goes through ``cnnlib._checks`` and names the
argument, the value received and what is expected.
"""
import pytest

from cnnlib.demos.activations import activation_curves
from cnnlib.demos.batchnorm import activation_batch, trained_running_stats
from cnnlib.demos.training import activation_stats
from cnnlib.demos.translation import MAX_SHIFT, compare_shift
from cnnlib.widgets import (backprop_view, backprop_widget, batchnorm_widget, shift_view, sliding_window_view,
                            sliding_window_widget, stack_widget)
from cnnlib.widgets.view_widget import play_slider

NAN, INF = float("nan"), float("inf")

CASES = [
    # (call, the argument's name, the bad value, the error)
    (lambda v: activation_curves(n=v), "n", True, TypeError),
    (lambda v: activation_curves(n=v), "n", 1, ValueError),
    (lambda v: activation_curves(x_max=v), "x_max", 0, ValueError),
    (lambda v: activation_batch(seed=v), "seed", True, TypeError),
    (lambda v: activation_batch(seed=v), "seed", -1, ValueError),
    (lambda v: activation_batch(shift=v), "shift", True, TypeError),
    (lambda v: activation_batch(shift=v), "shift", NAN, ValueError),
    (lambda v: activation_batch(scale=v), "scale", INF, ValueError),
    (lambda v: trained_running_stats(steps=v), "steps", True, TypeError),
    (lambda v: trained_running_stats(steps=v), "steps", -1, ValueError),
    (lambda v: activation_stats(seed=v), "seed", True, TypeError),
    (lambda v: compare_shift(shift=v), "shift", True, TypeError),
    (lambda v: compare_shift(shift=v), "shift", 2.5, TypeError),
    (lambda v: compare_shift(shift=v), "shift", -1, ValueError),
    (lambda v: compare_shift(shift=v), "shift", MAX_SHIFT + 1, ValueError),
    (lambda v: shift_view(shift=v), "shift", True, TypeError),
    (lambda v: backprop_view(cell=v), "cell", True, TypeError),
    (lambda v: backprop_view(cell=v), "cell", 2.5, TypeError),
    (lambda v: backprop_view(cell=v), "cell", 0, ValueError),
    (lambda v: backprop_view(cell=v), "cell", 10, ValueError),
    (lambda v: backprop_widget(cell=v), "cell", True, TypeError),
    (lambda v: backprop_widget(cell=v), "cell", 2.5, TypeError),
    (lambda v: backprop_widget(interval_ms=v), "interval_ms", "3", TypeError),
    (lambda v: backprop_widget(interval_ms=v), "interval_ms", -1, ValueError),
    (lambda v: sliding_window_view(step=v), "step", True, TypeError),
    (lambda v: sliding_window_view(step=v), "step", 10, ValueError),
    (lambda v: sliding_window_widget(interval_ms=v), "interval_ms", 2.5, TypeError),
    (lambda v: sliding_window_widget(interval_ms=v), "interval_ms", True, TypeError),
    (lambda v: stack_widget(channels=v), "channels", 5, ValueError),
    (lambda v: stack_widget(channels=v), "channels", "64", TypeError),
    (lambda v: stack_widget(channels=v), "channels", True, TypeError),
    # a start value of inf or NaN made the slider's grid arithmetic raise OverflowError
    (lambda v: batchnorm_widget(shift=v), "shift", INF, ValueError),
    (lambda v: batchnorm_widget(gamma=v), "gamma", NAN, ValueError),
]


@pytest.mark.parametrize("call, name, bad, error", CASES,
                         ids=[f"{c[0].__code__.co_names[0]}-{c[1]}={c[2]!r}" for c in CASES])
def test_bad_count_names_argument_and_value(call, name, bad, error):
    with pytest.raises(error) as info:
        call(bad)
    message = str(info.value)
    assert name in message and (repr(bad) in message or str(bad) in message), message
    assert "must be" in message and "Hint" in message, message


def test_play_slider_links_play_to_slider_and_checks_its_start():
    controls = play_slider("cell", 9, 4, 1500, label="output cell", width="380px")
    play, slider = controls["play"], controls["cell"]
    assert (play.value, slider.value, play.max, slider.max, play.interval) == (4, 4, 9, 9, 1500)
    assert slider.description == "output cell"
    with pytest.raises(ValueError, match="cell must be a whole number from 1 to 9 to start the cell slider there, got 12"):
        play_slider("cell", 9, 12, 1500, width="380px")
    with pytest.raises(ValueError, match="cell must be a whole number from 1 to 9"):
        play_slider("cell", 9, 2.5, 1500, width="380px")


def test_a_bool_does_not_reach_the_cache_of_its_int():
    trained_running_stats(steps=1)
    with pytest.raises(TypeError, match="steps must be an integer, got True"):
        trained_running_stats(steps=True)


def test_good_values_still_draw():
    assert backprop_view(cell=9).cell == 9
    assert sliding_window_view(step=9).step == 9
    assert compare_shift(MAX_SHIFT).shift == MAX_SHIFT
    assert stack_widget(channels=128).controls["channels"].value == 128
    assert len(activation_curves(n=2)[0].x) == 2
