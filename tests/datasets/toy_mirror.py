"""A toy IDX data set, a local HTTP mirror on 127.0.0.1 and an isolated cache, for the data set tests.

The fixtures are registered by ``conftest.py``; test modules import the constants from here.
"""
import gzip
import hashlib
import http.server
import threading

import numpy as np
import pytest

from cnnlib.datasets import DatasetSpec
from cnnlib.datasets.idx import write_idx

IMAGES, LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
N = 12


def idx_bytes(tmp_path, name, arr) -> bytes:
    return write_idx(tmp_path / f"src-{name}", arr, compress=False).read_bytes()


@pytest.fixture
def toy(tmp_path):
    """A 12-image toy data set: its raw IDX bytes, the gzip files and a spec pinning them."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (N, 4, 4), dtype=np.uint8)
    labels = (np.arange(N) % 3).astype(np.uint8)
    raw = {IMAGES: idx_bytes(tmp_path, IMAGES, images), LABELS: idx_bytes(tmp_path, LABELS, labels)}

    def spec(mirrors=("http://127.0.0.1:9/",), system_dirs=()):
        return DatasetSpec(
            name="toy", title="Toy", classes=("a", "b", "c"), mirrors=tuple(mirrors),
            files={k: (len(v), hashlib.sha256(v).hexdigest()) for k, v in raw.items()},
            system_dirs=tuple(str(d) for d in system_dirs), package_hint="install toy-data",
            splits={"train": (IMAGES, LABELS)},
        )

    return {"images": images, "labels": labels, "raw": raw,
            "gz": {f"{k}.gz": gzip.compress(v) for k, v in raw.items()}, "spec": spec}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Keep the real cache, $CNNLIB_DATA and $CNNLIB_MIRROR out of these tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CNNLIB_DATA", raising=False)
    monkeypatch.delenv("CNNLIB_MIRROR", raising=False)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        srv = self.server
        name = self.path.lstrip("/").split("/")[-1]
        srv.requests.append(name)
        body, mode = srv.files.get(name), srv.modes.get(name, "ok")
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        if mode != "no-length":  # "no-length": no Content-Length, the body ends when the connection closes
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "drop":  # promise the whole body, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the loader hung up first (a test that interrupts a download): not the server's error to print

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.files, srv.modes, srv.requests = {}, {}, []
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}/data/"
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
