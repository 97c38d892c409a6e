"""Supervisees: make a subject access request (DPA 2018 s.45) and follow it to its deadline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel

from broker.api.auth import supervisee
from broker.api.context import ApiContext, api_context
from broker.api.problems import ProblemError
from broker.api.subject_requests import SarStatus, SubjectAccessRequest
from broker.identity.principal import Principal

__all__ = ["router"]

router = APIRouter(prefix="/me/subject-access-requests", tags=["supervisee"])

_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class SubjectAccessRequestView(BaseModel):
    """A request, its status and its statutory deadline."""

    request_id: str
    status: SarStatus
    received_on: date
    due_on: date
    """One calendar month from receipt; up to three months once extended with notice."""
    latest_possible_due_on: date
    extension_notice: str | None
    completed_on: date | None = None
    """When the answer was sent (status ``answered``)."""


def _view(request: SubjectAccessRequest) -> SubjectAccessRequestView:
    return SubjectAccessRequestView(
        request_id=request.request_id,
        status=request.status,
        received_on=request.received_on,
        due_on=request.due_on,
        latest_possible_due_on=request.latest_possible,
        extension_notice=request.extension_notice,
        completed_on=request.completed_on,
    )


def _ref(principal: Principal) -> str:
    assert principal.subject_ref is not None
    return principal.subject_ref


@router.post(
    "",
    status_code=201,
    response_model=SubjectAccessRequestView,
    summary="Ask for a copy of everything held about me",
)
def submit(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
) -> SubjectAccessRequestView:
    """Record a request received today; the answer is due within one calendar month."""
    try:
        request = context.subject_requests.submit(_ref(principal), context.log.clock().date())
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    response.headers["Location"] = f"/me/subject-access-requests/{request.request_id}"
    return _view(request)


@router.get("", response_model=list[SubjectAccessRequestView], summary="My requests")
def mine(
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
) -> list[SubjectAccessRequestView]:
    """The caller's requests, newest first."""
    return [_view(r) for r in context.subject_requests.of_subject(_ref(principal))]


@router.get("/{request_id}", response_model=SubjectAccessRequestView, summary="One request")
def one(
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    request_id: Annotated[str, Path(pattern=_UUID)],
) -> SubjectAccessRequestView:
    """A request of the caller's (404 for anyone else's)."""
    request = context.subject_requests.get(_ref(principal), request_id)
    if request is None:
        raise ProblemError(404, f"no subject access request {request_id} of yours")
    return _view(request)
