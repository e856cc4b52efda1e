"""What MNIST and Fashion-MNIST are: their files, the SHA-256 those must match, and where copies live."""
from __future__ import annotations

from dataclasses import dataclass, field

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
MNIST_CLASSES = tuple(str(d) for d in range(10))
SPLITS = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


@dataclass(frozen=True)
class DatasetSpec:
    """Where a data set of IDX files lives and what its files must hash to.

    ``files`` maps each file name (without ``.gz``) to the size and SHA-256
    of its decompressed bytes, which are the same for the official gzip files,
    Debian's re-compressed copies and a gunzipped copy.
    """

    name: str
    title: str
    classes: tuple[str, ...]
    mirrors: tuple[str, ...]
    files: dict[str, tuple[int, str]]
    system_dirs: tuple[str, ...] = ()
    package_hint: str = ""
    splits: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(SPLITS))


FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    title="Fashion-MNIST",
    classes=FASHION_MNIST_CLASSES,
    mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
             "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    # SHA-256 of the decompressed files, computed from Debian's dataset-fashion-mnist; their MD5s
    # (f4a8712d..., 9018921c..., 8181f547..., 15d48437...) are the ones published for the official files.
    files={
        "train-images-idx3-ubyte": (47_040_016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        "train-labels-idx1-ubyte": (60_008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        "t10k-images-idx3-ubyte": (7_840_016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        "t10k-labels-idx1-ubyte": (10_008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    },
    system_dirs=("/usr/share/datasets/fashion-mnist",),
    package_hint="install the Debian/Ubuntu package dataset-fashion-mnist (sudo apt install dataset-fashion-mnist)",
)

MNIST = DatasetSpec(
    name="mnist",
    title="MNIST",
    classes=MNIST_CLASSES,
    mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist/",
             "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    # SHA-256 of the decompressed files of the official MNIST. There is no Debian package to hash here; the
    # same four values and sizes are pinned by many unrelated public projects (cross-checked 2026-11-22).
    files={
        "train-images-idx3-ubyte": (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        "train-labels-idx1-ubyte": (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        "t10k-images-idx3-ubyte": (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        "t10k-labels-idx1-ubyte": (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    },
)
