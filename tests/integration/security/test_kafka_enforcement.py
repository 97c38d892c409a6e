"""Kafka itself refuses bad tokens and cross-agency access (a separate secured broker).

One secured stack per module: the development issuer over HTTPS, Kafka with OAUTHBEARER on
its client listener, mutual TLS inside, ``StandardAuthorizer`` and the registry's ACLs. The
session's plaintext Kafka is not touched.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError

from broker.agency_registry import load_agencies
from broker.devtools.identity.signing_keys import SigningKey, load_or_create_signing_key
from broker.devtools.kafka.secured_local_kafka import SecuredLocalKafka, SecuredLocalStack
from broker.identity.token_client import TokenClient
from broker.kafka.acl_admin import confluent_admin_config, ensure_acls
from broker.kafka.acls import acl_plan
from broker.kafka.broker_principals import broker_principals
from broker.kafka.client_options import kafka_client_options
from broker.kafka.topic_reader import read_topic
from broker.settings import Settings, load_settings
from iom_adapters.sdk.committed_records import committed_values
from iom_adapters.sdk.outbox import Outbox, OutboxItem
from iom_adapters.sdk.relay import OutboxRelay
from tests.identity_attacks import ATTACKS, claims_for, sign
from tests.integration.security.kafka_probe import ACCEPTED, kafka_verdict

pytestmark = pytest.mark.kafka

A = "gwent-police"
A_PRINCIPAL = "gwent-police-adapter"
B = "gdas"
T = TypeVar("T")


@dataclass(frozen=True)
class Secured:
    """The running secured stack and what the attacks need."""

    stack: SecuredLocalStack
    settings: Settings
    signing_key: SigningKey
    audience: str
    context: ssl.SSLContext

    def options(self, client_id: str) -> dict[str, Any]:
        """aiokafka arguments for dev client ``client_id``."""
        return kafka_client_options(self.stack.settings_for(client_id, self.settings))


@pytest.fixture(scope="module")
async def secured(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Secured]:
    """A secured Kafka + development issuer, started once for this module."""
    settings = load_settings()
    agencies = load_agencies(settings.agencies_file)
    runner = SecuredLocalKafka(tmp_path_factory.mktemp("secured-kafka"), settings, agencies)
    try:
        stack = await asyncio.to_thread(runner.start)
        key = load_or_create_signing_key(runner.identity_dir / "issuer-signing.key")
        context = ssl.create_default_context(cafile=str(stack.ca_file))
        secured = Secured(stack, settings, key, settings.identity.audience, context)
        await _seed(secured)
        yield secured
    finally:
        await asyncio.to_thread(runner.stop)


async def _seed(secured: Secured) -> None:
    """Put one record in each topic an attacker might try to read (as the admin)."""
    producer = AIOKafkaProducer(**secured.options("iom-admin"))
    await producer.start()
    try:
        for topic in (f"deliver.{A}", f"deliver.{B}", f"ingress.{B}", "disclosures"):
            await producer.send_and_wait(topic, b"seed")
    finally:
        await producer.stop()


async def _eventually(check: Callable[[], Awaitable[T]], timeout: float = 15.0) -> T:
    """Retry ``check`` while it raises (ACLs reach the authorizer asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await check()
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _read_one(options: dict[str, Any], topic: str, group: str) -> bytes:
    consumer = AIOKafkaConsumer(
        topic,
        **options,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    try:
        await consumer.start()
        record = await asyncio.wait_for(consumer.getone(), 15)
        return bytes(record.value)
    finally:
        await consumer.stop()


async def _write_one(options: dict[str, Any], topic: str) -> int:
    producer = AIOKafkaProducer(**options)
    await producer.start()
    try:
        metadata = await producer.send_and_wait(topic, b"hello")
        return int(metadata.offset)
    finally:
        await producer.stop()


# -- authentication: Kafka validates the JWT itself ------------------------------------------


async def test_kafka_accepts_a_token_from_the_issuer(secured: Secured) -> None:
    """A correctly signed, current token for the right audience and issuer is authenticated."""
    claims = claims_for(secured.stack.issuer_url, secured.audience, A_PRINCIPAL)

    verdict = await kafka_verdict(
        secured.stack.bootstrap_servers, secured.context, sign(claims, secured.signing_key)
    )

    assert verdict == ACCEPTED


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_kafka_refuses_hostile_tokens(secured: Secured, attack: str) -> None:
    """Forged, expired, wrong-audience, wrong-issuer, alg=none, unknown-kid and HMAC-confused
    tokens are refused by Kafka during authentication."""
    claims = claims_for(secured.stack.issuer_url, secured.audience, A_PRINCIPAL)
    token = ATTACKS[attack](secured.signing_key, claims)

    verdict = await kafka_verdict(secured.stack.bootstrap_servers, secured.context, token)

    assert verdict == "invalid_token"


# -- authorisation: the registry's ACLs, enforced by StandardAuthorizer ----------------------


async def test_agency_reads_its_own_deliveries(secured: Secured) -> None:
    """Agency A, with its own client-credentials token, reads deliver.A."""
    options = secured.options(A_PRINCIPAL)

    value = await _eventually(lambda: _read_one(options, f"deliver.{A}", f"{A}.adapter"))

    assert value == b"seed"


async def test_agency_writes_its_own_ingress(secured: Secured) -> None:
    """Agency A may publish to ingress.A."""
    offset = await _eventually(lambda: _write_one(secured.options(A_PRINCIPAL), f"ingress.{A}"))

    assert offset >= 0


@pytest.mark.parametrize("topic", [f"deliver.{B}", f"ingress.{B}", "disclosures"])
async def test_agency_cannot_read_topics_that_are_not_its_own(secured: Secured, topic: str) -> None:
    """Agency A reading another agency's deliveries or ingress, or the disclosures, is refused
    by Kafka."""
    options = secured.options(A_PRINCIPAL)
    await _eventually(lambda: _read_one(options, f"deliver.{A}", f"{A}.adapter"))  # ACLs live

    with pytest.raises(TopicAuthorizationFailedError):
        await _read_one(options, topic, f"{A}.attacker")


async def test_agency_relay_commits_batches_and_reads_them_back(
    secured: Secured, tmp_path: Path
) -> None:
    """Agency A's outbox relay publishes in transactions under its own transactional-id
    prefix, and can read back its own ingress to settle a batch whose commit went unanswered."""
    options = secured.options(A_PRINCIPAL)
    await _eventually(lambda: _write_one(options, f"ingress.{A}"))  # ACLs live
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.add([OutboxItem(f"id-{n}", "arrest", None, f"relay {n}".encode()) for n in range(20)])
    written = outbox.take(20)
    relay = OutboxRelay(outbox, A, options, batch_size=20)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        assert await relay.drained(60)
    finally:
        stop.set()
        await task
        outbox.close()
    assert relay.transactional_id.startswith(f"{A}.outbox-")
    values = await _eventually(lambda: _committed_relay_values(options, len(written)))
    assert sorted(values) == sorted(r.value for r in written)


async def _committed_relay_values(options: dict[str, Any], count: int) -> list[bytes]:
    """The relay's records of ingress.A, found by reading the topic and then by position."""
    topic = f"ingress.{A}"
    bootstrap = options["bootstrap_servers"]
    records = await read_topic(bootstrap, topic, client_options=options)
    ours = [(r.partition, r.offset) for r in records if bytes(r.value).startswith(b"relay ")]
    assert len(ours) == count
    found = await committed_values(options, topic, ours)
    return [v for v in found.values() if v is not None]


async def test_agency_cannot_write_another_agencys_ingress(secured: Secured) -> None:
    """Agency A publishing to ingress.B (to impersonate B) is refused by Kafka."""
    options = secured.options(A_PRINCIPAL)
    await _eventually(lambda: _write_one(options, f"ingress.{A}"))  # ACLs live

    with pytest.raises(TopicAuthorizationFailedError):
        await _write_one(options, f"ingress.{B}")


async def test_acls_are_created_idempotently(secured: Secured) -> None:
    """Applying the registry's ACLs a second time creates and deletes nothing."""
    admin = secured.stack.settings_for("iom-admin", secured.settings)
    config = confluent_admin_config(
        secured.stack.bootstrap_servers,
        security_protocol="SASL_SSL",
        ca_file=secured.stack.ca_file,
        token_client=TokenClient.from_settings(admin.identity),
    )
    agencies = load_agencies(secured.settings.agencies_file)
    plan = acl_plan(agencies, broker_principals(secured.settings))

    report = await ensure_acls(config, plan, managed_principals=[f"User:{A_PRINCIPAL}"])

    assert report.created == ()
    assert report.deleted == ()
    assert report.unchanged == len(plan)
