"""The outbox across a Kafka outage: stop the broker mid-run, restart it, nothing lost or doubled.

Uses its own LocalKafka (not the session's), because it stops and restarts the broker.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import ingress_topic, topic_plan
from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.event_factory import EventFactory
from iom_adapters.sdk.ingest import encode
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox, OutboxItem
from iom_adapters.sdk.outcomes import Converted
from iom_adapters.sdk.relay import OutboxRelay
from tests.support.waiting import wait_until

AGENCY = "probation-wales"
BATCH = 40


def batch(factory: EventFactory, start: int) -> list[Converted]:
    """``BATCH`` appointment events numbered from ``start``."""
    base = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    outcomes = []
    for number in range(start, start + BATCH):
        event = factory.build(
            "appointment",
            (f"appt-{number}", "ATTENDED"),
            base + timedelta(minutes=number),
            {"crn": f"X{number % 50:06d}"},
            {
                "appointment_id": f"appt-{number}",
                "service": "probation supervision",
                "scheduled_for": base + timedelta(minutes=number),
                "outcome": "ATTENDED",
                "clinical_notes": None,
            },
        )
        outcomes.append(Converted(event, f"record {number}"))
    return outcomes


def add(outbox: Outbox, codec: AvroCodec, outcomes: list[Converted]) -> set[str]:
    """Encode and add a batch; the ids added."""
    items = [encode(codec, outcome) for outcome in outcomes]
    outbox.add([i for i in items if isinstance(i, OutboxItem)])
    return {o.event_id for o in outcomes}


@pytest.mark.timeout(180)
async def test_nothing_lost_or_duplicated_across_a_kafka_restart(tmp_path: Path) -> None:
    """Events added before, during and after a broker outage all arrive in Kafka exactly once."""
    catalogue = default_catalogue()
    codec = AvroCodec(catalogue)
    factory = EventFactory(catalogue, AGENCY)
    kafka = LocalKafka(tmp_path / "kafka-state")
    outbox = Outbox(tmp_path / "outbox.sqlite")
    stop = asyncio.Event()
    relay_task: asyncio.Task[None] | None = None
    try:
        bootstrap = await asyncio.to_thread(kafka.start)
        await ensure_topics(bootstrap, topic_plan([AGENCY]))
        relay = OutboxRelay(
            outbox,
            AGENCY,
            client_options(bootstrap, "outage-test"),
            batch_size=25,
            backoff=Backoff(initial=0.2, maximum=1.0),
        )
        relay_task = asyncio.create_task(relay.run(stop))
        expected: set[str] = set()
        for round_number in range(3):
            expected |= add(outbox, codec, batch(factory, round_number * BATCH))
            await asyncio.sleep(0.05)
        assert await relay.drained(30)

        stopping = asyncio.create_task(asyncio.to_thread(kafka.stop))
        for round_number in range(3, 8):
            expected |= add(outbox, codec, batch(factory, round_number * BATCH))
            await asyncio.sleep(0.1)
        await stopping
        expected |= add(outbox, codec, batch(factory, 8 * BATCH))
        failures = relay.failed_batches
        await wait_until(lambda: relay.failed_batches > failures, timeout=60)
        assert outbox.pending > 0, "with Kafka stopped, events must wait in the outbox"

        await asyncio.to_thread(kafka.start)
        expected |= add(outbox, codec, batch(factory, 9 * BATCH))
        assert await relay.drained(60), f"{outbox.pending} events still pending after restart"

        records = await read_topic(bootstrap, ingress_topic(AGENCY))
        ids = [codec.decode_event(r.value).record["envelope"]["event_id"] for r in records]
        assert len(expected) == 10 * BATCH
        assert set(ids) == expected, "events lost"
        assert len(ids) == len(expected), "events duplicated"
    finally:
        stop.set()
        if relay_task is not None:
            await relay_task
        outbox.close()
        await asyncio.to_thread(kafka.stop)
