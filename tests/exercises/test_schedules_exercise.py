"""Lesson 09's cosine-schedule checker: the rate CosineLR really sets, each classic slip named, hints staged."""
import math

import pytest

from cnnlib.callbacks import CosineLR
from cnnlib.exercises.schedules import check_cosine_lr
from cnnlib.networks import fashion_mnist_cnn
from cnnlib.optim import Adam

# Lesson 09's default run: 5,000 images in batches of 64 (79 a epoch), 3 epochs: T = 237. The first batch of
# epoch 2 is batch 79: ½·10⁻³·(1 + cos(π/3)) = 0.75·10⁻³.
CASE = dict(lr=1e-3, step=79, total_steps=237)


def test_the_answer_is_the_rate_cosine_lr_sets_for_that_batch():
    optimizer = Adam(fashion_mnist_cnn(), lr=1e-3)
    schedule = CosineLR(optimizer, total_steps=237)
    for _ in range(79):  # the rate a batch trains with is the one set after the batch before it
        schedule.on_batch_end(_, {})
    assert math.isclose(optimizer.lr, 0.75e-3)
    result = check_cosine_lr(optimizer.lr, **CASE)
    assert result.correct and "75% of the starting rate" in result.message
    assert check_cosine_lr(0.00075, **CASE).correct
    # three significant digits of a rate with a leading 1 are within 0.5 %: 1.0049e-3 rounds to 1.00e-3
    assert check_cosine_lr(1.00e-3, lr=1.0049e-3, step=0, total_steps=100).correct


@pytest.mark.parametrize("answer, slip", [
    (1e-3 * (1 - 79 / 237), "straight line"),
    (0.5e-3, "without ½(1 + ·)"),
    (CosineLR(Adam(fashion_mnist_cnn(), lr=1e-3), 237).lr_at(80), "next batch's rate"),
    (CosineLR(Adam(fashion_mnist_cnn(), lr=1e-3), 237).lr_at(78), "previous batch's rate"),
    (0.5e-3 * (1 + math.cos(79 / 237)), "radians"),
])
def test_each_slip_is_named_without_the_answer(answer, slip):
    result = check_cosine_lr(answer, **CASE)
    assert not result.correct and slip in result.message
    assert "0.00075 " not in result.message and "0.00075;" not in result.message and "0.00075." not in result.message


def test_hints_are_staged_and_only_the_last_gives_the_answer():
    result = check_cosine_lr(None, **CASE)
    assert not result.correct and "replace None" in result.message
    assert "cos(π·t/T)" in result.hint(1) and "t = 79" in result.hint(2) and "T = 237" in result.hint(2)
    assert "0.00075" not in result.hint(1) + result.hint(2)
    assert result.hint(3).endswith("= 0.00075.")


def test_the_full_data_setting_and_an_unknown_number():
    # FULL_DATA: 55,000 images, 860 batches an epoch, 10 epochs: ½·(1 + cos(π/10)) of the start.
    assert check_cosine_lr(0.5e-3 * (1 + math.cos(math.pi / 10)), lr=1e-3, step=860, total_steps=8600).correct
    assert check_cosine_lr(1e-4, **CASE).message.startswith("you answered 0.0001 for batch 79 of 237")


def test_bad_input_is_refused_with_a_hint():
    with pytest.raises(TypeError, match="answer"):
        check_cosine_lr("0.00075", **CASE)
    with pytest.raises(ValueError, match="lr.*Hint"):
        check_cosine_lr(None, lr=0, step=1, total_steps=10)
    with pytest.raises((TypeError, ValueError), match="total_steps"):
        check_cosine_lr(None, lr=1e-3, step=1, total_steps=0)
    with pytest.raises((TypeError, ValueError), match="step"):
        check_cosine_lr(None, lr=1e-3, step=-1, total_steps=10)
