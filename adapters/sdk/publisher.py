"""Publish an agency's catalogue events to its ingress topic, Avro-encoded with schema ids."""

from __future__ import annotations

import hashlib
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaProducer

from broker.catalogue.codec import AvroCodec
from broker.domain.subject import SubjectIdentifiers
from broker.kafka.topics import ingress_topic


def partition_key(record: dict[str, Any]) -> bytes:
    """A key that keeps one subject's events in order without exposing their identifier."""
    identifiers = SubjectIdentifiers.from_mapping(record["envelope"].get("subject") or {})
    pairs = identifiers.pairs()
    material = f"{pairs[0][0]}:{pairs[0][1]}" if pairs else record["envelope"]["event_id"]
    return hashlib.sha256(material.encode()).hexdigest()[:32].encode()


class AgencyPublisher:
    """One agency's producer: idempotent, waits for every write to be acknowledged."""

    def __init__(self, bootstrap_servers: str, agency: str, codec: AvroCodec) -> None:
        self.agency = agency
        self.topic = ingress_topic(agency)
        self._codec = codec
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap_servers,
            client_id=f"adapter-{agency}",
            enable_idempotence=True,
            acks="all",
        )

    async def __aenter__(self) -> AgencyPublisher:
        await self._producer.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._producer.stop()

    async def publish(self, record: dict[str, Any]) -> None:
        """Encode and send one event; raises if the record does not match its schema."""
        await self.publish_raw(self._codec.encode_event(record), partition_key(record))

    async def publish_raw(self, value: bytes, key: bytes | None = None) -> None:
        """Send bytes as they are (used to replay records and to test rejection)."""
        await self._producer.send_and_wait(self.topic, value, key=key)
