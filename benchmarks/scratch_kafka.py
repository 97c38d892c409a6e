"""A throwaway local Kafka for a benchmark: started in a new temporary folder, deleted after."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from broker.devtools.kafka.kafka_launcher import local_kafka

__all__ = ["scratch_kafka"]


@asynccontextmanager
async def scratch_kafka(prefix: str, brokers: int = 1) -> AsyncIterator[tuple[Path, str]]:
    """Yield ``(folder, bootstrap servers)`` of a Kafka of ``brokers`` nodes in a new folder
    named ``prefix…``; on exit stop it and delete the folder (its logs run to gigabytes)."""
    state = Path(tempfile.mkdtemp(prefix=prefix))
    kafka = local_kafka(state, brokers)
    bootstrap = await asyncio.to_thread(kafka.start)
    try:
        yield state, bootstrap
    finally:
        await asyncio.to_thread(kafka.stop)
        shutil.rmtree(state, ignore_errors=True)
