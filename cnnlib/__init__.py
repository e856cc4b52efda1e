"""cnnlib: convolutional neural networks from scratch in numpy, for teaching.

Every spatial op has a loop version that reads like the math and a
vectorized version that tests prove equal to it.

The package is layered, and imports only point down (``tests/test_import_direction.py``):
argument checks and shape arithmetic (``_checks``, ``shapes``) and data sets, then the
ops (``functional``), the layers, what works on a list of layers (losses, optimizers,
``summary``, ``checkpoint``, ``training_loop``), ``Sequential`` (``model``), the course's
networks, the ``train`` command line, and on top the teaching layer (``demos``, ``viz``,
``exercises``, ``widgets``). Importing the core loads numpy only.
"""
__version__ = "0.1.0"
from .model import Sequential
from . import gradcheck, layers, losses, optim, shapes
from . import functional
from . import callbacks, explain, metrics, networks, profiling
