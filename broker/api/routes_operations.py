"""Operations: liveness, readiness (store and Kafka reachable) and Prometheus metrics (for an
operator or service token only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from broker.api.auth import require_role
from broker.api.metrics import ApiMetrics
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal, Role

__all__ = ["router"]

router = APIRouter(tags=["operations"])

Check = Literal["ok", "unreachable"]
Scraper = Annotated[Principal, Depends(require_role(Role.OPERATOR, Role.SERVICE))]
"""Who may scrape ``/metrics``: an operator or one of the broker's own services."""


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


@router.get(
    "/metrics",
    summary="Prometheus metrics (operator or service token)",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Text exposition format."},
        401: {"description": "No bearer token, or a refused one (problem+json)."},
        403: {"description": "The token's role is neither operator nor service."},
    },
)
async def metrics(request: Request, _: Scraper) -> Response:
    """Request counts by route and status, request latency, the log's size and the router
    group's consumer lag (as the background task last measured it; a scrape opens no Kafka
    client)."""
    registry = request.app.state.metrics
    assert isinstance(registry, ApiMetrics)
    return Response(registry.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")
