"""A small client for the workshop hub: its REST API, a student's Jupyter server, a kernel over its websocket.

Used by ``benchmarks/classroom_load.py`` and ``tests/hub/``. A simulated
student is what a browser would be to the hub: it opens a lesson (a Jupyter
session, so the kernel starts in the lesson's folder), runs its code cells one
by one through the kernel's websocket, and moves sliders by sending the
widget's comm the same ``update`` message JupyterLab sends when a student
drags it. Speaks only to the hub's URL (127.0.0.1 in tests and benchmarks).
"""
from __future__ import annotations

import datetime
import json
import struct
import time
import uuid
from dataclasses import dataclass, field

import requests
import websocket

FIGURE_TYPES = ("image/png", "image/svg+xml", "application/vnd.jupyter.widget-view+json")
SLIDER_MODELS = ("IntSliderModel", "FloatSliderModel")


class Hub:
    """The hub's REST API with one token (the admin service's, or a student's)."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def api(self, method: str, path: str, ok=(200, 201, 202, 204), **kwargs) -> requests.Response:
        r = self.http.request(method, f"{self.url}/hub/api{path}", timeout=60, **kwargs)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def create_user(self, name: str) -> None:
        self.api("POST", f"/users/{name}", ok=(201, 409))  # 409: exists already

    def start_server(self, name: str, timeout: float = 180) -> float:
        """Start ``name``'s server and wait until it is ready; return the seconds it took."""
        t0 = time.monotonic()
        self.api("POST", f"/users/{name}/server", ok=(201, 202, 400))  # 400: already running
        while time.monotonic() - t0 < timeout:
            user = self.api("GET", f"/users/{name}").json()
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            if not server and not user.get("pending"):  # the spawn failed (the hub's log says why)
                raise RuntimeError(f"{name}'s server failed to start")
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server not ready after {timeout} s")

    def stop_server(self, name: str, timeout: float = 60) -> None:
        self.api("DELETE", f"/users/{name}/server", ok=(202, 204, 400))
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if not self.api("GET", f"/users/{name}").json().get("servers"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server still running after {timeout} s")

    def user_token(self, name: str) -> str:
        """A token for ``name`` (the admin service makes it; it can do what ``name`` can, no more)."""
        return self.api("POST", f"/users/{name}/tokens", json={"note": "cnnlib load test", "expires_in": 7200}).json()["token"]


class StudentServer:
    """One student's Jupyter server, reached through the hub's proxy with that student's token."""

    def __init__(self, hub_url: str, name: str, token: str) -> None:
        self.base = f"{hub_url.rstrip('/')}/user/{name}"
        self.name, self.token = name, token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=60, allow_redirects=False, **kwargs)

    def notebook(self, path: str) -> dict:
        r = self.get(f"/api/contents/{path}")
        r.raise_for_status()
        return r.json()["content"]

    def save_notebook(self, path: str, nb: dict) -> None:
        r = self.http.put(f"{self.base}/api/contents/{path}", json={"type": "notebook", "content": nb}, timeout=60)
        r.raise_for_status()

    def open_lesson(self, path: str) -> "Kernel":
        """Open ``path`` as JupyterLab does (a session with a new kernel, started in the lesson's folder)."""
        r = self.http.post(f"{self.base}/api/sessions", timeout=120,
                           json={"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
                                 "kernel": {"name": "python3"}})
        r.raise_for_status()
        session = r.json()
        return Kernel(self, session["kernel"]["id"], session["id"])

    def close(self, kernel: "Kernel") -> None:
        kernel.ws.close()
        self.http.delete(f"{self.base}/api/sessions/{kernel.session_id}", timeout=60)


@dataclass
class CellResult:
    status: str  # "ok", "error", "timeout" or "dead" (the kernel died before it answered)
    seconds: float
    first_figure: float | None = None  # time.monotonic() of the first figure this cell showed
    error: str = ""


@dataclass
class Slider:
    comm_id: str
    model: str
    value: float
    low: float
    high: float
    step: float
    seen: set = field(default_factory=set)

    def next_value(self) -> float:
        """A value not drawn yet (widgets cache what they drew), moving right and turning at the ends."""
        candidates = [self.low + i * self.step for i in range(int(round((self.high - self.low) / self.step)) + 1)]
        fresh = [v for v in candidates if v not in self.seen and v != self.value] or [v for v in candidates if v != self.value]
        value = min(fresh, key=lambda v: (v < self.value, abs(v - self.value)))
        self.seen.add(value)
        self.value = value
        return int(value) if self.model == "IntSliderModel" else value


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def _decode(frame) -> dict:
    """A message from the kernel websocket: JSON text, or the binary form (buffers) of jupyter_server's legacy protocol."""
    if isinstance(frame, str):
        return json.loads(frame)
    n = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{n}I", frame[4:4 + 4 * n])
    end = offsets[1] if n > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode())


class Kernel:
    """A kernel's channels over the server's websocket: run code, find sliders, move them."""

    def __init__(self, server: StudentServer, kernel_id: str, session_id: str) -> None:
        self.server, self.id, self.session_id = server, kernel_id, session_id
        self.session = uuid.uuid4().hex
        self.sliders: dict[str, Slider] = {}
        self.connect()

    def connect(self) -> None:
        url = self.server.base.replace("http", "ws", 1) + f"/api/kernels/{self.id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.server.token}"], timeout=30)

    def _send(self, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.server.name,
                       "session": self.session, "date": _now(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
        }))
        return msg_id

    def _wait_idle(self, msg_id: str, timeout: float, on_message=None, expect_reply: bool = False) -> str:
        """Read messages until the kernel is idle after ``msg_id``; return "ok", "error", "timeout" or "dead".

        "dead": the server says the kernel died (it is being restarted, or could not be): the request will never
        be answered, so there is no point waiting out the timeout.

        With ``expect_reply`` (an execute request) also wait for the shell's reply: iopub's idle and the
        shell's reply travel on different channels and either can arrive first.
        """
        deadline, status = time.monotonic() + timeout, "ok"
        idle, replied = False, not expect_reply
        while not (idle and replied):
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            self.ws.settimeout(left)
            try:
                # control_frame=True: return on the server's keep-alive pings too. ws.recv() answers them and
                # reads on, so a kernel that never replies (killed, its request lost) kept it waiting past the
                # deadline for as long as the pings came: a make test hung 20 minutes there.
                opcode, data = self.ws.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                return "timeout"
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise websocket.WebSocketConnectionClosedException(f"the server closed kernel {self.id}'s websocket")
            if opcode not in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                continue  # a ping or pong: no message, look at the clock again
            msg = _decode(data.decode() if opcode == websocket.ABNF.OPCODE_TEXT else data)
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            if kind == "status" and msg["content"].get("execution_state") in ("restarting", "dead"):
                return "dead"  # the server's own message, with no parent: the kernel process is gone
            if kind == "comm_open":
                self._track(msg["content"])
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if on_message:
                on_message(kind, msg["content"])
            if kind == "error":
                status = "error"
            if kind == "execute_reply":
                replied = True
                if msg["content"].get("status") == "error":
                    status = "error"
            if kind == "status" and msg["content"]["execution_state"] == "idle" and msg.get("channel") == "iopub":
                idle = True
        return status

    def _track(self, content: dict) -> None:
        state = content.get("data", {}).get("state", {})
        if state.get("_model_name") in SLIDER_MODELS and state.get("max", 0) > state.get("min", 0):
            self.sliders[content["comm_id"]] = Slider(content["comm_id"], state["_model_name"], state["value"],
                                                      state["min"], state["max"], state.get("step") or 1)

    def execute(self, code: str, timeout: float = 300) -> CellResult:
        """Run ``code``; note when its first figure arrived and any error."""
        t0 = time.monotonic()
        result = CellResult("ok", 0.0)

        def on_message(kind, content):
            if kind in ("display_data", "execute_result") and result.first_figure is None:
                if any(k in content.get("data", {}) for k in FIGURE_TYPES):
                    result.first_figure = time.monotonic()
            if kind == "error":
                result.error = f"{content.get('ename')}: {content.get('evalue')}"

        msg_id = self._send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        result.status = self._wait_idle(msg_id, timeout, on_message, expect_reply=True)
        result.seconds = time.monotonic() - t0
        return result

    def move_slider(self, slider: Slider, timeout: float = 60) -> tuple[str, float]:
        """Set ``slider`` to a new value as a front end does; return (status, seconds until the kernel is idle again).

        The kernel's ViewWidget redraws its figure in the slider's observer, so
        idle means the new figure has been computed and sent.
        """
        t0 = time.monotonic()
        msg_id = self._send("comm_msg", {"comm_id": slider.comm_id,
                                         "data": {"method": "update", "state": {"value": slider.next_value()},
                                                  "buffer_paths": []}})
        status = self._wait_idle(msg_id, timeout)
        return status, time.monotonic() - t0


def code_cells(nb: dict) -> list[str]:
    """The source of every code cell of a notebook (as the contents API returns it)."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"]
            cells.append(src if isinstance(src, str) else "".join(src))
    return cells
