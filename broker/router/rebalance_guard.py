"""Keep a router from committing a batch of partitions it no longer owns after a rebalance.

aiokafka (0.14) sends ``TxnOffsetCommit`` v0, without the group generation and member id of
KIP-447, so the broker does not refuse offsets from a member whose partitions were revoked.
The guard closes that gap on the router's side: a revocation waits for the batch in flight to
commit or abort, and a batch fetched before a revocation is dropped unrouted (its records are
read again, from the committed offsets, by whichever router owns the partition next).
"""

from __future__ import annotations

import asyncio

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
