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
# # 05 · Activations and batch normalization
#
# Between the convolutions of a CNN sit two more kinds of layer. An **activation** bends the output of each
# convolution, so that the network can learn more than straight lines. **Batch normalization** rescales the
# activations of each channel, so that training stays stable. In this lesson you will:
#
# - write ReLU, sigmoid, tanh and leaky ReLU and their derivatives, and check them against `cnnlib`;
# - see where the sigmoid saturates, and why that slows learning in deep networks;
# - compute batch normalization by hand, per channel over $(N, H, W)$, and check it against `BatchNorm2D`;
# - see the difference between training mode and evaluation mode, and play with a batch's histograms.

# %%
import numpy as np

from cnnlib.demos import activation_curves, gradient_through_depth, gradients_through_depth
from cnnlib.demos.formatting import wrap_text
from cnnlib.exercises.activations import check_bn_axes, check_sigmoid_grad
from cnnlib.gradcheck import numerical_gradient
from cnnlib.layers import BatchNorm2D, Dense, LeakyReLU, ReLU, Sigmoid, Tanh
from cnnlib.viz import draw_activations, draw_gradient_through_depth, show
from cnnlib.widgets import batchnorm_view, batchnorm_widget

# %% [markdown]
# ## Why an activation at all?
#
# A convolution and a dense layer are **linear**: they multiply and add. Two linear layers in a row are
# still linear: $W_2 (W_1 x + b_1) + b_2 = (W_2 W_1) x + (W_2 b_1 + b_2)$, one layer in disguise. So without
# something non-linear between them, a deep network is no more powerful than a single layer. Check it with
# two `Dense` layers. The maths above uses column vectors; cnnlib stores a batch as rows, shape
# $(N, \text{features})$, so a `Dense` layer computes $x W + b$ and the two layers combine to $x (W_1 W_2)$,
# the same fact written transposed:

# %%
rng = np.random.default_rng(0)
d1, d2 = Dense(4, 5, dtype=np.float64, seed=1), Dense(5, 3, dtype=np.float64, seed=2)
vectors = rng.standard_normal((6, 4))  # (N, features)
W, b = d1.params["W"] @ d2.params["W"], d1.params["b"] @ d2.params["W"] + d2.params["b"]
print("two Dense layers == one with W = W1 W2:", np.allclose(d2(d1(vectors)), vectors @ W + b))

# %% [markdown]
# ## Four activations and their slopes
#
# The practical guide uses **ReLU** in its CNN. Its table of contents promises a section on the **sigmoid**
# instead, which its text never reaches (a slip of the guide): it is here. **Tanh** and **leaky ReLU** are their close
# relatives. For training, what matters as much as the function is its derivative: the
# backward pass multiplies the incoming gradient by it, element by element (`dx = dout * f'(x)`).
#
# | name | $f(x)$ | $f'(x)$ |
# |---|---|---|
# | ReLU | $\max(0, x)$ | $1$ if $x > 0$, else $0$ |
# | sigmoid | $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ | $\sigma(x)\,(1 - \sigma(x))$ |
# | tanh | $\tanh x$ | $1 - \tanh^2 x$ |
# | leaky ReLU | $x$ if $x > 0$, else $a x$ | $1$ if $x > 0$, else $a$ |
#
# ## Derive: the formulas in numpy

# %%
def relu(x):
    return np.maximum(0, x)


def relu_grad(x):
    return (x > 0).astype(float)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_grad(x):
    return 1 - np.tanh(x) ** 2


def leaky_relu(x, a=0.01):
    return np.where(x > 0, x, a * x)


def leaky_relu_grad(x, a=0.01):
    return np.where(x > 0, 1.0, a)

# %% [markdown]
# ## Check: against `cnnlib`, and against the slope itself
#
# A `cnnlib` layer gives $f(x)$ from `forward`, and $f'(x)$ from `backward` with `dout` all ones: the chain
# rule with an upstream gradient of 1 leaves the derivative. A third, independent check is the slope
# measured with a tiny step, $\frac{f(x + \epsilon) - f(x - \epsilon)}{2\epsilon}$ (more on this in lesson 06).
# We avoid $x = 0$, where ReLU has a kink.

# %%
xs = np.array([[-3.0, -1.0, -0.5, 0.3, 1.0, 2.5]])
cases = [("ReLU", ReLU(), relu, relu_grad), ("Sigmoid", Sigmoid(), sigmoid, sigmoid_grad),
         ("Tanh", Tanh(), np.tanh, tanh_grad), ("LeakyReLU", LeakyReLU(), leaky_relu, leaky_relu_grad)]
for name, layer, f, f_grad in cases:
    out = layer(xs)
    slope = layer.backward(np.ones_like(out))
    measured = numerical_gradient(lambda: f(xs), xs, dout=np.ones_like(xs))
    print(f"{name:<10} f matches: {np.allclose(out, f(xs))}   f' matches: {np.allclose(slope, f_grad(xs))}"
          f"   slope matches: {np.allclose(measured, f_grad(xs))}")

# %% [markdown]
# ## Switch: the plots, from `cnnlib`'s layers
#
# Blue (solid) is the function, red-orange (dashed) its derivative (both computed by the layers, as above).

# %%
show(draw_activations(activation_curves()))

# %% [markdown]
# - **ReLU**: slope exactly 1 for every positive input, so gradients pass through unchanged; 0 for negative
#   inputs (a unit that is always negative never learns: a "dead ReLU").
# - **Leaky ReLU** keeps a small slope $a$ for negative inputs (0.01 by default; 0.1 in the plot, to be
#   visible), so no unit is ever completely dead.
# - **Sigmoid** squashes everything into $(0, 1)$. Its slope is at most $\frac14$, at $x = 0$, and it falls
#   fast beyond $|x| \approx 3$ (shaded where $\sigma' < 0.05$, from $|x| = 2.89$): $\sigma'(3) \approx 0.045$,
#   already only 18% of the maximum, and $\sigma'(5) \approx 0.0066$. A unit out there is **saturated**: its
#   gradient is small, not zero.
# - **tanh** is a sigmoid stretched to $(-1, 1)$ and squeezed sideways by 2, $\tanh x = 2\,\sigma(2x) - 1$:
#   slope 1 at 0, four times the sigmoid's, but it saturates
#   just the same, and sooner: shaded from $|x| = 2.18$, where $1 - \tanh^2 x$ falls below 0.05;
#   $\tanh'(3) \approx 0.0099$.
#
# **Exercise.** What is $\sigma'(1)$, to three decimals? (First $\sigma(1) = 1/(1 + e^{-1})$.)

# %% tags=["presentation-hide"]
my_slope = None
slope_result = check_sigmoid_grad(my_slope, x=1.0)
slope_result

# %% [markdown]
# Two frequent slips, at other points, and what the checker says:

# %%
print(check_sigmoid_grad(0.5, x=0.0))  # sigma(0) itself
print(check_sigmoid_grad(-2.0, x=2.0))  # x(1 - x) with x instead of sigma(x)

# %% [markdown]
# ## Why saturation slows learning
#
# In the backward pass each sigmoid multiplies the gradient by $\sigma'(x) \le \frac14$. Stack ten of them
# and the product of those ten factors is at most $(\frac14)^{10} \approx 10^{-6}$. That bounds only the
# $\sigma'$ factors: each layer's weights multiply the gradient too, and can make it grow or shrink, so the
# real ratio depends on them as well. Here is a stack of ten `Dense` + activation layers, with the gradient
# pushed back from the top:

# %%
norms = gradients_through_depth(("sigmoid", "relu"), depth=10)
show(draw_gradient_through_depth(norms))

# %%
for name, g in norms.items():
    print(f"{name:<8} gradient size at layer 10: {g[-1]:.1e}   at layer 1: {g[0]:.1e}   "
          f"layer 10 / layer 1: {g[-1] / g[0]:.2g}")

# %% [markdown]
# With sigmoids, the gradient reaching the first layer (the figure plots $\partial L/\partial x$ at each
# layer's input) is about 60,000 times ($6.1 \times 10^4$) smaller than at the last one: less than the
# $4^9 \approx 2.6 \times 10^5$ that the $\sigma'$ bound alone gives over the nine sigmoids between them
# (the gradient at layer 10's input has passed layer 10's own sigmoid already), because the
# weights partly make up for it. The first layer's weight gradient is smaller still (about
# $1.9 \times 10^5$ times, measured the same way on $\partial L/\partial W$: the table below), so with plain SGD and one
# learning rate for all layers the first layer's weights barely move. (Adam, in lesson 09, scales each weight's step by its
# own gradient history, which hides part of this.) ReLU's slope is 1 where it is
# active, and the gradient keeps its size within a factor of about 2 (2.8 at layer 1, 1.3 at layer 10). This
# is why CNNs use ReLU (or a relative) between their layers. The sigmoid is kept for an output that is one
# yes/no probability; for several classes the last layer is a softmax (lesson 06).
#
# The weights matter as much as the activation here. These `Dense` layers start with cnnlib's default,
# **He initialisation** (weights of variance $2/\text{fan\_in}$, lesson 08): ReLU zeroes about half of the
# values, and the factor 2 makes up for that half, so the gradient keeps its size. With variance
# $1/\text{fan\_in}$ instead, the same ReLU stack shrinks the gradient about tenfold over these ten layers,
# and the sigmoid stack by more than the $\sigma'$ bound alone. The weights "partly make up for it" above only
# under He's initialisation. Measured: `gradient_through_depth`'s `gain` sets the weights' variance to
# $\text{gain}/\text{fan\_in}$ (the same draws, scaled), and `wrt="W"` measures the weights' gradients:

# %%
print(f"{'layer 10 / layer 1':<26}{'dL/dx':>9}{'dL/dW':>10}")
for name in ("sigmoid", "relu"):
    for gain, weights in ((2.0, "He (2/fan_in)"), (1.0, "1/fan_in")):
        dx, dW = (gradient_through_depth(name, gain=gain, wrt=wrt) for wrt in ("x", "W"))
        print(f"{name + ', ' + weights:<26}{dx[-1] / dx[0]:>9.2g}{dW[-1] / dW[0]:>10.2g}")

# %% [markdown]
# The ReLU stack's weight gradients keep their ratio (1.9) whatever the scale of the weights: with the biases
# at 0, as they start, scaling every weight by the same factor multiplies every layer's $\partial L/\partial W$
# by the same power of it.
#
# ## Batch normalization
#
# **Batch normalization** (BN) makes every channel of a batch have mean 0 and variance 1, then lets the
# network choose its own scale $\gamma$ and shift $\beta$. It usually makes training faster and more
# stable (less so with very small batches, whose statistics are noisy). *Why* it helps is less settled: its authors (Ioffe and Szegedy, 2015) said that the scale of the
# activations drifts as the weights change, so each layer must keep adapting to a moving input ("internal
# covariate shift"), and BN removes that drift. Later work (Santurkar et al., 2018) disputes this, finding
# that BN helps mainly by making the loss landscape smoother, so larger steps are safe. The course's
# implementation outline ("Implementing CNNs from Scratch") gives the normalisation; its code also takes
# $\gamma$ and $\beta$, and the full formula is:
#
# $$\hat{x} = \frac{x - \mu_{\text{batch}}}{\sqrt{\sigma^2_{\text{batch}} + \epsilon}}, \qquad
# y = \gamma \, \hat{x} + \beta$$
#
# $\mu$ and $\sigma^2$ are the mean and the variance of the batch, $\epsilon$ (say $10^{-5}$) avoids a
# division by zero, and $\gamma$, $\beta$ are learned parameters, like weights.
#
# Where does BN go? The implementation outline says it "normalizes the output of a previous activation
# layer". That is one choice, not a rule: Ioffe and Szegedy put BN just *before* the nonlinearity, and
# conv → BN → ReLU is the common order (lessons 09 and 12 use it). Both work.
#
# ### Which values share a mean?
#
# For conv features of shape $(N, C, H, W)$ there is **one mean and one variance per channel**, taken over
# every sample **and every position**: a channel is one feature (say "vertical edge") wherever it appears,
# so all its values are normalised together.
#
# **Exercise.** Over which axes of an NCHW array is the mean taken? Answer with a tuple such as `(0, 1)`.

# %% tags=["presentation-hide"]
my_axes = None
axes_result = check_bn_axes(my_axes)
axes_result

# %% [markdown]
# The implementation outline's code uses `np.mean(input, axis=0)`. On a batch of 8 samples, 3 channels and
# $4 \times 4$ pixels (the one of the next section), the checker explains why that is not enough here:

# %%
print(check_bn_axes((0,)))

# %% [markdown]
# ## Derive: batch norm by hand
#
# A small batch of conv features, 8 samples, 3 channels of $4 \times 4$, each channel with its own mean
# and spread:

# %%
rng = np.random.default_rng(1)
x = rng.standard_normal((8, 3, 4, 4)) * np.array([1.0, 0.5, 3.0]).reshape(1, 3, 1, 1) \
    + np.array([0.0, 4.0, -2.0]).reshape(1, 3, 1, 1)
gamma = np.array([1.0, 2.0, 0.5])
beta = np.array([0.0, -1.0, 3.0])


def batchnorm2d_by_hand(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=(0, 2, 3), keepdims=True)  # (1, C, 1, 1): one mean per channel
    var = x.var(axis=(0, 2, 3), keepdims=True)  # biased: divides by N*H*W
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)


by_hand = batchnorm2d_by_hand(x, gamma, beta)
for stat in (np.mean, np.std):
    before, after = stat(x, axis=(0, 2, 3)).round(2) + 0.0, stat(by_hand, axis=(0, 2, 3)).round(2) + 0.0
    print(f"per-channel {stat.__name__:<4} before: {before}   after: {after}")

# %% [markdown]
# After normalising, channel $c$ has mean $\beta_c$ and standard deviation $\gamma_c$, whatever it had
# before.
#
# ## Check: against `cnnlib`'s `BatchNorm2D`

# %%
cnnlib_bn = BatchNorm2D(3, dtype=np.float64)
cnnlib_bn.params["gamma"][:] = gamma
cnnlib_bn.params["beta"][:] = beta
by_cnnlib = cnnlib_bn(x)
print("BatchNorm2D matches the formula:", np.allclose(by_cnnlib, by_hand))

# %% [markdown]
# Applied to an NCHW batch, as we store it, the implementation outline's `axis=0` normalises each (channel, row,
# column) separately: $3 \cdot 4 \cdot 4 = 48$ means instead of 3, each from only 8 numbers, and a different
# answer. (The outline gives no layout for this function; on one of its $(H, W, C)$ images, `axis=0` would
# average over the rows instead.)

# %%
mean0 = x.mean(axis=0)
print("axis=0 means:", mean0.shape, " axis=(0, 2, 3) means:", x.mean(axis=(0, 2, 3)).shape)
by_axis0 = (x - mean0) / np.sqrt(x.var(axis=0) + 1e-5)
print("same numbers as BatchNorm2D (gamma=1, beta=0)?",
      np.allclose(by_axis0, batchnorm2d_by_hand(x, np.ones(3), np.zeros(3))))

# %% [markdown]
# ### Why $\gamma$ and $\beta$?
#
# Forcing mean 0 and variance 1 could throw away something useful. With $\gamma = \sqrt{\sigma^2 + \epsilon}$
# and $\beta = \mu$, BN gives back its input unchanged, so the network *can* undo it, or keep any scale in
# between. Exactly so only for one set of statistics: in training, $\mu$ and $\sigma^2$ change from batch to
# batch while $\gamma$ and $\beta$ do not, so the $\gamma, \beta$ that undo one batch do not quite undo the
# next (in evaluation mode, below, the statistics are fixed and the undoing is exact):

# %%
mu, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
print("gamma = std, beta = mean gives back x:", np.allclose(batchnorm2d_by_hand(x, np.sqrt(var + 1e-5), mu), x))

# %% [markdown]
# ## Training mode and evaluation mode
#
# In training, BN uses the batch's own $\mu$ and $\sigma^2$. After training we want predictions that do not
# depend on which other images share the batch, so BN also keeps **running statistics**: buffers, not
# parameters, that the optimizer never touches. They start at mean 0 and variance 1. After every training
# batch, with `momentum` $m = 0.1$ (PyTorch's convention):
#
# $$\mu_{run} \leftarrow (1 - m)\,\mu_{run} + m\,\mu_{batch}, \qquad
# \sigma^2_{run} \leftarrow (1 - m)\,\sigma^2_{run} + m\,\tfrac{n}{n - 1}\,\sigma^2_{batch}$$
#
# ($n = N H W$; the factor makes the running variance unbiased, as in PyTorch). Keras, which the course's
# theory notes use, counts the other way: its `BatchNormalization(momentum=0.99)` is the weight of the *old*
# value, so Keras's 0.99 is PyTorch's 0.01, and PyTorch's 0.1 is Keras's 0.9. In evaluation mode, BN
# normalises with $\mu_{run}, \sigma^2_{run}$: a fixed scale and shift per channel, whose backward is just
# $dx = dout \cdot \gamma / \sqrt{\sigma^2_{run} + \epsilon}$. (In training each output depends on the whole
# batch through $\mu$ and $\sigma^2$, so the backward has more terms: lesson 06's bug 5 shows them, gradient-checked.)
# A layer starts in training mode; `bn.eval()` switches it to evaluation mode and `bn.train()` back
# (`model.eval()` switches every layer of a model).
#
# The implementation outline's `batch_normalization` has no running statistics and no evaluation mode: it
# always normalises with the statistics of what it is given. Give it a batch of one image, shape
# $(1, C, H, W)$, and every value equals its own mean along `axis=0`, the variance is 0, and it returns
# $\beta$ for *every* input, without an error.
#
# Watch the running mean move from 0 towards the true means (0, 4, −2) over a few training batches:

# %%
rng = np.random.default_rng(2)
bn = BatchNorm2D(3, dtype=np.float64)
for step in range(1, 31):
    batch = rng.standard_normal((8, 3, 4, 4)) * np.array([1.0, 0.5, 3.0]).reshape(1, 3, 1, 1) \
        + np.array([0.0, 4.0, -2.0]).reshape(1, 3, 1, 1)
    bn(batch)  # training mode: normalise with this batch, update the running statistics
    if step in (1, 2, 5, 10, 30):
        print(f"after {step:>2} batches: running_mean = {bn.running_mean.round(2) + 0.0}")  # + 0.0: no "-0."

# %% [markdown]
# Each batch moves the running mean a tenth of the way, so after $k$ batches it is about $(1 - 0.9^k)\,\mu$:
# for channel 1, 0.4, 0.76, 1.64, 2.61 and 3.83 after 1, 2, 5, 10 and 30 batches, against the 0.4, 0.75, 1.61,
# 2.6 and 3.85 printed (each batch's own mean is a little off 4). The running variance follows the second
# formula, factor $\frac{n}{n-1}$ included. Check it on the loop's first batch, from the starting variance 1:

# %%
rng = np.random.default_rng(2)
first_batch = rng.standard_normal((8, 3, 4, 4)) * np.array([1.0, 0.5, 3.0]).reshape(1, 3, 1, 1) \
    + np.array([0.0, 4.0, -2.0]).reshape(1, 3, 1, 1)  # the loop's first batch: the same seed
bn_once = BatchNorm2D(3, dtype=np.float64)
bn_once(first_batch)
n_values = 8 * 4 * 4  # n = N*H*W values per channel
var_by_hand = 0.9 * 1.0 + 0.1 * first_batch.var(axis=(0, 2, 3)) * n_values / (n_values - 1)
print("running_var after one batch:", bn_once.running_var.round(3), "  by hand:", var_by_hand.round(3))
print("equal:", np.allclose(bn_once.running_var, var_by_hand))

# %% [markdown]
# In evaluation mode the output no longer depends on the rest of the batch. In training mode a single image
# is normalised by its own statistics (its $H \cdot W$ values per channel), and updates the running
# averages with them; with one pixel per channel there is no variance to normalise with, and `cnnlib` says so:

# %%
one_image = x[:1, :, :1, :1]  # one sample, one pixel per channel
bn.eval()
print("eval mode, one image:", bn(one_image).shape)
bn.train()
try:
    bn(one_image)
except ValueError as error:
    print(wrap_text(f"train mode: {error}"))

# %% [markdown]
# ## See it: histograms before and after
#
# Below, a batch of conv activations, 16 samples of three $6 \times 6$ channels, each channel with its own
# mean and spread (before the sliders: means 0, 3 and −2, standard deviations 1, 0.5 and 2; not the batch
# above). The sliders **scale** and then **shift** the whole batch, $\text{scale} \cdot x + \text{shift}$;
# $\gamma$ and $\beta$ are the layer's parameters. In **train** mode, whatever you do to the batch, every
# channel comes out with mean $\beta$ and standard deviation $\gamma$. Switch to **eval** mode: the layer now
# uses the running statistics it collected on unshifted batches, so a shifted or rescaled batch comes out
# shifted or rescaled. (That is what happens when the test images differ from the training images.) The
# "before" axis stays the same for every slider setting, wide enough for the most shifted and scaled batch.
# The channels are told apart by colour, hatching and outline:
# channel 0 blue, solid, hatched `//`; channel 1 orange, dashed, `\\`; channel 2 green, dotted, dots.

# %% tags=["presentation-hide"]
show(batchnorm_view(shift=2.0, scale=1.5, gamma=1.0, beta=0.0))

# %% tags=["nbval-ignore-output"]
batchnorm_widget(shift=2.0, scale=1.5)

# %% [markdown]
# The same shifted and scaled batch in **eval** mode (the widget's toggle, for readers of the stored lesson):
# the running statistics come from unshifted batches, so the outputs keep the shift and the scale, and the
# message under it names the means the layer subtracted.

# %%
eval_view = batchnorm_view(shift=2.0, scale=1.5, gamma=1.0, beta=0.0, mode="eval")
show(eval_view)
print(eval_view.message)

# %% [markdown]
# ## Summary
#
# - Activations make stacked layers more than one linear map. Backward, they multiply the gradient by
#   $f'(x)$.
# - ReLU passes gradients unchanged where it is active. The sigmoid's slope is at most $\frac14$ and small
#   when it saturates ($\sigma'(3) \approx 0.045$), so gradients shrink layer after layer.
# - Batch norm normalises each channel over $(N, H, W)$, then scales by $\gamma$ and shifts by $\beta$
#   (learned). Training uses the batch's statistics and updates running averages; evaluation uses the
#   running averages.
#
# Next: [**`06_backprop`**](06_backprop.ipynb), where every one of these layers passes gradients back, and you check them.
