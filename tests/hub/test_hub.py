"""The workshop hub (``make hub``): login, students kept apart, memory limits, culler, and the fault cases.

One hub for the module (tests run in order, sharing students alice and bob):
the workshop password logs a student in; a student cannot open another's
server or read another's files; a lesson the teacher updates while a student
edited it keeps the student's version; a hub restart leaves files intact; a
kernel killed mid-lesson is restarted and the lesson reruns.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import requests

import memory_cgroup
from hub_client import code_cells
from hub_process import commit
from hub_settings import DEFAULT_STUDENT_MEM_MB, HubSettingsError, settings_from_env

from .conftest import ACCOUNT_PREFIX, ROOT

LESSON_02 = "cnnlib/notebooks/02_stride_padding_output_size.ipynb"
LESSON_03 = "cnnlib/notebooks/03_filters_and_feature_maps.ipynb"
LESSON_04 = "cnnlib/notebooks/04_pooling.ipynb"
CAP_MB = 2048  # HUB_MEM_LIMIT_MB's default


def test_make_hub_refuses_to_start_without_a_password():
    env = {k: v for k, v in os.environ.items() if k != "HUB_PASSWORD"}
    proc = subprocess.run(["make", "-s", "hub"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "HUB_PASSWORD='choose-one' make hub" in proc.stdout


@pytest.mark.parametrize("env, expected", [
    ({}, "HUB_PASSWORD is not set"),
    ({"HUB_PASSWORD": "short"}, "HUB_PASSWORD has 5 characters; expected at least 8"),
    ({"HUB_PASSWORD": "long-enough", "HUB_ADMIN_TOKEN": "abc"}, "HUB_ADMIN_TOKEN has 3 characters"),
    ({"HUB_PASSWORD": "long-enough", "HUB_HOST": "every"}, "HUB_HOST='every' is not an IP address"),
    ({"HUB_PASSWORD": "long-enough", "HUB_PORT": "80a"}, "HUB_PORT='80a' is not a whole number"),
    ({"HUB_PASSWORD": "long-enough", "HUB_STUDENT_MEM_MB": "100"}, "HUB_STUDENT_MEM_MB=100 is too small"),
])
def test_bad_settings_stop_the_hub_with_a_fix(env, expected, capsys):
    with pytest.raises(HubSettingsError) as err:
        settings_from_env(env)
    assert expected in err.value.message
    assert err.value.code == 1


def test_the_workshop_password_logs_a_student_in(test_class):
    s = requests.Session()
    login = f"{test_class.url}/hub/login"
    s.get(login, timeout=30)
    xsrf = s.cookies.get("_xsrf")
    bad = s.post(login, data={"username": "alice", "password": "not-the-password", "_xsrf": xsrf},
                 allow_redirects=False, timeout=30)
    assert bad.status_code == 403
    good = s.post(login, data={"username": "alice", "password": test_class.password, "_xsrf": xsrf},
                  allow_redirects=False, timeout=60)
    assert good.status_code == 302, good.text[:500]
    assert s.get(f"{test_class.url}/hub/api/user", timeout=30).json()["name"] == "alice"


def test_students_cannot_open_each_others_servers(test_class):
    alice, bob = test_class.student("alice"), test_class.student("bob")
    assert alice.get("/api/contents/cnnlib/notebooks").status_code == 200
    # bob's token on alice's server: refused
    intruder = requests.get(f"{alice.base}/api/contents/cnnlib/notebooks", timeout=30,
                            headers={"Authorization": f"token {bob.token}"}, allow_redirects=False)
    assert intruder.status_code == 403
    # bob logged in through the login form, opening alice's Lab in his browser: refused
    s = requests.Session()
    s.get(f"{test_class.url}/hub/login", timeout=30)
    s.post(f"{test_class.url}/hub/login", timeout=60, allow_redirects=False,
           data={"username": "bob", "password": test_class.password, "_xsrf": s.cookies.get("_xsrf")})
    page = s.get(f"{alice.base}/lab", timeout=60)
    assert page.status_code == 403, (page.status_code, page.url)


def test_a_students_file_browser_lists_each_lesson_once(test_class):
    """Not also its jupytext .py pair (tools/jupyter-server-config.json, installed by make hub)."""
    listing = test_class.student("alice").get("/api/contents/cnnlib/notebooks")
    names = {item["name"] for item in listing.json()["content"]}
    assert "01_sliding_window.ipynb" in names
    assert sorted(n for n in names if n.endswith(".py")) == [], names


def test_students_cannot_read_each_others_files(test_class):
    alice, bob = test_class.student("alice"), test_class.student("bob")
    home = test_class.home("alice")
    assert (home.stat().st_mode & 0o777) == 0o700
    assert home.owner() == f"{ACCOUNT_PREFIX}alice"
    assert (home / LESSON_02).owner() == f"{ACCOUNT_PREFIX}alice"
    kernel = bob.open_lesson(LESSON_04)
    try:
        peek = kernel.execute(f"open({str(home / LESSON_02)!r}).read()")
        assert peek.status == "error" and peek.error.startswith("PermissionError"), peek
        listing = kernel.execute(f"import os; os.listdir({str(home)!r})")
        assert listing.status == "error" and listing.error.startswith("PermissionError"), listing
    finally:
        bob.close(kernel)


def test_every_process_of_a_server_has_the_memory_cap(test_class):
    bob = test_class.student("bob")
    kernel = bob.open_lesson(LESSON_04)
    try:
        cap = kernel.execute(f"import resource; assert resource.getrlimit(resource.RLIMIT_AS)[0] == {CAP_MB} * 2**20")
        assert cap.status == "ok", cap
        too_big = kernel.execute(f"block = bytearray({CAP_MB + 512} * 2**20)")
        assert too_big.status == "error" and too_big.error.startswith("MemoryError"), too_big
        assert kernel.execute("1 + 1").status == "ok"  # the kernel survived
    finally:
        bob.close(kernel)


def _kernel_processes(test_class, account: str) -> list[psutil.Process]:
    """The account's running kernel processes (none between a kill and the restart)."""
    found = []
    for p in test_class.process.student_processes():
        try:
            if p.username() == account and any("ipykernel" in part for part in p.cmdline()):
                found.append(p)
        except psutil.NoSuchProcess:  # it exited while we looked
            continue
    return found


def _kernel_pids(test_class, account: str) -> set[int]:
    return {p.pid for p in _kernel_processes(test_class, account)}


def _memory_group_of(pid: int) -> str:
    """The memory cgroup path of ``pid`` (/proc/PID/cgroup: v1 'N:memory:/path', v2 '0::/path')."""
    lines = open(f"/proc/{pid}/cgroup").read().splitlines()
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return path
    return next(path for number, controllers, path in (line.split(":", 2) for line in lines) if number == "0")


def test_a_students_processes_share_one_memory_limit_and_only_that_student_pays(test_class):
    """Two of bob's kernels together pass his limit: one of his is killed, alice's kernel is untouched."""
    hierarchy = memory_cgroup.find_memory_hierarchy()
    if hierarchy is None:
        pytest.fail("no writable memory cgroup here, so the hub would run without a per-student limit; "
                    "the hub tests run as root on a machine with cgroups")
    account = f"{ACCOUNT_PREFIX}bob"
    group = hierarchy.root / memory_cgroup.GROUP / account
    limit = DEFAULT_STUDENT_MEM_MB * 2**20
    alice, bob = test_class.student("alice"), test_class.student("bob")
    assert int((group / hierarchy.limit_file).read_text()) == limit
    bystander = alice.open_lesson(LESSON_02)
    before = _kernel_pids(test_class, account)
    first = bob.open_lesson(LESSON_02)
    second = bob.open_lesson(LESSON_04)
    try:
        assert first.execute("1 + 1").status == second.execute("1 + 1").status == "ok"
        kernels = _kernel_pids(test_class, account) - before
        assert len(kernels) == 2
        server = [p for p in test_class.process.student_processes()
                  if p.username() == account and "jupyterhub-singleuser" in " ".join(p.cmdline())]
        assert {_memory_group_of(p.pid) for p in [*server, *map(psutil.Process, kernels)]} == \
            {f"/{memory_cgroup.GROUP}/{account}"}
        # Each block fits one process's address-space cap (2048 MiB); the two together pass bob's 1536 MiB.
        share = DEFAULT_STUDENT_MEM_MB * 5 // 8
        assert first.execute(f"block = b'x' * ({share} * 2**20)").status == "ok"
        # One of the two is killed: this request is answered ("ok") if the other kernel was, or the server
        # says the kernel died ("dead"); it must not hang.
        outcome = second.execute(f"block = b'x' * ({share} * 2**20)", timeout=60).status
        assert outcome in ("ok", "dead"), outcome
        survivors = {pid for pid in kernels if psutil.pid_exists(pid)
                     and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE}
        assert len(survivors) <= 1, "both of bob's kernels hold their blocks: the limit was not applied"
        peak = memory_cgroup.peak_bytes(hierarchy, group)
        assert peak is None or peak <= limit
        assert bystander.execute("1 + 1").status == "ok"  # alice did not pay for bob
    finally:
        for kernel in (first, second):
            try:
                bob.close(kernel)
            except Exception:  # a killed kernel's socket may be gone already
                pass
        alice.close(bystander)


def test_the_idle_culler_runs_as_a_hub_service(test_class):
    services = test_class.hub.api("GET", "/services").json()
    assert set(services) == {"cnnlib-admin", "idle-culler"}
    pid = services["idle-culler"]["pid"]
    assert pid and "jupyterhub_idle_culler" in " ".join(psutil.Process(pid).cmdline())
    # The hub stops its services with SIGINT. This hub was launched with SIGINT ignored (as a background
    # shell launches it: conftest.py); a culler that inherited that made every hub stop wait 30 s for it.
    assert not _ignores(pid, signal.SIGINT), "the idle culler ignores SIGINT: stopping the hub waits 30 s for it"


def _ignores(pid: int, sig: int) -> bool:
    """Whether process ``pid`` ignores signal ``sig`` (the SigIgn mask in /proc/PID/status)."""
    status = Path(f"/proc/{pid}/status").read_text()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
    return bool(mask >> (sig - 1) & 1)


def _first_cell(nb: dict) -> str:
    src = nb["cells"][0]["source"]
    return src if isinstance(src, str) else "".join(src)


def test_a_lesson_update_keeps_the_students_edits_and_restores_deleted_lessons(test_class):
    alice = test_class.student("alice")
    mine = alice.notebook(LESSON_02)
    mine["cells"][0]["source"] = "# Alice's notes on stride\nPadding adds a border."
    alice.save_notebook(LESSON_02, mine)
    assert alice.http.delete(f"{alice.base}/api/contents/{LESSON_03}", timeout=60).status_code == 204
    for rel, text in ((LESSON_02, "# Lesson 2, revised by the teacher"), (LESSON_04, "# Lesson 4, revised by the teacher")):
        path = test_class.teacher / rel.removeprefix("cnnlib/")
        nb = json.loads(path.read_text())
        nb["cells"][0]["source"] = text
        path.write_text(json.dumps(nb, indent=1) + "\n")
    commit(test_class.teacher, "lessons 02 and 04 revised")
    test_class.hub.stop_server("alice")
    test_class.hub.start_server("alice")  # the lessons are pulled again on start
    assert _first_cell(alice.notebook(LESSON_02)) == "# Alice's notes on stride\nPadding adds a border."
    assert _first_cell(alice.notebook(LESSON_04)) == "# Lesson 4, revised by the teacher"
    assert alice.get(f"/api/contents/{LESSON_03}").status_code == 200  # a deleted lesson comes back


def test_a_hub_restart_leaves_the_students_files_intact(test_class):
    alice = test_class.student("alice")
    note = {"type": "file", "format": "text", "content": "my answers: 1) 5x5 2) 3x3\n"}
    alice.http.put(f"{alice.base}/api/contents/answers.txt", json=note, timeout=60).raise_for_status()
    test_class.process.restart()
    test_class.hub.start_server("alice")
    assert alice.get("/api/contents/answers.txt").json()["content"] == note["content"]
    assert _first_cell(alice.notebook(LESSON_02)).startswith("# Alice's notes")


def _kernel_process(test_class, account: str) -> psutil.Process | None:
    """The account's running kernel process, or None while there is none (e.g. between a kill and the restart)."""
    return next(iter(_kernel_processes(test_class, account)), None)


def test_a_kernel_killed_mid_lesson_restarts_and_the_lesson_reruns(test_class):
    bob = test_class.student("bob")
    kernel = bob.open_lesson(LESSON_04)
    cells = code_cells(bob.notebook(LESSON_04))
    try:
        for code in cells[: len(cells) // 2]:
            assert kernel.execute(code).status == "ok"
        victim = _kernel_process(test_class, f"{ACCOUNT_PREFIX}bob")
        assert victim is not None, "bob's kernel process was not found"
        victim.kill()
        victim.wait(30)
        deadline = time.monotonic() + 120  # generous: CI runs browser tests beside this one
        while time.monotonic() < deadline:  # the server notices the death and starts a new kernel process
            successor = _kernel_process(test_class, f"{ACCOUNT_PREFIX}bob")  # None until it has started
            if successor is not None and successor.pid != victim.pid:
                break
            time.sleep(0.5)
        else:
            state = bob.get(f"/api/kernels/{kernel.id}").json().get("execution_state")
            raise AssertionError(f"no new kernel process within 120 s of killing {victim.pid}; the server says {state!r}")
        kernel.ws.close()
        kernel.connect()
        kernel.sliders.clear()
        results = [kernel.execute(code) for code in cells]
        assert [r.error for r in results if r.status != "ok"] == []
        assert any(r.first_figure for r in results), "the rerun lesson showed no figure"
        assert kernel.sliders, "the rerun lesson's widgets did not open"
    finally:
        bob.close(kernel)


def test_a_student_loads_the_weights_lesson_13_ships(test_class):
    """The hub installs cnnlib from a wheel (make hub): the trained weights must be in it and readable by students."""
    alice = test_class.student("alice")
    kernel = alice.open_lesson(LESSON_04)
    code = ("import numpy as np\n"
            "from cnnlib.networks import PRETRAINED_RESNET, fashion_mnist_resnet\n"
            "assert 'site-packages' in str(PRETRAINED_RESNET), f'cnnlib is not the installed one: {PRETRAINED_RESNET}'\n"
            "out = fashion_mnist_resnet(pretrained=True).predict(np.zeros((1, 1, 28, 28), np.float32))\n"
            "assert out.shape == (1, 10) and np.isfinite(out).all(), out\n")
    try:
        result = kernel.execute(code)
        assert result.status == "ok" and not result.error, result.error
    finally:
        alice.close(kernel)


def test_a_hub_name_that_is_no_unix_name_is_refused(test_class):
    bad = test_class.hub.api("POST", "/users/Root%20x", ok=(400,))  # names are lower-cased, then matched
    assert "Failed to create user" in bad.text


def test_make_hub_serves_the_login_page_and_keeps_secrets_out_of_argv(tmp_path):
    """``make hub`` itself, on free ports with a private state directory: up, and no secret in any command line."""
    from hub_process import free_port, public_dir

    password, token = "make-hub-" + os.urandom(6).hex(), os.urandom(24).hex()
    port = free_port()
    env = {**os.environ, "HUB_PASSWORD": password, "HUB_ADMIN_TOKEN": token, "HUB_PORT": str(port),
           "HUB_API_PORT": str(free_port()), "HUB_PROXY_API_PORT": str(free_port()),
           "HUB_STATE_DIR": str(tmp_path / "state"), "HUB_HOME_ROOT": str(public_dir(tmp_path / "home"))}
    log = (tmp_path / "make-hub.log").open("w")
    proc = subprocess.Popen(["make", "-s", "hub"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # make may first (re)install the hub
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "make-hub.log").read_text()[-3000:]
            try:
                if requests.get(f"http://127.0.0.1:{port}/hub/login", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError((tmp_path / "make-hub.log").read_text()[-3000:])
        assert (tmp_path / "state").stat().st_mode & 0o777 == 0o700
        assert {p.name for p in (tmp_path / "state").iterdir()} >= {"jupyterhub.sqlite", "cookie_secret"}
        for p in psutil.process_iter(["cmdline"]):
            line = " ".join(p.info["cmdline"] or [])
            assert password not in line and token not in line, f"a secret is in the command line of {p.pid}"
        me = requests.get(f"http://127.0.0.1:{port}/hub/api/user", headers={"Authorization": f"token {token}"}, timeout=30)
        assert me.json()["kind"] == "service" and "admin" in me.json()["roles"]
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(60)
