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
# # 11 · Transposed convolution: the backward pass as a layer
#
# A convolution with stride 2 halves an image. Segmentation networks, autoencoders and image generators also
# need the way back up: from a $7 \times 7$ map to $14 \times 14$, with weights that are learned. The layer
# that does it is the **transposed convolution** (PyTorch's `ConvTranspose2d`, Keras' `Conv2DTranspose`,
# often mis-named "deconvolution").
#
# You have already computed one. In lesson 06, the gradient $dx$ of a strided convolution spread a small
# `dout` back onto the larger input. A transposed convolution is exactly that computation, used forward.
#
# By the end you can compute one by hand as a sum of **stamps**, predict its output size (and say what
# `output_padding` is for), and explain the **checkerboard** pattern that upsampling networks are known for.

# %%
import numpy as np

from cnnlib import Sequential
from cnnlib.demos.conv_transpose import (conv_transpose_stamps, output_padding_table, overlap_map, stamp_equation,
                                         upsample_constant)
from cnnlib.demos.formatting import wrap_text
from cnnlib.exercises.conv_transpose import (check_conv_transpose_naive, check_output_padding,
                                             check_transpose_output_size)
from cnnlib.functional import conv2d, conv2d_backward, conv2d_forward, conv_transpose2d
from cnnlib.layers import Conv2D, ConvTranspose2D, ReLU
from cnnlib.shapes import conv_output_size, conv_transpose_output_size
from cnnlib.viz import show
from cnnlib.widgets import (conv_transpose_size_view, conv_transpose_size_widget, overlap_view, overlap_widget,
                            stamps_view)

# %% [markdown]
# ## Where we left off: lesson 06's $dx$ at stride 2
#
# Lesson 06's example: a $4 \times 4$ input, the $2 \times 2$ kernel $W$, stride 2, so a $2 \times 2$ output,
# and an upstream gradient `dout` chosen to be easy to follow. Its backward pass gives $dx$, the size of the
# input:

# %%
x = np.array([[1, 2, 3, 0],
              [0, 1, 2, 3],
              [3, 0, 1, 2],
              [2, 3, 0, 1]], dtype=float)
W = np.array([[1, 0],
              [-1, 1]], dtype=float)
dout = np.array([[1, 2],
                 [-1, 1]], dtype=float)
out, cache = conv2d_forward(x[None, None], W[None, None], stride=2)
dx, dW, db = conv2d_backward(dout[None, None], cache)
print("dx =\n", dx[0, 0])

# %% [markdown]
# Read it in blocks of $2 \times 2$. Output cell $(i, j)$ used the window that starts at $(2i, 2j)$, so its
# gradient goes back there, multiplied by the weights it met: **$dx$ is `dout[i, j]` $\cdot W$ placed at
# $(2i, 2j)$**. The top-left block is $1 \cdot W$, the top-right $2 \cdot W$, the bottom-left
# $-1 \cdot W$, the bottom-right $1 \cdot W$. Check one by hand: $dx[1, 2] = 2 \cdot W[1, 0] = -2$.
#
# Nothing in this recipe needs $x$: it takes a small array (here `dout`) and a kernel and makes a larger
# array. Used on its own, as a layer, it is the **transposed convolution**:
#
# - every input pixel $x[i, j]$ **stamps** the kernel, scaled by its value, onto the output with its
#   top-left corner at $(i \cdot S,\ j \cdot S)$;
# - where stamps overlap, they **add up**.
#
# ## Check: it is `conv_transpose2d` with the same $W$
#
# `cnnlib.functional.conv_transpose2d` takes the small array as its input. Its weights are
# `(C_in, C_out, KH, KW)`, as in PyTorch: the same array as the convolution's `(C_out, C_in, KH, KW)`,
# read the other way round (here both are 1).

# %%
up = conv_transpose2d(dout[None, None], W[None, None], stride=2)
print("conv_transpose2d(dout, W, stride=2) =\n", up[0, 0])
print("equal to lesson 06's dx:", np.array_equal(up, dx))
print("and the loop version gives the same:", np.array_equal(conv_transpose2d(dout[None, None], W[None, None],
                                                                              stride=2, impl="naive"), dx))

# %% [markdown]
# The name comes from linear algebra: a convolution is linear, so it multiplies the flattened input by a
# (large, sparse) matrix $C$; its backward pass multiplies `dout` by $C^\top$, and a transposed convolution
# is that multiplication by $C^\top$. `cnnlib` computes it the way its `conv2d_backward` computes $dx$: one matrix
# product, then `col2im` to add the stamps up.
#
# ## The stamps, one by one
#
# With a $2 \times 2$ kernel and stride 2 the stamps just tile the output. With lesson 06's $3 \times 3$
# kernel at stride 2 they **overlap**: row 2 and column 2 get contributions from two stamps (the centre
# cell from all four). `cnnlib.demos.conv_transpose.conv_transpose_stamps` lists them:

# %%
W3 = np.array([[1, 0, -1],
               [2, 1, 0],
               [0, -1, 1]], dtype=float)
stamps = conv_transpose_stamps(dout, W3, stride=2)
for k in range(len(stamps.steps)):
    print(stamp_equation(stamps, k, names=("dout", "W3")))
print("sum of the stamps =\n", stamps.canvas)
print("equals conv_transpose2d:", np.array_equal(stamps.canvas, conv_transpose2d(dout[None, None],
                                                                                   W3[None, None], stride=2)[0, 0]))

# %%
show(stamps_view(dout, W3, stride=2))

# %% [markdown]
# By hand: the centre cell $(2, 2)$ is the corner of all four stamps:
# $1 \cdot W_3[2,2] + 2 \cdot W_3[2,0] + (-1) \cdot W_3[0,2] + 1 \cdot W_3[0,0] = 1 + 0 + 1 + 1 = 3$.
#
# In lesson 06 this `dout` came from a $6 \times 6$ input, and $dx$ was $6 \times 6$ with a last row and
# column of zeros (no window had reached them). The stamps only make $5 \times 5$. We come back to that
# missing row below: it is what `output_padding` is for.

# %% [markdown]
# ## Use: the layer, as learned upsampling
#
# `cnnlib.layers.ConvTranspose2D(in_channels, out_channels, kernel_size, stride=1, padding=0,
# output_padding=0, dilation=1, bias=True)` has the argument names and the arithmetic of PyTorch's
# `nn.ConvTranspose2d` (pass `dilation` by name: PyTorch's seventh argument is `groups`). With a
# $2 \times 2$ kernel and stride 2, every pixel becomes a $2 \times 2$ block: a $2 \times 2$ image becomes
# $4 \times 4$. With all weights 1 that is plain nearest-neighbour upsampling; a trained layer learns a better
# block, one kernel for the whole image, scaled by each pixel's value.

# %%
layer = ConvTranspose2D(1, 1, kernel_size=2, stride=2, bias=False, dtype=np.float64, seed=0)
layer.params["W"][:] = 1.0  # every pixel copied into its 2×2 block
small = np.array([[1.0, 2.0],
                  [3.0, 4.0]])
print(layer, "-> weights all 1:\n", layer(small[None, None])[0, 0])
layer.params["W"][0, 0] = [[1.0, 0.5],
                           [0.5, 0.25]]  # a block that fades to the bottom right
print("weights [[1, 0.5], [0.5, 0.25]]:\n", layer(small[None, None])[0, 0])

# %% [markdown]
# With several channels, every input channel has one kernel per output channel, and the stamps of all
# input channels add up in each output channel. A typical decoder doubles the size at each step with
# `kernel_size=4, stride=2, padding=1` (the choice of PyTorch's example of DCGAN, a network that generates images
# from random numbers, Radford et al. 2015; we will see why below), halving
# the channels (the last step goes to the image's own channels). Its parameter count is
# $C_{in} \cdot C_{out} \cdot K^2 + C_{out}$, as for a convolution:

# %%
decoder = Sequential([
    ConvTranspose2D(64, 32, kernel_size=4, stride=2, padding=1, seed=0), ReLU(),
    ConvTranspose2D(32, 1, kernel_size=4, stride=2, padding=1, seed=1),
])
print(decoder.summary((64, 7, 7)))
codes = np.random.default_rng(0).standard_normal((8, 64, 7, 7)).astype(np.float32)
print("a batch of 8 codes (8, 64, 7, 7) ->", decoder(codes).shape)

# %% [markdown]
# And the other way round: the **backward** pass of a transposed convolution is a **convolution**. The
# gradient of a stamp's input pixel collects the upstream gradient `g` over the $K \times K$ window it was
# stamped on, weighted by the kernel: a convolution of `g` with the same $W$, at the same stride $S$ (and
# padding $P$). Below, lesson 06's `dout` is the layer's *input*:

# %%
up3 = ConvTranspose2D(1, 1, kernel_size=3, stride=2, bias=False, dtype=np.float64, seed=0)
up3.params["W"][0, 0] = W3
y = up3(dout[None, None])  # (1, 1, 5, 5)
g = np.random.default_rng(1).standard_normal(y.shape)
print("ConvTranspose2D.backward(g) equals conv2d(g, W, stride=2):",
      np.allclose(up3.backward(g), conv2d(g, W3[None, None], stride=2)))

# %% [markdown]
# ## The output size
#
# **Derive.** Along one axis, $H$ stamps start at $0, S, 2S, \dots, (H - 1)S$. The last one covers
# $K_{eff} = D(K - 1) + 1$ cells (with dilation $D$, as in lesson 02), so the stamps span
# $(H - 1)S + D(K - 1) + 1$ cells. `output_padding` first adds $P_{out}$ zero cells after them (at the
# bottom/right), then `padding` **cuts** $P$ cells from each end (it undoes the padding of the convolution this
# layer transposes). With $P \ge P_{out}$ the end's cut takes those zeros instead of stamped cells:
#
# $$H_{out} = (H - 1)\,S - 2P + D\,(K - 1) + P_{out} + 1$$

# %%
def transpose_output_size(H, K, S=1, P=0, P_out=0, D=1):
    return (H - 1) * S - 2 * P + D * (K - 1) + P_out + 1


print("4 -> K=3, S=2, P=1, output_padding=1 ->", transpose_output_size(4, 3, S=2, P=1, P_out=1))

# %% [markdown]
# **Check** it against `cnnlib.shapes.conv_transpose_output_size` on every setting the widget below allows,
# and against a real layer's output on a random sample of them. `cnnlib` refuses the settings with no output
# left, and an `output_padding` that is smaller than neither the stride nor the dilation:

# %%
total, agree, refused, rng = 0, 0, 0, np.random.default_rng(0)
for H in range(1, 9):
    for K in range(1, 6):
        for S in range(1, 5):
            for P in range(0, 4):
                for P_out in range(0, 4):
                    for D in range(1, 4):
                        total += 1
                        try:
                            expected = conv_transpose_output_size(H, K, S, P, P_out, D)
                        except ValueError:
                            refused += 1
                            continue
                        agree += transpose_output_size(H, K, S, P, P_out, D) == expected
                        if rng.random() < 0.02:  # and a real layer, on a sample of the settings
                            lay = ConvTranspose2D(1, 1, K, S, P, P_out, dilation=D, seed=0)
                            assert lay(np.zeros((1, 1, H, H))).shape[2:] == (expected, expected)
print(f"{total} settings: {agree} agree, {total - agree - refused} disagree, {refused} refused by cnnlib")

# %% [markdown]
# **Use.** The widget draws one axis: the input pixels spread $S$ apart, a bar per stamp (its dots are the
# kernel's taps, $D$ apart), the canvas they cover (every stamp added up, before any padding is cut) with the
# `output_padding` cells after them (zeros, marked 0), what the padding cuts at each end (hatched) and the
# output. The formula with your numbers is at the top. Its starting state:

# %% tags=["presentation-hide"]
show(conv_transpose_size_view(size=4, kernel_size=3, stride=2, padding=1, output_padding=1))

# %% [markdown]
# Things to try:
#
# - kernel 2, stride 2, padding 0, output_padding 0: the stamps tile the canvas, $H_{out} = 2H$;
# - kernel 1 with stride 3: stamps with gaps between them (dotted cells marked 0: zeros);
# - padding 3 on a small input: too much is cut (the whole canvas is hatched), and the figure says why under a ✗;
# - output_padding 2 at stride 2 (dilation 1): refused; the figure gives PyTorch's rule under a ✗ (the next
#   section says why).

# %% tags=["nbval-ignore-output"]
conv_transpose_size_widget(size=4, kernel_size=3, stride=2, padding=1, output_padding=1)

# %% [markdown]
# ## `output_padding`: which size comes back?
#
# A transposed convolution is meant to undo the **shape** change of a convolution with the same
# $K, S, P, D$. But a strided convolution rounds down (lesson 02), so it maps several input sizes to the same
# output size. With $K = 3$, $S = 2$, $P = 1$:
#
# $$\lfloor (7 + 2 - 3)/2 \rfloor + 1 = 4 \qquad \lfloor (8 + 2 - 3)/2 \rfloor + 1 = 4$$
#
# Going back from 4, should the result be 7 or 8? The formula gives $(4 - 1) \cdot 2 - 2 + 2 + 1 = 7$, and
# **`output_padding` adds the missing rows** at the bottom (and columns at the right) to get 8. It adds them
# to the canvas *before* the padding is cut: its zero row is what the padding then cuts at the bottom, so the
# last stamped row stays.

# %%
for row in output_padding_table(4, kernel_size=3, stride=2, padding=1):
    print(f"Conv2D(K=3, S=2, P=1) maps {row.conv_input} -> {row.conv_output};"
          f"  ConvTranspose2D(K=3, S=2, P=1, output_padding={row.output_padding}) maps 4 -> {row.transposed}")

# %% [markdown]
# At stride $S$ at most $S$ sizes share an output, so a useful `output_padding` is always smaller than $S$:
# any more, and a convolution with the same settings would no longer map the result back to the input's size.
# PyTorch refuses an `output_padding` that is smaller than neither the stride nor the dilation when the layer
# is run (`nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2)` builds, and its first call raises); `cnnlib`
# refuses it already when the layer is built.
# (One smaller than the dilation only is accepted, though the convolution then does not map the result back
# either: keep it below the stride.)

# %%
try:
    ConvTranspose2D(1, 1, 3, stride=2, padding=1, output_padding=2)
except ValueError as err:
    print(wrap_text(str(err)))

# %% [markdown]
# Back to lesson 06. Its $6 \times 6$ input gave a $2 \times 2$ output with $K = 3$, $S = 2$, $P = 0$, and so
# does a $5 \times 5$ input. The stamps made $5 \times 5$; `output_padding=1` makes the $6 \times 6$ $dx$, with
# the zero row and column that lesson 06 added by hand ("zeros at the bottom and right too"):

# %%
x6 = np.arange(36, dtype=float).reshape(6, 6) % 5  # lesson 06's example
out6, cache6 = conv2d_forward(x6[None, None], W3[None, None], stride=2)
dx6, _, _ = conv2d_backward(dout[None, None], cache6)
print("conv of 5x5 and of 6x6:", conv_output_size(5, 3, 2), conv_output_size(6, 3, 2))
up6 = conv_transpose2d(dout[None, None], W3[None, None], stride=2, output_padding=1)
print("conv_transpose2d(..., output_padding=1) is", up6.shape[2:], "and equals lesson 06's dx:",
      np.array_equal(up6, dx6))

# %% [markdown]
# ## The checkerboard artefact
#
# Count how many stamps land on each output pixel. With $K = 3$ and $S = 2$, the stamps overlap by one
# cell: along a row, the cells alternate between one stamp and two, and in 2-D between 1, 2 and 4. With
# $K = 4$ and $S = 2$, every cell away from the border lies under exactly two stamps per axis, four in all.
# The rule: the overlap is **even when $S$ divides $K$**, uneven otherwise.

# %%
show(overlap_view(kernel_size=3, stride=2))

# %%
show(overlap_view(kernel_size=4, stride=2))

# %% [markdown]
# The right-hand picture is what this means for an image. An $8 \times 8$ image of constant brightness,
# upsampled with weights that are all equal (each $1/\lceil K/S \rceil^2$, here $1/4$, so that the pixels under the
# most stamps come out at 1): with $K = 3$ it
# comes out as a **checkerboard**, with $K = 4$ uniform inside (only the border is darker). A trained
# network can learn weights that hide the unevenness, but it has to work against the layer to do so, and in
# practice the pattern shows up in generated images: Odena, Dumoulin and Olah, *Deconvolution and
# Checkerboard Artifacts*, Distill 2016 (https://distill.pub/2016/deconv-checkerboard/).
#
# The rule, checked on every kernel from 1 to 8 and stride from 1 to 4 (`x`: uneven inside):

# %%
print("      " + "".join(f"K={K:<3}" for K in range(1, 9)))
for S in range(1, 5):
    marks = ["x" if overlap_map(10, K, S).uneven else "." for K in range(1, 9)]  # a 10×10 input
    agree_rule = all((m == "x") == (K % S != 0) for K, m in zip(range(1, 9), marks))
    print(f"S={S}   " + "".join(f"{m:<5}" for m in marks), "  uneven exactly when K % S != 0:", agree_rule)

# %% [markdown]
# The widget: a kernel size and a stride. It starts at kernel 5, stride 3 (uneven). Try kernel 3 with
# stride 3 (even), kernel 4 with stride 3 (uneven), and a kernel smaller than the stride (holes).

# %% tags=["presentation-hide"]
show(overlap_view(kernel_size=5, stride=3))

# %% tags=["nbval-ignore-output"]
overlap_widget(kernel_size=5, stride=3)

# %% [markdown]
# ### How practitioners avoid it
#
# 1. **A kernel divisible by the stride**: `kernel_size=4, stride=2, padding=1` (PyTorch's DCGAN example
#    and many decoders; the DCGAN paper's own code used 5×5 kernels at stride 2, the uneven case)
#    doubles the size exactly, and the stamps overlap evenly. That reduces the artefact but does not rule it
#    out: trained weights can still differ from stamp to stamp (Odena et al. found such networks still
#    produce checkerboards).
# 2. **Resize, then convolve** (Odena et al.'s recommendation): upsample with a fixed rule (nearest
#    neighbour: copy each pixel into an S×S block, the variant they found to work best; or bilinear: blend
#    the four nearest pixels, weighted by their distance), then apply an ordinary `Conv2D` with
#    `padding='same'`. Every output pixel then sees the same number of weights, whatever the kernel.
#
# The second, on the constant image, with a $3 \times 3$ kernel of equal weights: uniform inside.

# %%
constant = np.ones((8, 8))
nearest = constant.repeat(2, axis=0).repeat(2, axis=1)  # (16, 16): every pixel a 2×2 block
smooth = Conv2D(1, 1, 3, padding="same", bias=False, dtype=np.float64, seed=0)
smooth.params["W"][:] = 1 / 9
resized = smooth(nearest[None, None])[0, 0]
checker = upsample_constant(8, kernel_size=3, stride=2)
print("transposed conv K=3, S=2: values inside", np.unique(checker[2:-2, 2:-2]).round(2))
print("resize + 3x3 conv:        values inside", np.unique(resized[1:-1, 1:-1]).round(2))

# %% [markdown]
# ## Compare with PyTorch
#
# If PyTorch is installed, this cell runs the same layer in both libraries, with the same weights, on a
# random batch, for a few settings. (`cnnlib`'s own tests do the same for many more.)

# %% tags=["nbval-ignore-output"]
try:
    import torch
except ImportError:
    print("PyTorch is not installed: skipped (cnnlib's tests compare with it when it is).")
else:
    rng = np.random.default_rng(0)
    for settings in [dict(stride=2, padding=1, output_padding=1), dict(stride=3, dilation=2),
                     dict(stride=2, padding=1)]:
        ours = ConvTranspose2D(3, 2, kernel_size=3, dtype=np.float64, seed=0, **settings)
        theirs = torch.nn.ConvTranspose2d(3, 2, kernel_size=3, dtype=torch.float64, **settings)
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(ours.params["W"]))  # the same (C_in, C_out, KH, KW) layout
            theirs.bias.copy_(torch.from_numpy(ours.params["b"]))
        batch = rng.standard_normal((2, 3, 5, 4))
        diff = np.abs(ours(batch) - theirs(torch.from_numpy(batch)).detach().numpy()).max()
        print(f"{settings}: max |difference| < 1e-6: {diff < 1e-6}")

# %% [markdown]
# ## Exercises
#
# **1. Output sizes.** Predict $H_{out}$ for each setting, write your answers in place of the `None`s and
# run the cell. The checker names a wrong answer's likely slip. Stuck on one? `results[0].hint(1)` (then
# `.hint(2)`, `.hint(3)`) for the first setting, `results[1]` for the second, and so on.

# %%
settings = [
    dict(size=7, kernel_size=2, stride=2),
    dict(size=5, kernel_size=3, stride=2, padding=1),
    dict(size=5, kernel_size=3, stride=2, padding=1, output_padding=1),
    dict(size=4, kernel_size=4, stride=2, padding=1),
]
my_answers = [None, None, None, None]

results = [check_transpose_output_size(answer, **setting) for answer, setting in zip(my_answers, settings)]
for result in results:
    print(result)

# %% [markdown]
# What the checker says to some typical slips (each line a different slip, on settings other than yours):

# %%
print(check_transpose_output_size(7, 6, 3, stride=2, padding=1, output_padding=1))  # stamps 1 apart
print(check_transpose_output_size(16, 6, 3, stride=2, padding=1, output_padding=1))  # padding added
print(check_transpose_output_size(19, 5, 3, stride=3, padding=0, output_padding=2))  # output_padding twice

# %% [markdown]
# **2. The loops.** Write `conv_transpose_naive(x, w, stride)` for one channel, no padding: an array of
# zeros of the right size, then every input pixel adds its stamp `x[i, j] * w` at `(i * stride, j * stride)`.
# Loops only: a call to `cnnlib`'s transposed convolution would give the right numbers, and the check flags it.

# %% tags=["presentation-hide"]
def conv_transpose_naive(x, w, stride):
    """Transposed convolution of x (H, W) with w (KH, KW), no padding: every pixel stamps x[i, j] * w."""
    H, W = x.shape
    KH, KW = w.shape
    # your code: the output size, an array of zeros, then a double loop over the input pixels
    ...


# %% [markdown]
# `check_conv_transpose_naive` compares your function with `cnnlib` at stride 1 and 2 and on a non-square
# kernel. Stuck? `loops_result.hint(1)`, `.hint(2)`, `.hint(3)`, then `loops_result.solution()`.

# %% tags=["presentation-hide"]
loops_result = check_conv_transpose_naive(conv_transpose_naive)
loops_result

# %% [markdown]
# A version that forgets `* stride` (written with `cnnlib`'s own op, so it does not depend on yours) gets a
# diagnosis:

# %%
def stamps_one_apart(x, w, stride):
    right_size = conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]
    out = np.zeros_like(right_size)
    stride_one = conv_transpose2d(x[None, None], w[None, None], stride=1)[0, 0]  # the stamps at (i, j)
    out[: stride_one.shape[0], : stride_one.shape[1]] = stride_one
    return out


check_conv_transpose_naive(stamps_one_apart)

# %% [markdown]
# **3. Choose `output_padding`.** A decoder must turn a $4 \times 4$ map into $14 \times 14$ with
# `ConvTranspose2D(..., kernel_size=3, stride=3, padding=0)`. Which `output_padding`? Stuck?
# `output_padding_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_output_padding = None
output_padding_result = check_output_padding(my_output_padding, 4, 3, stride=3, padding=0, target=14)
output_padding_result

# %%
print(check_output_padding(5, 5, 3, stride=2, padding=0, target=12))  # a slip on another decoder: no stride

# %% [markdown]
# ## Summary
#
# - A transposed convolution is the backward pass of a convolution (its $dx$), used as a layer: every input
#   pixel stamps $x[i, j] \cdot W$ at $(iS,\ jS)$ and overlapping stamps add up. Its own backward pass is a
#   convolution.
# - $H_{out} = (H - 1)S - 2P + D(K - 1) + P_{out} + 1$: `output_padding` adds rows at the bottom/right of the
#   canvas, then the padding is **cut** from each side.
# - A strided convolution maps up to $S$ sizes to one; `output_padding` $< S$ picks which one comes back.
# - When $S$ does not divide $K$, the stamps overlap unevenly: a checkerboard. $K$ divisible by $S$ makes it
#   rarer; resizing, then convolving, avoids it.
#
# `cnnlib`'s loop version, with batches, channels, padding and dilation, is
# `cnnlib.functional.conv_transpose_naive.conv_transpose2d_forward_naive`: your double loop inside two more.
