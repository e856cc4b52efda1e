"""Saving and loading the layers of a ``Sequential`` model as a plain ``.npz`` file.

The file holds one array per parameter and buffer, keyed ``"<layer index>.<name>"``
(``"0.W"``, ``"2.running_mean"``), plus ``"__architecture__"``: a JSON string
with each layer's type, parameter shapes, constructor arguments and ``repr``.
Nothing is pickled, and nothing in a file is trusted: ``cnnlib._model_file``
checks every key, shape and dtype before an array is read (never with
pickles), and ``load_layers`` checks each layer's constructor arguments
against the stored shapes before it builds the layer.

A layer made of layers (``Residual``) keeps its inner layers' arrays under its
own prefixed names (``"3.block.0.W"``), and its constructor's layer
arguments are stored as nested records, ``{"layers": [record, ...]}``, rebuilt
first (each checked like a top-level layer) when the file is loaded.

``Sequential.save``, ``load_weights`` and ``load`` call these; the functions
take a model (anything with ``layers``) or return a list of layers, so this
module never needs ``Sequential``. What a layer must provide to be saved and
rebuilt is written on ``cnnlib.layers.Layer``.
"""
from __future__ import annotations

import inspect
import json
import numbers
from collections import Counter
from pathlib import Path

import numpy as np

from . import layers as layers_module
from ._checks import check_finite
from ._files import as_path, atomic_write
from ._model_file import check_layer_records, read_model_file
from .layers.base import Layer

ARCH_KEY = "__architecture__"
FORMAT = "cnnlib.Sequential/1"
MAX_NESTING = 8  # layers inside layers (a Residual in a Residual's block ...), far beyond any real network
_HINT = (
    "Hint: load_weights needs the architecture the weights were saved from; "
    "Sequential.load(path) rebuilds it from the file."
)


def _to_json(value):
    """A JSON-safe copy of a constructor argument, or raise ``TypeError``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if _is_layers(value):  # a Residual's block or shortcut: nested records, arrays saved by the outer layer
        return {"layers": _records([value] if isinstance(value, Layer) else value)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (tuple, list)):
        return [_to_json(v) for v in value]
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return np.dtype(value).name
    raise TypeError(f"not JSON-safe: {type(value).__name__}")


def _is_layers(value) -> bool:
    """A constructor argument that is a layer or a non-empty list of layers."""
    return isinstance(value, Layer) or (isinstance(value, (tuple, list)) and len(value) > 0
                                        and all(isinstance(v, Layer) for v in value))


def _from_json(value):
    """JSON lists back to tuples (layers take ``kernel_size=(3, 3)``)."""
    return tuple(_from_json(v) for v in value) if isinstance(value, list) else value


def layer_config(layer) -> dict | None:
    """Constructor arguments of ``layer`` read back from its attributes, or ``None``.

    Each ``__init__`` argument is looked up as an attribute of the same name
    (PyTorch's convention); ``dtype`` falls back to the parameters' dtype. An
    argument with a default that cannot be found is left out; a required one
    makes the layer impossible to rebuild (``None``).
    """
    try:
        sig = inspect.signature(type(layer).__init__)
    except (TypeError, ValueError):
        return None
    config = {}
    for name, p in list(sig.parameters.items())[1:]:  # skip self
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        value = getattr(layer, name, inspect.Parameter.empty)
        if name == "dtype" and value is inspect.Parameter.empty and layer.params:
            value = next(iter(layer.params.values())).dtype
        try:
            if value is inspect.Parameter.empty:
                raise TypeError("no attribute")
            config[name] = _to_json(value)
        except TypeError:
            if p.default is p.empty:
                return None
    return config


def architecture(model) -> list[dict]:
    """One record per layer: type, parameter and buffer shapes, config and repr."""
    return _records(model.layers)


def _records(layers) -> list[dict]:
    return [
        {
            "type": type(layer).__name__,
            "params": {k: list(v.shape) for k, v in layer.params.items()},
            "buffers": {k: list(v.shape) for k, v in layer.named_buffers()},
            "config": layer_config(layer),
            "repr": repr(layer),
        }
        for layer in layers
    ]


def save(model, path) -> Path:
    """Write ``model``'s parameters, buffers and architecture to ``path`` (``.npz`` appended if missing).

    The file appears in one rename (an interrupted save leaves no half file) and
    gets the mode ``open()`` would give it, so other users can read a shared one.
    """
    path = as_path(path, "model.save")
    if path.is_dir():
        raise IsADirectoryError(f"Cannot save the model to {path}: it is a directory. Hint: name a file in it, "
                                f"e.g. model.save({str(path / 'model.npz')!r}).")
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    for i, layer in enumerate(model.layers):
        for name, arr in [*layer.params.items(), *layer.named_buffers()]:
            check_finite(np.asarray(arr), f"layer {i} ({type(layer).__name__}) '{name}'", f"model.save({str(path)!r})",
                         "Sequential.load would refuse the file: training diverged; train again with a lower "
                         "learning rate (or save an earlier checkpoint).")
    arrays = {ARCH_KEY: np.array(json.dumps({"format": FORMAT, "layers": architecture(model)}))}
    for i, layer in enumerate(model.layers):
        for name, arr in [*layer.params.items(), *layer.named_buffers()]:
            arrays[f"{i}.{name}"] = arr
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:
            np.savez_compressed(f, **arrays)
    except OSError as exc:
        if isinstance(exc, PermissionError):
            why = f"the directory {path.parent} is not writable"
        elif isinstance(exc, (FileExistsError, NotADirectoryError)):
            why = "a part of the path is a file, not a directory"
        else:
            why = exc.strerror or type(exc).__name__
        raise type(exc)(
            f"Cannot save the model to {path}: {why} ({exc}). Hint: choose a directory you can write to, "
            "e.g. model.save(Path.home() / 'model.npz')."
        ) from exc
    return path


def read(path) -> tuple[list[dict], dict[str, np.ndarray]]:
    """The architecture records and the arrays stored in a file written by ``save``, all checked."""
    _, records, arrays = read_model_file(path, ARCH_KEY, FORMAT)
    return records, arrays


def _first_mismatch(saved: list[dict], layers) -> str | None:
    for i, (rec, layer) in enumerate(zip(saved, layers)):
        name = type(layer).__name__
        if rec["type"] != name:
            return f"layer {i}: file has {rec['type']}, model has {name}"
        for kind, mine in (("param", dict(layer.params)), ("buffer", dict(layer.named_buffers()))):
            theirs = rec[kind + "s"]
            if sorted(theirs) != sorted(mine):
                return f"layer {i} {name}: file has {kind}s {sorted(theirs)}, model has {sorted(mine)}"
            for k, shape in theirs.items():
                if tuple(shape) != mine[k].shape:
                    return f"layer {i} {name} {kind} {k}: file has {tuple(shape)}, model has {mine[k].shape}"
    if len(saved) != len(layers):
        return f"file has {len(saved)} layers, model has {len(layers)}"
    return None


def load_weights(model, path) -> None:
    """Copy the arrays in ``path`` into ``model`` (anything with ``layers``) in place, after checking they match."""
    path, saved, arrays = read_model_file(path, ARCH_KEY, FORMAT)
    _copy_weights(model.layers, path, saved, arrays)


def _copy_weights(layers, path: Path, saved: list[dict], arrays: dict[str, np.ndarray]) -> None:
    problem = _first_mismatch(saved, layers)
    if problem:
        raise ValueError(f"Cannot load {path} into this model: {problem}. {_HINT}")
    for i, layer in enumerate(layers):
        for name, arr in [*layer.params.items(), *layer.named_buffers()]:
            key = f"{i}.{name}"
            if key not in arrays or arrays[key].shape != arr.shape:
                raise ValueError(f"{path} is damaged: array {key!r} is missing or has the wrong shape.")
    # Everything checked: now copy. In place, so optimizers holding these arrays see the new values.
    for i, layer in enumerate(layers):
        for name, arr in [*layer.params.items(), *layer.named_buffers()]:
            arr[...] = arrays[f"{i}.{name}"]


def _layer_classes() -> dict[str, type]:
    return {obj.__name__: obj for obj in vars(layers_module).values()
            if isinstance(obj, type) and issubclass(obj, Layer)}


def _layer_class(label: str, rec: dict, classes: dict[str, type], path: Path) -> type:
    cls, config = classes.get(rec["type"]), rec["config"]
    if cls is None or config is None:
        why = "is not a cnnlib.layers class" if cls is None else "has no saved constructor arguments"
        raise ValueError(
            f"Cannot rebuild layer {label} ({rec['type']}) of {path}: it {why}. "
            "Hint: build the model in code and call model.load_weights(path)."
        )
    return cls


def _rebuild_nested(label: str, rec: dict, classes: dict[str, type], path: Path, depth: int) -> dict[str, list]:
    """The layer arguments of ``rec`` (nested records) rebuilt, after checking the file holds their arrays."""
    nested = {k: v["layers"] for k, v in rec["config"].items() if isinstance(v, dict) and "layers" in v}
    if not nested:
        return {}
    where = f"Cannot rebuild layer {label} ({rec['type']}) of {path}"
    if depth >= MAX_NESTING:
        raise ValueError(f"{where}: layers nested more than {MAX_NESTING} deep. The file is damaged or crafted.")
    for k, records in nested.items():
        if not isinstance(records, list):
            raise ValueError(f"{where}: its argument {k!r} must hold a list of layer records, got {records!r}.")
        check_layer_records(records, path, f"{label}.{k}.")
    # The inner layers' arrays are the outer layer's (under prefixed names), so every shape a nested record
    # declares must be one the file holds: checked before building, so a crafted record cannot allocate more.
    declared = Counter(tuple(shape) for records in nested.values() for r in records
                       for shape in [*r["params"].values(), *r["buffers"].values()])
    held = Counter(tuple(shape) for shape in [*rec["params"].values(), *rec["buffers"].values()])
    if declared - held:
        raise ValueError(f"{where}: its inner layers declare arrays {sorted(declared - held)} that the file does "
                         "not hold. The file is damaged or crafted. Hint: build the model in code and call "
                         "model.load_weights(path).")
    return {k: [_rebuild(f"{label}.{k}.{j}", r, classes, path, depth + 1) for j, r in enumerate(records)]
            for k, records in nested.items()}


def _rebuild(label: str, rec: dict, classes: dict[str, type], path: Path, depth: int = 0):
    """Layer ``label`` built from its record, once its config is known to make exactly the stored shapes."""
    cls = _layer_class(label, rec, classes, path)
    inner = _rebuild_nested(label, rec, classes, path, depth)
    config = {k: inner[k] if k in inner else _from_json(v) for k, v in rec["config"].items()}
    stored = {k: tuple(v) for k, v in [*rec["params"].items(), *rec["buffers"].items()]}
    where = f"Cannot rebuild layer {label} ({rec['type']}) of {path}"
    hint = "Hint: build the model in code and call model.load_weights(path)."
    try:
        bound = inspect.signature(cls).bind(**config)
        bound.apply_defaults()
        shapes = {k: tuple(v) for k, v in cls.state_shapes(**bound.arguments).items()}
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} from {rec['config']}: {exc}. {hint}") from exc
    if shapes != stored:  # checked before building: a crafted config must not allocate huge arrays
        raise ValueError(f"{where}: its config {rec['config']} makes params/buffers {shapes}, but the file holds "
                         f"{stored}. The file is damaged or crafted. {hint}")
    try:
        layer = cls(*bound.args, **bound.kwargs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} from {rec['config']}: {exc}. {hint}") from exc
    if repr(layer) != rec["repr"]:
        raise ValueError(f"Cannot rebuild layer {label} of {path}: saved {rec['repr']}, rebuilt {layer!r}. {hint}")
    return layer


def load_layers(path) -> list:
    """Rebuild the layers saved in ``path`` (only ``cnnlib.layers`` classes) with their weights."""
    path, saved, arrays = read_model_file(path, ARCH_KEY, FORMAT)
    classes = _layer_classes()
    layers = [_rebuild(str(i), rec, classes, path) for i, rec in enumerate(saved)]
    _copy_weights(layers, path, saved, arrays)
    return layers
