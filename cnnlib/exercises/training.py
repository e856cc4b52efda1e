r"""Lesson 08 checkers: the SGD update and the momentum update (the BCE gradient's is in ``bce_gradient``).

Each runs the student's function next to cnnlib (``cnnlib.optim.SGD``,
``SGD(momentum=...)``), and when the numbers differ, tries the usual slips
(the sign flipped, the learning rate missing, ``W`` updated but not ``b``, a
velocity that does not carry over, …) to name the mistake. The message says
what is wrong; ``result.hint(2)`` says where to look and ``result.hint(3)``
gives the fix, so the answer is never shown first.

>>> check_sgd_update(reference_sgd_update).correct
True
"""
from __future__ import annotations

import numpy as np

from ..layers import Dense, ReLU
from ..losses import CrossEntropy
from ..model import Sequential
from ..optim import SGD
from .diagnosis import Diagnosis

LR, MOMENTUM = 0.1, 0.9


def reference_sgd_update(model, lr):
    """One plain SGD step by hand: every parameter moves against its gradient, in place."""
    for layer in model.layers:
        for name in layer.params:
            layer.params[name] -= lr * layer.grads[name]


def reference_momentum_update(w, grad, velocity, lr, momentum):
    """One SGD-with-momentum step by hand, as ``torch.optim.SGD`` (velocity starts at zeros)."""
    velocity = momentum * velocity + grad
    w = w - lr * velocity
    return w, velocity


# -- (a) the SGD update ---------------------------------------------------------------------------------------
SGD_HINTS = {
    "not_answered": (
        "no parameter changed: either the `...` of sgd_update is still there, or your update made new arrays "
        "instead of changing the ones the layers hold (see hint(2)).",
        "the update must change the arrays the layers hold, in place (`w = w - lr * g` only makes a new local "
        "array): for every layer of model.layers, and every name in layer.params, move layer.params[name] against "
        "layer.grads[name], by lr times it.",
        "for layer in model.layers:\n    for name in layer.params:\n"
        "        layer.params[name] -= lr * layer.grads[name]",
    ),
    "new_arrays": (
        "the numbers are right, but every layer now holds a new array: `layer.params[name] = layer.params[name] - "
        "...` builds a copy and puts it in the dict.",
        "anything that kept the old array (an optimizer's momentum state, a Residual block's view of its layers' "
        "params, a figure) still sees the old numbers; the exercise asks for the update in place.",
        "layer.params[name] -= lr * layer.grads[name] changes the array itself.",
    ),
    "not_in_place": (
        "your function returned something, but the model's parameters did not change: the update must change "
        "the arrays the layers hold.",
        "`w = w - lr * g` makes a new array and binds it to a local name; the layer still holds the old one.",
        "write the update in place: layer.params[name] -= lr * layer.grads[name].",
    ),
    "sign": (
        "the parameters moved by +lr × grad: uphill. The loss goes up instead of down.",
        "look at the sign in your update line: the gradient points to where the loss grows.",
        "subtract: layer.params[name] -= lr * layer.grads[name].",
    ),
    "no_lr": (
        "the parameters moved by the whole gradient: the learning rate is missing.",
        "the step is lr times the gradient; look for lr in your update line.",
        "layer.params[name] -= lr * layer.grads[name].",
    ),
    "only_W": (
        "W moved correctly but b did not: only the weights are updated.",
        "a Dense layer has two parameters, W and b; loop over every name in layer.params.",
        "for name in layer.params:\n    layer.params[name] -= lr * layer.grads[name]",
    ),
    "some_still": (
        "{moved} moved correctly, but {still} did not move.",
        "the update has to visit every layer of model.layers (ReLU has no params: its loop is simply empty), and "
        "every name in each layer's params; check the indentation of your loops.",
        "for layer in model.layers:\n    for name in layer.params:\n"
        "        layer.params[name] -= lr * layer.grads[name]",
    ),
    "other": (
        "the parameters moved, but not by -lr × grad.",
        "compare, for one parameter, (after - before) with -lr * layer.grads[name].",
        "layer.params[name] -= lr * layer.grads[name], for every layer and every name in layer.params.",
    ),
}


def _sgd_setup(seed: int = 0):
    """A small float64 model, a batch, and its gradients after one forward and backward."""
    model = Sequential([Dense(4, 3, dtype=np.float64, seed=seed), ReLU(), Dense(3, 2, dtype=np.float64,
                                                                              seed=seed + 1)])
    rng = np.random.default_rng(seed + 10)
    x, y = rng.standard_normal((6, 4)), np.arange(6) % 2
    loss = CrossEntropy()
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    return model


def _params(model) -> list[tuple[int, str, np.ndarray]]:
    return [(i, name, layer.params[name].copy()) for i, layer in enumerate(model.layers) for name in layer.params]


def check_sgd_update(fn) -> Diagnosis:
    """Check ``fn(model, lr)``, one plain SGD step in place, against ``cnnlib.optim.SGD(model, lr).step()``."""
    if not callable(fn):
        raise TypeError(f"check_sgd_update takes your function sgd_update(model, lr), got {fn!r}. "
                        "Hint: pass the function itself, without calling it: check_sgd_update(sgd_update).")
    student, ref = _sgd_setup(), _sgd_setup()
    held = {(i, name): layer.params[name] for i, layer in enumerate(student.layers) for name in layer.params}
    before = _params(student)
    grads = {(i, name): student.layers[i].grads[name].copy() for i, name, _ in before}
    try:
        returned = fn(student, LR)
    except Exception as exc:  # the student's code: show what it raised
        return Diagnosis(False, f"sgd_update(model, lr) raised {type(exc).__name__}: {exc}", mistake="raised",
                         hints=(f"sgd_update raised {type(exc).__name__}: {exc}",) + SGD_HINTS["not_answered"][1:])
    SGD(ref, lr=LR).step()
    after = _params(student)
    moved = {(i, name): a - b for (i, name, a), (_, _, b) in zip(after, before)}
    right = {key: -LR * g for key, g in grads.items()}
    if all(np.allclose(moved[k], right[k], rtol=1e-10, atol=1e-14) for k in right):
        if any(student.layers[i].params[n] is not held[i, n] for i, n in right):
            return Diagnosis.from_hints("new_arrays", SGD_HINTS)
        exact = all(np.array_equal(student.layers[i].params[n], ref.layers[i].params[n]) for i, n in right)
        how = "bit for bit" if exact else "to float precision"
        return Diagnosis(True, f"every parameter moved by -lr × grad, {how} the same as cnnlib.optim.SGD(model, "
                               "lr).step().")
    if not any(np.any(m != 0) for m in moved.values()):
        key = "not_answered" if returned is None or returned is Ellipsis else "not_in_place"
        return Diagnosis.from_hints(key, SGD_HINTS)

    def all_match(keys, factor):
        return all(np.allclose(moved[k], factor * grads[k]) for k in keys)

    keys = list(right)
    if all_match(keys, LR):
        return Diagnosis.from_hints("sign", SGD_HINTS)
    if all_match(keys, -1.0):
        return Diagnosis.from_hints("no_lr", SGD_HINTS)
    weights = [k for k in keys if k[1] == "W"]
    others = [k for k in keys if k[1] != "W"]
    if all_match(weights, -LR) and not any(np.any(moved[k] != 0) for k in others):
        return Diagnosis.from_hints("only_W", SGD_HINTS)
    still = [k for k in keys if not np.any(moved[k] != 0)]
    done = [k for k in keys if k not in still]
    if still and all_match(done, -LR):  # e.g. only the first layer, only the last one, only b
        what, where, fix = SGD_HINTS["some_still"]
        names = lambda ks: ", ".join(f"layers[{i}].params[{n!r}]" for i, n in ks)  # noqa: E731
        what = what.format(moved=names(done), still=names(still))
        return Diagnosis(False, what, mistake="some_still", hints=(what, where, fix))
    return Diagnosis.from_hints("other", SGD_HINTS)


# -- (b) the momentum update ----------------------------------------------------------------------------------
MOMENTUM_HINTS = {
    "not_answered": (
        "momentum_update did not return the pair (w, velocity) (two arrays of w's shape): fill in the `...` and "
        "end with `return w, velocity`.",
        "two lines: first the new velocity from the old one and the gradient, then the step of w along it.",
        "velocity = momentum * velocity + grad\nw = w - lr * velocity\nreturn w, velocity",
    ),
    "plain_sgd": (
        "w moves exactly like plain SGD, w - lr × grad, at every step: the velocity has no effect.",
        "the step must use the velocity, and the velocity must carry over: the next call gets the one you return.",
        "velocity = momentum * velocity + grad, then w = w - lr * velocity; return both.",
    ),
    "sign": (
        "w moves uphill: the step has the wrong sign.",
        "look at the sign of the step of w.",
        "w = w - lr * velocity, with velocity = momentum * velocity + grad.",
    ),
    "ema": (
        "the steps are 10× too small at first: that is a running average, (1 - momentum) × grad added each step "
        "(what Adam, below, keeps as its first moment).",
        "SGD's momentum adds the whole gradient to the decayed velocity; it does not scale it by (1 - momentum).",
        "velocity = momentum * velocity + grad.",
    ),
    "old_velocity": (
        "the first step does not move w: the step uses the velocity from before this gradient was added.",
        "update the velocity first, then take the step with the new velocity.",
        "velocity = momentum * velocity + grad\nw = w - lr * velocity",
    ),
    "other": (
        "w does not follow SGD(momentum=0.9) over three steps: check that you return (w, velocity) in that "
        "order, that the first step (velocity all zeros) moves w by -lr × grad, and that the velocity carries over.",
        "on the first step (velocity all zeros) w must move by -lr × grad; from the second on, the velocity "
        "remembers the earlier gradients, decayed by momentum.",
        "velocity = momentum * velocity + grad\nw = w - lr * velocity\nreturn w, velocity",
    ),
}


def _momentum_runs(update, w0, grads):
    """Apply ``update(w, g, v)`` over the gradient sequence from a zero velocity; return w after each step."""
    w, v, out = w0.copy(), np.zeros_like(w0), []
    for g in grads:
        w, v = update(w, g, v)
        out.append(np.asarray(w, dtype=float).copy())
    return out


def _momentum_candidates():
    def plain(w, g, v):
        return w - LR * g, v

    def sign(w, g, v):
        v = MOMENTUM * v + g
        return w + LR * v, v

    def ema(w, g, v):
        v = MOMENTUM * v + (1 - MOMENTUM) * g
        return w - LR * v, v

    def old_velocity(w, g, v):
        return w - LR * v, MOMENTUM * v + g

    return {"plain_sgd": plain, "sign": sign, "ema": ema, "old_velocity": old_velocity}


def check_momentum_update(fn) -> Diagnosis:
    """Check ``fn(w, grad, velocity, lr, momentum) -> (w, velocity)`` over 3 steps against ``SGD(momentum=0.9)``."""
    if not callable(fn):
        raise TypeError(f"check_momentum_update takes your function momentum_update(w, grad, velocity, lr, "
                        f"momentum), got {fn!r}. Hint: check_momentum_update(momentum_update).")
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal((3, 2))
    grads = [rng.standard_normal((3, 2)) for _ in range(3)]
    layer = Dense(3, 2, dtype=np.float64, seed=0)
    layer.params["W"][...] = w0
    opt = SGD([layer], lr=LR, momentum=MOMENTUM)
    expected = []
    for g in grads:
        layer.grads = {"W": g.copy(), "b": np.zeros(2)}
        opt.step()
        expected.append(layer.params["W"].copy())
    w, v, got = w0.copy(), np.zeros_like(w0), []
    for g in grads:
        try:
            result = fn(w.copy(), g.copy(), v.copy(), LR, MOMENTUM)
        except Exception as exc:  # the student's code: show what it raised
            return Diagnosis(False, f"momentum_update raised {type(exc).__name__}: {exc}", mistake="raised",
                             hints=(f"momentum_update raised {type(exc).__name__}: {exc}",)
                             + MOMENTUM_HINTS["not_answered"][1:])
        if not (isinstance(result, (tuple, list)) and len(result) == 2):  # [w, v] is a pair too
            return Diagnosis.from_hints("not_answered", MOMENTUM_HINTS)
        try:
            w, v = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
        except (TypeError, ValueError):
            return Diagnosis.from_hints("not_answered", MOMENTUM_HINTS)
        if w.shape != w0.shape or v.shape != w0.shape:
            return Diagnosis.from_hints("not_answered", MOMENTUM_HINTS)
        got.append(w.copy())
    if all(np.allclose(a, b, rtol=1e-12, atol=1e-14) for a, b in zip(got, expected)):
        return Diagnosis(True, "three steps match cnnlib.optim.SGD(momentum=0.9) (and torch.optim.SGD): the "
                               "velocity adds up the gradients, each step decaying the older ones by 0.9.")
    for key, update in _momentum_candidates().items():
        if all(np.allclose(a, b) for a, b in zip(got, _momentum_runs(update, w0, grads))):
            return Diagnosis.from_hints(key, MOMENTUM_HINTS)
    return Diagnosis.from_hints("other", MOMENTUM_HINTS)
