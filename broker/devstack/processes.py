"""Start and stop detached background processes recorded by pid file."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from broker.secrets.owner_only import OWNER_ONLY_UMASK, open_owner_only_append


def spawn_detached(
    command: Sequence[str], log_file: Path, pid_file: Path, env: Mapping[str, str]
) -> int:
    """Start ``command`` in its own session with umask 077, output to ``log_file`` (0600);
    record and return its pid."""
    with open_owner_only_append(log_file) as log:
        process = subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,
            umask=OWNER_ONLY_UMASK,
        )
    pid_file.write_text(str(process.pid))
    return process.pid


def pid_alive(pid: int) -> bool:
    """True while a process with this pid exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def read_pid(pid_file: Path) -> int | None:
    """The pid recorded in ``pid_file``, if the file exists and the process is alive."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def stop_process_group(pid_file: Path, timeout: float = 20.0) -> bool:
    """SIGTERM the recorded process group, SIGKILL it after ``timeout``; True if one was running."""
    pid = read_pid(pid_file)
    pid_file.unlink(missing_ok=True)
    if pid is None:
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_alive(pid):
        _signal_group(pid, signal.SIGKILL)
        while pid_alive(pid):
            time.sleep(0.05)
    return True


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)
