"""A long-running command's readiness as a file: there while the process is ready.

``settings.ready_file`` (``IOM_READY_FILE``) names it. The router, the log writer and the
statistics service create it once their ``ready`` event is set (they have their partitions)
and remove it when they stop; ``dev up`` waits for it, and an orchestrator's exec probe can
too. Unlike the ``*.ready`` log lines it does not depend on the log level.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

__all__ = ["ready_file"]


async def _create_when_ready(ready: asyncio.Event, path: Path) -> None:
    await ready.wait()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{os.getpid()}\n", encoding="utf-8")


@contextlib.asynccontextmanager
async def ready_file(ready: asyncio.Event, path: Path | None) -> AsyncIterator[None]:
    """While the block runs, create ``path`` once ``ready`` is set; remove it on leaving.
    ``path`` None does nothing."""
    if path is None:
        yield
        return
    path.unlink(missing_ok=True)
    marking = asyncio.create_task(_create_when_ready(ready, path))
    try:
        yield
    finally:
        marking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await marking
        path.unlink(missing_ok=True)
