"""DPOs: the subject access requests to their own agency: nearing deadline, extended, answered.

Each request is addressed to one agency (the data controller); only that agency's DPO lists,
sees, extends or completes it. Another agency's request answers 404, exactly as an unknown id
does, so its existence does not leak; a caller who is not a DPO gets 403. Every refusal, and
every extension and completion, is an s.62 audit record naming the caller, the operation and
the request id (a random UUID), never the person. Only the request's own facts are shown (id,
addressee, status, dates, the extension notice): never the subject reference.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from broker.api.auth import authenticated
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal, Role
from broker.records.subject_requests import SarStatus, SubjectAccessRequest
from broker.transparency.audit import ALTERATION, CONSULTATION, audit_event

__all__ = ["router"]

router = APIRouter(prefix="/subject-access-requests", tags=["subject access requests (DPO)"])

Caller = Annotated[Principal, Depends(authenticated)]
Context = Annotated[ApiContext, Depends(api_context)]
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
RequestId = Annotated[str, Path(pattern=_UUID)]
_LIST_TARGET = "subject-access-requests"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such request addressed to the caller's agency (audited)."}
}
_NOT_DPO: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller is not a DPO (audited)."}
}


class CaseView(BaseModel):
    """A request as the DPO handles it: dates and status only, nothing about the person."""

    request_id: str
    reference: str
    """The human reference the person quotes (``SAR-2026-000123``)."""
    addressee: str
    """The agency the request is addressed to: always the DPO's own."""
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
        reference=request.reference,
        addressee=request.addressee,
        status=request.status,
        received_on=request.received_on,
        due_on=request.due_on,
        days_left=(request.due_on - today).days,
        extension_months=request.extension_months,
        extension_notice=request.extension_notice,
        completed_on=request.completed_on,
    )


def _target(request_id: str) -> str:
    return f"subject-access-request/{request_id}"


def _audit(
    context: ApiContext, principal: Principal, action: str, target: str, **detail: object
) -> None:
    log = context.log
    actor = f"{principal.role.value}:{principal.subject}"
    log.store.append_audit([audit_event(log.clock(), actor, action, target, **detail)])


def _controller(context: ApiContext, principal: Principal, operation: str, target: str) -> str:
    """The DPO caller's agency; a 403, audited, for any other caller."""
    if principal.role is not Role.DPO or principal.agency is None:
        action = CONSULTATION if operation in ("list", "view") else ALTERATION
        _audit(
            context, principal, action, target,
            operation=operation, refused=True, reason="not_a_dpo",
        )  # fmt: skip
        raise ProblemError(403, f"this needs the role dpo, not {principal.role.value}")
    return principal.agency


def _not_addressed(
    context: ApiContext, principal: Principal, action: str, operation: str, request_id: str
) -> ProblemError:
    """Audit a request id unknown or addressed to another agency; the 404 to raise."""
    _audit(
        context, principal, action, _target(request_id),
        operation=operation, refused=True, reason="not_addressee", agency=principal.agency,
    )  # fmt: skip
    return ProblemError(
        404, f"no subject access request {request_id} addressed to {principal.agency}"
    )


@router.get(
    "",
    response_model=list[CaseView],
    summary="Open requests to my agency nearing their deadline",
    responses=_NOT_DPO,
)
def nearing(
    context: Context,
    principal: Caller,
    within_days: Annotated[int, Query(ge=0, le=92)] = 14,
) -> list[CaseView]:
    """Open requests to the caller's agency due within ``within_days`` days (overdue ones
    too), soonest first."""
    agency = _controller(context, principal, "list", _LIST_TARGET)
    today = context.log.clock().date()
    found = context.subject_requests.nearing_deadline(agency, today, within_days)
    return [_case(r, today) for r in found]


@router.get(
    "/{request_id}",
    response_model=CaseView,
    summary="One request to my agency",
    responses={**_NOT_DPO, **_NOT_FOUND},
)
def one(context: Context, principal: Caller, request_id: RequestId) -> CaseView:
    """The request, if it is addressed to the caller's agency."""
    agency = _controller(context, principal, "view", _target(request_id))
    request = context.subject_requests.addressed_to(agency, request_id)
    if request is None:
        raise _not_addressed(context, principal, CONSULTATION, "view", request_id)
    return _case(request, context.log.clock().date())


@router.post(
    "/{request_id}/extension",
    response_model=CaseView,
    summary="Extend the deadline with notice",
    responses={
        **_NOT_DPO,
        **_NOT_FOUND,
        409: {"description": "Answered, past the first month, or beyond two months."},
    },
)
def extend(
    context: Context, principal: Caller, request_id: RequestId, body: ExtensionRequest
) -> CaseView:
    """Extend by one or two months (two in all), with the notice the person will see."""
    agency = _controller(context, principal, "extend", _target(request_id))
    today = context.log.clock().date()
    try:
        request = context.subject_requests.extend(
            agency, request_id, body.notice, body.months, today
        )
    except KeyError:
        raise _not_addressed(context, principal, ALTERATION, "extend", request_id) from None
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    _audit(
        context, principal, ALTERATION, _target(request_id),
        operation="extend", months=body.months, agency=agency,
    )  # fmt: skip
    return _case(request, today)


@router.post(
    "/{request_id}/completion",
    response_model=CaseView,
    summary="Mark a request answered",
    responses={**_NOT_DPO, **_NOT_FOUND, 409: {"description": "Answered already."}},
)
def complete(context: Context, principal: Caller, request_id: RequestId) -> CaseView:
    """Record that the person has been sent their answer today."""
    agency = _controller(context, principal, "complete", _target(request_id))
    today = context.log.clock().date()
    try:
        request = context.subject_requests.complete(agency, request_id, today)
    except KeyError:
        raise _not_addressed(context, principal, ALTERATION, "complete", request_id) from None
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    _audit(context, principal, ALTERATION, _target(request_id), operation="complete", agency=agency)
    return _case(request, today)
