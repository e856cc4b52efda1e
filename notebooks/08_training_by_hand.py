# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 · Training by hand: the loop, the learning rate, optimisers, losses, initialisation and regularisation
#
# Lesson 06 computed every gradient with `backward`; lesson 07 made that fast. What is left is to *use* the
# gradients: run the network on a batch, measure the loss, backpropagate, move every weight a little against
# its gradient, and repeat. That loop is all of training. In this lesson you will:
#
# - rebuild the practical guide's mini-batch training loop and test loop on the course network, writing the
#   update step yourself, and check one step against `cnnlib.optim.SGD`;
# - see what the learning rate does, from too small to diverging, on a log-scale slider;
# - add momentum and Adam in a few lines each, checked against `cnnlib.optim`;
# - meet binary cross-entropy on a two-class task ("is this a shoe?"), derive its gradient and see why
#   it is computed from the logit;
# - see why the starting weights must have the right size (He initialisation);
# - fight memorising with weight decay, dropout and early stopping.
#
# You need lesson 06's `forward` / `backward` / `grads` and the softmax + cross-entropy gradient $p - y$;
# lesson 07 only explains why the steps below take milliseconds.

# %%
import inspect

import numpy as np

from cnnlib import Sequential
from cnnlib.datasets import load_fashion_mnist
from cnnlib.demos.training import activation_stats, early_stopping, lr_sweep, small_mlp
from cnnlib.exercises.bce_gradient import check_bce_grad
from cnnlib.exercises.training import check_momentum_update, check_sgd_update, reference_sgd_update
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.layers import Dense, Dropout, Flatten, ReLU
from cnnlib.layers.activations import stable_sigmoid
from cnnlib.losses import BinaryCrossEntropy, CrossEntropy
from cnnlib.networks import fashion_mnist_cnn
from cnnlib.optim import SGD, Adam
from cnnlib.viz import draw_images, show
from cnnlib.viz.training_by_hand import draw_activation_stats, draw_early_stopping
from cnnlib.widgets import learning_rate_view, learning_rate_widget

# %% [markdown]
# Fashion-MNIST, loaded as in lesson 07. To keep every step of this lesson quick we train on the first 2,000
# training images and test on the first 1,000 test images; the last 1,000 training images are kept apart as a
# validation set for the end of the lesson.

# %%
x_all, y_all = load_fashion_mnist("train")
x_test_all, y_test_all = load_fashion_mnist("test")
x_train, y_train = x_all[:2000], y_all[:2000]
x_val, y_val = x_all[-1000:], y_all[-1000:]
x_test, y_test = x_test_all[:1000], y_test_all[:1000]
print("train", x_train.shape, " validation", x_val.shape, " test", x_test.shape)

# %% [markdown]
# ## 1 · The training loop, by hand
#
# The practical guide trains its network with this loop, one mini-batch at a time:
#
# ```python
# for epoch in range(epochs):
#     for i in range(0, len(x_train), batch_size):
#         x_batch, y_batch = x_train[i:i+batch_size], y_train[i:i+batch_size]
#         ...forward pass through every layer...
#         loss = categorical_cross_entropy(y_batch, softmax_output)
#         ...backward pass, every layer in reverse order, each updating its weights with learning_rate...
# ```
#
# Four steps per batch: **forward**, **loss**, **backward**, **update**. The guide lets every layer's
# `backward` update its own weights. cnnlib keeps the update apart: `backward` only fills `layer.grads`, and the
# update is its own step, $w \leftarrow w - \eta\, \partial L/\partial w$ for every parameter $w$, with the
# learning rate $\eta$ (`lr`). That way a gradient can be checked before anything moves (lesson 06), and the
# update rule can be swapped (momentum, Adam) without touching the layers.
#
# Every layer keeps its parameters in the dict `layer.params` (`"W"`, `"b"`) and, after `backward`, their
# gradients under the same names in `layer.grads`. Layers without parameters (ReLU, pooling) have empty dicts.
#
# **Exercise (a).** Write the update: one plain SGD step that moves every parameter of every layer of
# `model.layers` against its gradient, by `lr` times it, **in place** (the layers must keep their arrays).

# %% tags=["presentation-hide"]
def sgd_update(model, lr):
    """One SGD step: every parameter w of every layer becomes w - lr * (its gradient), in place."""
    ...  # your code here


sgd_feedback = check_sgd_update(sgd_update)
sgd_feedback

# %% [markdown]
# The checker runs your function next to `cnnlib.optim.SGD(model, lr).step()` on a small model and compares
# every parameter. Stuck? `sgd_feedback.hint(2)` in a new cell says where to look, `sgd_feedback.hint(3)` gives
# the fix.
#
# The loop below uses your `sgd_update` as soon as it passes the check; until then it uses the reference
# version from `cnnlib.exercises.training` (its code is what `hint(3)` shows), so the rest of the lesson runs
# either way.

# %%
update = sgd_update if sgd_feedback else reference_sgd_update
print("the loop uses:", "your sgd_update" if update is sgd_update else "the reference update")

# %% [markdown]
# Now the loop itself. The guide's loop trains a network with a single convolution
# (`CNNLayer(depth=16)` → ReLU → `DenseLayer(16*26*26, num_classes)`); ours trains the course network, the
# from-scratch notes' sample network that lesson 02 followed shape by shape (two convolutions, two poolings,
# two dense layers, 225,034 parameters; lesson 09 trains it in full). It keeps the guide's plain SGD, with a
# learning rate of 0.05 (the guide uses `epochs`, `batch_size` and `learning_rate` without ever giving their
# values). Four changes from the guide:
#
# - the batches are **shuffled** every epoch (the guide never shuffles, so every epoch would see the same 32
#   batches in the same order);
# - the labels are class numbers 0–9, as `load_fashion_mnist` gives them, not the guide's one-hot rows;
# - the loss is `CrossEntropy` on the logits (softmax and log in one stable step, lesson 06);
# - the guide prints the loss of every batch; we print one number per epoch, the mean loss over its 2,000
#   images. 2,000 = 31 × 64 + 16 makes 32 batches, the last of only 16 images, so each batch's mean loss is
#   weighted by its size: `loss * len(idx)`.

# %% tags=["nbval-ignore-output", "cpu-rounding"]
cnn = fashion_mnist_cnn(seed=0)
cnn.layers[0].requires_input_grad = False  # nobody needs d loss / d image: skip that work
loss_fn = CrossEntropy()
lr, batch_size, epochs = 0.05, 64, 3
shuffler = np.random.default_rng(0)
for epoch in range(epochs):
    order = shuffler.permutation(len(x_train))  # a new order every epoch
    loss_sum = 0.0
    for i in range(0, len(x_train), batch_size):
        idx = order[i:i + batch_size]
        x_batch, y_batch = x_train[idx], y_train[idx]
        logits = cnn.forward(x_batch)  # 1. forward: (B, 10) logits
        loss = loss_fn.forward(logits, y_batch)  # 2. loss: the mean over the batch
        cnn.backward(loss_fn.backward())  # 3. backward: fills every layer.grads
        update(cnn, lr)  # 4. update: w -= lr * grad
        loss_sum += loss * len(idx)
    print(f"epoch {epoch + 1}: mean training loss {loss_sum / len(x_train):.3f}")

# %% [markdown]
# In PyTorch the same loop has one more line, `optimizer.zero_grad()`: PyTorch *adds* each backward pass's
# gradients to the ones already stored (useful to sum gradients over several batches), so they must be reset
# before every batch. cnnlib's `backward` *overwrites* `layer.grads`, so there is nothing to reset; forgetting
# `zero_grad` in PyTorch makes every step use the sum of all gradients so far.
#
# The test loop is the guide's too: forward only, take the class with the largest output, count. (The guide's
# `np.argmax(y_batch, axis=1)` turns its one-hot rows back into class numbers; ours are class numbers already.)
# The guide's test loop has one slip and one unneeded step. The slip: it counts `correct` and `total` but never
# divides them, so it never reports an accuracy. The unneeded step: it takes the `argmax` of the softmax
# output, but softmax keeps the order (the largest logit is the largest probability), so we skip the softmax.
#
# A test loop written by hand should also switch the network to evaluation mode first, `cnn.eval()`, and back
# with `cnn.train()` before training again: BatchNorm (lesson 05) and Dropout (section 6 below) behave
# differently in training and in testing. This network has neither, so here it makes no difference.
# `cnn.evaluate(x, y)` runs the same loop inside cnnlib, and switches the mode by itself.

# %% tags=["nbval-ignore-output", "cpu-rounding"]
correct, total = 0, 0
for i in range(0, len(x_test), 256):
    x_batch, y_batch = x_test[i:i + 256], y_test[i:i + 256]
    predictions = np.argmax(cnn.forward(x_batch), axis=1)
    correct += np.sum(predictions == y_batch)
    total += len(y_batch)
print(f"test accuracy after {epochs} epochs on 2,000 images: {correct / total:.1%} ({correct} of {total})")
print(f"cnn.evaluate agrees: {cnn.evaluate(x_test, y_test)['accuracy']:.1%}")

# %% [markdown]
# About 58% after three epochs of plain SGD on 2,000 images: far better than the 10% of guessing, far from
# finished. Lesson 09 trains the same network longer, on more images, with Adam (this lesson's section 3).
#
# ### Check: one step against `cnnlib.optim.SGD`
#
# Two copies of the network with the same starting weights, the same batch, the same gradients. One takes the
# hand-written step, the other `SGD(model, lr).step()`. Every parameter must come out identical:

# %%
def twin_networks_with_gradients():
    """Two copies of the course network, same starting weights, each after forward + backward on one batch."""
    twins = fashion_mnist_cnn(seed=0), fashion_mnist_cnn(seed=0)
    for model in twins:
        step_loss = CrossEntropy()
        step_loss.forward(model.forward(x_train[:64]), y_train[:64])
        model.backward(step_loss.backward())
    return twins


by_hand, by_sgd = twin_networks_with_gradients()
update(by_hand, 0.05)
SGD(by_sgd, lr=0.05).step()
for k, (layer_a, layer_b) in enumerate(zip(by_hand.layers, by_sgd.layers)):
    for name in layer_a.params:
        same = np.array_equal(layer_a.params[name], layer_b.params[name])
        print(f"layer {k} {type(layer_a).__name__:<6} {name}: {str(layer_a.params[name].shape):<16} "
              f"identical: {same}")

# %% [markdown]
# Bit for bit: `SGD.step()` computes exactly `w -= lr * grad`. With the default `momentum=0`, this is the line
# of its update that runs (the whole update, momentum included, comes after section 3's exercise):

# %%
print(next(line.strip() for line in inspect.getsource(SGD._update).splitlines() if "self.lr" in line))

# %% [markdown]
# ## 2 · The learning rate
#
# The gradient says which way is downhill; the learning rate says how far to go. Too small, and training
# crawls. Too large, and each step overshoots the valley it aims for: the loss jumps around, or explodes.
# The only way to know which is which is to try. Here we do it on a small, fast problem: a network
# `Dense(784, 32)` → ReLU → `Dense(32, 10)` on 1,000 Fashion-MNIST images, 60 SGD steps of 100 images, at 17
# learning rates from 0.001 to 10 (four per factor of 10). Every run starts from the same weights and sees the
# same batches; only the learning rate differs. After every step the loss is measured on all 1,000 images, not
# on the batch the step used (a batch's loss jumps from batch to batch). A run whose loss goes above 100 (it
# starts at 2.57, explained below) or becomes inf or NaN is stopped and marked as diverged.

# %% tags=["nbval-ignore-output", "cpu-rounding"]
sweep = lr_sweep(x_all[:1000], y_all[:1000])
for k, rate in enumerate(sweep.lrs):
    end = (f"diverged at step {sweep.diverged_at[k]} ({sweep.reason[k]})" if sweep.diverged_at[k] >= 0
           else f"loss {sweep.losses[k, 0]:.2f} → {sweep.losses[k, -1]:.2f}")
    print(f"lr = {rate:<7.3g} {end}")

# %% [markdown]
# Every run starts at 2.57, above $\ln 10 = 2.30$, the loss of a network that gives each of the 10 classes
# exactly 1/10. The cross-entropy of one image is $\log \sum_k e^{z_k} - z_y$ (lesson 06). When the 10 logits
# are equal, the log-sum-exp is their mean plus $\ln 10$; when they spread, it is more (the largest logits
# dominate the sum). An untrained network's logits do spread, and its logit for the true class is, on average,
# no higher than the others: the loss starts above $\ln 10$. Measured on the sweep's network before its first
# step:

# %%
untrained = small_mlp(784, 32, 10, seed=0)  # the sweep's network and starting weights
x_sweep, y_sweep = x_all[:1000].reshape(1000, -1).astype(np.float64), y_all[:1000]  # the sweep's 1,000 images
start_logits = untrained.forward(x_sweep)  # (1000, 10)
log_sum_exp = np.log(np.exp(start_logits).sum(axis=1))  # (1000,)
true_logit = start_logits[np.arange(1000), y_sweep]  # (1000,)
print(f"loss by hand {np.mean(log_sum_exp - true_logit):.2f}, CrossEntropy "
      f"{CrossEntropy()(start_logits, y_sweep):.2f}")
print(f"std of the 10 logits of an image, on average: {start_logits.std(axis=1).mean():.2f}")
print(f"log-sum-exp minus the mean logit: {np.mean(log_sum_exp - start_logits.mean(axis=1)):.2f} "
      f"(ln 10 = {np.log(10):.2f} if the 10 were equal)")
print(f"true class's logit minus the mean logit: {np.mean(true_logit - start_logits.mean(axis=1)):.2f}")

# %% [markdown]
# The static picture of the widget's default setting, lr = 0.1:

# %% tags=["presentation-hide", "nbval-ignore-output", "cpu-rounding"]
show(learning_rate_view(sweep, lr=0.1))

# %% [markdown]
# Drag the slider (its scale is logarithmic: each notch multiplies the learning rate by $10^{0.25} \approx 1.8$).
# All curves were computed above; the widget only draws.

# %% tags=["nbval-ignore-output"]
learning_rate_widget(sweep, lr=0.1)

# %% tags=["nbval-ignore-output", "cpu-rounding"]
best = sweep.best()
print(f"best final loss {sweep.losses[best, -1]:.2f} at lr = {sweep.lrs[best]:.3g}; "
      f"lr = 0.001 ends at {sweep.losses[0, -1]:.2f};\n"
      f"the smallest learning rate that diverged: {sweep.lrs[sweep.diverged_at >= 0].min():.3g}")

# %% [markdown]
# Read the picture from left to right: at 0.001 the loss has barely moved after 60 steps; it falls faster and
# faster up to the best learning rate; above it the curve gets noisy and ends higher; and from about 3 on, the
# first steps throw the loss above 100. Just below that, at 1.78, the run does not blow up but ends at
# 2.30 = $\ln 10$: every image gets about 1/10 for each class, and the same top class. What happened? Let the
# largest learning rate run on, with no limit:

# %% tags=["nbval-ignore-output", "cpu-rounding"]
runaway = lr_sweep(x_all[:1000], y_all[:1000], [10.0], limit=np.inf)
print("loss at steps 0 to 5:", ", ".join(f"{v:.1f}" for v in runaway.losses[0, :6]))
print(f"after 60 steps: {runaway.losses[0, -1]:.2f}  (ln 10 = {np.log(10):.2f})")

# %% [markdown]
# The loss shoots up to thousands, then falls back to about $\ln 10$, the loss of a network that gives every
# class about 1/10 whatever the image, and stays there. A step that large typically throws the hidden units'
# weights so far that their ReLUs output 0 for every image ("dead" ReLUs): the gradient through a dead ReLU is 0,
# so it never recovers, and the output no longer depends on the image. Repeat the run (same weights, same
# batches: the first 100 images, then the next 100, …) and look at the 32 hidden units afterwards (change
# `lr=10.0` to see it start much earlier: 13 of the 32 units die at 0.316, a rate that trains well, 26 at 0.562,
# 31 at 1.78, where one unit is left and every image gets the same class):

# %% tags=["nbval-ignore-output", "cpu-rounding"]
dead_net = small_mlp(784, 32, 10, seed=0)  # the sweep's network: Dense(784, 32) → ReLU → Dense(32, 10)
dead_opt, dead_loss = SGD(dead_net, lr=10.0), CrossEntropy()
with np.errstate(over="ignore", invalid="ignore"):
    for s in range(60):
        idx = np.arange(s * 100, s * 100 + 100) % 1000
        dead_loss.forward(dead_net.forward(x_sweep[idx]), y_sweep[idx])
        dead_net.backward(dead_loss.backward())
        dead_opt.step()
hidden = dead_net.layers[1].forward(dead_net.layers[0].forward(x_sweep))  # (1000, 32) ReLU outputs
print(f"hidden units that output 0 for all 1,000 images: {np.all(hidden == 0, axis=0).sum()} of 32")

# %% [markdown]
# A diverging run does not always
# end in inf or NaN; it can end in a network that silently learns nothing. When `fit` meets an inf or NaN it
# stops with an error that says "training diverged" and suggests a lower learning rate.
#
# In practice: try learning rates a factor of 3 or 10 apart, keep the best, and use a bit less than the largest
# one that still trains smoothly.
#
# ## 3 · Momentum and Adam
#
# Plain SGD takes each step from the current batch's gradient alone, so it zigzags: each batch pulls in a
# slightly different direction. **Momentum** keeps a running *velocity* $b$, the sum of the past gradients,
# each decayed by $\mu$ (usually 0.9) per step, and moves along it:
#
# $$b \leftarrow \mu\, b + g, \qquad w \leftarrow w - \eta\, b$$
#
# with $b = 0$ before the first step. Directions the gradients agree on build up (about $1/(1 - \mu) = 10$ times
# a single step); directions where they flip sign cancel out. These are the formulas of `cnnlib.optim.SGD`
# (and `torch.optim.SGD`).
#
# **Exercise (b).** Write one momentum step. `momentum_update(w, grad, velocity, lr, momentum)` returns the new
# `(w, velocity)`; the first call gets a velocity of zeros.

# %% tags=["presentation-hide"]
def momentum_update(w, grad, velocity, lr, momentum):
    """One step of SGD with momentum: return (new w, new velocity)."""
    ...  # your code here


momentum_feedback = check_momentum_update(momentum_update)
momentum_feedback

# %% [markdown]
# The checker runs three steps of your function and of `SGD([layer], lr=0.1, momentum=0.9)` from the same
# weights and gradients. Stuck? `momentum_feedback.hint(2)`, then `momentum_feedback.hint(3)`.
#
# Once yours passes, compare it with `SGD`'s own update (`momentum_buffer` is the velocity; on the first step
# it is the gradient itself, as a velocity of zeros gives):

# %%
print(inspect.getsource(SGD._update))

# %% [markdown]
# ### Adam
#
# **Adam** keeps two running averages per parameter: $m$ of the gradients (the direction, like momentum) and
# $v$ of their squares (their typical size), and divides one by the square root of the other, so every
# parameter takes steps of about the same size $\eta$, whether its gradients are large or tiny:
#
# $$m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2, \qquad
# w \leftarrow w - \eta\, \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)} + \epsilon}$$
#
# with $t$ the step number (from 1), $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$. The divisions by
# $1 - \beta^t$ are the **bias correction**: $m$ and $v$ start at 0, so early on they are too small (after one
# step $m = 0.1\,g$); dividing by $1 - 0.9^1 = 0.1$ makes $m$ exactly $g$ at the first step. In code, following
# `cnnlib/optim.py`:

# %%
def adam_update(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (t counts from 1): return (new w, new m, new v)."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)  # bias correction
    v_hat = v / (1 - beta2 ** t)
    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, m, v


adam_rng = np.random.default_rng(2)
w_start = adam_rng.standard_normal((4, 3))
adam_grads = [adam_rng.standard_normal((4, 3)) for _ in range(5)]
adam_layer = Dense(4, 3, dtype=np.float64, seed=0)
adam_layer.params["W"][...] = w_start
adam = Adam([adam_layer], lr=1e-3)
w_hand, m_hand, v_hand = w_start.copy(), np.zeros_like(w_start), np.zeros_like(w_start)
for t, g in enumerate(adam_grads, start=1):
    w_hand, m_hand, v_hand = adam_update(w_hand, g, m_hand, v_hand, t)
    adam_layer.grads = {"W": g, "b": np.zeros(3)}
    adam.step()
    print(f"step {t}: largest difference from cnnlib's Adam {np.abs(w_hand - adam_layer.params['W']).max():.1e}")

# %% [markdown]
# Identical here (0.0). cnnlib computes the same formula in place and in a slightly different order, so in
# general the two may differ in the last digit (about $10^{-16}$, the rounding of float64). The first step
# moves every weight by almost exactly $\eta$, whatever the size of its gradient: with bias correction,
# $m/\sqrt{v} = g/|g| = \pm 1$ at $t = 1$, and the step is $-\eta$ times that, so a weight with a negative
# gradient moves up by $\eta$ and one with a positive gradient moves down:

# %%
first_step = adam_update(w_start, adam_grads[0], np.zeros_like(w_start), np.zeros_like(w_start), 1)[0] - w_start
print("first Adam step / lr, for 4 weights:", np.round(first_step.ravel()[:4] / 1e-3, 6))
print("their gradients:                     ", np.round(adam_grads[0].ravel()[:4], 3))

# %% [markdown]
# Lesson 09 trains with Adam at $\eta = 10^{-3}$: the size of each step is set by $\eta$ rather than by the
# gradients, which makes one learning rate work for many networks.
#
# ## 4 · Two classes: binary cross-entropy
#
# "Is this a shoe?" Sandals (class 5), sneakers (7) and ankle boots (9) are shoes; the seven other classes are
# not. (This is the binary cross-entropy the guide's table of contents promises; its section 6 never gives it.)
# With two classes, one output is enough: a **logit** $z$, turned into the probability of "shoe" by the
# sigmoid $p = \sigma(z) = 1/(1 + e^{-z})$. The loss for a target $y \in \{0, 1\}$ is the **binary
# cross-entropy**
#
# $$L = -\big(y \log p + (1 - y) \log(1 - p)\big)$$
#
# which is $-\log p$ for a shoe and $-\log(1 - p)$ otherwise: small when the network gives the true answer a
# high probability.
#
# **Its gradient.** The sigmoid's derivative is $\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = p(1-p)$. By the chain
# rule,
#
# $$\frac{\partial L}{\partial z} = \frac{\partial L}{\partial p}\,\frac{\partial p}{\partial z}
# = \left(-\frac{y}{p} + \frac{1-y}{1-p}\right) p\,(1-p)$$
#
# **Exercise (c).** Multiply out that product (the divisions by $p$ and $1 - p$ cancel: what is left is short),
# then write `bce_grad(z, y)`: $\partial L / \partial z$ for each sample (arrays of logits and 0/1 targets).
# The checker also tries $z = 40$ and $z = -800$.

# %% tags=["presentation-hide"]
def bce_grad(z, y):
    """dL/dz of the binary cross-entropy of each sample, from its logit z and target y."""
    ...  # your code here


bce_feedback = check_bce_grad(bce_grad)
bce_feedback

# %% [markdown]
# Stuck? `bce_feedback.hint(2)`, then `bce_feedback.hint(3)`.

# %% [markdown]
# ### Exercise (c), worked out
#
# The product simplifies to $-y\,(1-p) + (1-y)\,p = p - y$, the same $p - y$ as softmax + cross-entropy
# (lesson 06), and for the same reason.
#
# The formula $p - y$, checked numerically with central differences on a few logits (`bce.forward` returns the
# mean over the samples; multiplying by their number gives the sum, whose derivative for each $z$ is that
# sample's own $\partial L/\partial z$):

# %%
z_check = np.array([2.0, -1.0, 0.5, 0.0])
y_check = np.array([1.0, 0.0, 0.0, 1.0])
bce = BinaryCrossEntropy(from_logits=True)
numeric_dz = numerical_gradient(lambda: bce.forward(z_check, y_check) * len(z_check), z_check)  # sum over samples
print("p - y     :", np.round(stable_sigmoid(z_check) - y_check, 6))
print("numerical :", np.round(numeric_dz, 6))
print(f"relative error {relative_error(stable_sigmoid(z_check) - y_check, numeric_dz):.1e}")

# %% [markdown]
# ### Why from the logit
#
# Computing $p = \sigma(z)$ first and then $\log p$ breaks for large $|z|$: $\sigma(40) = 1 - 4 \cdot 10^{-18}$
# rounds to exactly 1.0 in float64, and $\sigma(-800)$ to exactly 0, so $\log(1 - p)$ or $\log p$ becomes
# $\log 0 = -\infty$, and $0 \cdot \log 0$ becomes NaN. Working with $z$ directly avoids it. With
# $\log p = z - \log(1 + e^{z})$ and $\log(1 - p) = -\log(1 + e^{z})$, the loss is
# $L = \log(1 + e^{z}) - z\,y$. Since $\log(1 + e^{z})$ (the *softplus*) is $\max(z, 0) + \log(1 + e^{-|z|})$,
#
# $$L = \max(z, 0) - z\,y + \log\left(1 + e^{-|z|}\right)$$
#
# where `exp` only ever sees $-|z| \le 0$, so nothing overflows. Both forms in numpy, on a few logits, next to
# `BinaryCrossEntropy(from_logits=True)`, which computes the stable form (as does PyTorch's
# `binary_cross_entropy_with_logits`):

# %%
z_extreme = np.array([40.0, 40.0, -800.0, -800.0, 2.0])
y_extreme = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # let the naive form fail quietly
    p_naive = 1 / (1 + np.exp(-z_extreme))  # the sigmoid first: exactly 1.0 at z = 40, exactly 0.0 at z = -800
    naive_losses = -(y_extreme * np.log(p_naive) + (1 - y_extreme) * np.log(1 - p_naive))
stable_losses = np.maximum(z_extreme, 0) - z_extreme * y_extreme + np.log1p(np.exp(-np.abs(z_extreme)))
lib_losses = np.array([BinaryCrossEntropy(from_logits=True)(np.array([zi]), np.array([yi]))
                       for zi, yi in zip(z_extreme, y_extreme)])  # cnnlib, one sample at a time
print(f"{'z':>6} {'y':>3} {'sigmoid(z)':>12} {'naive':>8} {'stable':>10} {'cnnlib':>10}")
for row in zip(z_extreme, y_extreme, p_naive, naive_losses, stable_losses, lib_losses):
    print("{:>6.0f} {:>3.0f} {:>12.4g} {:>8.4g} {:>10.4g} {:>10.4g}".format(*row))
print(f"stable against cnnlib: relative error {relative_error(stable_losses, lib_losses):.1e}")

# %% [markdown]
# The naive form gives inf where the true loss is 40 or 800 (a confident, wrong answer, which training most
# needs to hear about), and NaN where it is practically 0; one NaN in a batch turns the mean loss, and then
# every weight, into NaN. The stable form is right everywhere. So a network for two classes ends in a single
# logit, *without* a sigmoid layer, and the loss applies the sigmoid inside.
#
# ### Train it: logistic regression on pixels
#
# The simplest model: one `Dense(784, 1)` on the raw pixels (logistic regression), trained with the same loop
# and the same update as in part 1, with its own settings: a learning rate of 0.5 (one layer on pixels takes
# larger steps than the CNN's 0.05) and 5 epochs. The targets are 1.0 for shoes and 0.0 otherwise, one per image, shape
# `(N, 1)` like the logits.

# %% tags=["nbval-ignore-output", "cpu-rounding"]
shoe_classes = [5, 7, 9]  # sandal, sneaker, ankle boot
is_shoe_train = np.isin(y_train, shoe_classes).astype(np.float32)[:, None]  # (N, 1)
is_shoe_test = np.isin(y_test, shoe_classes).astype(np.float32)[:, None]
print(f"shoes: {is_shoe_train.mean():.1%} of the training images, {is_shoe_test.mean():.1%} of the test images")

logistic = Sequential([Flatten(), Dense(784, 1, seed=0)])
bce_loss = BinaryCrossEntropy(from_logits=True)
bce_order = np.random.default_rng(0)
for epoch in range(5):
    order = bce_order.permutation(len(x_train))
    loss_sum = 0.0
    for i in range(0, len(x_train), 64):
        idx = order[i:i + 64]
        loss = bce_loss.forward(logistic.forward(x_train[idx]), is_shoe_train[idx])
        logistic.backward(bce_loss.backward())
        update(logistic, 0.5)
        loss_sum += loss * len(idx)
    print(f"epoch {epoch + 1}: mean BCE {loss_sum / len(x_train):.4f}")

shoe_guess = logistic.forward(x_test) > 0  # z > 0 means p > 0.5
print(f"test accuracy {np.mean(shoe_guess == (is_shoe_test > 0.5)):.1%}; "
      f"always answering 'not a shoe' scores {1 - is_shoe_test.mean():.1%}")

# %% [markdown]
# A single layer separates shoes from the rest almost perfectly. The average images suggest why: the mean of the
# shoes among the 2,000 training images and the mean of all the others, pixel by pixel:

# %%
shoe = is_shoe_train[:, 0] > 0.5  # (N,): True for a shoe
show(draw_images([x_train[shoe, 0].mean(axis=0), x_train[~shoe, 0].mean(axis=0)],
                 ["mean of the shoes", "mean of the others"]))

# %% [markdown]
# Shoes leave the middle of the top of the picture nearly empty, where most other clothes are bright (mean
# pixel value in rows 0–9, columns 9–18, on a scale of 0 to 1):

# %%
top_middle = x_train[:, 0, :10, 9:19].mean(axis=(1, 2))  # one number per image
print(f"shoes {top_middle[shoe].mean():.2f}, everything else {top_middle[~shoe].mean():.2f}")

# %% [markdown]
# A pattern like this, one weight per pixel can pick up. Telling a shirt from a pullover is much harder; even
# lesson 09's CNN often confuses them (a shirt taken for a pullover is its most frequent mistake).
#
# ## 5 · Initialisation: why He
#
# Before the first step, the weights are random. How large? Push a batch through 15 layers of
# `Dense(256, 256)` + ReLU, with weights drawn from $\mathcal{N}(0, c/\text{fan\_in})$ for four values of $c$,
# and follow the standard deviation of the activations layer by layer:

# %%
init_stats = [
    activation_stats(0.5, label="He std × 0.5"),
    activation_stats(1.0, label="Xavier/LeCun, 1/fan_in"),
    activation_stats(2.0, label="He, 2/fan_in"),
    activation_stats(8.0, label="He std × 2"),
]
show(draw_activation_stats(init_stats))

# %%
for s in init_stats:
    print(f"{s.label:<24} std at layer 15: {s.std[-1]:9.2e}   factor per layer {s.ratio:.2f}")

# %% [markdown]
# With He's scale the activations keep their size through all 15 layers (after a drop from 1.00 to 0.82 at
# the first layer, the std stays level: He's rule keeps the second moment $E[x^2]$ constant, and ReLU outputs
# have a mean, so their std is smaller than the input's); halve the standard deviation of the
# weights and the activations halve at every layer ($0.5^{15} \approx 3 \cdot 10^{-5}$), double it and they
# double ($2^{15} \approx 3 \cdot 10^{4}$). The backward pass multiplies by the same weights, so the gradients
# vanish or explode the same way, and the network cannot train.
#
# **Why 2/fan_in.** A unit adds up $n$ = fan_in inputs $x_j$ times weights $w_j$, independent, zero-mean weights:
# $\text{Var}(z) = n\, \text{Var}(w)\, E[x^2]$. If $z$ is symmetric around 0, ReLU keeps its positive half, so
# $E[\text{ReLU}(z)^2] = \tfrac12 \text{Var}(z)$: **ReLU halves the second moment**. For the size to stay the same
# from layer to layer, $n\,\text{Var}(w) \cdot \tfrac12 = 1$, so $\text{Var}(w) = 2/n$ (He et al., 2015; cnnlib's
# default for `Dense` and `Conv2D`, with fan_in $= C_\text{in} K_H K_W$ for a convolution). **LeCun**
# initialisation, $\text{Var}(w) = 1/n$, and **Xavier** (Glorot & Bengio 2010), $2/(n_\text{in} + n_\text{out})$
# (the same here, where every layer is 256 wide), were derived for tanh, which is close to the identity near 0
# and halves nothing; with ReLU they lose a factor $\sqrt 2$ per layer, as the second curve shows.
#
# ## 6 · Against memorising: weight decay, dropout, early stopping
#
# A network with many weights trained on few images ends up memorising them: the training loss keeps falling
# while the loss on new images stops improving, then rises. Three classic remedies.
#
# ### Weight decay
#
# Add $\frac{\lambda}{2}\lVert w \rVert^2$ to the loss. Its gradient is $\lambda w$, so the update becomes
# $w \leftarrow w - \eta\,(g + \lambda w)$: every step also shrinks each weight a little towards 0, and only
# weights the data keeps asking for stay large. `SGD(..., weight_decay=λ)` adds $\lambda w$ to the gradient
# (as PyTorch does). By hand, one step, compared with cnnlib:

# %%
decay_hand, decay_lib = twin_networks_with_gradients()  # as for the SGD check in section 1
wd = 5e-4
for layer in decay_hand.layers:
    for name in layer.params:
        layer.params[name] -= 0.05 * (layer.grads[name] + wd * layer.params[name])  # g + λw
SGD(decay_lib, lr=0.05, weight_decay=wd).step()
print("every parameter identical to SGD(weight_decay=5e-4):",
      all(np.array_equal(a.params[n], b.params[n]) for a, b in zip(decay_hand.layers, decay_lib.layers)
          for n in a.params))

# %% [markdown]
# ### Dropout
#
# During training, `Dropout(p)` sets each activation to 0 with probability $p$, a new random choice every batch,
# so no unit can rely on one particular other unit being there. The kept ones are multiplied by $1/(1-p)$
# (*inverted* dropout): the expected value of each output stays what it was, so at test time, when nothing is
# dropped, the layer can simply pass its input through. `model.eval()` switches it off (`evaluate` and `predict`
# do so by themselves; a test loop written by hand, like part 1's, must call `model.eval()` itself, and
# `model.train()` before training again):

# %%
dropout = Dropout(0.5, seed=0)
ones = np.ones((1000, 100))
dropped = dropout.forward(ones)
print(f"training: {np.mean(dropped == 0):.1%} of the entries zeroed, the others are {dropped.max():.1f}, "
      f"mean {dropped.mean():.3f}")
dropout.eval()
print(f"eval:     output equals the input: {np.array_equal(dropout.forward(ones), ones)}")

# %% [markdown]
# ### Early stopping
#
# Watch the loss on the validation images after every epoch and keep the weights of the epoch where it was
# lowest. To see it, train a model that memorises quickly: `Dense(784, 256)` → ReLU → `Dense(256, 10)` with
# Adam on only 500 images, for 25 epochs. `fit` runs the loop of part 1 (with the optimizer's update) and, with
# `validation_data`, measures the validation loss after every epoch; a callback keeps a copy of the weights
# after every epoch.

# %%
mlp = Sequential([Flatten(), Dense(784, 256, seed=0), ReLU(), Dense(256, 10, seed=1)])
snapshots = []  # the weights after each epoch
mlp_history = mlp.fit(x_train[:500], y_train[:500], loss=CrossEntropy(), optimizer=Adam(mlp, lr=2e-3), epochs=25,
                      batch_size=50, validation_data=(x_val, y_val), progress=False,
                      callbacks=[lambda epoch, logs: snapshots.append(
                          [{k: v.copy() for k, v in layer.params.items()} for layer in mlp.layers])])
stop = early_stopping(mlp_history.history["val_loss"], patience=3)
show(draw_early_stopping(mlp_history.history, stop))

# %% tags=["nbval-ignore-output", "cpu-rounding"]
h = mlp_history.history
print(f"training loss: {h['loss'][0]:.3f} after epoch 1 → {h['loss'][-1]:.3f} after epoch 25")
print(f"validation loss: {h['val_loss'][0]:.3f} after epoch 1, lowest {stop.best_loss:.3f} at epoch {stop.best}, "
      f"{h['val_loss'][-1]:.3f} after epoch 25")
print(f"with patience 3 (stop after 3 epochs without a new lowest), training stops after epoch {stop.stopped}")

# %% [markdown]
# The training loss falls all the way, the validation loss bottoms out and then creeps up: from there on, the
# network learns the 500 images rather than clothes. (After epoch 1 the training loss, 1.477, is above the
# validation loss, 1.025: `fit`'s `loss` is the mean of the batch losses, taken while the weights were still
# changing during the epoch, starting from untrained ones; `val_loss` is measured after the epoch, with its final
# weights.) Early stopping keeps the weights of the best epoch. Put them back and compare on the test images:

# %% tags=["nbval-ignore-output", "cpu-rounding"]
last_test = mlp.evaluate(x_test, y_test, loss=CrossEntropy())
best_mlp = Sequential([Flatten(), Dense(784, 256), ReLU(), Dense(256, 10)])
for layer, saved in zip(best_mlp.layers, snapshots[stop.best - 1]):
    for name, value in saved.items():
        layer.params[name][...] = value
best_test = best_mlp.evaluate(x_test, y_test, loss=CrossEntropy())
print(f"after epoch 25:       test loss {last_test['loss']:.3f}, accuracy {last_test['accuracy']:.1%}")
print(f"best epoch ({stop.best:>2}):      test loss {best_test['loss']:.3f}, accuracy {best_test['accuracy']:.1%}")
for name, net in (("after epoch 25", mlp), (f"best epoch ({stop.best})", best_mlp)):
    logits = net.forward(x_test)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)  # softmax
    wrong = np.argmax(probs, axis=1) != y_test
    print(f"{name:<16} on its {wrong.sum()} mistakes: mean probability of its (wrong) top guess "
          f"{probs[wrong].max(axis=1).mean():.2f}")

# %% [markdown]
# The weights of the best validation epoch also have the lower test loss. The accuracy need not follow, and here
# it does not: the last epoch's top guesses are right slightly more often (80.0% against 78.2%, 18 images of
# 1,000), but the memorising network is more sure of its wrong answers (mean probability 0.73 against
# 0.61), and a confident mistake costs a lot of cross-entropy: loss and accuracy measure different things.
# The validation set chose the epoch, so its own score is slightly optimistic; the test set, which this model
# meets only here, after the epoch was chosen, gives the honest number.
#
# ## Summary
#
# - Training is a loop: forward, loss, backward, update $w \leftarrow w - \eta\, g$. cnnlib's `backward` fills
#   `layer.grads`; the optimizer updates (PyTorch also needs `zero_grad()`, because it adds gradients up).
# - The learning rate is the setting that matters most: too small crawls, too large diverges (to inf or NaN, or
#   to a dead network). Try values a factor of 3–10 apart.
# - Momentum accumulates past gradients: $b \leftarrow \mu b + g$, $w \leftarrow w - \eta b$. Adam divides a
#   running mean of the gradients by the root of a running mean of their squares, with bias correction.
# - Two classes: one logit, binary cross-entropy, $\partial L/\partial z = p - y$; compute it from the logit
#   (softplus form), never as $\log(\sigma(z))$.
# - He initialisation, $\text{Var}(w) = 2/\text{fan\_in}$, keeps activations the same size through ReLU layers;
#   LeCun, $1/\text{fan\_in}$, and Xavier, $2/(\text{fan\_in} + \text{fan\_out})$, were derived for tanh.
# - Against memorising: weight decay adds $\lambda w$ to the gradient; dropout zeroes activations in training and
#   scales the rest by $1/(1-p)$; early stopping keeps the weights of the best validation epoch.
#
# Next: [09 · Training a CNN on real images](09_training.ipynb), where `fit()` runs this loop for us, with Adam,
# on the whole network.
