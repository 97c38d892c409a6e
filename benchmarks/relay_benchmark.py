"""The outbox relay's publish rate: this tree's relay against another commit's, interleaved.

    .venv/bin/python -m benchmarks.relay_benchmark --base e3d4201 --events 40000 --rounds 5

Loads ``iom_adapters/sdk/relay.py`` as it was at ``--base`` (``git show``) beside this tree's,
starts one fresh Kafka, and in each round runs both relays one after the other on the same
synthetic probation events (adapter_benchmark's): **convert + publish** (the adapter's whole
publish path, timed until Kafka acknowledged every event) and **relay only** (an outbox filled
beforehand, timed while the relay drains it). Prints every round and the medians, with the
load average; Python is pinned to CPU 0 as in adapter_benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.adapter_benchmark import cases, convert_and_publish, documents
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from broker.logging_setup import configure_logging
from broker.settings import PROJECT_ROOT
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.ingest import Ingestor
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox
from iom_adapters.sdk.relay import OutboxRelay
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.source import SourceDocument

RelayClass = Callable[..., OutboxRelay]


def relay_at(commit: str, folder: Path) -> RelayClass:
    """``OutboxRelay`` as ``iom_adapters/sdk/relay.py`` defined it at ``commit``."""
    source = subprocess.run(
        ["git", "show", f"{commit}:iom_adapters/sdk/relay.py"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / "base_relay.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("base_relay", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    relay: RelayClass = module.OutboxRelay
    return relay


async def drain_rate(
    relay_class: RelayClass,
    adapter: Adapter,
    codec: AvroCodec,
    docs: list[SourceDocument],
    bootstrap: str,
    state: Path,
) -> float:
    """Events per second the relay publishes from an outbox filled beforehand."""
    outbox = Outbox(state / "drain.sqlite", max_bytes=1 << 30)
    ingestor = Ingestor(codec, outbox, ReportLog(None, adapter.name, adapter.agency))
    for doc in docs:
        ingestor.ingest(adapter.convert(doc), doc.name)
    relay = relay_class(outbox, adapter.agency, client_options(bootstrap, "bench-drain"))
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(relay.run(stop))
    drained = await relay.drained(300)
    seconds = time.perf_counter() - started
    stop.set()
    await task
    outbox.close()
    if not drained:
        raise RuntimeError(f"relay left {outbox.pending} events in the outbox")
    return relay.sent / seconds


async def main(base: str, events: int, rounds: int) -> None:
    """Run the interleaved rounds and print the medians."""
    configure_logging("warning", "console")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    codec = AvroCodec(default_catalogue())
    with tempfile.TemporaryDirectory(prefix="relay-bench-") as tmp:
        contestants = {f"relay at {base}": relay_at(base, Path(tmp)), "this tree": OutboxRelay}
        kafka = LocalKafka(Path(tmp) / "kafka")
        bootstrap = await asyncio.to_thread(kafka.start)
        try:
            case = next(c for c in cases() if c.label.startswith("probation"))
            adapter = case.build()
            await ensure_topics(bootstrap, topic_plan([adapter.agency]))
            docs = documents(case.records(events), 1_000, case.suffix, case.header)
            publish: dict[str, list[float]] = {name: [] for name in contestants}
            drain: dict[str, list[float]] = {name: [] for name in contestants}
            for number in range(rounds):
                for name, relay_class in contestants.items():
                    state = Path(tmp) / f"round-{number}-{len(publish[name])}-{id(relay_class)}"
                    state.mkdir()
                    count, seconds = await convert_and_publish(
                        adapter, codec, docs, bootstrap, state, relay_class
                    )
                    publish[name].append(count / seconds)
                    drain[name].append(
                        await drain_rate(relay_class, adapter, codec, docs, bootstrap, state)
                    )
                    print(
                        f"round {number} {name:<22} convert + publish "
                        f"{publish[name][-1]:>8,.0f} ev/s, "
                        f"relay only {drain[name][-1]:>8,.0f} ev/s",
                        flush=True,
                    )
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"{case.label}: {events} events a run, {rounds} rounds, load average {load}")
            for name in contestants:
                print(
                    f"{name:<22} median convert + publish {statistics.median(publish[name]):>8,.0f}"
                    f" ev/s, relay only {statistics.median(drain[name]):>8,.0f} ev/s"
                )
        finally:
            await asyncio.to_thread(kafka.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="e3d4201", help="commit whose relay to compare with")
    parser.add_argument("--events", type=int, default=40_000, help="events a run")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.base, arguments.events, arguments.rounds))
