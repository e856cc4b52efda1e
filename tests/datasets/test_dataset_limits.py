"""Size limits: gzip bombs (downloaded or local), oversized downloads and IDX headers that lie about their size.

Memory is measured with ``tracemalloc``: before streaming, the loader held the
whole 300 MB expansion of a 300 KB file in memory before noticing it was wrong.
"""
import gzip
import tracemalloc
import zlib

import numpy as np
import pytest
from toy_mirror import IMAGES, LABELS, N

from cnnlib.datasets import DatasetSpec, load_idx_dataset, read_idx
from cnnlib.datasets.idx import parse_idx, read_bytes

BOMB_MB = 300
EXPECTED = 1_000_000  # what the spec below says the images file decompresses to
PEAK_LIMIT = 30 * 2**20  # far below the 300 MB of the bomb; generous for the test's own allocations


def _gzip_stream(head: bytes, zero_mb: int) -> bytes:
    """``head`` then ``zero_mb`` MiB of zeros, gzip-compressed without ever holding the zeros at once."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(2**20)
    return b"".join([c.compress(head)] + [c.compress(zeros) for _ in range(zero_mb)] + [c.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = _gzip_stream(bytes([0, 0, 8, 1, 0, 0, 0, 10]) + bytes(range(10)), BOMB_MB)
    assert len(data) < BOMB_MB * 2**20 / 500, "a bomb: small compressed, huge expanded"
    return data


def _peak(fn):
    """``(result or exception, peak traced bytes)`` of calling ``fn()``."""
    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on it
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _bomb_spec(toy, mirrors=(), system_dirs=()):
    spec = toy["spec"](mirrors, system_dirs)
    files = dict(spec.files, **{IMAGES: (EXPECTED, "0" * 64)})
    return DatasetSpec(**{**spec.__dict__, "files": files})


def test_a_gzip_bomb_from_a_mirror_is_refused_before_expanding_it(tmp_path, toy, server, bomb):
    server.files.update(toy["gz"])
    server.files[f"{IMAGES}.gz"] = bomb
    err, peak = _peak(lambda: load_idx_dataset(_bomb_spec(toy, [server.url]), progress=False))
    assert isinstance(err, FileNotFoundError), err
    assert peak < PEAK_LIMIT, f"peak memory {peak / 2**20:.0f} MiB: the bomb was expanded"
    assert f"{IMAGES}.gz: the downloaded file decompresses to more than 1,000,000 bytes" in str(err)
    assert "It was not kept" in str(err)
    assert not list((tmp_path / "xdg").rglob(f"{IMAGES}*")), "no file and no .part file left"


@pytest.mark.parametrize("mode", ["ok", "no-length"])
def test_a_download_much_larger_than_the_file_is_refused_while_streaming(tmp_path, toy, server, mode):
    server.files.update(toy["gz"])
    body = toy["gz"][f"{IMAGES}.gz"] + bytes(3 * 2**20)  # the right file, then zero padding (which gzip allows)
    server.files[f"{IMAGES}.gz"], server.modes[f"{IMAGES}.gz"] = body, mode
    with pytest.raises(FileNotFoundError) as info:
        load_idx_dataset(toy["spec"]([server.url]), progress=False)
    msg = str(info.value)
    what = (f"announces {len(body):,} bytes, expected at most 1,048,992" if mode == "ok"
            else "sent more than 1,048,992 bytes")  # 2 * 208 + 1 MiB: the no-length body is cut off there
    assert f"{IMAGES}.gz: the server {what}" in msg, msg
    assert "Hint: the mirror serves a different file" in msg
    assert not list((tmp_path / "xdg").rglob(f"{IMAGES}*"))


def test_a_local_gzip_bomb_is_read_no_further_than_its_header_says(tmp_path, bomb):
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(bomb)
    err, peak = _peak(lambda: read_idx(path))
    assert isinstance(err, ValueError), err
    assert "is longer than its header says: shape (10,) of uint8 needs 18 bytes" in str(err)
    assert peak < PEAK_LIMIT, f"peak memory {peak / 2**20:.0f} MiB: the bomb was expanded"


def test_read_bytes_stops_at_its_limit(tmp_path, bomb):
    path = tmp_path / "x.gz"
    path.write_bytes(bomb)
    err, peak = _peak(lambda: read_bytes(path, limit=EXPECTED))
    assert isinstance(err, ValueError), err
    assert f"{path} decompresses to more than 1,000,000 bytes" in str(err) and "Hint:" in str(err)
    assert peak < PEAK_LIMIT
    assert read_bytes(path, limit=20, stop=True) == bytes([0, 0, 8, 1, 0, 0, 0, 10]) + bytes(range(10)) + b"\0\0"


def test_a_local_bomb_is_skipped_for_the_next_copy(tmp_path, toy, bomb):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / f"{IMAGES}.gz").write_bytes(bomb)
    (tmp_path / "mine" / f"{LABELS}.gz").write_bytes(toy["gz"][f"{LABELS}.gz"])
    spec = _bomb_spec(toy)
    err, peak = _peak(lambda: load_idx_dataset(spec, data_dir=tmp_path / "mine", download=False))
    assert peak < PEAK_LIMIT, f"peak memory {peak / 2**20:.0f} MiB: the bomb was expanded"
    assert isinstance(err, FileNotFoundError) and "decompresses to more than 1,000,000 bytes" in str(err)
    system = tmp_path / "system"
    system.mkdir()
    for name, data in toy["gz"].items():
        (system / name).write_bytes(data)
    x, _ = load_idx_dataset(toy["spec"](system_dirs=[system]), data_dir=tmp_path / "mine", download=False)
    assert x.shape == (N, 1, 4, 4)


def test_dimensions_whose_product_overflows_int64_are_not_an_empty_file():
    # 65536**4 == 2**64 wraps to 0 in int64: the header alone looked like a complete, empty file.
    data = bytes([0, 0, 8, 4]) + (65536).to_bytes(4, "big") * 4
    with pytest.raises(ValueError, match=r"truncated: shape \(65536, 65536, 65536, 65536\) of uint8 needs "
                                         r"18,446,744,073,709,551,636 bytes .* the file has 20"):
        parse_idx(data, "x")


def test_a_huge_declared_shape_allocates_nothing(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(bytes([0, 0, 0x0E, 2]) + (2**31).to_bytes(4, "big") * 2 + bytes(64)))
    err, peak = _peak(lambda: read_idx(path))
    assert isinstance(err, ValueError) and "says it holds shape (2147483648, 2147483648) of float64" in str(err)
    assert "more than the 4,294,967,296 read_idx reads" in str(err) and "download the file again" in str(err)
    assert peak < 4 * 2**20, "refused from the header: nothing past it was read"


def test_a_truncated_gzip_download_is_not_kept(tmp_path, toy, server):
    server.files.update(toy["gz"])
    server.files[f"{LABELS}.gz"] = toy["gz"][f"{LABELS}.gz"][:-6]  # the CRC and size trailer cut off
    with pytest.raises(FileNotFoundError, match=r"(?s)train-labels-idx1-ubyte\.gz: the downloaded file is a damaged "
                                                r"gzip file"):
        load_idx_dataset(toy["spec"]([server.url]), progress=False)
    assert not list((tmp_path / "xdg").rglob(f"{LABELS}*"))


def test_the_download_bound_passes_a_real_gzip():
    """A gzip of random bytes is a little larger than its contents: the bound leaves room for it."""
    from cnnlib.datasets.mnist import max_download_bytes

    assert len(gzip.compress(np.random.default_rng(1).bytes(EXPECTED))) < max_download_bytes(EXPECTED) < 4 * EXPECTED


@pytest.mark.parametrize("piece", [1, 7, 1000])
def test_gunzip_fed_in_pieces_of_any_size(piece):
    from cnnlib.datasets.idx import Gunzip

    raw = np.random.default_rng(2).bytes(5000)
    data = gzip.compress(raw[:3000]) + gzip.compress(raw[3000:])  # two members, as `cat a.gz b.gz` makes
    g = Gunzip(limit=len(raw))
    assert b"".join([g.feed(data[i:i + piece]) for i in range(0, len(data), piece)] + [g.finish()]) == raw
    g = Gunzip(limit=len(raw))
    assert g.feed(raw[:1]) + g.feed(raw[1:]) + g.finish() == raw, "not gzip: passed through"


def test_a_raw_file_larger_than_expected_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "x-idx1-ubyte"
    path.write_bytes(bytes(5 * 2**20))
    with pytest.raises(ValueError, match=r"x-idx1-ubyte holds more than 1,000 bytes, the most expected here"):
        read_bytes(path, limit=1000)
