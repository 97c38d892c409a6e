"""Background processes of the development tools: recorded by pid file, stopped as a group."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from broker.devtools.processes import (
    pid_alive,
    read_pid,
    runs_command,
    spawn_detached,
    stop_process_group,
)


def _wait_for_file(path: Path, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout}s")


def test_stopping_a_recorded_process_stops_the_children_it_started(tmp_path: Path) -> None:
    """dev down's stop ends the recorded process and its children, and forgets the pid file."""
    child_file = tmp_path / "child.pid"
    pid_file = tmp_path / "parent.pid"
    script = f"sleep 300 & echo $! > {child_file}; wait"
    pid = spawn_detached(["sh", "-c", script], tmp_path / "out.log", pid_file, dict(os.environ))
    child = int(_wait_for_file(child_file))
    assert read_pid(pid_file) == pid

    assert stop_process_group(pid_file, timeout=10.0) is True

    assert not pid_alive(pid)
    deadline = time.monotonic() + 10.0
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(child)
    assert not pid_file.exists()
    assert stop_process_group(pid_file) is False


def test_detached_process_output_is_owner_only(tmp_path: Path) -> None:
    """A background process's log file is readable by its owner only (0600)."""
    log_file = tmp_path / "out.log"
    pid_file = tmp_path / "p.pid"
    spawn_detached(["sh", "-c", "echo started"], log_file, pid_file, dict(os.environ))

    assert _wait_for_file(log_file) == "started"
    assert log_file.stat().st_mode & 0o777 == 0o600


def test_a_process_is_recognised_by_its_arguments(tmp_path: Path) -> None:
    """A pid counts as ours only while it runs with the arguments we started it with."""
    marker = str(tmp_path / "marker")
    pid_file = tmp_path / "p.pid"
    code = "import time; print('ready', flush=True); time.sleep(300)"
    log_file = tmp_path / "out.log"
    pid = spawn_detached([sys.executable, "-c", code, marker], log_file, pid_file, dict(os.environ))
    try:
        assert _wait_for_file(log_file) == "ready"
        assert runs_command(pid, marker.encode())
        assert not runs_command(pid, marker.encode(), b"kafka.Kafka")
    finally:
        stop_process_group(pid_file, timeout=10.0)
    assert not runs_command(pid, marker.encode())
