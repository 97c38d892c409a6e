"""Background processes of the development tools: start detached, find by pid, signal, stop.

Every process starts in its own session (so it outlives the command that started it and can
be stopped with its children as one process group) with umask 077 and its output appended to
an owner-only log file. The development stack's processes are recorded by pid file
(:func:`spawn_detached`, :func:`read_pid`, :func:`stop_process_group`); the local Kafka
launcher keeps its JVM's :class:`subprocess.Popen` and recognises a running JVM by its
command line (:func:`runs_command`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from broker.secrets.owner_only import OWNER_ONLY_UMASK, open_owner_only_append

__all__ = [
    "pid_alive",
    "read_log_tail",
    "read_pid",
    "reap",
    "runs_command",
    "signal_group",
    "spawn_detached",
    "start_detached",
    "stop_process_group",
    "tail_text",
]


def start_detached(
    command: Sequence[str],
    log_file: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own session with umask 077, stdin closed and its output
    appended to ``log_file`` (0600); ``env`` replaces the environment when given."""
    with open_owner_only_append(log_file) as log:
        return subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            umask=OWNER_ONLY_UMASK,
        )


def spawn_detached(
    command: Sequence[str], log_file: Path, pid_file: Path, env: Mapping[str, str]
) -> int:
    """Start ``command`` detached (:func:`start_detached`); record and return its pid."""
    process = start_detached(command, log_file, env=env)
    pid_file.write_text(str(process.pid))
    return process.pid


def pid_alive(pid: int) -> bool:
    """True while a process with this pid exists and is not a zombie."""
    if not _pid_exists(pid):
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def runs_command(pid: int, *markers: bytes) -> bool:
    """Whether ``pid`` is a live (non-zombie) process with every one of ``markers`` among its
    command-line arguments (where there is no ``/proc``: whether it exists at all)."""
    proc = Path("/proc") / str(pid)
    try:
        stat = (proc / "stat").read_text(encoding="utf-8")
        cmdline = (proc / "cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:  # no /proc (not Linux): fall back to "a process with this pid exists"
        return _pid_exists(pid)
    state = stat.rpartition(")")[2].split()[:1]
    if state in (["Z"], ["X"]):
        return False
    return all(marker in cmdline for marker in markers)


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
    signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_alive(pid):
        signal_group(pid, signal.SIGKILL)
        while pid_alive(pid):
            time.sleep(0.05)
    return True


def signal_group(pid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to the process group ``pid`` leads (to ``pid`` alone if it leads none);
    a process that is already gone is ignored."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def reap(pid: int) -> None:
    """Collect ``pid``'s exit status if it is our child, so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def read_log_tail(path: Path) -> list[str]:
    """The last lines (up to 16 KiB) of a process's log file; none if there is no file."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 16384))
            return handle.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []


def tail_text(lines: Sequence[str], count: int = 5) -> str:
    """The last ``count`` non-blank ``lines`` on one line, for a one-line error message."""
    kept = [line.strip() for line in lines if line.strip()][-count:]
    return " | ".join(kept) if kept else "(no output)"


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
