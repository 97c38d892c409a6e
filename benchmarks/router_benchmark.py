"""Router throughput against a raw transactional passthrough, and end-to-end latency.

Runs on a fresh real Kafka broker started by the project's launcher:

    .venv/bin/python -m benchmarks.router_benchmark --events 20000

(a) passthrough: an aiokafka consume -> produce loop in Kafka transactions with the router's
    fan-out (each ingress record becomes 1 delivery + 4 disclosure records), no decoding;
(b) the router: decode, resolve, decide, minimise, encode, same transactions and fan-out.
Both read the same preloaded topic with their own consumer group, in the same process.
Then latency: events published at a steady rate while the router runs, timed from the
publisher's acknowledgement to the delivery being readable at read_committed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from benchmarks.scratch_kafka import scratch_kafka
from broker.agency_registry import load_agencies
from broker.bootstrap import build_router, load_core
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import DISCLOSURES_TOPIC, deliver_topic, ingress_topic, topic_plan
from broker.logging_setup import configure_logging
from broker.router.kafka_router import KafkaRouter
from broker.settings import load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import arrest, enrolment, unique_subject

POLICE, PROBATION = "gwent-police", "probation-wales"
FAN_OUT_DISCLOSURES = 4
SUBJECTS = 50


async def passthrough(bootstrap: str, events: int) -> float:
    """Copy every ingress record to the fan-out topics transactionally; return events/s."""
    consumer = AIOKafkaConsumer(
        ingress_topic(POLICE),
        bootstrap_servers=bootstrap,
        group_id="bench-passthrough",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        transactional_id="bench-passthrough",
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
    )
    await producer.start()
    await consumer.start()
    seen, started = 0, 0.0
    try:
        while seen < events:
            batch = await consumer.getmany(timeout_ms=200, max_records=500)
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
                await asyncio.gather(*sends)
                offsets = {tp: msgs[-1].offset + 1 for tp, msgs in batch.items()}
                await producer.send_offsets_to_transaction(offsets, "bench-passthrough")
        return events / (time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()


async def run_router_until(
    router: KafkaRouter, records: int
) -> tuple[asyncio.Event, asyncio.Task[None]]:
    """Start ``router`` and return once it has routed ``records`` records in total."""
    stop = asyncio.Event()
    task = asyncio.create_task(router.run(stop))
    while router.counters.records_in < records:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return stop, task


async def measure_latency(
    bootstrap: str,
    router_codec: object,
    publisher: AgencyPublisher,
    subjects: list[dict[str, str | None]],
    count: int,
    rate: float,
) -> list[float]:
    """Publish ``count`` arrests at ``rate``/s; return seconds from ack to committed delivery."""
    consumer = AIOKafkaConsumer(
        deliver_topic(PROBATION),
        bootstrap_servers=bootstrap,
        group_id="bench-latency",
        auto_offset_reset="latest",
        isolation_level="read_committed",
    )
    await consumer.start()
    await consumer.getmany(timeout_ms=1000)
    acked: dict[str, float] = {}
    latencies: list[float] = []
    codec = router_codec

    async def publish() -> None:
        for index in range(count):
            event = arrest(POLICE, subjects[index % len(subjects)])
            await publisher.publish(event)
            acked[event["envelope"]["event_id"]] = time.perf_counter()
            await asyncio.sleep(1 / rate)

    publishing = asyncio.create_task(publish())
    try:
        async with asyncio.timeout(120):
            while len(latencies) < count:
                batch = await consumer.getmany(timeout_ms=200)
                now = time.perf_counter()
                for messages in batch.values():
                    for message in messages:
                        event_id = codec.decode_delivery(message.value)["envelope"]["event_id"]  # type: ignore[attr-defined]
                        if event_id in acked:
                            latencies.append(now - acked[event_id])
    finally:
        publishing.cancel()
        await consumer.stop()
    return latencies


async def main(events: int, latency_events: int, rate: float) -> None:
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
        stop, task = await run_router_until(router, SUBJECTS)
        stop.set()
        await task

        async with AgencyPublisher(bootstrap, POLICE, core.codec) as police:
            await asyncio.gather(
                *(police.publish(arrest(POLICE, subjects[i % SUBJECTS])) for i in range(events))
            )
            raw_rate = await passthrough(bootstrap, events)

            router, _ = build_router(settings)
            stop, task = await run_router_until(router, 0)
            await router.ready.wait()
            started = time.perf_counter()
            while router.counters.records_in < events:
                await asyncio.sleep(0.005)
            router_rate = events / (time.perf_counter() - started)

            latencies = await measure_latency(
                bootstrap, core.codec, police, subjects, latency_events, rate
            )
            stop.set()
            await task
        quantiles = statistics.quantiles(latencies, n=100)
        print(f"events: {events} (fan-out: 1 delivery + {FAN_OUT_DISCLOSURES} disclosures each)")
        print(f"(a) passthrough: {raw_rate:,.0f} events/s")
        print(f"(b) router:      {router_rate:,.0f} events/s")
        print(f"router / passthrough: {router_rate / raw_rate:.0%}")
        print(
            f"latency at {rate:.0f} events/s over {len(latencies)} events:"
            f" p50 {quantiles[49] * 1000:.0f} ms, p95 {quantiles[94] * 1000:.0f} ms,"
            f" p99 {quantiles[98] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--latency-events", type=int, default=1_000)
    parser.add_argument("--rate", type=float, default=200.0, help="events/s in the latency phase")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.latency_events, arguments.rate))
