"""Router throughput with one and two router processes in a group, and the pause after a kill.

Runs on a fresh real Kafka broker started by the project's launcher:

    .venv/bin/python -m benchmarks.scale_out_benchmark --events 20000

Preloads arrests (for enrolled subjects) into ``ingress.gwent-police``; then, for 1 and 2
router processes (``iom-broker router run``, one consumer group per run, transactional ids
``<group>-0``, ``<group>-1``), times the group's committed offsets from the first progress to
the end of the topic. Last, with two routers, kills one (kill -9) a third of the way in and
reports the longest stretch without committed progress (the rebalance pause).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.consumer import AIOKafkaConsumer
from aiokafka.errors import GroupCoordinatorNotAvailableError

from benchmarks.scratch_kafka import scratch_kafka
from broker.agency_registry import load_agencies
from broker.bootstrap import load_core
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import INGRESS_PARTITIONS, ingress_topic, topic_plan
from broker.logging_setup import configure_logging
from broker.settings import load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import arrest, enrolment, unique_subject

POLICE, PROBATION = "gwent-police", "probation-wales"
SUBJECTS = 60


def partitions(agency: str) -> list[TopicPartition]:
    """The ingress partitions of ``agency``."""
    return [TopicPartition(ingress_topic(agency), p) for p in range(INGRESS_PARTITIONS)]


def start_routers(state: Path, bootstrap: str, group: str, count: int) -> list[Path]:
    """Start ``count`` router processes in ``group``; return their pid files."""
    pid_files = []
    for index in range(count):
        env = {
            **os.environ,
            "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
            "IOM_SUBJECT_KEY_FILE": str(state / "subject.key"),
            "IOM_ROUTER__GROUP_ID": group,
            "IOM_ROUTER__TRANSACTIONAL_ID": f"{group}-{index}",
            "IOM_LOG_LEVEL": "warning",
        }
        pid_file = state / f"{group}-{index}.pid"
        command = [sys.executable, "-m", "broker.cli", "router", "run"]
        spawn_detached(command, state / f"{group}-{index}.log", pid_file, env)
        pid_files.append(pid_file)
    return pid_files


async def committed(admin: AIOKafkaAdminClient, group: str, agency: str) -> int:
    """Records of ``agency``'s ingress topic the group has committed."""
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=partitions(agency))
    except GroupCoordinatorNotAvailableError:  # the offsets topic is still being created
        return 0
    return sum(max(meta.offset, 0) for meta in offsets.values())


async def follow(
    admin: AIOKafkaAdminClient,
    group: str,
    agency: str,
    total: int,
    kill_at: int | None,
    pid_files: list[Path],
) -> tuple[float, float]:
    """Poll progress until ``total``; return (events/s from first progress, longest pause s)."""
    first: tuple[float, int] | None = None
    last_change, last_value, longest_pause = time.perf_counter(), 0, 0.0
    async with asyncio.timeout(600):
        while True:
            value = await committed(admin, group, agency)
            now = time.perf_counter()
            if value != last_value:
                longest_pause = max(longest_pause, now - last_change) if first else 0.0
                last_change, last_value = now, value
                first = first or (now, value)
            if kill_at is not None and value >= kill_at:
                pid = read_pid(pid_files[0])
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
                kill_at = None
            if value >= total:
                assert first is not None
                return (value - first[1]) / max(now - first[0], 1e-9), longest_pause
            await asyncio.sleep(0.05)


async def run(
    state: Path, bootstrap: str, group: str, routers: int, kill: bool, agency: str = POLICE
) -> str:
    """One run, measured on ``agency``'s ingress; the routers are stopped afterwards."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    total = sum((await consumer.end_offsets(partitions(agency))).values())
    await consumer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    pid_files = start_routers(state, bootstrap, group, routers)
    try:
        kill_at = total // 3 if kill else None
        rate, pause = await follow(admin, group, agency, total, kill_at, pid_files)
    finally:
        await admin.close()
        for pid_file in pid_files:
            await asyncio.to_thread(stop_process_group, pid_file)
    suffix = f", longest pause after kill -9 of one: {pause:.1f} s" if kill else ""
    return f"{routers} router(s): {rate:,.0f} events/s{suffix}"


async def main(events: int) -> None:
    configure_logging("warning", "console")
    async with scratch_kafka("iom-scale-bench-") as (state, bootstrap):
        settings = load_settings(
            kafka={"bootstrap_servers": bootstrap}, subject_key_file=state / "subject.key"
        )
        await ensure_topics(bootstrap, topic_plan(load_agencies(settings.agencies_file).ids))
        codec = load_core(settings).codec
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        async with AgencyPublisher(bootstrap, PROBATION, codec) as probation:
            await asyncio.gather(*(probation.publish(enrolment(PROBATION, s)) for s in subjects))
        await run(state, bootstrap, "scale-warmup", 1, kill=False, agency=PROBATION)  # enrols
        async with AgencyPublisher(bootstrap, POLICE, codec) as police:
            await asyncio.gather(
                *(police.publish(arrest(POLICE, subjects[i % SUBJECTS])) for i in range(events))
            )
        print(f"events: {events} arrests on {INGRESS_PARTITIONS} ingress partitions")
        print(await run(state, bootstrap, "scale-one", 1, kill=False))
        print(await run(state, bootstrap, "scale-two", 2, kill=False))
        print(await run(state, bootstrap, "scale-kill", 2, kill=True))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().events))
