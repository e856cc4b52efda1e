"""PyTorch as an independent oracle for BatchNorm, Dense, the losses and the optimizers (float64)."""
import functools

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from cnnlib.layers import BatchNorm1D, BatchNorm2D, Dense  # noqa: E402
from cnnlib.losses import MSE, BinaryCrossEntropy, CrossEntropy  # noqa: E402
from cnnlib.optim import SGD, Adam  # noqa: E402

RNG = np.random.default_rng(0)


def t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def close(a, b, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a), b.detach().numpy() if hasattr(b, "detach") else b, rtol=rtol, atol=atol)


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [(BatchNorm2D, torch.nn.BatchNorm2d, (4, 3, 5, 5)), (BatchNorm1D, torch.nn.BatchNorm1d, (6, 3))],
)
def test_batchnorm_train_then_eval_matches_torch(ours, theirs, shape):
    bn = ours(3, momentum=0.2, dtype=np.float64)
    ref = theirs(3, momentum=0.2, dtype=torch.float64)
    gamma, beta = RNG.normal(size=3), RNG.normal(size=3)
    bn.params["gamma"][...], bn.params["beta"][...] = gamma, beta
    with torch.no_grad():
        ref.weight.copy_(t(gamma))
        ref.bias.copy_(t(beta))
    for training in (True, True, True, False):
        bn.train(training)
        ref.train(training)
        x, dout = RNG.normal(2, 3, size=shape), RNG.normal(size=shape)
        xt = t(x, grad=True)
        ref.weight.grad = ref.bias.grad = None
        out_t = ref(xt)
        out_t.backward(t(dout))
        close(bn(x), out_t)
        close(bn.backward(dout), xt.grad, atol=1e-10)
        close(bn.grads["gamma"], ref.weight.grad)
        close(bn.grads["beta"], ref.bias.grad)
        close(bn.running_mean, ref.running_mean)
        close(bn.running_var, ref.running_var)


def test_dense_matches_linear():
    layer = Dense(5, 4, dtype=np.float64, seed=0)
    layer.params["b"][...] = RNG.normal(size=4)
    x, dout = RNG.normal(size=(3, 5)), RNG.normal(size=(3, 4))
    xt, Wt, bt = t(x, True), t(layer.params["W"].T, True), t(layer.params["b"], True)  # torch weight: (out, in)
    out_t = F.linear(xt, Wt, bt)
    out_t.backward(t(dout))
    close(layer(x), out_t)
    close(layer.backward(dout), xt.grad)
    close(layer.grads["W"], Wt.grad.T)
    close(layer.grads["b"], bt.grad)


def _loss_pair(ours, theirs, pred, target, target_t=None):
    pt = t(pred, True)
    value_t = theirs(pt, t(target) if target_t is None else target_t)
    value_t.backward()
    assert ours(pred, target) == pytest.approx(value_t.item(), rel=1e-12)
    close(ours.backward(), pt.grad)


def test_cross_entropy_matches_torch():
    logits, y = RNG.normal(size=(6, 5)) * 3, RNG.integers(0, 5, 6)
    _loss_pair(CrossEntropy(), F.cross_entropy, logits, y, torch.tensor(y))
    probs = RNG.dirichlet(np.ones(5), 6)
    _loss_pair(CrossEntropy(), F.cross_entropy, logits, probs)
    huge = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    _loss_pair(CrossEntropy(), F.cross_entropy, huge, np.array([1, 0]), torch.tensor([1, 0]))


@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_cross_entropy_label_smoothing_matches_torch(eps):
    logits, y = RNG.normal(size=(6, 5)) * 3, RNG.integers(0, 5, 6)
    smoothed = functools.partial(F.cross_entropy, label_smoothing=eps)
    _loss_pair(CrossEntropy(label_smoothing=eps), smoothed, logits, y, torch.tensor(y))
    _loss_pair(CrossEntropy(label_smoothing=eps), smoothed, logits, RNG.dirichlet(np.ones(5), 6))


def test_binary_cross_entropy_matches_torch():
    y = RNG.integers(0, 2, (5, 3)).astype(np.float64)
    _loss_pair(BinaryCrossEntropy(), F.binary_cross_entropy, RNG.uniform(0.02, 0.98, (5, 3)), y)
    soft = RNG.uniform(size=(5, 3))
    _loss_pair(BinaryCrossEntropy(from_logits=True), F.binary_cross_entropy_with_logits,
               RNG.normal(size=(5, 3)) * 5, soft)
    _loss_pair(BinaryCrossEntropy(from_logits=True), F.binary_cross_entropy_with_logits,
               np.array([1e4, -1e4, 30.0]), np.array([0.0, 1.0, 0.5]))


def test_mse_matches_torch():
    _loss_pair(MSE(), F.mse_loss, RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3)))


def _trajectory(make_ours, make_theirs, steps=5):
    """Feed both optimizers the same gradients g(p) = p^3 - c_k and compare every step."""
    layer = Dense(4, 3, dtype=np.float64, seed=0)
    params_t = [torch.tensor(layer.params[k].copy(), requires_grad=True) for k in ("W", "b")]
    opt, opt_t = make_ours(layer), make_theirs(params_t)
    for k in range(steps):
        for name, p_t in zip(("W", "b"), params_t):
            c = np.sin(np.arange(p_t.numel()).reshape(p_t.shape) + k)
            layer.grads[name] = layer.params[name] ** 3 - c
            p_t.grad = t(layer.grads[name])
        opt.step()
        opt_t.step()
        for name, p_t in zip(("W", "b"), params_t):
            close(layer.params[name], p_t, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.9, 0.01), (0.0, 0.1)])
def test_sgd_trajectory_matches_torch(momentum, weight_decay):
    _trajectory(lambda m: SGD(m, lr=0.1, momentum=momentum, weight_decay=weight_decay),
                lambda p: torch.optim.SGD(p, lr=0.1, momentum=momentum, weight_decay=weight_decay))


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_adam_trajectory_matches_torch(weight_decay):
    _trajectory(lambda m: Adam(m, lr=0.01, betas=(0.8, 0.99), weight_decay=weight_decay),
                lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=weight_decay))
