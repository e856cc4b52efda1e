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
# # 12 · Modern building blocks: 1×1 convs, stacked 3×3s, global pooling, strides and skips
#
# Lesson 10's network (3 convs, 2 pools, two dense layers) is how CNNs looked until about 2013. Every network
# since is built from a handful of pieces, and each piece is an answer to a question about **parameters** or
# **gradients**:
#
# | block | replaces | why |
# |---|---|---|
# | 1×1 convolution | nothing: it is new | mixes channels at every pixel, cheaply changes the number of channels |
# | two or three stacked 3×3 convs | one 5×5 or 7×7 conv | the same receptive field with fewer weights and more ReLUs |
# | global average pooling | `Flatten` + a large `Dense` | almost no parameters, any image size |
# | a conv with stride 2 | conv + max pool | the network learns how to shrink; 4× less work |
# | a residual connection $y = x + F(x)$ | a plain stack | the gradient reaches the first layers of a deep network |
#
# For each block we derive what it computes on a small example, check it against `cnnlib` (the parameter
# counts come from `summary()`, never typed in), then use it. The lesson ends with LeNet → VGG → ResNet: which
# idea each network added.

# %%
import numpy as np

from cnnlib import Sequential
from cnnlib.demos import (depth_gradients, gap_vs_flatten, lenet5, pointwise_conv_as_dense, stack_vs_single,
                          strided_vs_pool, vgg16_param_count)
from cnnlib.demos.formatting import wrap_text
from cnnlib.exercises.building_blocks import (check_pointwise_params, check_shortcut, check_stacked_receptive_field,
                                              residual_block)
from cnnlib.gradcheck import check_layer
from cnnlib.layers import BatchNorm2D, Conv2D, Dense, GlobalAvgPool2D, ReLU, Residual
from cnnlib.shapes import receptive_field
from cnnlib.viz import show
from cnnlib.widgets import (depth_gradient_view, depth_gradient_widget, stack_view, stack_widget,
                            timeline_view)

# %% [markdown]
# ## 1×1 convolutions: a dense layer at every pixel
#
# A convolution with a $1 \times 1$ kernel sees one pixel at a time, so it cannot detect edges or shapes.
# What it does see is all $C_{in}$ channels of that pixel. Its weights are $W$ of shape
# $(C_{out}, C_{in}, 1, 1)$, and output channel $o$ at pixel $(i, j)$ is
#
# $$\text{out}[o, i, j] = b[o] + \sum_{c} W[o, c, 0, 0]\; x[c, i, j],$$
#
# a matrix times the pixel's channel vector: **the same dense layer applied at every pixel**. Derive it with a
# loop over pixels on a tiny input of 3 channels, 2×2 pixels:

# %%
rng = np.random.default_rng(0)
x = rng.integers(-2, 3, size=(1, 3, 2, 2)).astype(float)  # (N, C_in, H, W)
W = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]])  # (C_out, C_in): 2 output channels
b = np.array([0.0, 1.0])

out = np.zeros((1, 2, 2, 2))
for i in range(2):
    for j in range(2):
        out[0, :, i, j] = W @ x[0, :, i, j] + b  # one pixel's 3 channels -> 2 channels
print("pixel (0, 0) channels:", x[0, :, 0, 0], "-> out:", out[0, :, 0, 0])

# %% [markdown]
# Check it against `Conv2D(3, 2, kernel_size=1)` with the same weights:

# %%
conv1x1 = Conv2D(3, 2, 1, dtype=np.float64)
conv1x1.params["W"][...] = W[:, :, None, None]  # (C_out, C_in) -> (C_out, C_in, 1, 1)
conv1x1.params["b"][...] = b
print("loop == Conv2D 1×1:", np.allclose(out, conv1x1(x)))

# %% [markdown]
# And on a larger random case, against a `Dense` layer given the transposed weights and run on every pixel's
# channel vector (`pointwise_conv_as_dense` reshapes `(N, C, H, W)` to `(N·H·W, C)`, one row per pixel):

# %%
check = pointwise_conv_as_dense(in_channels=64, out_channels=16, size=7, batch=2, seed=0)
print("Conv2D 1×1 == Dense at every pixel (largest difference < 1e-12):", check.max_abs_diff < 1e-12)
check.summary

# %% [markdown]
# The count is a dense layer's: $C_{in} \cdot C_{out} + C_{out} = 64 \cdot 16 + 16 = 1{,}040$.
#
# **Use: the bottleneck.** A 3×3 conv on many channels is expensive: $9 C^2$ weights. ResNet-50's first stage
# (on 56×56 maps) squeezes 256 channels to 64 with a 1×1 conv, does the 3×3 conv on 64 channels, and expands
# back with another 1×1 (GoogLeNet, Szegedy et al. 2014, had used 1×1 convs this way before its 3×3 and 5×5
# convs).
# Compare it with what it stands in for: two 3×3 convs on all 256 channels (a block nobody builds, for the
# comparison only), both on a 14×14 map (the map size does not change the counts):

# %%
bottleneck = Sequential([
    Conv2D(256, 64, 1, seed=0), ReLU(),
    Conv2D(64, 64, 3, padding=1, seed=1), ReLU(),
    Conv2D(64, 256, 1, seed=2),
])
two_3x3 = Sequential([Conv2D(256, 256, 3, padding=1, seed=3), ReLU(), Conv2D(256, 256, 3, padding=1, seed=4)])
bottleneck.summary((256, 14, 14))

# %%
print(f"bottleneck: {bottleneck.num_params():,} parameters; two 3×3 convs on 256 channels: "
      f"{two_3x3.num_params():,} ({two_3x3.num_params() / bottleneck.num_params():.0f}×)")

# %% [markdown]
# ## Two 3×3 convs instead of a 5×5, three instead of a 7×7
#
# **Derive.** Lesson 10: each stride-1 $K \times K$ conv widens what a unit sees by $K - 1$ pixels, so $n$
# stacked 3×3 convs see $r = 1 + 2n$ pixels: 5 for two, 7 for three, exactly a single 5×5 or 7×7 conv. With
# $C$ channels in and out, the weights are
#
# $$n \cdot 3 \cdot 3 \cdot C^2 = 9n\,C^2 \qquad\text{against}\qquad (2n+1)^2\, C^2,$$
#
# $18C^2$ against $25C^2$ for two, $27C^2$ against $49C^2$ for three (plus $C$ biases per conv if they have
# any: the figures below leave them out, as a conv before batch norm does). VGG (2014) built its whole network
# this way.
#
# **Check** with `cnnlib`: build both, read `summary()` and `cnnlib.shapes.receptive_field`:

# %%
three = stack_vs_single(3, channels=64)
three.stack_summary

# %%
three.single_summary

# %%
for n in (2, 3):
    s = stack_vs_single(n, channels=64)
    print(f"{n} × 3×3: {s.stack_params:>7,} = {9 * n}·64²   field {s.stack_rf}×{s.stack_rf}   |   "
          f"one {s.kernel_size}×{s.kernel_size}: {s.single_params:>7,} = {s.kernel_size ** 2}·64²   "
          f"field {s.single_rf}×{s.single_rf}")
with_bias = stack_vs_single(3, channels=64, bias=True)
print(f"with biases: {with_bias.stack_params:,} (+3·64) against {with_bias.single_params:,} (+64)")

# %%
stack_layers = [Conv2D(8, 8, 3, padding=1), ReLU(), Conv2D(8, 8, 3, padding=1), ReLU(),
                Conv2D(8, 8, 3, padding=1), ReLU()]
print("field after each 3×3 conv:", [rf.size[0] for rf in receptive_field(stack_layers)])
print("field of one 7×7 conv:    ", [rf.size[0] for rf in receptive_field([Conv2D(8, 8, 7, padding=3)])])

# %% [markdown]
# (`receptive_field` is lesson 10's function; only the kernel sizes and strides matter, not the channels.) The
# stack also has three ReLUs where the single conv has one: more non-linearity for fewer
# weights. The widget draws both: the input pixels one unit of the stack sees (the dashed outlines are the
# fields after the earlier layers), and the weights as bars in units of $C^2$. The still picture first:

# %% tags=["presentation-hide"]
show(stack_view(n_stacked=3, channels=64))

# %% tags=["nbval-ignore-output"]
stack_widget(n_stacked=3, channels=64)

# %% [markdown]
# Things to try: the ratio $9n/(2n+1)^2$ does not depend on $C$ (change the channels: the counts change, the
# bars do not); with two convs the stack needs $18/25 = 72\,\%$ of the weights of a 5×5 conv.
#
# ## Global average pooling instead of Flatten + Dense
#
# Lesson 10's network spent more than half of its parameters on one layer: `Dense(1024, 64)` after `Flatten`.
# Global average pooling (Network in Network, 2013) replaces the flatten: it averages every feature map to one
# number, $(N, C, H, W) \to (N, C)$. Network in Network's last conv gave one map per class and fed the averages
# straight to softmax; since GoogLeNet (2014) a small `Dense(C, classes)` follows instead, as here and in
# ResNet. **Derive** on a 2-channel, 2×2 map:

# %%
fmap = np.arange(8, dtype=float).reshape(1, 2, 2, 2)  # (N, C, H, W)
print("channel means, by hand:", fmap[0, 0].sum() / 4, fmap[0, 1].sum() / 4)
print("GlobalAvgPool2D:       ", GlobalAvgPool2D()(fmap)[0])

# %% [markdown]
# **Check** the parameters of both heads on a 64×7×7 feature map with 10 classes:

# %%
heads = gap_vs_flatten(channels=64, size=7, classes=10)
heads.flatten_summary

# %%
heads.gap_summary

# %%
print(f"Flatten + Dense: 64·7·7·10 + 10 = {heads.flatten_params:,};  GAP + Dense: 64·10 + 10 = "
      f"{heads.gap_params:,}  ({heads.flatten_params / heads.gap_params:.0f}× fewer)")

# %% [markdown]
# The other gain: the GAP head does not care about the map's size. Feed both heads a 14×14 map (a larger
# image): the dense layer after `Flatten` expects exactly 3,136 inputs.

# %%
print("GAP + Dense on 64×14×14 gives", heads.gap_shape_other)
print(wrap_text("Flatten + Dense: " + heads.flatten_error))

# %% [markdown]
# What is lost: the position of a feature. The average says *how much* of each feature the image has, not
# *where*; to name the class, how much is what matters.
#
# ## A strided conv instead of pooling
#
# A 2×2 max pool after a conv halves the size with a fixed rule. A conv with `stride=2` halves it too, and
# learns how. **Check** the shapes and counts:

# %%
down = strided_vs_pool(in_channels=32, out_channels=64, size=28)
down.pool_summary

# %%
down.strided_summary

# %%
print(f"same output {down.strided_summary.output_shape}, same {down.strided_params:,} parameters")
print(f"multiply-adds per image: conv + pool {down.pool_macs:,}, strided conv {down.strided_macs:,} "
      f"({down.pool_macs // down.strided_macs}× fewer)")

# %% [markdown]
# The strided conv computes only the outputs it keeps: the conv before a pool computes $28 \times 28$ outputs
# and the pool throws three quarters away. (It keeps other numbers, though: the conv at every second position,
# not the largest of each 2×2 window. The network learns to downsample with it.) ResNet downsamples with
# stride-2 convs (and one max pool at the start).
#
# ## Residual connections
#
# **Derive.** A residual block computes $y = x + F(x)$, with $F$ a few layers (in ResNet: conv, batch norm,
# ReLU, conv, batch norm; the demo below uses a simpler $F$). By the chain rule,
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} + \left(\frac{\partial F}{\partial x}\right)^{\!T}
# \frac{\partial L}{\partial y}:$$
#
# the gradient reaches $x$ **unchanged** through the skip, plus whatever the block adds. (The ResNet paper puts
# one more ReLU after the sum, $y = \mathrm{ReLU}(x + F(x))$, which lets the gradient through only where the
# sum is positive; its 2016 sequel, "pre-activation" ResNet, drops that ReLU and starts $F$ with batch norm and
# ReLU instead, so that the skip is exactly the identity, and trains deeper networks for it.) In a plain stack
# every layer multiplies the gradient by its Jacobian (the matrix of the layer's partial derivatives, output by
# input), so 30 layers multiply 30 times: unless each factor is very
# close to 1, the gradient at the first layer shrinks to nothing or blows up. `cnnlib.layers.Residual(block)`
# adds the identity shortcut. **Check** its backward pass against finite differences:

# %%
block = Residual([Conv2D(4, 4, 3, padding=1, dtype=np.float64, seed=0), ReLU(),
                  Conv2D(4, 4, 3, padding=1, dtype=np.float64, seed=1)])
x_small = np.random.default_rng(1).standard_normal((2, 4, 5, 5))
print("every gradient of the Residual block within 1e-6 of finite differences:",
      check_layer(block, x_small).passed(1e-6))

# %% [markdown]
# Its summary shows the block's layers indented, and the identity shortcut with 0 parameters:

# %%
Sequential([block]).summary((4, 5, 5))

# %% [markdown]
# The identity works only when $F$ keeps $x$'s shape: $y = x + F(x)$ adds two arrays of the same shape. A block
# that changes the number of channels, or halves the size with a stride-2 conv, needs a shortcut that maps $x$ to
# the block's shape: ResNet's **projection**, a 1×1 conv with the block's stride, then batch norm, given as
# `Residual(block, shortcut=...)`. It is linear, so the gradient still reaches $x$ through it without any unit
# switched off. Exercise 3 builds one.

# %% [markdown]
# **Use: gradient sizes through depth.** Take 30 blocks of Conv 3×3 → BatchNorm → ReLU (8 channels on an 8×8
# input, He init, seeded; a simpler block than ResNet's, the same for both stacks), run one forward and one
# backward pass, and measure $\|\partial L/\partial x_l\|$ at the input $x_l$ of every block, relative to the
# top. The loss is $L = \sum g \cdot \text{out}$ for a fixed random $g$ of the output's shape, so the gradient
# arriving at the top is $g$ itself. Then wrap the *same* layers (same weights) in `Residual`, so that each block
# computes $x + F(x)$, and measure again:

# %%
g = depth_gradients(30, batchnorm=True, init="he")
print("plain:    ", np.round(g.plain[::5], 1), " (positions 0, 5, ..., 30)")
print("residual: ", np.round(g.residual[::5], 1))

# %% [markdown]
# Position 30 is the top, the last block's output (1 by definition); positions 0 to 25 are the inputs of blocks
# 0 to 25. Through the plain stack the gradient grows 74× over 30 blocks (1.15× per block on average; it peaks
# at 99× at block 1); with skips it grows only 5×. How does that 5× depend on the depth? The same
# measurement on residual stacks of 5, 10, 20 and 30 blocks, input against top:

# %%
for depth in (5, 10, 20, 30):
    print(f"{depth:>2} residual blocks: {depth_gradients(depth, batchnorm=True, init='he').residual[0]:.1f}×"
          f"   (√{depth} = {np.sqrt(depth):.1f})")

# %% [markdown]
# Roughly like $\sqrt{\text{depth}}$. That compares whole stacks. Along one stack's curve the growth is not
# spread like that: in the 30-block stack the gradient is 2.0× the top's at block 5 and 5.1× at block 0, so
# most of it comes in the few blocks nearest the input (`g.residual[5]`, `g.residual[0]`; the figure shows the
# whole curve).
# The figure on a log scale (the plain stack dashed with squares, the residual one solid with circles):

# %% tags=["presentation-hide"]
show(depth_gradient_view(depth=30, batchnorm=True, init="he"))

# %% tags=["nbval-ignore-output"]
depth_gradient_widget(depth=30, batchnorm=True, init="he")

# %% [markdown]
# Things to try:
#
# - **Set the depth to 20, turn batch norm off and choose the uniform init** (PyTorch's default): the plain
#   stack's gradient *vanishes*, $10^{-9}$ at the input, while the residual stack keeps it at 7 times its
#   size at the top.
# - **Batch norm off, He init:** now the residual stack explodes (963× after 20 blocks). Every block adds its
#   output to $x$, so the signal's variance, and the gradient's, roughly doubles per block. That is why
#   every ResNet block has batch norm inside its $F$: skips keep the gradient path open, normalisation keeps
#   the sum from growing exponentially (with it, the gradient still grows with depth, but slowly).
# - Move the depth: the plain curve is roughly a straight line on the log scale (about the same factor per
#   block), the residual one bends.
#
# ## Exercises
#
# **1. A 1×1 conv's parameters.** How many parameters has `Conv2D(512, 128, kernel_size=1)` (with its biases)?
# Stuck? `pointwise_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_pointwise = None
pointwise_result = check_pointwise_params(my_pointwise, 512, 128)
pointwise_result

# %%
print(check_pointwise_params(9 * 128 * 32 + 32, 128, 32))  # a slip on another layer: counted as a 3×3 conv

# %% [markdown]
# **2. Stacked receptive fields.** Four stride-1 3×3 convs are stacked. How many input pixels wide is the
# field of one unit after the fourth? Stuck? `field_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_field = None
field_result = check_stacked_receptive_field(my_field, 4)
field_result

# %%
print(check_stacked_receptive_field(6, 2))  # a slip on two layers: added 3 per layer

# %% [markdown]
# **3. Which shortcut?** `residual_block(64, 128, stride=2)` is ResNet's block body from 64 to 128 channels,
# halving the size. Answer `"identity"`, or give the projection shortcut as a list of `cnnlib` layers (like
# the ones `residual_block` prints below). Stuck?
# `shortcut_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %%
for layer in residual_block(64, 128, stride=2):
    print(layer)

# %% tags=["presentation-hide"]
my_shortcut = None
shortcut_result = check_shortcut(my_shortcut, 64, 128, stride=2)
shortcut_result

# %%
print(check_shortcut([Conv2D(32, 32, 1, bias=False), BatchNorm2D(32)], 32, 32, stride=1))  # a slip on another block

# %% [markdown]
# ## LeNet → VGG → ResNet
#
# The blocks of this lesson arrived one network at a time. LeNet-5 (1998) is small enough to build here; its
# `summary()`:

# %%
lenet5().summary((1, 28, 28))

# %% [markdown]
# 61,706 parameters. (The paper counts 60,000, for three reasons: its third layer connects each map to only
# some of the previous maps, 1,516 weights where ours, connecting all, has 2,416; its output units have fixed
# weights chosen by hand, where our last `Dense(84, 10)` learns 850; and its pooling layers learn a
# coefficient and a bias per map, 44 parameters ours do not have. Its input was 32×32, hence `padding=2` on
# our 28×28 images.) VGG-16 and ResNet-50 are too big for a class notebook (VGG-16's weights alone take
# 550 MB as float32, ResNet-50's 100 MB, and neither would train here in a lesson), so their counts are
# **quoted**: 138M from the VGG paper (Simonyan &
# Zisserman 2014); for ResNet-50 (He et al. 2015), whose paper gives its multiply-adds but not its parameters,
# the usual 25.6M (torchvision's `resnet50` has 25,557,032). VGG's count we can still check from `cnnlib`'s
# layer shapes, without allocating any weights:

# %%
print(f"VGG-16 from cnnlib's Conv2D/Dense state_shapes: {vgg16_param_count():,} (quoted: 138M)")

# %% [markdown]
# The timeline: each network, the ideas it added to the one before it, and its parameters (solid box: counted
# by `cnnlib` here; dashed: quoted, not built here). Not all of those ideas started there. LeNet-5 itself
# refined LeCun et al.'s 1989 conv net, trained by backprop with shared weights, which built on Fukushima's
# Neocognitron (1980). ReLU, dropout and training on GPUs were popularised by AlexNet (Krizhevsky et al. 2012),
# between LeNet and VGG; global average pooling
# and 1×1 convs with Network in Network (Lin et al. 2013), 1×1 bottlenecks and the GAP + dense head with
# GoogLeNet (Szegedy et al. 2014), batch norm with Ioffe & Szegedy (2015). ResNet-50 is where they came
# together with skip connections.

# %%
show(timeline_view())

# %% [markdown]
# ResNet-50 is 50 layers deep with a fifth of VGG-16's parameters: 1×1 bottlenecks instead of wide 3×3
# convs, global average pooling and one dense layer instead of VGG's three dense layers (which hold 124M of its
# 138M), and skips so
# that 50 layers still train.
#
# ## Summary
#
# - A 1×1 conv is a dense layer at every pixel: $C_{in} C_{out} + C_{out}$ parameters; it changes the number
#   of channels cheaply (the bottleneck).
# - $n$ stacked 3×3 convs see $(2n+1) \times (2n+1)$ pixels with $9nC^2$ weights instead of $(2n+1)^2C^2$:
#   $27C^2$ against $49C^2$ for a 7×7 field, with three ReLUs instead of one.
# - Global average pooling replaces `Flatten` + `Dense`: $C \cdot$ classes weights instead of
#   $C H W \cdot$ classes, and any image size.
# - A stride-2 conv halves the size like conv + pool, with the same weights and a quarter of the work.
# - A skip $y = x + F(x)$ passes the gradient to $x$ unchanged: through 30 blocks it grows 5× instead of
#   74× (with batch norm), and does not vanish where a plain stack's does.
#
# **Next, lesson 13:** these blocks put together into a small residual network (`fashion_mnist_resnet`), trained
# on Fashion-MNIST, and what it looks at when it decides: saliency, occlusion and Grad-CAM.
