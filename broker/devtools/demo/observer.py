"""Watch what the router decided: disclosures, dead letters and deliveries, read back from Kafka."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer

from broker.catalogue.codec import AvroCodec
from broker.kafka.topic_reader import read_topic, topic_partitions
from broker.kafka.topics import DISCLOSURES_TOPIC, deliver_topic, dlq_topic
from broker.router.dead_letter import HEADER_REASON


@dataclass(frozen=True)
class DeadLetter:
    """A rejected record as the agency's dead-letter topic shows it."""

    agency: str
    reason: str


class DecisionObserver:
    """Reads new disclosures and dead letters from the moment it starts."""

    def __init__(
        self,
        bootstrap_servers: str,
        codec: AvroCodec,
        agencies: Sequence[str],
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``client_options``: from ``kafka_client_options`` (secured: the admin principal)."""
        self._codec = codec
        self._agencies = tuple(agencies)
        self._consumer = AIOKafkaConsumer(
            **{**(client_options or {}), "bootstrap_servers": bootstrap_servers},
            enable_auto_commit=False,
            isolation_level="read_committed",
        )
        self.disclosures: list[dict[str, Any]] = []
        self.dead_letters: list[DeadLetter] = []

    async def start(self) -> None:
        """Assign every disclosures and dead-letter partition, positioned at its current end."""
        await self._consumer.start()
        topics = [DISCLOSURES_TOPIC, *(dlq_topic(a) for a in self._agencies)]
        partitions = [p for topic in topics for p in await topic_partitions(self._consumer, topic)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:
            await self._consumer.position(partition)

    async def stop(self) -> None:
        """Close the consumer."""
        await self._consumer.stop()

    async def wait_for(
        self, event_id: str | None, disclosures: int, dead_letters: int, timeout: float = 30.0
    ) -> None:
        """Read until ``event_id`` has ``disclosures`` records, or ``dead_letters`` more arrived."""
        target_dead_letters = len(self.dead_letters) + dead_letters

        def done() -> bool:
            if event_id is not None:
                seen = sum(1 for d in self.disclosures if d["event_id"] == event_id)
                return seen >= disclosures
            return len(self.dead_letters) >= target_dead_letters

        async with asyncio.timeout(timeout):
            while not done():
                batch = await self._consumer.getmany(timeout_ms=200)
                for partition, messages in batch.items():
                    for message in messages:
                        self._collect(partition.topic, message)

    async def drain(self, seconds: float = 0.3) -> None:
        """Read whatever else arrives within ``seconds`` (the rest of a transaction)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (remaining := deadline - loop.time()) > 0:
            batch = await self._consumer.getmany(timeout_ms=int(remaining * 1000) or 1)
            for partition, messages in batch.items():
                for message in messages:
                    self._collect(partition.topic, message)

    def _collect(self, topic: str, message: Any) -> None:
        if topic == DISCLOSURES_TOPIC:
            self.disclosures.append(self._codec.decode_disclosure(message.value))
            return
        headers = dict(message.headers or ())
        agency = topic.removeprefix("dlq.")
        self.dead_letters.append(DeadLetter(agency, headers.get(HEADER_REASON, b"").decode()))


async def read_deliveries(
    bootstrap_servers: str,
    codec: AvroCodec,
    agency: str,
    client_options: Mapping[str, Any] | None = None,
) -> list[Any]:
    """Every committed record in ``deliver.<agency>``, decoded."""
    topic = deliver_topic(agency)
    records = await read_topic(bootstrap_servers, topic, client_options=client_options)
    return [codec.decode_delivery(record.value) for record in records]
