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
# # 04 · Pooling
#
# A convolution layer keeps the image size (or shrinks it a little) and usually adds channels. A **pooling
# layer** does the opposite: it keeps the channels and shrinks the image, by summarising each small window
# with one number. In this lesson you will:
#
# - compute max and average pooling by hand, derive the loop and check it against `cnnlib`;
# - see why a pooling layer has no learnable parameters;
# - pool lesson 03's edge map of a real photo, with sliders for the window and the stride;
# - shift the photo a few pixels and see why pooled features barely notice;
# - weigh the pros and cons.

# %%
import inspect

import numpy as np

from cnnlib.demos import compare_shift, pool_windows
from cnnlib.exercises.output_size import check_output_size
from cnnlib.exercises.pooling import check_pool_output
from cnnlib.functional import maxpool2d_forward_naive
from cnnlib.layers import AvgPool2D, Conv2D, MaxPool2D
from cnnlib.shapes import explain_conv_output_size
from cnnlib.viz import draw_pool_windows, show
from cnnlib.widgets import pooling_view, pooling_widget, shift_view, shift_widget

# %% [markdown]
# ## What pooling does
#
# Pooling slides a $k \times k$ window over each channel, like a convolution, but there is no kernel: each
# window is replaced by one summary number.
#
# - **Max pooling** keeps the largest value of the window:
#   $\quad y[i, j] = \max_{0 \le m, n < k} \; x[i S + m,\ j S + n]$
# - **Average pooling** keeps the mean:
#   $\quad y[i, j] = \frac{1}{k^2} \sum_{m=0}^{k-1} \sum_{n=0}^{k-1} x[i S + m,\ j S + n]$
#
# Each channel is pooled on its own, so the **depth stays the same**. The stride $S$ usually equals the
# window ($2 \times 2$ windows, stride 2), so the windows tile the map without overlapping and each side
# halves. The output size is the convolution's formula from lesson 02:
#
# $$H_{out} = \left\lfloor \frac{H + 2P - k}{S} \right\rfloor + 1$$

# %% [markdown]
# ## A small example you can check by hand
#
# Here is a $4 \times 4$ feature map. Max pooling with $2 \times 2$ windows and stride 2 cuts it into four
# windows (one colour and outline style each) and keeps the largest number of each, circled:

# %%
x = np.array([[1, 3, 2, 1],
              [4, 6, 5, 0],
              [3, 1, 2, 8],
              [0, 2, 7, 4]])
show(draw_pool_windows(pool_windows(x, kernel_size=2, pool="max")))

# %% [markdown]
# Average pooling uses the same windows and keeps their means. The top-left window holds 1, 3, 4 and 6, so
# its output is $(1 + 3 + 4 + 6)/4 = 3.5$:

# %%
show(draw_pool_windows(pool_windows(x, kernel_size=2, pool="average")))

# %% [markdown]
# **Exercise.** Max pooling with $2 \times 2$ windows and **stride 1**: the windows now overlap, and the
# output is $3 \times 3$. Write it down by hand, then run the cell.

# %% tags=["presentation-hide"]
my_pooled = None  # a 3×3 list of lists: [[a, b, c], [d, e, f], [g, h, i]]
pool_result = check_pool_output(my_pooled, x, "max", kernel_size=2, stride=1)
pool_result

# %% [markdown]
# The checker explains wrong answers. Three typical ones for the stride-2 max pooling above:

# %%
print(check_pool_output([[3.5, 2], [1.5, 5.25]], x, "max"))  # the means
print(check_pool_output([[1, 0], [0, 2]], x, "max"))  # the smallest values
print(check_pool_output([[6, 3], [5, 8]], x, "max"))  # rows and columns swapped

# %% [markdown]
# ## Derive: the loop
#
# Pooling as a loop: for every output position, cut out the window that starts at
# $(i \cdot S,\ j \cdot S)$ and reduce it with `np.max` or `np.mean`.

# %%
def pool2d(x, k, stride, mode="max"):
    """Max or average pooling of a 2-D x with k×k windows."""
    H_out = (x.shape[0] - k) // stride + 1
    W_out = (x.shape[1] - k) // stride + 1
    reduce = np.max if mode == "max" else np.mean
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[i * stride:i * stride + k, j * stride:j * stride + k]
            out[i, j] = reduce(window)
    return out


print("max:\n", pool2d(x, 2, 2, "max"))
print("average:\n", pool2d(x, 2, 2, "average"))

# %% [markdown]
# ## Check: against `cnnlib`
#
# `cnnlib`'s layers take a batch of images `(N, C, H, W)`, so we add two axes. We compare on the example and
# on a random $8 \times 8$ map with $3 \times 3$ windows and stride 2 (overlapping windows, and a last row
# and column that no window reaches: $\lfloor (8 - 3)/2 \rfloor + 1 = 3$ windows cover rows 0 to 6), and on the
# same map with $2 \times 2$ windows at stride 1 (every window overlaps its neighbours):

# %%
rng = np.random.default_rng(0)
x8 = rng.standard_normal((8, 8))
for k, s, data in [(2, 2, x), (3, 2, x8), (2, 1, x8)]:
    by_loop_max, by_loop_avg = pool2d(data, k, s, "max"), pool2d(data, k, s, "average")
    by_cnnlib_max = MaxPool2D(k, stride=s)(data[None, None])[0, 0]
    by_cnnlib_avg = AvgPool2D(k, stride=s)(data[None, None])[0, 0]
    print(f"{data.shape[0]}x{data.shape[1]} input, window {k}, stride {s}: output {by_cnnlib_max.shape},",
          "max matches:", np.allclose(by_loop_max, by_cnnlib_max),
          " average matches:", np.allclose(by_loop_avg, by_cnnlib_avg))

# %% [markdown]
# ### The course's code
#
# The from-scratch notes (the course's first document) pool with this function, copied as it is there:

# %%
def max_pooling(input, pool_size=2, stride=2):
    output_height = (input.shape[0] - pool_size) // stride + 1
    output_width = (input.shape[1] - pool_size) // stride + 1
    output_depth = input.shape[2]
    output = np.zeros((output_height, output_width, output_depth))

    # Perform max pooling
    for i in range(0, output_height):
        for j in range(0, output_width):
            for k in range(output_depth):
                region = input[i*stride:i*stride+pool_size, j*stride:j*stride+pool_size, k]
                output[i, j, k] = np.max(region)

    return output


maps = np.random.default_rng(1).standard_normal((13, 13, 4))  # one image, channels LAST: (H, W, C)
theirs = max_pooling(maps)  # (6, 6, 4)
ours = MaxPool2D(2)(maps.transpose(2, 0, 1)[None])[0].transpose(1, 2, 0)  # (H, W, C) -> (1, C, H, W) and back
print("the notes' max_pooling equals MaxPool2D:", theirs.shape, np.allclose(theirs, ours))

# %% [markdown]
# It is our loop with a third loop over the channels, and it is right. What it leaves out: it takes one image
# with the channels **last**, `(H, W, C)` (a 2-D map like `x` raises an `IndexError`; `cnnlib` takes a batch,
# `(N, C, H, W)`); it has no padding; and the notes name average pooling but give no code for it. Their claim
# that pooling keeps "the most important features" is loose: max pooling keeps the *largest* value of each
# window, which is the most important one only if the layers before made large mean important.
#
# ## Switch: `cnnlib` from here on
#
# `cnnlib`'s loop version is the same double loop inside two more, over images and channels. (It also
# supports padding, which for max pooling is $-\infty$, so that padding never wins.) Its first line checks the
# arguments (`pool_arguments`, the same checks as the fast version), and what it returns besides `out`, the
# cache, is kept for the backward pass (lesson 06).

# %%
print(inspect.getsource(maxpool2d_forward_naive))

# %% [markdown]
# Padding is at most half the window (`padding <= kernel_size // 2`, PyTorch's rule too), so that no window lies
# entirely in the padding: max pooling would output $-\infty$ there. The stride defaults to the window
# (`MaxPool2D(2)` is stride 2), as in PyTorch (`stride=None`) and Keras (`strides=None`). When two elements of a
# window tie for the maximum, `cnnlib`, like PyTorch, keeps the first in reading order (this decides which one
# gets the gradient, lesson 06).
#
# For average pooling the padding is zeros, and **the padded zeros count in the mean**: every window is
# divided by $K_H K_W$, however many of its cells are padding. That is PyTorch's default
# (`count_include_pad=True`), and `cnnlib` does the same. Keras' `AveragePooling2D(padding='same')` leaves the
# padded cells out of the mean instead. A $2 \times 2$ input of ones with padding 1 and
# $2 \times 2$ windows: each window holds one real 1 and three padded zeros, so its mean is
# $1/4 = 0.25$, not 1:

# %%
ones = np.ones((1, 1, 2, 2))  # (N, C, H, W)
print(AvgPool2D(2, stride=2, padding=1)(ones)[0, 0])

# %% [markdown]
# ### No learnable parameters
#
# A convolution learns its kernels. A pooling layer has nothing to learn: the rule "take the max" (or the
# mean) is fixed. Its only settings, the window, the stride and the padding, are chosen by you, not learned.

# %%
conv = Conv2D(32, 64, kernel_size=3)
pool = MaxPool2D(2)
print(f"{conv!r:<32} parameters: {conv.num_params():,}")
print(f"{pool!r:<32} parameters: {pool.num_params()}   params dict: {pool.params}")

# %% [markdown]
# ### The depth stays, the size shrinks
#
# On a batch of 8 feature maps with 32 channels, $2 \times 2$ pooling halves height and width and keeps
# all 32 channels. These are the theory notes' shapes: $30 \to 15$ and $13 \to 6$.

# %%
features = rng.standard_normal((8, 32, 30, 30))
print("(8, 32, 30, 30) ->", MaxPool2D(2)(features).shape)
print("(8, 64, 13, 13) ->", MaxPool2D(2)(rng.standard_normal((8, 64, 13, 13))).shape)
print(explain_conv_output_size(13, kernel_size=2, stride=2))

# %% [markdown]
# With 13 rows, the windows start at rows 0, 2, …, 10; a window at row 12 would stick out, so row 12 is
# never looked at. (PyTorch's `ceil_mode=True`, or Keras' `padding='same'`, would add a last, partial window:
# 7 outputs instead of 6.) **Exercise:** what is the output size for a $28 \times 28$ map, $3 \times 3$ windows,
# stride 2?

# %% tags=["presentation-hide"]
my_size = None
size_result = check_output_size(my_size, size=28, kernel_size=3, stride=2)
size_result

# %% [markdown]
# ## Pooling a real feature map
#
# Back to lesson 03's photo. Its Sobel-x edge map, after ReLU, is bright where the photo gets brighter to
# the right. Pooling it with $2 \times 2$ windows gives a map a quarter of the size that still shows every
# strong edge. On the right, a $12 \times 12$ zoom (the box on the edge map): light-blue lines are the windows, and the
# red-orange circles are the pixels max pooling kept.

# %% tags=["presentation-hide"]
view = pooling_view("max", kernel_size=2, stride=2)
show(view)

# %% [markdown]
# Now try it yourself. Things to look for:
#
# - **max vs average**: max keeps a thin bright edge at full strength; average mixes it with the dark
#   pixels around it, so thin edges fade;
# - **stride smaller than the window** (e.g. window 3, stride 1): windows overlap, and the same strong
#   pixel is kept by several windows (bigger circle);
# - **stride larger than the window**: some pixels are never looked at;
# - the **title** gives the output size with the numbers substituted.

# %% tags=["nbval-ignore-output"]
pooling_widget()

# %% [markdown]
# The pooled map is exactly what `MaxPool2D` computes:

# %%
fmap = view.layout.fmap
print("edge map:", fmap.shape, "  pooled:", view.pooled.shape)
print("same as MaxPool2D(2):", np.array_equal(view.pooled, MaxPool2D(2)(fmap[None, None])[0, 0]))

# %% [markdown]
# ## Robust to small shifts
#
# Move the photo one pixel to the right (the new left column repeats the old one, so the shift adds no edge of
# its own). To us it is the same picture, but the edge map has moved too, and
# its edges are only one or two pixels wide: compared pixel by pixel, the old and new maps overlap only in
# part (their similarity, measured below, is 0.6).
# After max pooling, each output is the strongest edge **anywhere in its window**, and a one-pixel shift
# keeps that edge in the same window about half the time: when it was in the window's left column.
#
# We measure how alike two maps are with their **similarity** (the correlation coefficient): 1 means the
# same pattern, 0 means unrelated.

# %% tags=["presentation-hide"]
show(shift_view(shift=1, kernel_size=2))

# %% [markdown]
# Move the **shift** slider, and try a larger pooling **window**:

# %% tags=["nbval-ignore-output"]
shift_widget()

# %% [markdown]
# The numbers, shift by shift:

# %%
rows = ["shift   edge maps   after 2x2 max pool"]
for shift in range(5):
    c = compare_shift(shift, kernel_size=2)
    rows.append(f"{shift:>3} px   {c.before:>9.2f}   {c.after:>18.2f}")
print("\n".join(rows))

# %% [markdown]
# A shift of one pixel lowers the similarity of the edge maps to 0.6, but of the pooled maps only to about
# 0.8. A shift is only partly absorbed, and less the larger it is: at 2 pixels the pooled maps are down to 0.44.
# Larger windows lose similarity more slowly (at 2 pixels: 0.64 with $3 \times 3$ windows, 0.71 with
# $4 \times 4$; move the window slider). So pooling makes a network **robust** to small shifts, not
# **invariant** to them, whatever the theory notes' "translation invariance" suggests: lesson 13 measures a
# whole network, where one pixel still changes some predictions.

# %% [markdown]
# ## Pros and cons
#
# **Less computation.** The next convolution reads a quarter of the positions ($15 \times 15 = 225$ instead of
# $30 \times 30 = 900$) and computes $13 \times 13 = 169$ outputs instead of $28 \times 28 = 784$: 4.6 times fewer
# multiply-adds. For the theory notes' second layer, `Conv2D(32, 64, 3)`:

# %%
def conv_multiply_adds(size, c_in=32, c_out=64, k=3):
    out = size - k + 1
    return out * out * c_out * c_in * k * k


print(f"on 30x30 (no pooling):   {conv_multiply_adds(30):>12,} multiply-adds per image")
print(f"on 15x15 (after 2x2 max): {conv_multiply_adds(15):>12,} multiply-adds per image")

# %% [markdown]
# **Larger receptive field.** The *receptive field* of an output pixel is the patch of the input it depends on
# (lesson 10 follows it through a whole network). After $2 \times 2$ pooling, each pixel of the smaller map summarises a
# $2 \times 2$ patch, so a $3 \times 3$ kernel on it covers a $6 \times 6$ patch of the map before pooling. Deeper
# layers see larger parts of the image.
#
# **Robust to small shifts**, as we just saw.
#
# **But the precise location is lost.** Max pooling reports *that* a strong value is in the window, not
# *where*. These two maps have their bright pixel in different corners of the same window, and pool to the
# same output:

# %%
a = np.zeros((2, 2))
b = np.zeros((2, 2))
a[0, 0] = 9
b[1, 1] = 9
print(a, "->", MaxPool2D(2)(a[None, None])[0, 0])
print(b, "->", MaxPool2D(2)(b[None, None])[0, 0])

# %% [markdown]
# For classification ("is there a shoe?") that is fine, even useful. For tasks that need exact positions
# (segmenting every pixel, finding keypoints) networks pool less, or bring the detail back later.
#
# ## Summary
#
# - Pooling summarises each $k \times k$ window of every channel by its **max** or its **mean**; the depth
#   stays the same.
# - Output size: $\lfloor (H + 2P - k)/S \rfloor + 1$; the usual $2 \times 2$, stride 2 halves each side.
# - **No learnable parameters.**
# - Pros: less computation, larger receptive fields, robustness to small shifts. Con: precise location is
#   lost.
#
# Next: [**`05_activations_and_batchnorm`**](05_activations_and_batchnorm.ipynb), the other layers between the convolutions.
