"""The router's :class:`TransactionalClient` on confluent-kafka (librdkafka, in C).

Offsets join each transaction with ``send_offsets_to_transaction(offsets,
consumer.consumer_group_metadata())``: the group generation and member id go with them
(KIP-447), so the broker refuses the commit of a router that lost its partitions (a zombie,
e.g. stalled past its poll interval while another router took over) and the whole
transaction is aborted. The router's :class:`RebalanceGuard` still makes a revocation wait
for the batch in flight, so a healthy router's commit never meets that refusal.

librdkafka's calls block, so consuming and committing run in worker threads; the rebalance
callbacks, called inside ``consume``, hand the revocation to the event loop and wait for it.
The Python client lets one thread at a time into a consumer's methods, so only the fetching
thread (and the loop between fetches) ever calls the consumer: the group metadata a commit
needs is read right after the fetch that brought its records.
Records are fetched into per-partition buffers so that the fair batcher can take a share of
each partition, as aiokafka's ``getmany(partition)`` allows.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import confluent_kafka
import structlog

from broker.router.aiokafka_client import REQUEST_OVERHEAD_BYTES
from broker.router.outgoing import OutgoingRecord
from broker.router.rebalance_guard import RebalanceGuard
from broker.router.transactional_client import Batch, FetchedRecord, TopicPartition
from broker.settings import RouterSettings

__all__ = ["PRODUCER_TUNING", "ConfluentTransactionalClient"]

log = structlog.get_logger(__name__)

PRODUCER_TUNING: Mapping[str, Any] = {
    "linger.ms": 5,
    # librdkafka retries CONCURRENT_TRANSACTIONS (the previous commit still writing its
    # markers) after this; its 100 ms default cost ~45 ms per transaction (BENCHMARKS.md).
    "retry.backoff.ms": 10,
    "retry.backoff.max.ms": 100,
    # Kafka's default partitioner (aiokafka's and Java's): a subject's records land in the
    # same partition whichever client wrote them (the compacted ``subjects`` topic).
    "partitioner": "murmur2_random",
}
"""Producer settings the benchmark's tuned librdkafka passthrough uses too."""

#: Records asked of librdkafka per ``consume`` call when the caller sets no limit.
_CONSUME_CHUNK = 500
#: A fetch with nothing to wait for still hands over what librdkafka has queued.
_NO_WAIT_S = 0.0


@dataclass(frozen=True, slots=True)
class _Record:
    """A consumed record (``confluent_kafka.Message`` has methods, not attributes)."""

    offset: int
    key: bytes | None
    value: bytes | None


def _ours(partition: confluent_kafka.TopicPartition) -> TopicPartition:
    return TopicPartition(partition.topic, partition.partition)


class ConfluentTransactionalClient:
    """``confluent_kafka.Consumer`` + transactional ``Producer`` with the router's settings."""

    def __init__(
        self,
        router: RouterSettings,
        client_options: Mapping[str, Any],
        consumer_overrides: Mapping[str, Any] | None = None,
    ) -> None:
        """``client_options``: from ``librdkafka_client_options`` (servers, security).

        ``consumer_overrides``: extra librdkafka consumer settings (tests shorten
        ``max.poll.interval.ms`` to make a stalled router lose its partitions).
        """
        self._timeout_s = router.transaction_timeout_ms / 1000
        self._consumer_config: dict[str, Any] = {
            **client_options,
            "group.id": router.group_id,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "max.partition.fetch.bytes": router.max_record_bytes + REQUEST_OVERHEAD_BYTES,
            "fetch.wait.max.ms": router.fetch_max_wait_ms,
            "session.timeout.ms": router.session_timeout_ms,
            "heartbeat.interval.ms": min(1_000, router.session_timeout_ms // 3),
            # aiokafka's assignor, so routers on either client can share a group
            "partition.assignment.strategy": "roundrobin",
            **(consumer_overrides or {}),
        }
        if router.static_membership:
            self._consumer_config["group.instance.id"] = router.transactional_id
        self._producer_config: dict[str, Any] = {
            **client_options,
            "transactional.id": router.transactional_id,
            "enable.idempotence": True,
            "acks": "all",
            "transaction.timeout.ms": router.transaction_timeout_ms,
            "message.max.bytes": router.max_record_bytes + REQUEST_OVERHEAD_BYTES,
            **PRODUCER_TUNING,
        }
        self._consumer: confluent_kafka.Consumer | None = None
        self._producer: confluent_kafka.Producer | None = None
        self._guard: RebalanceGuard | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._buffers: dict[TopicPartition, deque[_Record]] = {}
        self._positions: dict[TopicPartition, int] = {}
        self._in_transaction = False
        self._fetched_under: object | None = None
        """The group metadata (generation, member id) as of the latest fetch with records."""
        self._transaction_under: object | None = None

    async def start(self, topics: Sequence[str], guard: RebalanceGuard) -> None:
        """Initialise the transactional id (fencing any earlier producer of it), subscribe."""
        self._loop = asyncio.get_running_loop()
        self._guard = guard
        producer = confluent_kafka.Producer(self._producer_config)
        producer.poll(0)  # serves oauth_cb so the first request carries a token
        await asyncio.to_thread(producer.init_transactions, self._timeout_s)
        self._producer = producer
        consumer = confluent_kafka.Consumer(self._consumer_config)
        consumer.subscribe(
            list(topics),
            on_assign=self._on_assign,
            on_revoke=self._on_revoke,
            on_lost=self._on_lost,
        )
        self._consumer = consumer

    async def stop(self) -> None:
        """Close the consumer (giving its partitions up), then the producer."""
        if self._consumer is not None:
            await asyncio.to_thread(self._consumer.close)
            self._consumer = None
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await asyncio.to_thread(producer.close)

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        """Buffered records (of ``partitions`` if given); fetch more when none are buffered."""
        limit = max_records if max_records is not None else _CONSUME_CHUNK
        if not partitions and not any(self._buffers.values()):
            await asyncio.to_thread(self._fetch, max(limit, 1), timeout_ms / 1000)
        return self._take(partitions or tuple(self._buffers), limit)

    def assignment(self) -> set[TopicPartition]:
        """The partitions librdkafka has assigned to this consumer."""
        return {_ours(p) for p in self._require_consumer().assignment()}

    def seek(self, partition: TopicPartition, offset: int) -> None:
        """Drop what is buffered of ``partition`` and fetch it from ``offset`` next."""
        self._buffers.pop(partition, None)
        self._positions[partition] = offset
        self._require_consumer().seek(
            confluent_kafka.TopicPartition(partition.topic, partition.partition, offset)
        )

    async def lag(self) -> dict[TopicPartition, int] | None:
        """High watermark as of the latest fetch minus the next offset to be taken."""
        consumer = self._require_consumer()
        lag: dict[TopicPartition, int] = {}
        for partition in consumer.assignment():
            ours = _ours(partition)
            _low, high = consumer.get_watermark_offsets(partition, cached=True)
            position = self._positions.get(ours)
            if high < 0 or position is None:
                continue
            lag[ours] = max(0, high - position)
        return lag

    async def begin(self) -> None:
        """Serve queued delivery reports and token refreshes, then open a transaction."""
        producer = self._require_producer()
        producer.poll(0)
        producer.begin_transaction()
        self._in_transaction = True
        self._transaction_under = self._fetched_under

    async def send(self, record: OutgoingRecord) -> None:
        """Queue ``record`` (librdkafka sends it while the batch is still being routed)."""
        producer = self._require_producer()
        while True:
            try:
                if record.headers:
                    producer.produce(
                        record.topic, record.value, record.key, headers=list(record.headers)
                    )
                else:  # an empty header list still costs librdkafka a headers object
                    producer.produce(record.topic, record.value, record.key)
                return
            except BufferError:  # the local queue is full: let it drain a little
                await asyncio.to_thread(producer.poll, 0.05)

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        """Offsets with the group's generation and member id (KIP-447), then commit."""
        producer = self._require_producer()
        positions = [
            confluent_kafka.TopicPartition(partition.topic, partition.partition, offset)
            for partition, offset in offsets.items()
        ]

        # The membership the batch was fetched under, not the current one: a member that
        # left the group meanwhile (and was told so on waking) has generation -1, which
        # the broker would not check. Nor may this thread call the consumer: the Python
        # client serialises its calls, and ``consume`` may be waiting in a revocation for
        # this very commit.
        under = self._transaction_under
        if under is None:
            raise RuntimeError("a transaction was committed before any record was fetched")

        def commit() -> None:
            producer.send_offsets_to_transaction(positions, under, self._timeout_s)
            producer.commit_transaction(self._timeout_s)

        await asyncio.to_thread(commit)
        self._in_transaction = False

    async def abort(self) -> None:
        """Abort the open transaction; a producer in fatal error (fenced) cannot, and says so."""
        if not self._in_transaction or self._producer is None:
            return
        self._in_transaction = False
        try:
            await asyncio.to_thread(self._producer.abort_transaction, self._timeout_s)
        except confluent_kafka.KafkaException as error:
            log.warning("router.abort_failed", error=error.args[0].name())

    def _fetch(self, limit: int, timeout_s: float) -> None:
        """Take up to ``limit`` records into the buffers, waiting up to ``timeout_s`` for the
        first one only (in a worker thread). ``consume(n, timeout)`` would wait for all
        ``n`` or the whole timeout: a lone record would wait the full poll interval."""
        consumer = self._require_consumer()
        messages = consumer.consume(limit, _NO_WAIT_S)
        if not messages and timeout_s > 0:
            first = consumer.poll(timeout_s)
            if first is not None:
                messages = [first, *consumer.consume(max(limit - 1, 1), _NO_WAIT_S)]
        if messages:
            self._fetched_under = consumer.consumer_group_metadata()
        for message in messages:
            error = message.error()
            if error is not None:
                if error.fatal():
                    raise confluent_kafka.KafkaException(error)
                log.info("router.fetch_error", error=error.name())
                continue
            partition = TopicPartition(message.topic(), message.partition())
            offset = message.offset()
            assert offset is not None  # a consumed record always has one
            self._buffers.setdefault(partition, deque()).append(
                _Record(offset, message.key(), message.value())
            )

    def _take(self, partitions: Sequence[TopicPartition], limit: int) -> Batch:
        batch: Batch = {}
        for partition in partitions:
            buffer = self._buffers.get(partition)
            if not buffer or limit <= 0:
                continue
            taken: list[FetchedRecord] = []
            while buffer and limit > 0:
                taken.append(buffer.popleft())
                limit -= 1
            self._positions[partition] = taken[-1].offset + 1
            batch[partition] = taken
        return batch

    def _on_assign(self, _consumer: Any, partitions: list[confluent_kafka.TopicPartition]) -> None:
        for partition in partitions:
            self._positions.pop(_ours(partition), None)
        self._call_guard(self._assigned({_ours(p) for p in partitions}))

    def _on_revoke(self, _consumer: Any, partitions: list[confluent_kafka.TopicPartition]) -> None:
        self._call_guard(self._revoked({_ours(p) for p in partitions}))

    def _on_lost(self, _consumer: Any, partitions: list[confluent_kafka.TopicPartition]) -> None:
        log.warning("router.partitions_lost", partitions=len(partitions))
        self._call_guard(self._revoked({_ours(p) for p in partitions}))

    async def _assigned(self, partitions: set[TopicPartition]) -> None:
        assert self._guard is not None
        await self._guard.on_partitions_assigned(partitions)

    async def _revoked(self, partitions: set[TopicPartition]) -> None:
        """Records of revoked partitions are not routed here; the guard waits for the batch
        in flight and marks every batch gathered before now as stale."""
        for partition in partitions:
            self._buffers.pop(partition, None)
            self._positions.pop(partition, None)
        assert self._guard is not None
        await self._guard.on_partitions_revoked(partitions)

    def _call_guard(self, call: Any) -> None:
        """Run ``call`` on the event loop and wait for it (rebalance callbacks run in the
        thread that is inside ``consume``, never in the loop's own thread)."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(call, self._loop).result()

    def _require_consumer(self) -> confluent_kafka.Consumer:
        if self._consumer is None:
            raise RuntimeError("the router's confluent-kafka consumer is not started")
        return self._consumer

    def _require_producer(self) -> confluent_kafka.Producer:
        if self._producer is None:
            raise RuntimeError("the router's confluent-kafka producer is not started")
        return self._producer
