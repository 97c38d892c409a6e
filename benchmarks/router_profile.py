"""Where a router's time goes, per stage, on each of its Kafka clients.

    .venv/bin/python -m benchmarks.router_profile --events 20000

Starts a fresh Kafka (the project's launcher), preloads ``--events`` arrests of enrolled
subjects and routes them once per router client (``aiokafka``, ``confluent``) in this
process under ``cProfile``. The Kafka side of the loop is timed around the client port
(fetch and gather, produce, commit); the routing side is taken from the profile's
cumulative times of the functions of each stage (decode, subject resolution, policy,
minimise, encode, disclosure build). Writes ``benchmarks/profiles/router-<client>.txt``
(the profile's top functions) and prints the stage table (µs per event).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import broker.router.kafka_router as kafka_router_module
from benchmarks.cluster_benchmark import commit_at_end
from benchmarks.router_benchmark import (
    CLIENTS,
    POLICE,
    PROBATION,
    SUBJECTS,
    first_of,
    route_enrolments,
    with_router,
)
from benchmarks.scratch_kafka import scratch_kafka
from broker.agency_registry import load_agencies
from broker.bootstrap import build_router, load_core
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from broker.logging_setup import configure_logging
from broker.router.client_choice import transactional_client
from broker.router.outgoing import OutgoingRecord
from broker.router.transactional_client import Batch, TopicPartition, TransactionalClient
from broker.settings import Settings, load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import arrest, enrolment, unique_subject

PROFILES = Path(__file__).parent / "profiles"
#: Profile functions whose cumulative time makes each routing stage: (file suffix, name).
STAGES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "decode + validate": (
        ("catalogue/codec.py", "decode_event"),
        ("domain/event.py", "from_record"),
    ),
    "subject resolution": (
        ("router/subject_tracker.py", "before"),
        ("router/subject_tracker.py", "after"),
    ),
    "policy decision": (("policy/engine.py", "evaluate"),),
    "minimise": (("policy/engine.py", "minimise"),),
    "encode (Avro)": (
        ("catalogue/codec.py", "encode_delivery"),
        ("catalogue/codec.py", "encode_disclosure"),
    ),
    "disclosure build (ids, headers, records)": (
        ("router/record_processor.py", "_delivery"),
        ("router/record_processor.py", "_disclosure"),
        ("router/record_processor.py", "disclosure_id"),
    ),
}


class TimedClient:
    """A :class:`TransactionalClient` that adds up the wall time of each Kafka stage."""

    def __init__(self, client: TransactionalClient, seconds: dict[str, float]) -> None:
        self._client = client
        self.seconds = seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> Batch:
        began = time.perf_counter()
        try:
            return await self._client.getmany(
                *partitions, timeout_ms=timeout_ms, max_records=max_records
            )
        finally:
            self.seconds["fetch + gather (waits overlap the commit)"] += time.perf_counter() - began

    async def begin(self) -> None:
        began = time.perf_counter()
        await self._client.begin()
        self.seconds["produce (begin + queue records)"] += time.perf_counter() - began

    async def send(self, record: OutgoingRecord) -> None:
        began = time.perf_counter()
        await self._client.send(record)
        self.seconds["produce (begin + queue records)"] += time.perf_counter() - began

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        began = time.perf_counter()
        await self._client.commit(offsets)
        self.seconds["commit (offsets + commit, waited)"] += time.perf_counter() - began


async def profiled_run(
    settings: Settings, client: str, events: int
) -> tuple[float, dict[str, float], pstats.Stats]:
    """Route every preloaded record on ``client`` under cProfile; wall time, Kafka stage
    times and the profile."""
    group = f"profile-{client}"
    settings = with_router(settings, group, client)
    await commit_at_end(settings.kafka.bootstrap_servers, group, [PROBATION])
    seconds: dict[str, float] = {
        "fetch + gather (waits overlap the commit)": 0.0,
        "produce (begin + queue records)": 0.0,
        "commit (offsets + commit, waited)": 0.0,
    }
    # the router's loop builds its client through this module-level name
    kafka_router_module.__dict__["transactional_client"] = lambda s, o: TimedClient(
        transactional_client(s, o), seconds
    )
    router, _ = build_router(settings)
    stop = asyncio.Event()
    profile = cProfile.Profile()
    task = asyncio.create_task(router.run(stop))
    try:
        await first_of(router.ready.wait(), task)
        profile.enable()
        started = time.perf_counter()
        while router.counters.records_in < events:
            if task.done():
                task.result()
            await asyncio.sleep(0.005)
        wall = time.perf_counter() - started
        profile.disable()
    finally:
        kafka_router_module.__dict__["transactional_client"] = transactional_client
        stop.set()
        await task
    return wall, seconds, pstats.Stats(profile)


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each routing stage's functions in ``stats``."""
    table = stats.stats  # type: ignore[attr-defined]
    totals = dict.fromkeys(STAGES, 0.0)
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in table.items():
        for stage, functions in STAGES.items():
            if any(filename.endswith(suffix) and name == fn for suffix, fn in functions):
                totals[stage] += cumulative
    return totals


def save_top(stats: pstats.Stats, client: str, header: str) -> Path:
    """The profile's 40 costliest functions (cumulative) as text, paths shortened."""
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("cumulative").print_stats(40)
    path = PROFILES / f"router-{client}.txt"
    path.write_text(header + out.getvalue())
    return path


async def main(events: int) -> None:
    configure_logging("warning", "console")
    PROFILES.mkdir(exist_ok=True)
    async with scratch_kafka("iom-profile-") as (state, bootstrap):
        settings = load_settings(
            kafka={"bootstrap_servers": bootstrap},
            subject_key_file=state / "subject.key",
            router={"group_id": "profile-router", "transactional_id": "profile-router-0"},
        )
        await ensure_topics(bootstrap, topic_plan(load_agencies(settings.agencies_file).ids))
        core = load_core(settings)
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        async with AgencyPublisher(bootstrap, PROBATION, core.codec) as probation:
            await asyncio.gather(*(probation.publish(enrolment(PROBATION, s)) for s in subjects))
        await route_enrolments(build_router(settings)[0])
        async with AgencyPublisher(bootstrap, POLICE, core.codec) as police:
            for start in range(0, events, 1000):
                chunk = range(start, min(events, start + 1000))
                await asyncio.gather(
                    *(police.publish(arrest(POLICE, subjects[i % SUBJECTS])) for i in chunk)
                )
        load = os.getloadavg()[0]
        rows: dict[str, dict[str, float]] = {}
        walls: dict[str, float] = {}
        for client in CLIENTS:
            wall, kafka, stats = await profiled_run(settings, client, events)
            header = (
                f"# router on {client}: {events} events in {wall:.2f} s under cProfile "
                f"(load {load:.1f}); python -m benchmarks.router_profile --events {events}\n"
            )
            rows[client] = {**stage_seconds(stats), **kafka}
            print(f"wrote {save_top(stats, client, header)}")
            walls[client] = wall
    print(f"\nµs per event ({events} events, load {load:.1f} at start, under cProfile)")
    print("| stage | " + " | ".join(CLIENTS) + " |")
    print("|---|" + "---:|" * len(CLIENTS))
    for stage in rows[CLIENTS[0]]:
        cells = " | ".join(f"{rows[c][stage] / events * 1e6:,.1f}" for c in CLIENTS)
        print(f"| {stage} | {cells} |")
    cells = " | ".join(f"{walls[c] / events * 1e6:,.1f}" for c in CLIENTS)
    print(f"| **wall time per event** | {cells} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().events))
