"""Kafka ends token sessions on long-lived connections; our clients reconnect and keep working.

One secured stack for the module: ``connections.max.reauth.ms`` of 5 s on the client listener
and development tokens that live 20 s, with a router in the test process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from broker.bootstrap import load_core
from broker.identity.principal import Principal, Role
from broker.kafka.topics import ingress_topic
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.integration.security.kafka_probe import StaticTokenProvider
from tests.integration.security.limited_stack import (
    Limited,
    deliveries,
    limited_stack,
    router_caught_up,
)

pytestmark = pytest.mark.kafka

FLOODER, POLICE, PROBATION = "newport-housing", "gwent-police", "probation-wales"
REAUTH_MS = 5_000
TOKEN_TTL_S = 20


@pytest.fixture(scope="module")
async def limited(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Limited]:
    """Secured Kafka closing sessions after 5 s (or at token expiry), 20 s tokens, a router."""
    async with limited_stack(
        tmp_path_factory.mktemp("reauth-kafka"), {"kafka_reauth_ms": REAUTH_MS}, TOKEN_TTL_S
    ) as stack:
        yield stack


async def test_clients_reconnect_with_fresh_tokens_across_session_expiry(limited: Limited) -> None:
    """Over three token lifetimes, with Kafka closing expired sessions, a long-lived police
    producer, the transactional router and a long-lived probation consumer lose nothing."""
    person = unique_subject()
    producer_probation = AIOKafkaProducer(**limited.options(PROBATION))
    await producer_probation.start()
    try:
        await producer_probation.send_and_wait(
            ingress_topic(PROBATION), limited.codec.encode_event(enrolment(PROBATION, person))
        )
    finally:
        await producer_probation.stop()
    await router_caught_up(limited, [PROBATION])  # the enrolment routed first

    sent: set[str] = set()
    with structlog.testing.capture_logs() as logged:
        police = AIOKafkaProducer(**limited.options(POLICE), enable_idempotence=True)
        await police.start()
        try:
            deadline = time.monotonic() + 3 * TOKEN_TTL_S
            while time.monotonic() < deadline:
                event = arrest(POLICE, person)
                await police.send_and_wait(ingress_topic(POLICE), limited.codec.encode_event(event))
                sent.add(event["envelope"]["event_id"])
                await asyncio.sleep(0.5)
        finally:
            await police.stop()
        got = await deliveries(limited, PROBATION, sent, [POLICE], 90)

    assert sorted(got) == sorted(sent), "an arrest was lost or delivered twice"
    refreshed = [
        e
        for e in logged
        if e["event"] == "kafka.token_refreshed"
        and e.get("client_id") == limited.settings.security.router_principal
    ]
    assert len(refreshed) >= 2, "the router never reconnected with a fresh token"
    print(f"{len(sent)} arrests across expiry; router fetched {len(refreshed)} new tokens")


async def test_kafka_ends_a_connection_whose_token_expired(limited: Limited) -> None:
    """A client that keeps presenting one token is cut off once it expires: Kafka closes the
    authenticated connection, and reconnecting with the expired token gets nothing through."""
    agency = load_core(limited.settings).agencies.get(POLICE)
    token = limited.issuer.mint(
        Principal(agency.principal, Role.AGENCY_SYSTEM, agency=POLICE), ttl_s=8
    )
    options = limited.options(POLICE)
    options["sasl_oauth_token_provider"] = StaticTokenProvider(token)
    producer = AIOKafkaProducer(**options, request_timeout_ms=8000)
    await producer.start()
    try:
        await producer.send_and_wait(ingress_topic(POLICE), b"before expiry")
        await asyncio.sleep(12)  # past the token's expiry and the re-authentication limit
        with pytest.raises(KafkaError) as refused:
            await producer.send_and_wait(ingress_topic(POLICE), b"after expiry")
        print(f"after expiry: {type(refused.value).__name__}")
    finally:
        await producer.stop()
