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
# # 00 · Start here
#
# This course builds a **convolutional neural network (CNN) from scratch in numpy**, one idea at a time,
# and ends with one you train yourself on real images.
#
# Everything runs on `cnnlib`, the small library that comes with the course. Every spatial operation in it
# (convolution and pooling) exists twice: a **loop version** that reads like the maths, and a **fast version**
# that the tests prove gives the same numbers. You write the first loops yourself, in exercise cells that check
# themselves (one below, and some in every lesson after it); later lessons derive the loop versions with you
# before switching to the library.

# %% [markdown]
# ## How each lesson works: derive, check, switch
#
# 1. **Derive**: build the operation as plain loops (the first ones you write yourself), on an example small
#    enough to check by hand.
# 2. **Check**: compare your result with `cnnlib`'s.
# 3. **Switch**: from then on, use `cnnlib` and build on it.
#
# Exercises check themselves. When an answer is wrong, the checker says what the mistake probably was.
#
# ## The course's three documents
#
# The lessons follow the three handouts the course is built from (your instructor hands them out; they are
# not part of this repository), and say plainly where one of them slips:
#
# - **the from-scratch notes** ("Implementing CNNs from Scratch", also called the implementation outline):
#   numpy code for a convolution, max pooling and batch norm, and the layers of a network for 28×28×1 images,
#   listed without code (lessons 01, 02, 03, 04, 05, 07, 08, 09, 10);
# - **the theory notes** ("Convolutional Neural Networks (CNNs) Theory and Basics", also called the theory
#   material): the sliding window, output sizes, the example of a 4×4 input and a 2×2 kernel, the shape table
#   of a 32×32×3 network and its Keras model (lessons 01, 02, 03, 04, 05, 10);
# - **the practical guide** ("Key Concepts in CNNs: A Practical Guide"): a cross-correlation layer, ReLU, the
#   forward and backward pass, cross-entropy, and the training and test loops (lessons 01, 05, 06, 08, 09).
#
# A handout's slip is pointed out where the lesson teaches that part, for example the practical guide's one
# bias per output position (lesson 01), the from-scratch notes' batch norm over `axis=0` only (lesson 05), the
# practical guide's backward pass (lesson 06) and its test loop, which never divides to get an accuracy
# (lesson 08).

# %% [markdown]
# ## How exercises work: a first one
#
# The heart of a convolution is one **window**: a patch of the image times a small grid of weights (the
# **kernel**), element by element, all added up. For the patch $\begin{bmatrix}1 & 2\\ 0 & 1\end{bmatrix}$ and
# the kernel $\begin{bmatrix}1 & 0\\ -1 & 1\end{bmatrix}$ that is
# $1 \cdot 1 + 2 \cdot 0 + 0 \cdot (-1) + 1 \cdot 1 = 2$.
#
# **Exercise.** Write it as two loops, over the rows `m` and the columns `n` of the kernel. Replace the `...`
# with your code, run the cell (click in it, then press Shift+Enter), then run the check below it the same way.
#
# Run a lesson's cells in order, from the top (or all at once: **Run ▸ Run All Cells**): a cell uses what the
# cells above it made, so a `NameError` usually means a cell above has not run yet. (Jupyter calls the Python
# process that runs a notebook its *kernel*; that kernel has nothing to do with the grid of weights.)

# %% tags=["presentation-hide"]
def multiply_and_add(patch, kernel):
    """Sum of patch[m, n] * kernel[m, n] over every position (m, n); patch and kernel have the same shape."""
    KH, KW = kernel.shape
    # your code: a running total, and two loops
    ...


# %% [markdown]
# The check tries your function on the example above, on a non-square $2 \times 3$ window, on a random one and
# on one with fractions. Until the cell above is filled in, it says "not written yet". When it finds a mistake it says what is
# wrong, and no more. If you are stuck, ask the result for help in a new cell, one step at a time:
#
# - `result.hint(1)`: what is wrong (already in the message);
# - `result.hint(2)`: where to look;
# - `result.hint(3)`: the fix;
# - `result.solution()`: one solution, to compare with yours.
#
# Every lesson's exercises work the same way, and lesson 06's find-the-bug exercises give the same staged hints.
#
# If the check stops with `ModuleNotFoundError: No module named 'cnnlib'` (or `'numpy'`), this notebook is not
# running in the course's environment: open the lessons with `make lab`, which installs everything and starts
# JupyterLab with the right Python.

# %% tags=["presentation-hide"]
from cnnlib.exercises.window import check_multiply_and_add

result = check_multiply_and_add(multiply_and_add)
result

# %% [markdown]
# ## The lessons
#
# | Lesson | What you learn |
# |---|---|
# | [`01_sliding_window`](01_sliding_window.ipynb) | the kernel sliding over the input, cross-correlation vs convolution, channels, filters and biases |
# | [`02_stride_padding_output_size`](02_stride_padding_output_size.ipynb) | stride, padding, dilation and the output-size formula; 'valid' vs 'same'; the shapes through a whole network |
# | [`03_filters_and_feature_maps`](03_filters_and_feature_maps.ipynb) | classic kernels (blur, sharpen, edges) on a real photo; RGB filters; banks of filters; ReLU |
# | [`04_pooling`](04_pooling.ipynb) | max and average pooling, what they keep and what they lose |
# | [`05_activations_and_batchnorm`](05_activations_and_batchnorm.ipynb) | ReLU, sigmoid and friends; batch normalization in training and evaluation |
# | [`06_backprop`](06_backprop.ipynb) | the backward pass of every layer, seen step by step, and gradient checking |
# | [`07_making_it_fast`](07_making_it_fast.ipynb) | from loops to one matrix multiply (im2col) |
# | [`08_training_by_hand`](08_training_by_hand.ipynb) | the training loop written by hand: SGD, the learning rate, momentum and Adam, binary cross-entropy, initialisation, weight decay, dropout and early stopping |
# | [`09_training`](09_training.ipynb) | train the whole network on Fashion-MNIST and look inside it |
# | [`10_architectures`](10_architectures.ipynb) | a 32×32×3 network: shapes, parameters and multiply-adds, receptive fields, and the same models in PyTorch and Keras |
# | [`11_transposed_convolution`](11_transposed_convolution.ipynb) | the backward pass of a convolution as a layer: learned upsampling, its output size and `output_padding`, the checkerboard artefact |
# | [`12_modern_building_blocks`](12_modern_building_blocks.ipynb) | 1×1 convs, stacked 3×3 convs, global average pooling, strided convs and residual connections, with their parameter counts; LeNet → VGG → ResNet |
# | [`13_what_the_network_sees`](13_what_the_network_sees.ipynb) | saliency, occlusion and Grad-CAM on a trained residual network and where they fail; shift an image: the feature maps move, the prediction mostly stays |

# %% [markdown]
# ## Check your setup
#
# Run the next cell (click it, then press **Shift+Enter**). Every line should start with `ok`.
# A line marked `FIX` says what to install.

# %% tags=["nbval-ignore-output"]
from cnnlib.setup_check import check_environment

setup_ok = check_environment()

# %% [markdown]
# ## How to use the widgets
#
# Many lessons have **widgets**: sliders, menus and a **Play** button that redraw a figure as you move them.
#
# - Drag a slider, or click it and use the **arrow keys** to move one step at a time.
# - **Play** (▶) moves the slider on its own; press it again to pause.
# - Each widget is preceded by a still picture of its starting state, so the lesson still reads when
#   nothing runs (for example on a website that only shows notebooks).
#
# Here is the widget of the next lesson (in the notebook, a still picture of it comes first):

# %% tags=["presentation-hide"]
from cnnlib.viz import show
from cnnlib.widgets import sliding_window_view, sliding_window_widget

show(sliding_window_view(step=1))

# %% [markdown]
# **If you see a slider and a Play button below**, widgets work: press Play and watch the green window walk
# over the input.
#
# Before the cell has run (a lesson you just opened), its place shows one line starting with
# "▶ Interactive figure" and the settings it starts with: run the cell and the widget appears there.
# If that line is still there after the cell has run, the widget extension is not active: open the lessons
# with `make lab` (JupyterLab from the course's environment) and run the cell again.

# %% tags=["nbval-ignore-output"]
sliding_window_widget()

# %% [markdown]
# ## Where things are
#
# - `notebooks/`: the lessons, in order.
# - `cnnlib/`: the library. `cnnlib/functional/` holds the operations as functions (loop and fast versions),
#   `cnnlib/layers/` the layers, `cnnlib/viz/` and `cnnlib/widgets/` the figures and widgets you see here.
# - `images/`: pictures drawn by `cnnlib` (lesson 01's animation, and the figures the README shows), redrawn
#   by `make images`.
#
# Next: [**`01_sliding_window`**](01_sliding_window.ipynb).
