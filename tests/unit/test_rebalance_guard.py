"""A revocation waits for the batch in flight and makes batches fetched before it stale."""

import asyncio
from dataclasses import dataclass, field

from aiokafka import TopicPartition

from broker.router.rebalance_guard import RebalanceGuard, rewind

PARTITION = {TopicPartition("ingress.x", 0)}


async def test_batch_fetched_before_revocation_is_stale() -> None:
    """A batch fetched before partitions were revoked must not be routed (or committed)."""
    guard = RebalanceGuard()
    fetched_at = guard.generation
    await guard.on_partitions_revoked(PARTITION)
    assert not guard.is_current(fetched_at)
    assert guard.is_current(guard.generation)


async def test_revocation_waits_for_the_batch_in_flight() -> None:
    """Partitions are not given up while a batch is being routed and committed."""
    guard = RebalanceGuard()
    steps: list[str] = []
    async with guard.lock:
        revocation = asyncio.create_task(guard.on_partitions_revoked(PARTITION))
        await asyncio.sleep(0)
        steps.append("batch committed")
    await revocation
    steps.append("revoked")
    assert steps == ["batch committed", "revoked"]
    assert guard.generation == 1


@dataclass(frozen=True)
class Record:
    """A fetched record's offset."""

    offset: int


@dataclass
class SeekRecorder:
    """A consumer that owns ``owned`` and records every seek."""

    owned: set[TopicPartition]
    seeks: dict[TopicPartition, int] = field(default_factory=dict)

    def assignment(self) -> set[TopicPartition]:
        return self.owned

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.seeks[partition] = offset


def test_a_dropped_batch_is_read_again_from_its_first_record() -> None:
    """Records fetched before and after a rebalance (the later ones from the committed offset,
    lower) are all read again: the kept partition is rewound to the lowest; a partition now
    owned by another router is left to it."""
    kept, lost = TopicPartition("ingress.x", 0), TopicPartition("ingress.x", 1)
    consumer = SeekRecorder({kept})
    batch = {kept: [Record(120), Record(121), Record(100), Record(101)], lost: [Record(7)]}
    assert rewind(consumer, batch) == 1
    assert consumer.seeks == {kept: 100}
