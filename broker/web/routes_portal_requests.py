"""Subject access requests in the portal: ask, see the confirmation, read the answer.

A request asks one service (agency) of the registry, or all of them (one request each, as the
API's ``all``); "all services" is chosen unless the person picks one. Each request has a human
reference (``SAR-2026-000123``). Sending the same choice again the same day (a double click, a
second try) makes nothing new: the page says so and shows the first requests' references.
Once a service's DPO has marked its request answered, the person reads the log's part of the
answer (:mod:`broker.supervisee.access_answers`) and downloads it as a bilingual bundle.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.http.sentences import Language, agency_name
from broker.identity.principal import Principal
from broker.records.sar_references import is_reference
from broker.records.subject_requests import SarStatus, SubjectAccessRequest
from broker.supervisee.access_answers import answer_entries
from broker.supervisee.access_requests import (
    ALL_CONTROLLERS,
    request_by_reference,
    requests_of,
    submit_once,
)
from broker.web.answer_bundle import answer_zip
from broker.web.forms import read_form
from broker.web.rendering import render
from broker.web.session import portal_language, signed_in

__all__ = ["agencies_by_name", "router"]

router = APIRouter(prefix="/portal/subject-access-requests", include_in_schema=False)

Context = Annotated[ApiContext, Depends(api_context)]
_MAX_SHOWN = 20
"""At most this many references are read back from the confirmation's address."""


async def _person(context: Context, request: Request) -> Principal:
    return await signed_in(context, request)


Person = Annotated[Principal, Depends(_person)]


def agencies_by_name(context: ApiContext, lang: Language) -> list[tuple[str, str]]:
    """``(agency id, name in lang)`` for every agency of the registry, by name."""
    return sorted(
        ((a.agency_id, agency_name(context.agencies, a.agency_id, lang)) for a in context.agencies),
        key=lambda pair: pair[1],
    )


def _own(context: ApiContext, person: Principal, value: str | None) -> list[SubjectAccessRequest]:
    """The person's own requests named in a comma-separated list of references."""
    found = []
    for reference in (value or "").split(",")[:_MAX_SHOWN]:
        if is_reference(reference):
            request = request_by_reference(context, person, reference)
            if request is not None:
                found.append(request)
    return found


@router.get("", response_class=HTMLResponse)
def requests_page(request: Request, context: Context, person: Person) -> HTMLResponse:
    """The form, the person's requests with reference, status, deadline and answer; after a
    submission, the confirmation (references and deadlines) at the top."""
    made = _own(context, person, request.query_params.get("made"))
    repeated = _own(context, person, request.query_params.get("repeated"))
    return _requests_page(request, context, person, made=made or repeated, repeated=bool(repeated))


@router.post("")
async def make_request(request: Request, context: Context, person: Person) -> Response:
    """Record a request to the chosen service (or one to each) received today, unless the
    same was asked today; a choice that is not a service of the registry shows the form
    again with an error."""
    chosen = (await read_form(request)).get("addressee") or ALL_CONTROLLERS
    if chosen != ALL_CONTROLLERS and chosen not in context.agencies:
        return _requests_page(request, context, person, choice_error=True)
    try:
        submission = submit_once(context, person, chosen)
    except ProblemError:
        return RedirectResponse("/portal/subject-access-requests", status_code=303)
    key = "repeated" if submission.repeated else "made"
    references = ",".join(r.reference for r in submission.requests)
    return RedirectResponse(f"/portal/subject-access-requests?{key}={references}", status_code=303)


def _requests_page(
    request: Request,
    context: ApiContext,
    person: Principal,
    made: list[SubjectAccessRequest] | None = None,
    repeated: bool = False,
    choice_error: bool = False,
) -> HTMLResponse:
    lang = portal_language(request)
    agencies = agencies_by_name(context, lang)
    return render(
        request,
        lang,
        "requests.html",
        status_code=400 if choice_error else 200,
        page_path="/portal/subject-access-requests" if choice_error else None,
        requests=requests_of(context, person),
        made=made or [],
        repeated=repeated,
        agencies=agencies,
        agency_names=dict(agencies),
        all_controllers=ALL_CONTROLLERS,
        choice_error=choice_error,
    )


def _answered(
    context: ApiContext, person: Principal, reference: str
) -> SubjectAccessRequest | None:
    if not is_reference(reference):
        return None
    found = request_by_reference(context, person, reference)
    return found if found is not None and found.status is SarStatus.ANSWERED else None


def _not_found(request: Request) -> HTMLResponse:
    return render(request, portal_language(request), "not_found.html", status_code=404)


@router.get("/{reference}/answer", response_class=HTMLResponse)
def answer_page(request: Request, context: Context, person: Person, reference: str) -> HTMLResponse:
    """The log's part of an answered request: each entry in words, with its receipt link;
    "Page not found" for an unanswered, unknown or someone else's request."""
    found = _answered(context, person, reference)
    if found is None:
        return _not_found(request)
    lang = portal_language(request)
    return render(
        request,
        lang,
        "answer.html",
        answered=found,
        agency=agency_name(context.agencies, found.addressee, lang),
        items=answer_entries(context, person, found, lang),
    )


@router.get("/{reference}/answer.zip")
def answer_download(request: Request, context: Context, person: Person, reference: str) -> Response:
    """The answer as a ZIP file: the page in English and Welsh, and each entry's receipt."""
    found = _answered(context, person, reference)
    if found is None:
        return _not_found(request)
    body = answer_zip(
        found,
        {lang: agency_name(context.agencies, found.addressee, lang) for lang in ("en", "cy")},
        {lang: answer_entries(context, person, found, lang) for lang in ("en", "cy")},
        context.log.verifier.vkey,
    )
    return Response(
        body,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="answer-{found.reference}.zip"',
            "Cache-Control": "no-store",
        },
    )
