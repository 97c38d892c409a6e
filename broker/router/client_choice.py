"""Build the router's :class:`TransactionalClient` named by ``router.kafka_client``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from broker.kafka.librdkafka_options import librdkafka_client_options
from broker.router.aiokafka_client import AiokafkaTransactionalClient
from broker.router.confluent_client import ConfluentTransactionalClient
from broker.router.transactional_client import TransactionalClient
from broker.settings import Settings

__all__ = ["transactional_client"]


def transactional_client(
    settings: Settings, aiokafka_options: Mapping[str, Any]
) -> TransactionalClient:
    """The configured client; ``aiokafka_options`` (``kafka_client_options``) carry the
    process's shared token provider for the aiokafka client."""
    if settings.router.kafka_client == "confluent":
        return ConfluentTransactionalClient(settings.router, librdkafka_client_options(settings))
    return AiokafkaTransactionalClient(settings.router, aiokafka_options)
