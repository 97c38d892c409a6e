"""Drain the outbox to ``ingress.<agency>``: oldest first, one Kafka transaction per batch.

One batch at a time: take the oldest pending events, send them all inside one transaction,
wait for every acknowledgement, note where Kafka wrote each (``in_doubt``, synced), commit,
and only then remove them from the outbox. Every reader of ``ingress.*`` reads at
``read_committed``, so it sees a batch whole or not at all.

A batch that fails (Kafka unreachable, no partition leader) stays in the outbox: the relay
drops the producer, waits with exponential backoff and tries again with a new one. The new
producer has the same transactional id (``<agency>.outbox-<token>``, the token kept in the
outbox file; configurable), so starting it fences the old one and Kafka aborts the old, unfinished
transaction: records Kafka wrote but never acknowledged are never read, and the retry writes
each event once.

One window remains: the commit was asked for, Kafka committed, but the answer was lost (the
connection dropped, or the adapter was killed before removing the batch). The relay does not
guess. Before its first batch with a new producer (after a failure or a restart), it reads the
``in_doubt`` positions at ``read_committed``: the new producer's start has settled the old
transaction, so an event found there, with the same bytes, was committed and is removed from
the outbox; one not found was aborted and is sent again. In normal running this costs one
small synced SQLite write per batch, beside the transaction's own two round trips to its
coordinator (about a fifth of the relay's rate at 2,000 events a batch: BENCHMARKS.md).
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
from iom_adapters.sdk.committed_records import committed_values
from iom_adapters.sdk.outbox import Outbox, PendingRecord, WrittenRecord

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
#: A batch not committed within this many seconds fails and is retried with a new producer.
#: With Kafka stopped, aiokafka's transactional producer was seen waiting for its transaction
#: coordinator indefinitely instead of failing the batch after ``request_timeout_ms``.
BATCH_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 10.0


class OutboxRelay:
    """Publishes one agency's outbox to Kafka until stopped.

    ``producer_options`` are the client's keyword arguments (bootstrap servers, client id and
    security settings, from ``iom_adapters.sdk.kafka_options``), given to the producer and to
    the consumer that reads back in-doubt events, so they hold no producer-only settings.
    ``transactional_id`` must start with ``<agency>.`` (the agency's ACLs allow only those)
    and belong to this outbox alone; by default it is ``<agency>.outbox-<token>``, the token
    random and kept in the outbox file.
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
        transactional_id: str | None = None,
        producer_factory: Callable[..., AIOKafkaProducer] = AIOKafkaProducer,
    ) -> None:
        self.outbox = outbox
        self.topic = ingress_topic(agency)
        self.transactional_id = transactional_id or f"{agency}.outbox-{outbox.relay_token()}"
        if not self.transactional_id.startswith(f"{agency}."):
            raise ValueError(
                f"relay transactional id {self.transactional_id!r} must start with {agency!r}."
            )
        self._client_options = dict(producer_options)
        self._options = {
            "enable_idempotence": True,
            "acks": "all",
            "linger_ms": LINGER_MS,
            "request_timeout_ms": 15_000,
            **producer_options,
            "transactional_id": self.transactional_id,
        }
        self._batch_size = batch_size
        self._stop_grace = stop_grace
        self._backoff = backoff or Backoff()
        self._factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._settled = False
        """Whether the in-doubt events were looked up since the current producer started."""
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
        records: list[PendingRecord] = []
        try:
            async with asyncio.timeout(BATCH_TIMEOUT_S):
                producer = await self._ensure_producer()
                if not self._settled:
                    await self._settle_in_doubt()
                    self._settled = True
                    if self.outbox.pending == 0:
                        return self._succeeded()
                records = self.outbox.take(self._batch_size)
                await producer.begin_transaction()
                futures = [await producer.send(self.topic, r.value, key=r.key) for r in records]
                written = [
                    WrittenRecord(r, meta.partition, meta.offset)
                    for r, meta in zip(records, await asyncio.gather(*futures), strict=True)
                ]
                self.outbox.note_in_doubt(written)
                await producer.commit_transaction()
        except Exception as error:
            return await self._failed(records, error)
        self.outbox.mark_sent(records)
        self.sent += len(records)
        return self._succeeded()

    def _succeeded(self) -> bool:
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

    async def _settle_in_doubt(self) -> None:
        """Remove the in-doubt events Kafka committed; the rest are sent again."""
        in_doubt = self.outbox.in_doubt()
        if not in_doubt:
            return
        values = await committed_values(
            self._client_options, self.topic, [(w.partition, w.offset) for w in in_doubt]
        )
        committed = [
            w.record for w in in_doubt if values.get((w.partition, w.offset)) == w.record.value
        ]
        self.outbox.mark_sent(committed)
        self.outbox.clear_in_doubt()
        self.sent += len(committed)
        log.info(
            "adapter.outbox.in_doubt_settled",
            topic=self.topic,
            committed=len(committed),
            resent=len(in_doubt) - len(committed),
        )

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
            self._settled = False  # its start settled any earlier transaction of the id
        return self._producer

    async def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), _STOP_TIMEOUT_S)
