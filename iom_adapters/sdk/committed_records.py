"""Which of a few known (partition, offset) positions of a topic hold committed records.

The relay asks this after a commit whose answer it never got: it reads each partition at
``read_committed`` from the lowest position asked about to just past the highest, so records
of an aborted transaction are skipped and only committed ones come back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

_SETTLE_TIMEOUT_S = 20.0


class UnsettledTransaction(Exception):
    """A position is still inside an open transaction; ask again later."""


async def committed_values(
    client_options: Mapping[str, Any],
    topic: str,
    positions: Iterable[tuple[int, int]],
    timeout: float = _SETTLE_TIMEOUT_S,
) -> dict[tuple[int, int], bytes | None]:
    """The committed value at each asked ``(partition, offset)`` that holds one.

    A position missing from the answer holds no committed record: its transaction was aborted,
    or the log no longer reaches it. Raise UnsettledTransaction if a position stays beyond the
    last stable offset (a transaction still open) for ``timeout`` seconds.
    """
    wanted: dict[int, set[int]] = {}
    for partition, offset in positions:
        wanted.setdefault(partition, set()).add(offset)
    if not wanted:
        return {}
    consumer = AIOKafkaConsumer(
        **client_options, enable_auto_commit=False, isolation_level="read_committed"
    )
    found: dict[tuple[int, int], bytes | None] = {}
    try:
        await consumer.start()
        partitions = {p: TopicPartition(topic, p) for p in wanted}
        consumer.assign(list(partitions.values()))
        for partition, offsets in wanted.items():
            consumer.seek(partitions[partition], min(offsets))
        last = {partitions[p]: max(offsets) for p, offsets in wanted.items()}
        try:
            async with asyncio.timeout(timeout):
                while remaining := [tp for tp in last if await consumer.position(tp) <= last[tp]]:
                    fetched = await consumer.getmany(*remaining, timeout_ms=200)
                    for tp, messages in fetched.items():
                        for message in messages:
                            if message.offset in wanted[tp.partition]:
                                found[(tp.partition, message.offset)] = message.value
                    for tp in remaining:
                        high = consumer.highwater(tp)
                        if high is not None and await consumer.position(tp) >= high:
                            del last[tp]  # read to the log's end: the rest was never kept
        except TimeoutError:
            raise UnsettledTransaction(
                f"{topic}: positions still in an open transaction after {timeout:.0f} s"
            ) from None
    finally:
        await consumer.stop()
    return found
