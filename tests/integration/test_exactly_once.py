"""Killing the router process mid-stream neither loses nor duplicates a delivery or disclosure."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import stop_process_group
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    deliveries_to,
    disclosures_for,
    enrolment,
    kill_after_first_delivery,
    unique_subject,
)
from tests.integration.pair_policy import start_pair_router, write_pair_policy

POLICE, PROBATION = "crash-police", "crash-probation"
GROUP = "crash-router"
EVENTS = 6000


@pytest.mark.kafka
async def test_router_killed_mid_stream_delivers_each_event_exactly_once(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """kill -9 during a stream, restart: every event is delivered and disclosed exactly once."""
    write_pair_policy(tmp_path, POLICE, PROBATION)
    await ensure_topics(kafka_bootstrap, topic_plan([POLICE, PROBATION]))
    codec = AvroCodec(default_catalogue())
    start_pair_router(tmp_path, kafka_bootstrap, GROUP)
    try:
        subject = unique_subject()
        enrol = enrolment(PROBATION, subject)
        async with AgencyPublisher(kafka_bootstrap, PROBATION, codec) as probation:
            await probation.publish(enrol)
        await disclosures_for(kafka_bootstrap, codec, [enrol["envelope"]["event_id"]], 1, 120)

        events = [arrest(POLICE, subject) for _ in range(EVENTS)]
        async with AgencyPublisher(kafka_bootstrap, POLICE, codec) as police:
            await asyncio.gather(*(police.publish(event) for event in events))

        delivered_before_kill = await kill_after_first_delivery(
            kafka_bootstrap, PROBATION, tmp_path / "router-0.pid"
        )
        assert delivered_before_kill < EVENTS, "the router finished before it could be killed"

        start_pair_router(tmp_path, kafka_bootstrap, GROUP)
        event_ids = [event["envelope"]["event_id"] for event in events]
        disclosures = await disclosures_for(kafka_bootstrap, codec, event_ids, 1, 300)
        delivered = [
            codec.decode_delivery(r.value)["envelope"]["event_id"]
            for r in await deliveries_to(kafka_bootstrap, PROBATION)
        ]
    finally:
        stop_process_group(tmp_path / "router-0.pid")

    disclosure_counts = Counter(d["event_id"] for d in disclosures)
    delivery_counts = Counter(delivered)
    assert set(delivery_counts) == set(event_ids)
    assert max(delivery_counts.values()) == 1, "an event was delivered twice"
    assert max(disclosure_counts.values()) == 1, "an event was disclosed twice"
    assert len(disclosures) == EVENTS
