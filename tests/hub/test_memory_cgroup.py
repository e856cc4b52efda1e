"""Finding the memory cgroup hierarchy the per-student limit goes in (tools/hub/memory_cgroup.py)."""
from __future__ import annotations

from pathlib import Path

import memory_cgroup


def _mounts(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "mounts"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_v1_memory_hierarchy_is_found_and_used_with_limit_in_bytes(tmp_path):
    (tmp_path / "memory").mkdir()
    mounts = _mounts(tmp_path, [
        "proc /proc proc rw 0 0",
        f"cgroup {tmp_path / 'cpu'} cgroup rw,relatime,cpu 0 0",
        f"cgroup {tmp_path / 'memory'} cgroup rw,relatime,memory 0 0",
    ])
    found = memory_cgroup.find_memory_hierarchy(mounts)
    assert found == memory_cgroup.MemoryHierarchy(tmp_path / "memory", 1)
    assert (found.limit_file, found.peak_file) == ("memory.limit_in_bytes", "memory.max_usage_in_bytes")


def test_a_v2_hierarchy_needs_the_memory_controller(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io pids\n")
    mounts = _mounts(tmp_path, [f"cgroup2 {tmp_path} cgroup2 rw,nosuid 0 0"])
    assert memory_cgroup.find_memory_hierarchy(mounts) is None
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    assert memory_cgroup.find_memory_hierarchy(mounts) == memory_cgroup.MemoryHierarchy(tmp_path, 2)


def test_a_v2_student_group_passes_the_controller_down_and_sets_memory_max(tmp_path):
    """In v2 a group gets a controller only through its parent's subtree_control."""
    hierarchy = memory_cgroup.MemoryHierarchy(tmp_path, 2)
    (tmp_path / "cgroup.subtree_control").write_text("")
    parent = tmp_path / memory_cgroup.GROUP
    parent.mkdir()
    (parent / "cgroup.subtree_control").write_text("memory\n")
    group = memory_cgroup.student_group(hierarchy, "cnnlib-alice", 1536 * 2**20)
    assert group == parent / "cnnlib-alice"
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory"
    assert (parent / "cgroup.subtree_control").read_text() == "memory\n"  # already on: left alone
    assert (group / "memory.max").read_text() == str(1536 * 2**20)
    assert memory_cgroup.peak_bytes(hierarchy, group) is None  # no memory.peak file (a kernel before 5.19)


def test_no_cgroup_mount_means_no_per_student_limit(tmp_path):
    assert memory_cgroup.find_memory_hierarchy(_mounts(tmp_path, ["proc /proc proc rw 0 0"])) is None
