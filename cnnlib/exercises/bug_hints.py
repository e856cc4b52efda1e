"""Staged hints for the exercises: what is wrong, then where to look, then the fix.

Each entry is a ``(what, where, fix)`` triple. The checkers (the find-the-bug
ones in :mod:`cnnlib.exercises.gradcheck_diagnosis`, the write-a-function ones
in :mod:`cnnlib.exercises.window` and :mod:`cnnlib.exercises.sliding_window`) show only ``what`` at first; a
student asks for ``where`` and ``fix`` one at a time with
:meth:`~cnnlib.exercises.feedback.Feedback.hint`, so reading the diagnosis does
not solve the exercise. ``{…}`` fields are filled with the failing setting.
"""
from __future__ import annotations

HINTS = {
    # -- convolution: the known broken versions, named exactly ------------------------------------------------
    "stride": (
        "correct at stride 1, wrong at strides 2 and 3: something that depends on the stride ignores it.",
        "look at the line that places the window of output cell (i, j) in x_pad.",
        (
            "output cell (i, j) reads the window whose top-left corner is (i * stride, j * stride), so its gradient "
            "must go back there: top, left = i * stride, j * stride."
        ),
    ),
    "flip": (
        (
            "dW and db pass in every setting, but dx fails everywhere, even at stride 1 without padding: the formula "
            "for dx itself is wrong, not the handling of stride or padding."
        ),
        (
            "look at the kernel that dout is correlated with to give dx (W_back). Compare with the loop version: "
            "which weight meets which dout entry?"
        ),
        (
            "dx is the FULL correlation of dout with W rotated by 180°: "
            "W_back = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)."
        ),
    ),
    "flip_loop": (
        (
            "dW and db pass in every setting, but dx fails everywhere, even at stride 1 without padding: the formula "
            "for dx itself is wrong, not the handling of stride or padding."
        ),
        (
            "look at the weights your loop adds into dx_pad for each output cell. In the forward pass, input cell "
            "x_pad[n, :, top + p, left + q] met weight W[f, :, p, q]: which weight does your line send back to it?"
        ),
        (
            "in the loop (scatter) form the kernel goes back as it is: "
            "dx_pad[n, :, top:top + KH, left:left + KW] += dout[n, f, i, j] * W[f]. The rotation by 180° belongs "
            "only to the correlation form, where dx is the full correlation of dout with the rotated kernel; the "
            "scatter already sends every weight back to the input cell it met."
        ),
    ),
    "crop": (
        (
            "correct without padding, wrong with padding 1, and only dx fails: the padding is undone wrongly on the "
            "way back."
        ),
        "look at the line that cuts dx out of dx_pad: which rows and columns of dx_pad belong to x?",
        (
            "the padding added P rows and columns on EVERY side, so crop them from every side: "
            "dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]."
        ),
    ),
    "every_element": (
        "dx fails in every setting, even with 2×2 windows that do not overlap: too many pixels receive gradient.",
        (
            "look at the line that sends dout[n, c, i, j] back into dx: which pixels of the window does it reach, "
            "and which of them reached the output in the forward pass?"
        ),
        (
            "only the maximum reached the output, so only it gets dout[n, c, i, j]: "
            "dx[n, c, top + r, left + s] += dout[n, c, i, j], where (r, s) is the argmax of the window; "
            "the other elements get 0."
        ),
    ),
    "bn_axes": (
        (
            "correct for 1×1 feature maps, wrong for 4×4 ones, and only dx fails: something in dx is right only when "
            "H = W = 1."
        ),
        (
            "look at the two sums inside dx: over which axes do they run, and over which axes were the mean and "
            "the variance taken (and m counted)?"
        ),
        (
            "BatchNorm2D takes each channel's mean and variance over (N, H, W), so both sums in dx must run over "
            "axis=(0, 2, 3) (axes), not axis=0: the same N·H·W values that m, already right in the code, counts. "
            "With H = W = 1, axis=0 sums the same values as axis=(0, 2, 3), which is why 1×1 passes."
        ),
    ),
    # -- convolution: patterns of other slips ------------------------------------------------------------------
    "stride_pattern": (
        "{grads} correct at stride 1, wrong at stride 2: something that depends on the stride ignores it.",
        "look at where each window starts (loop form) or at the spacing of dout (correlation form).",
        (
            "output cell (i, j) reads the window at (i * stride, j * stride); in the correlation form, dout needs "
            "stride - 1 zeros between its entries."
        ),
    ),
    "crop_pattern": (
        "dx is correct without padding, wrong with padding 1: the padding is undone wrongly on the way back.",
        "look at the line that cuts dx out of dx_pad.",
        "crop P rows and columns from every side: dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in].",
    ),
    "uncropped": (
        "on {setting}, dx has the padded input's shape {shape}, not the shape of x.",
        "look at the end: dx_pad is the gradient of the PADDED input; x is only its middle.",
        "crop the padding off: dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in].",
    ),
    "minus_padding": (
        "correct with padding 1, but at padding 0 dx is empty: shape {shape}.",
        (
            "look at the slice that crops dx out of dx_pad: with padding = 0, -padding is 0 as well, so "
            "dx_pad[:, :, padding:-padding] is dx_pad[:, :, 0:0], nothing."
        ),
        (
            "slice with the size instead of a negative index: "
            "dx = dx_pad[:, :, padding:padding + H, padding:padding + W_in]."
        ),
    ),
    "dropped_rows": (
        (
            "{grads} correct whenever the stride fits exactly, wrong at {setting}: there (H + 2P − K) / S leaves a "
            "remainder, so the floor drops the last row and column of x_pad."
        ),
        (
            "look at the rows and columns of x_pad that no window reaches: what gradient do they get, and does your "
            "dx_pad still have the padded input's size?"
        ),
        (
            "they get 0: in the correlation form, pad the dilated dout with extra zeros at the bottom/right for the "
            "dropped rows, so that dx_pad has x_pad's shape."
        ),
    ),
    "dx": (
        "dx fails even at stride 1 without padding, while dW passes there: the formula for dx is wrong.",
        "look at what is added into dx_pad for each output cell (or the kernel dout is correlated with).",
        (
            "dx_pad[n, :, window] += dout[n, f, i, j] * W[f]; all at once, the full correlation of dout with W "
            "rotated by 180°."
        ),
    ),
    "dW": (
        "dW fails even at stride 1 without padding: the formula for dW is wrong.",
        "look at what is added into dW[f] for each output cell.",
        "dW[f] += dout[n, f, i, j] * window, where window is the patch of x_pad that output cell read.",
    ),
    "dW_first_image": (
        "dW fails even at stride 1 without padding: it is the gradient of the FIRST image of the batch only.",
        "look at the loop over the images n: every image's windows add into the same dW.",
        "dW[f] += dout[n, f, i, j] * window for every n, with += (not =, and not only for n = 0): dW sums the "
        "whole batch's contributions.",
    ),
    "dW_batch_mean": (
        "dW fails even at stride 1 without padding: it is the MEAN over the images, the right dW divided by N.",
        "look for a division by the number of images (or a .mean over the batch axis) in dW.",
        "dW is the SUM over the images: dout already carries the loss's 1/N, so do not divide again.",
    ),
    "db": (
        "db fails: the bias gradient is wrong.",
        (
            "look at the line that computes db: each bias is added to every output cell of its channel, in every "
            "image."
        ),
        "db[f] is dout[:, f] summed over the batch and both spatial axes: db = dout.sum(axis=(0, 2, 3)).",
    ),
    # -- max pooling -----------------------------------------------------------------------------------------
    "average": (
        (
            "each pixel of a window got an equal share of its gradient, dout / (k·k): that is AVERAGE pooling's "
            "backward."
        ),
        "look at where dout goes: in the forward pass, which pixel of the window became the output?",
        (
            "max pooling sends all of dout[n, c, i, j] to the window's maximum: dx[n, c, top + r, left + s] += "
            "dout[n, c, i, j]; the other pixels get 0."
        ),
    ),
    "overlap": (
        "correct when the windows do not overlap, wrong when they do.",
        "look at how dx receives each window's gradient: a pixel can be the maximum of several windows.",
        "add (+=) the gradients of every window a pixel wins, instead of overwriting (=) them.",
    ),
    "pool_stride": (
        "correct with 2×2 windows at stride 1, wrong at stride 2: something that depends on the stride ignores it.",
        "look at the line that places the window of output cell (i, j) in x.",
        "the window of output cell (i, j) starts at (i * stride, j * stride): top, left = i * stride, j * stride.",
    ),
    # -- batch normalization ---------------------------------------------------------------------------------
    "constant_stats": (
        "dx is what you get when the mean and variance are constants: that is dx in eval mode.",
        "in training the mean and variance are computed from the batch: what happens to them when one x moves?",
        (
            "moving one x also moves μ and σ², which adds the two sum terms: "
            "dx = γ/(m·σ) · (m·dout − Σ dout − x̂ · Σ dout·x̂), sums over (N, H, W)."
        ),
    ),
    "dgamma_dbeta": (
        "dx passes in every setting but {grads} fail: the parameter gradients are wrong.",
        "look at the lines computing dgamma and dbeta: what multiplies gamma and beta in the forward pass?",
        (
            "dgamma = Σ dout·x̂ and dbeta = Σ dout, summed over (N, H, W) for each channel: "
            "(dout * x_hat).sum(axis=(0, 2, 3)) and dout.sum(axis=(0, 2, 3))."
        ),
    ),
    # -- lesson 00: multiply_and_add(patch, kernel), one window ---------------------------------------------------
    "window_unwritten": (
        "the answer is ONE number: every patch value times the kernel weight at the same position, all added up.",
        "two loops, over the rows m and the columns n of the kernel (KH, KW = kernel.shape), and a running total "
        "that starts at 0.",
        "total = 0; for m in range(KH): for n in range(KW): total += patch[m, n] * kernel[m, n]; then return total.",
    ),
    "window_no_weights": (
        "you added the patch values without their weights.",
        "look at what you add to the total inside the loops.",
        "add patch[m, n] * kernel[m, n], not patch[m, n].",
    ),
    "window_no_sum": (
        "you returned the products, not their sum: the answer is one number.",
        "look at what you return: is it a single number?",
        "add the products up: a running total inside the loops, or np.sum(patch * kernel).",
    ),
    "window_rotated": (
        "you used {slip}. Rotated by 180° it would be convolution; CNNs compute cross-correlation, with the kernel "
        "as it is.",
        "look at which kernel weight you multiply patch[m, n] with.",
        "patch[m, n] meets kernel[m, n], the weight at the SAME position: no flipping of the indices.",
    ),
    "window_partial": (
        "only some of the products were added: {why}.",
        "look at the ranges of your loops: do they cover every row AND every column, also for a 2×3 kernel?",
        "KH, KW = kernel.shape; for m in range(KH): for n in range(KW): ... (rows with KH, columns with KW).",
    ),
    # -- lesson 01: corr2d(x, k), the double loop --------------------------------------------------------------
    "corr2d_unwritten": (
        "the output has H − KH + 1 rows and W − KW + 1 columns; out[i, j] is the patch of x at (i, j) times the "
        "kernel, summed.",
        "make out = np.zeros((H_out, W_out)), then loop over i in range(H_out) and j in range(W_out); the patch of "
        "out[i, j] is x[i:i + KH, j:j + KW].",
        "H_out, W_out = x.shape[0] - KH + 1, x.shape[1] - KW + 1; inside the two loops "
        "out[i, j] = np.sum(x[i:i + KH, j:j + KW] * k); return out after the loops.",
    ),
    "corr2d_shape": (
        "the output has the wrong shape: {why}",
        "look at H_out and W_out, and at the ranges of your two loops.",
        "a K-wide window fits H − K + 1 times into H: H_out, W_out = x.shape[0] - KH + 1, x.shape[1] - KW + 1, "
        "rows first.",
    ),
    "corr2d_kernel": (
        "the right windows, the wrong kernel: {why}",
        "look at the kernel you multiply each patch with: is it k itself?",
        "multiply the patch by k exactly as given, np.sum(x[i:i + KH, j:j + KW] * k): no flipping, no transposing.",
    ),
    "corr2d_cell": (
        "some output cells are wrong: {why}",
        "look at the patch of out[i, j]: which rows and columns of x does it take, and are KH and KW in the right "
        "places?",
        "out[i, j] = np.sum(x[i:i + KH, j:j + KW] * k): rows i .. i + KH − 1, columns j .. j + KW − 1.",
    ),
    # -- lesson 01: conv_layer_by_hand(x, W, b), channels, filters and biases ----------------------------------
    "layer_unwritten": (
        "one output map per filter f: add corr2d(x[c], W[f, c]) over the input channels c, then add b[f].",
        "loop over the filters f in range(W.shape[0]); inside, sum over c in range(W.shape[1]); stack the maps "
        "with np.stack.",
        "maps = [sum(corr2d(x[c], W[f, c]) for c in range(W.shape[1])) + b[f] for f in range(W.shape[0])]; "
        "return np.stack(maps).",
    ),
    "layer_shape": (
        "the output has the wrong shape: {why}",
        "look at what you stack: one 2-D map per filter, each the sum over ALL input channels.",
        "for each f: total = sum of corr2d(x[c], W[f, c]) over c, plus b[f]; np.stack the C_out totals.",
    ),
    "layer_bias": (
        "{why}",
        "look at where b[f] is added: once per filter, after the sum over the channels.",
        "total = sum(corr2d(x[c], W[f, c]) for c in range(C_in)); then total + b[f], once.",
    ),
    "layer_channels": (
        "{why}",
        "look at the sum over the input channels: does it visit every c, and pair x[c] with W[f, c]?",
        "sum(corr2d(x[c], W[f, c]) for c in range(W.shape[1])): channel c of the input meets kernel c of filter f.",
    ),
    "function_crash": (
        "{name} raised {problem}.",
        "read the error: which line raised it, and with which shapes? Print the shapes of the arrays there.",
        "make it run on the example first ({example}), then compare its numbers with the check's.",
    ),
    "function_other": (
        "{why}",
        "compute that case (or that output cell) by hand, then print what your function computes for it, step by step.",
        "compare your code with the formula above the exercise, line by line.",
    ),
    # -- lesson 06: a "fix" that hands the work to cnnlib -----------------------------------------------------------
    "library_backward": (
        (
            "cnnlib's own backward passes the gradient check, so a function that calls it passes too, without "
            "fixing anything."
        ),
        (
            "start again from a fresh copy of the broken function and keep it written from plain arrays: the "
            "mistake is one line of it."
        ),
        (
            "the checker's result on the broken function itself (diagnosis_2 to diagnosis_5 in the lesson) leads to "
            "that line: its .hint(2) says where to look, its .hint(3) gives the fix. Fix that line, and call no "
            "cnnlib backward pass or layer."
        ),
    ),
    # -- anything else -----------------------------------------------------------------------------------------
    "crash": (
        "on {setting} your function {problem}.",
        "read the error: which line raised it, and with which shapes?",
        (
            "make it run in every setting first (print the shapes of x_pad, dout and each window), then check the "
            "gradients."
        ),
    ),
    "other": (
        "on {setting}: {why}.",
        "compare your code line by line with what the lesson derived for this layer's backward pass, starting "
        "with the first gradient that fails.",
        (
            "no known slip matches: print your gradient next to the numerical one "
            "(cnnlib.gradcheck.numerical_gradient) on a small case and look where they differ."
        ),
    ),
}
