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
# # 02 · Stride, padding and the output size
#
# In lesson 01 the window moved one cell at a time and never left the input. Two settings change that:
#
# - the **stride** $S$: how many cells the window jumps between positions;
# - the **padding** $P$: a border of zeros added around the input.
#
# By the end you can predict the output size of any convolution, choose between `'valid'` and `'same'`,
# and follow the shapes through a whole network.

# %%
import numpy as np

from cnnlib.demos.formatting import wrap_text
from cnnlib.exercises.output_size import check_output_size, check_same_padding
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D
from cnnlib.shapes import (conv_output_shape, conv_output_size, explain_conv_output_size, keras_same_padding,
                           pool_output_size, resolve_padding, same_padding)
from cnnlib.viz import show
from cnnlib.widgets import output_size_view, output_size_widget, sliding_window_view, sliding_window_widget

x = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]])  # lesson 01's example
k = np.array([[1, 0], [-1, 1]])

# %% [markdown]
# ## Stride: bigger steps
#
# With stride $S$, the window for output cell $(i, j)$ starts at $(i \cdot S,\ j \cdot S)$: the theory notes'
# $X[i + m,\ j + n]$ becomes $X_{pad}[iS + m,\ jS + n]$, with $X_{pad}$ the input with its padding (next
# section; their formula is written for stride 1 and no padding;
# they also call the kernel size $F$, which we write $K$). On lesson 01's example, stride 2 keeps every other
# window: a $2 \times 2$ output instead of $3 \times 3$.

# %% tags=["presentation-hide"]
show(sliding_window_view(step=2, x=x, kernel=k, stride=2))

# %% tags=["nbval-ignore-output"]
sliding_window_widget(x, k, stride=2, step=2)

# %% [markdown]
# ## Padding: a border of zeros
#
# Without padding, every layer with a kernel larger than $1 \times 1$ shrinks the image, and the border pixels
# fall under fewer windows than the centre ones. Padding adds $P$ rows and columns of zeros on **each** side
# (gray below). With $P = 1$ the example's output grows to $5 \times 5$: the window now also starts on the
# border. At step 1 it covers three zeros of the padding and $x[0, 0]$, so $\text{out}[0, 0] = 1 \cdot 1 = 1$;
# lesson 01's first window comes at step 7, as $\text{out}[1, 1]$ (padding shifts every index by $P$).

# %% tags=["presentation-hide"]
show(sliding_window_view(step=1, x=x, kernel=k, padding=1))

# %% tags=["nbval-ignore-output"]
sliding_window_widget(x, k, padding=1)

# %% [markdown]
# ## The output-size formula
#
# The padded input has $H + 2P$ cells along an axis. A window of size $K$ fits at start $0$, then at
# $S, 2S, \dots$ as long as it does not stick out, so the number of positions is
#
# $$H_{out} = \left\lfloor \frac{H + 2P - K}{S} \right\rfloor + 1$$
#
# and the same for the width. The $+1$ counts the first position; the floor $\lfloor\cdot\rfloor$ drops a
# last step that would not fit.
#
# **Dilation** $D$ spreads the kernel's taps $D$ cells apart (a kernel "with holes"). It still has $K$
# weights, but it spans
#
# $$K_{eff} = K + (K - 1)(D - 1) = D\,(K - 1) + 1$$
#
# cells, and $K_{eff}$ replaces $K$ in the formula. The tap $(m, n)$ of output cell $(i, j)$ reads
# $X_{pad}[iS + mD,\ jS + nD]$.

# %% [markdown]
# ## The widget
#
# Five sliders: input size $H$, kernel $K$, stride $S$, padding $P$ and dilation $D$. At the top, right under
# the sliders: the formula with your numbers. The big grid is the padded input (gray: padding) with the first
# window (solid) and the last one (dashed); the dots are the cells the kernel actually touches. Above it, one
# bar per window position. Right: the output, and a legend of the cell colours. Every number in the figure
# (axes, window starts, dropped cells) counts cells of the **padded** input: 0 is the first padding column.
#
# Its starting state:

# %% tags=["presentation-hide"]
show(output_size_view(size=7, kernel_size=3, stride=2, padding=1, dilation=1))

# %% [markdown]
# Things to try:
#
# - stride 3 with $H = 8$ and $P = 0$: the windows no longer reach the end; the cells they miss turn
#   **red-orange, cross-hatched** (dropped by the floor);
# - kernel 2 with stride 3: the windows no longer touch each other; the cells in between turn **yellow,
#   striped** (skipped by the stride);
# - kernel 7 on a small input with no padding: no window fits, and the widget says why;
# - dilation 2: the same 3×3 kernel covers a 5×5 area.

# %% tags=["nbval-ignore-output"]
output_size_widget()

# %% [markdown]
# ## What the floor drops
#
# Take $H = 8$, $K = 3$, $S = 2$, $P = 0$. The windows start at 0, 2 and 4; the next one would start at 6
# and need cells 6, 7 and 8, but there is no cell 8. So the last column (and row) is never looked at:

# %%
show(output_size_view(size=8, kernel_size=3, stride=2, padding=0))

# %% [markdown]
# `cnnlib.shapes.explain_conv_output_size` writes the same computation out in words:

# %%
print(explain_conv_output_size(8, kernel_size=3, stride=2, padding=0))

# %% [markdown]
# ## Derive, check, switch
#
# **Derive**: the formula is one line of Python. `//` is integer division, which rounds down: the floor.

# %%
def output_size(H, K, S=1, P=0, D=1):
    K_eff = K + (K - 1) * (D - 1)
    return (H + 2 * P - K_eff) // S + 1


output_size(7, 3, S=2, P=1)

# %% [markdown]
# **Check** it against `cnnlib.shapes.conv_output_size` on every setting the widget allows. `cnnlib` also
# refuses the settings where no window fits, which our one-liner does not notice:

# %%
agree, refused = 0, 0
for H in range(1, 13):
    for K in range(1, 8):
        for S in range(1, 5):
            for P in range(0, 4):
                for D in range(1, 4):
                    try:
                        expected = conv_output_size(H, K, S, P, D)
                    except ValueError:
                        refused += 1  # the kernel is larger than the padded input
                        continue
                    agree += output_size(H, K, S, P, D) == expected
print(f"{agree} settings agree, {refused} refused by cnnlib (no window fits)")

# %% [markdown]
# The loops try $12 \cdot 7 \cdot 4 \cdot 4 \cdot 3 = 4032$ settings: the two counts add up to all of them, so
# none disagreed. **Switch**: from now on we use `cnnlib.shapes` (and every `cnnlib` layer checks its input
# with it).
# Its error message says what to change:

# %%
try:
    conv_output_size(2, kernel_size=5)
except ValueError as err:
    print(wrap_text(err))  # long messages wrap between words

# %% [markdown]
# ## 'valid' and 'same'
#
# Two paddings have names:
#
# - **`'valid'`**: no padding, $P = 0$. Only windows that fit entirely in the input; at stride 1 the output
#   shrinks by $K_{eff} - 1$ ($K - 1$ without dilation). (The theory notes say the output "is smaller than
#   input": not for a $1 \times 1$ kernel, which keeps the size.)
# - **`'same'`**: just enough padding that, at stride 1, the output has the **same** size as the input. (The
#   notes say "output size matches input size" without the "at stride 1": see below for a stride. Their
#   formula's $2P$ also cannot express 'same' for an even kernel, which needs a different padding on each
#   side.)
#
# For 'same' we need $H + P_{total} - K + 1 = H$, so $P_{total} = K - 1$ (with dilation, $K_{eff} - 1$). For an
# odd kernel that splits evenly: $K = 3$ needs one zero on each side.

# %%
print("K=3:", resolve_padding("same", 3))  # ((top, bottom), (left, right))
print("K=5:", resolve_padding("same", 5))

# %% [markdown]
# For an **even** kernel, $K - 1$ is odd and cannot be split evenly. PyTorch and TensorFlow put the extra
# zero **after**: at the bottom and on the right. `cnnlib` does the same.

# %%
print("K=2:", resolve_padding("same", 2))
print("K=4:", same_padding(4), "(before, after)")

# %%
show(output_size_view(size=6, kernel_size=2, stride=1, padding="same"))

# %% [markdown]
# Check it with a real layer: `Conv2D(..., padding="same")` keeps the $6 \times 6$ size with a
# $2 \times 2$ kernel, and gives exactly what we get by padding one zero at the bottom and right ourselves:

# %%
rng = np.random.default_rng(0)
image = rng.standard_normal((1, 1, 6, 6))
same = Conv2D(1, 1, kernel_size=2, padding="same", seed=0)
manual = Conv2D(1, 1, kernel_size=2, padding=0, seed=0)  # same seed: same weights
padded = np.pad(image, ((0, 0), (0, 0), (0, 1), (0, 1)))  # one zero row at the bottom, one column on the right
print("'same' output shape:", same(image).shape)
print("equal to manual bottom/right padding:", np.allclose(same(image), manual(padded)))

# %% [markdown]
# ### 'same' with a stride: PyTorch and Keras disagree
#
# With stride 2 and the little padding 'same' adds (at most $K_{eff} - 1$ in all), the output is about half the
# input, so "same size" cannot hold. The two
# big frameworks answer this differently:
#
# - **PyTorch** (`nn.Conv2d(..., padding='same')`) accepts `'same'` only at stride 1 and raises an error for a
#   stride > 1.
# - **Keras/TensorFlow** (the framework of the course's theory notes) accepts `padding='same'` at any stride and
#   makes the output $H_{out} = \lceil H / S \rceil$.
#
# Keras pads just enough for those $H_{out}$ windows: they span $(H_{out} - 1) \cdot S + K_{eff}$ rows, so
#
# $$P_{total} = \max\big((H_{out} - 1) \cdot S + K_{eff} - H,\ 0\big), \qquad K_{eff} = D\,(K - 1) + 1$$
#
# (Keras itself accepts a dilation $D > 1$ only at stride 1, so at $S > 1$ its $K_{eff}$ is just $K$),
#
# split as evenly as possible, the odd extra pixel **after** (bottom/right), as at stride 1. At $S = 1$ this is
# the $K_{eff} - 1$ from above.
#
# By hand, with $K = 3$ and $S = 2$:
#
# - $H = 7$: $H_{out} = \lceil 7/2 \rceil = 4$, $P_{total} = (4 - 1) \cdot 2 + 3 - 7 = 2$: one zero on each side.
# - $H = 8$: $H_{out} = \lceil 8/2 \rceil = 4$, $P_{total} = (4 - 1) \cdot 2 + 3 - 8 = 1$: none on top, one at
#   the bottom.
#
# `cnnlib.shapes.keras_same_padding(H, K, S)` computes Keras' `(before, after)`, and
# `conv_output_size(H, K, S, pads=(before, after))` confirms the $\lceil H/S \rceil$ outputs:

# %%
for H in (7, 8):
    pads = keras_same_padding(H, kernel_size=3, stride=2)
    print(f"H={H}, K=3, S=2: Keras 'same' pads {pads} (before, after) ->",
          conv_output_size(H, 3, stride=2, pads=pads), "outputs; ceil(H/S) =", -(-H // 2))  # ceil: -floor(-H/2)

# %% [markdown]
# Note that the padding depends on $H$ (2 for $H = 7$, 1 for $H = 8$). At stride 1 it does not, so a layer can
# fix it when it is built, before it has seen an image. `cnnlib` follows **PyTorch**, whose argument names and
# layout it uses throughout: `padding='same'` with a stride > 1 raises, and the message gives Keras' rule and
# the way around it:

# %%
try:
    Conv2D(1, 1, kernel_size=3, stride=2, padding="same")
except ValueError as err:
    print(wrap_text(err))

# %% [markdown]
# The way around it: compute Keras' padding for your input size and pass it per side,
# `padding=((top, bottom), (left, right))`. An $8 \times 8$ image then gives Keras' $4 \times 4$:

# %%
pads = keras_same_padding(8, kernel_size=3, stride=2)  # (0, 1): the same for the rows and the columns
strided = Conv2D(1, 1, kernel_size=3, stride=2, padding=(pads, pads), seed=0)
print(strided, "-> output", strided(np.ones((1, 1, 8, 8))).shape)

# %% [markdown]
# ## Shapes through a whole network
#
# The theory notes follow a $32 \times 32 \times 3$ image through three convolutions and two poolings
# (pooling, lesson 04, uses the same formula with $S = K$ by default). We compute every shape with
# `cnnlib.shapes` and check it against the `output_shape` of real `cnnlib` layers. The notes write shapes
# as (height, width, channels); `cnnlib` stores them as (channels, height, width).

# %%
def shape_table(input_hwc, layers):
    """One row per layer: its output shape from cnnlib.shapes, checked against the layer's own output_shape."""
    H, W, C = input_hwc
    chw = (C, H, W)  # cnnlib's order for one sample
    print(f"{'layer':<32}{'output (H, W, C)':>18}{'parameters':>12}")
    print(f"{'input':<32}{str((H, W, C)):>18}")
    for name, layer in layers:
        if isinstance(layer, Conv2D):
            H, W = conv_output_shape((H, W), layer.kernel_size, layer.stride, layer.padding)
            C = layer.out_channels
            shape = (H, W, C)
        elif isinstance(layer, MaxPool2D):
            (KH, KW), (SH, SW) = layer.kernel_size, layer.stride
            H, W = pool_output_size(H, KH, SH), pool_output_size(W, KW, SW)
            shape = (H, W, C)
        elif isinstance(layer, Flatten):
            shape = (H * W * C,)
        else:  # Dense
            shape = (layer.out_features,)
        chw = layer.output_shape(chw)  # what the layer itself computes
        expected = shape if len(shape) == 1 else (C, H, W)
        assert chw == expected, f"{name}: cnnlib.shapes says {expected}, the layer says {chw}"
        print(f"{name:<32}{str(shape):>18}{layer.num_params():>12,}")


shape_table((32, 32, 3), [
    ("Conv1: 32 filters 3x3", Conv2D(3, 32, 3)),
    ("MaxPool1: 2x2, stride 2", MaxPool2D(2)),
    ("Conv2: 64 filters 3x3", Conv2D(32, 64, 3)),
    ("MaxPool2: 2x2, stride 2", MaxPool2D(2)),
    ("Conv3: 64 filters 3x3", Conv2D(64, 64, 3)),
    ("Flatten", Flatten()),
    ("Dense: 10 outputs", Dense(1024, 10)),
])

# %% [markdown]
# Every number matches the notes: 30 → 15 → 13 → 6 → 4, and $4 \cdot 4 \cdot 64 = 1024$ features.
# Notice $\lfloor 13 / 2 \rfloor = 6$: the second pooling drops the last row and column. (The notes' TensorFlow
# code adds a `Dense(64)` before the last layer; the shapes up to the flatten are the same.)
#
# The network of the from-scratch notes: a $28 \times 28$ grayscale image, two convolutions with pooling, then
# a dense layer of 128 units and the output (those notes give no number of classes and no flatten; we assume
# 10 classes, Fashion-MNIST's, and add the `Flatten` the dense layer needs):

# %%
shape_table((28, 28, 1), [
    ("Conv1: 32 filters 3x3, ReLU", Conv2D(1, 32, 3)),
    ("MaxPool1: 2x2", MaxPool2D(2)),
    ("Conv2: 64 filters 3x3, ReLU", Conv2D(32, 64, 3)),
    ("MaxPool2: 2x2", MaxPool2D(2)),
    ("Flatten", Flatten()),
    ("Dense: 128, ReLU", Dense(5 * 5 * 64, 128)),
    ("Dense: 10, softmax", Dense(128, 10)),
])

# %% [markdown]
# In this network most parameters sit in the first dense layer, not in the convolutions: that is the flatten's
# price. (Not in the 32×32 table above, whose three convolutions hold 56,320 and its last layer 10,250. The
# notes' own Keras model, with its `Dense(64)` before the last layer, has $1024 \cdot 64 + 64 = 65{,}600$ plus
# $64 \cdot 10 + 10 = 650$ in its dense layers: there too they hold most.)

# %% [markdown]
# ## Exercises
#
# Predict the output height for each setting, write your answers in place of the `None`s and run the cell.
# The checker explains a wrong answer; `results[0]` is the first one's feedback, `results[1]` the second's, and
# so on.

# %%
settings = [  # (H, K, S, P, D)
    dict(size=28, kernel_size=5, stride=1, padding=0),
    dict(size=28, kernel_size=5, stride=1, padding=2),
    dict(size=15, kernel_size=3, stride=2, padding=0),
    dict(size=10, kernel_size=3, stride=1, padding=0, dilation=2),
]
my_answers = [None, None, None, None]

results = [check_output_size(answer, **setting) for answer, setting in zip(my_answers, settings)]
for result in results:
    print(result)

# %% [markdown]
# Here is what the checker says to some typical mistakes (each line is a different setting):

# %%
print(check_output_size(8, 7, 3, stride=1, padding=2))  # right answer 9: forgot the + 1
print(check_output_size(7, 7, 3, stride=1, padding=2))  # right answer 9: padded one side only
print(check_output_size(4, 8, 3, stride=2, padding=0))  # right answer 3: rounded up
print(check_output_size(10, 12, 3, stride=1, dilation=3))  # right answer 6: ignored the dilation

# %% [markdown]
# **'same' padding.** Which `(before, after)` padding makes a $6 \times 6$ kernel keep the size at stride 1?
# Stuck? `same_result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_padding = None
same_result = check_same_padding(6, my_padding)
same_result

# %%
print(check_same_padding(4, (2, 1)))  # a slip for K = 4: the right total on the wrong side

# %% [markdown]
# **Keras' 'same' at stride 2.** Which `(before, after)` padding does Keras use for $H = 10$, $K = 5$, $S = 2$?
# (PyTorch and `cnnlib` would refuse `padding='same'` here.) Stuck? `keras_result.hint(1)`, then `.hint(2)`,
# `.hint(3)`.

# %% tags=["presentation-hide"]
my_keras_padding = None
keras_result = check_same_padding(5, my_keras_padding, size=10, stride=2)
keras_result

# %%
print(check_same_padding(7, (3, 3), size=8, stride=2))  # a slip for K = 7, H = 8: the stride-1 answer

# %% [markdown]
# ## Summary
#
# - $H_{out} = \lfloor (H + 2P - K_{eff}) / S \rfloor + 1$ with $K_{eff} = K + (K-1)(D-1)$.
# - The floor drops the last cells when the stride does not fit exactly.
# - `'valid'` is $P = 0$; `'same'` pads $K_{eff} - 1$ in total at stride 1, the odd extra zero at the
#   bottom/right.
# - At a stride > 1, PyTorch (and `cnnlib`) refuse `'same'`; Keras/TensorFlow give $\lceil H/S \rceil$ outputs
#   with $P_{total} = \max((\lceil H/S \rceil - 1) S + K_{eff} - H, 0)$ (`keras_same_padding`).
# - A network's shapes follow from applying the formula layer by layer; `cnnlib.shapes` does it for you.
#
# Next: [**`03_filters_and_feature_maps`**](03_filters_and_feature_maps.ipynb), with real kernels on a real photograph.
