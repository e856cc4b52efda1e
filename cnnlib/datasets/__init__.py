"""Real data: MNIST and Fashion-MNIST from IDX files, found on disk or downloaded and checked.

``load_fashion_mnist(split)`` and ``load_mnist(split)`` return ``(x, y)`` with
``x`` float32 ``(N, 1, 28, 28)`` in [0, 1] and ``y`` int64 labels; the class
names are ``FASHION_MNIST_CLASSES`` and ``MNIST_CLASSES``. ``find_local(spec)``
says which directory holds a checked copy; ``extract_deb_dataset`` unpacks
Debian's ``dataset-fashion-mnist`` package without root.
"""
from .debian import extract_deb_dataset
from .idx import read_idx, write_idx
from .mnist import (
    FASHION_MNIST,
    FASHION_MNIST_CLASSES,
    MNIST,
    MNIST_CLASSES,
    DatasetSpec,
    find_local,
    load_fashion_mnist,
    load_idx_dataset,
    load_mnist,
)
