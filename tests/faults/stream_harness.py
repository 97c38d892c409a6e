"""The fault suite's pipeline: three private agencies, router and log-writer processes and
a steady stream of events (the counts are reconciled by ``reconciliation.py``).

Each test gets agencies no other test uses (``f<hex>-police``, ``-probation``, ``-housing``),
so its ingress, delivery and dead-letter topics hold only its own records. Police arrests
about enrolled subjects are shared with probation (one decision each: permitted, or refused
when the offence category is :data:`REFUSED_CATEGORY`); probation's enrolments go to the
police; housing serves another area and has no rules, and is the agency that floods.

``IOM_FAULTS_SCALE`` (default 1) multiplies the stream's length and the number of faults.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import confluent_kafka
import psycopg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import spawn_detached
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import (
    DISCLOSURES_TOPIC,
    INGRESS_PARTITIONS,
    ingress_topic,
    topic_plan,
)
from broker.settings import PROJECT_ROOT
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.support.waiting import wait_until

#: Multiplies stream durations and fault counts (``IOM_FAULTS_SCALE=10`` for the long form).
SCALE = max(1.0, float(os.environ.get("IOM_FAULTS_SCALE", "1")))
#: Arrests with this offence category are refused (the rule's condition is false).
REFUSED_CATEGORY = "refused-test"
#: One good arrest in this many is refused; one in MALFORMED_EVERY is garbage.
REFUSED_EVERY, MALFORMED_EVERY = 6, 25
LOG_ORIGIN = "faults.iom-broker.test/log"
#: Per-test timeout (pytest-timeout), longer in the long form.
TEST_TIMEOUT_S = round(300 * SCALE)


@dataclass(frozen=True)
class FaultAgencies:
    """The three agencies of one test."""

    police: str
    probation: str
    housing: str

    @classmethod
    def fresh(cls) -> FaultAgencies:
        """Agency ids no other test uses."""
        prefix = f"f{uuid.uuid4().hex[:8]}"
        return cls(f"{prefix}-police", f"{prefix}-probation", f"{prefix}-housing")

    @property
    def ids(self) -> list[str]:
        """All three, police first."""
        return [self.police, self.probation, self.housing]


AGENCIES_YAML = """\
agencies:
  - {id: {POLICE}, kind: police, name_en: Fault Police, name_cy: Heddlu Nam}
  - {id: {PROBATION}, kind: probation, name_en: Fault Probation, name_cy: Prawf Nam}
  - {id: {HOUSING}, kind: housing, name_en: Fault Housing, name_cy: Tai Nam}
"""
AREAS_YAML = """\
areas:
  - {id: wales, name_en: Wales, name_cy: Cymru, agencies: [{PROBATION}]}
  - {id: gwent, name_en: Gwent, name_cy: Gwent, agencies: [{POLICE}]}
  - {id: dyfed-powys, name_en: Dyfed-Powys, name_cy: Dyfed-Powys, agencies: [{HOUSING}]}
"""
POLICY_YAML = """\
agreement: fault-test
title: Fault-suite agreement
kind: isp
version: 1
area: gwent
parties: [{POLICE}, {PROBATION}]
review_date: 2099-01-01
approvals:
  - {party: {POLICE}, dpo: Test DPO, date: 2026-01-01}
  - {party: {PROBATION}, dpo: Test DPO, date: 2026-01-01}
rules:
  - id: enrol
    from: {PROBATION}
    to: {POLICE}
    events: [cohort_enrolment]
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.pnc_id]
    retention: P1Y
  - id: arrests
    from: {POLICE}
    to: {PROBATION}
    events: [arrest]
    when: payload.offence_category != '{REFUSED}'
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P1Y
"""


def write_fault_policy(state: Path, agencies: FaultAgencies) -> None:
    """Write ``agencies.yaml`` and a ``policy`` directory for the three agencies under ``state``."""

    def fill(template: str) -> str:
        return (
            template.replace("{POLICE}", agencies.police)
            .replace("{PROBATION}", agencies.probation)
            .replace("{HOUSING}", agencies.housing)
            .replace("{REFUSED}", REFUSED_CATEGORY)
        )

    (state / "agencies.yaml").write_text(fill(AGENCIES_YAML))
    policy = state / "policy"
    shutil.copytree(PROJECT_ROOT / "policies" / "vocabulary", policy / "vocabulary")
    (policy / "vocabulary" / "areas.yaml").write_text(fill(AREAS_YAML))
    (policy / "agreements").mkdir()
    (policy / "agreements" / "fault-test.yaml").write_text(fill(POLICY_YAML))


def base_env(state: Path, bootstrap: str) -> dict[str, str]:
    """Settings every process of one test shares."""
    return {
        **os.environ,
        "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "IOM_AGENCIES_FILE": str(state / "agencies.yaml"),
        "IOM_POLICY_FILE": str(state / "policy"),
        "IOM_SUBJECT_KEY_FILE": str(state / "subject.key"),
        "IOM_LOG_LEVEL": "info",
    }


def start_router(
    state: Path,
    bootstrap: str,
    group: str,
    index: int = 0,
    settings: Mapping[str, str] | None = None,
) -> int:
    """Start ``iom-broker router run`` number ``index`` of ``group``; log ``router-<i>.log``.

    ``settings``: extra ``IOM_*`` variables (e.g. ``IOM_ROUTER__MAX_RECORD_BYTES``).
    """
    env = {
        **base_env(state, bootstrap),
        "IOM_ROUTER__GROUP_ID": group,
        "IOM_ROUTER__TRANSACTIONAL_ID": f"{group}-{index}",
        "IOM_ROUTER__BATCH_MAX_RECORDS": "200",
        **(settings or {}),
    }
    command = [sys.executable, "-m", "broker.cli", "router", "run"]
    return spawn_detached(
        command, state / f"router-{index}.log", state / f"router-{index}.pid", env
    )


@dataclass(frozen=True)
class LogStoreConfig:
    """A log writer's store (a schema of the private PostgreSQL), keys and consumer group."""

    dsn: str
    schema: str
    state: Path
    group: str

    @property
    def url(self) -> str:
        """The store URL the writer is given."""
        return f"{self.dsn}#{self.schema}"

    def env(self) -> dict[str, str]:
        """The writer's ``IOM_TRANSPARENCY__*`` settings."""
        return {
            "IOM_TRANSPARENCY__STORE_URL": self.url,
            "IOM_TRANSPARENCY__SIGNING_KEY_FILE": str(self.state / "log-signing.key"),
            "IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE": str(self.state / "log-index.key"),
            "IOM_TRANSPARENCY__ORIGIN": LOG_ORIGIN,
            "IOM_TRANSPARENCY__GROUP_ID": self.group,
            "IOM_TRANSPARENCY__CHECKPOINT_INTERVAL_S": "2",
            "IOM_TRANSPARENCY__BATCH_MAX_RECORDS": "200",
        }


async def log_store_from_now(dsn: str, state: Path, bootstrap: str) -> LogStoreConfig:
    """A fresh schema and writer group whose offsets start at the current end of
    ``disclosures``: the writer logs only what this test's routers decide."""
    config = LogStoreConfig(dsn, f"f_{uuid.uuid4().hex[:10]}", state, f"lw-{uuid.uuid4().hex}")
    await asyncio.to_thread(commit_at_end, bootstrap, config.group, DISCLOSURES_TOPIC)
    return config


def commit_at_end(bootstrap: str, group: str, topic: str) -> None:
    """Commit ``group``'s offsets at the current end of every partition of ``topic``."""
    consumer = confluent_kafka.Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False}
    )
    try:
        metadata = consumer.list_topics(topic, timeout=30)
        ends = []
        for partition in metadata.topics[topic].partitions:
            _, high = consumer.get_watermark_offsets(
                confluent_kafka.TopicPartition(topic, partition), timeout=30
            )
            ends.append(confluent_kafka.TopicPartition(topic, partition, high))
        consumer.commit(offsets=ends, asynchronous=False)
    finally:
        consumer.close()


def start_log_writer(state: Path, bootstrap: str, store: LogStoreConfig) -> int:
    """Start ``iom-broker log writer run`` on ``store``; log ``log-writer.log``."""
    env = {**base_env(state, bootstrap), **store.env()}
    command = [sys.executable, "-m", "broker.cli", "log", "writer", "run"]
    return spawn_detached(command, state / "log-writer.log", state / "log-writer.pid", env)


async def enrol_subjects(
    bootstrap: str, codec: AvroCodec, agencies: FaultAgencies, count: int
) -> list[dict[str, str | None]]:
    """Enrol ``count`` fresh subjects (published by probation, area Gwent)."""
    subjects = [unique_subject() for _ in range(count)]
    async with AgencyPublisher(bootstrap, agencies.probation, codec) as probation:
        await asyncio.gather(
            *(probation.publish(enrolment(agencies.probation, s)) for s in subjects)
        )
    return subjects


@dataclass
class StreamTally:
    """What a stream published, by kind."""

    permitted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    malformed: list[bytes] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Records published."""
        return len(self.permitted) + len(self.refused) + len(self.malformed)


class SteadyStream:
    """Police arrests (some refused, some malformed) at ``rate`` records/s until stopped."""

    def __init__(
        self,
        bootstrap: str,
        codec: AvroCodec,
        agencies: FaultAgencies,
        subjects: Sequence[dict[str, str | None]],
        rate: float,
        seed: int = 0,
    ) -> None:
        self._bootstrap, self._codec, self._agencies = bootstrap, codec, agencies
        self._subjects = list(subjects)
        self._rate = rate
        self._random = random.Random(seed)
        self.tally = StreamTally()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin publishing in the background."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> StreamTally:
        """Stop publishing; every record sent has been acknowledged when this returns."""
        self._stop.set()
        assert self._task is not None
        await self._task
        return self.tally

    async def _run(self) -> None:
        police = self._agencies.police
        tick = 0.05
        async with AgencyPublisher(self._bootstrap, police, self._codec) as publisher:
            started, sent = time.monotonic(), 0
            while not self._stop.is_set():
                due = int((time.monotonic() - started) * self._rate) - sent
                await asyncio.gather(*(self._publish_one(publisher, sent + i) for i in range(due)))
                sent += max(due, 0)
                await asyncio.sleep(tick)

    async def _publish_one(self, publisher: AgencyPublisher, number: int) -> None:
        if number % MALFORMED_EVERY == MALFORMED_EVERY - 1:
            key = f"garbage-{uuid.uuid4()}".encode()
            await publisher.publish_raw(self._random.randbytes(40), key)
            self.tally.malformed.append(key)
            return
        event = arrest(self._agencies.police, self._random.choice(self._subjects))
        refused = number % REFUSED_EVERY == 0
        if refused:
            event["payload"]["offence_category"] = REFUSED_CATEGORY
        await publisher.publish(event)
        (self.tally.refused if refused else self.tally.permitted).append(
            event["envelope"]["event_id"]
        )


def ingress_partitions(agencies: FaultAgencies) -> list[TopicPartition]:
    """Every ingress partition of the test's agencies."""
    return [
        TopicPartition(ingress_topic(agency), p)
        for agency in agencies.ids
        for p in range(INGRESS_PARTITIONS)
    ]


async def ingress_ends(bootstrap: str, agencies: FaultAgencies) -> dict[TopicPartition, int]:
    """End offsets of the test's ingress partitions (= records published to them)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(ingress_partitions(agencies))
        return ends
    finally:
        await consumer.stop()


async def committed_offsets(
    bootstrap: str, group: str, partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int]:
    """The group's committed offsets (0 where none yet)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=list(partitions))
    except KafkaError:  # coordinator not known yet, connection being set up: no progress seen
        return dict.fromkeys(partitions, 0)
    finally:
        await admin.close()
    return {tp: max(meta.offset, 0) for tp, meta in offsets.items()}


async def wait_until_routed(
    bootstrap: str, group: str, agencies: FaultAgencies, timeout: float = 180.0
) -> None:
    """Wait until the router group has committed every ingress record published so far."""
    ends = await ingress_ends(bootstrap, agencies)

    async def all_committed() -> bool:
        done = await committed_offsets(bootstrap, group, list(ends))
        return all(done[tp] >= end for tp, end in ends.items())

    await wait_until(all_committed, timeout, interval=0.3)


def logged_entries(store: LogStoreConfig) -> list[tuple[int, str]]:
    """(index, disclosure id) of every entry in the store, by index."""
    with psycopg.connect(store.dsn, connect_timeout=5) as db:
        rows = db.execute(
            f'SELECT idx, disclosure_id FROM "{store.schema}".entries ORDER BY idx'
        ).fetchall()
    return [(int(idx), str(ident)) for idx, ident in rows]


async def wait_until_logged(store: LogStoreConfig, count: int, timeout: float = 180.0) -> None:
    """Wait until the store holds at least ``count`` entries."""

    async def enough_logged() -> bool:
        try:
            return len(await asyncio.to_thread(logged_entries, store)) >= count
        except psycopg.Error:  # the writer has not created its schema yet
            return False

    await wait_until(enough_logged, timeout, interval=0.3)


async def prepare_topics(bootstrap: str, agencies: FaultAgencies) -> None:
    """Create the test agencies' topics."""
    await ensure_topics(bootstrap, topic_plan(agencies.ids))
