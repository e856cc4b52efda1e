"""cnnlib.explain: saliency, occlusion and Grad-CAM, each against an independent computation.

Saliency against central differences of the score, occlusion against a loop
that hides one position at a time, Grad-CAM against a loop over channels with
the gradient from central differences, and both against PyTorch with the same
weights. Then properties a student can see, the model left as it was, and bad input.
"""
import numpy as np
import pytest

from cnnlib import Sequential
from cnnlib.explain import GradCAMMap, OcclusionMap, grad_cam, occlusion, saliency, saliency_map, upsample_bilinear
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.layers import BatchNorm2D, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D, ReLU, Softmax
from cnnlib.shapes import conv_output_size

F64 = np.float64


def small_model(seed=0):
    """A float64 CNN with every kind of layer whose eval mode differs from training: batch norm and dropout.

    Input (2, 8, 8): conv 3x3 pad 1 -> (3, 8, 8), pool -> (3, 4, 4), conv 3x3 -> (4, 2, 2), dense 16 -> 5.
    """
    rng = np.random.default_rng(seed)
    bn = BatchNorm2D(3, dtype=F64)
    bn.running_mean[:] = rng.standard_normal(3) * 0.3
    bn.running_var[:] = rng.uniform(0.5, 2.0, 3)
    bn.params["gamma"][:] = rng.uniform(0.5, 1.5, 3)
    bn.params["beta"][:] = rng.standard_normal(3) * 0.2
    return Sequential([
        Conv2D(2, 3, 3, padding=1, dtype=F64, seed=seed + 1), bn, ReLU(), MaxPool2D(2),
        Conv2D(3, 4, 3, dtype=F64, seed=seed + 2), ReLU(), Flatten(), Dropout(0.5, seed=0),
        Dense(16, 5, dtype=F64, seed=seed + 3),
    ])


def images(n=3, seed=1):
    return np.random.default_rng(seed).standard_normal((n, 2, 8, 8))


def eval_logits(model, x):
    """Logits in eval mode by the model's own forward; the modes are put back."""
    before = [layer.training for layer in model.layers]
    model.eval()
    try:
        return model.forward(x)
    finally:
        for layer, was in zip(model.layers, before):
            layer.train(was)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# -- saliency ---------------------------------------------------------------------------
def test_saliency_matches_central_differences_of_the_logit():
    model, x, target = small_model(), images(), np.array([0, 3, 4])
    grad = saliency(model, x, target)
    xs = x.copy()
    numeric = numerical_gradient(lambda: eval_logits(model, xs)[np.arange(3), target].sum(), xs)
    assert grad.shape == x.shape and grad.dtype == F64
    assert relative_error(grad, numeric) < 1e-6, f"max relative error {relative_error(grad, numeric):.2e}"
    assert np.abs(grad).max() > 1e-3  # not trivially zero


def test_saliency_of_a_batch_is_each_images_own_and_an_int_target_is_shared():
    model, x = small_model(), images()
    batch = saliency(model, x, [2, 2, 2])
    for n in range(3):
        np.testing.assert_allclose(saliency(model, x[n], 2), batch[n], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(saliency(model, x, 2), batch)


def test_a_final_softmax_is_skipped_so_the_score_is_the_logit():
    model, x = small_model(), images()
    with_softmax = Sequential(model.layers + [Softmax()])
    np.testing.assert_array_equal(saliency(with_softmax, x, 1), saliency(model, x, 1))
    np.testing.assert_array_equal(grad_cam(with_softmax, x, 1, 2).cam, grad_cam(model, x, 1, 2).cam)
    np.testing.assert_allclose(occlusion(with_softmax, x, 1, 3, 2).drop, occlusion(model, x, 1, 3, 2).drop,
                               rtol=1e-12, atol=1e-15)


def test_saliency_is_zero_where_a_pixel_cannot_affect_the_output():
    # A 1x1 conv with stride 2 reads only the pixels at even rows and columns.
    model = Sequential([Conv2D(1, 2, 1, stride=2, dtype=F64, seed=0), Flatten(),
                        Dense(2 * 3 * 3, 4, dtype=F64, seed=1)])
    grad = saliency(model, np.random.default_rng(0).standard_normal((1, 6, 6)), 2)[0]  # (6, 6)
    unread = np.ones((6, 6), bool)
    unread[::2, ::2] = False
    assert np.all(grad[unread] == 0)
    assert np.all(grad[~unread] != 0)


def test_saliency_map_is_the_largest_absolute_gradient_over_channels():
    g = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    expected = np.array([[[max(abs(g[n, c, i, j]) for c in range(3)) for j in range(5)] for i in range(4)]
                         for n in range(2)])
    np.testing.assert_array_equal(saliency_map(g), expected)
    np.testing.assert_array_equal(saliency_map(g[1]), expected[1])


# -- occlusion ------------------------------------------------------------------------------
def occlusion_loop(model, x, t, patch, stride, fill):
    """Hide one position at a time; the per-pixel map as a plain sum and count."""
    (C, H, W), (ph, pw), (sh, sw) = x.shape, patch, stride
    p0 = softmax(eval_logits(model, x[None]))[0, t]
    H_out, W_out = (H - ph) // sh + 1, (W - pw) // sw + 1
    drop, total, count = np.zeros((H_out, W_out)), np.zeros((H, W)), np.zeros((H, W))
    for i in range(H_out):
        for j in range(W_out):
            hidden = x.copy()
            hidden[:, i * sh:i * sh + ph, j * sw:j * sw + pw] = fill
            drop[i, j] = p0 - softmax(eval_logits(model, hidden[None]))[0, t]
            total[i * sh:i * sh + ph, j * sw:j * sw + pw] += drop[i, j]
            count[i * sh:i * sh + ph, j * sw:j * sw + pw] += 1
    with np.errstate(invalid="ignore"):
        return drop, total / count, p0


@pytest.mark.parametrize("patch, stride, fill, batch_size", [
    ((3, 2), (2, 3), 0.5, 5),  # uneven patch and stride; several batches of occluded images
    (4, 4, 0.0, 128),
    (3, 1, -1.0, 7),
    (8, 1, 0.0, 1),  # the whole image: one position
])
def test_occlusion_matches_a_loop_that_hides_one_position_at_a_time(patch, stride, fill, batch_size):
    model, x, targets = small_model(), images(2), [1, 4]
    result = occlusion(model, x, targets, patch, stride, fill, batch_size=batch_size)
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    for n in range(2):
        drop, heat, p0 = occlusion_loop(model, x[n], targets[n], pair(patch), pair(stride), fill)
        np.testing.assert_allclose(result.drop[n], drop, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(result.heatmap[n], heat, rtol=1e-10, atol=1e-13)  # NaN where equal NaN
        assert result.probability[n] == pytest.approx(p0, rel=1e-12)
    assert np.abs(result.drop).max() > 1e-4  # hiding something changed the probability


def test_occlusion_shape_follows_the_output_size_formula_and_uncovered_pixels_are_nan():
    model, x = small_model(), images(1)[0]
    occ = occlusion(model, x, 0, patch=3, stride=2)
    assert isinstance(occ, OcclusionMap)
    assert occ.drop.shape == (conv_output_size(8, 3, 2), conv_output_size(8, 3, 2)) == (3, 3)
    assert occ.heatmap.shape == (8, 8) and occ.patch == (3, 3) and occ.stride == (2, 2)
    # positions start at 0, 2, 4 and cover up to pixel 6: row and column 7 are never hidden
    assert np.isnan(occ.heatmap[7]).all() and np.isnan(occ.heatmap[:, 7]).all()
    assert not np.isnan(occ.heatmap[:7, :7]).any()
    assert isinstance(occ.probability, float)


# -- Grad-CAM ---------------------------------------------------------------------------------
# Not layer 2: the ReLU's zeros tie inside max-pool windows, where the score has no derivative (a central
# difference gives the average of the two sides); torch checks that layer below.
@pytest.mark.parametrize("layer", [0, 1, 3, 4, 5])
def test_grad_cam_matches_a_loop_over_channels_with_the_gradient_by_central_differences(layer):
    model, x, t = small_model(), images(1)[0], 3
    result = grad_cam(model, x, t, layer)
    model.eval()
    A = x[None]
    for lay in model.layers[:layer + 1]:  # the activation, running the layers by hand
        A = lay.forward(A)
    A = A.copy()

    def score():
        h = A
        for lay in model.layers[layer + 1:]:
            h = lay.forward(h)
        return h[0, t]

    dA = numerical_gradient(score, A)[0]  # (C, h, w)
    C, h, w = dA.shape
    cam = np.zeros((h, w))
    weights = np.zeros(C)
    for c in range(C):
        weights[c] = sum(dA[c, i, j] for i in range(h) for j in range(w)) / (h * w)
        cam += weights[c] * A[0, c]
    cam = np.maximum(cam, 0)
    np.testing.assert_allclose(result.weights, weights, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(result.cam, cam, rtol=1e-6, atol=1e-10)
    np.testing.assert_array_equal(result.activation, A[0])
    assert result.score == pytest.approx(score(), rel=1e-12)
    assert result.heatmap.shape == (8, 8) and result.layer == layer
    if cam.max() > 0:
        assert result.heatmap.max() == pytest.approx(1.0) and result.heatmap.min() >= 0


def test_grad_cam_of_a_batch_is_each_images_own():
    model, x = small_model(), images(3)
    batch = grad_cam(model, x, [0, 1, 2], 2)
    assert isinstance(batch, GradCAMMap) and batch.heatmap.shape == (3, 8, 8) and batch.weights.shape == (3, 3)
    for n in range(3):
        one = grad_cam(model, x[n], n, 2)
        np.testing.assert_allclose(one.cam, batch.cam[n], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(one.heatmap, batch.heatmap[n], rtol=1e-12, atol=1e-15)


def two_bars():
    """A vertical bar in the left half, a horizontal bar in the right half, and a model with one class for each."""
    img = np.zeros((1, 12, 12))
    img[0, 2:10, 2] = 1.0  # vertical bar, column 2
    img[0, 6, 7:11] = 1.0  # horizontal bar, row 6
    conv = Conv2D(1, 2, 3, padding=1, dtype=F64)
    line = np.array([-1.0, 2.0, -1.0])
    conv.params["W"][:] = np.stack([np.tile(line, (3, 1)), np.tile(line, (3, 1)).T])[:, None]  # (2, 1, 3, 3)
    conv.params["b"][:] = -1.0  # a threshold: only a bar's own direction gets through the ReLU
    dense = Dense(2 * 12 * 12, 2, dtype=F64)
    dense.params["W"][:] = np.kron(np.eye(2), np.ones((144, 1))) / 144  # class c = mean of channel c
    dense.params["b"][:] = 0
    return Sequential([conv, ReLU(), Flatten(), dense]), img


def test_grad_cam_highlights_the_half_that_holds_the_class_evidence():
    model, img = two_bars()
    for target, half in ((0, np.s_[:, :6]), (1, np.s_[:, 6:])):
        heat = grad_cam(model, img, target, 1).heatmap
        assert heat[half].sum() / heat.sum() > 0.95, f"class {target}: {heat[half].sum() / heat.sum():.3f}"
    vertical = grad_cam(model, img, 0, 1).cam
    assert set(np.argwhere(vertical == vertical.max())[:, 1]) == {2}  # the peak is on the bar's column


def test_grad_cam_localises_by_channel_and_saliency_by_pixel():
    """The score reads only the left half, but the same bar is on both halves: saliency sees the difference,
    Grad-CAM (one weight per channel) cannot."""
    model, img = two_bars()
    img[0, 6, 7:11] = 0.0
    img[0, 2:10, 9] = 1.0  # a second vertical bar, the mirror image of the first (column 11 - 2)
    model.layers[3].params["W"][:, 0] *= np.tile(np.repeat([1.0, 0.0], 6), 12 * 2)  # class 0 reads columns 0-5
    grad = saliency(model, img, 0)[0]
    assert np.all(grad[:, 7:] == 0) and np.abs(grad[:, :6]).max() > 0  # column 6 is the 3x3 kernel's reach
    heat = grad_cam(model, img, 0, 1).heatmap
    np.testing.assert_allclose(heat, heat[:, ::-1], atol=1e-12)  # both bars light up alike
    assert heat[:, 9].max() == 1.0


# -- PyTorch --------------------------------------------------------------------------------------
def torch_model(model, torch):
    """The same network in torch, float64, eval mode, with cnnlib's weights."""
    nn = torch.nn
    conv1, bn, _, _, conv2, _, _, _, dense = model.layers
    t = lambda a: torch.tensor(np.asarray(a, dtype=F64))  # noqa: E731
    net = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3, eps=bn.eps), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Dropout(0.5), nn.Linear(16, 5)).double()
    with torch.no_grad():
        for mine, theirs in ((conv1, net[0]), (conv2, net[4])):
            theirs.weight.copy_(t(mine.params["W"]))
            theirs.bias.copy_(t(mine.params["b"]))
        net[1].weight.copy_(t(bn.params["gamma"]))
        net[1].bias.copy_(t(bn.params["beta"]))
        net[1].running_mean.copy_(t(bn.running_mean))
        net[1].running_var.copy_(t(bn.running_var))
        net[8].weight.copy_(t(dense.params["W"].T))  # cnnlib's Dense W is (in, out), torch's Linear (out, in)
        net[8].bias.copy_(t(dense.params["b"]))
    return net.eval()


def test_saliency_matches_torch():
    torch = pytest.importorskip("torch")
    model, x, target = small_model(), images(), [0, 3, 4]
    net = torch_model(model, torch)
    xt = torch.tensor(x, requires_grad=True)
    logits = net(xt)
    np.testing.assert_allclose(eval_logits(model, x), logits.detach().numpy(), rtol=1e-12, atol=1e-12)
    logits[torch.arange(3), torch.tensor(target)].sum().backward()
    np.testing.assert_allclose(saliency(model, x, target), xt.grad.numpy(), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("layer", [0, 2, 3, 5])
def test_grad_cam_matches_torch_with_hooks(layer):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    model, x, target = small_model(), images(), [0, 3, 4]
    net = torch_model(model, torch)
    kept = {}

    def keep(module, inputs, output):
        kept["A"] = output
        output.register_hook(lambda grad: kept.__setitem__("dA", grad))

    handle = net[layer].register_forward_hook(keep)
    logits = net(torch.tensor(x))
    logits[torch.arange(3), torch.tensor(target)].sum().backward()
    handle.remove()
    alpha = kept["dA"].mean(dim=(2, 3))  # (N, C)
    cam = F.relu((alpha[:, :, None, None] * kept["A"]).sum(dim=1))  # (N, h, w)
    up = F.interpolate(cam[:, None], size=(8, 8), mode="bilinear", align_corners=False)[:, 0]  # (N, 8, 8)
    heat = up / up.amax(dim=(1, 2), keepdim=True).clamp_min(1e-300)

    ours = grad_cam(model, x, target, layer)
    close = dict(rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ours.weights, alpha.detach().numpy(), **close)
    np.testing.assert_allclose(ours.gradient, kept["dA"].numpy(), **close)
    np.testing.assert_allclose(ours.cam, cam.detach().numpy(), **close)
    np.testing.assert_allclose(ours.heatmap, heat.detach().numpy(), **close)
    np.testing.assert_allclose(ours.score, logits.detach().numpy()[np.arange(3), target], **close)


@pytest.mark.parametrize("shape, size", [((2, 2), (8, 8)), ((3, 5), (7, 11)), ((6, 6), (4, 9)), ((1, 1), (3, 2))])
def test_upsample_bilinear_matches_torch_interpolate(shape, size):
    torch = pytest.importorskip("torch")
    maps = np.random.default_rng(0).standard_normal((2, 3, *shape))
    ref = torch.nn.functional.interpolate(torch.tensor(maps), size=size, mode="bilinear", align_corners=False)
    np.testing.assert_allclose(upsample_bilinear(maps, size), ref.numpy(), rtol=1e-12, atol=1e-14)


def test_upsample_bilinear_of_integer_maps_interpolates_instead_of_truncating():
    assert np.allclose(upsample_bilinear(np.array([[0, 1]]), (1, 4)), [[0, 0.25, 0.75, 1]])
    assert upsample_bilinear(np.ones((2, 2)), 3).shape == (3, 3)  # one int: a square size, as in PyTorch


def test_upsample_bilinear_keeps_constants_and_the_range():
    np.testing.assert_allclose(upsample_bilinear(np.full((3, 4), 2.5), (10, 7)), 2.5)
    maps = np.random.default_rng(1).random((5, 4))
    up = upsample_bilinear(maps, (13, 9))
    assert maps.min() <= up.min() and up.max() <= maps.max()


# -- the model is left as it was ---------------------------------------------------------------------
def test_explaining_changes_nothing_training_reads():
    model, x = small_model(), images(4)
    model.forward(x)  # training mode: batch statistics, a dropout mask
    model.backward(np.ones((4, 5)))
    model.layers[0].requires_input_grad = False  # as fit sets it
    model.layers[7].eval()  # a mixed mode must come back as it was too
    bn, dropout = model.layers[1], model.layers[7]
    before = [(layer._cache, layer.grads, dict(layer.grads), layer.training, layer.requires_input_grad)
              for layer in model.layers]
    stats = (bn.running_mean.copy(), bn.running_var.copy())
    rng_state = dropout.rng.bit_generator.state
    saliency(model, x, 1)
    occlusion(model, x, 2, 4, 4)
    grad_cam(model, x, 3, 2)
    with pytest.raises(ValueError):
        grad_cam(model, x, 99, 2)  # an error after the forward pass restores too
    for i, (layer, (cache, grads, arrays, training, needs_dx)) in enumerate(zip(model.layers, before)):
        assert layer._cache is cache and layer.grads is grads, f"layer {i}: cache or grads replaced"
        assert all(layer.grads[k] is arrays[k] for k in arrays) and layer.grads.keys() == arrays.keys(), f"layer {i}"
        assert (layer.training, layer.requires_input_grad) == (training, needs_dx), f"layer {i}: mode"
    np.testing.assert_array_equal(bn.running_mean, stats[0])
    np.testing.assert_array_equal(bn.running_var, stats[1])
    assert dropout.rng.bit_generator.state == rng_state


class Block(Layer):
    """A layer made of layers, as a residual block is: the explanations must restore the inner ones too."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        for layer in self.inner:
            x = layer.forward(x)
        self._cache = x.shape
        return x

    def backward(self, dout):
        for layer in reversed(self.inner):
            dout = layer.backward(dout)
        self.grads = {f"{i}.{k}": v for i, layer in enumerate(self.inner) for k, v in layer.grads.items()}  # a new dict
        return dout

    def train(self, mode=True):
        for layer in self.inner:
            layer.train(mode)
        return super().train(mode)


def test_the_layers_inside_a_block_are_restored_too():
    rng = np.random.default_rng(0)
    bn = BatchNorm2D(3, dtype=F64)
    inner = [Conv2D(3, 3, 3, padding=1, dtype=F64, seed=1), bn, ReLU()]
    model = Sequential([Conv2D(2, 3, 3, padding=1, dtype=F64, seed=0), Block(inner), Flatten(),
                        Dense(3 * 8 * 8, 4, dtype=F64, seed=2)])
    x = rng.standard_normal((2, 2, 8, 8))
    model.forward(x)
    model.backward(np.ones((2, 4)))
    every = model.layers + inner
    before = [(layer._cache, layer.grads, dict(layer.grads), layer.training) for layer in every]
    stats = bn.running_mean.copy()
    grad = saliency(model, x, [1, 3])
    grad_cam(model, x, 0, 1)
    occlusion(model, x, 2, 3, 3)
    for i, (layer, (cache, grads, arrays, training)) in enumerate(zip(every, before)):
        assert layer._cache is cache and layer.grads is grads and layer.training == training, f"layer {i}"
        assert all(layer.grads[k] is arrays[k] for k in arrays), f"layer {i}"
    np.testing.assert_array_equal(bn.running_mean, stats)
    xs = x.copy()
    numeric = numerical_gradient(lambda: eval_logits(model, xs)[[0, 1], [1, 3]].sum(), xs)
    assert relative_error(grad, numeric) < 1e-6


# -- bad input ----------------------------------------------------------------------------------------
def nan_weights(model):
    """The model with one NaN weight in its last layer: finite images, NaN logits (a diverged training run)."""
    model.layers[-1].params["W"][0, 0] = np.nan
    return model


@pytest.mark.parametrize("call, error, words", [
    (lambda m, x: saliency(m, x[0], 5), ValueError, ["target 5", "K=5 classes", "[0, 5)"]),
    (lambda m, x: saliency(m, x, [0, 7, 1]), ValueError, ["target 7 (image 1)", "K=5"]),
    (lambda m, x: saliency(m, x[0], -1), ValueError, ["target -1", "[0, 5)"]),
    (lambda m, x: saliency(m, x, [0, 1]), ValueError, ["3 ints (one per image)", "shape (2,)"]),
    (lambda m, x: saliency(m, x[0], [0]), ValueError, ["one int for the image"]),
    (lambda m, x: saliency(m, x[0], 1.5), TypeError, ["integer class index", "1.5"]),
    (lambda m, x: saliency(m, x[0], True), TypeError, ["integer class index"]),
    (lambda m, x: saliency(m, x[0, 0], 1), ValueError, ["(C, H, W)", "(8, 8)", "x[None]"]),
    (lambda m, x: saliency(m, x[:0], 1), ValueError, ["empty axis", "(0, 2, 8, 8)"]),
    (lambda m, x: saliency(m, np.full((2, 8, 8), np.nan), 1), ValueError, ["NaN", "nan_to_num"]),
    (lambda m, x: saliency(m, x[:, :1], 1), ValueError, ["layer 0 (Conv2D) forward", "channels"]),
    (lambda m, x: saliency("model", x, 1), TypeError, ["model.layers", "str", "Sequential"]),
    (lambda m, x: saliency(Sequential([Conv2D(2, 3, 3)]), x, 1), ValueError, ["(N, K)", "(3, 3, 6, 6)", "Dense"]),
    (lambda m, x: grad_cam(m, x, 0, 9), ValueError, ["layer 9", "9 layers", "[0, 1, 2, 3, 4, 5]", "layer 5"]),
    (lambda m, x: grad_cam(m, x, 0, -1), ValueError, ["layer -1", "[0, 1, 2, 3, 4, 5]"]),
    (lambda m, x: grad_cam(m, x, 0, 6), ValueError, ["layer 6 (Flatten)", "not maps", "[0, 1, 2, 3, 4, 5]"]),
    (lambda m, x: grad_cam(m, x, 0, 2.0), TypeError, ["layer must be an int", "2.0"]),
    (lambda m, x: grad_cam(m, x, 5, 2), ValueError, ["target 5", "K=5"]),
    (lambda m, x: occlusion(m, x, 0, 9, 1), ValueError, ["patch (9, 9)", "larger than the image (8, 8)"]),
    (lambda m, x: occlusion(m, x, 0, (2, 9), 1), ValueError, ["patch (2, 9)", "(8, 8)"]),
    (lambda m, x: occlusion(m, x, 0, 0, 1), ValueError, ["patch must be >= 1", "got 0"]),
    (lambda m, x: occlusion(m, x, 0, 3, 0), ValueError, ["stride must be >= 1"]),
    (lambda m, x: occlusion(m, x, 0, 3.5, 1), TypeError, ["patch must be an int or a pair", "3.5"]),
    (lambda m, x: occlusion(m, x, 0, 3, 1, fill="mean"), TypeError, ["fill must be a number", "'mean'"]),
    (lambda m, x: occlusion(m, x, 0, 3, 1, batch_size=0), ValueError, ["batch_size must be >= 1"]),
    (lambda m, x: occlusion(m, x, 8, 3, 1), ValueError, ["target 8", "K=5"]),
    (lambda m, x: saliency_map(np.zeros((8, 8))), ValueError, ["(C, H, W)", "(8, 8)"]),
    (lambda m, x: upsample_bilinear(np.zeros(3), (4, 4)), ValueError, ["(..., h, w)", "(3,)"]),
    (lambda m, x: upsample_bilinear(np.zeros((0, 2)), (4, 4)), ValueError, ["h, w >= 1", "(0, 2)"]),
    (lambda m, x: upsample_bilinear(np.zeros((2, 2)), (0, 4)), ValueError, ["size must be >= 1", "(0, 4)"]),
    (lambda m, x: upsample_bilinear(np.zeros((2, 2)), (2.5, 4)), TypeError, ["size must be an int or a pair"]),
    (lambda m, x: upsample_bilinear(np.array([["a"]]), (2, 2)), TypeError, ["maps must be a numeric array"]),
    (lambda m, x: saliency_map(np.array([[["a"]]])), TypeError, ["grad must be a numeric array"]),
    (lambda m, x: saliency_map(np.zeros((0, 3, 3))), ValueError, ["(C, H, W)", "(0, 3, 3)"]),
    (lambda m, x: occlusion(m, x.astype(np.float32), 0, 3, 1, fill=1e39), ValueError,
     ["fill=1e+39", "float32", "3.4e+38"]),
    (lambda m, x: grad_cam(nan_weights(m), x[0], 1, 1), RuntimeError,
     ["grad_cam", "NaN in the model's logits", "no score to explain", "weights"]),
    (lambda m, x: occlusion(nan_weights(m), x, 1, 3, 1), RuntimeError, ["occlusion", "NaN in the model's logits"]),
    (lambda m, x: saliency(nan_weights(m), x, 1), RuntimeError, ["saliency", "NaN in the model's logits"]),
])
def test_bad_input_names_the_value_the_expectation_and_a_fix(call, error, words):
    with pytest.raises(error) as info:
        call(small_model(), images())
    message = str(info.value)
    missing = [w for w in words if w not in message]
    assert not missing, f"{missing} not in: {message}"


def test_importing_explain_loads_numpy_only():
    import subprocess
    import sys
    code = ("import sys, cnnlib.explain\n"
            "heavy = ('matplotlib', 'ipywidgets', 'IPython', 'tqdm', 'scipy', 'PIL', 'torch')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
