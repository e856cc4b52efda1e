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
# Everything runs on `cnnlib`, the small library that comes with the course. Every operation in it exists
# twice: a **loop version** that reads like the maths, and a **fast version** that the tests prove gives the
# same numbers. You will write the loop versions yourself first.

# %% [markdown]
# ## How each lesson works: derive, check, switch
#
# 1. **Derive**: write the operation as plain loops, on an example small enough to check by hand.
# 2. **Check**: compare your result with `cnnlib`'s.
# 3. **Switch**: from then on, use `cnnlib` and build on it.
#
# Exercises check themselves. When an answer is wrong, the checker says what the mistake probably was.

# %% [markdown]
# ## The lessons
#
# | Lesson | What you learn |
# |---|---|
# | `01_sliding_window` | the kernel sliding over the input, cross-correlation vs convolution, channels, filters and biases |
# | `02_stride_padding_output_size` | stride, padding, dilation and the output-size formula; 'valid' vs 'same'; the shapes through a whole network |
# | `03_filters_and_feature_maps` | classic kernels (blur, sharpen, edges) on a real photo; RGB filters; banks of filters; ReLU |
# | `04_pooling` | max and average pooling, what they keep and what they lose |
# | `05_activations_and_batchnorm` | ReLU, sigmoid and friends; batch normalization in training and evaluation |
# | `06_backprop` | the backward pass of every layer, seen step by step, and gradient checking |
# | `07_making_it_fast` | from loops to one matrix multiply (im2col) |
# | `08_training_by_hand` | the training loop written by hand: SGD, the learning rate, momentum and Adam, binary cross-entropy, initialisation, weight decay, dropout and early stopping |
# | `09_training` | train the whole network on Fashion-MNIST and look inside it |
# | `10_architectures` | a 32×32×3 network, and the same models in PyTorch and Keras |

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
# Here is the widget of the next lesson. First the still picture:

# %%
from cnnlib.viz import show
from cnnlib.widgets import sliding_window_view, sliding_window_widget

show(sliding_window_view(step=1).fig)

# %% [markdown]
# **If you see a slider and a Play button below**, widgets work: press Play and watch the green window walk
# over the input.
#
# If instead you see a line of plain text that names the widget (a `VBox` or an `IntSlider` with its
# settings in brackets), the widget extension is not active: open the lessons with `make lab` (JupyterLab
# from the course's environment) and run the cell again.

# %% tags=["nbval-ignore-output"]
sliding_window_widget()

# %% [markdown]
# ## Where things are
#
# - `notebooks/`: the lessons, in order.
# - `cnnlib/`: the library. `cnnlib/functional/` holds the operations as functions (loop and fast versions),
#   `cnnlib/layers/` the layers, `cnnlib/viz/` and `cnnlib/widgets/` the figures and widgets you see here.
# - `images/`: the figures the notes refer to, redrawn by `make images`.
#
# Next: **`01_sliding_window`**.
