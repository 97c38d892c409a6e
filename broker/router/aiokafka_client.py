"""The router's :class:`TransactionalClient` on aiokafka (pure Python).

aiokafka (0.14) sends ``TxnOffsetCommit`` v0, without the group generation and member id of
KIP-447, so the broker cannot refuse offsets committed by a member whose partitions were
revoked; the router's :class:`RebalanceGuard` closes that gap on its side (docs/scale-out.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import IllegalStateError

from broker.kafka.client_options import group_liveness_options
from broker.kafka.key_partitioner import CachedKeyPartitioner
from broker.router.outgoing import OutgoingRecord
from broker.router.rebalance_guard import RebalanceGuard
from broker.router.transactional_client import Batch, TopicPartition
from broker.settings import RouterSettings

__all__ = ["REQUEST_OVERHEAD_BYTES", "RETRY_BACKOFF_MS", "AiokafkaTransactionalClient"]

#: Room for headers and framing on top of the largest accepted ingress record.
REQUEST_OVERHEAD_BYTES = 64 * 1024
#: The producer's wait before retrying a request. A transaction's first request often meets
#: the previous one still writing its commit markers (``CONCURRENT_TRANSACTIONS``), and
#: the clients' 100 ms default then added 100 ms to that batch's latency.
RETRY_BACKOFF_MS = 20


class AiokafkaTransactionalClient:
    """``AIOKafkaConsumer`` + transactional ``AIOKafkaProducer`` with the router's settings."""

    def __init__(self, router: RouterSettings, client_options: Mapping[str, Any]) -> None:
        """``client_options``: from ``kafka_client_options`` (bootstrap servers, security)."""
        self._group_id = router.group_id
        self._consumer = AIOKafkaConsumer(
            **client_options,
            group_id=router.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_partition_fetch_bytes=router.max_record_bytes + REQUEST_OVERHEAD_BYTES,
            fetch_max_wait_ms=router.fetch_max_wait_ms,
            **group_liveness_options(router.session_timeout_ms),
            group_instance_id=router.transactional_id if router.static_membership else None,
        )
        self._producer = AIOKafkaProducer(
            **client_options,
            transactional_id=router.transactional_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            retry_backoff_ms=RETRY_BACKOFF_MS,
            transaction_timeout_ms=router.transaction_timeout_ms,
            max_request_size=router.max_record_bytes + REQUEST_OVERHEAD_BYTES,
            partitioner=CachedKeyPartitioner(),
        )
        self._sends: list[asyncio.Future[Any]] = []

    async def start(self, topics: Sequence[str], guard: RebalanceGuard) -> None:
        """Start the producer (initialising its transactional id), then the consumer."""
        await self._producer.start()
        await self._consumer.start()
        self._consumer.subscribe(list(topics), listener=guard)

    async def stop(self) -> None:
        """Stop the consumer, then the producer."""
        await self._consumer.stop()
        await self._producer.stop()

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        """aiokafka's ``getmany``."""
        fetched: Batch = await self._consumer.getmany(
            *partitions, timeout_ms=timeout_ms, max_records=max_records
        )
        return fetched

    def assignment(self) -> set[TopicPartition]:
        """The consumer's assignment."""
        assigned: set[TopicPartition] = self._consumer.assignment()
        return assigned

    def seek(self, partition: TopicPartition, offset: int) -> None:
        """Fetch ``partition`` from ``offset`` next."""
        self._consumer.seek(partition, offset)

    async def lag(self) -> dict[TopicPartition, int] | None:
        """Last stable offset (or high watermark) minus position, per fetched partition."""
        lag: dict[TopicPartition, int] = {}
        try:
            for partition in self._consumer.assignment():
                end = self._consumer.last_stable_offset(partition)
                if end is None or end < 0:
                    end = self._consumer.highwater(partition)
                if end is None:
                    continue
                position = await self._consumer.position(partition)
                lag[partition] = max(0, end - position)
        except (IllegalStateError, AssertionError):
            return None
        return lag

    async def begin(self) -> None:
        """Open a transaction."""
        self._sends = []
        await self._producer.begin_transaction()

    async def send(self, record: OutgoingRecord) -> None:
        """Append ``record`` to the producer's batches."""
        self._sends.append(
            await self._producer.send(
                record.topic, record.value, key=record.key, headers=list(record.headers)
            )
        )

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        """Offsets join while the records are still being replicated, then commit."""
        await self._producer.send_offsets_to_transaction(dict(offsets), self._group_id)
        sends, self._sends = self._sends, []
        await asyncio.gather(*sends)
        await self._producer.commit_transaction()

    async def abort(self) -> None:
        """Abort the open transaction unless the producer's error is fatal (as aiokafka's
        ``transaction()`` context does)."""
        self._sends = []
        if not self._producer._txn_manager.is_fatal_error():
            await self._producer.abort_transaction()
