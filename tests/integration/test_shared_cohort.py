"""Routers in one consumer group share the cohort: an enrolment routed by one is used by all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from broker.bootstrap import load_core, pseudonym_key, subject_key
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.cohort_table import CohortTable
from broker.domain.subject import SubjectIdentifiers
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import ingress_topic, topic_plan
from broker.policy.engine import PolicyEngine
from broker.router.cohort_follower import CohortFollower
from broker.router.kafka_router import KafkaRouter
from broker.router.record_processor import RecordProcessor
from broker.settings import load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    deliveries_to,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.integration.pair_policy import write_pair_policy
from tests.integration.router_fixture import TEST_MAX_RECORD_BYTES
from tests.support.waiting import wait_until

POLICE, PROBATION = "share-police", "share-probation"
GROUP = "share-router"


def group_router(
    state: Path, bootstrap: str, index: int, agency: str
) -> tuple[KafkaRouter, CohortTable]:
    """Router ``index`` of one group (and its cohort), consuming only ``agency``'s ingress."""
    settings = load_settings(
        kafka={"bootstrap_servers": bootstrap},
        agencies_file=state / "agencies.yaml",
        policy_file=state / "policy",
        subject_key_file=state / "subject.key",
        router={"group_id": GROUP, "transactional_id": f"{GROUP}-{index}"},
    )
    core = load_core(settings)
    secret = subject_key(settings.subject_key_file)
    cohort = CohortTable(secret)
    engine = PolicyEngine(core.policy, pseudonym_key(secret))
    processor = RecordProcessor(core.codec, engine, core.agencies, cohort, TEST_MAX_RECORD_BYTES)
    follower = CohortFollower(bootstrap, cohort)
    topics = [ingress_topic(agency)]
    return KafkaRouter(settings, processor, cohort, topics, cohort_follower=follower), cohort


@pytest.fixture
async def two_routers(kafka_bootstrap: str, tmp_path: Path) -> AsyncIterator[CohortTable]:
    """Router 0 owns probation's ingress, router 1 police's (one group); router 1's cohort."""
    write_pair_policy(tmp_path, POLICE, PROBATION)
    await ensure_topics(kafka_bootstrap, topic_plan([POLICE, PROBATION]))
    enroller, _ = group_router(tmp_path, kafka_bootstrap, 0, PROBATION)
    reporter, reporter_cohort = group_router(tmp_path, kafka_bootstrap, 1, POLICE)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(r.run(stop)) for r in (enroller, reporter)]
    try:
        await asyncio.wait_for(enroller.ready.wait(), 90)
        await asyncio.wait_for(reporter.ready.wait(), 90)
        yield reporter_cohort
    finally:
        stop.set()
        await asyncio.gather(*tasks)


@pytest.mark.kafka
async def test_enrolment_routed_by_one_router_lets_the_other_share_events(
    kafka_bootstrap: str, two_routers: CohortTable
) -> None:
    """Once router 0 commits an enrolment, router 1 delivers that subject's arrests."""
    reporter_cohort = two_routers
    codec = AvroCodec(default_catalogue())
    subject = unique_subject()
    enrol = enrolment(PROBATION, subject)
    async with AgencyPublisher(kafka_bootstrap, PROBATION, codec) as probation:
        await probation.publish(enrol)
    await disclosures_for(kafka_bootstrap, codec, [enrol["envelope"]["event_id"]], 1, 90)
    # The inherent race: an arrest routed before the enrolment reaches router 1 is refused.
    identifiers = SubjectIdentifiers(crn=subject["crn"])
    await wait_until(lambda: reporter_cohort.resolve(identifiers) is not None)

    events = [arrest(POLICE, subject) for _ in range(5)]
    async with AgencyPublisher(kafka_bootstrap, POLICE, codec) as police:
        await asyncio.gather(*(police.publish(event) for event in events))
    event_ids = [event["envelope"]["event_id"] for event in events]
    disclosures = await disclosures_for(kafka_bootstrap, codec, event_ids, 1, 90)
    delivered = {
        codec.decode_delivery(r.value)["envelope"]["event_id"]
        for r in await deliveries_to(kafka_bootstrap, PROBATION)
    }

    assert len(disclosures) == len(events)
    assert all(d["permitted"] for d in disclosures)
    assert set(event_ids) <= delivered
