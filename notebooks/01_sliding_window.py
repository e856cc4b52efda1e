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
# # 01 · The sliding window
#
# A convolutional layer slides a small grid of weights, the **kernel**, over the image and, at every
# position, multiplies the pixels under it by the weights and adds the products up. That is all. In this
# lesson you will:
#
# - see why this beats a dense layer on images;
# - compute the theory notes' 4×4 example by hand, then watch it step by step;
# - write the double loop yourself (`corr2d`) and check it against `cnnlib`;
# - extend it to colour images: channels, filters and one bias per filter.

# %%
import inspect

import numpy as np

from cnnlib.demos import filter_channels
from cnnlib.exercises.channels import check_conv_params, check_dense_params
from cnnlib.exercises.sliding_window import check_conv_layer, check_corr2d, check_output_cell, conv_layer_solution
from cnnlib.functional import conv2d, conv2d_forward_naive
from cnnlib.layers import Conv2D, Dense
from cnnlib.viz import draw_filter_channels, show
from cnnlib.widgets import sliding_window_view, sliding_window_widget

# %% [markdown]
# ## Why not a dense layer?
#
# A dense layer connects **every** input to **every** output. Flatten a 32×32 colour image and you have
# $32 \cdot 32 \cdot 3 = 3072$ inputs. Three problems follow:
#
# - **Locality is lost**: flattening forgets which pixels are neighbours, yet edges and textures are
#   local patterns.
# - **Parameters explode**: every output unit needs one weight per input value (three per pixel).
# - **No sharing**: a detector for an edge at the top-left must be learned again for the bottom-right.
#
# A convolution looks at a small neighbourhood (locality) and uses **the same** few weights at every
# position (weight sharing). Count the parameters with `cnnlib`'s own layers:

# %%
dense = Dense(32 * 32 * 3, 1024)
conv = Conv2D(in_channels=3, out_channels=32, kernel_size=3)
print(f"Dense(3072 -> 1024):            {dense.num_params():>12,} parameters")
print(f"Conv2D(3 -> 32, 3x3 kernels):   {conv.num_params():>12,} parameters")

# %% [markdown]
# Where the 896 comes from: each of the 32 filters has a $3 \times 3$ kernel for each of the 3 colour channels
# ($3 \cdot 3 \cdot 3 = 27$ weights; a *filter* covers all input channels, as the next section says) and one
# bias, so $32 \cdot 27 + 32 = 896$, whatever the image size. On a 32×32 image the convolution's 32 output maps
# are each $30 \times 30$ (a $3 \times 3$ window fits $32 - 3 + 1 = 30$ times along each side; more on this
# below): 28,800 numbers. A dense layer producing that many outputs would need a weight for every (input,
# output) pair:

# %%
outputs = 30 * 30 * 32
print(f"Dense(3072 -> {outputs:,}) would have {3072 * outputs + outputs:,} parameters")

# %% [markdown]
# **Exercise.** How many parameters does `Conv2D(in_channels=3, out_channels=64, kernel_size=5)` have?
# Replace `None` with your number and run the cell. Stuck? `count_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_count = None
count_result = check_conv_params(my_count, in_channels=3, out_channels=64, kernel_size=5)
count_result

# %% [markdown]
# ## Kernel, filter, output channel
#
# - A **kernel** is one 2-D grid of weights, e.g. $3 \times 3$.
# - A **filter** is the stack of kernels that covers *all* input channels: for an RGB image a
#   $3 \times 3 \times 3$ filter, one kernel per colour channel.
# - Each filter produces one **output channel** (a *feature map*). A layer with $N$ filters produces $N$
#   output channels.
#
# We start with one channel, where kernel and filter are the same thing, and come back to colour at the
# end.

# %% [markdown]
# ## Cross-correlation, not convolution
#
# The output at row $i$, column $j$ is the sum of the kernel times the patch whose top-left corner is at
# $(i, j)$:
#
# $$Y[i, j] = \sum_{m=0}^{K_H - 1} \sum_{n=0}^{K_W - 1} K[m, n] \, X[i + m,\ j + n]$$
#
# ($K_H \times K_W$ is the kernel's size.) We write the whole output as $Y = X \star K$: "$X$ cross-correlated
# with $K$". Mathematicians call this **cross-correlation**. A true **convolution** runs the kernel backwards,
# $\sum_{m,n} K[m, n]\, X[i - m,\ j - n]$: the same as cross-correlation with the kernel rotated by 180° (up to a
# shift of the output index by $K_H - 1$ rows and $K_W - 1$ columns). The theory notes title this very formula "The 2D Convolution
# Equation"; it is cross-correlation already, and their note that frameworks "implement cross-correlation"
# describes the same formula, not another one.
#
# Deep-learning libraries (PyTorch, TensorFlow, `cnnlib`) all compute cross-correlation and still call it
# "convolution". For learning it makes no difference: the network simply learns the flipped kernel.

# %% [markdown]
# ## The worked example
#
# The theory notes slide a $2 \times 2$ kernel over a $4 \times 4$ input, stride 1, no padding:

# %%
x = np.array([[1, 2, 3, 0],
              [0, 1, 2, 3],
              [3, 0, 1, 2],
              [2, 3, 0, 1]])
k = np.array([[1, 0],
              [-1, 1]])

# %% [markdown]
# **Step 1**, top-left patch $\begin{bmatrix}1 & 2\\ 0 & 1\end{bmatrix}$:
# $1 \cdot 1 + 2 \cdot 0 + 0 \cdot (-1) + 1 \cdot 1 = 2$.
#
# **Step 2**, one to the right, $\begin{bmatrix}2 & 3\\ 1 & 2\end{bmatrix}$:
# $2 \cdot 1 + 3 \cdot 0 + 1 \cdot (-1) + 2 \cdot 1 = 3$.
#
# **Step 3**, $\begin{bmatrix}3 & 0\\ 2 & 3\end{bmatrix}$:
# $3 \cdot 1 + 0 \cdot 0 + 2 \cdot (-1) + 3 \cdot 1 = 4$.
#
# So the first output row is $[2, 3, 4]$.

# %% [markdown]
# **Exercise.** Before you watch the window move: predict `out[1, 0]` by hand (the window one row down from
# the start), then run the cell. Stuck? `cell_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_answer = None
cell_result = check_output_cell(1, 0, my_answer, x, k)
cell_result

# %% [markdown]
# The checker recognises the usual slips. Here is what it says to three wrong answers for `out[0, 1]`
# (the right answer is 3):

# %%
print(check_output_cell(0, 1, 1, x, k))  # computed with the kernel rotated by 180°
print(check_output_cell(0, 1, 8, x, k))  # added the patch without the weights
print(check_output_cell(0, 1, 2, x, k))  # the neighbouring cell

# %% [markdown]
# The picture below is step 2: the green square is the patch, the middle grids are the kernel and the
# element-wise products, and the output fills in as the window moves.

# %% tags=["presentation-hide"]
show(sliding_window_view(step=2, x=x, kernel=k))

# %% [markdown]
# Now press **Play**, or drag the slider, and watch all nine steps. The title writes out each sum.

# %% [markdown] tags=["presentation-hide"]
# (Reading this page without Python? Here is the same walk as an animation.)
#
# <img src="../images/sliding_window.svg" alt="the 2×2 kernel sliding over the 4×4 input, step by step">

# %% tags=["nbval-ignore-output"]
sliding_window_widget(x, k)

# %% [markdown]
# The window fits $4 - 2 + 1 = 3$ times across and 3 times down, so the output is $3 \times 3$. Here is the
# whole answer, computed by `cnnlib`:

# %%
out = conv2d(x[None, None], k[None, None])[0, 0]  # x as (N, C, H, W), k as (C_out, C_in, KH, KW); [0, 0] drops them
print(out)

# %% [markdown]
# And here is the difference between the two operations on the whole example: flipping the kernel gives a
# different answer.

# %%
k_flipped = k[::-1, ::-1]  # rotate by 180°: flip rows and columns
print("cross-correlation (what CNNs compute):\n", out)
print("true convolution (kernel flipped):\n", conv2d(x[None, None], k_flipped[None, None])[0, 0])

# %% [markdown]
# ## Derive: the double loop
#
# **Exercise.** Now write it yourself. For every output position $(i, j)$, take the patch
# `x[i:i+KH, j:j+KW]`, multiply it element-wise by the kernel and sum. The output has $H - K_H + 1$ rows and
# $W - K_W + 1$ columns. Replace the `...` with your code and run the cell.

# %% tags=["presentation-hide"]
def corr2d(x, k):
    """2-D cross-correlation of x (H, W) with k (KH, KW): stride 1, no padding."""
    KH, KW = k.shape
    # your code: the output size, an array of zeros, then a double loop over the output cells
    ...


# %% [markdown]
# ## Check: against `cnnlib`
#
# `check_corr2d` runs your function on the example, on a non-square input and kernel (which catches swapped
# heights and widths) and on a random case, and compares with `cnnlib`. Until your cell is filled in it says
# so. Stuck? Ask the result for help, one step at a time: `corr2d_result.hint(1)`, `.hint(2)`, `.hint(3)`,
# and if you still are, `corr2d_result.solution()` shows one solution. Put them in a new cell.

# %% tags=["presentation-hide"]
corr2d_result = check_corr2d(corr2d)
corr2d_result

# %% [markdown]
# A wrong version gets a diagnosis, not just "wrong". Here is what the checker says to a `corr2d` that
# flips the kernel by mistake (computed with `cnnlib`'s own correlation, so it does not depend on yours):

# %%
def corr2d_flipped(x, k):
    return conv2d(x[None, None], k[::-1, ::-1][None, None])[0, 0]  # the kernel rotated by 180°: convolution


check_corr2d(corr2d_flipped)

# %% [markdown]
# ### The course's code
#
# The from-scratch notes convolve with this function, copied as it is there:

# %%
def conv2d_notes(input, filters, stride=1, padding=0):  # the notes call it conv2d
    # Apply padding to input if necessary
    if padding > 0:
        input = np.pad(input, ((padding, padding), (padding, padding), (0, 0)), mode='constant')

    # Output dimensions
    output_height = (input.shape[0] - filters.shape[0]) // stride + 1
    output_width = (input.shape[1] - filters.shape[1]) // stride + 1
    output_depth = filters.shape[3]
    output = np.zeros((output_height, output_width, output_depth))

    # Perform convolution
    for i in range(0, output_height):
        for j in range(0, output_width):
            for k in range(output_depth):
                region = input[i*stride:i*stride+filters.shape[0], j*stride:j*stride+filters.shape[1], :]
                output[i, j, k] = np.sum(region * filters[:, :, :, k])

    return output


notes_rng = np.random.default_rng(1)
image_hwc = notes_rng.standard_normal((7, 6, 3))  # one image, channels last: (H, W, C)
filters_notes = notes_rng.standard_normal((3, 3, 3, 4))  # (KH, KW, C_in, C_out): the Keras layout
theirs = conv2d_notes(image_hwc, filters_notes, stride=2, padding=1)  # (4, 3, 4)
ours = conv2d(image_hwc.transpose(2, 0, 1)[None],  # (H, W, C) -> (1, C, H, W)
              filters_notes.transpose(3, 2, 0, 1), stride=2, padding=1)[0]  # weights (C_out, C_in, KH, KW); ours (C_out, H, W) = (4, 4, 3)
print("the notes' conv2d equals cnnlib's:", theirs.shape, np.allclose(theirs, ours.transpose(1, 2, 0)))

# %% [markdown]
# It is right, and it is our loop with the channels and filters added. Two slips are in the words around
# it: the notes write "Feature Map = (Input * Filter) + Bias, where `*` denotes convolution", but the code
# computes **cross-correlation** (no flip), and it adds **no bias**. It also takes one image with the channels
# last, `(H, W, C)`, and filters `(KH, KW, C_in, C_out)`, Keras' layout; `cnnlib`, like PyTorch, takes a batch
# `(N, C, H, W)` and weights `(C_out, C_in, KH, KW)` (lesson 10 converts between the two).
#
# ## Switch: `cnnlib` from here on
#
# `cnnlib`'s loop version is your double loop inside two more, over the images of a batch and over the
# filters. The input channels are summed by `np.sum` over a 3-D patch, and stride and dilation decide where
# the window sits and which pixels it touches (stride, padding and dilation are lesson 02's; the cache it
# returns is kept for the backward pass, lesson 06). Read it:

# %%
print(inspect.getsource(conv2d_forward_naive))

# %% [markdown]
# ## Channels, filters and biases
#
# A colour image has 3 channels, so a filter has **3 kernels**, one per channel: in an ordinary convolution
# (PyTorch's `groups=1`, the only kind in this course) its depth equals the input's depth. Each kernel slides
# over its own channel; the three results are **added**, plus one bias, giving **one** output channel.

# %%
show(draw_filter_channels(filter_channels(
    x=np.array([[[3, 0, 0, 0], [0, 3, 3, 2], [0, 0, 1, 1], [2, 1, 1, 0]],
                [[2, 2, 0, 0], [1, 1, 3, 2], [1, 1, 2, 2], [0, 2, 3, 3]],
                [[3, 1, 1, 2], [2, 2, 3, 1], [3, 0, 0, 3], [3, 1, 0, 1]]]),
    weights=np.array([[[-1, 1, 0], [0, -1, 0], [-1, 1, 0]],
                      [[-1, -1, 1], [0, 0, -1], [-1, 0, 0]],
                      [[0, 1, 1], [-1, 0, 0], [-1, -1, 0]]]),
    bias=1.0,
)))

# %% [markdown]
# In `cnnlib` (and PyTorch) the weights of a layer with $C_{out}$ filters over $C_{in}$ channels have shape
# $(C_{out}, C_{in}, K_H, K_W)$, and there is one bias per filter, shape $(C_{out},)$:

# %%
layer = Conv2D(in_channels=3, out_channels=2, kernel_size=3, seed=0)
print("W:", layer.params["W"].shape, "  b:", layer.params["b"].shape)

# %% [markdown]
# **Exercise.** Derive the layer with your `corr2d`: for each filter $f$, add up the channels, then the bias.
#
# $$\text{out}[f] = b[f] + \sum_{c=0}^{C_{in}-1} \text{corr2d}\big(x[c],\ W[f, c]\big)$$
#
# Replace the `...` with your code; `check_conv_layer` compares it with `cnnlib` and names the usual slips
# (a bias per channel, a channel left out, …). The same help is there: `.hint(1)` to `.hint(3)`, then
# `.solution()`.

# %% tags=["presentation-hide"]
def conv_layer_by_hand(x, W, b):
    """x (C_in, H, W), W (C_out, C_in, KH, KW), b (C_out,) -> (C_out, H_out, W_out)."""
    # your code: one map per filter, each the sum over the input channels plus that filter's bias
    ...


# %% tags=["presentation-hide"]
layer_result = check_conv_layer(conv_layer_by_hand)
layer_result

# %% [markdown]
# Once yours passes (or the hints have run out), `layer_result.solution()` prints one solution to compare
# with yours. It is the same double loop inside two more, written with `cnnlib`'s reference `corr2d`, and it
# gives `cnnlib`'s numbers on a tiny $5 \times 5$ RGB image:

# %%
rng = np.random.default_rng(0)
image = rng.integers(0, 4, size=(3, 5, 5)).astype(np.float64)  # a tiny 5x5 RGB "image"
layer.params["b"][:] = [0.5, -1.0]  # non-zero biases, so they are checked too

by_hand = conv_layer_solution(image, layer.params["W"], layer.params["b"])
by_cnnlib = layer(image[None])[0]  # the layer takes a batch: (1, 3, 5, 5) -> (1, 2, 3, 3)
print("output shape:", by_cnnlib.shape)
print("same numbers:", np.allclose(by_hand, by_cnnlib, atol=1e-5))

# %% [markdown]
# ### One bias per filter, not per position
#
# The practical guide's `CNNLayer` creates `np.random.randn(*self.output_shape)` biases: one for **every
# output position**. That is unusual. It ties the layer to one image size, gives the same filter a
# different offset at every pixel (so a pattern is no longer detected the same way everywhere), and adds
# many parameters. For its 16 filters of 3×3 on a 28×28 image (26×26 outputs each):

# %%
per_position = 16 * 26 * 26
print(f"one bias per position: {per_position:,}   one bias per filter: {16}")

# %% [markdown]
# Two smaller slips around the same class: the guide says valid cross-correlation makes "the output size
# smaller than the input", which a $1 \times 1$ kernel does not (it keeps the size; lesson 02 has the
# formula), and its `forward` line starts with a stray `d` (`d   def forward(self, input):`), a
# `SyntaxError` if you copy it.

# %% [markdown]
# **Exercise.** How many parameters does a dense layer from a flattened 28×28 grayscale image to 128 units
# have? Stuck? `dense_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_dense_count = None
dense_result = check_dense_params(my_dense_count, in_features=28 * 28, out_features=128)
dense_result

# %% [markdown]
# ## Summary
#
# - A convolution layer computes **cross-correlation**: kernel times patch, summed, at every position.
# - Without padding and at stride 1, a $K_H \times K_W$ kernel on an $H \times W$ input gives
#   $(H - K_H + 1) \times (W - K_W + 1)$.
# - A filter has one kernel per input channel; $N$ filters give $N$ output channels, plus one bias each.
# - Parameters: $C_{out} C_{in} K_H K_W + C_{out}$, whatever the image size.
#
# Next: [**`02_stride_padding_output_size`**](02_stride_padding_output_size.ipynb), where the window takes bigger steps and the input gets a border.
