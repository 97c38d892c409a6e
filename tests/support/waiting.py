"""The one way tests wait: poll a condition until it holds, or fail after a timeout.

Tests never sleep a fixed time to let something happen (or to show that it did not): they
wait for a positive signal, such as a record arriving, a log line or a metric.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path


async def wait_until(
    check: Callable[[], bool | Awaitable[bool]], timeout: float = 60.0, interval: float = 0.1
) -> None:
    """Call ``check`` (plain or async) every ``interval`` seconds until it returns true.

    Raises ``TimeoutError`` naming the check when it still fails after ``timeout`` seconds.
    """
    try:
        async with asyncio.timeout(timeout):
            while True:
                outcome = check()
                if inspect.isawaitable(outcome):
                    outcome = await outcome
                if outcome:
                    return
                await asyncio.sleep(interval)
    except TimeoutError:
        name = getattr(check, "__qualname__", repr(check))
        raise TimeoutError(f"{name} did not hold within {timeout:g} s") from None


def log_count(path: Path, event: str) -> int:
    """How many JSON lines of a process log name ``event``."""
    return path.read_text().count(f'"{event}"') if path.exists() else 0


async def wait_for_log(path: Path, event: str, count: int = 1, timeout: float = 90.0) -> None:
    """Wait until the process writing ``path`` has logged ``event`` ``count`` times."""
    await wait_until(lambda: log_count(path, event) >= count, timeout, interval=0.1)
