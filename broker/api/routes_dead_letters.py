"""DPOs: the records the router turned away from their own agency, and why.

Each agency's DPO sees its own ``dlq.<agency>`` only (refused cohort changes, identifier
conflicts, undecodable records...): time, reason code, the router's one-line detail (event id,
never a payload value or identifier) and where the record sits in the ingress topic, so the
agency can correct its system. Read from Kafka headers on demand, newest first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from broker.api.auth import authenticated
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal, Role

__all__ = ["DeadLetterView", "router"]

router = APIRouter(prefix="/dead-letters", tags=["dead letters (DPO)"])

Caller = Annotated[Principal, Depends(authenticated)]
Context = Annotated[ApiContext, Depends(api_context)]


class DeadLetterView(BaseModel):
    """One record turned away: nothing about the person, only why and where."""

    at: datetime
    reason: str
    detail: str
    source_partition: int
    source_offset: int


@router.get(
    "",
    response_model=list[DeadLetterView],
    summary="Records from my agency the broker turned away",
    responses={403: {"description": "The caller is not a DPO."}},
)
async def my_dead_letters(
    context: Context, principal: Caller, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[DeadLetterView]:
    """The newest ``limit`` dead letters of the caller's agency, newest first."""
    if principal.role is not Role.DPO or principal.agency is None:
        raise ProblemError(403, f"this needs the role dpo, not {principal.role.value}")
    if context.dead_letters is None:
        raise ProblemError(503, "dead letters cannot be read: Kafka is not configured")
    try:
        notices = await context.dead_letters(principal.agency, limit)
    except Exception:
        raise ProblemError(503, "dead letters cannot be read: Kafka did not answer") from None
    return [DeadLetterView(**vars(notice)) for notice in notices]
