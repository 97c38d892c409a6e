"""Keep a router from committing a batch of partitions it no longer owns after a rebalance.

On confluent-kafka the broker itself refuses such a commit (KIP-447: the offsets carry the
group generation), and the guard keeps a healthy router from ever meeting that refusal;
aiokafka (0.14) sends ``TxnOffsetCommit`` v0, without the generation and member id, so there
the guard is the only defence. Either way: a revocation waits for the batch in flight to
commit or abort, and a batch fetched across a revocation is dropped unrouted. Its records are
read again by whichever router owns each partition next: another router starts from the
committed offsets; this one, if it kept or was given the partition, is rewound to the first
dropped record (:func:`rewind`), because part of the batch may have been fetched after the new
assignment had already set its position.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import structlog
from aiokafka import ConsumerRebalanceListener, TopicPartition

log = structlog.get_logger(__name__)


class RebalanceGuard(ConsumerRebalanceListener):  # type: ignore[misc]
    """Counts revocations and serialises them with routing a batch."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.generation = 0

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        """Wait for the batch in flight, then mark every batch fetched before now as stale."""
        async with self.lock:
            self.generation += 1
        log.info("router.partitions_revoked", partitions=len(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        """Log the new assignment (positions come from the committed offsets)."""
        log.info("router.partitions_assigned", partitions=len(assigned))

    def is_current(self, generation: int) -> bool:
        """Whether no revocation happened since ``generation`` was read."""
        return generation == self.generation


class SeekingConsumer(Protocol):
    """The part of ``AIOKafkaConsumer`` :func:`rewind` uses."""

    def assignment(self) -> set[TopicPartition]:
        """The partitions this consumer owns now."""
        ...

    def seek(self, partition: TopicPartition, offset: int) -> None:
        """Fetch ``partition`` from ``offset`` next."""
        ...


def rewind(consumer: SeekingConsumer, batch: Mapping[TopicPartition, Sequence[Any]]) -> int:
    """Seek each partition of a dropped ``batch`` that is still assigned back to its lowest
    offset in the batch, so none of its records is skipped; return how many were rewound."""
    assigned = consumer.assignment()
    rewound = 0
    for partition, records in batch.items():
        if partition in assigned and records:
            consumer.seek(partition, min(_offsets(records)))
            rewound += 1
    return rewound


def _offsets(records: Iterable[Any]) -> Iterable[int]:
    return (int(record.offset) for record in records)
