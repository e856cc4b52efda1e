import numpy as np
import pytest

from cnnlib.image_filters import ALL_KERNEL_NAMES, DESCRIPTIONS, KERNEL_NAMES, get_kernel, kernel_bank
from cnnlib.layers import Conv2D


def test_names_and_descriptions():
    assert KERNEL_NAMES == ("identity", "box_blur", "gaussian", "sharpen", "sobel_x", "sobel_y", "laplacian")
    assert ALL_KERNEL_NAMES == KERNEL_NAMES + ("brighten", "darken")
    assert set(DESCRIPTIONS) == set(ALL_KERNEL_NAMES)


@pytest.mark.parametrize("name, total", [("identity", 1), ("box_blur", 1), ("gaussian", 1), ("sharpen", 1),
                                         ("sobel_x", 0), ("sobel_y", 0), ("laplacian", 0),
                                         ("brighten", 2), ("darken", 0.5)])
def test_weights_sum(name, total):
    k = get_kernel(name)
    assert k.shape == (3, 3) and k.dtype == np.float32
    assert k.sum() == pytest.approx(total, abs=1e-6)


def test_sobel_signs_follow_the_brightness_change():
    ramp = np.tile(np.arange(6.0), (6, 1))  # brighter to the right
    conv = Conv2D(1, 2, 3, bias=False, seed=0)
    conv.params["W"][...] = kernel_bank(["sobel_x", "sobel_y"])
    out = conv(ramp[None, None])[0]
    assert (out[0] > 0).all()  # sobel_x: positive where it gets brighter to the right
    assert (out[1] == 0).all()  # sobel_y: no vertical change


def test_get_kernel_returns_a_fresh_copy_and_checks_names():
    get_kernel("identity")[1, 1] = 99
    assert get_kernel("identity")[1, 1] == 1
    assert get_kernel("gaussian", np.float64).dtype == np.float64
    with pytest.raises(ValueError, match="unknown kernel 'sobel'.*sobel_x"):
        get_kernel("sobel")


def test_kernel_bank_is_conv_weights():
    assert kernel_bank().shape == (7, 1, 3, 3)
    bank = kernel_bank(["sobel_y", "identity"], np.float64)
    assert bank.dtype == np.float64 and bank[1, 0, 1, 1] == 1 and bank[0, 0].tolist() == [[-1, -2, -1], [0, 0, 0],
                                                                                         [1, 2, 1]]
