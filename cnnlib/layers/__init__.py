"""Layers: each has forward (caches) and backward (returns dx, fills grads)."""
from .base import Layer
