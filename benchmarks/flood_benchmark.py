"""Good traffic's throughput through the router with and without a flood of malformed records
from another agency, and the router's peak RSS under the flood.

Runs on a fresh real Kafka broker started by the project's launcher:

    .venv/bin/python -m benchmarks.flood_benchmark --good 20000 --bad 20000

Two runs in one process, each with its own three agencies and a fresh ``iom-broker router
run`` process: (1) ``--good`` police arrests about enrolled subjects alone; (2) as many
arrests interleaved with ``--bad`` malformed records on housing's ingress topic (random
bytes, truncated Avro, unknown schema ids, oversized values and keys, empty records, spoofed
senders; ``tests/faults/flood_traffic.py``). The traffic is preloaded, then drained; rates
come from the group's committed offsets from the first progress. Peak RSS is the router's
``VmHWM`` from ``/proc/<pid>/status`` at the end of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
from pathlib import Path

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from broker.logging_setup import configure_logging
from tests.faults.flood_traffic import FloodRun, malformed_records, measure_drain
from tests.faults.stream_harness import FaultAgencies, write_fault_policy


def describe(name: str, run: FloodRun) -> str:
    """One line of results."""
    return (
        f"{name}: {run.good_events} good + {run.bad_records} bad; good {run.good_per_s:,.0f}"
        f" events/s, all {run.records_per_s:,.0f} records/s; router peak RSS"
        f" {run.peak_rss_kib / 1024:.0f} MiB"
    )


async def main(good: int, bad: int) -> None:
    configure_logging("warning", "console")
    state = Path(tempfile.mkdtemp(prefix="iom-flood-bench-"))
    kafka = LocalKafka(state / "kafka")
    bootstrap = await asyncio.to_thread(kafka.start)
    codec = AvroCodec(default_catalogue())
    try:
        runs = {}
        for name, bad_count in (("calm", 0), ("flooded", bad)):
            agencies = FaultAgencies.fresh()
            folder = state / name
            folder.mkdir()
            write_fault_policy(folder, agencies)
            await ensure_topics(bootstrap, topic_plan(agencies.ids))
            flood = malformed_records(agencies, codec, bad_count)
            runs[name], _ = await measure_drain(bootstrap, folder, codec, agencies, good, flood)
        print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}")
        for name, run in runs.items():
            print(describe(name, run))
        ratio = runs["flooded"].good_per_s / runs["calm"].good_per_s
        capacity = runs["flooded"].records_per_s / runs["calm"].records_per_s
        print(f"good traffic under the flood / alone: {ratio:.2f}")
        print(f"all records/s under the flood / good alone: {capacity:.2f}")
    finally:
        await asyncio.to_thread(kafka.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", type=int, default=20_000)
    parser.add_argument("--bad", type=int, default=20_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.good, arguments.bad))
