"""Read and check the workshop hub's settings from the environment (see jupyterhub_config.py for the list).

A missing or bad setting stops the hub before it starts, with a message that
says what was received, what is expected and how to fix it.
"""
from __future__ import annotations

import ipaddress
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PREFIX = "/opt/cnnlib-hub"
MIN_PASSWORD = 8  # SharedPasswordAuthenticator's own minimum
# All of one student's processes together (benchmarks/lesson_memory.md): the Jupyter server (~150 MiB),
# a training lesson's kernel (09 or 13: about 700 MiB) and a few lessons' kernels left open (~140 MiB each).
DEFAULT_STUDENT_MEM_MB = 1536


class HubSettingsError(SystemExit):
    """A setting is missing or wrong; the message says how to fix it (exits the hub with status 1)."""

    def __init__(self, message: str) -> None:
        print(f"make hub: {message}", file=sys.stderr)
        super().__init__(1)
        self.message = message


@dataclass
class HubSettings:
    password: str
    admin_token: str
    host: str
    port: int
    prefix: Path
    state_dir: Path
    home_root: Path
    lessons_repo: Path
    mem_limit_mb: int
    student_mem_mb: int
    cull_timeout: int
    api_port: int
    proxy_api_port: int
    account_prefix: str = "cnnlib-"
    mirror_dir: Path | None = None
    singleuser_args: list = field(default_factory=list)

    @property
    def env_bin(self) -> Path:
        return self.prefix / "env" / "bin"

    @property
    def proxy_command(self) -> Path:
        return self.prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def _int(env: dict, name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "") or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise HubSettingsError(f"{name}={raw!r} is not a whole number; expected {low}..{high}, e.g. {name}={default}")
    if not low <= value <= high:
        raise HubSettingsError(f"{name}={value} is out of range; expected {low}..{high}, e.g. {name}={default}")
    return value


def _private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700): the sqlite database and the cookie secret live there."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def settings_from_env(env: dict) -> HubSettings:
    """The hub's settings from ``env``; raises HubSettingsError (exit 1, message on stderr) on a bad one."""
    password = env.get("HUB_PASSWORD", "")
    if not password:
        raise HubSettingsError("HUB_PASSWORD is not set: the hub admits students with one workshop password. "
                               "Fix: HUB_PASSWORD='choose-a-password' make hub")
    if len(password) < MIN_PASSWORD:
        raise HubSettingsError(f"HUB_PASSWORD has {len(password)} characters; expected at least {MIN_PASSWORD}. "
                               "Fix: choose a longer workshop password")
    token = env.get("HUB_ADMIN_TOKEN", "")
    if token and len(token) < 32:
        raise HubSettingsError(f"HUB_ADMIN_TOKEN has {len(token)} characters; expected at least 32. "
                               "Fix: HUB_ADMIN_TOKEN=$(openssl rand -hex 32)")
    host = env.get("HUB_HOST", "") or "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise HubSettingsError(f"HUB_HOST={host!r} is not an IP address; expected e.g. 127.0.0.1 (this machine only) "
                               "or 0.0.0.0 (every interface: put TLS in front, see README)")
    if os.geteuid() != 0:
        raise HubSettingsError("the workshop hub runs as root (it creates one Unix account per student). "
                               "Fix: sudo -E make hub")
    prefix = Path(env.get("HUB_PREFIX", "") or DEFAULT_PREFIX)
    settings = HubSettings(
        password=password,
        admin_token=token,
        host=host,
        port=_int(env, "HUB_PORT", 8000, 1, 65535),
        prefix=prefix,
        state_dir=_private_dir(Path(env.get("HUB_STATE_DIR", "") or prefix / "state")),
        home_root=Path(env.get("HUB_HOME_ROOT", "") or "/home"),
        lessons_repo=Path(env.get("HUB_LESSONS_REPO", "") or ROOT),
        mem_limit_mb=_int(env, "HUB_MEM_LIMIT_MB", 2048, 256, 1 << 20),
        student_mem_mb=_int(env, "HUB_STUDENT_MEM_MB", DEFAULT_STUDENT_MEM_MB, 0, 1 << 20),
        cull_timeout=_int(env, "HUB_CULL_TIMEOUT", 3600, 20, 7 * 24 * 3600),
        api_port=_int(env, "HUB_API_PORT", 8081, 1, 65535),
        proxy_api_port=_int(env, "HUB_PROXY_API_PORT", 8001, 1, 65535),
        account_prefix=env.get("HUB_ACCOUNT_PREFIX", "") or "cnnlib-",
        mirror_dir=Path(env["HUB_LESSONS_MIRROR"]) if env.get("HUB_LESSONS_MIRROR") else None,
        singleuser_args=env.get("HUB_SINGLEUSER_ARGS", "").split(),
    )
    if not settings.proxy_command.exists() or not (settings.env_bin / "jupyterhub-singleuser").exists():
        raise HubSettingsError(f"no hub install under {prefix} (configurable-http-proxy and jupyterhub-singleuser). "
                               "Fix: make hub (it installs them), or HUB_PREFIX=<where make hub installed>")
    if not (settings.lessons_repo / ".git").exists():
        raise HubSettingsError(f"HUB_LESSONS_REPO={settings.lessons_repo} is not a git repository; "
                               "expected the clone of cnnlib the lessons come from")
    if 0 < settings.student_mem_mb < 512:
        raise HubSettingsError(f"HUB_STUDENT_MEM_MB={settings.student_mem_mb} is too small for a Jupyter server and one "
                               f"lesson; expected 0 (no per-student limit) or at least 512, e.g. "
                               f"HUB_STUDENT_MEM_MB={DEFAULT_STUDENT_MEM_MB}")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,11}", settings.account_prefix):
        raise HubSettingsError(f"HUB_ACCOUNT_PREFIX={settings.account_prefix!r} is not a Unix name prefix; "
                               "expected 1-12 of a-z, 0-9, _ and -, starting with a letter, e.g. cnnlib-")
    settings.home_root.mkdir(parents=True, exist_ok=True)
    return settings
