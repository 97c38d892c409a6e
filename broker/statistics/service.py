"""The statistics service: read ``subjects``, ``disclosures`` and every ``dlq.<agency>`` at
read_committed and keep the aggregates, exactly once.

It assigns itself every partition (no consumer group) and resumes from the offsets stored
with the aggregates: each polled batch's counts, member changes and next offsets are one
store transaction (:meth:`StatisticsStore.apply`). A ``kill -9`` before that commit re-reads
the batch; after it, the batch is never read again. ``until_caught_up`` (``stats rebuild``)
stops once every partition has been read to the end it had when the service started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.kafka.client_options import kafka_client_options
from broker.kafka.topic_reader import topic_partitions
from broker.kafka.topics import DISCLOSURES_TOPIC, DLQ_PREFIX, SUBJECTS_TOPIC, dlq_topic
from broker.router.dead_letter import HEADER_REASON
from broker.router.subject_codec import decode_subject
from broker.settings import Settings
from broker.statistics.aggregation import Aggregation
from broker.statistics.store import Position, StatisticsStore

__all__ = ["READY_EVENT", "StatisticsService"]

log = structlog.get_logger(__name__)

READY_EVENT = "statistics.ready"
_DLQ_AT = "iom.dlq.at"


def _header(message: Any, name: str) -> str | None:
    for key, value in message.headers or ():
        if key == name:
            return bytes(value).decode("utf-8", "replace")
    return None


class StatisticsService:
    """Runs until ``stop`` is set (or, with ``until_caught_up``, until it has caught up)."""

    def __init__(
        self,
        settings: Settings,
        store: StatisticsStore,
        codec: AvroCodec,
        agency_areas: Mapping[str, str],
        agencies: Sequence[str],
    ) -> None:
        self._settings = settings
        self._store = store
        self._codec = codec
        self._areas = agency_areas
        self._topics = [SUBJECTS_TOPIC, DISCLOSURES_TOPIC, *(dlq_topic(a) for a in agencies)]
        self._last_events: dict[int, str] = {}
        self.ready = asyncio.Event()
        self.records = 0
        self.undecodable = 0

    async def run(self, stop: asyncio.Event, until_caught_up: bool = False) -> None:
        """Consume and aggregate."""
        options = self._settings.statistics
        client = kafka_client_options(self._settings)
        client["client_id"] = f"{client['client_id']}-statistics"
        consumer = AIOKafkaConsumer(
            **client,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            partitions = await self._assign(consumer)
            ends = await consumer.end_offsets(partitions) if until_caught_up else {}
            self.ready.set()
            log.info(READY_EVENT, partitions=len(partitions))
            while not stop.is_set():
                if until_caught_up and await self._caught_up(consumer, ends):
                    break
                batch = await consumer.getmany(
                    timeout_ms=options.poll_timeout_ms, max_records=options.batch_max_records
                )
                if batch:
                    await asyncio.to_thread(self.aggregate, batch)
        finally:
            await consumer.stop()
            log.info("statistics.stopped", records=self.records, undecodable=self.undecodable)

    async def _assign(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        partitions: list[TopicPartition] = []
        for topic in self._topics:
            found = await topic_partitions(consumer, topic)
            if not found:
                log.warning("statistics.topic_missing", topic=topic)
            partitions.extend(found)
        consumer.assign(partitions)
        stored = await asyncio.to_thread(self._store.positions)
        fresh = [tp for tp in partitions if (tp.topic, tp.partition) not in stored]
        for tp in partitions:
            if (tp.topic, tp.partition) in stored:
                consumer.seek(tp, stored[(tp.topic, tp.partition)][0])
        if fresh:
            await consumer.seek_to_beginning(*fresh)
        self._last_events = {
            p: event for (t, p), (_, event) in stored.items() if t == DISCLOSURES_TOPIC and event
        }
        return partitions

    @staticmethod
    async def _caught_up(consumer: AIOKafkaConsumer, ends: Mapping[TopicPartition, int]) -> bool:
        return all([await consumer.position(tp) >= end for tp, end in ends.items()])

    def aggregate(self, batch: Mapping[TopicPartition, list[Any]]) -> None:
        """Fold one batch and store it with its next offsets in one transaction."""
        subjects = [
            (m, decode_subject(m.value))
            for tp, messages in batch.items()
            if tp.topic == SUBJECTS_TOPIC
            for m in messages
            if m.value
        ]
        keys = {self._store.member_key(record.subject_ref) for _, record in subjects}
        aggregation = Aggregation(self._areas, self._store.members(keys), self._last_events)
        for _, record in subjects:
            aggregation.add_subject(self._store.member_key(record.subject_ref), record)
        positions: Position = {}
        for tp, messages in batch.items():
            if tp.topic == DISCLOSURES_TOPIC:
                self._disclosures(aggregation, tp.partition, messages)
            elif tp.topic.startswith(DLQ_PREFIX):
                agency = tp.topic.removeprefix(DLQ_PREFIX)
                for message in messages:
                    reason = _header(message, HEADER_REASON) or "unknown"
                    aggregation.add_dead_letter(agency, reason, self._when(message))
            last_event = (
                self._last_events.get(tp.partition, "") if tp.topic == DISCLOSURES_TOPIC else ""
            )
            positions[(tp.topic, tp.partition)] = (messages[-1].offset + 1, last_event)
            self.records += len(messages)
        changed = {key: aggregation.members[key] for key in aggregation.changed}
        self._store.apply(aggregation.counts, changed, positions)

    def _disclosures(self, aggregation: Aggregation, partition: int, messages: list[Any]) -> None:
        for message in messages:
            try:
                record = self._codec.decode_disclosure(message.value)
            except CatalogueError:
                self.undecodable += 1
                log.error("statistics.undecodable", partition=partition, offset=message.offset)
                continue
            aggregation.add_disclosure(partition, record)

    @staticmethod
    def _when(message: Any) -> datetime:
        stamp = _header(message, _DLQ_AT)
        if stamp:
            try:
                return datetime.fromisoformat(stamp)
            except ValueError:
                pass
        return datetime.fromtimestamp(message.timestamp / 1000, UTC)
