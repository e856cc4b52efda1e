"""Layers: each has forward (caches) and backward (returns dx, fills grads)."""
from .base import Layer
from .activations import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .core import Dense, Dropout, Flatten
from .normalization import BatchNorm1D, BatchNorm2D
from .conv import Conv2D
from .conv_transpose import ConvTranspose2D
from .pooling import AvgPool2D, MaxPool2D
from .global_pool import GlobalAvgPool2D
from .residual import Residual
