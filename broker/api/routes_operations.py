"""Operations: liveness, readiness (store and Kafka reachable) and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from broker.api.context import ApiContext, api_context
from broker.api.metrics import ApiMetrics
from broker.api.problems import ProblemError
from broker.kafka.topics import agency_of_ingress_topic

__all__ = ["router"]

router = APIRouter(tags=["operations"])
log = structlog.get_logger(__name__)

Check = Literal["ok", "unreachable"]


class Health(BaseModel):
    """The process is up."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Every dependency answered."""

    status: Literal["ready"] = "ready"
    checks: dict[str, Check]


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    """Always 200 while the process serves requests."""
    return Health()


def _store_ok(context: ApiContext) -> bool:
    try:
        context.log.store.tree_head()
    except Exception:
        return False
    return True


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="The log store, the API's records and Kafka are reachable",
    responses={503: {"description": "A dependency is unreachable (problem+json)."}},
)
async def readyz(context: Annotated[ApiContext, Depends(api_context)]) -> Readiness:
    """200 when the stores answer and Kafka describes its cluster; 503 naming what did not."""
    checks: dict[str, Check] = {
        "store": "ok" if await run_in_threadpool(_store_ok, context) else "unreachable",
        "records": "ok"
        if await run_in_threadpool(context.policies.records.reachable)
        else "unreachable",
        "kafka": "ok" if await context.kafka_probe() else "unreachable",
    }
    down = sorted(name for name, state in checks.items() if state != "ok")
    if down:
        raise ProblemError(
            503, f"not ready: {', '.join(down)} unreachable", extra={"checks": checks}
        )
    return Readiness(checks=checks)


async def _router_lag(context: ApiContext) -> dict[tuple[str, int], int] | None:
    """The router group's lag by (agency, partition), or None when Kafka does not answer."""
    assert context.router_lag is not None
    try:
        lag = await asyncio.wait_for(context.router_lag(), context.settings.kafka_timeout_s * 2)
    except Exception as error:
        log.info("api.router_lag_unavailable", error_type=type(error).__name__)
        return None
    return {(agency_of_ingress_topic(tp.topic), tp.partition): n for tp, n in lag.items()}


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Text exposition format."}},
)
async def metrics(request: Request) -> Response:
    """Request counts by route and status, request latency, the log's size and the router
    group's consumer lag (measured from Kafka now)."""
    registry = request.app.state.metrics
    assert isinstance(registry, ApiMetrics)
    context = api_context(request)
    if context.router_lag is not None:
        registry.set_group_lag(await _router_lag(context))
    return Response(registry.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")
