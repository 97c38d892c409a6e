"""The confluent-kafka router client hands out buffered records per partition, as the fair
batcher needs, and a seek or revocation never lets a stale buffered record through."""

from __future__ import annotations

import asyncio
from collections import deque

import pytest

from broker.router.confluent_client import ConfluentTransactionalClient, _Record
from broker.router.rebalance_guard import RebalanceGuard
from broker.router.transactional_client import TopicPartition
from broker.settings import RouterSettings

FLOOD = TopicPartition("ingress.gwent-police", 0)
QUIET = TopicPartition("ingress.gdas", 0)


class _Consumer:
    """Records seeks; owns both partitions."""

    def __init__(self) -> None:
        self.seeks: list[tuple[str, int, int]] = []

    def seek(self, partition: object) -> None:
        self.seeks.append((partition.topic, partition.partition, partition.offset))  # type: ignore[attr-defined]


def _client(buffered: dict[TopicPartition, range]) -> ConfluentTransactionalClient:
    client = ConfluentTransactionalClient(RouterSettings(), {"bootstrap.servers": "unused:9092"})
    client._buffers = {
        tp: deque(_Record(offset, None, b"v") for offset in offsets)
        for tp, offsets in buffered.items()
    }
    return client


async def test_a_partition_is_served_from_its_own_buffer_up_to_the_limit() -> None:
    """Asking for one partition's records gives only that partition's, oldest first."""
    client = _client({FLOOD: range(0, 300), QUIET: range(10, 13)})
    batch = await client.getmany(FLOOD, timeout_ms=0, max_records=100)
    assert [r.offset for r in batch[FLOOD]] == list(range(100))
    assert QUIET not in batch
    rest = await client.getmany(QUIET, timeout_ms=0, max_records=100)
    assert [r.offset for r in rest[QUIET]] == [10, 11, 12]


async def test_a_seek_drops_what_was_buffered_of_that_partition() -> None:
    """After a rewind the partition's buffered records are gone and it is fetched again."""
    client = _client({FLOOD: range(50, 60), QUIET: range(0, 2)})
    consumer = _Consumer()
    client._consumer = consumer  # type: ignore[assignment]
    client.seek(FLOOD, 50)
    assert consumer.seeks == [("ingress.gwent-police", 0, 50)]
    assert await client.getmany(FLOOD, timeout_ms=0) == {}
    assert [r.offset for r in (await client.getmany(QUIET, timeout_ms=0))[QUIET]] == [0, 1]


async def test_a_revocation_drops_buffered_records_and_marks_batches_stale() -> None:
    """Records of revoked partitions are never handed out, and the guard moves on."""
    client = _client({FLOOD: range(0, 5), QUIET: range(0, 5)})
    guard = RebalanceGuard()
    client._guard = guard
    await client._revoked({FLOOD})
    assert await client.getmany(FLOOD, timeout_ms=0) == {}
    assert guard.generation == 1
    assert QUIET in await client.getmany(QUIET, timeout_ms=0)


async def test_a_commit_before_any_fetch_is_refused() -> None:
    """Offsets are never sent without the group membership of a fetch (KIP-447 fencing)."""
    client = _client({})
    client._producer = object()  # type: ignore[assignment]
    with pytest.raises(RuntimeError, match="before any record was fetched"):
        await asyncio.wait_for(client.commit({QUIET: 1}), 5)
