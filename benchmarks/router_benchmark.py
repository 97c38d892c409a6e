"""Router throughput against the best transactional passthrough, and end-to-end latency.

Runs on a fresh real Kafka broker started by the project's launcher:

    .venv/bin/python -m benchmarks.router_benchmark --events 20000 --rounds 3
    .venv/bin/python -m benchmarks.router_benchmark --latency --rate 1000 --seconds 20

**Throughput** (default). ``--events`` arrests are preloaded into ``ingress.gwent-police``;
then every contestant reads all of them with a consumer group of its own, in Kafka
transactions of up to 500 records with the consumer offsets inside (``read_committed``),
writing the router's fan-out (1 delivery + 4 disclosures per record):

- ``passthrough/aiokafka`` and ``passthrough/confluent``: copy the bytes, no decoding (the
  librdkafka one tuned: ``retry.backoff.ms`` 10, ``linger.ms`` 5, large batches);
- ``router/aiokafka`` and ``router/confluent``: the router itself (decode, resolve, decide,
  minimise, encode) on each of its two Kafka clients (``router.kafka_client``).

One uncounted round warms the broker (its first transactional runs are 20-25 % slower),
then ``--rounds`` rounds run every contestant in turn, the order rotating each round. Each
run's output is read back at ``read_committed`` and counted exactly (it must be ``events``
deliveries and ``4 x events`` disclosures). Reported: each contestant's median and every run,
and the better router client's median as a share of the best passthrough's.

**Latency** (``--latency``). For each router client in turn (interleaved, ``--rounds``
rounds after one warm-up), a router process (``iom-broker router run --client …``) routes
arrests published at ``--rate`` per second for ``--seconds``, each timed from the publisher's
acknowledgement to the delivery being readable at ``read_committed``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import confluent_kafka
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from benchmarks.cluster_benchmark import commit_at_end
from benchmarks.scratch_kafka import scratch_kafka
from broker.agency_registry import load_agencies
from broker.bootstrap import build_router, load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import spawn_detached, stop_process_group
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import DISCLOSURES_TOPIC, deliver_topic, ingress_topic, topic_plan
from broker.logging_setup import configure_logging
from broker.router.aiokafka_client import RETRY_BACKOFF_MS
from broker.router.confluent_client import PRODUCER_TUNING
from broker.router.kafka_router import KafkaRouter
from broker.settings import Settings, load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from iom_adapters.sdk.relay import LINGER_MS
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.support.waiting import wait_for_log

POLICE, PROBATION = "gwent-police", "probation-wales"
FAN_OUT_DISCLOSURES = 4
SUBJECTS = 50
BATCH = 500
CLIENTS = ("aiokafka", "confluent")
OUTPUTS = (deliver_topic(PROBATION), DISCLOSURES_TOPIC)

Contestant = Callable[[str, int], Awaitable[float]]
"""Runs over every preloaded record with the given fresh group name; returns events/s."""


async def aiokafka_passthrough(bootstrap: str, group: str, events: int) -> float:
    """Copy every ingress record to the fan-out topics transactionally (aiokafka)."""
    consumer = AIOKafkaConsumer(
        ingress_topic(POLICE),
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        transactional_id=group,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        retry_backoff_ms=RETRY_BACKOFF_MS,
    )
    await producer.start()
    await consumer.start()
    seen, started = 0, 0.0
    try:
        while seen < events:
            batch = await consumer.getmany(timeout_ms=200, max_records=BATCH)
            if not batch:
                continue
            started = started or time.perf_counter()
            async with producer.transaction():
                sends = []
                for messages in batch.values():
                    for message in messages:
                        sends.append(await producer.send(deliver_topic(PROBATION), message.value))
                        for _ in range(FAN_OUT_DISCLOSURES):
                            sends.append(await producer.send(DISCLOSURES_TOPIC, message.value))
                        seen += 1
                offsets = {tp: msgs[-1].offset + 1 for tp, msgs in batch.items()}
                await producer.send_offsets_to_transaction(offsets, group)
                await asyncio.gather(*sends)
        return events / (time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()


def confluent_passthrough(bootstrap: str, group: str, events: int) -> float:
    """The same copy with confluent-kafka (librdkafka), tuned, offsets with the group's
    metadata (KIP-447); blocking, so run it in a thread."""
    consumer = confluent_kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
        }
    )
    producer = confluent_kafka.Producer(
        {
            "bootstrap.servers": bootstrap,
            "transactional.id": group,
            "enable.idempotence": True,
            "acks": "all",
            "batch.num.messages": 10_000,
            "batch.size": 1_000_000,
            **PRODUCER_TUNING,
        }
    )
    producer.init_transactions()
    consumer.subscribe([ingress_topic(POLICE)])
    seen, started = 0, 0.0
    try:
        while seen < events:
            messages = [m for m in consumer.consume(BATCH, 0.2) if m.error() is None]
            if not messages:
                continue
            started = started or time.perf_counter()
            producer.begin_transaction()
            ends: dict[tuple[str, int], int] = {}
            for message in messages:
                value = message.value()
                producer.produce(deliver_topic(PROBATION), value)
                for _ in range(FAN_OUT_DISCLOSURES):
                    producer.produce(DISCLOSURES_TOPIC, value)
                ends[where(message)] = (message.offset() or 0) + 1
            offsets = [confluent_kafka.TopicPartition(t, p, o) for (t, p), o in ends.items()]
            producer.send_offsets_to_transaction(offsets, consumer.consumer_group_metadata())
            producer.commit_transaction()
            seen += len(messages)
        return events / (time.perf_counter() - started)
    finally:
        consumer.close()
        producer.close()


async def router_run(settings: Settings, client: str, group: str, events: int) -> float:
    """Route every preloaded record with the router on ``client``; return events/s from the
    first fetched batch (``ready``) to the last record's commit."""
    settings = with_router(settings, group, client)
    await commit_at_end(settings.kafka.bootstrap_servers, group, [PROBATION])
    router, _ = build_router(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(router.run(stop))
    try:
        await first_of(router.ready.wait(), task)
        started = time.perf_counter()
        while router.counters.records_in < events:
            if task.done():
                task.result()
            await asyncio.sleep(0.005)
        return events / (time.perf_counter() - started)
    finally:
        stop.set()
        await task


def with_router(settings: Settings, group: str, client: str) -> Settings:
    """``settings`` with a fresh group, its own transactional id and the given client."""
    router = settings.router.model_copy(
        update={"group_id": group, "transactional_id": f"{group}-0", "kafka_client": client}
    )
    return settings.model_copy(update={"router": router})


async def first_of(wait: Awaitable[object], task: asyncio.Task[None]) -> None:
    """Wait for ``wait``; raise if ``task`` fails first."""
    waiting = asyncio.ensure_future(wait)
    await asyncio.wait({waiting, task}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiting.cancel()
        task.result()
        raise RuntimeError("the router stopped before it was ready")


def where(message: confluent_kafka.Message) -> tuple[str, int]:
    """A consumed record's topic and partition."""
    return str(message.topic()), int(message.partition() or 0)


def output_ends(bootstrap: str) -> dict[tuple[str, int], int]:
    """The end offset of every partition of the output topics."""
    consumer = confluent_kafka.Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-ends"})
    try:
        ends = {}
        for topic in OUTPUTS:
            metadata = consumer.list_topics(topic, timeout=30).topics[topic]
            for partition in metadata.partitions:
                tp = confluent_kafka.TopicPartition(topic, partition)
                ends[(topic, partition)] = consumer.get_watermark_offsets(tp, timeout=30)[1]
        return ends
    finally:
        consumer.close()


def count_committed(bootstrap: str, since: dict[tuple[str, int], int]) -> dict[str, int]:
    """Records of each output topic readable at ``read_committed`` after ``since``."""
    until = output_ends(bootstrap)
    consumer = confluent_kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "bench-count",
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
        }
    )
    counts = dict.fromkeys(OUTPUTS, 0)
    open_partitions = {tp for tp, end in until.items() if end > since.get(tp, 0)}
    consumer.assign(
        [confluent_kafka.TopicPartition(t, p, since.get((t, p), 0)) for t, p in open_partitions]
    )
    idle_since = time.monotonic()
    try:
        while open_partitions and time.monotonic() - idle_since < 5:
            for message in consumer.consume(10_000, 0.5):
                if message.error() is not None:
                    continue
                idle_since = time.monotonic()
                key = where(message)
                counts[key[0]] += 1
                if (message.offset() or 0) + 1 >= until[key] - 1:
                    open_partitions.discard(key)  # the last record (a marker may follow)
        return counts
    finally:
        consumer.close()


@dataclass
class Contest:
    """Every counted run of every contestant."""

    rates: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        """The contestant's median events/s."""
        return statistics.median(self.rates[name])


async def counted(bootstrap: str, name: str, run: Contestant, group: str, events: int) -> float:
    """Run one contestant and check its output: exactly one delivery and four disclosures
    per event were committed (raises otherwise)."""
    before = await asyncio.to_thread(output_ends, bootstrap)
    rate = await run(group, events)
    counts = await asyncio.to_thread(count_committed, bootstrap, before)
    expected = {OUTPUTS[0]: events, OUTPUTS[1]: FAN_OUT_DISCLOSURES * events}
    if counts != expected:
        raise RuntimeError(f"{name} run {group} committed {counts}, expected {expected}")
    print(
        f"  {name:<22} {rate:>8,.0f} events/s  (output {counts[OUTPUTS[0]]:,} + "
        f"{counts[OUTPUTS[1]]:,}, exact)",
        flush=True,
    )
    return rate


async def throughput(settings: Settings, events: int, rounds: int) -> None:
    """Warm-up round, then ``rounds`` interleaved rounds of every contestant."""
    bootstrap = settings.kafka.bootstrap_servers
    contestants: dict[str, Contestant] = {
        "passthrough/aiokafka": lambda g, n: aiokafka_passthrough(bootstrap, g, n),
        "passthrough/confluent": lambda g, n: asyncio.to_thread(
            confluent_passthrough, bootstrap, g, n
        ),
        **{f"router/{client}": partial(router_run, settings, client) for client in CLIENTS},
    }
    names = list(contestants)
    contest = Contest({name: [] for name in names})
    for number in range(rounds + 1):
        label = "warm-up (not counted)" if number == 0 else f"round {number}"
        print(f"{label}, load {os.getloadavg()[0]:.1f}:", flush=True)
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            group = f"bench-{name.replace('/', '-')}-{number}"
            rate = await counted(bootstrap, name, contestants[name], group, events)
            if number:
                contest.rates[name].append(rate)
    print(f"\nevents: {events} per run (fan-out: 1 delivery + {FAN_OUT_DISCLOSURES} disclosures)")
    for name in names:
        runs = ", ".join(f"{rate:,.0f}" for rate in contest.rates[name])
        print(f"{name:<22} median {contest.median(name):>8,.0f} events/s  (runs: {runs})")
    best_pass = max(names[:2], key=contest.median)
    best_router = max(names[2:], key=contest.median)
    share = contest.median(best_router) / contest.median(best_pass)
    print(f"best router ({best_router}) / best passthrough ({best_pass}): {share:.0%}")


async def latency(
    settings: Settings,
    state: Path,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    rate: float,
    seconds: float,
    rounds: int,
) -> None:
    """One warm-up, then ``rounds`` interleaved latency runs per router client."""
    results: dict[str, list[list[float]]] = {client: [] for client in CLIENTS}
    for number in range(rounds + 1):
        for client in CLIENTS if number % 2 else tuple(reversed(CLIENTS)):
            group = f"bench-latency-{client}-{number}"
            latencies = await latency_run(
                settings, state, codec, subjects, client, group, rate, seconds
            )
            label = "warm-up (not counted)" if number == 0 else f"round {number}"
            print(f"{label} {client}: {describe(latencies, rate)}", flush=True)
            if number:
                results[client].append(latencies)
    for client, runs in results.items():
        medians = [statistics.median(quantiles_ms(r)[i] for r in runs) for i in range(3)]
        print(
            f"router/{client} at {rate:.0f} events/s, median of {len(runs)} rounds: "
            f"p50 {medians[0]:.0f} ms, p95 {medians[1]:.0f} ms, p99 {medians[2]:.0f} ms"
        )


def quantiles_ms(latencies: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def describe(latencies: list[float], rate: float) -> str:
    """One line: how many, and the three quantiles."""
    p50, p95, p99 = quantiles_ms(latencies)
    return (
        f"{len(latencies)} deliveries at {rate:.0f}/s: p50 {p50:.0f} ms, p95 {p95:.0f} ms,"
        f" p99 {p99:.0f} ms (load {os.getloadavg()[0]:.1f})"
    )


async def latency_run(
    settings: Settings,
    state: Path,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    client: str,
    group: str,
    rate: float,
    seconds: float,
) -> list[float]:
    """A router process on ``client`` routes arrests offered at ``rate``; their latencies."""
    bootstrap = settings.kafka.bootstrap_servers
    await commit_at_end(bootstrap, group, [POLICE, PROBATION])
    env = {
        **os.environ,
        "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "IOM_SUBJECT_KEY_FILE": str(settings.subject_key_file),
        "IOM_ROUTER__GROUP_ID": group,
        "IOM_ROUTER__TRANSACTIONAL_ID": f"{group}-0",
        "IOM_LOG_LEVEL": "info",
    }
    log_file, pid_file = state / f"{group}.log", state / f"{group}.pid"
    command = [sys.executable, "-m", "broker.cli", "router", "run", "--client", client]
    spawn_detached(command, log_file, pid_file, env)
    try:
        await wait_for_log(log_file, "router.ready", timeout=120)
        return await offered_load(bootstrap, codec, subjects, rate, seconds)
    finally:
        await asyncio.to_thread(stop_process_group, pid_file)


async def offered_load(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    rate: float,
    seconds: float,
) -> list[float]:
    """Publish arrests at ``rate``/s for ``seconds`` (batched as an adapter's relay batches);
    return each one's seconds from acknowledgement to committed delivery."""
    consumer = AIOKafkaConsumer(
        deliver_topic(PROBATION),
        bootstrap_servers=bootstrap,
        group_id=f"bench-deliveries-{time.time_ns()}",
        auto_offset_reset="latest",
        isolation_level="read_committed",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )
    await consumer.start()
    await consumer.getmany(timeout_ms=1000)
    total = int(rate * seconds)
    acked: dict[str, float] = {}
    latencies: list[float] = []
    pending: dict[str, float] = {}

    async def publish_one(police: AgencyPublisher, event: dict[str, object]) -> None:
        await police.publish(event)
        event_id = str(event["envelope"]["event_id"])  # type: ignore[index]
        acked[event_id] = time.perf_counter()
        if event_id in pending:  # delivered before the acknowledgement came back
            latencies.append(pending.pop(event_id) - acked[event_id])

    async def publish(police: AgencyPublisher) -> None:
        started = time.perf_counter()
        sends: set[asyncio.Task[None]] = set()
        for index in range(total):
            delay = started + index / rate - time.perf_counter()
            if delay > 0.002:
                await asyncio.sleep(delay)
            task = asyncio.create_task(
                publish_one(police, arrest(POLICE, subjects[index % len(subjects)]))
            )
            sends.add(task)
            task.add_done_callback(sends.discard)
        await asyncio.gather(*sends)

    options = {"client_id": "bench-load", "linger_ms": LINGER_MS, "max_batch_size": 256 * 1024}
    async with AgencyPublisher(bootstrap, POLICE, codec, kafka_options=options) as police:
        publishing = asyncio.create_task(publish(police))
        try:
            with suppress(TimeoutError):
                async with asyncio.timeout(seconds + 120):
                    while len(latencies) + len(pending) < total:
                        batch = await consumer.getmany(timeout_ms=100)
                        now = time.perf_counter()
                        for messages in batch.values():
                            for message in messages:
                                delivery = codec.decode_delivery(message.value)
                                event_id = delivery["envelope"]["event_id"]
                                if event_id in acked:
                                    latencies.append(now - acked[event_id])
                                else:
                                    pending[event_id] = now
            await publishing
        finally:
            if not publishing.done():
                publishing.cancel()
                with suppress(asyncio.CancelledError):
                    await publishing
            await consumer.stop()
    if len(latencies) < total:
        print(f"  only {len(latencies)} of {total} deliveries arrived in time")
    return latencies


async def main(arguments: argparse.Namespace) -> None:
    configure_logging("warning", "console")
    async with scratch_kafka("iom-bench-") as (state, bootstrap):
        settings = load_settings(
            kafka={"bootstrap_servers": bootstrap},
            subject_key_file=state / "subject.key",
            router={"group_id": "bench-router", "transactional_id": "bench-router-0"},
        )
        agencies = load_agencies(settings.agencies_file)
        await ensure_topics(bootstrap, topic_plan(agencies.ids))
        core = load_core(settings)
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        async with AgencyPublisher(bootstrap, PROBATION, core.codec) as probation:
            await asyncio.gather(*(probation.publish(enrolment(PROBATION, s)) for s in subjects))
        router, _ = build_router(settings)
        await route_enrolments(router)
        print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at start")
        if arguments.latency:
            await latency(
                settings,
                state,
                core.codec,
                subjects,
                arguments.rate,
                arguments.seconds,
                arguments.rounds,
            )
            return
        async with AgencyPublisher(bootstrap, POLICE, core.codec) as police:
            for start in range(0, arguments.events, 1000):
                chunk = range(start, min(arguments.events, start + 1000))
                await asyncio.gather(
                    *(police.publish(arrest(POLICE, subjects[i % SUBJECTS])) for i in chunk)
                )
        await throughput(settings, arguments.events, arguments.rounds)


async def route_enrolments(router: KafkaRouter) -> None:
    """Route the subjects' enrolments once (every later router replays ``subjects``)."""
    stop = asyncio.Event()
    task = asyncio.create_task(router.run(stop))
    while router.counters.records_in < SUBJECTS:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    stop.set()
    await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", action="store_true", help="measure latency instead")
    parser.add_argument("--rate", type=float, default=1000.0, help="events/s offered (latency)")
    parser.add_argument("--seconds", type=float, default=20.0, help="per latency run")
    asyncio.run(main(parser.parse_args()))
