"""A backlog built while the router is stopped shows as lag, raises one ``router.lag_high``
event, and falls to zero (one ``router.lag_recovered``) once a router drains it.

The router under test has its own consumer group, positioned at the end of every ingress
topic before the backlog is produced, so it routes only this test's records (malformed
bytes, dead-lettered to ``dlq.newport-housing``) and nothing other tests wrote.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from broker.bootstrap import build_router
from broker.catalogue.catalogue import default_catalogue
from broker.devtools.ports import free_loopback_port
from broker.devtools.processes import stop_process_group
from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.kafka.consumer_lag import group_lag_probe, topic_partitions
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import INGRESS_PARTITIONS, ingress_topic, topic_plan
from broker.server.app import create_app
from broker.settings import ApiSettings, load_settings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.integration.pair_policy import start_pair_router, write_pair_policy
from tests.support.agencies import TEST_AGENCIES
from tests.support.api_callers import bearer
from tests.support.api_context import workspace
from tests.support.log_records import INDEX_KEY, SIGNER, Clock
from tests.unit.identity.keys import agencies, validator

pytestmark = pytest.mark.kafka

AGENCY = "newport-housing"
BACKLOG = 3000
HIGH_MARK = 1000
TOPICS = [ingress_topic(a) for a in TEST_AGENCIES]


async def _start_group_at_end(bootstrap: str, group: str) -> None:
    """Commit the end of every ingress partition for ``group``: it owes nothing yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        partitions = await topic_partitions(admin, TOPICS)
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        assert len(partitions) == len(TOPICS) * INGRESS_PARTITIONS
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit({tp: offset for tp, offset in ends.items()})
    finally:
        await consumer.stop()


async def _produce_backlog(bootstrap: str) -> None:
    """``BACKLOG`` malformed records from one agency (each will be dead-lettered)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        sends = [
            await producer.send(ingress_topic(AGENCY), f"not avro {n}".encode(), key=b"lag-test")
            for n in range(BACKLOG)
        ]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus exposition by (name, sorted labels)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _api_lag_total(client: httpx.AsyncClient, expected: float) -> dict[Any, float]:
    """The API's metrics once its background lag measurement reports ``expected`` in all."""
    async with asyncio.timeout(60):
        while True:
            scrape = await client.get("/metrics", headers=bearer(Role.OPERATOR))
            samples = _samples(scrape.text)
            if samples.get(("iom_router_group_lag_total", ())) == expected:
                return samples
            await asyncio.sleep(0.2)


async def test_backlog_raises_lag_high_once_then_recovers(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """Lag seen by the API and the router rises with a backlog and falls to zero when routed."""
    group = f"iom-router-lagtest-{uuid.uuid4().hex[:8]}"
    await _start_group_at_end(kafka_bootstrap, group)
    await _produce_backlog(kafka_bootstrap)

    store = SqliteStore(tmp_path / "log.sqlite3")
    context = ApiContext(
        settings=ApiSettings(router_lag_refresh_s=0.5),
        validator=validator(),
        log=TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock()),
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=lambda: asyncio.sleep(0, True),
        policies=workspace(),
        router_lag=group_lag_probe(kafka_bootstrap, group, TOPICS),
    )
    app = create_app(context)
    api_started = app.router.lifespan_context(app)
    await api_started.__aenter__()  # the API's background lag measurement runs
    transport = httpx.ASGITransport(app=app)
    api = httpx.AsyncClient(transport=transport, base_url="http://api.test")

    before = await _api_lag_total(api, BACKLOG)
    assert before[("iom_router_group_lag_up", ())] == 1

    settings = load_settings(
        kafka={"bootstrap_servers": kafka_bootstrap},
        router={
            "group_id": group,
            "transactional_id": f"{group}-0",
            "batch_max_records": 100,
            "lag_high_records": HIGH_MARK,
            "metrics_port": 0,
        },
        subject_key_file=tmp_path / "subject.key",
    )
    router, _ = build_router(settings)
    stop = asyncio.Event()
    with structlog.testing.capture_logs() as logged:
        task = asyncio.create_task(router.run(stop))
        try:
            async with asyncio.timeout(120):
                while router.counters.records_in < BACKLOG or router.lag_watch.is_high:
                    assert not task.done(), task.exception()
                    await asyncio.sleep(0.2)
            assert router.metrics_port is not None
            async with httpx.AsyncClient() as http:
                scrape = await http.get(f"http://127.0.0.1:{router.metrics_port}/metrics")
        finally:
            stop.set()
            await task

    lag_events = [e for e in logged if e["event"].startswith("router.lag_")]
    assert [e["event"] for e in lag_events] == ["router.lag_high", "router.lag_recovered"]
    assert lag_events[0]["lag"] > HIGH_MARK
    assert lag_events[1]["lag"] <= HIGH_MARK // 2

    routed = _samples(scrape.text)
    agency = (("agency", AGENCY),)
    assert routed[("iom_router_events_in_total", agency)] == BACKLOG
    assert routed[("iom_router_dead_lettered_total", agency)] == BACKLOG
    assert routed[("iom_router_consumer_lag_total", ())] == 0
    batches = routed[("iom_router_batch_records_count", ())]
    assert batches >= BACKLOG / 100
    assert routed[("iom_router_transaction_seconds_count", ())] == batches
    assert routed[("iom_router_decision_seconds_count", ())] == BACKLOG
    assert "not avro" not in scrape.text

    after = await _api_lag_total(api, 0)
    assert after[("iom_router_group_lag_up", ())] == 1
    await api.aclose()
    await api_started.__aexit__(None, None, None)
    store.close()


async def test_router_run_serves_metrics_on_the_port_given(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """`iom-broker router run --metrics-port P` answers scrapes on 127.0.0.1:P with its counts."""
    police, probation = "metrics-police", "metrics-probation"
    write_pair_policy(tmp_path, police, probation)
    await ensure_topics(kafka_bootstrap, topic_plan([police, probation]))
    port = free_loopback_port()
    start_pair_router(
        tmp_path, kafka_bootstrap, "metrics-router", extra_args=["--metrics-port", str(port)]
    )
    url = f"http://127.0.0.1:{port}/metrics"
    counted = 'iom_router_dead_lettered_total{agency="metrics-police"} 1.0'
    try:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(ingress_topic(police), b"not an event")
        finally:
            await producer.stop()
        async with httpx.AsyncClient() as http, asyncio.timeout(90):
            while True:
                try:
                    text = (await http.get(url)).text
                except httpx.TransportError:
                    text = ""
                if counted in text:
                    break
                await asyncio.sleep(0.5)
    finally:
        stop_process_group(tmp_path / "router-0.pid")
    assert 'iom_router_events_in_total{agency="metrics-police"} 1.0' in text
