"""A consumer group's lag, measured from Kafka: end offsets minus committed offsets.

End offsets are read at ``read_committed`` (the last stable offset), as the router reads;
a partition the group never committed counts from its earliest offset (the router starts
there, ``auto_offset_reset="earliest"``). Used by the API's ``/metrics`` so an operator sees
the routers' lag without scraping every router.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

__all__ = ["GroupLag", "LagProbe", "group_lag", "group_lag_probe", "topic_partitions"]

GroupLag = dict[TopicPartition, int]
LagProbe = Callable[[], Awaitable[GroupLag]]
"""Measures the lag of one group now (raises if Kafka does not answer)."""


async def group_lag(
    bootstrap_servers: str,
    group_id: str,
    topics: Sequence[str],
    options: dict[str, Any] | None = None,
    timeout_s: float = 5.0,
) -> GroupLag:
    """Records of ``topics`` the group ``group_id`` has not committed yet, per partition."""
    common: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers,
        "request_timeout_ms": int(timeout_s * 1000),
        **(options or {}),
    }
    common["client_id"] = "iom-broker-lag"
    admin = AIOKafkaAdminClient(**common)
    consumer = AIOKafkaConsumer(
        **common, isolation_level="read_committed", enable_auto_commit=False
    )
    try:
        await admin.start()
        await consumer.start()
        partitions = await topic_partitions(admin, topics)
        if not partitions:
            return {}
        committed = await admin.list_consumer_group_offsets(group_id, partitions=partitions)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        starts: dict[TopicPartition, int] = await consumer.beginning_offsets(partitions)
    finally:
        await consumer.stop()
        await admin.close()
    lag: GroupLag = {}
    for partition in partitions:
        entry = committed.get(partition)
        position = entry.offset if entry is not None and entry.offset >= 0 else starts[partition]
        lag[partition] = max(0, ends[partition] - position)
    return lag


async def topic_partitions(
    admin: AIOKafkaAdminClient, topics: Sequence[str]
) -> list[TopicPartition]:
    """The partitions of those ``topics`` that exist, in topic then partition order."""
    described: list[dict[str, Any]] = await admin.describe_topics(list(topics))
    found = {
        entry["topic"]: sorted(p["partition"] for p in entry["partitions"])
        for entry in described
        if entry["error_code"] == 0
    }
    return [TopicPartition(t, p) for t in topics for p in found.get(t, ())]


def group_lag_probe(
    bootstrap_servers: str,
    group_id: str,
    topics: Sequence[str],
    options: dict[str, Any] | None = None,
    timeout_s: float = 5.0,
) -> LagProbe:
    """A :data:`LagProbe` for ``group_id`` over ``topics``."""

    async def probe() -> GroupLag:
        return await group_lag(bootstrap_servers, group_id, topics, options, timeout_s)

    return probe
