"""Per-agency Kafka quotas and session expiry on a secured broker (one stack for the module).

The stack runs with the registry's quotas applied at set-up (every agency principal limited
to 64 KiB/s of produce in this module), ``connections.max.reauth.ms`` of 5 s on the client
listener and development tokens that live 20 s, with a router in the test process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
)

from broker.agency_registry import load_agencies
from broker.bootstrap import build_router, load_core
from broker.catalogue.codec import AvroCodec
from broker.identity.dev_issuer import DevIssuer
from broker.identity.principal import Principal, Role
from broker.kafka.client_options import kafka_client_options
from broker.kafka.quota_admin import describe_user_quotas, ensure_quotas
from broker.kafka.quotas import quota_plan
from broker.kafka.secured_local_kafka import SecuredLocalKafka, SecuredLocalStack
from broker.kafka.topics import deliver_topic, ingress_topic
from broker.router.kafka_router import KafkaRouter
from broker.settings import Settings, load_settings
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.integration.security.kafka_probe import StaticTokenProvider

pytestmark = pytest.mark.kafka

FLOODER, POLICE, PROBATION = "newport-housing", "gwent-police", "probation-wales"
PRODUCE_QUOTA = 64 * 1024
REAUTH_MS = 5_000
TOKEN_TTL_S = 20
ACL_NOT_YET = (
    TransactionalIdAuthorizationFailed,
    TopicAuthorizationFailedError,
    GroupAuthorizationFailedError,
)


@dataclass(frozen=True)
class Limited:
    """The running stack, its settings and the router routing through it."""

    stack: SecuredLocalStack
    settings: Settings
    router: KafkaRouter
    codec: AvroCodec
    issuer: DevIssuer

    def options(self, agency: str) -> dict[str, Any]:
        """aiokafka arguments with ``agency``'s own credentials (its own token provider)."""
        principal = load_core(self.settings).agencies.get(agency).principal
        return kafka_client_options(self.stack.settings_for(principal, self.settings))

    def admin_options(self) -> dict[str, Any]:
        """aiokafka arguments of the admin principal."""
        admin = self.settings.security.admin_principal
        return kafka_client_options(self.stack.settings_for(admin, self.settings))


@pytest.fixture(scope="module")
async def limited(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Limited]:
    """Secured Kafka with quotas and a 5 s re-authentication limit, plus a running router."""
    base = load_settings()
    settings = load_settings(
        security=base.security.model_copy(
            update={
                "kafka_reauth_ms": REAUTH_MS,
                "agency_quotas": base.security.agency_quotas.model_copy(
                    update={"producer_byte_rate": PRODUCE_QUOTA}
                ),
            }
        )
    )
    state = tmp_path_factory.mktemp("limited-kafka")
    runner = SecuredLocalKafka(
        state, settings, load_agencies(settings.agencies_file), token_ttl_s=TOKEN_TTL_S
    )
    stop = asyncio.Event()
    task: asyncio.Task[None] | None = None
    router: KafkaRouter | None = None
    try:
        stack = await asyncio.to_thread(runner.start)
        router_settings = stack.settings_for(settings.security.router_principal, settings)
        router_settings = router_settings.model_copy(
            update={"subject_key_file": Path(state) / "subject.key"}
        )
        async with asyncio.timeout(90):
            while task is None or router is None or not router.ready.is_set():
                if task is None or task.done():
                    if task is not None:  # ACLs reach the authorizer asynchronously: retry
                        assert isinstance(task.exception(), ACL_NOT_YET), task.exception()
                        await asyncio.sleep(1)
                    router, _ = build_router(router_settings)
                    task = asyncio.create_task(router.run(stop))
                await asyncio.sleep(0.2)
        assert router is not None
        assert runner.issuer is not None
        yield Limited(stack, settings, router, load_core(settings).codec, runner.issuer)
    finally:
        stop.set()
        if task is not None:
            await task
        await asyncio.to_thread(runner.stop)


async def _deliveries(
    options: dict[str, Any], agency: str, codec: AvroCodec, wanted: set[str], timeout: float
) -> list[str]:
    """Event ids of ``wanted`` delivered to ``deliver.<agency>`` (once per delivery record),
    read until every one has arrived or ``timeout`` seconds pass."""
    consumer = AIOKafkaConsumer(
        deliver_topic(agency),
        **options,
        group_id=f"{agency}.limits-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    seen: list[str] = []
    await consumer.start()
    try:
        async with asyncio.timeout(timeout):
            while not wanted <= set(seen):
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    for r in records:
                        seen.append(codec.decode_delivery(r.value)["envelope"]["event_id"])
            await asyncio.sleep(1)  # anything more would be a duplicate
            for records in (await consumer.getmany(timeout_ms=500)).values():
                seen.extend(codec.decode_delivery(r.value)["envelope"]["event_id"] for r in records)
    finally:
        await consumer.stop()
    return [event_id for event_id in seen if event_id in wanted]


async def test_registry_quotas_are_set_on_each_agency_principal(limited: Limited) -> None:
    """Kafka reports the planned quota for every agency principal, and re-applying changes
    nothing."""
    agencies = load_agencies(limited.settings.agencies_file)
    held = await describe_user_quotas(limited.admin_options())
    for agency in agencies:
        assert held[agency.principal]["producer_byte_rate"] == PRODUCE_QUOTA
        assert held[agency.principal]["request_percentage"] == 50.0
    assert limited.settings.security.router_principal not in held

    plan = quota_plan(agencies, limited.settings.security.agency_quotas.model_dump())
    again = await ensure_quotas(
        limited.admin_options(), plan, managed_principals=[a.principal for a in agencies]
    )
    assert again.altered == ()


async def test_good_traffic_is_delivered_while_one_agency_floods(limited: Limited) -> None:
    """While housing floods its ingress with junk, probation's enrolment and the police's
    arrest are still routed and delivered; the flood's produce rate is held near its quota."""
    flooding = asyncio.Event()
    stop_flood = asyncio.Event()
    sent = 0
    junk = b"\x00junk" * 1600  # 8 KB, dead-lettered by the router

    async def flood() -> float:
        nonlocal sent
        producer = AIOKafkaProducer(**limited.options(FLOODER), linger_ms=5, acks="all")
        await producer.start()
        try:
            started = time.monotonic()
            flooding.set()
            while not stop_flood.is_set():
                sends = [await producer.send(ingress_topic(FLOODER), junk) for _ in range(16)]
                await asyncio.gather(*sends)
                sent += 16 * len(junk)
            return sent / (time.monotonic() - started)
        finally:
            await producer.stop()

    flood_task = asyncio.create_task(flood())
    async with asyncio.timeout(30):
        await flooding.wait()
    person = unique_subject()
    enrol, arrested = enrolment(PROBATION, person), arrest(POLICE, person)
    for agency, event in ((PROBATION, enrol), (POLICE, arrested)):
        producer = AIOKafkaProducer(**limited.options(agency))
        try:
            async with asyncio.timeout(30):
                await producer.start()
                await producer.send_and_wait(
                    ingress_topic(agency), limited.codec.encode_event(event)
                )
        finally:
            await producer.stop()
        if agency == PROBATION:
            await asyncio.sleep(1)  # the enrolment first, as an agency would

    event_id = arrested["envelope"]["event_id"]
    got = await _deliveries(limited.options(PROBATION), PROBATION, limited.codec, {event_id}, 60)
    still_flooding = not flood_task.done()
    stop_flood.set()
    rate = await flood_task
    assert got == [event_id]
    assert still_flooding and sent > 0
    print(f"flood: {sent} bytes at {rate / 1024:.1f} KiB/s (quota {PRODUCE_QUOTA // 1024} KiB/s)")


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
    await asyncio.sleep(1)

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
        got = await _deliveries(limited.options(PROBATION), PROBATION, limited.codec, sent, 90)

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
