"""The log writer: consume ``disclosures`` at read_committed and append them to the log.

For each polled batch: decode, append (idempotent by disclosure id, one durable store
transaction), then commit the consumer offsets. A crash before the store commit re-reads
the batch; a crash after it re-reads records already logged, which are skipped. Nothing is
lost and nothing is logged twice. A checkpoint is signed every ``checkpoint_interval_s``
while the tree grows, and once more on shutdown.

When the store is unreachable (its server stopped, the connection lost) the writer does not
stop: it logs ``log_writer.store_unavailable``, waits (exponential backoff, capped), rewinds
to its committed offsets and tries the same records again, so it catches up once the store
is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.kafka.client_options import group_liveness_options, kafka_client_options
from broker.kafka.topics import DISCLOSURES_TOPIC
from broker.settings import Settings, TransparencySettings
from broker.transparency.entry import fresh_salts
from broker.transparency.errors import EntryError, StoreUnavailableError
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import NewLeaf
from broker.transparency.wiring import open_log

log = structlog.get_logger(__name__)

READY_EVENT = "log_writer.ready"
STORE_UNAVAILABLE_EVENT = "log_writer.store_unavailable"
STORE_RECOVERED_EVENT = "log_writer.store_recovered"

#: Backoff while the store is unreachable: first wait, growth factor, longest wait (seconds).
RETRY_FIRST_S, RETRY_FACTOR, RETRY_MAX_S = 0.5, 2.0, 10.0


class StoreRetry:
    """Exponential backoff between attempts to reach the store; reset by a success."""

    def __init__(
        self,
        first_s: float = RETRY_FIRST_S,
        factor: float = RETRY_FACTOR,
        most_s: float = RETRY_MAX_S,
    ) -> None:
        self._first_s, self._factor, self._most_s = first_s, factor, most_s
        self.failures = 0
        self.since: float | None = None

    def next_wait(self) -> float:
        """Record one more failure; the seconds to wait before the next attempt."""
        if self.since is None:
            self.since = time.monotonic()
        self.failures += 1
        return float(min(self._most_s, self._first_s * self._factor ** (self.failures - 1)))

    def succeeded(self) -> tuple[int, float] | None:
        """Reset after a success; the failures and seconds of the outage that ended, if any."""
        if self.since is None:
            return None
        outage = (self.failures, time.monotonic() - self.since)
        self.failures, self.since = 0, None
        return outage


async def open_log_when_reachable(
    settings: TransparencySettings, stop: asyncio.Event, retry: StoreRetry | None = None
) -> TransparencyLog | None:
    """Open the log, waiting (with backoff) while its store is unreachable; None if stopped."""
    retry = retry or StoreRetry()
    while not stop.is_set():
        try:
            return await asyncio.to_thread(open_log, settings)
        except StoreUnavailableError as error:
            wait = retry.next_wait()
            log.warning(
                STORE_UNAVAILABLE_EVENT, error=str(error), attempt=retry.failures, retry_in_s=wait
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
    return None


class LogWriter:
    """Runs until ``stop`` is set; waits out an unreachable store, other failures propagate."""

    def __init__(self, settings: Settings, transparency_log: TransparencyLog, codec: AvroCodec):
        self._settings = settings
        self._log = transparency_log
        self._codec = codec
        self.ready = asyncio.Event()
        self.appended = 0
        self.skipped = 0
        self.undecodable = 0
        self.store_failures = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Consume and append until ``stop`` is set."""
        options = self._settings.transparency
        client = kafka_client_options(self._settings)
        client["client_id"] = f"{client['client_id']}-log-writer"
        consumer = AIOKafkaConsumer(
            DISCLOSURES_TOPIC,
            **client,
            group_id=options.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            **group_liveness_options(options.session_timeout_ms),
        )
        await consumer.start()
        log.info("log_writer.started", group=options.group_id)
        last_checkpoint = time.monotonic()
        retry = StoreRetry()
        try:
            while not stop.is_set():
                batch = await consumer.getmany(
                    timeout_ms=options.poll_timeout_ms, max_records=options.batch_max_records
                )
                if not self.ready.is_set() and consumer.assignment():
                    self.ready.set()
                    log.info(READY_EVENT, partitions=len(consumer.assignment()))
                try:
                    if batch:
                        await self._append(batch)
                    if time.monotonic() - last_checkpoint >= options.checkpoint_interval_s:
                        await asyncio.to_thread(self._log.publish_checkpoint)
                        last_checkpoint = time.monotonic()
                except StoreUnavailableError as error:
                    await self._wait_for_store(retry, error, stop)
                    self._rewind(consumer, batch)
                    continue
                if batch:
                    await consumer.commit(
                        {tp: messages[-1].offset + 1 for tp, messages in batch.items()}
                    )
                if (outage := retry.succeeded()) is not None:
                    failures, seconds = outage
                    log.info(STORE_RECOVERED_EVENT, failures=failures, seconds=round(seconds, 1))
            try:
                await asyncio.to_thread(self._log.publish_checkpoint)
            except StoreUnavailableError as error:
                log.warning(STORE_UNAVAILABLE_EVENT, error=str(error), attempt=0, retry_in_s=None)
        finally:
            await consumer.stop()
            log.info(
                "log_writer.stopped",
                appended=self.appended,
                skipped=self.skipped,
                undecodable=self.undecodable,
            )

    async def _wait_for_store(
        self, retry: StoreRetry, error: StoreUnavailableError, stop: asyncio.Event
    ) -> None:
        """Log the outage (its kind only) and back off, waking early if ``stop`` is set."""
        self.store_failures += 1
        wait = retry.next_wait()
        log.warning(
            STORE_UNAVAILABLE_EVENT,
            error=str(error),
            attempt=retry.failures,
            retry_in_s=round(wait, 2),
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)

    @staticmethod
    def _rewind(consumer: AIOKafkaConsumer, batch: dict[TopicPartition, list[Any]]) -> None:
        """Read the batch that was not stored again (from its first record: the committed
        position); partitions no longer assigned start from the committed offsets anyway."""
        assigned = consumer.assignment()
        for partition, messages in batch.items():
            if partition in assigned and messages:
                consumer.seek(partition, messages[0].offset)

    async def _append(self, batch: dict[TopicPartition, list[Any]]) -> None:
        leaves: list[NewLeaf] = []
        salts = iter(fresh_salts(sum(len(messages) for messages in batch.values())))
        for partition, messages in batch.items():
            for message in messages:
                try:
                    record = self._codec.decode_disclosure(message.value)
                    leaves.append(self._log.leaf_for(record, next(salts))[1])
                except (CatalogueError, EntryError) as error:
                    self.undecodable += 1
                    log.error(
                        "log_writer.undecodable",
                        topic=partition.topic,
                        partition=partition.partition,
                        offset=message.offset,
                        error=str(error),
                    )
        result = await asyncio.to_thread(self._log.append_leaves, leaves)
        self.appended += len(result.appended)
        self.skipped += result.skipped
        if result.skipped:
            log.info("log_writer.duplicates_skipped", count=result.skipped, size=result.size)
