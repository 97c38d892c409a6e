"""The log writer on the real Kafka: every disclosure logged once, across replays and crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import DISCLOSURES_TOPIC
from broker.settings import load_settings
from broker.transparency.integrity import check_store
from broker.transparency.keys import load_signer
from broker.transparency.log_writer import LogWriter
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.subject_view import subject_view
from broker.transparency.verifier import verify_entry_proof
from broker.transparency.wiring import open_log
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import arrest, disclosures_for, enrolment, unique_subject
from tests.integration.router_fixture import RunningRouter
from tests.support.log_markers import publish_markers
from tests.support.waiting import wait_until

RECIPIENTS = 4  # five agencies in the session registry, less the source
CRASH_PREFIX = "c0ffee00"
CRASH_EVENTS = 30_000
CRASH_REPLAYS = 2_000


def writer_env(tmp_path: Path, bootstrap: str, group: str) -> dict[str, str]:
    """Settings of a log writer with its own store, keys and consumer group."""
    return {
        "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "IOM_TRANSPARENCY__STORE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "IOM_TRANSPARENCY__SIGNING_KEY_FILE": str(tmp_path / "signing.key"),
        "IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE": str(tmp_path / "index.key"),
        "IOM_TRANSPARENCY__GROUP_ID": group,
        "IOM_TRANSPARENCY__CHECKPOINT_INTERVAL_S": "1",
    }


@pytest.fixture
async def writer_in_process(
    kafka_bootstrap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[LogWriter]:
    """A log writer task in this process, reading the session's disclosures topic."""
    for name, value in writer_env(tmp_path, kafka_bootstrap, f"lw-{uuid.uuid4().hex}").items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    writer = LogWriter(settings, open_log(settings.transparency), AvroCodec(default_catalogue()))
    stop = asyncio.Event()
    task = asyncio.create_task(writer.run(stop))
    yield writer
    stop.set()
    await task


@pytest.mark.kafka
async def test_router_disclosures_are_logged_once_even_when_an_event_is_resent(
    running_router: RunningRouter, writer_in_process: LogWriter, tmp_path: Path
) -> None:
    """A re-sent event yields the same disclosure ids again; the log holds each exactly once."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    subject = unique_subject()
    enrol = enrolment("probation-wales", subject)
    events = [arrest("gwent-police", subject) for _ in range(3)]
    async with AgencyPublisher(bootstrap, "probation-wales", codec) as probation:
        await probation.publish(enrol)
    await disclosures_for(bootstrap, codec, [enrol["envelope"]["event_id"]], RECIPIENTS)
    async with AgencyPublisher(bootstrap, "gwent-police", codec) as police:
        for event in [*events, events[0]]:
            await police.publish(event)
    ids = [e["envelope"]["event_id"] for e in events]
    ours = await disclosures_for(bootstrap, codec, ids, RECIPIENTS)
    async with asyncio.timeout(60):
        while sum(1 for d in ours if d["event_id"] == ids[0]) < 2 * RECIPIENTS:
            ours = await disclosures_for(bootstrap, codec, ids, RECIPIENTS)
    topic = [
        codec.decode_disclosure(r.value) for r in await read_topic(bootstrap, DISCLOSURES_TOPIC)
    ]
    distinct = {d["disclosure_id"] for d in topic}
    assert len(topic) > len(distinct), "the re-sent event did not produce repeated disclosures"

    markers = await publish_markers(bootstrap, codec)
    transparency_log = open_log(load_settings().transparency)
    store = transparency_log.store
    await wait_until(lambda: all(store.entry_by_disclosure(m) is not None for m in markers))
    assert store.tree_head()[0] == len(distinct) + len(markers)
    for disclosure in topic:
        assert transparency_log.store.entry_by_disclosure(disclosure["disclosure_id"]) is not None

    subject_ref = next(d["subject_ref"] for d in ours)
    view = subject_view(transparency_log, subject_ref, "subject:self", page_size=50)
    permitted = {d["disclosure_id"] for d in ours if d["permitted"]}
    assert {item.entry.disclosure_id for item in view.entries} >= permitted
    assert all(item.entry.permitted for item in view.entries)
    for item in view.entries:
        verify_entry_proof(item.proof, item.content, transparency_log.verifier)
    transparency_log.store.close()


def crash_disclosure(number: int) -> dict[str, object]:
    """A synthetic disclosure whose id starts with CRASH_PREFIX."""
    now = datetime.now(UTC)
    return {
        "disclosure_id": str(uuid.UUID(int=(0xC0FFEE00 << 96) | number)),
        "event_id": str(uuid.uuid4()),
        "event_type": "arrest",
        "occurred_at": now,
        "decided_at": now,
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": f"subj-crash-{number % 50}",
        "permitted": True,
        "reason": None,
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "crash-test",
        "fields_shared": ["payload.offence_category"],
        "retention": "P1Y",
    }


def logged(path: Path, disclosure_ids: list[str]) -> bool:
    """Whether the store holds every one of ``disclosure_ids`` (read while the writer runs)."""
    if not path.exists():
        return False
    places = ",".join("?" * len(disclosure_ids))
    query = f"SELECT count(*) FROM entries WHERE disclosure_id IN ({places})"
    try:
        with sqlite3.connect(path, timeout=30) as db:
            return int(db.execute(query, disclosure_ids).fetchone()[0]) == len(disclosure_ids)
    except sqlite3.OperationalError:  # the writer has not created its tables yet
        return False


def crash_entries(path: Path) -> int:
    """How many crash-test disclosures the store holds (read while the writer runs)."""
    if not path.exists():
        return 0
    query = "SELECT count(*) FROM entries WHERE disclosure_id LIKE ?"
    try:
        with sqlite3.connect(path, timeout=30) as db:
            return int(db.execute(query, (CRASH_PREFIX + "-%",)).fetchone()[0])
    except sqlite3.OperationalError:  # the writer has not created its tables yet
        return 0


def start_writer(tmp_path: Path, env: dict[str, str]) -> int:
    """``iom-broker log writer run`` as its own process, small batches so a kill lands mid-way."""
    full = {**os.environ, **env, "IOM_TRANSPARENCY__BATCH_MAX_RECORDS": "100"}
    command = [sys.executable, "-m", "broker.cli", "log", "writer", "run"]
    return spawn_detached(command, tmp_path / "writer.log", tmp_path / "writer.pid", full)


@pytest.mark.kafka
async def test_log_writer_killed_mid_stream_loses_and_duplicates_nothing(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """kill -9 while appending, then restart: every disclosure and replay is logged exactly once."""
    codec = AvroCodec(default_catalogue())
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=20)
    await producer.start()
    try:
        numbers = [*range(CRASH_EVENTS), *range(0, CRASH_EVENTS, CRASH_EVENTS // CRASH_REPLAYS)]
        for number in numbers:
            value = codec.encode_disclosure(crash_disclosure(number))
            await producer.send(DISCLOSURES_TOPIC, value, key=f"crash-{number % 50}".encode())
        await producer.flush()
    finally:
        await producer.stop()
    markers = await publish_markers(kafka_bootstrap, codec)
    env = writer_env(tmp_path, kafka_bootstrap, f"crash-writer-{uuid.uuid4().hex}")
    store_path = tmp_path / "log.sqlite3"
    start_writer(tmp_path, env)
    try:
        async with asyncio.timeout(120):
            while (before_kill := crash_entries(store_path)) == 0:
                await asyncio.sleep(0.02)
        pid = read_pid(tmp_path / "writer.pid")
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert before_kill < CRASH_EVENTS, "the writer finished before it could be killed"
        start_writer(tmp_path, env)
        await wait_until(lambda: logged(store_path, markers), timeout=180, interval=0.2)
    finally:
        stop_process_group(tmp_path / "writer.pid")
    assert crash_entries(store_path) == CRASH_EVENTS
    store = SqliteStore(store_path)
    try:
        size, _ = store.tree_head()
        topic = {
            codec.decode_disclosure(r.value)["disclosure_id"]
            for r in await read_topic(kafka_bootstrap, DISCLOSURES_TOPIC)
        }
        assert size == len(topic)
        report = check_store(
            store, load_signer(tmp_path / "signing.key", "iom-broker.dev/transparency-log").verifier
        )
        assert report.ok, report.problems
    finally:
        store.close()
