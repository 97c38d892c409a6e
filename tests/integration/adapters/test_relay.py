"""The relay's retries, with a stand-in producer: failed batches stay and are sent again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

from aiokafka.errors import KafkaConnectionError

from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.outbox import Outbox, OutboxItem
from iom_adapters.sdk.relay import OutboxRelay


class FakeProducer:
    """Records sends; the producers numbered in ``broken`` fail to start or to deliver."""

    created = 0
    delivered: ClassVar[list[bytes]] = []
    broken: ClassVar[dict[int, str]] = {}

    def __init__(self, **options: Any) -> None:
        FakeProducer.created += 1
        self.number = FakeProducer.created

    async def start(self) -> None:
        """Fail when this producer is meant to find Kafka down."""
        if FakeProducer.broken.get(self.number) == "start":
            raise KafkaConnectionError("no broker")

    async def send(self, topic: str, value: bytes, key: bytes | None = None) -> asyncio.Future[Any]:
        """A future that succeeds, or fails when this producer's deliveries are broken."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if FakeProducer.broken.get(self.number) == "send":
            future.set_exception(KafkaConnectionError("connection lost"))
        else:
            FakeProducer.delivered.append(value)
            future.set_result(SimpleNamespace(partition=0, offset=len(FakeProducer.delivered)))
        return future

    async def begin_transaction(self) -> None:
        """Nothing to begin."""

    async def commit_transaction(self) -> None:
        """Nothing to commit: what was sent counts as delivered."""

    async def stop(self) -> None:
        """Nothing to stop."""


async def test_failed_start_and_failed_batch_are_retried(tmp_path: Path) -> None:
    """Kafka down at start, then a lost connection: every event still arrives exactly once."""
    FakeProducer.created, FakeProducer.delivered, FakeProducer.broken = (
        0,
        [],
        {1: "start", 2: "send"},
    )
    outbox = Outbox(tmp_path / "o.sqlite")
    outbox.add([OutboxItem(f"id-{n}", "arrest", None, f"v{n}".encode()) for n in range(30)])
    relay = OutboxRelay(
        outbox,
        "gwent-police",
        {},
        batch_size=10,
        backoff=Backoff(initial=0.01, maximum=0.02),
        producer_factory=FakeProducer,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        assert await relay.drained(10)
    finally:
        stop.set()
        await task
    assert FakeProducer.created == 3
    assert relay.failed_batches == 2
    assert sorted(FakeProducer.delivered) == sorted(f"v{n}".encode() for n in range(30))
    assert [r.attempts for r in outbox.take(1)] == []
    outbox.close()
