"""Supervisees: what was shared about me, newest first, each with a sentence and a receipt.

A supervisee token names exactly one subject; asking for anyone else's is refused (403) and
recorded in the s.62 audit. Refusals, erased entries and entries under an s.45(4) restriction
are left out without trace (see ``broker.supervisee.disclosures``). Every view is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from broker.api.auth import supervisee
from broker.domain.subject_ref_syntax import SUBJECT_REF_PATTERN
from broker.http.context import ApiContext, api_context
from broker.http.language import choose_language
from broker.http.sentences import Language
from broker.identity.principal import Principal
from broker.supervisee.disclosures import (
    Disclosure,
    DisclosurePage,
    disclosure_page,
    own_subject,
    receipt,
)

__all__ = ["router"]

router = APIRouter(tags=["supervisee"])

_AGENCY = r"^[a-z0-9][a-z0-9-]{0,63}$"
_PAGE = r"^[0-9]{1,16}\.[0-9]{1,16}$"
_DISCLOSURE_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

PageSize = Annotated[int, Query(ge=1, le=100, description="Entries per page (at most 100).")]
PageToken = Annotated[str | None, Query(pattern=_PAGE, description="next_page of the last page.")]
AgencyFilter = Annotated[
    str | None, Query(pattern=_AGENCY, description="Only disclosures from or to this agency.")
]
Since = Annotated[date | None, Query(description="Only disclosures on or after this day (UTC).")]
Until = Annotated[date | None, Query(description="Only disclosures on or before this day (UTC).")]
Lang = Annotated[Language | None, Query(description="en or cy; else Accept-Language.")]
AcceptLanguage = Annotated[str | None, Header(max_length=512)]


@router.get("/me/disclosures", response_model=DisclosurePage, summary="What was shared about me")
def my_disclosures(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    page_size: PageSize = 20,
    page: PageToken = None,
    agency: AgencyFilter = None,
    since: Since = None,
    until: Until = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> DisclosurePage:
    """The caller's disclosures, newest first, each with a sentence and its receipt."""
    assert principal.subject_ref is not None
    chosen = choose_language(lang, accept_language)
    response.headers["Content-Language"] = chosen
    return disclosure_page(
        context, principal, principal.subject_ref, chosen, page_size, page, agency, since, until
    )


@router.get(
    "/subjects/{subject_ref}/disclosures",
    response_model=DisclosurePage,
    summary="What was shared about a subject (only your own)",
    responses={403: {"description": "Not the caller's own subject; recorded in the audit."}},
)
def subject_disclosures(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    subject_ref: Annotated[str, Path(pattern=SUBJECT_REF_PATTERN)],
    page_size: PageSize = 20,
    page: PageToken = None,
    agency: AgencyFilter = None,
    since: Since = None,
    until: Until = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> DisclosurePage:
    """Like ``/me/disclosures``, for a named subject reference, which must be the caller's."""
    own = own_subject(context, principal, subject_ref)
    chosen = choose_language(lang, accept_language)
    response.headers["Content-Language"] = chosen
    return disclosure_page(context, principal, own, chosen, page_size, page, agency, since, until)


@router.get(
    "/me/disclosures/{disclosure_id}/receipt",
    response_model=Disclosure,
    summary="One of my disclosures with its receipt",
)
def my_receipt(
    response: Response,
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(supervisee)],
    disclosure_id: Annotated[str, Path(pattern=_DISCLOSURE_ID)],
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> Disclosure:
    """The entry's bytes and a tlog-proof against the latest checkpoint (404 if not yours)."""
    assert principal.subject_ref is not None
    chosen = choose_language(lang, accept_language)
    found = receipt(context, principal, disclosure_id, chosen)
    response.headers["Content-Language"] = chosen
    return found
