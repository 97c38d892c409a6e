"""What an agency's DPO may see of its dead letters: when, why, and where the record was.

Read from the headers of ``dlq.<agency>`` only (reason code, the one-line detail the router
wrote without payload values, source position and time); the record's bytes are never read
out, so nothing personal leaves the topic through this view.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer

from broker.kafka.topic_reader import topic_partitions
from broker.kafka.topics import dlq_topic
from broker.router.dead_letter import HEADER_DETAIL, HEADER_REASON

_AT = "iom.dlq.at"
_SOURCE_OFFSET = "iom.dlq.source_offset"
_SOURCE_PARTITION = "iom.dlq.source_partition"


@dataclass(frozen=True)
class DeadLetterNotice:
    """One record the router turned away, as its agency's DPO sees it."""

    at: datetime
    reason: str
    detail: str
    source_partition: int
    source_offset: int


def notice_from_headers(headers: Mapping[str, bytes], timestamp_ms: int) -> DeadLetterNotice:
    """The notice a dead letter's headers describe (the Kafka timestamp if ``at`` is absent)."""
    text = {key: value.decode("utf-8", "replace") for key, value in headers.items()}
    try:
        at = datetime.fromisoformat(text[_AT])
    except (KeyError, ValueError):
        at = datetime.fromtimestamp(timestamp_ms / 1000).astimezone()
    return DeadLetterNotice(
        at=at,
        reason=text.get(HEADER_REASON, "unknown"),
        detail=text.get(HEADER_DETAIL, ""),
        source_partition=int(text.get(_SOURCE_PARTITION, "-1") or -1),
        source_offset=int(text.get(_SOURCE_OFFSET, "-1") or -1),
    )


async def recent_dead_letters(
    bootstrap_servers: str,
    agency: str,
    limit: int,
    client_options: Mapping[str, Any] | None = None,
    timeout: float = 10.0,
) -> list[DeadLetterNotice]:
    """The newest ``limit`` committed dead letters of ``agency``, newest first."""
    consumer = AIOKafkaConsumer(
        **{**(client_options or {}), "bootstrap_servers": bootstrap_servers},
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        partitions = await topic_partitions(consumer, dlq_topic(agency))
        consumer.assign(partitions)
        start = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        for partition in partitions:
            consumer.seek(partition, max(start[partition], end[partition] - limit))
        notices: list[DeadLetterNotice] = []
        async with asyncio.timeout(timeout):
            while any([await consumer.position(p) < end[p] for p in partitions]):
                for partition, messages in (await consumer.getmany(timeout_ms=200)).items():
                    notices.extend(
                        notice_from_headers(dict(m.headers), m.timestamp)
                        for m in messages
                        if m.offset < end[partition]
                    )
        return sorted(notices, key=lambda n: n.at, reverse=True)[:limit]
    finally:
        await consumer.stop()
