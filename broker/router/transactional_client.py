"""The port between the router's loop and a Kafka client: fetch, then write in a transaction.

:class:`KafkaRouter` runs over any :class:`TransactionalClient`; two adapters implement it,
``aiokafka_client.py`` (pure Python) and ``confluent_client.py`` (librdkafka, KIP-447
fencing), chosen by ``router.kafka_client``. A client consumes the ingress topics in one
consumer group at ``read_committed`` without auto-commit, and writes a batch's records and
its consumer offsets in one Kafka transaction, so a batch's effects are all visible or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from aiokafka import TopicPartition

from broker.router.outgoing import OutgoingRecord
from broker.router.rebalance_guard import RebalanceGuard

__all__ = ["Batch", "FetchedRecord", "TopicPartition", "TransactionalClient"]


class FetchedRecord(Protocol):
    """One consumed ingress record (aiokafka's ``ConsumerRecord`` is one)."""

    @property
    def offset(self) -> int:
        """Its offset in its partition."""
        ...

    @property
    def key(self) -> bytes | None:
        """Its key, as written."""
        ...

    @property
    def value(self) -> bytes | None:
        """Its value, as written."""
        ...


#: Records by partition (``TopicPartition`` is a plain named tuple of topic and partition).
Batch = dict[TopicPartition, list[FetchedRecord]]


class TransactionalClient(Protocol):
    """A group consumer of the ingress topics with a transactional producer beside it."""

    async def start(self, topics: Sequence[str], guard: RebalanceGuard) -> None:
        """Connect, initialise the transactional producer and subscribe ``topics``; every
        revocation is reported to ``guard`` before the partitions are given up."""
        ...

    async def stop(self) -> None:
        """Close both clients (an open transaction is aborted by Kafka)."""
        ...

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        """Records fetched so far (of ``partitions`` if given), waiting up to ``timeout_ms``."""
        ...

    def assignment(self) -> set[TopicPartition]:
        """The partitions this consumer owns now."""
        ...

    def seek(self, partition: TopicPartition, offset: int) -> None:
        """Fetch ``partition`` from ``offset`` next."""
        ...

    async def lag(self) -> dict[TopicPartition, int] | None:
        """Records not yet taken per owned partition (last stable offset minus position, as of
        the latest fetch), or ``None`` while a rebalance is under way."""
        ...

    async def begin(self) -> None:
        """Open a transaction."""
        ...

    async def send(self, record: OutgoingRecord) -> None:
        """Add ``record`` to the open transaction (buffered; its outcome is known at commit)."""
        ...

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        """Add the group's next ``offsets`` to the transaction and commit it; raises (the
        transaction is then aborted) when any write or the offsets are refused."""
        ...

    async def abort(self) -> None:
        """Abort the open transaction, if any, as far as the client still can."""
        ...
