"""Is Kafka reachable? A describe-cluster request with a short timeout."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient

from broker.http.context import KafkaProbe

__all__ = ["kafka_probe"]

log = structlog.get_logger(__name__)


def kafka_probe(
    bootstrap_servers: str, timeout_s: float, options: dict[str, Any] | None = None
) -> KafkaProbe:
    """A probe answering True when the cluster describes itself within ``timeout_s``."""

    async def describe() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap_servers,
            client_id="iom-broker-api-readiness",
            request_timeout_ms=int(timeout_s * 1000),
            **(options or {}),
        )
        try:
            await admin.start()
            cluster: dict[str, Any] = await admin.describe_cluster()
            return bool(cluster.get("brokers"))
        finally:
            await admin.close()

    async def probe() -> bool:
        try:
            return await asyncio.wait_for(describe(), timeout_s)
        except Exception as error:
            log.info("api.kafka_unreachable", error_type=type(error).__name__)
            return False

    return probe
