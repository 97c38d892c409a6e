"""Subject access requests in the portal: choose, check, send, see the confirmation, read the
answer.

A request asks one service (agency) of the registry, or all of them (one request each, as the
API's ``all``); "all services" is chosen unless the person picks one. The choice is checked on
its own page (GOV.UK "check answers") before "Send request", whose form carries a fresh
submission key: sending that form again (a double click, the back button) returns the
requests it made. Sending the same choice again the same day makes nothing new either. Each
request has a human reference (``SAR-2026-000123``), shown on a confirmation page. Once a
service's DPO has marked its request answered, the person reads the log's part of the answer
(:mod:`broker.supervisee.access_answers`) and downloads it as a bilingual bundle.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.http.sentences import Language, agency_name, long_date
from broker.http.welsh_mutation import after_preposition
from broker.identity.principal import Principal
from broker.records.sar_references import is_reference
from broker.records.subject_requests import SarStatus, SubjectAccessRequest, statutory_deadline
from broker.supervisee.access_answers import answer_entries
from broker.supervisee.access_requests import (
    ALL_CONTROLLERS,
    SUBMISSION_KEY_PATTERN,
    request_by_reference,
    requests_of,
    submit_once,
)
from broker.web.answer_bundle import answer_zip
from broker.web.forms import read_form
from broker.web.rendering import render
from broker.web.session import portal_language, signed_in
from broker.web.texts import texts

__all__ = ["agencies_by_name", "router"]

router = APIRouter(prefix="/portal/subject-access-requests", include_in_schema=False)

Context = Annotated[ApiContext, Depends(api_context)]
_MAX_SHOWN = 20
"""At most this many references are read back from the confirmation's address."""
_SUBMISSION_KEY = re.compile(SUBMISSION_KEY_PATTERN)
_PATH = "/portal/subject-access-requests"


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
    """The question (which service to ask; "Continue" goes to the check page) and the
    person's requests with reference, status, deadline and answer."""
    return _requests_page(request, context, person, request.query_params.get("addressee"))


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, context: Context, person: Person) -> HTMLResponse:
    """Check your request before sending it: who is asked (with "Change"), for what, by when;
    "Send request" posts it with a fresh submission key. An unknown service: the question
    again with an error."""
    chosen = request.query_params.get("addressee") or ALL_CONTROLLERS
    if not _known(context, chosen):
        return _requests_page(request, context, person, choice_error=True)
    lang = portal_language(request)
    return render(
        request,
        lang,
        "check_request.html",
        addressee=chosen,
        asking=dict(agencies_by_name(context, lang)).get(chosen),
        due_on=statutory_deadline(context.log.clock().date()),
        submission_key=secrets.token_urlsafe(24),
    )


@router.post("")
async def make_request(request: Request, context: Context, person: Person) -> Response:
    """Record a request to the chosen service (or one to each) received today, unless this
    form was sent before or the same was asked today; then the confirmation page."""
    form = await read_form(request)
    chosen = form.get("addressee") or ALL_CONTROLLERS
    if not _known(context, chosen):
        return _requests_page(request, context, person, choice_error=True)
    key = form.get("submission_key", "")
    try:
        submission = submit_once(
            context, person, chosen, key if _SUBMISSION_KEY.match(key) else None
        )
    except ProblemError:
        return RedirectResponse(_PATH, status_code=303)
    which = "repeated" if submission.repeated else "made"
    references = ",".join(r.reference for r in submission.requests)
    return RedirectResponse(f"{_PATH}/sent?{which}={references}", status_code=303)


@router.get("/sent", response_class=HTMLResponse)
def sent_page(request: Request, context: Context, person: Person) -> Response:
    """The confirmation: each request's reference and deadline, or that it was asked already
    today; the requests page when the address names none of the person's requests."""
    made = _own(context, person, request.query_params.get("made"))
    repeated = _own(context, person, request.query_params.get("repeated"))
    if not made and not repeated:
        return RedirectResponse(_PATH, status_code=303)
    lang = portal_language(request)
    names = dict(agencies_by_name(context, lang))
    deadlines = [(r.reference, _must_answer(r, names, lang)) for r in made or repeated]
    return render(request, lang, "request_sent.html", deadlines=deadlines, repeated=bool(repeated))


def _must_answer(request: SubjectAccessRequest, names: dict[str, str], lang: Language) -> str:
    """ "Gwent Police must answer by 6 February 2025." ("Rhaid i Heddlu Gwent ateb erbyn …")"""
    name = names.get(request.addressee, request.addressee)
    agency = after_preposition("i", name) if lang == "cy" else name
    return texts(lang)["sar_must_answer"].format(
        agency=agency, date=long_date(request.due_on, lang)
    )


def _known(context: ApiContext, chosen: str) -> bool:
    return chosen == ALL_CONTROLLERS or chosen in context.agencies


def _requests_page(
    request: Request,
    context: ApiContext,
    person: Principal,
    chosen: str | None = None,
    choice_error: bool = False,
) -> HTMLResponse:
    lang = portal_language(request)
    agencies = agencies_by_name(context, lang)
    return render(
        request,
        lang,
        "requests.html",
        status_code=400 if choice_error else 200,
        page_path=_PATH if choice_error else None,
        requests=requests_of(context, person),
        chosen=chosen if chosen in dict(agencies) else ALL_CONTROLLERS,
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
