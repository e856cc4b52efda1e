"""The IDX reader and writer: round trips (gzip and raw), and clear errors for damaged files."""
import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnlib.datasets import FASHION_MNIST, read_idx, write_idx
from cnnlib.datasets.idx import parse_idx
from cnnlib.datasets.mnist import find_local

# Whichever copy the loader finds ($CNNLIB_DATA, the cache, Debian's package), looked up before the tests
# isolate the environment; `make test` provides one.
FASHION_DIR = find_local(FASHION_MNIST)


def test_a_hand_written_file():
    data = bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255])
    np.testing.assert_array_equal(parse_idx(data), [[1, 2, 3], [4, 5, 255]])
    assert parse_idx(data).dtype == np.uint8


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
def test_round_trip(tmp_path, dtype, name):
    arr = (np.arange(2 * 3 * 4) - 5).reshape(2, 3, 4).astype(dtype)
    path = write_idx(tmp_path / name, arr)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    back = read_idx(path)
    assert back.dtype == arr.dtype and back.dtype.isnative
    np.testing.assert_array_equal(back, arr)


def test_gzip_is_told_by_its_magic_bytes_not_its_name(tmp_path):
    labels = np.array([3, 1, 4], dtype=np.uint8)
    path = write_idx(tmp_path / "labels.idx", labels, compress=True)
    np.testing.assert_array_equal(read_idx(path), labels)
    raw = write_idx(tmp_path / "labels.gz", labels, compress=False)
    np.testing.assert_array_equal(read_idx(raw), labels)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(dtype=st.sampled_from(["u1", "i1", ">i2", "<i4", "f4", "f8"]),
                  shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5)))
def test_round_trip_property(tmp_path_factory, arr):
    path = write_idx(tmp_path_factory.mktemp("idx") / "x.gz", arr)
    back = read_idx(path)
    assert back.shape == arr.shape and back.dtype == arr.dtype.newbyteorder("=")
    np.testing.assert_array_equal(back, arr)


@pytest.mark.parametrize(
    "data, pattern",
    [
        (b"<!DOCTYPE html><html>Not Found</html>", r"not an IDX file: magic number 3c 21 44 4f.*HTML error page"),
        (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 0]), r"not an IDX file: magic number 00 00 07 01"),
        (bytes([0, 0, 0x08, 0]), r"not an IDX file: magic number 00 00 08 00.*<ndim >= 1>"),
        (b"", r"not an IDX file: magic number missing"),
        (bytes([0, 0, 0x08, 3, 0, 0, 0, 9]), r"truncated: its header needs 16 bytes, the file has 8"),
        (bytes([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2, 3]), r"truncated: shape \(5,\) of uint8 needs 13 bytes .* has 11"),
        (bytes([0, 0, 0x0B, 1, 0, 0, 0, 1, 0, 1, 9]), r"longer than its header says: shape \(1,\) of int16 needs 10 bytes"),
    ],
)
def test_damaged_files_are_clear_errors(tmp_path, data, pattern):
    path = tmp_path / "bad-idx-ubyte"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=pattern):
        read_idx(path)


def test_a_truncated_gzip_file(tmp_path):
    path = write_idx(tmp_path / "x.gz", np.arange(1000, dtype=np.int32))
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(ValueError, match=r"x\.gz is a damaged gzip file .*interrupted download"):
        read_idx(path)


def test_truncated_data_inside_a_good_gzip(tmp_path):
    data = bytes([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]) + bytes(28 * 28)
    (tmp_path / "x.gz").write_bytes(gzip.compress(data))
    with pytest.raises(ValueError, match=r"truncated: shape \(2, 28, 28\) of uint8 needs 1,584 bytes"):
        read_idx(tmp_path / "x.gz")


@pytest.mark.parametrize("arr", [np.zeros(3, dtype=np.int64), np.zeros(3, dtype=bool), np.float32(1.0)])
def test_write_idx_rejects_what_idx_cannot_hold(tmp_path, arr):
    with pytest.raises(TypeError, match=r"write_idx needs a 1-D or higher array of \['uint8'"):
        write_idx(tmp_path / "x", arr)


def _real(name: str) -> Path:
    if FASHION_DIR is None:
        pytest.skip("Fashion-MNIST not found where the loader looks; `make test` fetches it")
    return next(p for p in (FASHION_DIR / f"{name}.gz", FASHION_DIR / name) if p.exists())


def test_the_real_fashion_mnist_headers():
    labels = read_idx(_real("t10k-labels-idx1-ubyte"))
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    images = read_idx(_real("t10k-images-idx3-ubyte"))
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8


@pytest.mark.parametrize("path", [5, None, b"labels.gz", ["labels.gz"], True])
def test_read_and_write_idx_name_a_path_that_is_not_one(path):
    # numpy's and pathlib's "expected str, bytes or os.PathLike object, not int" named neither function nor fix
    for call, who in ((lambda: read_idx(path), "read_idx"), (lambda: write_idx(path, np.zeros(2, np.uint8)), "write_idx")):
        with pytest.raises(TypeError, match=rf"{who} needs a file path \(a str or a Path\), got .*Hint: e\.g\. "):
            call()


def test_write_idx_into_a_directory_or_an_empty_path(tmp_path):
    with pytest.raises(ValueError, match=r"write_idx cannot write to .*: it is a directory\. Hint: name a file in it"):
        write_idx(tmp_path, np.zeros(2, np.uint8))  # was IsADirectoryError from the rename of the temporary file
    with pytest.raises(ValueError, match=r"write_idx got an empty path ''\. Hint"):
        write_idx("", np.zeros(2, np.uint8))  # was OSError "Device or resource busy"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
