"""Drain the outbox to ``ingress.<agency>``: oldest first, idempotent producer, retry forever.

One batch at a time: take the oldest pending events, send them all, wait for every
acknowledgement, then remove the acknowledged ones. The producer is idempotent and is kept
while Kafka restarts, so a batch retried by the client is written once. A batch that fails
(Kafka unreachable, no partition leader) stays in the outbox: the relay drops the producer,
waits with exponential backoff and tries again with a new one. Only an event whose first
attempt Kafka wrote but never acknowledged can be sent twice; it keeps its event id, so the
duplicate is recognisable downstream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer

from broker.kafka.topics import ingress_topic
from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.outbox import Outbox, PendingRecord

log = structlog.get_logger(__name__)

DEFAULT_BATCH = 2000
"""Events per batch. A batch is sent, acknowledged and removed from the outbox (one synced
transaction) before the next is taken, so each costs about one linger, one produce round trip
and one fsync whatever its size: 500 capped a backlog at about 10,000 events/s on the
development machine; 2,000 spreads that cost over four times as many events."""
#: How long the producer gathers records into one request per partition leader. An agency
#: sending hundreds of events a second costs the brokers a produce request, and each
#: follower a replica fetch, per linger: at 1,000 events/s on three brokers, 25 ms instead of
#: 5 ms took about 0.2 of a core off Kafka and 0.07 off the routers (BENCHMARKS.md), for at most
#: 25 ms more on a single event.
LINGER_MS = 25
_STOP_TIMEOUT_S = 10.0


class OutboxRelay:
    """Publishes one agency's outbox to Kafka until stopped.

    ``producer_options`` are extra AIOKafkaProducer keyword arguments (bootstrap servers,
    client id and security settings come from ``iom_adapters.sdk.kafka_options``).
    """

    def __init__(
        self,
        outbox: Outbox,
        agency: str,
        producer_options: dict[str, Any],
        *,
        batch_size: int = DEFAULT_BATCH,
        backoff: Backoff | None = None,
        stop_grace: float = 5.0,
        producer_factory: Callable[..., AIOKafkaProducer] = AIOKafkaProducer,
    ) -> None:
        self.outbox = outbox
        self.topic = ingress_topic(agency)
        self._options = {
            "enable_idempotence": True,
            "acks": "all",
            "linger_ms": LINGER_MS,
            "request_timeout_ms": 15_000,
            **producer_options,
        }
        self._batch_size = batch_size
        self._stop_grace = stop_grace
        self._backoff = backoff or Backoff()
        self._factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self._drained = asyncio.Event()
        self._unreachable_since: float | None = None
        self.sent = 0
        self.failed_batches = 0
        outbox.on_added = self._wake.set

    @property
    def unreachable_since(self) -> float | None:
        """Wall-clock time Kafka became unreachable, or None while it is reachable."""
        return self._unreachable_since

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set.

        On stop, a batch in flight gets ``stop_grace`` seconds to be acknowledged; if Kafka is
        unreachable it is abandoned and stays in the outbox for the next start.
        """
        stopper = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                if self.outbox.pending == 0:
                    self._drained.set()
                    self._wake.clear()
                    waker = asyncio.create_task(self._wake.wait())
                    await asyncio.wait({waker, stopper}, return_when=asyncio.FIRST_COMPLETED)
                    waker.cancel()
                    continue
                self._drained.clear()
                batch = asyncio.create_task(self._send_batch())
                await asyncio.wait({batch, stopper}, return_when=asyncio.FIRST_COMPLETED)
                if not batch.done():
                    await asyncio.wait({batch}, timeout=self._stop_grace)
                    if not batch.done():
                        batch.cancel()
                        log.warning("adapter.outbox.batch_abandoned", pending=self.outbox.pending)
                        with contextlib.suppress(asyncio.CancelledError):
                            await batch
                        break
                if not batch.result():
                    delay = self._backoff.next_delay()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(stopper), delay)
        finally:
            stopper.cancel()
            await self._drop_producer()

    async def drained(self, timeout: float) -> bool:
        """Wait until the outbox is empty (True) or ``timeout`` seconds pass (False)."""
        if self.outbox.pending == 0:
            return True
        try:
            async with asyncio.timeout(timeout):
                while self.outbox.pending:
                    self._drained.clear()
                    await self._drained.wait()
        except TimeoutError:
            return False
        return True

    async def _send_batch(self) -> bool:
        records = self.outbox.take(self._batch_size)
        try:
            producer = await self._ensure_producer()
            futures = [await producer.send(self.topic, r.value, key=r.key) for r in records]
        except Exception as error:
            return await self._failed(records, error)
        results = await asyncio.gather(*futures, return_exceptions=True)
        done = [
            r for r, res in zip(records, results, strict=True) if not isinstance(res, BaseException)
        ]
        failed = [
            r for r, res in zip(records, results, strict=True) if isinstance(res, BaseException)
        ]
        self.outbox.mark_sent(done)
        self.sent += len(done)
        if failed:
            first = next(res for res in results if isinstance(res, BaseException))
            return await self._failed(failed, first)
        if self._unreachable_since is not None:
            log.info(
                "adapter.outbox.kafka_recovered",
                topic=self.topic,
                seconds=round(time.time() - self._unreachable_since, 1),
                pending=self.outbox.pending,
            )
            self._unreachable_since = None
        self._backoff.reset()
        return True

    async def _failed(self, records: list[PendingRecord], error: BaseException) -> bool:
        self.failed_batches += 1
        self.outbox.note_failure(records)
        if self._unreachable_since is None:
            self._unreachable_since = time.time()
            log.warning(
                "adapter.outbox.kafka_unreachable",
                topic=self.topic,
                error=type(error).__name__,
                pending=self.outbox.pending,
            )
        await self._drop_producer()
        return False

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._factory(**self._options)
            try:
                await producer.start()
            except BaseException:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(producer.stop(), _STOP_TIMEOUT_S)
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), _STOP_TIMEOUT_S)
