"""Follow the compacted ``subjects`` topic so every router in a group shares one cohort.

Routers in one consumer group each own some ingress partitions, but an enrolment may arrive
on any of them. On start the follower replays the topic to its end; afterwards the router
polls it between batches, so an enrolment committed by another router is known here within
a poll interval. The race is inherent: an event routed before that enrolment is visible is
refused as "not in the cohort", exactly as if it had arrived before the enrolment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.domain.cohort_table import CohortTable
from broker.kafka.topic_reader import topic_partitions
from broker.kafka.topics import SUBJECTS_TOPIC
from broker.router.cohort_feed import apply_subject_records

log = structlog.get_logger(__name__)

_POLL_MS = 200
_START_TIMEOUT_S = 60


class CohortFollower:
    """Tails ``subjects`` at ``read_committed`` and applies each record to the cohort table."""

    def __init__(
        self,
        bootstrap_servers: str,
        cohort: CohortTable,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``client_options``: extra aiokafka arguments (security) from ``kafka_client_options``."""
        self._options = {**(client_options or {}), "bootstrap_servers": bootstrap_servers}
        self._cohort = cohort
        self._consumer: AIOKafkaConsumer | None = None
        self._partitions: list[TopicPartition] = []

    async def start(self) -> int:
        """Replay the topic to its current end into the cohort; return how many records."""
        consumer = AIOKafkaConsumer(
            **self._options, enable_auto_commit=False, isolation_level="read_committed"
        )
        await consumer.start()
        self._consumer = consumer
        self._partitions = await topic_partitions(consumer, SUBJECTS_TOPIC)
        if not self._partitions:
            log.warning("router.subjects_topic_missing", topic=SUBJECTS_TOPIC)
            return 0
        consumer.assign(self._partitions)
        await consumer.seek_to_beginning(*self._partitions)
        end = await consumer.end_offsets(self._partitions)
        applied = 0
        async with asyncio.timeout(_START_TIMEOUT_S):
            while any([await consumer.position(p) < end[p] for p in self._partitions]):
                applied += await self._read(_POLL_MS)
        log.info("router.cohort_loaded", subjects=len(self._cohort), records=applied)
        return applied

    async def poll(self) -> int:
        """Apply records committed since the last call (without waiting); return how many."""
        if self._consumer is None or not self._partitions:
            return 0
        return await self._read(0)

    async def stop(self) -> None:
        """Close the consumer."""
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    async def _read(self, timeout_ms: int) -> int:
        assert self._consumer is not None
        batch = await self._consumer.getmany(timeout_ms=timeout_ms)
        return apply_subject_records(
            self._cohort, (m.value for messages in batch.values() for m in messages)
        )
