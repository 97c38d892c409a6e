"""One agency's flooded partition cannot fill a batch while other agencies' records wait."""

from __future__ import annotations

import asyncio

from aiokafka import TopicPartition

from broker.router.fair_batch import Batch, FairBatcher

FLOOD = TopicPartition("ingress.gwent-police", 0)
QUIET = [TopicPartition("ingress.gdas", 0), TopicPartition("ingress.newport-housing", 1)]


class BufferedConsumer:
    """Fetched-but-unconsumed records per partition, drained in buffer order like aiokafka."""

    def __init__(self, buffered: dict[TopicPartition, list[int]]) -> None:
        self.buffered = buffered

    def assignment(self) -> set[TopicPartition]:
        return set(self.buffered)

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        left = max_records if max_records is not None else 10**9
        out: Batch = {}
        for tp, records in self.buffered.items():
            if (partitions and tp not in partitions) or not records or not left:
                continue
            taken, self.buffered[tp] = records[:left], records[left:]
            out[tp] = list(taken)
            left -= len(taken)
        return out


async def test_a_flooded_partition_gets_a_share_not_the_whole_batch() -> None:
    """With 10,000 flood records buffered first, the quiet agencies' records are in batch one."""
    consumer = BufferedConsumer(
        {FLOOD: list(range(10_000)), QUIET[0]: [1, 2, 3], QUIET[1]: list(range(50))}
    )
    batch = await FairBatcher(max_records=500, per_partition=100).next_batch(consumer, 10)
    assert batch[QUIET[0]] == [1, 2, 3]
    assert batch[QUIET[1]] == list(range(50))
    assert sum(len(r) for r in batch.values()) == 500
    assert batch[FLOOD] == list(range(447))


async def test_a_lone_busy_partition_still_fills_whole_batches_in_order() -> None:
    """When nobody else waits, the flood fills the batch, in offset order, batch after batch."""
    consumer = BufferedConsumer({FLOOD: list(range(1200)), QUIET[0]: []})
    batcher = FairBatcher(max_records=500, per_partition=100)
    first = await batcher.next_batch(consumer, 10)
    second = await batcher.next_batch(consumer, 10)
    assert first == {FLOOD: list(range(500))}
    assert second == {FLOOD: list(range(500, 1000))}


async def test_no_records_gives_an_empty_batch() -> None:
    """An idle poll returns an empty batch (the router then polls again)."""
    consumer = BufferedConsumer({QUIET[0]: []})
    assert await FairBatcher(500, 100).next_batch(consumer, 10) == {}


class TrickleConsumer(BufferedConsumer):
    """Records that arrive one fetch at a time: each waiting ``getmany`` brings the next
    arrival into the buffer (or waits out its timeout when none is left)."""

    def __init__(self, arrivals: list[dict[TopicPartition, list[int]]]) -> None:
        super().__init__({tp: [] for arrival in arrivals for tp in arrival})
        self.arrivals = arrivals
        self.waits: list[int] = []

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        if timeout_ms:
            self.waits.append(timeout_ms)
            if self.arrivals:
                for tp, records in self.arrivals.pop(0).items():
                    self.buffered[tp].extend(records)
            else:
                await asyncio.sleep(timeout_ms / 1000)
        return await super().getmany(*partitions, timeout_ms=0, max_records=max_records)


async def test_records_arriving_while_a_commit_is_in_flight_share_one_batch() -> None:
    """Under load: three trickles arriving while the previous batch commits make one batch."""
    consumer = TrickleConsumer([{QUIET[0]: [1]}, {QUIET[1]: [2, 3]}, {QUIET[0]: [4]}])
    committing = asyncio.get_running_loop().create_future()
    batch = await FairBatcher(500, 100, linger_ms=30).next_batch(consumer, 200, committing)
    assert batch == {QUIET[0]: [1, 4], QUIET[1]: [2, 3]}


async def test_light_traffic_is_routed_at_once_when_nothing_is_committing() -> None:
    """With no commit in flight, the first records fetched are the batch: no lingering."""
    consumer = TrickleConsumer([{QUIET[0]: [1]}, {QUIET[1]: [2, 3]}])
    batch = await FairBatcher(500, 100, linger_ms=10_000).next_batch(consumer, 200)
    assert consumer.waits == [200]
    assert batch == {QUIET[0]: [1]}


async def test_gathering_stops_when_the_commit_in_flight_ends() -> None:
    """The next batch is routed as soon as the previous commit is done, not after the linger."""
    consumer = TrickleConsumer([{QUIET[0]: [1]}])
    committed = asyncio.get_running_loop().create_future()
    committed.set_result(None)
    batch = await FairBatcher(500, 100, linger_ms=10_000).next_batch(consumer, 200, committed)
    assert consumer.waits == [200]
    assert batch == {QUIET[0]: [1]}


async def test_a_backlog_is_batched_without_lingering() -> None:
    """A partition that already has its full share waiting is routed at once."""
    consumer = TrickleConsumer([{FLOOD: list(range(150))}, {QUIET[0]: [1]}])
    committing = asyncio.get_running_loop().create_future()
    batch = await FairBatcher(500, 100, linger_ms=10_000).next_batch(consumer, 200, committing)
    assert consumer.waits == [200]
    assert batch == {FLOOD: list(range(150))}
