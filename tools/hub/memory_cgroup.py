"""A memory limit per student, not per process: one Linux memory cgroup per student account.

Every process of a student's server (the Jupyter server, each kernel, anything
they start) joins the cgroup ``<memory hierarchy>/cnnlib-hub/<account>`` before
it drops root, and children stay in their parent's cgroup. The kernel then
counts the whole student's memory together; past the limit it reclaims page
cache and, if that is not enough, kills the largest process *of that student*
(usually the kernel of the lesson that asked for too much, which Jupyter then
restarts). Other students are not touched.

Both cgroup versions are handled: v2 (``memory.max`` in the unified
hierarchy, the memory controller enabled for our subtree) and v1 (a hierarchy
mounted with the ``memory`` controller, ``memory.limit_in_bytes``). Where
neither is writable (a container without cgroup access, not root), the hub
says so in its log and keeps only the per-process address-space cap.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GROUP = "cnnlib-hub"  # our subtree in the memory hierarchy


@dataclass(frozen=True)
class MemoryHierarchy:
    root: Path  # where the hierarchy is mounted
    version: int  # 1 or 2

    @property
    def limit_file(self) -> str:
        return "memory.max" if self.version == 2 else "memory.limit_in_bytes"

    @property
    def peak_file(self) -> str | None:
        """Highest usage so far: v1 always has it, v2 only from Linux 5.19 (checked by the caller)."""
        return "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"


def _mounts(mounts_file: Path) -> list[tuple[str, Path, set[str]]]:
    found = []
    for line in mounts_file.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] in ("cgroup", "cgroup2"):
            found.append((parts[2], Path(parts[1]), set(parts[3].split(","))))
    return found


def find_memory_hierarchy(mounts_file: Path = Path("/proc/self/mounts")) -> MemoryHierarchy | None:
    """The writable hierarchy with the memory controller, or None if this machine has none for us."""
    for kind, root, options in _mounts(mounts_file):
        if kind == "cgroup" and "memory" in options and os.access(root, os.W_OK):
            return MemoryHierarchy(root, 1)
    for kind, root, _ in _mounts(mounts_file):
        controllers = root / "cgroup.controllers"
        if kind == "cgroup2" and controllers.exists() and "memory" in controllers.read_text().split() \
                and os.access(root, os.W_OK):
            return MemoryHierarchy(root, 2)
    return None


def student_group(hierarchy: MemoryHierarchy, account: str, limit_bytes: int) -> Path:
    """Create (or reuse) the student's cgroup with ``limit_bytes`` as its memory limit; return its directory."""
    parent = hierarchy.root / GROUP
    parent.mkdir(exist_ok=True)
    if hierarchy.version == 2:  # children of a v2 group get a controller only if their parent passes it on
        for group in (hierarchy.root, parent):
            enabled = (group / "cgroup.subtree_control").read_text().split()
            if "memory" not in enabled:
                (group / "cgroup.subtree_control").write_text("+memory")
    group = parent / account
    group.mkdir(exist_ok=True)
    (group / hierarchy.limit_file).write_text(str(limit_bytes))
    return group


def join(group: Path) -> None:
    """Move the calling process into ``group`` (from a preexec_fn, while still root)."""
    (group / "cgroup.procs").write_text(str(os.getpid()))


def peak_bytes(hierarchy: MemoryHierarchy, group: Path) -> int | None:
    """The group's highest memory use so far, where the kernel reports it."""
    path = group / hierarchy.peak_file
    return int(path.read_text()) if path.exists() else None
