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
# # 03 · Filters and feature maps
#
# Before networks learned their kernels, image processing used hand-made ones: blur, sharpen, edge
# detectors. They are the best way to see what a convolution *does*, and some of the kernels a trained CNN's
# first layer learns look like them (lesson 09 looks). In this lesson you:
#
# - filter a real photograph with the classic 3×3 kernels, using `cnnlib`'s `Conv2D`;
# - change the kernel, stride and padding live and watch the feature map;
# - meet the RGB filter ($3 \times 3 \times 3$), a bank of filters, and ReLU on feature maps.

# %%
import numpy as np

from cnnlib.datasets.images import LUMA, load_sample_image
from cnnlib.demos.formatting import wrap_text
from cnnlib.exercises.kernels import check_shift_kernel
from cnnlib.exercises.output_size import check_output_size
from cnnlib.image_filters import ALL_KERNEL_NAMES, DESCRIPTIONS, KERNEL_NAMES, get_kernel, kernel_bank
from cnnlib.layers import Conv2D, ReLU
from cnnlib.viz import draw_feature_maps, draw_images, draw_rgb_filter, show
from cnnlib.widgets import filter_view, filter_widget

# %% [markdown]
# ## A real photograph
#
# The photo is the official U.S. Navy portrait of Commodore **Grace Hopper** (photograph by James S. Davis,
# 1984), a pioneer of programming languages. As a work of the U.S. federal government it is in the public
# domain, and matplotlib ships it as sample data, so nothing needs downloading.
#
# `load_sample_image` returns floats in $[0, 1]$, stored (height, width, channels). We average $4 \times 4$
# pixel blocks (`downsample=4`) so that every filter below runs instantly.

# %%
photo = load_sample_image()  # full size, RGB
rgb = load_sample_image(downsample=4)
gray = load_sample_image(gray=True, downsample=4)  # 0.299 R + 0.587 G + 0.114 B
print("full size:", photo.shape, photo.dtype, f" values from {photo.min():.1f} to {photo.max():.1f}")
print("RGB:", rgb.shape, "  gray:", gray.shape)

# %%
show(draw_images([rgb, gray], ["RGB", "gray"]))

# %% [markdown]
# ## The classic kernels
#
# Seven classic $3 \times 3$ kernels, each with a job, and two more (`brighten`, `darken`) to make one point:

# %%
for name in ALL_KERNEL_NAMES:
    print(f"{name:<10} sum {get_kernel(name).sum():>4.1f}   {DESCRIPTIONS[name]}")

# %% [markdown]
# The **sum** of the weights tells you what happens on a flat, uniform patch of the image: every pixel under
# the kernel has the same brightness $b$, so the output is $b \times$ (sum of the weights).
#
# - sum 1 (identity, blurs, sharpen): the output keeps the brightness.
# - sum 2 (brighten): twice as bright; sum 0.5 (darken): half as bright.
# - sum 0 (Sobel, Laplacian): a flat patch gives **0**; only changes in brightness (edges) respond, with a
#   sign: positive or negative. (The Laplacian also gives 0 on a steady ramp of brightness: it responds to
#   *changes* of the slope, such as the two sides of a thin line.)
#
# ## Seeing brightness needs a fixed colour scale
#
# To compare brightness, every map must be drawn on the **same colour scale**. Below, the *fixed* scale:
# gray from 0 (black) to 1 (white), exactly like the photo (values above 1 are drawn white; the arrow on the
# colour bar says so), and for the maps of sum-0 kernels, whose values are signed, $-1 \ldots +1$, blue below
# 0, white at 0, red above. A kernel of sum 1 stays on gray 0 … 1 even where its map dips below 0 (sharpen's
# does, below: those pixels are drawn black, and an arrow at the bottom of the colour bar says so). Each map's
# title and colour bar give its limits.
#
# The four kernels go into one `Conv2D` as in lesson 01: its weights `W` are `(C_out, C_in, KH, KW)`, here
# `(4, 1, 3, 3)`, and it takes a batch `(N, C, H, W)`, so the gray photo becomes `gray[None, None]`,
# `(1, 1, 150, 128)`.

# %%
demo_names = ["identity", "brighten", "darken", "sobel_x"]
demo_conv = Conv2D(1, len(demo_names), kernel_size=3, padding=1, bias=False)
demo_conv.params["W"][...] = kernel_bank(demo_names)  # (4, 1, 3, 3)
demo_maps = demo_conv(gray[None, None])[0]  # (4, 150, 128)
show(draw_feature_maps(demo_maps, demo_names, demo_conv.params["W"][:, 0], ncols=2, scale="fixed",
                       suptitle="fixed colour scale: the weights' sum shows as brightness"))
for name, m in zip(demo_names, demo_maps):
    print(f"{name:<9} weights sum {get_kernel(name).sum():>3.1f}   mean of the map {m.mean():5.2f}"
          f"   (the photo's mean is {gray.mean():.2f})")
print(f"brighten: {np.mean(demo_maps[1] > 1):.0%} of its pixels are above 1")

# %% [markdown]
# The numbers match the pictures: `brighten` (sum 2) doubles the mean brightness and 28% of its pixels
# go past 1 (drawn white), `darken` (sum 0.5) halves it, and `sobel_x` (sum 0) averages about 0: white
# everywhere the photo is flat, colour only at the edges.
#
# Now the same four maps, each **stretched** to its own range (what many image viewers do): black at 0, white
# at the map's own maximum; a signed map (`sobel_x`) runs from blue to red at ± its 98th percentile of $|x|$,
# so that a few extreme pixels do not wash out the rest. Each title gives the limits.

# %%
show(draw_feature_maps(demo_maps, demo_names, demo_conv.params["W"][:, 0], ncols=2, scale="stretched",
                       suptitle="stretched colour scale: every map fills its own range"))

# %% [markdown]
# `identity`, `brighten` and `darken` now look **identical**: stretching divides the brightness back out, so
# only the colour bars (0 … 1, 0 … 2, 0 … 0.5) still tell them apart. Stretching has its use: it shows the
# detail of a faint map. But to see what the sum of the weights does, use the fixed scale.

# %% [markdown]
# ## Derive, check, switch
#
# **Derive**: lesson 01's double loop works on a photo too (with zero padding of 1, so the size is kept). It
# is a cross-correlation (lesson 01): the kernel is *not* flipped, like `Conv2D`. That matters for the signs
# below: "right minus left" is Sobel x applied this way; a true convolution (`scipy.signal.convolve2d`, say)
# flips the kernel and gives exactly the negative map. (The course's from-scratch notes call their `*` a
# convolution, and the theory notes' "2D Convolution Equation" is a cross-correlation: lesson 01 sorts this
# out.)

# %%
def corr2d(x, k):
    KH, KW = k.shape
    out = np.zeros((x.shape[0] - KH + 1, x.shape[1] - KW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + KH, j:j + KW] * k)
    return out


edges_by_hand = corr2d(np.pad(gray, 1), get_kernel("sobel_x"))
edges_by_hand.shape

# %% [markdown]
# **Check** with `cnnlib`'s `Conv2D`: one input channel, one filter, no bias, and its weights set to the
# kernel. `W` has shape $(C_{out}, C_{in}, K_H, K_W) = (1, 1, 3, 3)$, and the layer wants a batch of
# images $(N, C, H, W)$:

# %%
conv = Conv2D(in_channels=1, out_channels=1, kernel_size=3, padding=1, bias=False)
conv.params["W"][0, 0] = get_kernel("sobel_x")
edges = conv(gray[None, None])[0, 0]  # (1, 1, 150, 128) -> (150, 128)
print("same feature map:", np.allclose(edges, edges_by_hand, atol=1e-5))

# %% [markdown]
# **Switch**: from now on `Conv2D` does the work. Input, kernel and feature map side by side:

# %% tags=["presentation-hide"]
show(filter_view("sobel_x", stride=1, padding=1))  # the widget below starts here

# %% [markdown]
# Sobel x is positive (red) where the image gets brighter to the right and negative (blue) where it gets
# darker (on the fixed scale $-1 \ldots +1$: the arrows on the colour bar mark the strongest edges, beyond
# $\pm 1$): the vertical edges of the flag stripes, the collar, the face. The red line down the left border
# and the blue one down the right border are made by the padding: the image is not black there (dark on the
# left where the flag is, a grey-blue backdrop on the right), and the zeros added beyond it look like a sudden
# rise from black (left) or drop to black (right), edges that are not in the photo. The line is strongest
# where the border is brightest.
#
# ## The filter widget
#
# Pick a kernel from the menu, **or type your own numbers** in the 3×3 boxes (the menu switches to
# *custom*). The sliders set stride and padding; the title gives the feature map's size, and the picture
# shrinks with it. Tick ReLU to keep only the positive responses. The buttons at the bottom set the **colour
# scale**: *fixed* (the default, the same limits for every kernel) or *per map (stretched)*.

# %% tags=["nbval-ignore-output"]
filter_widget()

# %% [markdown]
# Things to try:
#
# - With the **fixed** scale, step through `identity` (sum 1), `brighten` (sum 2: brighter, with white
#   patches where values pass 1) and `sobel_x` (sum 0: white except at the edges). The message under the
#   picture gives the weights' sum and the map's mean value. Then press **per map (stretched)** and step
#   through them again: `identity` and `brighten` look the same, only the colour bar's top changes (1 → 2).
# - Type your own weights, starting from `identity`: put 3 in the centre (sum 3), or set the centre to 0 and
#   0.25 in all four corners (sum 1: a blur).
# - `gaussian` then `sharpen` (roughly opposite effects); `sobel_y` (horizontal edges); stride 2 and 3 (the map shrinks,
#   detail is lost); a kernel of all zeros except one `1` off-centre (the image shifts by one pixel).

# %% [markdown]
# **Exercise.** The last of those tries moves the picture. Write the 3×3 kernel that moves the photo **one
# pixel to the right** under `Conv2D(..., padding=1)`, as in the widget: a list of 3 rows of 3 numbers. Remember
# from "Derive, check, switch": `Conv2D` does not flip the kernel. The check below runs your kernel on a
# test image and says which way it moves the picture (a one-pixel move is hard to see on the photo).

# %% tags=["presentation-hide"]
my_kernel = None
kernel_result = check_shift_kernel(my_kernel, direction="right")
kernel_result

# %% [markdown]
# ## Stride and padding on a photo
#
# The output-size formula from lesson 02 holds for every layer:

# %%
for stride, padding in [(1, 0), (1, 1), (1, "same"), (2, 1), (3, 0)]:
    layer = Conv2D(1, 1, kernel_size=3, stride=stride, padding=padding, bias=False)
    out = layer(gray[None, None])
    print(f"stride {stride}, padding {padding!r:>6}:  {gray.shape} -> {out.shape[2:]}")

# %% [markdown]
# **Exercise.** What height does `Conv2D(1, 8, kernel_size=11, stride=2, padding=4)` give on this
# 150-pixel-tall image?

# %% tags=["presentation-hide"]
my_height = None
height_result = check_output_size(my_height, size=150, kernel_size=11, stride=2, padding=4)
height_result

# %% [markdown]
# ## Colour: a $3 \times 3 \times 3$ filter
#
# A colour image has 3 channels, so every filter has **depth 3**: one $3 \times 3$ kernel per channel. Each
# kernel slides over its own channel and the three results are added (plus one bias). In `cnnlib`:
# `Conv2D(in_channels=3, ...)`, with `W` of shape $(C_{out}, 3, 3, 3)$.
#
# A filter whose depth does not match the input is an error:

# %%
rgb_batch = rgb.transpose(2, 0, 1)[None]  # (H, W, C) -> (1, C, H, W): cnnlib stores channels first
try:
    Conv2D(in_channels=1, out_channels=1, kernel_size=3)(rgb_batch)
except ValueError as err:
    print(wrap_text(err))  # long messages wrap between words

# %% [markdown]
# Here is a colour filter: the identity kernel on red, zeros on green, minus the identity on blue. It
# computes "how much redder than blue" each pixel is: the flag's red stripes and the skin are positive, the
# blue backdrop behind her is negative.

# %%
red_minus_blue = Conv2D(in_channels=3, out_channels=1, kernel_size=3, padding=1, bias=False)
identity = get_kernel("identity")
red_minus_blue.params["W"][0] = np.stack([identity, 0 * identity, -identity])  # (3, 3, 3)
print("W:", red_minus_blue.params["W"].shape)
color_map = red_minus_blue(rgb_batch)[0, 0]
show(draw_rgb_filter(rgb, red_minus_blue.params["W"][0], color_map))

# %% [markdown]
# Because convolution is linear, a $3 \times 3 \times 3$ filter can do two jobs at once. Weight Sobel x by
# the gray-conversion factors (0.299, 0.587, 0.114) on the three channels, and you get exactly the edges of
# the gray image:

# %%
gray_edges = Conv2D(in_channels=3, out_channels=1, kernel_size=3, padding=1, bias=False)
gray_edges.params["W"][0] = np.stack([w * get_kernel("sobel_x") for w in LUMA])
print("same as Sobel x on the gray image:", np.allclose(gray_edges(rgb_batch)[0, 0], edges, atol=1e-5))

# %% [markdown]
# ## A bank of filters
#
# A layer has many filters, and each one makes its own feature map: $N$ filters, $N$ output channels.
# Stack all seven classic kernels into one `Conv2D(1, 7, 3)`:

# %%
bank = Conv2D(in_channels=1, out_channels=len(KERNEL_NAMES), kernel_size=3, padding=1, bias=False)
bank.params["W"][...] = kernel_bank()  # (7, 1, 3, 3)
maps = bank(gray[None, None])[0]  # (7, 150, 128): one map per filter
print("feature maps:", maps.shape)
show(draw_feature_maps(maps, list(KERNEL_NAMES), bank.params["W"][:, 0],
                       suptitle="one layer, 7 filters, 7 feature maps"))

# %% [markdown]
# (The kernel panels show two decimals: the Gaussian's weights are 1/16, 2/16 and 4/16 and the box blur's
# 1/9, so their rounded numbers add up to 0.97 and 0.99; the weights themselves add up to 1.)
#
# On the fixed scale the four sum-1 kernels keep the photo's brightness (sharpen's map also dips below 0 and
# above 1 at the edges it boosts: black and white there, arrows at both ends of its colour bar); the three
# sum-0 kernels are white
# (0) wherever the photo is flat.
#
# In a CNN nobody chooses these numbers: the network **learns** its filters from data. Lesson 09 draws the
# first layer's filters: after its short training they are still close to their random start, and even after
# 10 epochs on all the data they have not moved far. A few look like these edge detectors, mostly because the
# random start already held such patterns and training sharpened them; one, in lesson 09's run, became an
# edge detector during training.

# %% [markdown]
# ## ReLU on feature maps
#
# After a convolution comes an activation, usually **ReLU**: $\mathrm{ReLU}(z) = \max(0, z)$. On an edge map
# it keeps the positive responses (red) and sets the negative ones (blue) to 0. Top: the edge maps; bottom:
# after ReLU, all six on one colour scale (its limits are on the colour bar: wider than the fixed
# $-1 \ldots +1$ above, so the same edges look fainter here).

# %%
edge_names = ["sobel_x", "sobel_y", "laplacian"]
edge_maps = maps[[KERNEL_NAMES.index(n) for n in edge_names]]  # (3, 150, 128)
activated = ReLU()(edge_maps[None])[0]
show(draw_feature_maps(np.concatenate([edge_maps, activated]),
                       edge_names + [f"ReLU({n})" for n in edge_names], ncols=3, signed=True))

# %%
for name, a in zip(edge_names, activated):
    print(f"ReLU({name}): {np.mean(a == 0):.0%} of the pixels are 0")

# %% [markdown]
# About half, and not because of the edges: a kernel whose weights sum to 0 gives a map that averages about
# 0, and most pixels lie on nearly flat regions, where the faint responses split evenly between the two
# signs. The edges show what ReLU throws away: `ReLU(sobel_x)` keeps only the dark-to-bright edges (left to
# right) and drops every bright-to-dark one, such as half of each stripe's outline. To keep those too, the
# layer needs a second filter with the kernel negated.
#
# Without the activation, two convolutions in a row would be just one bigger convolution (they are both
# linear; exactly so away from the border, where the zero padding of each step differs). ReLU is what lets the next layer combine these maps into something new, like "a vertical edge
# next to a horizontal one".
#
# ## Summary
#
# - A kernel is a small pattern detector; its feature map shows where the pattern is.
# - Weights summing to 1 keep brightness (blur, sharpen); summing to 0 detect change (edges).
# - A filter's depth equals the input's channels (in an ordinary convolution, PyTorch's `groups=1`):
#   $3 \times 3 \times 3$ for RGB.
# - $N$ filters give $N$ feature maps; ReLU keeps the positive responses.
#
# Next: [**`04_pooling`**](04_pooling.ipynb), shrinking feature maps while keeping what matters.
