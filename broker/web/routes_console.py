"""The DPO console (first slice): every agreement of the current policy as readable tables.

Signed in like the portal (OpenID Connect, ``broker/web/sign_in_pages.py``) but as a DPO, in
its own cookie (path ``/console``).
Read-only for now: proposing, simulating and approving are API routes only (docs/web.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.api.context import ApiContext, api_context
from broker.api.sentences import Language
from broker.identity.principal import Principal, Role
from broker.web.rendering import render
from broker.web.session import portal_language, validate_role
from broker.web.sign_in_pages import finish_sign_in, sign_in_page, start_sign_in

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "install_console", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

CONSOLE_COOKIE = "iom_console"

Context = Annotated[ApiContext, Depends(api_context)]


class ConsoleSignedOut(Exception):
    """No valid DPO session: the page sends the DPO to sign in."""


def _dpo(context: Context, request: Request) -> Principal:
    principal = validate_role(context, request.cookies.get(CONSOLE_COOKIE, ""), Role.DPO)
    if principal is None:
        raise ConsoleSignedOut
    return principal


Dpo = Annotated[Principal, Depends(_dpo)]


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, context: Context) -> HTMLResponse:
    """The DPO sign-in page: one button that goes to the identity provider."""
    return sign_in_page(request, context, "console")


@router.get("/sign-in/start")
def sign_in_start(request: Request, context: Context) -> Response:
    """Send the DPO to the identity provider (authorization code with PKCE)."""
    return start_sign_in(request, context, "console")


@router.get("/signed-in")
async def signed_in_callback(request: Request, context: Context) -> Response:
    """The redirect URI: on success the DPO's console session starts."""
    return await finish_sign_in(request, context, "console", Role.DPO, CONSOLE_COOKIE)


@router.post("/sign-out")
def sign_out() -> Response:
    """Forget the console cookie."""
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(CONSOLE_COOKIE, path="/console")
    return response


def _term_name(lang: Language) -> Any:
    def term(terms: Any, term_id: str) -> str:
        found = terms.get(term_id)
        if found is None:
            return term_id
        return str(found.name_cy if lang == "cy" else found.name_en)

    return term


@router.get("", response_class=HTMLResponse)
def agreements(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Every agreement: parties, area, version, review date and its rules as a table."""
    lang = portal_language(request)
    policies = context.policies
    vocabulary = context.vocabulary
    return render(
        request,
        lang,
        "agreements.html",
        version=policies.current.version,
        agreements=policies.policy_set.agreements,
        purposes=vocabulary.purposes,
        legal_bases=vocabulary.legal_bases,
        term=_term_name(lang),
    )


async def _signed_out(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/sign-in", status_code=303)


def install_console(app: FastAPI) -> None:
    """Mount the console's pages and its sign-in redirect."""
    app.include_router(router)
    app.add_exception_handler(ConsoleSignedOut, _signed_out)
