"""Prometheus metrics: the log's size and requests counted by route template."""

from __future__ import annotations

from dataclasses import replace

import httpx
from aiokafka.errors import KafkaConnectionError

from broker.api.app import create_app
from broker.api.context import ApiContext
from broker.kafka.consumer_lag import GroupLag
from broker.transparency.log import TransparencyLog
from tests.integration.transparency.conftest import disclosure


async def test_metrics_count_requests_by_template_and_show_log_size(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Requests are labelled by route template (no raw ids); the log size is a gauge."""
    transparency_log.append_disclosures([disclosure(i) for i in range(4)])
    await client.get("/schemas/ids/1")
    await client.get("/schemas/ids/99999")
    text = (await client.get("/metrics")).text
    assert "iom_transparency_log_entries 4.0" in text
    assert 'route="/schemas/ids/{schema_id}",status="200"' in text
    assert 'route="/schemas/ids/{schema_id}",status="404"' in text
    assert "/schemas/ids/99999" not in text


async def test_metrics_still_answer_when_kafka_cannot_report_the_router_lag(
    context: ApiContext,
) -> None:
    """With Kafka unreachable, /metrics answers 200 and says the lag is unknown (up = 0)."""

    async def unreachable() -> GroupLag:
        raise KafkaConnectionError("no route to broker")

    app = create_app(replace(context, router_lag=unreachable))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "iom_router_group_lag_up 0.0" in response.text
    assert "iom_router_group_lag{" not in response.text
