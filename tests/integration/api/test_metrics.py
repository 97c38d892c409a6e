"""Prometheus metrics: who may scrape them, what they count, and a lag measured in the
background however often anyone scrapes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from aiokafka import TopicPartition
from aiokafka.errors import KafkaConnectionError
from prometheus_client.parser import text_string_to_metric_families

from broker.http.context import ApiContext
from broker.identity.principal import Principal, Role
from broker.kafka.consumer_lag import GroupLag, LagProbe
from broker.server.app import create_app
from broker.transparency.log import TransparencyLog
from tests.support.api_callers import ISSUER_APP, TOKEN_TTL_S, bearer
from tests.support.log_records import disclosure
from tests.unit.identity.keys import agencies

OPERATOR = bearer(Role.OPERATOR)
POLICE = "gwent-police"
POLICE_SYSTEM = Principal(agencies().get(POLICE).principal, Role.AGENCY_SYSTEM, agency=POLICE)
REFRESH_S = 15.0
SCRAPES = 150


def _sample(text: str, name: str) -> float:
    """The value of the unlabelled sample ``name`` in a Prometheus exposition."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and not sample.labels:
                return float(sample.value)
    raise AssertionError(f"{name} not in the exposition")


@asynccontextmanager
async def _serving(context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """The app started as uvicorn starts it (lifespan: background tasks run) and a client."""
    app = create_app(context)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
            yield http


async def _after_first_refresh(http: httpx.AsyncClient) -> str:
    """The exposition once the background task has measured the lag at least once."""
    async with asyncio.timeout(30):
        while True:
            text = (await http.get("/metrics", headers=OPERATOR)).text
            if _sample(text, "iom_router_group_lag_refreshes_total") >= 1:
                return text
            await asyncio.sleep(0.05)


class CountingProbe:
    """A lag probe that counts how often it is asked (each ask stands for opening Kafka
    clients) and reports a fixed lag."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> GroupLag:
        self.calls += 1
        return {TopicPartition("ingress.gwent-police", 0): 7}


async def test_metrics_count_requests_by_template_and_show_log_size(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Requests are labelled by route template (no raw ids); the log size is a gauge."""
    transparency_log.append_disclosures([disclosure(i) for i in range(4)])
    await client.get("/schemas/ids/1")
    await client.get("/schemas/ids/99999")
    text = (await client.get("/metrics", headers=OPERATOR)).text
    assert "iom_transparency_log_entries 4.0" in text
    assert 'route="/schemas/ids/{schema_id}",status="200"' in text
    assert 'route="/schemas/ids/{schema_id}",status="404"' in text
    assert "/schemas/ids/99999" not in text


async def test_metrics_refuse_a_scrape_without_a_token(client: httpx.AsyncClient) -> None:
    """A scrape without a bearer token gets 401 with a Bearer challenge and no metrics."""
    response = await client.get("/metrics")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "iom_" not in response.text


@pytest.mark.parametrize(
    "headers",
    [
        bearer(Role.SUPERVISEE, "subj-a"),
        bearer(Role.DPO, agency="probation-wales"),
        {"Authorization": f"Bearer {ISSUER_APP.mint(POLICE_SYSTEM, ttl_s=TOKEN_TTL_S)}"},
        bearer(Role.AUDITOR),
    ],
    ids=["supervisee", "dpo", "agency_system", "auditor"],
)
async def test_metrics_refuse_callers_who_do_not_run_the_broker(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """A supervisee, DPO, agency system or auditor token gets 403 and no metrics."""
    response = await client.get("/metrics", headers=headers)

    assert response.status_code == 403
    assert "operator" in response.json()["detail"]
    assert "iom_" not in response.text


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SERVICE])
async def test_metrics_answer_an_operator_or_a_service(
    client: httpx.AsyncClient, role: Role
) -> None:
    """An operator's or a broker service's token gets 200 with the text exposition."""
    response = await client.get("/metrics", headers=bearer(role))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "iom_api_requests_total" in response.text


async def test_metrics_report_the_lag_the_background_task_measured(context: ApiContext) -> None:
    """With the app started, the lag measured in the background appears in a scrape."""
    probe = CountingProbe()

    async with _serving(replace(context, router_lag=probe)) as http:
        text = await _after_first_refresh(http)

    assert 'iom_router_group_lag{agency="gwent-police",partition="0"} 7.0' in text
    assert _sample(text, "iom_router_group_lag_total") == 7
    assert _sample(text, "iom_router_group_lag_up") == 1
    assert _sample(text, "iom_router_group_lag_measured_timestamp_seconds") > 0


async def test_a_scrape_flood_measures_the_lag_once_per_refresh_interval(
    context: ApiContext,
) -> None:
    """150 concurrent scrapes open Kafka clients no more often than once per refresh interval:
    the refresh counter and the probe agree, whatever the scrape rate."""
    probe = CountingProbe()
    settings = context.settings.model_copy(update={"router_lag_refresh_s": REFRESH_S})
    started = time.monotonic()

    async with _serving(replace(context, settings=settings, router_lag=probe)) as http:
        await _after_first_refresh(http)
        scrapes = await asyncio.gather(
            *(http.get("/metrics", headers=OPERATOR) for _ in range(SCRAPES))
        )
        last = (await http.get("/metrics", headers=OPERATOR)).text
    intervals_begun = 1 + int((time.monotonic() - started) // REFRESH_S)

    assert all(s.status_code == 200 for s in scrapes)
    assert _sample(last, "iom_router_group_lag_refreshes_total") == probe.calls
    assert 1 <= probe.calls <= intervals_begun


async def test_metrics_still_answer_when_kafka_cannot_report_the_router_lag(
    context: ApiContext,
) -> None:
    """With Kafka unreachable, /metrics answers 200 and says the lag is unknown (up = 0)."""

    async def unreachable() -> GroupLag:
        raise KafkaConnectionError("no route to broker")

    probe: LagProbe = unreachable
    async with _serving(replace(context, router_lag=probe)) as http:
        text = await _after_first_refresh(http)

    assert _sample(text, "iom_router_group_lag_up") == 0
    assert "iom_router_group_lag{" not in text
