"""The supervisee portal: sign in, the timeline of what was shared, receipts, SAR requests.

A subject access request asks one service (agency) of the registry, or all of them (one request
each, as the API's ``all``); "all services" is chosen unless the person picks one.

Pages answer from the same supervisee services as the API (:mod:`broker.supervisee`), so the
portal shows exactly what ``/me/...`` answers:
only the signed-in person's own entries, with the same sentences, receipts and audit records.
No page takes a subject reference: there is nothing in a URL to change to see someone else.
"""

from __future__ import annotations

import json
import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.http.sentences import Language, agency_name, long_date
from broker.http.welsh_mutation import after_preposition
from broker.identity.principal import Principal, Role
from broker.supervisee.access_requests import ALL_CONTROLLERS, requests_of, submit_requests
from broker.supervisee.disclosures import agencies_in_log, disclosure_page
from broker.supervisee.disclosures import receipt as entry_receipt
from broker.web.date_filter import DateRange, read_date_range
from broker.web.forms import read_form
from broker.web.rendering import render
from broker.web.session import (
    SESSION_COOKIE,
    RateLimited,
    SignedOut,
    portal_language,
    signed_in,
)
from broker.web.sign_in_pages import sign_in_routes
from broker.web.texts import texts
from broker.web.timeline_days import by_day, cursor_param, page_token

__all__ = ["install_portal", "router"]

router = APIRouter(prefix="/portal", include_in_schema=False)

_AGENCY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_DISCLOSURE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PAGE_SIZE = 10

Context = Annotated[ApiContext, Depends(api_context)]


def _person(context: Context, request: Request) -> Principal:
    return signed_in(context, request)


Person = Annotated[Principal, Depends(_person)]


@router.get("", response_class=HTMLResponse)
def timeline(request: Request, context: Context, person: Person) -> HTMLResponse:
    """What was shared about the signed-in person, newest first, ten a page, grouped by day
    in UK time; filtered by the organisation that shared ("From") or received ("To") it and
    by date range (GOV.UK date inputs; a wrong date shows an error and the unfiltered list)."""
    lang = portal_language(request)
    assert person.subject_ref is not None
    ref = person.subject_ref
    present = agencies_in_log(context, ref)
    source = _agency_param(request, "from-org", present["from"])
    recipient = _agency_param(request, "to-org", present["to"])
    agency = _agency_param(request, "agency", present["from"] | present["to"])
    page = page_token(request.query_params.get("before"))
    dates = read_date_range(request.query_params)
    try:
        shown = disclosure_page(
            context,
            person,
            ref,
            lang,
            _PAGE_SIZE,
            page,
            agency,
            dates.since,
            dates.until,
            source,
            recipient,
        )
    except ProblemError:
        page = None
        shown = disclosure_page(
            context,
            person,
            ref,
            lang,
            _PAGE_SIZE,
            None,
            agency,
            dates.since,
            dates.until,
            source,
            recipient,
        )
    names = dict(_agencies_by_name(context, lang))
    kept = [("agency", agency)] if agency else []
    kept += [("from-org", source)] if source else []
    kept += [("to-org", recipient)] if recipient else []
    kept += dates.query
    return render(
        request,
        lang,
        "timeline.html",
        status_code=400 if dates.errors else 200,
        items=shown.items,
        days=by_day(shown.items),
        next_page=cursor_param(shown.next_page),
        paged=page is not None,
        agency=agency,
        source=source,
        recipient=recipient,
        filter_words=_filter_words(lang, names, agency, source, recipient, dates),
        agency_names=names,
        senders=sorted(((a, names.get(a, a)) for a in present["from"]), key=lambda p: p[1]),
        receivers=sorted(((a, names.get(a, a)) for a in present["to"]), key=lambda p: p[1]),
        dates=dates,
        filter_query=urlencode(kept),
    )


def _filter_words(
    lang: Language,
    names: dict[str, str],
    agency: str | None,
    source: str | None,
    recipient: str | None,
    dates: DateRange,
) -> list[str]:
    """Each chosen filter in words ("from Gwent Police", "on or after 9 January 2025")."""
    t = texts(lang)
    cy = lang == "cy"

    def name(agency_id: str, preposition: str) -> str:
        text = names.get(agency_id, agency_id)
        return after_preposition(preposition, text) if cy else text

    words = []
    if agency:
        words.append(t["filter_agency"].format(name=name(agency, "wrth")))
    if source:
        words.append(t["filter_from"].format(name=name(source, "wrth")))
    if recipient:
        words.append(t["filter_to"].format(name=name(recipient, "at")))
    if dates.since:
        words.append(t["filter_since"].format(date=long_date(dates.since, lang)))
    if dates.until:
        words.append(t["filter_until"].format(date=long_date(dates.until, lang)))
    return words


def _agency_param(request: Request, name: str, allowed: set[str]) -> str | None:
    """An agency id from the query when it is well formed and in the person's log."""
    value = request.query_params.get(name) or None
    return value if value and _AGENCY.match(value) and value in allowed else None


@router.get("/receipts/{disclosure_id}")
def receipt(request: Request, context: Context, person: Person, disclosure_id: str) -> Response:
    """One entry's receipt as a JSON file (entry bytes and tlog-proof); 404 if not yours."""
    lang = portal_language(request)
    if not _DISCLOSURE_ID.match(disclosure_id):
        return _not_found(request)
    try:
        found = entry_receipt(context, person, disclosure_id, lang)
    except ProblemError:
        return _not_found(request)
    body = json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="receipt-{disclosure_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/subject-access-requests", response_class=HTMLResponse)
def requests_page(request: Request, context: Context, person: Person) -> HTMLResponse:
    """The person's subject access requests, their status and deadline, and the form."""
    made = request.query_params.get("made") == "1"
    return _requests_page(request, context, person, made=made)


@router.post("/subject-access-requests")
async def make_request(request: Request, context: Context, person: Person) -> Response:
    """Record a request to the chosen service (or one to each) received today; a choice that
    is not a service of the registry shows the form again with an error."""
    chosen = (await read_form(request)).get("addressee") or ALL_CONTROLLERS
    if chosen != ALL_CONTROLLERS and chosen not in context.agencies:
        return _requests_page(request, context, person, choice_error=True)
    try:
        submit_requests(context, person, chosen)
    except ProblemError:
        return RedirectResponse("/portal/subject-access-requests", status_code=303)
    return RedirectResponse("/portal/subject-access-requests?made=1", status_code=303)


def _requests_page(
    request: Request,
    context: ApiContext,
    person: Principal,
    made: bool = False,
    choice_error: bool = False,
) -> HTMLResponse:
    lang = portal_language(request)
    agencies = _agencies_by_name(context, lang)
    return render(
        request,
        lang,
        "requests.html",
        status_code=400 if choice_error else 200,
        page_path="/portal/subject-access-requests" if choice_error else None,
        requests=requests_of(context, person),
        made=made,
        agencies=agencies,
        agency_names=dict(agencies),
        all_controllers=ALL_CONTROLLERS,
        choice_error=choice_error,
    )


def _agencies_by_name(context: ApiContext, lang: Language) -> list[tuple[str, str]]:
    """``(agency id, name in lang)`` for every agency of the registry, by name."""
    return sorted(
        ((a.agency_id, agency_name(context.agencies, a.agency_id, lang)) for a in context.agencies),
        key=lambda pair: pair[1],
    )


def _not_found(request: Request) -> HTMLResponse:
    return render(request, portal_language(request), "not_found.html", status_code=404)


async def _signed_out(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/portal/sign-in", status_code=303)


async def _rate_limited(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimited)
    response = render(request, portal_language(request), "too_many.html", status_code=429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def install_portal(app: FastAPI) -> None:
    """Mount the portal's pages and its sign-in redirect and rate-limit pages."""
    app.include_router(sign_in_routes("portal", Role.SUPERVISEE, SESSION_COOKIE))
    app.include_router(router)
    app.add_exception_handler(SignedOut, _signed_out)
    app.add_exception_handler(RateLimited, _rate_limited)
