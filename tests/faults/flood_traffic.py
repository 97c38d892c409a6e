"""A flood of malformed records from one agency next to good traffic from another, and the
good traffic's throughput through a real router process (used by the fault test and by
``benchmarks/flood_benchmark.py``).

The good traffic (police arrests about enrolled subjects) and the flood (housing's ingress)
are preloaded; then a fresh router process drains them while the group's committed offsets
on the police partitions are sampled, so the rate is the router's, not the publisher's.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from broker.catalogue.codec import AvroCodec
from broker.catalogue.wire_format import frame
from broker.devtools.processes import read_pid, stop_process_group
from broker.kafka.topics import INGRESS_PARTITIONS, ingress_topic
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.faults.stream_harness import (
    FaultAgencies,
    enrol_subjects,
    start_router,
    wait_until_routed,
)
from tests.integration.helpers import arrest
from tests.support.waiting import wait_for_log

#: Records larger than this are dead-lettered as ``oversized`` by the flood's routers.
FLOOD_MAX_RECORD_BYTES = 64 * 1024
SUBJECTS = 30
#: Records sent concurrently while preloading.
PUBLISH_CHUNK = 500


@dataclass(frozen=True)
class BadRecord:
    """One malformed record: its key, bytes and the dead-letter reason it must get (or None
    when any reason will do, e.g. random bytes)."""

    key: bytes
    value: bytes
    reason: str | None


def malformed_records(
    agencies: FaultAgencies, codec: AvroCodec, count: int, seed: int = 0
) -> list[BadRecord]:
    """``count`` bad records for housing's ingress: random bytes, truncated Avro, unknown
    schema ids, oversized (some beyond the router's fetch size, some by their key), empty
    records, and police events on housing's topic (spoofed sender)."""
    chance = random.Random(seed)
    valid = codec.encode_event(arrest(agencies.housing, {"crn": "C0", "pnc_id": None}))
    records = []
    for number in range(count):
        key = f"flood-{number}-{uuid.uuid4().hex[:8]}".encode()
        kind = number % 20
        if kind < 6:
            value, reason = chance.randbytes(chance.randint(1, 300)), None
        elif kind < 10:
            value, reason = valid[: chance.randint(6, len(valid) - 1)], "undecodable"
        elif kind < 14:
            unknown_id = chance.randint(900_000, 2**31 - 1)
            value, reason = frame(unknown_id, valid[5:]), "unknown_schema_id"
        elif kind == 14:
            size = FLOOD_MAX_RECORD_BYTES + (200_000 if number % 100 == 14 else 1_000)
            value, reason = valid[:5] + chance.randbytes(size), "oversized"
        elif kind == 15:  # a key far larger than the limit, with a small garbage value
            key = key + chance.randbytes(FLOOD_MAX_RECORD_BYTES * 2)
            value, reason = chance.randbytes(50), "oversized"
        elif kind == 16:
            value, reason = b"", "empty_record"
        else:
            spoofed = arrest(agencies.police, {"crn": "C1", "pnc_id": None})
            value, reason = codec.encode_event(spoofed), "agency_mismatch"
        records.append(BadRecord(key, value, reason))
    return records


@dataclass(frozen=True)
class FloodRun:
    """One measured drain: good events/s, all records/s, seconds until the last good event,
    the router's peak RSS (VmHWM) in KiB."""

    good_events: int
    bad_records: int
    good_per_s: float
    records_per_s: float
    seconds: float
    peak_rss_kib: int


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size (``VmHWM``) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line")


async def preload(
    bootstrap: str,
    codec: AvroCodec,
    agencies: FaultAgencies,
    subjects: list[dict[str, str | None]],
    good: int,
    bad: list[BadRecord],
) -> list[str]:
    """Publish ``good`` arrests and the bad records, interleaved; the good event ids."""
    events = [arrest(agencies.police, subjects[i % len(subjects)]) for i in range(good)]
    async with (
        AgencyPublisher(bootstrap, agencies.police, codec) as police,
        AgencyPublisher(bootstrap, agencies.housing, codec) as housing,
    ):
        sends: list[Any] = [(police.publish, (event,)) for event in events]
        sends += [(housing.publish_raw, (record.value, record.key)) for record in bad]
        random.Random(1).shuffle(sends)
        for start in range(0, len(sends), PUBLISH_CHUNK):
            chunk = sends[start : start + PUBLISH_CHUNK]
            await asyncio.gather(*(send(*args) for send, args in chunk))
    return [event["envelope"]["event_id"] for event in events]


async def drain_rate(
    bootstrap: str, group: str, agencies: FaultAgencies, good: int, bad: int
) -> tuple[float, float, float]:
    """Sample the group's committed offsets until all is routed, from the first progress:
    (good events/s, all records/s, seconds until the last good event)."""
    police, housing = (
        [TopicPartition(ingress_topic(agency), p) for p in range(INGRESS_PARTITIONS)]
        for agency in (agencies.police, agencies.housing)
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    first: float | None = None
    good_done_at: float | None = None
    try:
        async with asyncio.timeout(600):
            while True:
                try:
                    offsets = await admin.list_consumer_group_offsets(
                        group, partitions=police + housing
                    )
                except KafkaError:  # coordinator not known yet, connection being set up
                    offsets = {}
                done = {tp: max(meta.offset, 0) for tp, meta in offsets.items()}
                now = time.perf_counter()
                if first is None and sum(done.values()) > 0:
                    first = now
                if good_done_at is None and sum(done.get(tp, 0) for tp in police) >= good:
                    good_done_at = now
                if good_done_at is not None and sum(done.values()) >= good + bad:
                    assert first is not None
                    good_s = max(good_done_at - first, 1e-3)
                    return good / good_s, (good + bad) / max(now - first, 1e-3), good_s
                await asyncio.sleep(0.02)
    finally:
        await admin.close()


async def measure_drain(
    bootstrap: str,
    state: Path,
    codec: AvroCodec,
    agencies: FaultAgencies,
    good: int,
    bad: list[BadRecord],
) -> tuple[FloodRun, list[str]]:
    """Enrol subjects, preload the traffic, drain it with a fresh router; the run and the good
    event ids (enrolments are routed first, by the same group, and not counted)."""
    group = f"{agencies.police}-routers"
    settings = {"IOM_ROUTER__MAX_RECORD_BYTES": str(FLOOD_MAX_RECORD_BYTES)}
    router_log = state / "router-0.log"
    start_router(state, bootstrap, group, settings=settings)
    try:
        await wait_for_log(router_log, "router.ready")
        subjects = await enrol_subjects(bootstrap, codec, agencies, SUBJECTS)
        await wait_until_routed(bootstrap, group, agencies)
    finally:
        await asyncio.to_thread(stop_process_group, state / "router-0.pid")
    good_ids = await preload(bootstrap, codec, agencies, subjects, good, bad)
    pid = start_router(state, bootstrap, group, settings=settings)
    try:
        good_rate, all_rate, seconds = await drain_rate(bootstrap, group, agencies, good, len(bad))
        await wait_until_routed(bootstrap, group, agencies)
        alive = read_pid(state / "router-0.pid")
        assert alive == pid, "the router stopped during the flood"
        peak = peak_rss_kib(pid)
    finally:
        await asyncio.to_thread(stop_process_group, state / "router-0.pid")
    return FloodRun(good, len(bad), good_rate, all_rate, seconds, peak), good_ids
