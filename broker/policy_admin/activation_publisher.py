"""Publish a validated policy version to the ``policies`` topic, and read back the active one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer

from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import POLICIES_TOPIC
from broker.policy.activation import (
    ACTIVE_KEY,
    Activation,
    archive_key,
    decode_activation,
    encode_activation,
)

log = structlog.get_logger(__name__)


async def publish_activation(
    bootstrap_servers: str,
    activation: Activation,
    client_options: Mapping[str, Any] | None = None,
) -> None:
    """Keep the version under ``version/<v>``, then make it the ``active`` one (in order).

    ``client_options``: extra aiokafka arguments (security) from ``kafka_client_options``.
    """
    producer = AIOKafkaProducer(
        **{**(client_options or {}), "bootstrap_servers": bootstrap_servers},
        enable_idempotence=True,
        acks="all",
    )
    await producer.start()
    try:
        value = encode_activation(activation)
        await producer.send_and_wait(POLICIES_TOPIC, value, key=archive_key(activation.version))
        await producer.send_and_wait(POLICIES_TOPIC, value, key=ACTIVE_KEY)
    finally:
        await producer.stop()
    log.info("policy.activated", version=activation.version, files=len(activation.source.files))


async def read_active(
    bootstrap_servers: str, client_options: Mapping[str, Any] | None = None
) -> Activation | None:
    """The currently active version on the topic, or None if none was ever activated."""
    records = await read_topic(bootstrap_servers, POLICIES_TOPIC, client_options=client_options)
    active = [r for r in records if r.key == ACTIVE_KEY and r.value]
    return decode_activation(active[-1].value) if active else None
