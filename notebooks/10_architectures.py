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
# # 10 · The 32×32×3 network, receptive fields, and the same model in PyTorch and Keras
#
# The theory material ends with a network for small **colour** images (32×32 pixels, 3 channels: the size of
# the CIFAR-10 data set) and its TensorFlow code:
#
# ```python
# model = models.Sequential([
#     layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)),
#     layers.MaxPooling2D((2, 2)),
#     layers.Conv2D(64, (3, 3), activation='relu'),
#     layers.MaxPooling2D((2, 2)),
#     layers.Conv2D(64, (3, 3), activation='relu'),
#     layers.Flatten(),
#     layers.Dense(64, activation='relu'),
#     layers.Dense(10, activation='softmax'),
# ])
# ```
#
# In this lesson we build it with `cnnlib`, check every shape and parameter count against what Keras reports,
# count the work each layer does, run it on real RGB image patches, ask why it uses 32 and then 64 filters,
# work out how much of the image each layer can see (its **receptive field**), and translate it to PyTorch
# and Keras.

# %%
import numpy as np

from cnnlib import Sequential
from cnnlib.datasets.images import load_sample_image
from cnnlib.exercises.architectures import check_receptive_field
from cnnlib.exercises.channels import check_dense_params
from cnnlib.functional import im2col
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Softmax
from cnnlib.shapes import receptive_field, receptive_field_region
from cnnlib.viz import draw_images, draw_layer_channels_svg, show
from cnnlib.widgets import receptive_field_view, receptive_field_widget

# %% [markdown]
# ## Build it
#
# Keras writes `Conv2D(32, (3, 3), activation='relu')` and infers the input channels. `cnnlib`, like
# PyTorch, takes the input channels first and keeps the activation as its own layer:

# %%
model = Sequential([
    Conv2D(3, 32, kernel_size=3, seed=0), ReLU(), MaxPool2D(2),
    Conv2D(32, 64, kernel_size=3, seed=1), ReLU(), MaxPool2D(2),
    Conv2D(64, 64, kernel_size=3, seed=2), ReLU(),
    Flatten(),
    Dense(64 * 4 * 4, 64, seed=3), ReLU(),
    Dense(64, 10, seed=4),
])
summary = model.summary((3, 32, 32))
summary

# %% [markdown]
# ### Check against Keras
#
# Keras' `model.summary()` for the reference model lists 896, 18,496, 36,928, 65,600 and 650 parameters for
# the layers that have any. Ours:

# %%
keras_counts = [896, 18_496, 36_928, 65_600, 650]
ours = [n for _, _, n in summary.rows if n > 0]
print("cnnlib:", ours)
print("Keras: ", keras_counts)
print("equal:", ours == keras_counts, "  total:", f"{sum(ours):,}")

# %% [markdown]
# Each count is (weights per filter + 1 bias) × filters, or inputs × outputs + outputs for a dense layer:
#
# | layer | formula | parameters |
# |---|---|---|
# | Conv 1 | $(3 \cdot 3 \cdot 3 + 1) \times 32$ | 896 |
# | Conv 2 | $(3 \cdot 3 \cdot 32 + 1) \times 64$ | 18,496 |
# | Conv 3 | $(3 \cdot 3 \cdot 64 + 1) \times 64$ | 36,928 |
# | Dense 64 | $1024 \times 64 + 64$ | 65,600 |
# | Dense 10 | $64 \times 10 + 10$ | 650 |
#
# ### Parameters are not compute
#
# A parameter count says how much the network must learn and store, not how much work one image costs.
# `multiply_adds(input_shape)` counts a layer's work for one image. One multiply-add is one weight times one
# input value, added to a running sum; each output value of a convolution is a filter's weights times one
# window (lesson 01), so it costs as many multiply-adds as the filter has weights. Biases are not counted
# (PyTorch's flop counter counts each multiply-add as two FLOPs and skips them too). Each layer receives
# the shape the layer before it outputs; the first column is the layer's index in `model.layers`, the `#`
# of the summary above:

# %%
total_work = model.multiply_adds((3, 32, 32))
shape = (3, 32, 32)  # what layer 0 receives
for i, (layer, (name, out_shape, n)) in enumerate(zip(model.layers, summary.rows)):
    work = layer.multiply_adds(shape)
    shape = out_shape  # what the next layer receives
    if n:
        print(f"{i:>2} {name:<7} {n:>7,} params ({n / summary.total_params:>4.0%})"
              f"  {work:>10,} multiply-adds ({work / total_work:>4.0%})")
print(f"   total   {summary.total_params:>7,} params         {total_work:>10,} multiply-adds per image")

# %% [markdown]
# The rankings swap. The first dense layer holds more than half of the parameters and does about 1% of the
# work: each of its weights is used once per image. The second convolution holds 15% of them and does more
# than two thirds of the work: each of its 18,432 weights is used at all 13×13 = 169 output positions. (The
# first convolution uses its 864 weights even more often, at 30×30 = 900 positions, but it has few of them;
# the third uses its 36,864 at only 4×4 = 16.) For the same reason, a convolution's work grows with the image
# while its parameter count does not. Lesson 12 works on both sides: global average pooling replaces the
# parameter-heavy dense layer, and a strided convolution cuts a convolution's work.
#
# ### Shapes: the theory material's table
#
# The theory material lists (30, 30, 32) → (15, 15, 32) → (13, 13, 64) → (6, 6, 64) → (4, 4, 64) → 1024 (its
# table then goes straight to the 10 outputs, skipping the `Dense(64)` its own code has).
# `cnnlib` stores channels first, so the same shapes read (32, 30, 30) and so on:

# %%
for i, (name, shape, n) in enumerate(summary.rows):
    if name in ("Conv2D", "MaxPool2D", "Flatten"):
        hwc = shape[1:] + shape[:1] if len(shape) == 3 else shape
        print(f"{name:<10} cnnlib {str(shape):<14} theory table (H, W, C): {hwc}")

# %% [markdown]
# Note the floor in the second pooling layer: 13 is odd, so a 2×2 window fits 6 times and the last row and
# column are dropped (lesson 02).
#
# ## Run it on real colour image patches
#
# Our sample photo (Grace Hopper, public domain) is RGB, stored (height, width, channel) like most image
# files. We cut 32×32 patches from a reduced copy and put them in a batch. `Conv2D` wants NCHW, so the
# channel axis moves to the front:

# %%
photo = load_sample_image(downsample=4)  # (150, 128, 3), values in [0, 1]
corners = [(10, 2), (2, 50), (40, 44), (60, 48), (95, 55), (110, 78)]  # flag, cap, eyes, mouth, tie, medals
patches = np.stack([photo[r:r + 32, c:c + 32] for r, c in corners])  # (6, 32, 32, 3): NHWC
batch = patches.transpose(0, 3, 1, 2)  # (6, 3, 32, 32): NCHW
print("patches (NHWC):", patches.shape, "→ batch for cnnlib (NCHW):", batch.shape)

# %%
show(draw_images(list(patches), [f"patch {k}" for k in range(len(patches))], height=1.2))

# %% [markdown]
# Forward through every layer, printing the shape as it goes:

# %%
h = batch
for layer in model.layers:
    h = layer(h)
    print(f"{layer!r:<46} → {h.shape}")
probs = Softmax()(h)
print("\nclass probabilities of patch 0:", probs[0].round(2), " sum:", probs[0].sum().round(3))

# %% [markdown]
# The network is untrained, so these 10 probabilities mean nothing yet; what matters is that real RGB data
# flows through, and the shapes are as computed. The first layer already does something visible: its 32
# random 3×3×3 filters mix the colour channels into 32 feature maps (after ReLU):

# %%
first_maps = model.layers[1](model.layers[0](batch[:1]))[0]  # (32, 30, 30): layers 0 (Conv2D) and 1 (ReLU)
show(draw_layer_channels_svg(patches[0], first_maps, title="patch 0 through Conv2D (random filters) and ReLU: 32 maps",
                             caption="input patch"))

# %% [markdown]
# ## Why 32 filters, then 64?
#
# Follow the size of the data (height × width × channels) through the network:

# %%
for name, shape, n in summary.rows:
    if name in ("Conv2D", "MaxPool2D"):
        size = f"{shape[1]}×{shape[2]}×{shape[0]}"
        print(f"{name:<10} {size:>9} = {np.prod(shape):>6,} numbers")

# %% [markdown]
# Pooling divides the number of positions by 4 each time (a little more when a side is odd: 13×13 becomes
# 6×6); doubling the filters keeps a good part of the information.
# And the job changes with depth: the first layer sees 3×3 pixels and can only detect simple things (edges,
# colour changes), and there are only so many of those. Deeper layers see larger regions (next section) and
# combine earlier features into parts of objects, of which there are many more kinds. So: few filters early,
# more filters deep (16–32 then 64–128 is typical).
#
# The theory material also warns that 32 filters on a tiny raw input are wasteful, "because the input lacks
# enough information (16 pixels) to generate 32 unique, meaningful features". The warning is fair, but the
# limit it names is not the right one. We can check it: on a
# 4×4 one-channel input a 3×3 filter fits in only $2 \times 2 = 4$ places, so each output map has 4 numbers.
# Each map is one filter's 9 weights applied to the same 4 windows. Stack the 32 filters as the rows of $W$
# ($32 \times 9$) and the 4 windows as the columns of im2col ($9 \times 4$): the 32 maps are the rows of
# their product, a $32 \times 4$ matrix, and a product has rank at most 4 when one factor has only 4
# columns. So for this image, however many filters we use, at most **4** of their maps are linearly
# independent: every other map is a combination of those 4 and tells the next layer nothing new about it. The
# combination changes from image to image, but one limit holds for every input: the filters are 32 vectors of
# 9 weights, so at most 9 of them are independent, and the maps of the other 23 are fixed combinations of
# those 9 maps, whatever the image. (Both hold before the bias and the activation; the cell below uses no bias
# and no ReLU.)
#
# So the limit is 4 here (the window positions), not the 16 pixels, and the second limit has nothing to do with
# the image being tiny: the from-scratch notes' first layer, 32 filters of $3 \times 3$ on one channel, gives
# at most 9 independent maps on a 28×28 image too, and this lesson's first layer, 32 filters of
# $3 \times 3 \times 3 = 27$ weights, at most 27. In general, before the bias and the activation, at most
# $\min(\text{window positions},\ K \cdot K \cdot C_{in})$ maps are independent. The bias and ReLU are what make
# the other filters worth having: after $\max(0, \cdot)$ a map is no longer a linear combination of the
# others. So the theory material's warning holds for the linear part, and more strongly than it says (4
# independent maps here, not 16); what sets the limit is the number of window positions and weights, not the
# number of pixels.

# %%
tiny_input = np.random.default_rng(0).random((1, 1, 4, 4))
conv = Conv2D(1, 32, 3, bias=False, dtype=np.float64, seed=0)
maps = conv(tiny_input)[0].reshape(32, -1)  # (32 filters, 4 values each)
print("output:", conv(tiny_input).shape, " rank of the 32 maps:", np.linalg.matrix_rank(maps))
print("im2col gives", im2col(tiny_input, 3, 3).shape[1], "windows")

# %% [markdown]
# ## Receptive fields: how much of the image does a unit see?
#
# A unit after the first 3×3 conv depends on a 3×3 patch of the input. After a 2×2 pool it depends on a 4×4
# patch (four overlapping 3×3 windows, offset by one pixel in each direction). Stacking layers makes the **receptive field** grow. With
# $r$ the receptive field, $j$ the distance in input pixels between neighbouring units (the "jump") and each
# layer's kernel $K$ and stride $S$:
#
# $$r_{l} = r_{l-1} + (K - 1)\, j_{l-1}, \qquad j_{l} = j_{l-1} \cdot S, \qquad r_0 = j_0 = 1$$
#
# A 3×3 conv adds $2j$ to the field; a pooling layer with stride 2 doubles the jump, so every later layer
# grows the field twice as fast. `cnnlib.shapes.receptive_field` computes the table for the layers before
# `Flatten`. Only conv and pooling layers change the field (a ReLU keeps it), so only they get a row; `#` is
# the layer's index in `model.layers`, the `#` column of `model.summary()`, the numbering the widget below
# uses too:

# %%
summary

# %%
rows = receptive_field(model.layers[:8], input_size=(32, 32))
print(f"{'#':>2}  {'layer':<24}{'output':>8}{'receptive field':>17}{'jump':>6}")
for rf in rows:
    print(f"{rf.index:>2}  {rf.name:<24}{f'{rf.output_size[0]}×{rf.output_size[1]}':>8}"
          f"{f'{rf.size[0]}×{rf.size[1]}':>17}{rf.jump[0]:>6}")

# %% [markdown]
# So a unit of the last conv layer (layer 6) sees 18×18 of the 32×32 input, more than half of the image in each
# direction, while having only 3×3 weights per input channel. That is how a deep stack of small kernels sees
# large objects. `receptive_field_region` says exactly which pixels; e.g. unit (2, 1) of layer 6:

# %%
(top, bottom), (left, right) = receptive_field_region(rows[-1], 2, 1, input_size=(32, 32))
print(f"input rows {top}..{bottom - 1}, columns {left}..{right - 1}")

# %% [markdown]
# The widget below draws it: choose a layer and a unit (filled orange-red, in a black square). Blue cells with a
# solid blue outline are what it depends on in every earlier layer, and the dashed green frame is its receptive
# field on the input; the lines under the grids give the rows and columns. The input drawn is a 32×32 crop of
# the photo's face, at half the resolution of the patches above: a receptive field is a matter of geometry
# (the layers' kernels and strides), the same for every image. The menu lists the conv and pooling
# layers as "6 · Conv2D 3×3", by the same `model.layers` index as the summary and the table above. The static
# picture first:

# %% tags=["presentation-hide"]
show(receptive_field_view(layer=6, i=2, j=1))

# %% tags=["nbval-ignore-output"]
receptive_field_widget(layer=6, i=2, j=1)

# %% [markdown]
# Things to try: move a unit of layer 0 (the first conv) one step right (the window moves 1 pixel), then a unit
# of layer 6 (the last conv: it moves 4, the jump); find the units whose fields overlap the most; count how many
# positions of layer 0 (the first conv) one unit of layer 5 (the second pool) depends on, then check with the
# widget (the lines under the grids list them for every layer).
#
# ## The same model in cnnlib, Keras and PyTorch
#
# | | cnnlib | Keras (TensorFlow) | PyTorch |
# |---|---|---|---|
# | conv | `Conv2D(3, 32, 3)` then `ReLU()` | `layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3))` | `nn.Conv2d(3, 32, 3)` then `nn.ReLU()` |
# | pool | `MaxPool2D(2)` | `layers.MaxPooling2D((2, 2))` | `nn.MaxPool2d(2)` |
# | conv | `Conv2D(32, 64, 3)`, `ReLU()` | `layers.Conv2D(64, (3, 3), activation='relu')` | `nn.Conv2d(32, 64, 3)`, `nn.ReLU()` |
# | pool | `MaxPool2D(2)` | `layers.MaxPooling2D((2, 2))` | `nn.MaxPool2d(2)` |
# | conv | `Conv2D(64, 64, 3)`, `ReLU()` | `layers.Conv2D(64, (3, 3), activation='relu')` | `nn.Conv2d(64, 64, 3)`, `nn.ReLU()` |
# | flatten | `Flatten()` | `layers.Flatten()` | `nn.Flatten()` |
# | dense | `Dense(1024, 64)`, `ReLU()` | `layers.Dense(64, activation='relu')` | `nn.Linear(1024, 64)`, `nn.ReLU()` |
# | output | `Dense(64, 10)` (logits) | `layers.Dense(10, activation='softmax')` | `nn.Linear(64, 10)` (logits) |
# | loss | `CrossEntropy()` on logits | `'sparse_categorical_crossentropy'` on probabilities | `nn.CrossEntropyLoss()` on logits |
# | data layout | NCHW `(N, 3, 32, 32)` | NHWC `(N, 32, 32, 3)` | NCHW `(N, 3, 32, 32)` |
# | conv weights | `(C_out, C_in, KH, KW)` | `(KH, KW, C_in, C_out)` | `(C_out, C_in, KH, KW)` |
# | dense weights | `(in, out)`, `x @ W` | `(in, out)` | `(out, in)`, `x @ W.T` |
# | padding | `0`, `1`, `'valid'`, `'same'` (stride 1 only), per side `((0, 1), (0, 1))` | `'valid'` (default) or `'same'` (any stride: $\lceil H/S \rceil$ outputs) | `0`, `1`, `'valid'`, `'same'` (stride 1 only) |
#
# The conventions that trip people up when moving between them:
#
# 1. **Channels first or last.** Keras (TensorFlow) images are `(N, H, W, C)`; `cnnlib` and PyTorch use
#    `(N, C, H, W)`. Convert with `x.transpose(0, 3, 1, 2)`; conv weights with `W.transpose(3, 2, 0, 1)`.
# 2. **Input channels.** Keras infers them from the previous layer; PyTorch and `cnnlib` ask for them.
# 3. **Where the softmax lives.** The theory material's Keras model puts it in the last layer; PyTorch and
#    `cnnlib` put it in the loss and the model returns logits (Keras can do the same: a plain `Dense(10)` and
#    `SparseCategoricalCrossentropy(from_logits=True)`). Do not apply it twice.
# 4. **Padding.** Keras only knows `'valid'` and `'same'`; PyTorch and `cnnlib` also take a number of pixels.
#    For `'same'` with an even kernel, all three put the extra pixel at the bottom/right (lesson 02). With a
#    stride > 1, Keras' `'same'` gives $\lceil H/S \rceil$ outputs, padding what that needs for the input size;
#    PyTorch and `cnnlib` raise an error, so port it with explicit padding (`cnnlib.shapes.keras_same_padding`
#    computes Keras' amount, lesson 02).
# 5. **Flatten order.** Flattening `(C, H, W)` and `(H, W, C)` orders the same numbers differently, so the
#    first dense layer's weights must be permuted when porting a trained model.
#
# Points 1 and 5 in code: a Keras-layout kernel, converted, gives the same feature maps as in `cnnlib`:

# %%
rng = np.random.default_rng(1)
keras_kernel = rng.standard_normal((3, 3, 3, 32)).astype(np.float32)  # (KH, KW, C_in, C_out)
conv = Conv2D(3, 32, 3, bias=False)
conv.params["W"][...] = keras_kernel.transpose(3, 2, 0, 1)  # → (C_out, C_in, KH, KW)

# Keras' convolution on NHWC data, written out with einsum over the 3×3 windows:
windows = np.lib.stride_tricks.sliding_window_view(patches, (3, 3), axis=(1, 2))  # (N, 30, 30, C, KH, KW)
keras_out = np.einsum("nhwcij,ijcf->nhwf", windows, keras_kernel)  # (N, 30, 30, 32): NHWC
ours = conv(batch)  # (N, 32, 30, 30): NCHW
print("same feature maps:", np.allclose(ours.transpose(0, 2, 3, 1), keras_out, atol=1e-4))

# %%
fmap = np.arange(2 * 2 * 3).reshape(3, 2, 2)  # 3 channels of 2×2, channels first
print("flatten (C, H, W):", fmap.reshape(-1))
print("flatten (H, W, C):", fmap.transpose(1, 2, 0).reshape(-1))

# %% [markdown]
# Same 12 numbers, different order: a dense layer trained on one order gives nonsense on the other.
#
# ## Exercises
#
# **1. One more pool.** Put a third `MaxPool2D(2)` after layer 7 (the last conv's ReLU), before `Flatten`. How
# wide, in input pixels, is the receptive field of one of its units? Stuck? `field_result.hint(1)`, then
# `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_field = None
field_result = check_receptive_field(my_field, model.layers[:8] + [MaxPool2D(2)], input_size=(32, 32))
field_result

# %%
print(check_receptive_field(6, model.layers[:4], input_size=(32, 32)))  # a slip on another layer

# %% [markdown]
# **2. What that pool saves.** With the third pool, `Flatten` gets a smaller map, and the first `Dense` layer,
# still with 64 units, needs fewer weights. How many parameters (biases included) does it have now? Stuck?
# `dense_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
with_pool = Sequential(model.layers[:8] + [MaxPool2D(2), Flatten()])  # exercise 1's layers, then Flatten
my_dense = None
dense_result = check_dense_params(my_dense, in_features=with_pool.output_shape((3, 32, 32))[0],
                                  out_features=64)
dense_result

# %% [markdown]
# Lesson 12 takes that idea to its end: global average pooling shrinks every map to a single number before the
# dense layer.
#
# ## Summary
#
# - The theory material's network has 122,570 parameters, more than half of them in the first dense layer;
#   more than two thirds of its 4.5 million multiply-adds per image are in the second convolution.
# - Stacking 3×3 convs and 2×2 pools lets the last conv layer see 18×18 pixels with small kernels.
# - Filters grow (32, then 64) as the image shrinks: few simple features early, many complex ones deep.
# - Moving to PyTorch is mostly renaming; moving to Keras also means channels last and weights
#   `(KH, KW, C_in, C_out)`. The theory notes' Keras model puts the softmax inside the model; to match
#   PyTorch and cnnlib, end with a plain `Dense(10)` and use `from_logits=True` in the loss.
