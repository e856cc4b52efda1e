"""Checkers for the find-the-bug exercises: gradient-check a student's backward, then name the mistake.

Each checker calls the student's function under several settings (stride 1,
2 and 3, with and without padding; disjoint and overlapping pooling windows;
1×1 and 4×4 feature maps), compares every gradient it returns with central
differences of cnnlib's forward pass in float64 (:mod:`cnnlib.gradcheck`),
reports every gradient that fails and where, and reads the pattern: "right at
stride 1, wrong at stride 2" points at the window start, "only dx is wrong" at
the kernel flip, and so on; two mistakes give two findings. A student answer
that reproduces one of the known broken versions
(:mod:`cnnlib.exercises.backprop_bugs`) gets that mistake named exactly, in
the form it is written in: a kernel rotated in the loop (scatter) form is not
Bug 2's ``W_back``. An answer that passes by calling cnnlib's own backward
(``conv2d_backward``, ``MaxPool2D.backward``, …) is told that it fixed nothing.

The message says only what fails; ``result.hint(2)`` says where to look and
``result.hint(3)`` gives the fix (texts in :mod:`cnnlib.exercises.bug_hints`),
so reading the first diagnosis does not solve the exercise. Running the checks
and naming the mistakes is :func:`cnnlib.exercises.diagnosis.diagnose`; this
module holds the settings and the failure patterns of each operation.

>>> from cnnlib.exercises.backprop_bugs import conv_backward_broken_1
>>> diagnose_conv_backward(conv_backward_broken_1).mistake
'stride'
"""
from __future__ import annotations

import inspect
from functools import lru_cache

import numpy as np

from ..functional import avgpool2d_backward, avgpool2d_forward, conv2d, conv2d_backward, conv2d_forward, maxpool2d
from ..gradcheck import numerical_gradient
from ..layers import BatchNorm2D
from .backprop_bugs import BROKEN
from .bug_hints import HINTS
from .diagnosis import TOL, Diagnosis, Setting, diagnose, fill
from .student_code import library_call

__all__ = ["TOL", "Diagnosis", "diagnose_batchnorm_backward", "diagnose_conv_backward", "diagnose_maxpool_backward"]


# -- convolution -----------------------------------------------------------------------------------------
CONV_NAMES = ("dx", "dW", "db")

#: What a fixed backward may not call: cnnlib's convolution backward, in any of its guises (dx is a transposed
#: convolution of dout), and any ``.backward``. Plain ``conv2d``, a correlation, is Bug 2's own tool.
CONV_LIBRARY = frozenset({"conv2d_backward", "conv2d_backward_naive", "conv2d_forward", "conv2d_forward_naive",
                          "conv_transpose2d", "conv_transpose2d_forward", "conv_transpose2d_forward_naive", "Conv2D",
                          "ConvTranspose2D", "backward"})

#: Calls that correlate whole arrays at once: a backward that makes one is written in the correlation form.
_CORRELATIONS = frozenset({"conv2d", "corr2d", "correlate", "correlate2d", "convolve", "convolve2d"})


def _flip_form(fn) -> str:
    """The kernel-flip slip as ``fn`` is written: "flip_loop" in the loop (scatter) form, else "flip".

    In the correlation form (Bug 2) dx needs the kernel rotated by 180°; in the loop form each output cell sends
    back W[f] as it is, so there the slip is a rotation too many. A function whose source is not available is
    taken to be the lesson's copy of Bug 2.
    """
    try:
        inspect.getsource(fn)
    except (OSError, TypeError):
        return "flip"
    return "flip" if library_call(fn, _CORRELATIONS) else "flip_loop"


def _rotated_dx(setting, got) -> bool:
    """True when ``got``'s dx is what a kernel flipped once too often (or once too few) gives on ``setting``."""
    ref = BROKEN["flip"](setting.dout.copy(), *(a.copy() if isinstance(a, np.ndarray) else a for a in setting.args))
    return got is not None and np.shape(got[0]) == np.shape(ref[0]) and np.allclose(got[0], ref[0])


def _batch_dW_slip(setting, got) -> str | None:
    """"dW_first_image" or "dW_batch_mean" when ``got``'s dW is the first image's alone or the batch's mean; else None."""
    x, W, stride, padding = setting.args
    dW = None if got is None else np.asarray(got[1])
    if dW is None or dW.shape != W.shape or x.shape[0] < 2:
        return None
    if np.allclose(dW, setting.numeric["dW"] / x.shape[0], atol=TOL):
        return "dW_batch_mean"
    first = conv2d_backward(setting.dout[:1], conv2d_forward(x[:1], W, None, stride, padding)[1])[1]
    return "dW_first_image" if np.allclose(dW, first, atol=TOL) else None


@lru_cache(maxsize=1)
def _conv_settings() -> tuple:
    rng = np.random.default_rng(0)
    x5 = rng.standard_normal((2, 2, 5, 5))
    W = rng.standard_normal((3, 2, 3, 3))
    b = rng.standard_normal(3)
    x7 = rng.standard_normal((2, 2, 7, 7))
    settings = []
    # 5×5 inputs, where every window fits exactly; then 7×7 at stride 3: 2×2 windows, and the floor drops the
    # last row and column ((7 − 3) / 3 leaves 1). A 5×5 input would give one window there, which no stride slip
    # can move.
    for stride, padding, x in ((1, 0, x5), (2, 0, x5), (1, 1, x5), (2, 1, x5), (3, 0, x7)):
        def forward(x=x, stride=stride, padding=padding):
            return conv2d(x, W, b, stride, padding)

        dout = rng.standard_normal(forward().shape)
        numeric = {name: numerical_gradient(forward, a, dout=dout) for name, a in zip(CONV_NAMES, (x, W, b))}
        padded = (x.shape[0], x.shape[1], x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)
        settings.append(Setting(f"stride {stride}, padding {padding}", (x.copy(), W.copy(), stride, padding),
                                 dout, numeric, padded))
    return tuple(settings)


def _conv_patterns(fails, settings, runs):
    """``(mistake, hints)`` for every slip the pattern of failures points to; ``fails`` maps gradient -> settings."""
    s10, s20, s11 = "stride 1, padding 0", "stride 2, padding 0", "stride 1, padding 1"
    fitting = {s.name for s in settings if s.name != "stride 3, padding 0"}
    explained = set()  # settings where dx's wrong shape is already named: no other pattern should read them
    for s, (r, got) in zip(settings, runs):
        if got is None or got[0].ndim != 4 or not np.isinf(r.errors.get("dx", 0)):
            continue
        if got[0].size == 0 and s.args[3] == 0:
            explained.add(s.name)
            yield "minus_padding", fill("minus_padding", shape=got[0].shape)
        elif got[0].shape == s.padded_shape and s.args[3] > 0:
            explained.add(s.name)
            yield "crop", fill("uncropped", setting=s.name, shape=s.padded_shape)
    fails = dict(fails, dx=fails["dx"] - explained)
    spatial = [g for g in ("dx", "dW") if s10 not in fails[g] and s20 in fails[g]]
    if spatial:
        yield "stride", fill("stride_pattern", grads=" and ".join(spatial) + (" is" if len(spatial) == 1 else " are"))
    if s10 not in fails["dx"] and s11 in fails["dx"]:
        yield "crop", HINTS["crop_pattern"]
    dropped = [g for g in ("dx", "dW") if fails[g] and not fails[g] & fitting]
    if dropped:
        yield "dropped_rows", fill("dropped_rows", setting="stride 3, padding 0",
                                    grads=" and ".join(dropped) + (" is" if len(dropped) == 1 else " are"))
    if s10 in fails["dx"] and s10 not in fails["dW"]:
        flipped = _rotated_dx(settings[0], runs[0][1])  # settings[0] is stride 1, padding 0
        yield ("flip", HINTS["flip"]) if flipped else ("dx", HINTS["dx"])
    if s10 in fails["dW"]:
        slip = _batch_dW_slip(settings[0], runs[0][1])  # settings[0] is stride 1, padding 0
        yield (slip, HINTS[slip]) if slip else ("dW", HINTS["dW"])
    if fails["db"]:
        yield "db", HINTS["db"]


def diagnose_conv_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, W, stride, padding) -> (dx, dW, db)`` at stride 1, 2, 3, padding 0/1; name the mistakes.

    >>> from cnnlib.exercises.backprop_bugs import conv_backward_broken_3
    >>> diagnose_conv_backward(conv_backward_broken_3).mistake
    'crop'
    """
    return diagnose(fn, _conv_settings(), CONV_NAMES, ("stride", "flip", "crop"), _conv_patterns,
                     "the convolution's backward pass is right.", library=CONV_LIBRARY, forms={"flip": _flip_form})


# -- max pooling -----------------------------------------------------------------------------------------
#: cnnlib's max-pooling backward and what leads straight to it (the cache, the argmax indices, the layer).
POOL_LIBRARY = frozenset({"maxpool2d_forward", "maxpool2d_backward", "maxpool2d_forward_naive",
                          "maxpool2d_backward_naive", "maxpool2d_indices", "MaxPool2D", "backward"})


@lru_cache(maxsize=1)
def _pool_settings() -> tuple:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 7, 7))  # continuous values: no ties inside a window
    settings = []
    for k, s, label in ((2, 2, "2×2 windows, stride 2"), (3, 2, "3×3 windows, stride 2 (overlap)"),
                        (2, 1, "2×2 windows, stride 1 (overlap)")):
        def forward(k=k, s=s):
            return maxpool2d(x, k, s)

        dout = rng.standard_normal(forward().shape)
        settings.append(Setting(label, (x.copy(), k, s), dout, {"dx": numerical_gradient(forward, x, dout=dout)}))
    return tuple(settings)


def _pool_patterns(fails, settings, runs):
    first, got = settings[0], runs[0][1]
    if got is not None and got[0].shape == first.dout.shape[:2] + first.args[0].shape[2:]:
        _, cache = avgpool2d_forward(first.args[0], first.args[1], first.args[2])
        if np.allclose(got[0], avgpool2d_backward(first.dout, cache)):
            yield "average", HINTS["average"]
    disjoint, overlap_s2, overlap_s1 = (s.name for s in settings)
    if overlap_s1 not in fails["dx"] and fails["dx"] & {disjoint, overlap_s2}:
        yield "stride", HINTS["pool_stride"]
    elif disjoint not in fails["dx"] and fails["dx"]:
        yield "overlap", HINTS["overlap"]


def diagnose_maxpool_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, kernel_size, stride) -> dx`` with disjoint and overlapping windows.

    >>> from cnnlib.exercises.backprop_bugs import maxpool_backward_broken
    >>> diagnose_maxpool_backward(maxpool_backward_broken).mistake
    'every_element'
    """
    return diagnose(fn, _pool_settings(), ("dx",), ("every_element",), _pool_patterns,
                     "each window's gradient goes to its maximum only.", library=POOL_LIBRARY)


# -- batch normalization ------------------------------------------------------------------------------
BN_NAMES = ("dx", "dgamma", "dbeta")
BN_LIBRARY = frozenset({"BatchNorm1D", "BatchNorm2D", "backward"})  # cnnlib's layers, and any .backward


@lru_cache(maxsize=1)
def _bn_settings() -> tuple:
    rng = np.random.default_rng(2)
    settings = []
    for hw in (1, 4):
        x = rng.standard_normal((4, 3, hw, hw)) * 2 + 1
        layer = BatchNorm2D(3, dtype=np.float64)
        layer.params["gamma"][:] = rng.uniform(0.5, 2.0, 3)
        layer.params["beta"][:] = rng.standard_normal(3)
        dout = rng.standard_normal(x.shape)
        forward = lambda: layer.forward(x)  # noqa: E731  (training mode: batch statistics)
        numeric = {name: numerical_gradient(forward, a, dout=dout)
                   for name, a in zip(BN_NAMES, (x, layer.params["gamma"], layer.params["beta"]))}
        settings.append(Setting(f"{hw}×{hw} feature maps (N=4, C=3)", (x.copy(), layer.params["gamma"].copy()),
                                 dout, numeric))
    return tuple(settings)


def _bn_patterns(fails, settings, runs):
    s, got = settings[1], runs[1][1]
    if got is not None and got[0].shape == s.dout.shape:
        x, gamma = s.args
        inv_std = 1.0 / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
        if np.allclose(got[0], s.dout * gamma.reshape(1, -1, 1, 1) * inv_std):
            yield "constant_stats", HINTS["constant_stats"]
    params = [k for k in ("dgamma", "dbeta") if fails[k]]
    if params and not fails["dx"]:
        yield "dgamma_dbeta", fill("dgamma_dbeta", grads=" and ".join(params))
    if fails["dx"] == {settings[1].name}:
        yield "bn_axes", HINTS["bn_axes"]


def diagnose_batchnorm_backward(fn) -> Diagnosis:
    """Gradient-check ``fn(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)`` (training mode) on 1×1 and 4×4 maps.

    >>> from cnnlib.exercises.backprop_bugs import batchnorm_backward_broken
    >>> diagnose_batchnorm_backward(batchnorm_backward_broken).mistake
    'bn_axes'
    """
    return diagnose(fn, _bn_settings(), BN_NAMES, ("bn_axes",), _bn_patterns,
                     "batch norm's backward pass is right.", library=BN_LIBRARY)
