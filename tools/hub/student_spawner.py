"""The workshop hub's spawner: one Unix account per student, their own copy of the lessons, a memory cap.

``make hub`` runs JupyterHub as root with :class:`StudentSpawner`:

* each hub user ``alice`` runs their server as the Unix account
  ``cnnlib-alice`` (created on first start with ``useradd``, no password,
  home ``<home_root>/cnnlib-alice`` with mode 0700), so students cannot read
  each other's files and no hub name can map onto an existing account such as
  ``root``;
* before each start the lessons are pulled into ``~/cnnlib`` with
  nbgitpuller's ``gitpuller``, run as the student: the first start clones,
  later starts merge upstream changes and never overwrite the student's
  edits (nbgitpuller's rules: a lesson the student changed keeps the
  student's version, a file they deleted comes back);
* all the processes of a student's server together (the Jupyter server, every
  kernel) share one memory limit, a memory cgroup per student
  (:mod:`memory_cgroup`): a student who opens lesson after lesson, or runs
  away with one, loses their own largest kernel, never another student's;
* each process also starts with an address-space limit (``RLIMIT_AS``,
  ``ulimit -v``): one oversized allocation fails with a ``MemoryError`` the
  student can read, instead of a killed kernel (and it is the only cap on a
  machine without writable cgroups).

The lessons come from a bare mirror of the repository that the hub refreshes
(as root) before each pull, so the repository itself need not be readable by
the students.
"""
from __future__ import annotations

import asyncio
import os
import pwd
import resource
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, Unicode

import memory_cgroup

LESSONS_DIR = "cnnlib"  # the student's copy of the repository, under their home
_MIRROR_LOCK = asyncio.Lock()


def unix_account(prefix: str, hub_name: str) -> str:
    """The Unix account a hub user runs as: ``prefix + hub_name`` (hub names are checked by username_pattern)."""
    return f"{prefix}{hub_name}"


def ensure_account(account: str, home: Path) -> pwd.struct_passwd:
    """Create the Unix account (locked, no password) if it is missing; make ``home`` its private home."""
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        proc = subprocess.run(
            ["useradd", "--home-dir", str(home), "--no-create-home", "--user-group",
             "--shell", "/bin/bash", "--comment", "cnnlib hub student", account],
            capture_output=True, text=True,
        )
        if proc.returncode not in (0, 9):  # 9: created meanwhile by another hub
            raise RuntimeError(f"useradd {account} failed ({proc.returncode}): {proc.stderr.strip()}")
        entry = pwd.getpwnam(account)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    return entry


def refresh_mirror(source: str, mirror: Path) -> None:
    """Make ``mirror`` a bare copy of ``source``'s branches (as root), readable by everyone."""
    if not (mirror / "HEAD").exists():
        mirror.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--quiet", "--bare", source, str(mirror)], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(mirror), "fetch", "--quiet", "--prune", "--force", source,
                    "+refs/heads/*:refs/heads/*"], check=True, capture_output=True)
    subprocess.run(["chmod", "-R", "a+rX", str(mirror)], check=True)
    # git refuses a repository owned by another user unless told it is safe: the students'
    # git reads this file (GIT_CONFIG_GLOBAL) while pulling.
    # Written once and replaced atomically: students' pulls may be reading it right now.
    gitconfig, text = git_config_for(mirror), f"[safe]\n\tdirectory = {mirror}\n"
    if not gitconfig.exists() or gitconfig.read_text() != text:
        staging = gitconfig.with_name(gitconfig.name + ".new")
        staging.write_text(text)
        os.chmod(staging, 0o644)
        os.replace(staging, gitconfig)


def git_config_for(mirror: Path) -> Path:
    """The git config file the students' pulls use (it marks the root-owned mirror as safe)."""
    return mirror.with_suffix(".gitconfig")


def current_branch(repo: str) -> str:
    out = subprocess.run(["git", "-C", repo, "symbolic-ref", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "main"


def as_account(entry: pwd.struct_passwd, home: Path, limit_bytes: int = 0, cgroup: Path | None = None):
    """A ``preexec_fn``: join the student's memory ``cgroup``, cap the address space, drop root, start in ``home``."""
    def preexec():
        if cgroup is not None:
            memory_cgroup.join(cgroup)
        if limit_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)
        os.umask(0o077)
        os.chdir(home)
    return preexec


class StudentSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a prefixed Unix account per student, lessons pulled on start, memory limits."""

    home_root = Unicode("/home", help="Where student homes are created.").tag(config=True)
    account_prefix = Unicode("cnnlib-", help="Unix account of hub user NAME: PREFIX + NAME.").tag(config=True)
    lessons_repo = Unicode(help="The git repository the lessons are pulled from (the teacher's copy).").tag(config=True)
    lessons_mirror = Unicode(help="Bare mirror of lessons_repo that students pull from.").tag(config=True)
    address_space_limit = Integer(0, help="RLIMIT_AS in bytes for every process of a server; 0: none.").tag(config=True)
    student_memory_limit = Integer(0, help="Memory limit in bytes for all of a student's processes together "
                                           "(a memory cgroup); 0: none.").tag(config=True)
    cgroup = None  # the student's memory cgroup once start() has made it

    _warned_no_cgroup = False

    @property
    def account(self) -> str:
        return unix_account(self.account_prefix, self.user.name)

    @property
    def home(self) -> Path:
        return Path(self.home_root) / self.account

    async def start(self):
        entry = await asyncio.to_thread(ensure_account, self.account, self.home)
        self.cgroup = await asyncio.to_thread(self.make_memory_group)
        await self.pull_lessons(entry)
        self.notebook_dir = str(self.home)
        return await super().start()

    async def pull_lessons(self, entry: pwd.struct_passwd) -> None:
        """Clone the lessons into ``~/cnnlib`` on first start, merge upstream changes later (as the student)."""
        if not self.lessons_repo:
            return
        async with _MIRROR_LOCK:
            await asyncio.to_thread(refresh_mirror, self.lessons_repo, Path(self.lessons_mirror))
        branch = await asyncio.to_thread(current_branch, self.lessons_repo)
        env = {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "GIT_CONFIG_GLOBAL": str(git_config_for(Path(self.lessons_mirror)))}
        puller = str(Path(self.cmd[0]).parent / "gitpuller")
        proc = await asyncio.create_subprocess_exec(
            puller, self.lessons_mirror, branch, str(self.home / LESSONS_DIR),
            env=env, preexec_fn=as_account(entry, self.home),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            self.log.error("gitpuller for %s failed:\n%s", self.account, out.decode(errors="replace")[-2000:])
            raise RuntimeError(f"could not pull the lessons for {self.user.name} (exit {proc.returncode})")
        self.log.info("lessons pulled for %s", self.account)

    def make_preexec_fn(self, name):
        return as_account(pwd.getpwnam(self.account), self.home, self.address_space_limit, self.cgroup)

    def make_memory_group(self) -> Path | None:
        """The student's memory cgroup with its limit set, or None (no limit asked for, or no cgroups here)."""
        if not self.student_memory_limit:
            return None
        hierarchy = memory_cgroup.find_memory_hierarchy()
        if hierarchy is None:
            if not StudentSpawner._warned_no_cgroup:
                StudentSpawner._warned_no_cgroup = True
                self.log.warning("no writable memory cgroup on this machine: the per-student memory limit is off; "
                                 "each process still has the address-space cap (HUB_MEM_LIMIT_MB)")
            return None
        return memory_cgroup.student_group(hierarchy, self.account, self.student_memory_limit)

    def user_env(self, env):
        env["USER"] = self.account
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        return env
