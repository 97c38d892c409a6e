"""Integration fixtures: one real local Kafka per pytest session, with the topic plan created."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from broker.agency_registry import load_agencies
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from broker.settings import PROJECT_ROOT
from tests.integration.router_fixture import running_router

__all__ = ["kafka_bootstrap", "running_router"]

#: Every agency of the shipped registry (the router subscribes to all their ingress topics).
TEST_AGENCIES = list(load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml").ids)


@pytest.fixture(scope="session")
async def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """Bootstrap servers of a Kafka started once per session, with every planned topic.

    Jars are cached in the project's ``.cache/kafka`` across runs; the broker's state lives in
    a session temp dir and the broker is stopped when the session ends.
    """
    kafka = LocalKafka(tmp_path_factory.mktemp("session-kafka"))
    try:
        bootstrap = await asyncio.to_thread(kafka.start)
        await ensure_topics(bootstrap, topic_plan(TEST_AGENCIES))
        yield bootstrap
    finally:
        await asyncio.to_thread(kafka.stop)
