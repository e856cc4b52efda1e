"""The hub's kernel client gives up at its deadline even while the server keeps the websocket alive.

A make test hung for 20 minutes in the per-student memory test: both of bob's kernels were killed, so the
execute request got no reply, and the server's keep-alive pings kept ``ws.recv()`` (which answers pings and
reads on) waiting long past the 60 s deadline. A fake server here pings every 0.1 s and never answers.
"""
from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket
from hub_client import Kernel


class _SilentKernel(tornado.websocket.WebSocketHandler):
    """Accepts the channels websocket, reads every request, answers none; tornado pings it."""

    def on_message(self, message):
        pass


@pytest.fixture
def silent_server():
    started, box = threading.Event(), {}

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/api/kernels/[^/]+/channels", _SilentKernel)], websocket_ping_interval=0.1)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        box["port"], box["loop"], box["server"] = sockets[0].getsockname()[1], loop, server
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10), "the fake kernel server did not start"
    yield SimpleNamespace(base=f"http://127.0.0.1:{box['port']}", token="test", name="alice")
    box["loop"].call_soon_threadsafe(box["server"].stop)
    box["loop"].call_soon_threadsafe(box["loop"].stop)
    thread.join(10)


def test_execute_times_out_while_the_server_keeps_pinging(silent_server):
    kernel = Kernel(silent_server, "k1", "s1")
    try:
        t0 = time.monotonic()
        result = kernel.execute("1 + 1", timeout=1.0)
        waited = time.monotonic() - t0
    finally:
        kernel.ws.close()
    assert result.status == "timeout", result
    assert waited < 5, f"execute(timeout=1.0) returned after {waited:.1f} s: the pings kept it waiting"
