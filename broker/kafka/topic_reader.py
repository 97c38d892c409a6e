"""Read a whole topic's committed records, from the beginning to the current end."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Literal

from aiokafka import AIOKafkaConsumer, TopicPartition


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions, refreshing metadata once if the client has not seen it yet."""
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        await consumer._client.force_metadata_update()
        partitions = consumer.partitions_for_topic(topic)
    return [TopicPartition(topic, p) for p in sorted(partitions or ())]


async def read_topic(
    bootstrap_servers: str,
    topic: str,
    timeout: float = 30.0,
    client_options: Mapping[str, Any] | None = None,
    isolation_level: Literal["read_committed", "read_uncommitted"] = "read_committed",
) -> list[Any]:
    """Every committed record of ``topic`` at the time of the call, partition by partition.

    ``client_options``: extra aiokafka arguments (security) from ``kafka_client_options``.
    ``isolation_level="read_uncommitted"`` also returns records of aborted and open
    transactions (tests use it to see what Kafka wrote, not only what readers see).
    """
    consumer = AIOKafkaConsumer(
        **{**(client_options or {}), "bootstrap_servers": bootstrap_servers},
        enable_auto_commit=False,
        isolation_level=isolation_level,
    )
    try:
        await consumer.start()
        partitions = await topic_partitions(consumer, topic)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        records: list[Any] = []
        async with asyncio.timeout(timeout):
            while any([await consumer.position(p) < end[p] for p in partitions]):
                batch = await consumer.getmany(timeout_ms=200)
                for messages in batch.values():
                    records.extend(m for m in messages if m.offset < end[_tp(m)])
        return records
    finally:
        await consumer.stop()


def _tp(message: Any) -> TopicPartition:
    return TopicPartition(message.topic, message.partition)
