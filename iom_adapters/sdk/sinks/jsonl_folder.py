"""Drop folder sink: each batch becomes one JSON-lines file, written atomically.

The file is written as ``.<name>.tmp``, flushed to disk, then renamed to ``<name>.jsonl``, so
the agency's pick-up job never sees a half-written file. Names sort by time, and carry the
partition and first offset, e.g. ``deliver-probation-wales-20260309T094212123456Z-p0-o1200.jsonl``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.sinks.base import SinkError


class JsonlFolderSink:
    """Writes deliveries into ``folder`` (created if missing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def write(self, deliveries: Sequence[Delivery]) -> None:
        """Write one file holding the batch, durably."""
        if deliveries:
            await asyncio.to_thread(self._write, deliveries)

    def _write(self, deliveries: Sequence[Delivery]) -> None:
        first = deliveries[0]
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        topic = first.topic.replace(".", "-")
        name = f"{topic}-{stamp}-p{first.partition}-o{first.offset}.jsonl"
        temporary = self.folder / f".{name}.tmp"
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                for delivery in deliveries:
                    handle.write(delivery.json() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(self.folder / name)
            directory = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise SinkError(
                f"cannot write to drop folder {self.folder}: {error.strerror}"
            ) from None

    async def aclose(self) -> None:
        """Nothing to release."""
