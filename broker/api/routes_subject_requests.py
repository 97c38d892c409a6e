"""Supervisees: make a subject access request (DPA 2018 s.45) and follow it to its deadline.

A request is addressed to one agency (the data controller that answers it) or to ``all``: one
request per agency in the registry, each with its own id. The API does not know which
agencies serve the person's area (the cohort lives in Kafka), so ``all`` asks every agency in
the registry; those holding nothing answer so.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response
from pydantic import BaseModel, Field

from broker.api.auth import supervisee
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.records.subject_requests import SarStatus, SubjectAccessRequest

__all__ = ["ALL_CONTROLLERS", "AddresseeChoice", "addressees", "router"]

router = APIRouter(prefix="/me/subject-access-requests", tags=["supervisee"])

_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ALL_CONTROLLERS = "all"
"""The addressee meaning every agency in the registry (one request each)."""


class AddresseeChoice(BaseModel):
    """Which organisation to ask: an agency id from the registry, or ``all``."""

    addressee: str = Field(
        ALL_CONTROLLERS,
        pattern=r"^[a-z0-9][a-z0-9-]{0,63}$",
        description="An agency id (see the registry) or 'all' (one request per agency).",
    )


class SubjectAccessRequestView(BaseModel):
    """A request, its status and its statutory deadline."""

    request_id: str
    addressee: str
    """The agency (data controller) that answers this request."""
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
        addressee=request.addressee,
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


def addressees(context: ApiContext, addressee: str) -> list[str]:
    """The agency ids ``addressee`` stands for; a 422 naming it when it is none of them."""
    if addressee == ALL_CONTROLLERS:
        return [agency.agency_id for agency in context.agencies]
    if addressee not in context.agencies:
        raise ProblemError(
            422, f"body.addressee: {addressee!r} is not an agency in the registry, nor 'all'"
        )
    return [addressee]


@router.post(
    "",
    status_code=201,
    response_model=list[SubjectAccessRequestView],
    summary="Ask one organisation, or all, for a copy of everything held about me",
    responses={409: {"description": "Too many open requests to one organisation."}},
)
def submit(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    choice: Annotated[AddresseeChoice | None, Body()] = None,
) -> list[SubjectAccessRequestView]:
    """Record requests received today, one per organisation asked (no body: ``all``); each
    answer is due within one calendar month."""
    asked = addressees(context, choice.addressee if choice else ALL_CONTROLLERS)
    try:
        made = context.subject_requests.submit(_ref(principal), asked, context.log.clock().date())
    except ValueError as error:
        raise ProblemError(409, str(error)) from None
    only = made[0].request_id if len(made) == 1 else ""
    response.headers["Location"] = f"/me/subject-access-requests/{only}".rstrip("/")
    return [_view(r) for r in made]


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
