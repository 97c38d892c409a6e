"""CPU time of processes and of a JVM's threads, read from ``/proc`` (Linux only).

Used by the cluster benchmark to say where the two cores went during a load run: the Kafka
JVMs (and, inside them, JIT compilers vs request handling vs replication), the routers and the
load generator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["cpu_seconds", "jvm_thread_cpu_seconds", "kafka_pids"]

_TICK = os.sysconf("SC_CLK_TCK")
_THREAD_NUMBER = re.compile(r"[-#]?\d+$")


def _stat_cpu_seconds(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (all threads; gone ones count 0)."""
    total = 0.0
    for pid in pids:
        try:
            total += _stat_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
        except OSError:
            continue
    return total


def kafka_pids() -> list[int]:
    """Every running Kafka broker JVM (``java … kafka.Kafka``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and command[0].endswith(b"java") and b"kafka.Kafka" in command:
            found.append(int(entry.name))
    return found


def jvm_thread_cpu_seconds(pids: Iterable[int]) -> dict[str, float]:
    """CPU seconds per thread kind (thread name without its number) summed over ``pids``."""
    kinds: dict[str, float] = {}
    for pid in pids:
        tasks = Path(f"/proc/{pid}/task")
        try:
            threads = list(tasks.iterdir())
        except OSError:
            continue
        for thread in threads:
            try:
                stat = (thread / "stat").read_text()
            except OSError:
                continue
            name = _THREAD_NUMBER.sub("", stat[stat.index("(") + 1 : stat.rindex(")")]).strip()
            kinds[name] = kinds.get(name, 0.0) + _stat_cpu_seconds(stat)
    return kinds
