"""The supervisee portal: sign in, the timeline of what was shared; receipts, subject access
requests and the information pages are in their own ``routes_portal_*`` modules.

Pages answer from the same supervisee services as the API (:mod:`broker.supervisee`), so the
portal shows exactly what ``/me/...`` answers:
only the signed-in person's own entries, with the same sentences, receipts and audit records.
No page takes a subject reference: there is nothing in a URL to change to see someone else.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.http.sentences import Language, long_date
from broker.http.welsh_mutation import after_preposition
from broker.identity.principal import Principal, Role
from broker.supervisee.disclosures import (
    TimelineFilter,
    agencies_in_log,
    disclosure_page,
    newer_page,
)
from broker.web.date_filter import DateRange, read_date_range
from broker.web.rendering import render
from broker.web.routes_portal_info import router as info_router
from broker.web.routes_portal_receipts import router as receipts_router
from broker.web.routes_portal_requests import agencies_by_name
from broker.web.routes_portal_requests import router as requests_router
from broker.web.session import (
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
_PAGE_SIZE = 10

Context = Annotated[ApiContext, Depends(api_context)]


async def _person(context: Context, request: Request) -> Principal:
    return await signed_in(context, request)


Person = Annotated[Principal, Depends(_person)]


@router.get("", response_class=HTMLResponse)
def timeline(request: Request, context: Context, person: Person) -> HTMLResponse:
    """What was shared about the signed-in person, newest first, ten a page ("Newer entries",
    "Older entries"), grouped by day in UK time; filtered by the organisation that shared
    ("From") or received ("To") it and by date range (GOV.UK date inputs; a wrong date shows
    an error and the unfiltered list)."""
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
    wanted = TimelineFilter(agency, dates.since, dates.until, source, recipient)
    newer = newer_page(context, ref, _PAGE_SIZE, page, wanted)
    names = dict(agencies_by_name(context, lang))
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
        newer_page=None if newer is None else cursor_param(newer) or "",
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


async def _signed_out(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/portal/sign-in", status_code=303)


async def _rate_limited(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimited)
    response = render(request, portal_language(request), "too_many.html", status_code=429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def install_portal(app: FastAPI) -> None:
    """Mount the portal's pages and its sign-in redirect and rate-limit pages."""
    app.include_router(sign_in_routes("portal", (Role.SUPERVISEE,)))
    app.include_router(router)
    app.include_router(info_router)
    app.include_router(receipts_router)
    app.include_router(requests_router)
    app.add_exception_handler(SignedOut, _signed_out)
    app.add_exception_handler(RateLimited, _rate_limited)
