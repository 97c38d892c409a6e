"""DPOs and operators: the subject access requests nearing their deadline, extended, answered.

Only the request's own facts are shown (id, status, dates, the extension notice): never the
subject reference or anything about the person.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from broker.api.auth import require_role
from broker.api.context import ApiContext, api_context
from broker.api.problems import ProblemError
from broker.api.subject_requests import SarStatus, SubjectAccessRequest
from broker.identity.principal import Principal, Role

__all__ = ["router"]

router = APIRouter(prefix="/subject-access-requests", tags=["subject access requests (DPO)"])

Caseworker = Annotated[Principal, Depends(require_role(Role.DPO, Role.OPERATOR))]
Context = Annotated[ApiContext, Depends(api_context)]
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
RequestId = Annotated[str, Path(pattern=_UUID)]


class CaseView(BaseModel):
    """A request as the DPO handles it: dates and status only, nothing about the person."""

    request_id: str
    status: SarStatus
    received_on: date
    due_on: date
    days_left: int
    """Days from today to the deadline (negative when overdue)."""
    extension_months: int
    extension_notice: str | None
    completed_on: date | None


class ExtensionRequest(BaseModel):
    """The notice given to the person, and by how many months (in all at most two)."""

    notice: str = Field(min_length=1, max_length=2000)
    months: Literal[1, 2] = 2


def _case(request: SubjectAccessRequest, today: date) -> CaseView:
    return CaseView(
        request_id=request.request_id,
        status=request.status,
        received_on=request.received_on,
        due_on=request.due_on,
        days_left=(request.due_on - today).days,
        extension_months=request.extension_months,
        extension_notice=request.extension_notice,
        completed_on=request.completed_on,
    )


@router.get("", response_model=list[CaseView], summary="Open requests nearing their deadline")
def nearing(
    context: Context,
    principal: Caseworker,
    within_days: Annotated[int, Query(ge=0, le=92)] = 14,
) -> list[CaseView]:
    """Open requests due within ``within_days`` days (overdue ones too), soonest first."""
    today = context.log.clock().date()
    found = context.subject_requests.nearing_deadline(today, within_days)
    return [_case(r, today) for r in found]


@router.post(
    "/{request_id}/extension",
    response_model=CaseView,
    summary="Extend the deadline with notice",
    responses={409: {"description": "Answered, past the first month, or beyond two months."}},
)
def extend(
    context: Context, principal: Caseworker, request_id: RequestId, body: ExtensionRequest
) -> CaseView:
    """Extend by one or two months (two in all), with the notice the person will see."""
    today = context.log.clock().date()
    try:
        request = context.subject_requests.extend(request_id, body.notice, body.months, today)
    except KeyError:
        raise ProblemError(404, f"no subject access request {request_id}") from None
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    return _case(request, today)


@router.post(
    "/{request_id}/completion",
    response_model=CaseView,
    summary="Mark a request answered",
    responses={409: {"description": "Answered already."}},
)
def complete(context: Context, principal: Caseworker, request_id: RequestId) -> CaseView:
    """Record that the person has been sent their answer today."""
    today = context.log.clock().date()
    try:
        request = context.subject_requests.complete(request_id, today)
    except KeyError:
        raise ProblemError(404, f"no subject access request {request_id}") from None
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    return _case(request, today)
