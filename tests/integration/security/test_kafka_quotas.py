"""Per-agency Kafka quotas on a secured broker (one stack for the module).

The registry's quotas are applied at set-up, with every agency principal limited to 64 KiB/s
of produce in this module; a router runs in the test process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer

from broker.agency_registry import load_agencies
from broker.kafka.quota_admin import describe_user_quotas, ensure_quotas
from broker.kafka.quotas import quota_plan
from broker.kafka.topics import ingress_topic
from broker.settings import load_settings
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.integration.security.limited_stack import (
    Limited,
    deliveries,
    limited_stack,
    router_caught_up,
)

pytestmark = pytest.mark.kafka

FLOODER, POLICE, PROBATION = "newport-housing", "gwent-police", "probation-wales"
PRODUCE_QUOTA = 64 * 1024


@pytest.fixture(scope="module")
async def limited(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Limited]:
    """Secured Kafka with a 64 KiB/s produce quota per agency principal, and a router."""
    quotas = load_settings().security.agency_quotas.model_copy(
        update={"producer_byte_rate": PRODUCE_QUOTA}
    )
    async with limited_stack(
        tmp_path_factory.mktemp("quota-kafka"), {"agency_quotas": quotas}
    ) as stack:
        yield stack


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
    async with asyncio.timeout(60):
        await flooding.wait()
    person = unique_subject()
    enrol, arrested = enrolment(PROBATION, person), arrest(POLICE, person)
    for agency, event in ((PROBATION, enrol), (POLICE, arrested)):
        producer = AIOKafkaProducer(**limited.options(agency))
        try:
            async with asyncio.timeout(60):
                await producer.start()
                await producer.send_and_wait(
                    ingress_topic(agency), limited.codec.encode_event(event)
                )
        finally:
            await producer.stop()
        if agency == PROBATION:  # the enrolment routed first, as an agency would expect
            await router_caught_up(limited, [PROBATION])

    event_id = arrested["envelope"]["event_id"]
    got = await deliveries(limited, PROBATION, {event_id}, [PROBATION, POLICE], 60)
    still_flooding = not flood_task.done()
    stop_flood.set()
    rate = await flood_task
    assert got == [event_id]
    assert still_flooding and sent > 0
    print(f"flood: {sent} bytes at {rate / 1024:.1f} KiB/s (quota {PRODUCE_QUOTA // 1024} KiB/s)")
