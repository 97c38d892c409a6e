"""Supervisees: make a subject access request (DPA 2018 s.45) and follow it to its deadline.

A request is addressed to one agency (the data controller that answers it) or to ``all``: one
request per agency in the registry, each with its own id. The API does not know which
agencies serve the person's area (the cohort lives in Kafka), so ``all`` asks every agency in
the registry; those holding nothing answer so.

A repeat is recognised as the portal recognises it: the same ``Idempotency-Key`` header as
before, or a request to organisations all asked that day and still open, answers ``200`` with
those requests instead of making new ones (``201``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Path, Response

from broker.api.auth import supervisee
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.supervisee.access_requests import (
    ALL_CONTROLLERS,
    SUBMISSION_KEY_PATTERN,
    AddresseeChoice,
    SubjectAccessRequestView,
    request_view,
    requests_of,
    submit_once,
)

__all__ = ["router"]

router = APIRouter(prefix="/me/subject-access-requests", tags=["supervisee"])

_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


@router.post(
    "",
    status_code=201,
    response_model=list[SubjectAccessRequestView],
    summary="Ask one organisation, or all, for a copy of everything held about me",
    responses={
        200: {"description": "A repeat: the requests made before (nothing new was made)."},
        409: {"description": "Too many open requests to one organisation."},
    },
)
def submit(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    choice: Annotated[AddresseeChoice | None, Body()] = None,
    idempotency_key: Annotated[
        str | None,
        Header(
            pattern=SUBMISSION_KEY_PATTERN,
            description="A key of the client's choosing: sending it again returns the "
            "requests it made.",
        ),
    ] = None,
) -> list[SubjectAccessRequestView]:
    """Record requests received today, one per organisation asked (no body: ``all``); each
    answer is due within one calendar month. A repeat (the same ``Idempotency-Key``, or
    organisations all asked today and still open) answers 200 with the earlier requests."""
    addressee = choice.addressee if choice else ALL_CONTROLLERS
    submission = submit_once(context, principal, addressee, idempotency_key)
    made = [request_view(r) for r in submission.requests]
    only = made[0].request_id if len(made) == 1 else ""
    response.headers["Location"] = f"/me/subject-access-requests/{only}".rstrip("/")
    if submission.repeated:
        response.status_code = 200
    return made


@router.get("", response_model=list[SubjectAccessRequestView], summary="My requests")
def mine(
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
) -> list[SubjectAccessRequestView]:
    """The caller's requests, newest first."""
    return requests_of(context, principal)


@router.get("/{request_id}", response_model=SubjectAccessRequestView, summary="One request")
def one(
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    request_id: Annotated[str, Path(pattern=_UUID)],
) -> SubjectAccessRequestView:
    """A request of the caller's (404 for anyone else's)."""
    assert principal.subject_ref is not None
    request = context.subject_requests.get(principal.subject_ref, request_id)
    if request is None:
        raise ProblemError(404, f"no subject access request {request_id} of yours")
    return request_view(request)
