"""kill -9 one Kafka broker of three while events stream through a router, then restart it:
every count reconciles (nothing lost, nothing decided or delivered twice)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.kafka.local_kafka_cluster import LocalKafkaCluster
from broker.devtools.processes import read_pid, stop_process_group
from broker.kafka.topic_admin import ensure_topic_plan
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import dlq_topic, ingress_topic
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    deliveries_to,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.integration.pair_policy import start_pair_router, write_pair_policy
from tests.support.waiting import wait_for_log

SUBJECTS = 12
EVENTS = 3000
RATE = 100.0
"""Events per second offered: the stream lasts about 30 s, through the kill and the restart."""
CHUNK = 10


async def stream(
    publisher: AgencyPublisher, events: list[dict[str, Any]], acknowledged: list[str]
) -> None:
    """Publish ``events`` at about ``RATE`` per second, recording each acknowledged event id.

    A write that cannot be acknowledged (Kafka's own retries exhausted) fails the test.
    """
    loop = asyncio.get_running_loop()
    for start in range(0, len(events), CHUNK):
        chunk = events[start : start + CHUNK]
        began = loop.time()
        await asyncio.gather(*(publisher.publish(event) for event in chunk))
        acknowledged.extend(event["envelope"]["event_id"] for event in chunk)
        await asyncio.sleep(max(0.0, CHUNK / RATE - (loop.time() - began)))


async def supervise(state: Path, bootstrap: str, restarts: list[int], group: str) -> None:
    """Restart the router whenever it exits, as a process supervisor would."""
    while True:
        await asyncio.sleep(0.5)
        if read_pid(state / "router-0.pid") is None:
            restarts.append(start_pair_router(state, bootstrap, group))


@pytest.mark.kafka
async def test_broker_killed_mid_stream_loses_and_duplicates_nothing(
    kafka_cluster: LocalKafkaCluster, tmp_path: Path, router_client: str
) -> None:
    """kill -9 the broker leading the ingress stream, keep publishing, restart it: every
    published event is decided once (or dead-lettered), each permitted one delivered once."""
    # Topics and group of their own per router client: the cluster lives for the session.
    police_agency, probation_agency = (
        f"bkill-{router_client}-police",
        f"bkill-{router_client}-probation",
    )
    group = f"bkill-{router_client}-router"
    bootstrap = kafka_cluster.bootstrap_servers
    write_pair_policy(tmp_path, police_agency, probation_agency)
    await ensure_topic_plan(bootstrap, [police_agency, probation_agency])
    codec = AvroCodec(default_catalogue())
    start_pair_router(tmp_path, bootstrap, group)
    restarts: list[int] = []
    supervisor = asyncio.create_task(supervise(tmp_path, bootstrap, restarts, group))
    acknowledged: list[str] = []
    try:
        await wait_for_log(tmp_path / "router-0.log", "router.ready")
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        enrolments = [enrolment(probation_agency, subject) for subject in subjects]
        async with AgencyPublisher(bootstrap, probation_agency, codec) as probation:
            await asyncio.gather(*(probation.publish(e) for e in enrolments))
        enrol_ids = [e["envelope"]["event_id"] for e in enrolments]
        await disclosures_for(bootstrap, codec, enrol_ids, 1, 120)

        events = [arrest(police_agency, subjects[i % SUBJECTS]) for i in range(EVENTS)]
        async with AgencyPublisher(bootstrap, police_agency, codec) as police:
            publishing = asyncio.create_task(stream(police, events, acknowledged))
            async with asyncio.timeout(120):
                while len(acknowledged) < EVENTS // 4 or not await deliveries_to(
                    bootstrap, probation_agency
                ):
                    await asyncio.sleep(0.2)
            victim = await asyncio.to_thread(
                kafka_cluster.leader_of, ingress_topic(police_agency), 0
            )
            assert await asyncio.to_thread(kafka_cluster.kill, victim) is not None
            killed_at = len(acknowledged)
            async with asyncio.timeout(180):  # keep streaming with one broker down
                while len(acknowledged) < killed_at + EVENTS // 4 and not publishing.done():
                    await asyncio.sleep(0.2)
            await asyncio.to_thread(kafka_cluster.restart, victim)
            await asyncio.wait_for(publishing, 300)
        assert killed_at < EVENTS, "the stream ended before the broker was killed"

        ingress = await read_topic(bootstrap, ingress_topic(police_agency))
        ingress_ids = [codec.decode_event(r.value).record["envelope"]["event_id"] for r in ingress]
        disclosures = await disclosures_for(bootstrap, codec, set(ingress_ids), 1, 300)
        delivered = [
            codec.decode_delivery(r.value)["envelope"]["event_id"]
            for r in await deliveries_to(bootstrap, probation_agency)
        ]
        dead_letters = await read_topic(bootstrap, dlq_topic(police_agency))
    finally:
        supervisor.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await supervisor
        stop_process_group(tmp_path / "router-0.pid")

    decided = Counter(d["event_id"] for d in disclosures)
    permitted = [d["event_id"] for d in disclosures if d["permitted"]]
    refused = [d["event_id"] for d in disclosures if not d["permitted"]]
    delivery_counts = Counter(delivered)
    assert set(acknowledged) <= set(ingress_ids), "an acknowledged event is missing from ingress"
    assert len(ingress_ids) == len(set(ingress_ids)) == EVENTS, "ingress lost or doubled events"
    assert len(ingress) == len(delivered) + len(refused) + len(dead_letters), (
        "ingress != delivered + refused + dead-lettered"
    )
    assert len(ingress) == len(decided) + len(dead_letters), "ingress != decided + dead-lettered"
    assert max(decided.values()) == 1, "an event was decided (disclosed) twice"
    assert len({d["disclosure_id"] for d in disclosures}) == len(disclosures), "id reused"
    assert max(delivery_counts.values()) == 1, "an event was delivered twice"
    assert sorted(delivered) == sorted(permitted), "deliveries and permitted disclosures differ"
    assert permitted, "no event was shared"
