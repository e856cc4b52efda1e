"""JupyterHub configuration for ``make hub``: a workshop hub on one server (run as root).

Everything comes from the environment, never from argv (other users can read
a process's arguments). The secrets are removed from the hub's environment
once read, so the proxy, the services and the students' servers never see them.

  HUB_PASSWORD        the workshop password (required, 8 characters or more)
  HUB_ADMIN_TOKEN     if set: the API token of service "cnnlib-admin", which has the admin role
  HUB_HOST, HUB_PORT  where the hub listens (default 127.0.0.1:8000)
  HUB_PREFIX          the hub's install (default /opt/cnnlib-hub: env/, proxy/, lessons.git, state/)
  HUB_STATE_DIR       sqlite database, cookie secret, proxy pid (default $HUB_PREFIX/state, mode 0700)
  HUB_HOME_ROOT       where student homes go (default /home)
  HUB_ACCOUNT_PREFIX  student NAME runs as Unix account PREFIX+NAME (default cnnlib-)
  HUB_LESSONS_REPO    the git repository students pull the lessons from (default: this repository)
  HUB_STUDENT_MEM_MB  memory limit of all of a student's processes together, a memory cgroup (default 1536; 0: none)
  HUB_MEM_LIMIT_MB    address-space cap of each process of a student's server (default 2048)
  HUB_CULL_TIMEOUT    seconds of inactivity before a server is stopped (default 3600)
  HUB_API_PORT, HUB_PROXY_API_PORT   the hub's and the proxy's internal ports (default 8081, 8001)
"""
import os
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from hub_settings import settings_from_env  # noqa: E402

s = settings_from_env(os.environ)
for secret in ("HUB_PASSWORD", "HUB_ADMIN_TOKEN"):
    os.environ.pop(secret, None)

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

# --- where the hub listens, and its state -------------------------------------------------------
c.JupyterHub.bind_url = f"http://{s.host}:{s.port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s.api_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(s.proxy_command)]
c.ConfigurableHTTPProxy.pid_file = str(s.state_dir / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{s.state_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(s.state_dir / "cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers (their files stay)

# --- who may log in: one workshop password, any name matching the pattern ------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s.password
c.Authenticator.allow_all = True
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,19}$"  # also a valid Unix name once prefixed

# --- each student's server ----------------------------------------------------------------------
c.JupyterHub.spawner_class = "student_spawner.StudentSpawner"
c.StudentSpawner.home_root = str(s.home_root)
c.StudentSpawner.account_prefix = s.account_prefix
c.StudentSpawner.lessons_repo = str(s.lessons_repo)
c.StudentSpawner.lessons_mirror = str(s.prefix / "lessons.git") if s.mirror_dir is None else str(s.mirror_dir)
c.StudentSpawner.address_space_limit = s.mem_limit_mb * 2**20
c.StudentSpawner.student_memory_limit = s.student_mem_mb * 2**20
c.Spawner.mem_limit = f"{s.student_mem_mb or s.mem_limit_mb}M"  # shown to the server as MEM_LIMIT
c.Spawner.cmd = [str(s.env_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/cnnlib/notebooks/00_start_here.ipynb"
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]
c.Spawner.args = s.singleuser_args
# A whole class logging in at once on a busy 2-core machine took up to 2 minutes per server
# (benchmarks/classroom_load.md): allow 5 before a start counts as failed.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300

# --- services: the admin token for scripts, the idle culler -------------------------------------
# The hub stops its services with SIGINT. A shell that starts a command in the background without job
# control (`nohup make hub &`, `make test &`) makes it ignore SIGINT, and children inherit an ignored signal:
# the culler then ignored the hub's SIGINT and every hub stop waited 30 s for it. A handled signal is reset
# to its default in a child, so handling SIGINT here gives the services (and the students' servers) the
# normal Ctrl-C again.
signal.signal(signal.SIGINT, signal.default_int_handler)
services, roles = [], []
if s.admin_token:
    services.append({"name": "cnnlib-admin", "api_token": s.admin_token})
    roles.append({"name": "admin", "services": ["cnnlib-admin"]})
services.append({
    "name": "idle-culler",
    "command": [str(s.env_bin / "python"), "-m", "jupyterhub_idle_culler", f"--timeout={s.cull_timeout}",
                f"--cull-every={max(10, min(300, s.cull_timeout // 2))}"],
})
roles.append({
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
