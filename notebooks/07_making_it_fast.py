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
# # 07 · Making it fast: from loops to one matrix multiply
#
# A full training run passes **60,000 images** through the implementation outline's network, ten times over
# (`python -m cnnlib.train`; lesson 09's `FULL_DATA = True` uses 55,000 of them and keeps 5,000 to validate).
# The convolution we wrote as loops in lesson 01 is correct, but far too slow for that. This lesson shows how
# `cnnlib` computes the *same numbers* hundreds of times faster, the way deep learning frameworks began to
# (and still do where nothing better applies):
#
# 1. **loops**: one dot product per output pixel, in Python;
# 2. a **sliding-window view**: all the windows at once, without copying, and one `einsum`;
# 3. **im2col + one matrix multiply**: copy the windows into the columns of a matrix, then let the
#    optimised matrix-multiply library (BLAS) do all the dot products in one call.
#
# We check that the three agree, time them live, see how the backward pass uses `col2im`, what im2col costs in
# memory, and where a training step spends its time.
#
# *The timings in this notebook are measured when you run it, so your numbers will differ from the stored
# ones (and between runs: other programs share the CPU). The ratios are what matter.*

# %%
import numpy as np

from cnnlib import Sequential
from cnnlib.datasets import load_fashion_mnist
from cnnlib.exercises.im2col import check_im2col_shape
from cnnlib.functional import (col2im, conv2d, conv2d_backward, conv2d_backward_naive, conv2d_forward,
                               conv2d_forward_naive, im2col, sliding_windows)
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.losses import CrossEntropy
from cnnlib.optim import Adam
from cnnlib.profiling import profile_step, time_call
from cnnlib.viz import draw_grid, draw_profile, draw_timings, show
from cnnlib.viz.style import new_figure
from cnnlib.widgets import im2col_view, im2col_widget

# %% [markdown]
# ## How much work is a training epoch?
#
# The network: Conv 32 3×3 → ReLU → MaxPool 2 → Conv 64 3×3 → ReLU → MaxPool 2 → Dense 128 → ReLU → Dense 10.
# Each output pixel of a convolution is one dot product of a filter with a window. Count them for one
# 28×28 image:

# %%
conv1 = dict(C_in=1, C_out=32, K=3, H_out=26)  # 28 - 3 + 1 = 26
conv2 = dict(C_in=32, C_out=64, K=3, H_out=11)  # 13 - 3 + 1 = 11
total = 0
for name, c in (("conv 1", conv1), ("conv 2", conv2)):
    dots = c["C_out"] * c["H_out"] ** 2
    length = c["C_in"] * c["K"] ** 2
    total += dots * length
    print(f"{name}: {dots:>6,} dot products of length {length:>3} = {dots * length:>9,} multiply-adds")
dense = 1600 * 128 + 128 * 10
total += dense
print(f"dense : {dense:>9,} multiply-adds")
print(f"forward pass of one image: {total:,} multiply-adds")
print(f"one epoch (forward + backward ≈ 3 forwards, 60,000 images): {3 * total * 60_000:.1e}")

# %% [markdown]
# Almost $5 \times 10^{11}$ multiply-adds per epoch. Plain Python manages some millions of multiply-adds per
# second (about ten million on our machine), so loops over single numbers would need half a day or more per
# epoch; a modern CPU core can do billions
# per second *if* the work reaches it in the right shape. The rest of this lesson is about getting it into that shape.
#
# ## Three ways to write the same convolution
#
# We use real data: 8 Fashion-MNIST images and the **second** conv layer of the network (32 input channels, 64
# filters of 3×3, on 13×13 inputs), where most of the work is. Random weights are fine: we compare numbers.

# %%
x_test, y_test = load_fashion_mnist("test")
rng = np.random.default_rng(0)
first = Conv2D(1, 32, 3, seed=0)
x = MaxPool2D(2)(ReLU()(first(x_test[:8])))  # (8, 32, 13, 13): what the second conv receives
W = (rng.standard_normal((64, 32, 3, 3)) * np.sqrt(2 / 288)).astype(np.float32)
b = np.zeros(64, dtype=np.float32)
print("input x:", x.shape, " filters W:", W.shape, " bias b:", b.shape)

# %% [markdown]
# ### 1. Loops
#
# Straight from the formula: for every sample $n$, filter $f$ and output position $(i, j)$, multiply the
# window by the filter and add everything up. (This is what `conv2d_forward_naive` in `cnnlib` does, with
# stride, padding and dilation too.)

# %%
def conv_loops(x, W, b):
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = H - KH + 1, W_in - KW + 1
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, f, i, j] = np.sum(x[n, :, i:i + KH, j:j + KW] * W[f]) + b[f]
    return out


out_loops = conv_loops(x, W, b)
print("output:", out_loops.shape, f"  the loop body ran {8 * 64 * 11 * 11:,} times")

# %% [markdown]
# ### 2. A sliding-window view
#
# `sliding_windows(x, KH, KW)` returns every 3×3 window as a 6-D array `(N, C, H_out, W_out, KH, KW)`,
# **without copying anything**: numpy's strides let neighbouring windows share the same memory. Then one
# `einsum` multiplies each window by each filter and sums over $(c, k_h, k_w)$. The Python loops are gone; the
# loops now run in C.

# %%
windows = sliding_windows(x, 3, 3)
print("windows:", windows.shape, " shares memory with x:", np.shares_memory(windows, x))
print("window (n=0, c=0, i=0, j=1) is x[0, 0, 0:3, 1:4]:", np.array_equal(windows[0, 0, 0, 1], x[0, 0, 0:3, 1:4]))


# %%
def conv_windows(x, W, b):
    windows = sliding_windows(x, W.shape[2], W.shape[3])  # (N, C, H_out, W_out, KH, KW), a view
    return np.einsum("nchwij,fcij->nfhw", windows, W) + b[None, :, None, None]


out_windows = conv_windows(x, W, b)

# %% [markdown]
# ### 3. im2col + one matrix multiply
#
# **im2col** ("image to columns") copies every window into one **column** of a matrix. Here it is on lesson
# 01's 4×4 example with a 2×2 kernel: 9 windows of 4 numbers give a 4 × 9 matrix.

# %%
x_small = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)[None, None]
k_small = np.array([[1, 0], [-1, 1]], dtype=float)
cols_small = im2col(x_small, 2, 2)  # (C*KH*KW, N*H_out*W_out) = (4, 9)
print(cols_small.astype(int))

# %% [markdown]
# Column 0 is the top-left window `[1, 2, 0, 1]` read row by row, column 1 the next window to the right, and
# so on. Every output value is a dot product of the flattened kernel with one column, so **one**
# row-vector × matrix product gives the whole output: lesson 01's answer.

# %%
row = k_small.reshape(1, -1)  # (1, KH*KW) = [[1, 0, -1, 1]]
print(row @ cols_small)
print((row @ cols_small).reshape(3, 3))

# %% [markdown]
# ### Explore: one window, one column, one number
#
# Pick a window with the sliders. Its four numbers, read row by row, are one column of `cols` (blue, outlined,
# labelled): window $(i, j)$ is column $k = i \cdot W_{out} + j$, because the columns run over the output row
# by row. The kernel, flattened to the weights `w` (beside the matrix), times that one column gives the one
# output value `out[i, j]`, the same number lesson 01 computed by sliding the window. The equation on top
# writes the dot product out. Here is window (1, 2):

# %% tags=["presentation-hide"]
show(im2col_view(row=1, col=2))

# %% tags=["nbval-ignore-output"]
im2col_widget(row=1, col=2)

# %% [markdown]
# Things to try: which windows contain `x[1, 1]` (the 1 in the second row), and in which row of each of their
# columns does it appear? (Every pixel is copied once per window that contains it: that is why the matrix is
# up to $K_H K_W$ times bigger than the input, see below; here only $36/16 = 2.25$ times, because the border
# pixels lie in fewer windows, a share that shrinks as the image grows.) Which windows give the largest
# output, 4, and why, looking at the weights?

# %% [markdown]
# With many filters and channels it is the same picture: stack the flattened filters as the rows of a
# $(C_{out}, C \cdot K_H K_W)$ matrix and multiply by the $(C \cdot K_H K_W, N \cdot H_{out} W_{out})$ columns.

# %%
def conv_im2col(x, W, b):
    N, C, H, W_in = x.shape
    F, _, KH, KW = W.shape
    H_out, W_out = H - KH + 1, W_in - KW + 1
    cols = im2col(x, KH, KW)  # (C*KH*KW, N*H_out*W_out): one column per window
    out = W.reshape(F, -1) @ cols + b[:, None]  # (F, N*H_out*W_out): every dot product at once
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)  # (N, F, H_out, W_out)


out_im2col = conv_im2col(x, W, b)
print("cols:", im2col(x, 3, 3).shape, " W as rows:", W.reshape(64, -1).shape, " out:", out_im2col.shape)

# %% [markdown]
# ### Check: the same numbers
#
# All three, and the library's `conv2d` (which uses im2col), must agree. In float32, sums done in a different
# order differ in the last bits, so we compare with a tolerance.

# %% tags=["nbval-ignore-output", "cpu-rounding"]
reference = conv2d(x, W, b)
for name, out in (("loops", out_loops), ("sliding windows", out_windows), ("im2col + matmul", out_im2col)):
    print(f"{name:<16} equal to cnnlib.functional.conv2d: {np.allclose(out, reference, atol=1e-4)}"
          f"   (largest difference {np.abs(out - reference).max():.1e})")

# %% [markdown]
# ### Timing them
#
# `time_call(f)` runs `f()` a few times and returns the median time. The loops are slow, so they run once.

# %% tags=["nbval-ignore-output", "rerun-ignore-output"]
times = {
    "loops": time_call(lambda: conv_loops(x, W, b), repeats=1, warmup=0),
    "sliding window + einsum": time_call(lambda: conv_windows(x, W, b), repeats=3),
    "im2col + matmul": time_call(lambda: conv_im2col(x, W, b), repeats=20),
    "cnnlib conv2d": time_call(lambda: conv2d(x, W, b), repeats=20),
}
print(f"{'implementation':<26}{'time':>12}{'speed-up over loops':>22}")
for name, t in times.items():
    print(f"{name:<26}{t * 1e3:>10.2f} ms{times['loops'] / t:>20,.0f}×")

# %% tags=["nbval-ignore-output"]
show(draw_timings(list(times), list(times.values()), title="the second conv layer on 8 images"))

# %% tags=["nbval-ignore-output", "rerun-ignore-output"]
speedup = times["loops"] / times["im2col + matmul"]
print(f"im2col + matmul is {speedup:,.0f} times faster than the loops on this machine, right now.")
per_image = times["im2col + matmul"] / 8
print(f"The loops would need {times['loops'] / 8 * 60_000 / 3600:.1f} hours for one forward pass of this layer\n"
      f"over 60,000 images; im2col needs {per_image * 60_000:.1f} seconds.")

# %% [markdown]
# Why such a difference, when all three do exactly the same multiply-adds?
#
# - **Loops**: every one of the 61,952 iterations goes through the Python interpreter and creates small
#   temporary arrays. The arithmetic is a tiny part of the time. (These loops already hand each window's dot
#   product to numpy, and take a fraction of an hour for one layer's forward pass over 60,000 images; the half
#   a day estimated at the start was for loops over single numbers, through the whole network, forward and
#   backward.)
# - **Sliding window + einsum**: no Python loop, but `einsum` (with its default `optimize=False`) walks the
#   strided windows element by element and cannot use the CPU's vector instructions well. (`optimize=True`
#   lets it do what im2col does: reshape into one BLAS matrix product.)
# - **im2col + matmul**: the copy is not free (about as long as the multiply here, benchmarks/README.md), but
#   it turns 61,952 small dot products into a single matrix multiply, which goes to BLAS (OpenBLAS here):
#   BLAS splits the work into blocks that fit in the CPU's caches, uses vector instructions that do 8 (AVX2)
#   or 16 (AVX-512, where the CPU has it) float32 multiply-adds at once, and uses every core. Matrix
#   multiplication is the most optimised operation in numerical computing; im2col turns convolution into it.

# %% [markdown]
# ## The backward pass: col2im
#
# In the forward pass, `out = W_rows @ cols`. The gradients of a matrix product are again matrix products:
#
# $$dW_{rows} = dout \cdot cols^T, \qquad dcols = W_{rows}^T \cdot dout$$
#
# `dcols` holds a gradient for every entry of every column, i.e. for every pixel *of every window*. A pixel
# that appears in several windows gets several contributions, and they must be **added up**: that is
# `col2im`, which puts each column back where its window came from and sums where windows overlap. On an
# all-ones input, `col2im(im2col(x))` counts how many windows cover each pixel:

# %%
ones = np.ones((1, 1, 4, 4))
coverage = col2im(im2col(ones, 2, 2), ones.shape, 2, 2)[0, 0]
print(coverage.astype(int))

# %%
fig = new_figure(4, 3.8)
draw_grid(fig.add_subplot(), coverage, title="windows covering each pixel\n(4×4 input, 2×2 kernel)")
show(fig)

# %% [markdown]
# The corners are in one window, the edges in two, the middle in four. So the middle pixels' gradients are
# sums of four terms. Written out, the backward pass is two matrix multiplies and a `col2im`:

# %%
dout = np.random.default_rng(1).standard_normal(out_im2col.shape).astype(np.float32)  # some upstream gradient
cols = im2col(x, 3, 3)  # (288, 968)
dout_rows = dout.transpose(1, 0, 2, 3).reshape(64, -1)  # (F, N*H_out*W_out), columns in the same order as cols
dW = (dout_rows @ cols.T).reshape(W.shape)  # (64, 32, 3, 3)
dcols = W.reshape(64, -1).T @ dout_rows  # (288, 968)
dx = col2im(dcols, x.shape, 3, 3)  # (8, 32, 13, 13)

_, cache = conv2d_forward_naive(x.astype(np.float64), W.astype(np.float64), b)
dx_loops, dW_loops, _ = conv2d_backward_naive(dout.astype(np.float64), cache)
print("dW equal to the loop version:", np.allclose(dW, dW_loops, atol=1e-3))
print("dx equal to the loop version:", np.allclose(dx, dx_loops, atol=1e-4))

# %% [markdown]
# The library's `conv2d_backward` does the same two matrix multiplies and `col2im` (plus stride, padding and
# dilation). Two refinements make it faster without changing the maths: it folds the bias into the matmul (a row
# of ones in `cols`, so the last column of `dW` is `db`), and when an image has fewer output pixels than a
# filter has weights (the second layer: $11 \cdot 11 = 121 < 288$) it orders the columns of `cols` and `dcols`
# with the batch last, so `im2col` copies and `col2im` adds longer rows at a time. The tests check it against the
# loops and against finite differences.

# %% tags=["nbval-ignore-output", "rerun-ignore-output"]
_, fast_cache = conv2d_forward(x, W, b)
_, naive_cache = conv2d_forward_naive(x, W, b)
t_fast = time_call(lambda: conv2d_backward(dout, fast_cache), repeats=10)
t_naive = time_call(lambda: conv2d_backward_naive(dout, naive_cache), repeats=1, warmup=0)
print(f"backward, loops: {t_naive * 1e3:.0f} ms   im2col: {t_fast * 1e3:.2f} ms   ({t_naive / t_fast:,.0f}× faster)")

# %% [markdown]
# ## The price: memory grows with $K^2$
#
# im2col copies every pixel once **per window that contains it**. With stride 1 a pixel is in about
# $K_H \times K_W$ windows, so the column matrix is about $K^2$ times larger than the input. For a batch of
# 64 inputs of 32 channels of 13×13 (the second layer's input), with `'same'` padding so the output stays 13×13:

# %%
N, C, H = 64, 32, 13
input_mb = N * C * H * H * 4 / 1e6  # float32: 4 bytes
print(f"input: {N}×{C}×{H}×{H} float32 = {input_mb:.2f} MB")
print(f"{'kernel':>8}{'cols shape':>22}{'cols MB':>10}{'× input':>9}")
for K in (1, 3, 5, 7, 11):
    shape = (C * K * K, N * H * H)
    mb = shape[0] * shape[1] * 4 / 1e6
    print(f"{K:>6}×{K:<2}{str(shape):>21}{mb:>10.1f}{mb / input_mb:>9.0f}")

# %% [markdown]
# The arithmetic is right: im2col of a padded batch really has that many bytes.

# %%
x_pad = np.zeros((N, C, H + 4, H + 4), dtype=np.float32)  # padding 2 on each side: 'same' for K = 5
print(im2col(x_pad, 5, 5).nbytes / 1e6, "MB for K = 5")

# %% [markdown]
# For our 3×3 kernels and small images that is fine (12.5 MB here with 'same' padding; 8.9 MB for the
# network's unpadded second layer). For large images and large kernels it is not. im2col + matrix product is
# the classic method (Caffe's, and PyTorch's fallback on the CPU); today's libraries mostly run direct or
# *implicit GEMM* kernels (GEMM being the usual name of a matrix product), which compute the same product
# without building the whole matrix (PyTorch on the CPU calls oneDNN's), and for some layers Winograd or FFT,
# which transform the problem instead.
#
# **Exercise.** What shape does `cols` have for the network's second conv as it trains: no padding, a batch of
# 64 inputs of 32 channels of 13×13, a 3×3 kernel? Answer with a tuple `(rows, columns)`. Stuck?
# `cols_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_cols_shape = None
cols_result = check_im2col_shape(my_cols_shape, batch=64, in_channels=32, size=13, kernel_size=3)
cols_result

# %%
print(check_im2col_shape((9, 900), batch=1, in_channels=3, size=32, kernel_size=3))  # a slip on another layer

# %% [markdown]
# ## Where a training step spends its time
#
# `profile_step` times every layer's forward and backward, the loss and the optimizer update during real
# training steps of the network of lessons 08 and 09, on a batch of 64 images.

# %%
x_train, y_train = load_fashion_mnist("train")
model = Sequential([
    Conv2D(1, 32, 3, seed=0), ReLU(), MaxPool2D(2),
    Conv2D(32, 64, 3, seed=1), ReLU(), MaxPool2D(2),
    Flatten(), Dense(1600, 128, seed=2), ReLU(), Dense(128, 10, seed=3),
])
rows = profile_step(model, CrossEntropy(), Adam(model), x_train[:64], y_train[:64], repeats=10)
print(len(rows), "parts timed")

# %% tags=["nbval-ignore-output", "rerun-ignore-output"]
for r in rows:
    print(f"{r.part:<48}{r.phase:<9}{r.ms:>7.2f} ms")
step_ms = sum(r.ms for r in rows)
conv_ms = sum(r.ms for r in rows if "Conv2D" in r.part)
print(f"\none step: {step_ms:.0f} ms, of which the two Conv2D layers {conv_ms:.0f} ms ({conv_ms / step_ms:.0%})")
print(f"an epoch is 938 steps of 64 images: about {938 * step_ms / 1e3:.0f} s")

# %% tags=["nbval-ignore-output"]
show(draw_profile(rows))

# %% [markdown]
# What to read in the profile:
#
# - The **convolutions** take the largest share, the second one (288-long dot products) most of all, and
#   its **backward** pass costs more than its forward: it computes both `dW` and `dx` (two matrix
#   multiplies plus `col2im`).
# - The first conv's backward is cheap: nothing needs the gradient with respect to the images, so `fit` turns
#   it off (`requires_input_grad = False`) and only `dW` is computed.
# - The first ReLU and max pool do almost no arithmetic, yet take a visible share: they read every one of the
#   32 × 26 × 26 = 21,632 values per image (the ReLU writes as many; the pool writes a quarter forward and all
#   of them backward), and moving memory costs time too.
# - Max pooling has no matrix product to lean on. `MaxPool2D` loops over the $K_H K_W$ offsets *inside* a
#   window, 4 for a 2×2 pool, and at each one takes the whole-array slice `x[:, :, kh::2, kw::2]`: one numpy
#   pass over every window at once, with `np.maximum` keeping the largest so far. Its backward pass sends each
#   window's gradient to the position that won. When the windows tile the map exactly (26×26 into 13×13) it
#   uses a faster two-pass route; the second pool (11×11, a row and a column left over) takes the general one.
#   Lesson 04 derived the loops; `cnnlib/functional/pooling.py` holds both fast routes.
# - The `Dense` layers are one matrix multiply each forward and two backward (`dW` and `dx`), and cheap here.
#
# With the step at about 20 ms on our machine (the profile above; yours will differ), an epoch over 60,000
# images takes well under a minute, and that is what makes the next two lessons possible.
#
# **Try it.** Time `conv_loops` and `conv_im2col` on the *first* layer (1 input channel, 32 filters, 28×28
# inputs). The dot products are only 9 long there: is the speed-up larger or smaller, and why? (Once you have
# tried: larger, several thousand times on our machine. Two reasons. A loop iteration costs about the same
# interpreter time whatever the length of its dot product, and the first layer has 2.8 times as many of them,
# 21,632 per image against 7,744: the loops get 2.8 times slower. And the first layer does 11.5 times fewer
# multiply-adds (194,688 per image against 2,230,272, the table at the top): im2col gets faster.)
