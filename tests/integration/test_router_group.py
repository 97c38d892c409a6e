"""Two router processes in one group: kill -9 one mid-stream, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import stop_process_group
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import dlq_topic, topic_plan
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
from tests.support.waiting import wait_for_log

POLICE, PROBATION = "group-police", "group-probation"
GROUP = "group-router"
SUBJECTS = 12
EVENTS_PER_SUBJECT = 300
CHUNK, CHUNK_GAP_S = 100, 0.2


async def publish_in_chunks(police: AgencyPublisher, events: list[dict[str, Any]]) -> None:
    """Publish ``events`` in chunks of ``CHUNK``, one chunk every ``CHUNK_GAP_S``."""
    for start in range(0, len(events), CHUNK):
        await asyncio.gather(*(police.publish(e) for e in events[start : start + CHUNK]))
        await asyncio.sleep(CHUNK_GAP_S)


@pytest.mark.kafka
async def test_router_killed_in_a_group_of_two_each_event_is_decided_once(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """kill -9 one of two grouped routers mid-stream: every event decided and delivered once."""
    write_pair_policy(tmp_path, POLICE, PROBATION)
    await ensure_topics(kafka_bootstrap, topic_plan([POLICE, PROBATION]))
    codec = AvroCodec(default_catalogue())
    for index in (0, 1):
        start_pair_router(tmp_path, kafka_bootstrap, GROUP, index)
    try:
        for index in (0, 1):
            await wait_for_log(tmp_path / f"router-{index}.log", "router.ready")
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        enrolments = [enrolment(PROBATION, subject) for subject in subjects]
        async with AgencyPublisher(kafka_bootstrap, PROBATION, codec) as probation:
            await asyncio.gather(*(probation.publish(e) for e in enrolments))
        enrol_ids = [e["envelope"]["event_id"] for e in enrolments]
        await disclosures_for(kafka_bootstrap, codec, enrol_ids, 1, 120)

        events = [arrest(POLICE, s) for _ in range(EVENTS_PER_SUBJECT) for s in subjects]
        async with AgencyPublisher(kafka_bootstrap, POLICE, codec) as police:
            # published as a stream, so the kill lands mid-stream however fast the routers are
            publishing = asyncio.create_task(publish_in_chunks(police, events))
            await kill_after_first_delivery(kafka_bootstrap, PROBATION, tmp_path / "router-0.pid")
            assert not publishing.done(), "the stream ended before the kill"
            start_pair_router(tmp_path, kafka_bootstrap, GROUP, 0)
            await publishing

        event_ids = [event["envelope"]["event_id"] for event in events]
        disclosures = await disclosures_for(kafka_bootstrap, codec, event_ids, 1, 300)
        delivered = [
            codec.decode_delivery(r.value)["envelope"]["event_id"]
            for r in await deliveries_to(kafka_bootstrap, PROBATION)
        ]
        dead_letters = await read_topic(kafka_bootstrap, dlq_topic(POLICE))
    finally:
        for index in (0, 1):
            stop_process_group(tmp_path / f"router-{index}.pid")

    decided = Counter(d["event_id"] for d in disclosures)
    permitted = {d["event_id"] for d in disclosures if d["permitted"]}
    delivery_counts = Counter(delivered)
    assert len(events) == len(decided) + len(dead_letters), "ingress != decided + dead-lettered"
    assert max(decided.values()) == 1, "an event was decided (disclosed) twice"
    assert max(delivery_counts.values()) == 1, "an event was delivered twice"
    assert set(delivery_counts) == permitted, "deliveries and permitted disclosures differ"
    assert permitted, "no event was shared"
