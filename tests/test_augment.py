"""Data augmentation: flips and shifts checked against a per-image loop, reproducibility, bad input."""
import numpy as np
import pytest

from cnnlib.augment import RandomAugment, random_flip, random_shift


def _batch(n=40, c=2, h=7, w=6, seed=0):
    return np.random.default_rng(seed).standard_normal((n, c, h, w)).astype(np.float32)


def _shift_loop(image, dy, dx):
    """Reference: move one (C, H, W) image down by dy and right by dx, zeros filling in."""
    c, h, w = image.shape
    out = np.zeros_like(image)
    for i in range(h):
        for j in range(w):
            si, sj = i - dy, j - dx
            if 0 <= si < h and 0 <= sj < w:
                out[:, i, j] = image[:, si, sj]
    return out


def test_random_shift_equals_a_per_image_loop_with_the_same_draws():
    x, s = _batch(), 2
    out = random_shift(x, np.random.default_rng(7), max_shift=s)
    rng = np.random.default_rng(7)  # the same draws, in the same order: crop corners top, then left
    top, left = rng.integers(0, 2 * s + 1, size=len(x)), rng.integers(0, 2 * s + 1, size=len(x))
    for n in range(len(x)):
        np.testing.assert_array_equal(out[n], _shift_loop(x[n], s - top[n], s - left[n]))
    assert out.dtype == x.dtype and out.shape == x.shape


def test_random_shift_uses_every_offset_and_keeps_the_input():
    x = np.ones((400, 1, 5, 5), dtype=np.float32)
    before = x.copy()
    out = random_shift(x, np.random.default_rng(0), max_shift=1)
    np.testing.assert_array_equal(x, before)
    # A shift of (dy, dx) blanks |dy| rows and |dx| columns: 25, 20 or 16 of the 25 ones survive.
    counts = set(out.sum(axis=(1, 2, 3)).tolist())
    assert counts == {25.0, 20.0, 16.0}
    np.testing.assert_array_equal(random_shift(x, np.random.default_rng(0), max_shift=0), x)


def test_random_flip_mirrors_about_half_of_the_images():
    x = _batch(n=1000, h=3, w=4)
    out = random_flip(x, np.random.default_rng(1))
    flipped = np.array([np.array_equal(o, im[:, :, ::-1]) for o, im in zip(out, x)])
    kept = np.array([np.array_equal(o, im) for o, im in zip(out, x)])
    assert np.all(flipped ^ kept)  # every image is exactly one of the two
    assert 0.45 < flipped.mean() < 0.55
    np.testing.assert_array_equal(random_flip(x, np.random.default_rng(1), p=0.0), x)
    np.testing.assert_array_equal(random_flip(x, np.random.default_rng(1), p=1.0), x[..., ::-1])


def test_random_augment_is_reproducible_and_respects_its_switches():
    x = _batch()
    a, b = RandomAugment(seed=3), RandomAugment(seed=3)
    for _ in range(3):  # the same sequence of batches, call after call
        np.testing.assert_array_equal(a(x), b(x))
    assert not np.array_equal(RandomAugment(seed=4)(x), RandomAugment(seed=3)(x))
    np.testing.assert_array_equal(RandomAugment(flip=False, max_shift=0)(x), x)
    assert repr(RandomAugment(flip=False, max_shift=1, seed=2)) == "RandomAugment(flip=False, max_shift=1, seed=2)"


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: random_shift(np.zeros((2, 5, 5)), np.random.default_rng()), ValueError,
         r"expects a batch of images \(N, C, H, W\), got shape \(2, 5, 5\).*x\[None\]"),
        (lambda: random_shift(np.zeros((1, 1, 3, 3)), np.random.default_rng(), max_shift=3), ValueError,
         r"max_shift=3 would move a 3x3 image entirely out of view; expected at most 2"),
        (lambda: random_shift(np.zeros((1, 1, 3, 3)), np.random.default_rng(), max_shift=-1), ValueError,
         r"max_shift must be >= 0, got -1"),
        (lambda: random_shift(np.zeros((1, 1, 3, 3)), 0), TypeError, r"rng=np.random.default_rng\(seed\), got int"),
        (lambda: random_flip([[[[1.0]]]], np.random.default_rng()), TypeError, r"numpy array .* got list"),
        (lambda: random_flip(np.zeros((1, 1, 3, 3)), np.random.default_rng(), p=1.5), ValueError,
         r"p must be a probability in \[0, 1\], got 1.5"),
        (lambda: RandomAugment(flip="yes"), TypeError, r"flip must be True or False, got 'yes'"),
        (lambda: RandomAugment(max_shift=1.5), TypeError, r"max_shift must be an integer, got 1.5"),
    ],
)
def test_bad_input_is_explained(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
