"""Publish an agency's catalogue events to its ingress topic, Avro-encoded with schema ids.

:class:`AgencyPublisher` sends and waits for Kafka's acknowledgement of each record: simple,
and what tests, the demo and benchmarks use. Adapters that must not lose events while Kafka
is unreachable publish through the durable outbox instead
(:class:`iom_adapters.sdk.relay.OutboxRelay`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaProducer

from broker.catalogue.codec import AvroCodec
from broker.domain.subject import IDENTIFIER_TYPES
from broker.kafka.topics import ingress_topic
from iom_adapters.sdk.auth import TokenProvider
from iom_adapters.sdk.kafka_options import SecurityProtocol, client_options


def partition_key(record: dict[str, Any]) -> bytes:
    """A key that keeps one subject's events in order without exposing their identifier.

    The SHA-256 of the first identifier present (``crn``, ``pnc_id``, ``noms_number``,
    ``nhs_number`` in that order) as ``type:value``, or of the event id when there is none.
    """
    envelope = record["envelope"]
    subject = envelope.get("subject") or {}
    material = envelope["event_id"]
    for name in IDENTIFIER_TYPES:
        value = subject.get(name)
        if value not in (None, ""):
            material = f"{name}:{value}"
            break
    return hashlib.sha256(str(material).encode()).hexdigest()[:32].encode()


class AgencyPublisher:
    """One agency's producer: idempotent, waits for every write to be acknowledged."""

    def __init__(
        self,
        bootstrap_servers: str,
        agency: str,
        codec: AvroCodec,
        *,
        token_provider: TokenProvider | None = None,
        security_protocol: SecurityProtocol | None = None,
        kafka_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``kafka_options``: ready-made aiokafka arguments (e.g. the broker's
        ``kafka_client_options`` for a development agency), used instead of the token provider.
        """
        self.agency = agency
        self.topic = ingress_topic(agency)
        self._codec = codec
        if kafka_options is None:
            kafka_options = client_options(
                bootstrap_servers,
                f"adapter-{agency}",
                token_provider=token_provider,
                security_protocol=security_protocol,
            )
        self._producer = AIOKafkaProducer(
            **{**kafka_options, "bootstrap_servers": bootstrap_servers},
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
