"""kill -9 the statistics service while it catches up, restart it: nothing lost or doubled."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import DISCLOSURES_TOPIC, SUBJECTS_TOPIC, dlq_topic
from broker.router.subject_codec import decode_subject, encode_subject
from broker.settings import PROJECT_ROOT
from tests.support.agencies import TEST_AGENCIES
from tests.support.waiting import wait_for_log, wait_until

EVENTS = 1500
RECIPIENTS = ("probation-wales", "newport-housing", "gdas")
SUBJECTS = 150
DEAD_LETTERS = 300
KILLS = 3
START = datetime(2026, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.timeout(300)


def _disclosure(event_id: str, recipient: str, subject_ref: str, at: datetime) -> dict[str, Any]:
    permitted = recipient != "gdas"
    return {
        "disclosure_id": str(uuid.uuid4()),
        "event_id": event_id,
        "event_type": "arrest",
        "occurred_at": at,
        "decided_at": at,
        "source_agency": "gwent-police",
        "recipient_agency": recipient,
        "subject_ref": subject_ref,
        "permitted": permitted,
        "reason": None if permitted else "no_rule",
        "rule_id": "r1" if permitted else None,
        "purpose": "offender_management" if permitted else None,
        "legal_basis": "dpa2018_s35" if permitted else None,
        "policy_version": "test",
        "fields_shared": [],
        "retention": None,
        "field_transforms": {},
        "fields_withheld": [],
    }


async def _publish_traffic(bootstrap: str, codec: AvroCodec) -> None:
    """Events decided for three recipients each (one key per event, as the router writes
    them), enrolments and exits, and dead letters."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        sends = []
        for i in range(EVENTS):
            at = START + timedelta(hours=5 * i)
            ref, event_id = f"subj-stats{i % SUBJECTS:04d}", str(uuid.uuid4())
            for recipient in RECIPIENTS:
                value = codec.encode_disclosure(_disclosure(event_id, recipient, ref, at))
                sends.append(await producer.send(DISCLOSURES_TOPIC, value, key=ref.encode()))
        for i in range(SUBJECTS):
            for enrolled, days in ((True, 0), (i % 3 != 0, 30 + i)):
                record = SubjectRecord(
                    f"subj-stats{i:04d}",
                    "FLEX" if i % 2 else "FIXED",
                    enrolled,
                    SubjectIdentifiers(crn=f"S{i:06d}"),
                    START + timedelta(days=days),
                    area="gwent",
                )
                key = record.subject_ref.encode()
                sends.append(await producer.send(SUBJECTS_TOPIC, encode_subject(record), key=key))
        headers = [("iom.dlq.reason", b"undecodable"), ("iom.dlq.at", START.isoformat().encode())]
        for _ in range(DEAD_LETTERS):
            topic = dlq_topic("newport-housing")
            sends.append(await producer.send(topic, b"junk", headers=headers))
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def _expected(bootstrap: str, codec: AvroCodec) -> dict[str, int]:
    """What every record on the topics adds up to, counted straight from the topics."""
    disclosures = await read_topic(bootstrap, DISCLOSURES_TOPIC)
    last: dict[int, str] = {}
    events = 0
    for message in sorted(disclosures, key=lambda m: (m.partition, m.offset)):
        event_id = codec.decode_disclosure(message.value)["event_id"]
        events += last.get(message.partition) != event_id
        last[message.partition] = event_id
    enrolled: dict[str, bool] = {}
    for message in sorted(await read_topic(bootstrap, SUBJECTS_TOPIC), key=lambda m: m.offset):
        if message.value:
            record = decode_subject(message.value)
            enrolled[record.subject_ref] = record.enrolled
    dead = [len(await read_topic(bootstrap, dlq_topic(a))) for a in TEST_AGENCIES]
    return {
        "decisions": len(disclosures),
        "received": events,
        "dead_lettered": sum(dead),
        "enrolled_now": sum(enrolled.values()),
    }


def _stored(path: Path) -> dict[str, int]:
    """The same totals from the statistics database (0 before its tables exist)."""
    if not path.exists():
        return {}
    with sqlite3.connect(path, timeout=30) as db:
        try:
            rows = db.execute("SELECT measure, SUM(n) FROM stats_facts GROUP BY measure").fetchall()
        except sqlite3.OperationalError:
            return {}
    sums = {measure: int(n) for measure, n in rows}
    return {
        "decisions": sums.get("disclosed", 0) + sums.get("refused", 0),
        "received": sums.get("received", 0),
        "dead_lettered": sums.get("dead_lettered", 0),
        "enrolled_now": sums.get("cohort_net", 0),
    }


def _start(state: Path, bootstrap: str, database: Path) -> int:
    env = {
        **os.environ,
        "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "IOM_SECURITY__KAFKA_AUTH": "false",
        "IOM_STATISTICS__STORE_URL": f"sqlite:///{database}",
        "IOM_STATISTICS__BATCH_MAX_RECORDS": "10",
        "IOM_LOG_LEVEL": "info",
    }
    command = [sys.executable, "-m", "broker.cli", "stats", "run"]
    return spawn_detached(command, state / "statistics.log", state / "statistics.pid", env)


@pytest.mark.kafka
async def test_statistics_killed_mid_catch_up_lose_and_double_nothing(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """kill -9 the service three times while it reads a backlog: once it has caught up, every
    decision, event, dead letter and cohort member is counted exactly once."""
    codec = AvroCodec(SchemaCatalogue.load(PROJECT_ROOT / "schemas"))
    await _publish_traffic(kafka_bootstrap, codec)
    database = tmp_path / "statistics.sqlite3"
    chance = random.Random()
    kills_mid_catch_up = 0
    expected = await _expected(kafka_bootstrap, codec)
    try:
        for kill in range(KILLS):
            before = _stored(database).get("decisions", 0)
            _start(tmp_path, kafka_bootstrap, database)
            await wait_for_log(tmp_path / "statistics.log", "statistics.ready", count=kill + 1)

            def progressed(since: int = before) -> bool:
                """It counted more, or it has nothing left to count."""
                now = _stored(database)
                return now.get("decisions", 0) > since or now == expected

            await wait_until(progressed, 60, 0.01)
            await asyncio.sleep(chance.uniform(0.0, 0.2))
            pid = read_pid(tmp_path / "statistics.pid")
            assert pid is not None, "the statistics service stopped before it was killed"
            os.kill(pid, signal.SIGKILL)
            kills_mid_catch_up += _stored(database)["decisions"] < expected["decisions"]
        _start(tmp_path, kafka_bootstrap, database)
        await wait_until(lambda: _stored(database) == expected, timeout=120)
    finally:
        stop_process_group(tmp_path / "statistics.pid")
    assert kills_mid_catch_up >= 1, "no kill landed while the service was catching up"
    assert _stored(database) == expected
