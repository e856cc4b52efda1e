"""cnnlib: convolutional neural networks from scratch in numpy, for teaching.

Every spatial op has a loop version that reads like the math and a
vectorized version that tests prove equal to it.
"""
__version__ = "0.1.0"
from .model import Sequential
from . import gradcheck, layers, losses, optim, shapes
from . import functional
from . import callbacks, metrics, models, profiling
