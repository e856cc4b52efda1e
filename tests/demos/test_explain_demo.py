"""Lesson 13's maths: the hand-derived saliency equals cnnlib.explain and central differences; shifted images'
feature maps move by the shift before pooling while the logits change little."""
import re

import numpy as np
import pytest

from cnnlib.demos.explain import (TINY_DENSE, TINY_IMAGE, TINY_KERNEL, choose_examples, explain_image,
                                  grad_cam_by_hand, mirrored_bars, occlusion_by_hand, probabilities,
                                  saliency_by_hand, tiny_model, tiny_saliency)
from cnnlib.demos.shifts import best_alignment, shift_response, shift_right, shift_statistics
from cnnlib.explain import grad_cam, occlusion, saliency, saliency_map
from cnnlib.gradcheck import numerical_gradient
from cnnlib.networks import fashion_mnist_resnet


def test_the_hand_example_has_two_active_units_and_the_saliency_worked_out_on_paper():
    d = tiny_saliency(0)
    np.testing.assert_array_equal(d.hidden, [[2, -2], [-1, 2]])  # 1-0+0+1, 0-2+1... by hand
    np.testing.assert_array_equal(d.active, [[True, False], [False, True]])
    np.testing.assert_array_equal(d.logits, [1 * 2 + 3 * 2, 0 * 2 + (-1) * 2])  # only units 0 and 3 pass the ReLU
    # unit 0 adds 1·K at (0, 0), unit 3 adds 3·K at (1, 1); the centre pixel is in both windows: 1 + 3
    expected = [[1, -1, 0], [0, 4, -3], [0, 0, 3]]
    np.testing.assert_array_equal(d.by_hand, expected)
    np.testing.assert_allclose(d.library, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(d.numeric, expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("target", [0, 1])
def test_the_loop_equals_cnnlib_explain_and_finite_differences_for_every_class(target):
    d = tiny_saliency(target)
    np.testing.assert_allclose(d.by_hand, d.library, rtol=0, atol=1e-12)
    np.testing.assert_allclose(d.by_hand, d.numeric, rtol=0, atol=1e-8)
    assert np.abs(d.by_hand).max() > 0


def test_saliency_by_hand_matches_the_library_on_random_weights():
    rng = np.random.default_rng(3)
    for _ in range(5):
        image, kernel, dense = rng.standard_normal((3, 3)), rng.standard_normal((2, 2)), rng.standard_normal((4, 2))
        model = tiny_model(kernel, dense)
        for t in (0, 1):
            lib = saliency(model, image[None], t)[0]
            np.testing.assert_allclose(saliency_by_hand(image, kernel, dense, t), lib, rtol=1e-12, atol=1e-12)
    assert TINY_IMAGE.shape == (3, 3) and TINY_KERNEL.shape == (2, 2) and TINY_DENSE.shape == (4, 2)


def test_shift_right_moves_the_content_and_fills_with_zeros():
    x = np.arange(1.0, 7.0).reshape(1, 2, 3)
    np.testing.assert_array_equal(shift_right(x, 0), x)
    np.testing.assert_array_equal(shift_right(x, 2), [[[0, 0, 1], [0, 0, 4]]])


@pytest.mark.parametrize("offset", [-2, 0, 1, 3])
def test_best_alignment_finds_the_offset_of_a_moved_stack_of_maps(offset):
    maps = np.zeros((3, 5, 12))
    maps[:, 1:4, 4:7] = np.random.default_rng(0).uniform(0.5, 1.0, (3, 3, 3))
    moved = np.roll(maps, offset, axis=-1)
    d, rest = best_alignment(maps, moved, 4)
    assert d == offset and rest == pytest.approx(0.0, abs=1e-12)


def small_model_and_image():
    model = fashion_mnist_resnet(channels=(4, 8), seed=0)
    x = np.zeros((1, 28, 28), np.float32)
    x[0, 4:24, 3:20] = np.random.default_rng(0).uniform(0.2, 1, (20, 17))  # 8 black columns on the right
    return model, x


def test_before_pooling_the_maps_move_by_exactly_the_shift_and_the_logits_change_little():
    model, x = small_model_and_image()
    r = shift_response(model, x, shifts=(0, 1, 2, 3, 4), layers=(2, 5, 7))
    np.testing.assert_array_equal(r.strides, [1, 2, 4])
    np.testing.assert_array_equal(r.measured[0], [0, 1, 2, 3, 4])  # stride 1: equivariant, pixel for pixel
    np.testing.assert_allclose(r.aligned_change[0], 0, atol=1e-6)  # and moved back, nothing else changed
    np.testing.assert_array_equal(r.measured[1, [0, 2, 4]], [0, 2, 4])  # stride 2: even shifts are whole steps
    np.testing.assert_allclose(r.aligned_change[1, [2, 4]], 0, atol=1e-6)
    assert r.aligned_change[1, 1] > 0.2 and r.aligned_change[1, 3] > 0.2  # odd shifts fall between map pixels
    # compared in place, the first maps change by 83-91 % of their size; the logits by about 4 %
    np.testing.assert_allclose(r.map_change[0, 1:], [0.875, 0.834, 0.865, 0.908], atol=2e-3)
    np.testing.assert_allclose(r.logit_change[1:], [0.0403, 0.0402, 0.0444, 0.0473], atol=1e-3)
    assert np.all(r.predicted == r.predicted[0])
    assert r.logit_change[0] == 0 and np.all(r.map_change[:, 0] == 0)


def test_shift_statistics_of_no_shift_is_all_the_same():
    model, x = small_model_and_image()
    images = np.stack([x, x[:, ::-1], np.roll(x, -2, axis=-1)])
    s = shift_statistics(model, images, labels=np.array([0, 1, 2]), shifts=(0, 2))
    assert s.same_prediction[0] == 1.0 and s.mean_probability_change[0] == 0.0
    assert 0 <= s.same_prediction[1] <= 1 and s.mean_probability_change[1] > 0
    assert np.isnan(shift_statistics(model, images, shifts=(0,)).accuracy).all()


def test_explain_image_holds_the_three_maps_of_cnnlib_explain():
    model, x = small_model_and_image()
    e = explain_image(model, x, label=5)
    p = probabilities(model, x[None])[0]
    assert e.predicted == e.target == int(np.argmax(p)) and e.label == 5
    np.testing.assert_allclose(e.probabilities, p, rtol=1e-6)
    np.testing.assert_allclose(e.saliency, saliency_map(saliency(model, x, e.target)), rtol=1e-6)
    np.testing.assert_allclose(e.occlusion, occlusion(model, x, e.target, 7, 3).heatmap, rtol=1e-6)
    np.testing.assert_allclose(e.grad_cam, grad_cam(model, x, e.target, 7).heatmap, rtol=1e-6)
    assert e.occlusion_drop.shape == (8, 8) and e.cam.shape == (7, 7) and e.image.shape == (28, 28)
    other = explain_image(model, x, 3)
    assert other.target == 3 and other.label is None


def test_after_global_average_pooling_grad_cam_weights_are_the_dense_column_over_49():
    """With GAP + Dense the score is Σ_c W[c, t]·mean(A_c): every gradient on map c is W[c, t]/49 (CAM)."""
    model, x = small_model_and_image()
    cam = grad_cam(model, x, 4, 7)
    np.testing.assert_allclose(cam.weights * 49, model.layers[-1].params["W"][:, 4], rtol=1e-5)


def test_choose_examples_takes_right_and_wrong_ones_in_order():
    pred, labels = np.array([0, 1, 1, 3, 4, 0]), np.array([0, 2, 1, 1, 4, 0])
    np.testing.assert_array_equal(choose_examples(pred, labels, 2, 1), [0, 1, 2])
    np.testing.assert_array_equal(choose_examples(pred, labels, 9, 9), [0, 1, 2, 3, 4, 5])


def test_grad_cam_by_hand_on_the_tiny_model_is_the_libraries():
    d = tiny_saliency(0)
    alpha, cam = grad_cam_by_hand(d.hidden, d.dense, 0)
    assert alpha == (1 + 2 - 1 + 3) / 4  # the mean of the dense column of class 0
    np.testing.assert_array_equal(cam, [[2.5, 0], [0, 2.5]])  # 1.25 · ReLU(h)
    lib = grad_cam(d.model, d.image[None], 0, 1)
    np.testing.assert_allclose(lib.cam, cam, rtol=1e-12)
    assert lib.weights.tolist() == [1.25]
    alpha1, cam1 = grad_cam_by_hand(d.hidden, d.dense, 1)
    assert alpha1 == (0 + 1 + 1 - 1) / 4
    np.testing.assert_allclose(grad_cam(d.model, d.image[None], 1, 1).cam, cam1, rtol=1e-12)


@pytest.mark.parametrize("patch, stride", [(2, 1), (1, 1), (1, 2), (3, 1)])
def test_occlusion_by_hand_is_the_libraries(patch, stride):
    d = tiny_saliency(0)
    for target in (0, 1):
        by_hand = occlusion_by_hand(d.model, d.image[None], target, patch, stride)
        np.testing.assert_allclose(by_hand, occlusion(d.model, d.image[None], target, patch, stride).drop,
                                   rtol=1e-9, atol=1e-12)
    assert occlusion_by_hand(d.model, d.image[None], 0, 2, 1)[1, 1] == pytest.approx(0.26889602, abs=1e-8)


def test_mirrored_bars_saliency_sees_one_half_grad_cam_both():
    m = mirrored_bars()
    assert np.all(m.saliency[:, 7:] == 0) and np.abs(m.saliency[:, :6]).max() == pytest.approx(1 / 24)
    np.testing.assert_allclose(m.grad_cam, m.grad_cam[:, ::-1], atol=1e-12)  # symmetric: both bars lit
    assert m.grad_cam[:, 2].max() == m.grad_cam[:, 9].max() == 1.0
    assert m.reads[:, :6].all() and not m.reads[:, 6:].any()


@pytest.mark.parametrize("predicted, labels, error, words", [
    (np.zeros((3, 10)), np.zeros(3, int), TypeError, "argmax(axis=1)"),  # probabilities, not classes
    (None, np.zeros(3, int), TypeError, "None"),
    (np.zeros(3, int), np.zeros(4, int), ValueError, "3 predictions and 4 labels"),
])
def test_choose_examples_refuses_what_would_pick_wrong_images(predicted, labels, error, words):
    with pytest.raises(error, match=re.escape(words)):
        choose_examples(predicted, labels)


def test_choose_examples_refuses_a_negative_count():
    with pytest.raises(ValueError, match="n_wrong must be >= 0, got -1"):
        choose_examples(np.zeros(3, int), np.zeros(3, int), 1, -1)


@pytest.mark.parametrize("target, error", [(-1, ValueError), (2, ValueError), (0.0, TypeError), ("1", TypeError)])
def test_tiny_saliency_refuses_a_class_the_tiny_model_does_not_have(target, error):
    """-1 would index the last class and show its saliency under the name 'class -1'."""
    with pytest.raises(error, match="target"):
        tiny_saliency(target)
