"""Good traffic's throughput through the router with and without a flood of malformed records
from another agency, and the router's peak RSS under the flood.

Runs on a fresh real Kafka broker started by the project's launcher:

    .venv/bin/python -m benchmarks.flood_benchmark --good 5000 --bad 5000 --rounds 3

Each round is two runs, each with its own three agencies and a fresh ``iom-broker router
run`` process (the order alternates between rounds, so a change in the shared machine's
load does not favour one side): (1) ``--good`` police arrests about enrolled subjects
alone; (2) as many arrests interleaved with ``--bad`` malformed records on housing's
ingress topic (random bytes, truncated Avro, unknown schema ids, oversized values and keys,
empty records, spoofed senders; ``tests/faults/flood_traffic.py``). The traffic is
preloaded, then drained; rates come from the group's committed offsets from the first
progress. Peak RSS is the router's ``VmHWM`` from ``/proc/<pid>/status`` at the end of the
run. The median ratio is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
from pathlib import Path

from benchmarks.scratch_kafka import scratch_kafka
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
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


async def one_run(
    bootstrap: str, state: Path, codec: AvroCodec, name: str, good: int, bad: int
) -> FloodRun:
    """Fresh agencies, preload, drain with a fresh router."""
    agencies = FaultAgencies.fresh()
    folder = state / f"{name}-{agencies.police}"
    folder.mkdir()
    write_fault_policy(folder, agencies)
    await ensure_topics(bootstrap, topic_plan(agencies.ids))
    flood = malformed_records(agencies, codec, bad)
    run, _ = await measure_drain(bootstrap, folder, codec, agencies, good, flood)
    print(describe(name, run), flush=True)
    return run


async def main(good: int, bad: int, rounds: int) -> None:
    configure_logging("warning", "console")
    codec = AvroCodec(default_catalogue())
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    async with scratch_kafka("iom-flood-bench-") as (state, bootstrap):
        ratios, capacities, peaks = [], [], []
        for number in range(rounds):
            order = [("calm", 0), ("flooded", bad)]
            if number % 2:  # alternate the order so drift in the machine's load cancels out
                order.reverse()
            runs = {}
            for name, bad_count in order:
                runs[name] = await one_run(bootstrap, state, codec, name, good, bad_count)
            ratios.append(runs["flooded"].good_per_s / runs["calm"].good_per_s)
            capacities.append(runs["flooded"].records_per_s / runs["calm"].records_per_s)
            peaks.append(runs["flooded"].peak_rss_kib / 1024)
            print(f"round {number + 1}: good under the flood / alone = {ratios[-1]:.2f}")
        print(
            f"median of {rounds} rounds: good traffic under the flood / alone ="
            f" {statistics.median(ratios):.2f}; all records/s under the flood / good alone ="
            f" {statistics.median(capacities):.2f}; router peak RSS under the flood"
            f" {max(peaks):.0f} MiB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", type=int, default=5_000)
    parser.add_argument("--bad", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.good, arguments.bad, arguments.rounds))
