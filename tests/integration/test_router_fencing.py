"""A router that stalled and lost its partitions to another router cannot commit when it
wakes (KIP-447): Kafka refuses its offsets, its transaction is aborted and nothing it wrote
becomes readable, so each ingress record is routed exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid

import confluent_kafka
import pytest

from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import TopicSpec
from broker.router.confluent_client import ConfluentTransactionalClient
from broker.router.outgoing import OutgoingRecord
from broker.router.rebalance_guard import RebalanceGuard
from broker.router.transactional_client import Batch
from broker.settings import RouterSettings

RECORDS = 10
SESSION_MS = 6_000
#: The zombie's poll interval: silent this long, librdkafka gives its partitions up.
POLL_INTERVAL_MS = 7_000


def _router(group: str, index: int) -> RouterSettings:
    return RouterSettings(
        group_id=group,
        transactional_id=f"{group}-{index}",
        session_timeout_ms=SESSION_MS,
        static_membership=False,
        transaction_timeout_ms=60_000,
    )


async def _fetch_all(client: ConfluentTransactionalClient, count: int) -> Batch:
    """Fetch until ``count`` records are in hand (the client joins its group meanwhile)."""
    batch: Batch = {}
    deadline = time.monotonic() + 90
    while sum(len(records) for records in batch.values()) < count:
        assert time.monotonic() < deadline, "the records were not fetched within 90 s"
        for partition, records in (await client.getmany(timeout_ms=500)).items():
            batch.setdefault(partition, []).extend(records)
    return batch


async def _route(client: ConfluentTransactionalClient, batch: Batch, output: str) -> None:
    """Copy the batch to ``output`` in an open transaction (not committed yet)."""
    await client.begin()
    for records in batch.values():
        for record in records:
            await client.send(OutgoingRecord(output, record.key, record.value or b""))


def _committed_values(bootstrap: str, topic: str) -> list[bytes]:
    consumer = confluent_kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"read-{uuid.uuid4().hex}",
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    values: list[bytes] = []
    try:
        idle = time.monotonic()
        while time.monotonic() - idle < 5:
            for message in consumer.consume(100, 0.5):
                if message.error() is None:
                    values.append(message.value() or b"")
                    idle = time.monotonic()
        return values
    finally:
        consumer.close()


@pytest.mark.kafka
async def test_a_stalled_router_that_lost_its_partitions_cannot_commit(
    kafka_bootstrap: str,
) -> None:
    """A router stalled past its poll interval while another took its partition over wakes
    to a refused commit, and only the other router's copy of each record is readable."""
    name = f"fence-{uuid.uuid4().hex[:8]}"
    source, output = f"{name}-in", f"{name}-out"
    await ensure_topics(kafka_bootstrap, [TopicSpec(source, 1, 1), TopicSpec(output, 1, 1)])
    producer = confluent_kafka.Producer({"bootstrap.servers": kafka_bootstrap})
    for index in range(RECORDS):
        producer.produce(source, f"record-{index}".encode(), b"key")
    assert producer.flush(30) == 0

    zombie = ConfluentTransactionalClient(
        _router(name, 0),
        {"bootstrap.servers": kafka_bootstrap},
        consumer_overrides={"max.poll.interval.ms": POLL_INTERVAL_MS},
    )
    successor = ConfluentTransactionalClient(
        _router(name, 1), {"bootstrap.servers": kafka_bootstrap}
    )
    await zombie.start([source], RebalanceGuard())
    try:
        stale = await _fetch_all(zombie, RECORDS)
        await _route(zombie, stale, output)
        await asyncio.sleep((POLL_INTERVAL_MS + 2_000) / 1000)  # the stall: no poll, no commit

        await successor.start([source], RebalanceGuard())
        batch = await _fetch_all(successor, RECORDS)
        await _route(successor, batch, output)
        await successor.commit({partition: rs[-1].offset + 1 for partition, rs in batch.items()})

        with pytest.raises(confluent_kafka.KafkaException):
            await zombie.commit({partition: rs[-1].offset + 1 for partition, rs in stale.items()})
        await zombie.abort()
    finally:
        await zombie.stop()
        await successor.stop()
    values = await asyncio.to_thread(_committed_values, kafka_bootstrap, output)
    assert sorted(values) == sorted(f"record-{index}".encode() for index in range(RECORDS))
