"""A revocation waits for the batch in flight and makes batches fetched before it stale."""

import asyncio

from aiokafka import TopicPartition

from broker.router.rebalance_guard import RebalanceGuard

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
