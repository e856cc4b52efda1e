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
# # 06 · Backpropagation
#
# A network learns by nudging every weight against the gradient of the loss. **Backpropagation** computes
# all those gradients in one sweep from the loss back to the input, layer by layer, with the chain rule.
# The convolution's backward pass is where most implementations go wrong, especially with a stride, so we
# take it slowly and watch it. In this lesson you will:
#
# - follow the chain rule through the practical guide's pipeline, and see why softmax + cross-entropy has
#   the gradient $p - y$;
# - derive the convolution's backward pass on lesson 01's $4 \times 4$ example, as loops and as
#   correlations, and step through it in a widget, with stride and padding;
# - route gradients through max and average pooling;
# - check gradients numerically, and use that to find the bug in five broken backward passes.

# %%
import inspect

import numpy as np

from cnnlib.demos import dilate, pool_backward
from cnnlib.exercises.backprop_bugs import (batchnorm_backward_broken, conv_backward_broken_1,
                                            conv_backward_broken_2, conv_backward_broken_3, maxpool_backward_broken)
from cnnlib.exercises.chain_rule import check_softmax_ce_grad
from cnnlib.exercises.gradcheck_diagnosis import (diagnose_batchnorm_backward, diagnose_conv_backward,
                                                  diagnose_maxpool_backward)
from cnnlib.exercises.pooling import check_maxpool_grad
from cnnlib.functional import conv2d, conv2d_backward, conv2d_forward
from cnnlib.gradcheck import check_layer, numerical_gradient, relative_error
from cnnlib.layers import (AvgPool2D, BatchNorm1D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, LeakyReLU,
                           MaxPool2D, ReLU, Sigmoid, Softmax, Tanh)
from cnnlib.losses import CategoricalCrossEntropy, CrossEntropy
from cnnlib.viz import draw_pool_backward, show
from cnnlib.widgets import backprop_pass_view, backprop_view, backprop_widget

# %% [markdown]
# ## The chain rule, layer by layer
#
# The practical guide trains this pipeline:
#
# $$x \xrightarrow{\text{conv}} a \xrightarrow{\text{ReLU}} h \xrightarrow{\text{flatten}} f
# \xrightarrow{\text{dense}} z \xrightarrow{\text{softmax}} p \xrightarrow{\text{cross-entropy}} L$$
#
# The chain rule says the gradient of $L$ with respect to anything is the product of the local derivatives
# along the way, for example
#
# $$\frac{\partial L}{\partial W_{conv}} = \frac{\partial L}{\partial p}\,\frac{\partial p}{\partial z}\,
# \frac{\partial z}{\partial f}\,\frac{\partial f}{\partial h}\,\frac{\partial h}{\partial a}\,
# \frac{\partial a}{\partial W_{conv}}$$
#
# Backpropagation evaluates this product from the left: each layer's `backward(dout)` receives
# $\partial L / \partial(\text{its output})$ and returns $\partial L / \partial(\text{its input})$, filling the
# gradients of its own weights on the way. The guide's loop calls `cnn_layer.backward(...)`, but its section 5,
# "Backward Pass in CNN", is two sentences with no code, and its `CNNLayer` has no `backward` method: this
# lesson writes the missing piece. Those two sentences name the gradients "with respect to the filters and
# inputs"; a convolution has a third, that of its biases ($db$ below).
#
# The guide's `backward` methods also take the learning rate (`def backward(self, output_gradient,
# learning_rate)` in its `ReLU`, and its loop passes `learning_rate` to every `backward`): the signature of a
# layer that updates its own weights inside `backward`. cnnlib's `backward(dout)` only fills `grads`; an
# optimizer makes the update afterwards (lesson 08). The order matters: a layer that updated $W$ before
# computing its input gradient would pass back a gradient computed with the new weights, not with the ones its
# forward pass used, and a gradient check could not test it.
#
# Below, a small version of the guide's network (2 images of $6 \times 6$, 2 filters, 3 classes), with each
# gradient named after the tensor it belongs to (the guide names it after the layer that returned it, one step
# along: its `dense_grad` is our `flattened_grad`, its `flattened_grad` our `relu_grad`, its `relu_grad` our
# `conv_output_grad`). `Dense` is lesson 05's $xW + b$; `Softmax` and `CategoricalCrossEntropy` are previewed
# here, and their formulas follow in the next section. ReLU's backward is lesson 05's `dout * (a > 0)`, which
# the guide's `ReLU.backward` gets right:

# %%
rng = np.random.default_rng(0)
x_batch = rng.standard_normal((2, 1, 6, 6))  # (N, C, H, W)
labels = np.array([0, 2])
conv, relu, flatten = Conv2D(1, 2, 3, dtype=np.float64, seed=0), ReLU(), Flatten()
dense, softmax, loss_fn = Dense(2 * 4 * 4, 3, dtype=np.float64, seed=1), Softmax(), CategoricalCrossEntropy()

# Forward pass, following the guide's training loop (the backward pass below adds a softmax step it skips).
conv_output = conv.forward(x_batch)
relu_output = relu.forward(conv_output)
flattened_output = flatten.forward(relu_output)
dense_output = dense.forward(flattened_output)
softmax_output = softmax.forward(dense_output)
loss = loss_fn.forward(softmax_output, labels)

# Backward pass: the same layers in reverse order.
loss_grad = loss_fn.backward()  # dL/dp
dense_output_grad = softmax.backward(loss_grad)  # dL/dz
flattened_grad = dense.backward(dense_output_grad)  # dL/df, and dense.grads
relu_grad = flatten.backward(flattened_grad)  # the guide's reshape
conv_output_grad = relu.backward(relu_grad)  # dL/da
x_grad = conv.backward(conv_output_grad)  # dL/dx, and conv.grads

for name, value in [("x", x_batch), ("conv", conv_output), ("relu", relu_output), ("flatten", flattened_output),
                    ("dense", dense_output), ("softmax", softmax_output)]:
    print(f"{name:<8} output {str(value.shape):<14}")
print(f"loss = {loss:.4f};  dL/dW_conv has shape {conv.grads['W'].shape}, like W")

# %% [markdown]
# Is `conv.grads["W"]` right? Nudge each weight by $\pm\epsilon$, run the whole forward pass again, and
# measure the change of the loss (a *numerical gradient*, explained at the end of the lesson):

# %%
def pipeline_loss():
    out = softmax.forward(dense.forward(flatten.forward(relu.forward(conv.forward(x_batch)))))
    return loss_fn.forward(out, labels)


numeric = numerical_gradient(pipeline_loss, conv.params["W"])
print("backprop matches the numerical gradient:", relative_error(conv.grads["W"], numeric) < 1e-6)

# %% [markdown]
# ## Softmax and cross-entropy: the gradient is $p - y$
#
# For one sample with logits $z$, probabilities $p = \text{softmax}(z)$ and a one-hot target $y$:
#
# $$L = -\sum_k y_k \log p_k, \qquad p_j = \frac{e^{z_j}}{\sum_k e^{z_k}}, \qquad
# \frac{\partial p_j}{\partial z_i} = p_j\,(\delta_{ij} - p_i)$$
#
# ($\delta_{ij}$ is 1 when $i = j$, else 0). The chain rule gives
#
# $$\frac{\partial L}{\partial z_i} = \sum_j \underbrace{\left(-\frac{y_j}{p_j}\right)}_{\partial L/\partial p_j}
# p_j\,(\delta_{ij} - p_i) = -y_i + p_i \sum_j y_j = p_i - y_i$$
#
# because the $y_j$ sum to 1. The divisions by $p_j$ cancel: the combined gradient is simple, and stays
# exact even when some $p_j$ is tiny. That is why `cnnlib.losses.CrossEntropy` takes the logits $z$ and
# does both steps at once.
#
# The guide's loop does something different: it passes `categorical_cross_entropy_prime(y_batch,
# softmax_output)` straight into the dense layer's `backward`, with no softmax backward in between. That
# is right only if that function already returns $p - y$ (the combined gradient with respect to the
# logits $z$). If it returns the true derivative with respect to $p$, $-y/p$, the dense layer receives the
# wrong gradient. The guide never shows the function, so we cannot tell. Its section 6, "Loss Functions", has
# one subsection, headed, letter for letter, "Categotical [sic] Cross-Entropy Loss" (its table of contents
# lists "Binary Cross-Entropy Loss" there instead); it holds two sentences of description and the test loop, no
# formula, and `categorical_cross_entropy`, its derivative, `DenseLayer` and `Softmax` are defined nowhere in
# the guide. cnnlib keeps the two steps
# separate: `CategoricalCrossEntropy.backward()` returns $\partial L/\partial p$, and `Softmax.backward`
# turns it into $\partial L/\partial z$, so every layer does its own part of the chain rule. The
# two-step version (with the mean over the batch, so divided by $N = 2$) gives the same numbers as $p - y$:

# %%
p = softmax_output
y = np.eye(3)[labels]  # one-hot rows
print("softmax.backward(cce.backward()):\n", dense_output_grad.round(4))
print("(p - y) / N:\n", ((p - y) / len(x_batch)).round(4))
fused = CrossEntropy()
fused.forward(dense_output, labels)
print("CrossEntropy on the logits gives the same:", np.allclose(fused.backward(), dense_output_grad))

# %% [markdown]
# **Exercise.** A sample of class 0 has $p = (0.7, 0.2, 0.1)$. What is $\partial L / \partial z$? Stuck?
# `softmax_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_grad = None
softmax_result = check_softmax_ce_grad(my_grad, p=[0.7, 0.2, 0.1], label=0)
softmax_result

# %% [markdown]
# ## The convolution's backward pass, on lesson 01's example
#
# Forward, each output cell is one window of the input times the kernel, summed:
#
# $$\text{out}[i, j] = \sum_{m, n} W[m, n]\; x[i + m,\ j + n] \; (+\, b)$$
#
# So $\partial\,\text{out}[i,j] / \partial W[m,n] = x[i+m, j+n]$ and
# $\partial\,\text{out}[i,j] / \partial x[i+m, j+n] = W[m,n]$. Given the upstream gradient
# $\text{dout}[i,j] = \partial L / \partial\,\text{out}[i,j]$, each output cell sends back
#
# - to **every weight**: $\text{dout}[i,j] \cdot x[i+m,\ j+n]$, the input value that weight met;
# - to **every input cell of its window**: $\text{dout}[i,j] \cdot W[m,n]$, the weight that cell met;
# - to the **bias**: $\text{dout}[i,j]$.
#
# Windows overlap, so the contributions **add up**. Here is the example, with an upstream gradient chosen
# to be easy to check:

# %%
x = np.array([[1, 2, 3, 0],
              [0, 1, 2, 3],
              [3, 0, 1, 2],
              [2, 3, 0, 1]], dtype=float)
W = np.array([[1, 0],
              [-1, 1]], dtype=float)
dout = np.array([[1, 2, -1],
                 [-1, 1, -1],
                 [2, -1, 1]], dtype=float)
print("out =\n", conv2d(x[None, None], W[None, None])[0, 0])

# %% [markdown]
# ### Derive: the loops
#
# Run the forward loops backwards: visit every output cell and send its gradient to the weights and to the
# input cells it used.

# %%
def conv_backward_loops(x, W, dout):
    """Gradients of out = x ⋆ W (one channel, stride 1, no padding)."""
    KH, KW = W.shape
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[i:i + KH, j:j + KW]
            dW += dout[i, j] * window  # every weight met one input value of the window
            dx[i:i + KH, j:j + KW] += dout[i, j] * W  # every input cell met one weight
    return dx, dW, dout.sum()


dx, dW, db = conv_backward_loops(x, W, dout)
print("dW =\n", dW)
print("dx =\n", dx)
print("db =", db)

# %% [markdown]
# By hand: $dW[0,0]$ collects $\text{dout}[i,j] \cdot x[i,j]$ over the nine cells:
# $1\cdot1 + 2\cdot2 + (-1)\cdot3 + (-1)\cdot0 + 1\cdot1 + (-1)\cdot2 + 2\cdot3 + (-1)\cdot0 + 1\cdot1 = 8$.
# And $dx[2,1]$ lies in four windows, those of out[1,0], out[1,1], out[2,0] and out[2,1], where it met
# $W[1,1], W[1,0], W[0,1], W[0,0]$: $(-1)\cdot1 + 1\cdot(-1) + 2\cdot0 + (-1)\cdot1 = -3$.
#
# ### The pattern: two correlations
#
# Look at the sums again.
#
# - $dW[m,n] = \sum_{i,j} \text{dout}[i,j]\; x[i+m,\ j+n]$: slide **dout** over **x** like a kernel. So
#   **$dW$ is the correlation of the input with `dout`**.
# - $dx[r,c] = \sum_{i,j} \text{dout}[i,j]\; W[r-i,\ c-j]$, over the output cells $(i, j)$ with
#   $0 \le r - i < K_H$ and $0 \le c - j < K_W$ (those whose window contains $x[r, c]$): the indices of $W$ run
#   *backwards*. That is a correlation with the kernel **rotated by 180°**, over `dout` padded with $K - 1$
#   zeros on every side (so that border cells, covered by fewer windows, get their share): **$dx$ is the full
#   correlation of `dout` with the rotated kernel**. A correlation with the rotated kernel is what
#   *convolution* means, so this is also the full convolution of `dout` with $W$ itself, what
#   `scipy.signal.convolve2d(dout, W, mode="full")` computes.
# - $db = \sum_{i,j} \text{dout}[i,j]$: one bias per filter, met by every output cell. (The guide's `CNNLayer`
#   keeps a bias per output *position*, shaped `(depth, H_out, W_out)`, lesson 01; for it, $db$ is `dout`
#   summed over the batch only, one number per position.)
#
# `cnnlib`'s forward convolution computes correlations, so it can compute its own backward pass:

# %%
W_rot = W[::-1, ::-1]  # rotate by 180°
dW_corr = conv2d(x[None, None], dout[None, None])[0, 0]  # dout plays the kernel
dx_corr = conv2d(dout[None, None], W_rot[None, None], padding=1)[0, 0]  # padding K - 1 = 1: "full"
print("W rotated 180° =\n", W_rot)
print("dW as a correlation equals the loops:", np.array_equal(dW_corr, dW))
print("dx as a full correlation equals the loops:", np.array_equal(dx_corr, dx))

# %% [markdown]
# ### Check: against `cnnlib`'s backward pass

# %%
out, cache = conv2d_forward(x[None, None], W[None, None], b=np.zeros(1))
dx_lib, dW_lib, db_lib = conv2d_backward(dout[None, None], cache)
print("dx:", np.array_equal(dx_lib[0, 0], dx), "  dW:", np.array_equal(dW_lib[0, 0], dW),
      "  db:", db_lib[0] == db)

# %% [markdown]
# ### Many images, many channels
#
# The derivation used one image, one channel and one filter; a layer sees a batch of $N$ images with $C$
# channels and has $F$ filters (NCHW, as the functions at the end of the lesson). Its forward pass is
# $\text{out}[n, f] = \sum_c x_{pad}[n, c] \star W[f, c] + b[f]$, and every sum in it returns as a sum in the
# backward pass:
#
# - $dW[f, c] = \sum_n x_{pad}[n, c] \star \text{dout}[n, f]$, a valid correlation with `dout[n, f]` as the
#   kernel: weight $W[f, c]$ met channel $c$ of every image;
# - $dx_{pad}[n, c] = \sum_f$ (full correlation of $\text{dout}[n, f]$ with $W[f, c]$ rotated 180°), then crop
#   the padding: channel $c$ of image $n$ fed every filter;
# - $db[f] = \sum_{n, i, j} \text{dout}[n, f, i, j]$: bias $f$ was added to every cell of every image's map $f$.
#
# Stride and padding (below) work the same in every channel. In the guide's own terms (its `CNNLayer.forward`
# adds `signal.correlate2d(input[b, c], self.kernels[d, c], mode='valid')` over the channels `c`; `dout` is
# `output_gradient`, as its `ReLU.backward` calls it), the missing backward adds
# `signal.correlate2d(input[b, c], output_gradient[b, d], mode='valid')` over the batch `b` for the gradient of
# `kernels[d, c]`, and `signal.convolve2d(output_gradient[b, d], self.kernels[d, c], mode='full')` over the
# filters `d` for the gradient of `input[b, c]`; its biases, one per position, get
# `output_gradient.sum(axis=0)`.

# %% [markdown]
# ## Watch it: the backward-pass widget
#
# The first picture follows **one output cell**: the window outlined in blue is the part of the input it used, and
# all of $W$ was used. Its gradient $g = \text{dout}[i,j]$ flows back along the same connections:
# $g \times$ window is added to $dW$, and $g \times W$ is added to the window of $dx$. Step through the nine
# cells and watch $dW$ and $dx$ fill up to the values above. The widget numbers the cells from 1, row by row,
# while arrays count from 0: here is the 4th of the 9 cells (counted from 1), `out[1, 0]`:

# %%
show(backprop_view(cell=4))  # the 4th cell, counted from 1: out[1, 0]

# %% [markdown]
# The second picture is **every cell at once**: `dout` padded with $K - 1$ zeros (gray), the kernel rotated
# by 180°, and their correlation, which is $dx$:

# %% tags=["presentation-hide"]
show(backprop_pass_view())

# %% [markdown]
# Press **Play**, or drag the **output cell** slider. Then change the **stride** and the **padding** and
# read the next two sections with the widget beside you.

# %% tags=["nbval-ignore-output"]
backprop_widget(cell=4)  # starts at the 4th of the 9 cells (counted from 1), out[1, 0]

# %% [markdown]
# ### Stride: zeros inserted into `dout`
#
# With stride $S$, output cell $(i, j)$ used the window that starts at $(iS,\ jS)$, so its gradient must go
# back **there**. In the loops that is `top, left = i * stride, j * stride`. In the correlation form,
# spread `dout` out first: put $S - 1$ zeros between its entries (*dilate* it), so that entry $(i, j)$ sits
# at $(iS,\ jS)$, where its window starts. Then everything is as before. For the example with stride 2:

# %%
dout2 = np.array([[1, 2],
                  [-1, 1]], dtype=float)
d2 = dilate(dout2, 2)
print("dout dilated with stride - 1 = 1 zero between entries:\n", d2)
dx2 = conv2d(d2[None, None], W_rot[None, None], padding=1)[0, 0]
dW2 = conv2d(x[None, None], d2[None, None])[0, 0]  # x ⋆ dilated dout
out, cache = conv2d_forward(x[None, None], W[None, None], b=np.zeros(1), stride=2)
dx_lib, dW_lib, _ = conv2d_backward(dout2[None, None], cache)
print("dx =\n", dx2)
print("matches cnnlib at stride 2:", np.array_equal(dx_lib[0, 0], dx2), np.array_equal(dW_lib[0, 0], dW2))

# %% [markdown]
# Forgetting the stride here is *the* classic bug. At stride 1 the missing `* stride` changes nothing, so
# tests at stride 1 pass; at stride 2 the gradient lands on the wrong cells. We will meet it again below.
#
# ### Padding: crop it off
#
# With padding $P$ the forward pass ran on the padded input, so the backward pass first produces the
# gradient of the **padded** input, $dx_{pad}$. The padding zeros are not part of $x$: their gradient is
# thrown away, and $dx$ is the middle of $dx_{pad}$: `dx = dx_pad[P:P + H, P:P + W]`.

# %%
out, cache = conv2d_forward(x[None, None], W[None, None], b=np.zeros(1), padding=1)
dout_p = np.ones(out.shape[2:])  # 5×5: an upstream gradient of ones
dx_pad = conv2d(dout_p[None, None], W_rot[None, None], padding=1)[0, 0]  # 6×6, the padded input's size
dx_lib, _, _ = conv2d_backward(dout_p[None, None], cache)
print("dx_pad =\n", dx_pad)
print("dx = dx_pad[1:5, 1:5] matches cnnlib:", np.array_equal(dx_pad[1:5, 1:5], dx_lib[0, 0]))

# %% [markdown]
# With `dout` all ones, each cell of $dx$ is the sum of the weights that touched it: inside, every cell met
# all four weights ($1 + 0 - 1 + 1 = 1$); the border of $dx_{pad}$, which is padding, is cut off.
#
# ### When the stride does not fit: zeros at the bottom and right too
#
# The output size rounds down: $H_{out} = \lfloor (H + 2P - K)/S \rfloor + 1$. When $S$ does not divide
# $H + 2P - K$, the remainder
#
# $$r = (H + 2P - K) \bmod S$$
#
# counts the last rows of the padded input that **no window reached**: the last window starts at row
# $(H_{out} - 1)S$ and ends at row $(H_{out} - 1)S + K - 1 = H + 2P - 1 - r$. Those $r$ rows never met a
# weight, so their gradient is **0**. (Columns: the same with $W$, at the right.)
#
# They are not the only rows that no window reaches. When the stride is larger than the kernel, $S > K$, the
# $S - K$ rows between two consecutive windows are skipped too (lesson 02's widget striped them, "skipped by
# the stride"), and their gradient is 0 as well. Those need no extra step: the dilated `dout` has $S - 1$ zeros
# between its entries, so the full correlation gives 0 there by itself.
#
# The correlation form has to produce those zeros too. The dilated `dout` has $(H_{out} - 1)S + 1$ rows;
# padded by $K - 1$ on both sides and correlated with the $K$-row kernel it gives
# $(H_{out} - 1)S + K = H + 2P - r$ rows: $r$ short of $x_{pad}$. So the recipe is
#
# 1. dilate `dout` ($S - 1$ zeros between entries);
# 2. pad it with $K - 1$ zeros on every side **plus $r$ extra zeros at the bottom** (and
#    $(W + 2P - K) \bmod S$ at the right);
# 3. full correlation with the kernel rotated 180°: this is $dx_{pad}$, with $x_{pad}$'s shape, and its last
#    $r$ rows are 0;
# 4. crop $P$ from every side to get $dx$. If $r \le P$, the dropped rows were all padding and are cropped
#    away; if $r > P$, the last $r - P$ rows of $x$ itself get zero gradient.
#
# By hand: $H = 6$, $K = 3$, $S = 2$, $P = 0$. $H_{out} = \lfloor 3/2 \rfloor + 1 = 2$: the windows start at
# rows 0 and 2 and cover rows 0 to 4; row 5 is never used, and indeed $r = (6 - 3) \bmod 2 = 1$. The
# $2 \times 2$ `dout` dilates to $3 \times 3$; with $K - 1 = 2$ zeros around it is $7 \times 7$, and the full
# correlation with a $3 \times 3$ kernel gives $5 \times 5$, one short of $6 \times 6$. With one extra zero
# row and column it is $8 \times 8$, and $dx$ is $6 \times 6$:

# %%
x6 = np.arange(36, dtype=float).reshape(6, 6) % 5
W3 = np.array([[1, 0, -1],
               [2, 1, 0],
               [0, -1, 1]], dtype=float)
dout6 = np.array([[1, 2],
                  [-1, 1]], dtype=float)  # 2×2: (6 - 3) // 2 + 1 = 2
S, K, P = 2, 3, 0
extra = (6 + 2 * P - K) % S  # rows (and columns) the floor dropped
d6 = dilate(dout6, S)  # 3×3
W3_rot = W3[::-1, ::-1]
too_small = conv2d(d6[None, None], W3_rot[None, None], padding=K - 1)[0, 0]
print("extra =", extra, "  without the extra zeros dx would be", too_small.shape, "but x is", x6.shape)
d6_full = np.pad(d6, ((K - 1, K - 1 + extra), (K - 1, K - 1 + extra)))  # 2 around + 1 at the bottom/right: 8×8
dx6 = conv2d(d6_full[None, None], W3_rot[None, None])[0, 0]  # 6×6
print("dout dilated and padded:\n", d6_full)
print("dx =\n", dx6)

conv6 = Conv2D(1, 1, 3, stride=2, dtype=np.float64, seed=0)
conv6.params["W"][0, 0] = W3
conv6.params["b"][:] = 0
conv6.forward(x6[None, None])
print("equals Conv2D.backward:", np.allclose(conv6.backward(dout6[None, None])[0, 0], dx6))
print("row 5 and column 5, which no window reached, get 0:", not dx6[5].any() and not dx6[:, 5].any())

# %% [markdown]
# The same rows matter for $dW$. Correlating all of the input with the dilated `dout` would slide it over the
# $r$ rows no window reached too, and give $K + r$ rows instead of $K$. So cut the input (with padding: the
# padded input $x_{pad}$) to the $(H_{out} - 1)S + K$ rows and columns the windows covered, then correlate:

# %%
covered = (2 - 1) * S + K  # (H_out - 1)·S + K = 5 rows and columns: 0 to 4
uncut = conv2d(x6[None, None], d6[None, None])[0, 0]
dW6 = conv2d(x6[:covered, :covered][None, None], d6[None, None])[0, 0]  # x cut to 5×5, ⋆ dilated dout: 3×3
print("uncut, x ⋆ dilated dout is", uncut.shape, "but W is", W3.shape)
print("dW =\n", dW6)
print("equals Conv2D's dW:", np.allclose(conv6.grads["W"][0, 0], dW6))

# %% [markdown]
# The widget draws these extra zeros hatched, and its title counts them. With its $4 \times 4$ input and
# $2 \times 2$ kernel at stride 3 and no padding, $r = (4 - 2) \bmod 3 = 2$: the only window covers rows and
# columns 0 and 1, so rows and columns 2 and 3 of $dx$ are 0.

# %%
show(backprop_pass_view(stride=3))

# %% [markdown]
# At padding 1, $r = (4 + 2 - 2) \bmod 3 = 1 \le P$: the dropped row is a padding row, cropped off anyway.
# But the kernel is smaller than the stride ($K = 2 < S = 3$): the two windows start at rows 0 and 3 of
# $x_{pad}$ and cover rows 0–1 and 3–4, so row 2 between them, which is row 1 of $x$, is skipped, and so is
# column 1. Row 1 and column 1 of $dx$ are 0. At padding 2 nothing is dropped ($r = 0$), yet the windows at
# rows 0, 3 and 6 of the $8 \times 8$ $x_{pad}$ skip rows 2 and 5, rows 0 and 3 of $x$ (and the same
# columns). The figure hatches only the $r$ rows and columns the floor dropped, at the bottom and right of
# `dout`; a skipped row is not marked: there the rotated kernel meets only the stride's zeros of `dout`, and in
# $dx_{pad}$ and $dx$ it is a row of plain zeros (set the widget's padding to 1 or 2 to see it).

# %%
for pad in (1, 2):
    print(f"stride 3, padding {pad}: dx =\n", backprop_pass_view(stride=3, padding=pad).dx + 0.0)  # + 0.0: no "-0."

# %% [markdown]
# ### Dilation: zeros inserted into the kernel
#
# A dilated convolution (lesson 02) is an ordinary convolution with a kernel that has $D - 1$ zeros between
# its taps. So its backward pass is the same recipe with the **dilated kernel**: $dx$ is the full
# correlation of `dout` with the rotated dilated kernel, and $dW$ keeps the entries of the correlation of
# $x$ with `dout` that sit on the taps.

# %%
x5 = np.arange(25, dtype=float).reshape(5, 5) % 4
W_dil = dilate(W, 2)  # the 2×2 kernel with dilation 2 is this 3×3 kernel
print("dilated kernel:\n", W_dil)
out, cache = conv2d_forward(x5[None, None], W[None, None], b=np.zeros(1), dilation=2)
print("same forward as the dilated kernel:", np.array_equal(out, conv2d(x5[None, None], W_dil[None, None])))
dout3 = np.array([[1, 0, -1], [2, 1, 0], [0, -1, 1]], dtype=float)
dx_lib, dW_lib, _ = conv2d_backward(dout3[None, None], cache)
dx_dil = conv2d(dout3[None, None], W_dil[::-1, ::-1][None, None], padding=2)[0, 0]  # K_eff - 1 = 2
dW_dil = conv2d(x5[None, None], dout3[None, None])[0, 0][::2, ::2]  # the taps: every 2nd entry
print("dx matches cnnlib:", np.array_equal(dx_dil, dx_lib[0, 0]), "  dW matches cnnlib:",
      np.array_equal(dW_dil, dW_lib[0, 0]))

# %% [markdown]
# ## Pooling backward
#
# Max pooling passed on one element per window, so only that element gets the window's gradient; the others
# did not affect the output and get 0. When two elements of a window tie for the maximum, the derivative is
# not defined and one of them must be picked: `cnnlib`, like PyTorch (lesson 04), sends the whole gradient to
# the first maximum in reading order (row by row, left to right), and the other gets 0. Average pooling used
# every element with weight $\frac{1}{k^2}$, so each gets $\frac{1}{k^2}$ of the gradient. Pooling has no
# weights, so there is only $dx$.

# %%
xp = np.array([[1, 3, 2, 1],
               [4, 6, 5, 0],
               [3, 1, 2, 8],
               [0, 2, 7, 4]], dtype=float)
doutp = np.array([[1, -2],
                  [3, 4]], dtype=float)
show(draw_pool_backward(pool_backward(xp, doutp, kernel_size=2)))

# %%
pool = MaxPool2D(2)
pool(xp[None, None])
print("max pooling dx from cnnlib:\n", pool.backward(doutp[None, None])[0, 0] + 0.0)  # + 0.0: no "-0."

# %% [markdown]
# **Exercise.** A new input `xq`, max pooling $2 \times 2$, stride 2, and `dout = [[1, 2], [3, 4]]`: what
# is $dx$? Stuck? `maxpool_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %%
xq = np.array([[2, 0, 1, 5],
               [4, 1, 3, 2],
               [1, 2, 0, 1],
               [3, 6, 5, 7]], dtype=float)
print(xq)

# %% tags=["presentation-hide"]
my_dx = None
maxpool_result = check_maxpool_grad(my_dx, xq, [[1, 2], [3, 4]])
maxpool_result

# %% [markdown]
# ## Gradient checking
#
# How do we know a backward pass is right? Compare it with the definition of the derivative. The
# **central difference**
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}$$
#
# nudges one input at a time; its error shrinks like $\epsilon^2$ (the one-sided difference only like
# $\epsilon$). We compare the two gradients with the **relative error**
#
# $$\text{rel}(a, n) = \frac{|a - n|}{\max(|a| + |n|,\ 10^{-8})}$$
#
# which does not care whether gradients are large or small. In float64 a correct backward pass gives about
# $10^{-7}$ or less; a bug usually gives $10^{-2}$ or more. The line between right and wrong is drawn in that
# gap: `check_layer`'s reports, below, pass a gradient at $10^{-6}$ or less; the find-the-bug checkers at the
# end of the lesson allow $10^{-5}$ (their tables say "ok means < 1e-05"), a margin that costs nothing there,
# where every mistake gives about 1.
#
# ### Why float64
#
# Make $\epsilon$ small and the difference $f(x + \epsilon) - f(x - \epsilon)$ becomes a small difference of
# two nearly equal numbers, and rounding error takes over. float32 keeps about 7 significant digits, float64
# about 16. For $f(x) = x^3$ at $x = 1.1$, where $f'(x) = 3x^2$, here is $\text{rel}(a, n)$ of the exact
# derivative $a$ and the central difference $n$:

# %%
rows = ["epsilon   rel. error float32   rel. error float64"]
for eps in (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
    errors = []
    for dtype in (np.float32, np.float64):
        x0, e = dtype(1.1), dtype(eps)
        f_plus, f_minus = (x0 + e) * (x0 + e) * (x0 + e), (x0 - e) * (x0 - e) * (x0 - e)
        numeric = (f_plus - f_minus) / (2 * e)  # computed in dtype
        exact = 3 * float(x0) ** 2
        errors.append(relative_error(exact, float(numeric)))  # rel(a, n), as defined above
    rows.append(f"{eps:<9.0e} {errors[0]:>18.1e} {errors[1]:>20.1e}")
print("\n".join(rows))

# %% [markdown]
# In float32 the best we can get is a little over $10^{-5}$ (1.3e-05 at $\epsilon = 10^{-2}$): above the
# $10^{-6}$ that `check_layer`'s reports ask for, too coarse to tell a right gradient from a slightly wrong
# one; in float64, with $\epsilon = 10^{-5}$, about $2 \cdot 10^{-11}$. So gradient checks run in float64
# (`dtype=np.float64`).
#
# ### Check every layer of `cnnlib`
#
# `cnnlib.gradcheck.check_layer(layer, x)` builds $L = \sum \text{layer}(x) \odot \text{dout}$ for a random
# `dout`, compares `layer.backward(dout)` and every `layer.grads[k]` with central differences, and reports
# the worst relative error of each. (The exact tiny numbers depend on the machine's floating-point
# rounding, so they can differ slightly from one computer to another.) One caveat: an entry whose gradient
# is itself tiny, say $10^{-7}$, can show a large relative error from rounding alone; if a check fails on
# such an entry only, try other random inputs before hunting for a bug.

# %%
rng = np.random.default_rng(1)
images = rng.standard_normal((2, 2, 6, 6))  # (N, C, H, W)
vectors = rng.standard_normal((4, 5))  # (N, features)
cases = [
    (Conv2D(2, 3, 3, dtype=np.float64, seed=0), images),
    (Conv2D(2, 3, 3, stride=2, padding=1, dtype=np.float64, seed=0), images),
    (Conv2D(2, 3, 2, dilation=2, padding="same", dtype=np.float64, seed=0), images),
    (MaxPool2D(2), images),
    (MaxPool2D(3, stride=2), images),
    (AvgPool2D(2), images),
    (BatchNorm2D(2, dtype=np.float64), images),
    (ReLU(), images),
    (LeakyReLU(), images),
    (Sigmoid(), images),
    (Tanh(), images),
    (Flatten(), images),
    (Dense(5, 3, dtype=np.float64, seed=0), vectors),
    (BatchNorm1D(5, dtype=np.float64), vectors),
    (Softmax(), vectors),
    (Dropout(0.5, seed=0), vectors),
]
reports = [check_layer(layer, data) for layer, data in cases]

# %% tags=["nbval-ignore-output"]
for (layer, _), report in zip(cases, reports):
    errors = "   ".join(f"{name}: {entry.rel_error:.1e}" for name, entry in report.entries.items())
    print(f"{layer!r}\n    {errors}")

# %%
print(f"{len(reports)} layers checked; every gradient below 1e-6:", all(r.passed(1e-6) for r in reports))

# %% [markdown]
# ## Find the bug
#
# Below are five backward passes written the way students write them, from plain arrays. Each has **one**
# mistake, the kind a gradient check catches and a quick look does not. For each one:
#
# 1. read it (`inspect.getsource` prints it);
# 2. run the checker on it: it gradient-checks the function in several settings (stride 1, 2 and 3, with and
#    without padding, …), lists every gradient that fails and where, and says what the pattern of failures
#    points to. It does not give the fix away: if you are stuck, the result's `.hint(2)` says where to look
#    and `.hint(3)` gives the fix, one step at a time;
# 3. copy it into a new cell, give it a new name, fix it, and run the checker on your copy until it passes.
#
# The signatures are `conv_backward(dout, x, W, stride, padding) -> (dx, dW, db)`,
# `maxpool_backward(dout, x, kernel_size, stride) -> dx` and
# `batchnorm_backward(dout, x, gamma, eps) -> (dx, dgamma, dbeta)`, all NCHW.
#
# ### Bug 1, solved together: a convolution with loops

# %%
print(inspect.getsource(conv_backward_broken_1))

# %%
diagnosis_1 = diagnose_conv_backward(conv_backward_broken_1)
diagnosis_1

# %% [markdown]
# The message says only *what* fails. Solving this one together, we ask for the other two steps, where to
# look and then the fix:

# %%
print(diagnosis_1.hint(2))
print(diagnosis_1.hint(3))

# %% [markdown]
# Right at stride 1, wrong at strides 2 and 3: the window of output cell $(i, j)$ starts at
# $(i \cdot \text{stride},\ j \cdot \text{stride})$, but the loop uses $(i, j)$. Fixed copy:

# %%
def my_conv_backward(dout, x, W, stride=1, padding=0):
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = dout.shape[2], dout.shape[3]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad)
    dW = np.zeros_like(W)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * stride, j * stride  # the fix
                    window = x_pad[n, :, top:top + KH, left:left + KW]
                    dW[f] += dout[n, f, i, j] * window
                    dx_pad[n, :, top:top + KH, left:left + KW] += dout[n, f, i, j] * W[f]
    dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]
    return dx, dW, db


diagnose_conv_backward(my_conv_backward)

# %% [markdown]
# ### Bug 2: a convolution with correlations

# %%
print(inspect.getsource(conv_backward_broken_2))

# %%
diagnosis_2 = diagnose_conv_backward(conv_backward_broken_2)
diagnosis_2

# %% [markdown]
# Copy the function into the cell below, rename it, fix it, then set `fixed` to it and run. Stuck?
# `diagnosis_2.hint(2)` in a new cell says where to look, `diagnosis_2.hint(3)` gives the fix.

# %%
# paste and fix conv_backward_broken_2 here

# %%
fixed = None  # e.g. fixed = my_conv_backward_2
diagnose_conv_backward(fixed)

# %% [markdown]
# ### Bug 3: a convolution with padding
#
# Written another way: instead of one output cell at a time, this one takes one kernel offset
# $(k_h, k_w)$ at a time. Weight `W[:, :, kh, kw]` meets the padded input at rows $k_h, k_h + S, \dots$ and the
# same columns, and broadcasting handles the batch, the channels and the output cells at once. Two things
# in it may be new: `slice(a, b, s)` is the slice `a:b:s` kept in a variable, so `x_pad[:, :, rows, cols]`
# means `x_pad[:, :, a:b:s, c:d:s]`; and `None` in an index adds an axis of length 1 (as `x[None, None]` did in
# lessons 01 and 03), so that arrays of different shapes broadcast (the comments give every shape).

# %%
print(inspect.getsource(conv_backward_broken_3))

# %%
diagnosis_3 = diagnose_conv_backward(conv_backward_broken_3)
diagnosis_3

# %% [markdown]
# Stuck? `diagnosis_3.hint(2)` in a new cell says where to look, `diagnosis_3.hint(3)` gives the fix.

# %%
# paste and fix conv_backward_broken_3 here

# %%
fixed = None
diagnose_conv_backward(fixed)

# %% [markdown]
# ### Bug 4: max pooling

# %%
print(inspect.getsource(maxpool_backward_broken))

# %%
diagnosis_4 = diagnose_maxpool_backward(maxpool_backward_broken)
diagnosis_4

# %% [markdown]
# Stuck? `diagnosis_4.hint(2)` in a new cell says where to look, `diagnosis_4.hint(3)` gives the fix.

# %%
# paste and fix maxpool_backward_broken here

# %%
fixed = None
diagnose_maxpool_backward(fixed)

# %% [markdown]
# ### Bug 5: batch normalization
#
# The backward pass of batch norm in training mode (derived in `cnnlib.layers.normalization`):
# with $m$ values per channel and sums over them,
# $dx = \frac{\gamma}{m\sqrt{\sigma^2 + \epsilon}}\left(m\,\text{dout} - \sum \text{dout} - \hat{x}
# \sum \text{dout}\,\hat{x}\right)$.

# %%
print(inspect.getsource(batchnorm_backward_broken))

# %%
diagnosis_5 = diagnose_batchnorm_backward(batchnorm_backward_broken)
diagnosis_5

# %% [markdown]
# Stuck? `diagnosis_5.hint(2)` in a new cell says where to look, `diagnosis_5.hint(3)` gives the fix.

# %%
# paste and fix batchnorm_backward_broken here

# %%
fixed = None
diagnose_batchnorm_backward(fixed)

# %% [markdown]
# ## Summary
#
# - Backprop applies the chain rule layer by layer: `backward(dout)` turns $\partial L/\partial\text{out}$
#   into $\partial L/\partial\text{in}$ and fills the layer's own gradients.
# - Softmax + cross-entropy: $\partial L / \partial z = p - y$.
# - Convolution: $dW$ = correlation of the (padded) input with `dout`; $dx$ = full correlation of `dout` with
#   the kernel rotated 180°; $db = \sum \text{dout}$. Stride: dilate `dout` first, and when $S$ does not divide
#   $H + 2P - K$ add $(H + 2P - K) \bmod S$ zeros at its bottom/right for $dx$ (those rows get no gradient),
#   and cut those rows off the input for $dW$; when $S > K$, the rows between the windows get no gradient
#   either. Padding: crop it from $dx$. Dilation: dilate the kernel.
# - Max pooling sends each gradient to the window's maximum (the first one, on a tie); average pooling spreads
#   it evenly.
# - Check every backward pass with central differences in float64; a relative error of $10^{-6}$ or less
#   means right (the find-the-bug checkers allow $10^{-5}$), $10^{-2}$ or more a bug, and the settings where it
#   fails say which.
