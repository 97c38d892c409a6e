"""Fixtures shared by every suite: the session's real local Kafka, and the session's real
Keycloak with a secured Kafka trusting it (each started on first use).

Helpers that several suites import (test data, tokens, the API context, waiting) live in
``tests/support``; each suite's own ``conftest.py`` keeps only what that suite uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from broker.devtools.kafka.local_kafka import LocalKafka
from broker.devtools.processes import pid_alive
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from tests.support.agencies import TEST_AGENCIES
from tests.support.keycloak_session import KeycloakSession, start_keycloak_stack


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


@pytest.fixture(scope="session")
def keycloak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeycloakSession]:
    """One Keycloak per session (realm generated from the registry) and a secured Kafka that
    validates its tokens; both stopped when the session ends, leaving no JVM behind.

    Keycloak's distribution is cached in ``.cache/keycloak`` (fetched and built once).
    """
    # Started on a worker thread: when a browser test asks first, Playwright's sync API holds
    # a running event loop on this thread, and provisioning Kafka runs its own.
    with ThreadPoolExecutor(max_workers=1) as starter:
        session = starter.submit(
            start_keycloak_stack, tmp_path_factory.mktemp("session-keycloak")
        ).result()
    try:
        yield session
    finally:
        pid = session.runner.keycloak.running_pid
        session.runner.stop()
        assert pid is None or not pid_alive(pid), "Keycloak outlived the session"
