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
# # 13 · What the network sees: saliency, occlusion, Grad-CAM, and shifts
#
# A trained network says "Ankle boot, 85 %". Which pixels made it say so? Three classic answers, each a different
# question put to the same network:
#
# | method | the question | cost |
# |---|---|---|
# | **saliency** (Simonyan et al. 2014) | which pixels, nudged a little, change the class score most? | one backward pass |
# | **occlusion** (Zeiler & Fergus 2014) | which region, hidden, lowers the class probability most? | one forward pass per position |
# | **Grad-CAM** (Selvaraju et al. 2017) | which places of the last feature maps does the score lean on? | one forward + backward |
#
# Each is derived on a model small enough to work out on paper, checked against `cnnlib.explain`, then used on
# a small residual network trained on Fashion-MNIST. Then the failure cases: what the maps show on a
# misclassified image, what Grad-CAM cannot see, why saliency looks like noise. The lesson ends with a
# measurement: shift an image by a few pixels, and the feature maps **move with it** (equivariance) while the
# prediction **stays** (invariance), up to a point that we measure.

# %%
import numpy as np

from cnnlib.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist
from cnnlib.demos.explain import (choose_examples, explain_image, grad_cam_by_hand, mirrored_bars,
                                  occlusion_by_hand, probabilities, tiny_saliency)
from cnnlib.demos.shifts import layer_maps, shift_response, shift_statistics
from cnnlib.exercises.explain import check_linear_saliency, check_occlusion_positions
from cnnlib.explain import grad_cam, occlusion, saliency, saliency_map
from cnnlib.networks import PRETRAINED_RESNET_TEST_ACCURACY, fashion_mnist_resnet
from cnnlib.viz import draw_mirrored_bars, show
from cnnlib.widgets import ExplanationSet, equivariance_widget, explain_widget

# %% [markdown]
# ## The network, trained on all the data
#
# The network is lesson 12's blocks put together: `fashion_mnist_resnet` (a 3×3 stem conv, max pooling to
# 14×14, a residual block, a stride-2 residual block to 7×7, global average pooling, `Dense(48, 10)`; 43,762
# parameters). Trained for 10 epochs on all 60,000 training images, it takes about 12 minutes on one core, too
# long to wait for in class, so cnnlib ships the weights of that run: `fashion_mnist_resnet(pretrained=True)`.
# They come from `benchmarks/resnet_fashion_mnist.py`, whose table in `benchmarks/resnet_fashion_mnist.md` says
# **0.9220** on the 10,000 test images. That is a number you can check: the cell below scores them.
#
# The recipe, if you want to train it yourself: the same code the benchmark runs, with label smoothing 0.1
# (lesson 09). On the machine that trained the shipped weights, with `OPENBLAS_NUM_THREADS=1` as the benchmark
# sets it, a second run scored the same test accuracy after every epoch, to four digits; on another machine the
# last digits of the sums differ, and so may a few predictions. Pasted into this lesson it replaces `model`, so the
# cells below then explain your network.
#
# ```python
# from cnnlib.callbacks import CosineLR
# from cnnlib.losses import CrossEntropy
# from cnnlib.optim import SGD
#
# x_train, y_train = load_fashion_mnist("train")
# model = fashion_mnist_resnet(seed=0)
# optimizer = SGD(model, lr=0.1, momentum=0.9, weight_decay=5e-4)
# model.fit(x_train, y_train, loss=CrossEntropy(label_smoothing=0.1), optimizer=optimizer, epochs=10,
#           batch_size=128, seed=0, callbacks=[CosineLR(optimizer, total_steps=10 * 469)])  # 469 batches an epoch
# model.save("my_resnet.npz")  # later: from cnnlib import Sequential; model = Sequential.load("my_resnet.npz")
# ```
#
# It uses no augmentation: in the benchmark's trials flips did not help within 10 epochs, and without them the
# shift measurements at the end of this lesson show what the architecture does by itself.

# %%
x_test, y_test = load_fashion_mnist("test")
model = fashion_mnist_resnet(pretrained=True)
accuracy = model.evaluate(x_test, y_test)["accuracy"]
print(f"test accuracy on all 10,000 test images: {accuracy:.4f} "
      f"(benchmarks/resnet_fashion_mnist.md: {PRETRAINED_RESNET_TEST_ACCURACY:.4f})")
x_eval, y_eval = x_test[:2000], y_test[:2000]  # for the shift measurements at the end

# %% [markdown]
# The same 0.9220 as the table: these are the benchmark's weights, scored by your cnnlib. The course's target,
# 0.935, takes a larger network: a third stage at 4×4 (`fashion_mnist_resnet((24, 48, 96), (1, 1, 1))`, 1.3
# times the time per epoch), trained on randomly mirrored images. It scores just under 0.935 (0.9308 and 0.9347
# in two runs), and just reaches it when each test image's class probabilities are averaged with its mirror
# image's (0.9353 and 0.9350; the benchmark's table). In code, with the imports and `x_train` of the recipe
# above and `x_test` from the cell above:
#
# ```python
# from cnnlib.augment import RandomAugment
# from cnnlib.layers import Softmax
#
# model = fashion_mnist_resnet((24, 48, 96), (1, 1, 1), seed=0)  # a third stage at 4×4
# optimizer = SGD(model, lr=0.1, momentum=0.9, weight_decay=5e-4)
# model.fit(x_train, y_train, loss=CrossEntropy(label_smoothing=0.1), optimizer=optimizer, epochs=10,
#           batch_size=128, seed=0, callbacks=[CosineLR(optimizer, total_steps=10 * 469)],
#           augment=RandomAugment(flip=True, max_shift=0, seed=0))  # each image mirrored with probability 1/2
# softmax = Softmax()
# p = softmax(model.predict(x_test)) + softmax(model.predict(x_test[..., ::-1]))  # (10000, 10): two votes added
# print(f"flip-averaged test accuracy: {np.mean(p.argmax(axis=1) == y_test):.4f}")
# ```
#
# The benchmark's two runs of this recipe printed 0.9353 and 0.9350: right at the target, so another seed may
# land just under it. About one test image in thirteen is still misclassified by the network here, and those
# are worth a look too.
#
# ## Saliency: the gradient of the score with respect to the pixels
#
# **Derive.** The score of class $t$ is its logit $z_t$ (before softmax: the probability of one class also
# moves when the *other* logits move). Saliency is $\partial z_t / \partial x$, one number per pixel: how fast
# the score changes if that pixel gets a little brighter. Take the smallest model with a convolution in it: a
# 3×3 image, a 2×2 kernel $K$ (no bias), ReLU, and a dense layer $D$ from the 4 hidden units to 2 classes:
#
# $$h_p = \sum K \odot x_{\text{window } p}, \qquad z_t = \sum_p D_{p,t}\,\mathrm{ReLU}(h_p),$$
#
# so
#
# $$\frac{\partial z_t}{\partial x} = \sum_{p:\,h_p > 0} D_{p,t}\; K \text{ placed on window } p.$$
#
# Each *active* hidden unit stamps its kernel, scaled by its dense weight, where its window was; inactive units
# (ReLU's zero) add nothing. With the numbers:

# %%
tiny = tiny_saliency(target=0)
print("image:\n", tiny.image, "\nkernel K:\n", tiny.kernel)
print("hidden units h (before ReLU):\n", tiny.hidden)
print("dense weights of class 0, units 0-3:", tiny.dense[:, 0], "  logits:", tiny.logits)

# %% [markdown]
# The hidden units are numbered row by row, as `Flatten` orders them: unit 0 is top-left, unit 3 bottom-right.
# Units 0 and 3 are active ($h = 2$), units 1 and 2 are not. So the saliency is $1 \cdot K$ on the top-left
# window plus $3 \cdot K$ on the bottom-right one; the centre pixel is in both and gets $1 \cdot 1 + 3 \cdot 1 = 4$:
#
# $$\frac{\partial z_0}{\partial x} = \begin{bmatrix}1 & -1 & 0\\ 0 & 1 & 0\\ 0 & 0 & 0\end{bmatrix}
# + 3\begin{bmatrix}0 & 0 & 0\\ 0 & 1 & -1\\ 0 & 0 & 1\end{bmatrix}
# = \begin{bmatrix}1 & -1 & 0\\ 0 & 4 & -3\\ 0 & 0 & 3\end{bmatrix}.$$
#
# **Check** the loop (`saliency_by_hand`), `cnnlib.explain.saliency` (one backward pass from a one-hot
# `dout`) and central differences of the logit (`cnnlib.gradcheck.numerical_gradient`):

# %%
print("by hand:\n", tiny.by_hand)
print("cnnlib.explain.saliency equals it:", np.array_equal(tiny.library, tiny.by_hand))
print("central differences within 1e-8:", np.allclose(tiny.numeric, tiny.by_hand, rtol=0, atol=1e-8))

# %% [markdown]
# **Use** it on the network: `saliency(model, x, target)` is shaped like the image, and `saliency_map` takes
# its absolute value (the largest over the colour channels; here there is one). Test image 0, for the class
# the network predicts:

# %%
e0 = explain_image(model, x_test[0], label=y_test[0])
grad = saliency(model, x_test[0], e0.target)
print(f"predicted {FASHION_MNIST_CLASSES[e0.predicted]} (p = {e0.probabilities[e0.predicted]:.2f}); "
      f"gradient shape {grad.shape}, map shape {saliency_map(grad).shape}")
print("explain_image's saliency is this map:", np.allclose(e0.saliency, saliency_map(grad)))

# %% [markdown]
# ## Occlusion: hide a patch, watch the probability
#
# **Derive.** Saliency is a derivative: it answers for tiny changes. Occlusion makes a big one: paint a
# $P \times P$ patch black, run the network, and record how much the probability of the class **drops**,
# $p_t(x) - p_t(x \text{ with the patch at } (i, j))$. (Zeiler & Fergus painted grey squares and plotted the
# probability itself; black is this data set's background, and `occlusion(..., fill=...)` takes any other
# value, such as the images' mean.) The patch moves like a pooling window with stride $S$
# and no padding, so there are $\lfloor (H - P)/S \rfloor + 1$ positions per side (lesson 02's formula). On
# the tiny model, as loops (`occlusion_by_hand`), and **check** against `cnnlib.explain.occlusion`, which runs
# all the occluded copies as batches:

# %%
drop = occlusion_by_hand(tiny.model, tiny.image[None], 0, patch=2, stride=1)
print("drop in p(class 0) per 2×2 patch position:\n", drop.round(4))
print("cnnlib.explain.occlusion equals it:",
      np.allclose(drop, occlusion(tiny.model, tiny.image[None], 0, 2, 1).drop, rtol=1e-9))

# %% [markdown]
# The bottom-right patch hurts most: it hides the window of unit 3, the unit with the largest weight.
# **Use**: on the network, a 7×7 patch moved by 3 pixels takes $(28 - 7)/3 + 1 = 8$ positions per side,
# 64 forward passes; `heatmap` spreads each drop over the pixels the patch covered (the mean where patches
# overlap):

# %%
occ = occlusion(model, x_test[0], e0.target, patch=7, stride=3)
print(f"drop map {occ.drop.shape}, per-pixel heatmap {occ.heatmap.shape}; p = {occ.probability:.2f}, "
      f"largest drop {occ.drop.max():.2f}")

# %% [markdown]
# ## Grad-CAM: the last feature maps, weighted by the gradient
#
# **Derive.** Take the activations $A$ of a late layer, $C$ maps of $h \times w$. Grad-CAM gives each channel
# one weight, the *average* gradient of the score over its map, and adds the maps up with these weights:
#
# $$\alpha_c = \frac{1}{hw}\sum_{i,j} \frac{\partial z_t}{\partial A_{c,i,j}}, \qquad
# L = \mathrm{ReLU}\Big(\sum_c \alpha_c A_c\Big).$$
#
# On the tiny model at its ReLU: one channel, $A = \mathrm{ReLU}(h)$, and $\partial z_0 / \partial A_p = D_{p,0}$,
# so $\alpha = (1 + 2 - 1 + 3)/4 = 1.25$ and $L = 1.25\,A$:

# %%
alpha, cam_by_hand = grad_cam_by_hand(tiny.hidden, tiny.dense, 0)
tiny_cam = grad_cam(tiny.model, tiny.image[None], 0, layer=1)
print("alpha by hand:", alpha, "  cnnlib:", tiny_cam.weights)
print("map by hand:\n", cam_by_hand, "\ncnnlib.explain.grad_cam equals it:", np.allclose(tiny_cam.cam, cam_by_hand))

# %% [markdown]
# **Check on the network.** Our network ends in global average pooling and one dense layer, so the score is
# $z_t = \sum_c W_{c,t} \cdot \mathrm{mean}(A_c)$ and every gradient on map $c$ is $W_{c,t} / 49$: Grad-CAM's
# weights must be the dense layer's column for class $t$, divided by the 7×7 = 49 positions. (For such
# networks Grad-CAM is the older *class activation map* of Zhou et al. 2016, divided by 49 and with its
# negative values set to 0.) Layer 7 is the last ReLU,
# the usual choice (the `#` column of `model.summary((1, 28, 28))`):

# %%
cam0 = grad_cam(model, x_test[0], e0.target, layer=7)
dense_column = model.layers[9].params["W"][:, e0.target]
print(f"maps {cam0.activation.shape}, weights {cam0.weights.shape}, map {cam0.cam.shape} -> heatmap "
      f"{cam0.heatmap.shape}")
print("weights × 49 == the dense column:", np.allclose(cam0.weights * 49, dense_column, rtol=1e-5))

# %% [markdown]
# The map has the layer's resolution, 7×7: its pixels are 4 image pixels apart (each one *sees* a 24×24 window
# of the image, its receptive field, lesson 10). It is upsampled bilinearly to 28×28 (each new pixel a blend
# of the four nearest map pixels, weighted by distance) and divided by its maximum.
#
# ## The three side by side
#
# Ten test images from the first hundred: six the network gets right and four of the nine it gets wrong (marked
# ✘ in the menu). Image 0 first:

# %%
shown = choose_examples(probabilities(model, x_test[:100]).argmax(axis=1), y_test[:100], n_right=6, n_wrong=4)
explained = ExplanationSet(model, x_test[shown], y_test[shown], FASHION_MNIST_CLASSES)
print("test images:", shown.tolist())

# %% tags=["presentation-hide", "nbval-ignore-output", "cpu-rounding"]
show(explained.view(index=0))

# %% tags=["nbval-ignore-output"]
explain_widget(explained)

# %% [markdown]
# How to read it: **saliency** (magma) is bright where a small change of a pixel changes the score most;
# **occlusion** (red-blue) is red where hiding a 7×7 patch lowers the probability, blue where hiding it
# *raises* it; **Grad-CAM** (viridis) is bright where the last feature maps that favour the class are active.
# The three agree roughly on *where* the garment is and disagree on the details, because they answer different
# questions. Things to try:
#
# - **Another class.** Choose a class the network did not predict: Grad-CAM may still light up the garment
#   (the class's channels can fire there too), and occlusion may turn blue where the patch hides evidence
#   *against* the class.
# - **Show one method over the image** (the "show" menu): the map is blended over the photo and its panel
#   framed.
# - **The misclassified images (✘)**, next.
#
# ## Failure cases
#
# ### 1. A misclassified image: Grad-CAM says where, not why
#
# Test image 23 is an ankle boot that the network calls a sandal:

# %% tags=["nbval-ignore-output", "cpu-rounding"]
wrong = list(shown).index(23)
show(explained.view(index=wrong))

# %%
boot = explained.explanation(wrong)
as_boot = explained.explanation(wrong, target=int(y_test[23]))
similar = np.corrcoef(boot.grad_cam.ravel(), as_boot.grad_cam.ravel())[0, 1]
print(f"p(Sandal) = {boot.probabilities[5]:.2f}, p(Ankle boot) = {boot.probabilities[9]:.2f}")
print(f"correlation of the Grad-CAM maps for 'Sandal' and for 'Ankle boot': {similar:.2f}")
print(f"occlusion: a black patch lowers p(Sandal) by at most {boot.occlusion_drop.max():.2f}, "
      f"raises it by up to {-boot.occlusion_drop.min():.2f}")

# %% [markdown]
# The network looked at the right object: the maps sit on the shoe. Read them together:
#
# - **Grad-CAM for "Sandal"** (above) is brightest at the top of the shoe, at the front end of the dark
#   cut-out: open space in the upper part of a shoe is what sandals have, and this boot has a dark band across
#   it. Choose "Ankle boot" in the widget: its Grad-CAM is brightest on the toe, which the "Sandal" map leaves
#   dark, and it also lights the top of the heel, where the "Sandal" map is fairly bright too (over the whole
#   image the two maps are uncorrelated, printed above). The network found evidence for both classes, mostly
#   in different parts of the same shoe, and the "Sandal" evidence won.
# - **Occlusion for "Sandal"** is blue almost everywhere on the shoe: painting a black patch on it makes it
#   *more* of a sandal, since black patches are more gaps. Hiding the top edge of the cut-out lowers p(Sandal)
#   most (by 0.21); elsewhere only a patch under the toe lowers it noticeably, by 0.11. (These are drops per
#   patch position, the printed numbers; the panel spreads them over the pixels and averages where patches
#   overlap, so its colour bar ends at smaller values.)
#
# What no map can say is *which property* of that region misled the network: the gap's shape, its darkness,
# the missing shaft? A heatmap on the object is not proof that the network understood the object, and a
# heatmap for the wrong class that looks just as plausible is a warning to read all of them with care.
#
# ### 2. Grad-CAM weighs whole channels
#
# Grad-CAM gives each channel **one** weight. If a channel fires in two places and the score reads only one
# of them, both places light up. A constructed case (`mirrored_bars`): the same vertical bar on the left and on
# the right, a conv filter that finds vertical bars, and a class whose score is the mean of that filter's map
# **over the left half only** (dashed box):

# %%
bars = mirrored_bars()
print("saliency on the right half, largest |value|:", np.abs(bars.saliency[:, 6:]).max())
print("Grad-CAM on the left bar, on the right bar:", bars.grad_cam[:, 2].max(), bars.grad_cam[:, 9].max())
show(draw_mirrored_bars(bars))

# %% [markdown]
# Saliency is exactly 0 on the right: no pixel there changes the score. Grad-CAM lights both bars alike,
# because it sees "the vertical-bar channel matters", not *where* on that channel the score reads. (Even inside
# the box the saliency is non-zero only in columns 1 to 3, around the bar: the ReLU switches off every unit away from the
# bar, and a pixel that only switched-off units read does not move the score.) In our
# network the last maps are 7×7 and the score reads them all through the global average, so this case does not
# arise there; in networks that keep position to the end (a dense layer after `Flatten`), it can.
#
# ### 3. Saliency is noisy
#
# The saliency of image 0 above is speckled, and much of it sits on the black background, where there is
# nothing to see:

# %%
background = x_test[0, 0] == 0
share = e0.saliency[background].sum() / e0.saliency.sum()
print(f"background: {background.mean():.0%} of the pixels, {share:.0%} of the saliency")

# %% [markdown]
# About as much saliency per pixel on the background as on the boot. Black pixels carry no information about
# the garment, yet brightening one of them does change the score: the
# gradient is a fact about the network's function near *this* image, not a statement of what the network
# "uses". It jumps from pixel to pixel because each ReLU switches a whole path on or off. Averaging the
# gradients of many noisy copies (SmoothGrad, Smilkov et al. 2017) or along a path from a black image
# (integrated gradients, Sundararajan et al. 2017)
# are the usual remedies; occlusion is smoother because it averages over overlapping patches, Grad-CAM because
# it has only 7×7 values, blended by the bilinear upsampling.
#
# ## Equivariance and invariance, measured
#
# **Derive.** A convolution commutes with a shift: shift the input one pixel right and the output is the old
# output shifted one pixel right, $\mathrm{conv}(\mathrm{shift}(x)) = \mathrm{shift}(\mathrm{conv}(x))$,
# because every output pixel applies the same kernel to its own window. That holds exactly for stride 1 and
# away from the borders (at a border, what comes in must equal the zero padding). That is **equivariance**:
# the feature maps *move with* the image. A classifier should be **invariant** instead: a sandal 2 pixels to
# the right is still a sandal. Of this network's layers, only global average pooling throws position away by
# design: it averages each map over all its positions. A max pool's output is the
# strongest value in its window, so a small shift often leaves it in place: lesson 04 measured that robustness
# for one pooling layer (similarity 0.8 after a 1-pixel shift, against 0.6 before pooling). But a stride-2 pool
# or conv also makes the grid coarser: a shift that is not a whole step of that grid cannot move the maps by a
# whole cell, so it changes them instead, and equivariance is no longer exact.
#
# **Check.** `shift_response` shifts an image 0 to 4 pixels to the right (black coming in from the left), and
# for three layers finds the offset that best aligns the new maps with the old ones (the peak of their
# cross-correlation), then compares the logits. A trouser whose right 5 columns are black, so nothing falls off
# the edge:

# %%
clear = np.flatnonzero(x_test[:200, 0, :, -5:].max(axis=(1, 2)) == 0)[0]
r = shift_response(model, x_test[clear], shifts=(0, 1, 2, 3, 4), layers=(2, 5, 7))
print(f"test image {clear}: {FASHION_MNIST_CLASSES[y_test[clear]]}, layers {r.layers}, strides {r.strides}")
for k, layer in enumerate(r.layers):
    print(f"layer {layer}: maps moved by {r.measured[k].astype(int)} px; left over after moving back: "
          f"{np.round(r.aligned_change[k], 2)}")
print("p(predicted class) at each shift:", np.round(r.probability, 3))
black = layer_maps(model, np.zeros((1, 1, 28, 28), np.float32), 2)[0, :, 14, 14]  # (24,): stem on black
print(f"stem channels active on a black image: {np.sum(black > 0)} of {len(black)}")

# %% [markdown]
# Layer 2 (28×28, before any pooling) moves by exactly the shift, and moved back it is *identical*: exact
# equivariance. Layer 5 (14×14) can move only in steps of 2 pixels: an odd shift falls between two of its
# pixels, so the maps change instead of moving. What is left over after an even shift is at the borders: the
# padding adds zeros where the background's activation is not zero (17 of the 24 stem channels are active on
# black, printed above), so the maps' edges know where the image edge is. Layer 7 (7×7) moves in steps of 4,
# and even a whole step leaves much of it changed (0.54): each of its pixels combines a 7-pixel-wide strip of
# layer 5's 14×14 maps (a stride-2 conv, then a 3×3 conv), so layer 5's changed edges reach into its middle.
# The prediction stays "Trouser" at every shift, but its probability dips from 0.940 to 0.805 at 2 pixels,
# half a step of layer 7, and comes back to 0.925 at 4, a whole step. The figure: left, how far the maps moved
# (the dotted gray diagonal is exact equivariance; layer 2's line lies on it and hides it); right, how much
# the maps and the logits changed, compared in place:

# %% tags=["presentation-hide", "nbval-ignore-output", "cpu-rounding"]
show(explained.shift_view(index=list(shown).index(clear), shift=1))

# %% [markdown]
# Compared in place, a 1-pixel shift changes the stem's maps by 93 % of their size (the blue curve at 1 px):
# the same picture, one pixel over, is a very different array. The logits change by 20 % of theirs, about a
# fifth as much, and the prediction not at all. Move the shift (the gray line), or choose another of the ten
# test images of the widget above:

# %% tags=["nbval-ignore-output"]
equivariance_widget(explained, index=list(shown).index(clear), shift=1)

# %% [markdown]
# **Use: how invariant is the network, over 2,000 test images?**

# %%
stats = shift_statistics(model, x_eval, y_eval, shifts=(0, 1, 2, 3, 4))
for s, same, acc, dp in zip(stats.shifts, stats.same_prediction, stats.accuracy,
                            stats.mean_probability_change):
    print(f"shift {s} px: same prediction {same:.1%}, accuracy {acc:.3f}, mean |change of p| {dp:.3f}")

# %% [markdown]
# Invariant only in part (unshifted, these 2,000 test images score 0.930): one pixel to the right changes
# about one prediction in fourteen (7.4 %), and the accuracy falls by more than nine points at 2 pixels. Then
# it partly recovers: at 4 pixels, a whole step of the 7×7 maps, fewer predictions change than at 2 or 3,
# though the probabilities themselves keep moving (their mean change grows with every pixel). Part of the cause
# is the stride-2 steps (a 2×2 max pool and a stride-2 conv): a shift that is not a whole step for the later maps
# changes them instead of moving them (Azulay & Weiss 2019 measure the same for ImageNet networks). The other
# part is the data: every Fashion-MNIST image is centred, so the network never saw a shifted garment, and many
# of them touch the edges, so a shift cuts a strip off. Invariance the architecture
# does not give has to be learned, which is what training on shifted copies (`cnnlib.augment.RandomAugment`)
# is for.
#
# ## Exercises
#
# **1. The saliency of a linear model.** For the model `Sequential([Flatten(), Dense(D, K)])` the score is
# $z_c = \sum_i x_i W_{i,c} + b_c$ with `W` shaped `(D, K)` as `Dense` stores it. Write its saliency,
# $\partial z_c / \partial x$, shaped like the image `x` (`x.shape`, e.g. `(1, 28, 28)`). Stuck?
# `result.hint(1)`, then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
def linear_saliency(W, b, x, c):
    """d z_c / d x for z = x.ravel() @ W + b, shaped like x."""
    # your code
    ...


result = check_linear_saliency(linear_saliency)
result

# %%
print(check_linear_saliency(lambda W, b, x, c: np.ones_like(x)))  # a slip: "the derivative of x is 1"

# %% [markdown]
# **2. Occlusion positions.** An 8×8 patch moves over a 28×28 image with stride 4. How many positions does it
# take along one side (so how many rows does `occlusion(...).drop` have)? Stuck? `positions_result.hint(1)`,
# then `.hint(2)`, `.hint(3)`.

# %% tags=["presentation-hide"]
my_positions = None
positions_result = check_occlusion_positions(my_positions, size=28, patch=8, stride=4)
positions_result

# %%
print(check_occlusion_positions(8, size=16, patch=4, stride=2))  # a slip in another setting: 16 // 2

# %% [markdown]
# ## Summary
#
# - **Saliency** $= \partial z_t / \partial x$: one backward pass. On a linear model it is the weight column of
#   the class; on a deep network it changes with every image and is noisy.
# - **Occlusion**: the drop in $p_t$ when a patch is hidden, $\lfloor (H - P)/S \rfloor + 1$ positions per
#   side, one forward pass each. It measures big changes, not infinitesimal ones.
# - **Grad-CAM**: the last feature maps weighted by their mean gradient; after global average pooling the
#   weights are the dense layer's column over $h w$. It is coarse (7×7 here) and weighs whole channels.
# - The three show *where* the evidence is, not *why*: on a misclassified image they highlight the object
#   for the wrong class as readily as for the right one.
# - Convolutions are **equivariant** (stride 1: the maps move by exactly the shift, away from the borders);
#   global average pooling makes the output **invariant** to where a feature is. Max pooling makes the maps
#   robust to small shifts, but stride-2 pooling and convs keep equivariance only for shifts of a whole step.
#   Measured: a 1-pixel shift changes the stem's maps by most of their size, the prediction of about one image
#   in fourteen.
#
# **Seeds:** the shipped weights were trained from `seed=0` (the initial weights and the batch order); the ten
# images of the widget are chosen by rule from the first hundred test images, so every run shows the same.
#
# **References.** K. Simonyan, A. Vedaldi, A. Zisserman, *Deep Inside Convolutional Networks: Visualising Image
# Classification Models and Saliency Maps*, ICLR workshop 2014. M. D. Zeiler, R. Fergus, *Visualizing and
# Understanding Convolutional Networks*, ECCV 2014. R. R. Selvaraju et al., *Grad-CAM: Visual Explanations from
# Deep Networks via Gradient-based Localization*, ICCV 2017. B. Zhou et al., *Learning Deep Features for
# Discriminative Localization* (CAM), CVPR 2016. A. Azulay, Y. Weiss, *Why do deep convolutional networks
# generalize so poorly to small image transformations?*, JMLR 2019. D. Smilkov et al., *SmoothGrad: removing
# noise by adding noise*, 2017. M. Sundararajan, A. Taly, Q. Yan, *Axiomatic Attribution for Deep Networks*
# (integrated gradients), ICML 2017.
