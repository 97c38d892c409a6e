"""Batch assembly that lingers briefly for more records, then gives every partition with
records waiting a share of the batch.

aiokafka's ``getmany(max_records=N)`` drains its fetch buffers in order, so one agency whose
partition holds a large fetched backlog (a flood) could fill batch after batch while the other
agencies' records wait. :class:`FairBatcher` first takes at most ``per_partition`` records of
any partition, visiting the assigned partitions from a rotating start, and only then fills the
rest of the batch from whatever is left. Order within a partition is kept.

The cadence adapts to the traffic: with no transaction in flight a batch is routed as soon as
its first records are taken (light traffic: each event is committed right away); while the
previous batch's transaction commits, the next one keeps gathering until that commit is done
(under load, batches grow to what arrives during one commit), up to ``linger_ms``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

from aiokafka import TopicPartition

__all__ = ["FairBatcher", "FetchingConsumer"]

Batch = dict[TopicPartition, list[Any]]
#: The longest single wait while lingering: how late after its commit a batch may start.
_LINGER_SLICE_MS = 5


class FetchingConsumer(Protocol):
    """The part of ``AIOKafkaConsumer`` the batcher uses."""

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        """Records fetched so far, waiting up to ``timeout_ms`` for some."""
        ...

    def assignment(self) -> set[TopicPartition]:
        """The partitions this consumer owns."""
        ...


class FairBatcher:
    """Assembles batches of at most ``max_records``, ``per_partition`` each while others wait."""

    def __init__(self, max_records: int, per_partition: int, linger_ms: int = 0) -> None:
        if per_partition <= 0:
            raise ValueError(f"per_partition {per_partition} must be positive")
        self.max_records = max_records
        self.per_partition = min(per_partition, max_records)
        self.linger_ms = linger_ms
        self._turn = 0

    async def next_batch(
        self,
        consumer: FetchingConsumer,
        timeout_ms: int,
        in_flight: asyncio.Future[Any] | None = None,
    ) -> Batch:
        """Wait up to ``timeout_ms`` for records; while ``in_flight`` (the previous batch's
        commit) is not done, keep gathering; then share the batch out fairly."""
        batch: Batch = {}
        first = await consumer.getmany(timeout_ms=timeout_ms, max_records=self.per_partition)
        if not first:
            return batch
        _merge(batch, first)
        if in_flight is not None:
            await self._linger(consumer, batch, in_flight)
        budget = self.max_records - sum(len(records) for records in batch.values())
        partitions = sorted(consumer.assignment())
        if partitions:
            start = self._turn % len(partitions)
            self._turn += 1
            partitions = partitions[start:] + partitions[:start]
        for partition in partitions:
            if budget <= 0:
                break
            if partition in batch:
                continue
            more = await consumer.getmany(
                partition, timeout_ms=0, max_records=min(self.per_partition, budget)
            )
            budget -= _merge(batch, more)
        while budget > 0:
            more = await consumer.getmany(timeout_ms=0, max_records=budget)
            if not more:
                break
            budget -= _merge(batch, more)
        return batch

    async def _linger(
        self, consumer: FetchingConsumer, batch: Batch, in_flight: asyncio.Future[Any]
    ) -> None:
        """Keep taking records while ``in_flight`` commits, for at most ``linger_ms``, and
        not once some partition has its full share waiting (a backlog: no need to wait).

        Records are taken out of the client's buffer as they come, not left there: the
        client does not fetch a partition again while records of it are buffered. Each wait
        is a short slice, so the batch is routed soon after the commit ends.
        """
        deadline = time.monotonic() + self.linger_ms / 1000
        while not in_flight.done():
            sizes = [len(records) for records in batch.values()]
            left_ms = int((deadline - time.monotonic()) * 1000)
            if max(sizes) >= self.per_partition or sum(sizes) >= self.max_records or left_ms <= 0:
                return
            budget = min(self.per_partition, self.max_records - sum(sizes))
            wait_ms = min(left_ms, _LINGER_SLICE_MS)
            _merge(batch, await consumer.getmany(timeout_ms=wait_ms, max_records=budget))


def _merge(batch: Batch, more: Batch) -> int:
    """Append ``more`` to ``batch`` partition by partition; return how many records it added."""
    added = 0
    for partition, records in more.items():
        batch.setdefault(partition, []).extend(records)
        added += len(records)
    return added
