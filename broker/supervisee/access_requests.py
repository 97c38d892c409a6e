"""Subject access requests (DPA 2018 s.45) as a supervisee makes and follows them, for the
JSON API (``/me/subject-access-requests``) and the portal alike."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from broker.http.context import ApiContext
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.records.subject_requests import SarStatus, SubjectAccessRequest, Submission

__all__ = [
    "ALL_CONTROLLERS",
    "SUBMISSION_KEY_PATTERN",
    "AddresseeChoice",
    "SubjectAccessRequestView",
    "addressees",
    "request_by_reference",
    "request_view",
    "requests_of",
    "submit_once",
]

ALL_CONTROLLERS = "all"
"""The addressee meaning every agency in the registry (one request each)."""
SUBMISSION_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
"""A submission key (the portal form's, or the API's ``Idempotency-Key``)."""


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
    reference: str
    """The human reference a person quotes (``SAR-2026-000123``), unique per request."""
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


def request_view(request: SubjectAccessRequest) -> SubjectAccessRequestView:
    return SubjectAccessRequestView(
        request_id=request.request_id,
        reference=request.reference,
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


def submit_once(
    context: ApiContext, principal: Principal, addressee: str, key: str | None = None
) -> Submission:
    """Record requests received today, one per organisation ``addressee`` stands for; 422 when
    it is none, 409 when too many are open. A submission repeating one made today (the same
    submission ``key``, or every service it names already asked today and still open) returns
    those requests instead of new ones."""
    asked = addressees(context, addressee)
    try:
        return context.subject_requests.submit_once(
            _ref(principal), asked, context.log.clock().date(), key
        )
    except ValueError as error:
        raise ProblemError(409, str(error)) from None


def request_by_reference(
    context: ApiContext, principal: Principal, reference: str
) -> SubjectAccessRequest | None:
    """The person's own request with ``reference``; None for anyone else's or an unknown one."""
    return context.subject_requests.by_reference(_ref(principal), reference)


def requests_of(context: ApiContext, principal: Principal) -> list[SubjectAccessRequestView]:
    """The person's requests, newest first."""
    return [request_view(r) for r in context.subject_requests.of_subject(_ref(principal))]
