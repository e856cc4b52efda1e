"""The hub's kernel client stops waiting for a kernel that will never answer.

A make test hung for 20 minutes in the per-student memory test: both of bob's kernels were killed, so the
execute request got no reply, and the server's keep-alive pings kept ``ws.recv()`` (which answers pings and
reads on) waiting long past the 60 s deadline. A fake server here pings every 0.1 s and never answers.

When the kernel dies, the server says so at once (a "restarting" status, or "dead" if it cannot restart it):
the client then returns "dead" instead of waiting out its timeout, which cost the memory test 60 s a run.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
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


class _DyingKernel(tornado.websocket.WebSocketHandler):
    """Reports, on the first request, what jupyter_server sends when the kernel process has died."""

    def on_message(self, message):
        self.write_message(json.dumps({
            "header": {"msg_id": "server-status", "msg_type": "status"}, "msg_type": "status",
            "parent_header": {}, "metadata": {}, "content": {"execution_state": self.application.settings["state"]},
            "channel": "iopub",
        }))


@contextlib.contextmanager
def _serve(handler, **settings):
    """Run a fake kernel server with ``handler`` on the channels websocket; yield what ``Kernel`` needs."""
    started, box = threading.Event(), {}

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/api/kernels/[^/]+/channels", handler)], websocket_ping_interval=0.1,
                                      **settings)
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


def _timed_execute(server, code: str, timeout: float):
    """``(result, seconds waited)`` of running ``code`` on a new connection to ``server``'s kernel."""
    kernel = Kernel(server, "k1", "s1")
    try:
        t0 = time.monotonic()
        result = kernel.execute(code, timeout=timeout)
        return result, time.monotonic() - t0
    finally:
        kernel.ws.close()


def test_execute_times_out_while_the_server_keeps_pinging():
    with _serve(_SilentKernel) as server:
        result, waited = _timed_execute(server, "1 + 1", timeout=1.0)
    assert result.status == "timeout", result
    assert waited < 5, f"execute(timeout=1.0) returned after {waited:.1f} s: the pings kept it waiting"


@pytest.mark.parametrize("state", ["restarting", "dead"])
def test_execute_returns_dead_when_the_server_says_the_kernel_died(state):
    with _serve(_DyingKernel, state=state) as server:
        result, waited = _timed_execute(server, "block = b'x' * 2**30", timeout=60)
    assert result.status == "dead", result
    assert waited < 5, f"execute returned after {waited:.1f} s: it waited for a reply from a dead kernel"
