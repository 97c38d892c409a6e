"""The portal's information pages, open without signing in and linked from every footer:
your rights, who holds your information (each agency's DPO), privacy notice, accessibility
statement and cookies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from broker.domain.agency import Agency
from broker.http.context import ApiContext, api_context
from broker.http.sentences import Language, agency_name
from broker.web.cookie_list import site_cookies
from broker.web.rendering import render
from broker.web.session import portal_language
from broker.web.signed_in_session import has_session

__all__ = ["dpo_title", "router"]

router = APIRouter(prefix="/portal", include_in_schema=False)

Context = Annotated[ApiContext, Depends(api_context)]


def _page(request: Request, context: ApiContext, template: str, **values: Any) -> HTMLResponse:
    """``template`` with sign-out shown to a signed-in person."""
    lang = portal_language(request)
    signed_in = has_session(context, request, "portal")
    return render(request, lang, template, signed_in=signed_in, **values)


def dpo_title(agency: Agency, name: str, lang: Language) -> str:
    """The DPO's role as the page names it: the registry's title in English; in Welsh, the
    role followed by the agency's name (its article lower-case mid-sentence)."""
    if agency.dpo is not None and lang == "en":
        return agency.dpo.name
    for article in ("Y ", "Yr "):
        if name.startswith(article):
            name = article.lower() + name[len(article) :]
    return f"Swyddog Diogelu Data {name}" if lang == "cy" else f"{name} Data Protection Officer"


@router.get("/rights", response_class=HTMLResponse)
def rights(request: Request, context: Context) -> HTMLResponse:
    """What each right means under law-enforcement processing, and how to complain."""
    return _page(request, context, "info_rights.html")


@router.get("/who-holds-your-information", response_class=HTMLResponse)
def holders(request: Request, context: Context) -> HTMLResponse:
    """Each agency of the registry with its data protection officer's contact."""
    lang = portal_language(request)
    named = [(agency_name(context.agencies, a.agency_id, lang), a) for a in context.agencies]
    agencies = sorted(
        ((name, agency, dpo_title(agency, name, lang)) for name, agency in named),
        key=lambda row: row[0],
    )
    return _page(request, context, "info_holders.html", agencies=agencies)


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request, context: Context) -> HTMLResponse:
    """The privacy notice of this website."""
    return _page(request, context, "info_privacy.html")


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility(request: Request, context: Context) -> HTMLResponse:
    """The accessibility statement (WCAG 2.2 AA: partly meets it, and why)."""
    return _page(request, context, "info_accessibility.html")


@router.get("/cookies", response_class=HTMLResponse)
def cookies(request: Request, context: Context) -> HTMLResponse:
    """The cookies this website sets: essential ones only."""
    return _page(request, context, "info_cookies.html", cookies=site_cookies(request))
