"""The DPO console (first slice): every agreement of the current policy as readable tables.

Signed in like the portal but with a DPO token, in its own cookie (path ``/console``).
Read-only for now: proposing, simulating and approving are API routes only (docs/web.md).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.api.context import ApiContext, api_context
from broker.api.sentences import Language
from broker.identity.principal import Principal, Role
from broker.web.rendering import render
from broker.web.session import portal_language, start_session, validate_role

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "install_console", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

CONSOLE_COOKIE = "iom_console"
_MAX_FORM = 16384

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
def sign_in_page(request: Request) -> HTMLResponse:
    """The DPO sign-in form (development: paste a token from ``iom-broker dev token --dpo``)."""
    return render(request, portal_language(request), "sign_in.html", error=False, console=True)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, context: Context) -> Response:
    """Check the DPO's code; on success keep it in the console cookie and show the agreements."""
    body = (await request.body())[:_MAX_FORM].decode("utf-8", "replace")
    token = parse_qs(body, max_num_fields=10).get("token", [""])[0].strip()
    if validate_role(context, token, Role.DPO) is None:
        lang = portal_language(request)
        return render(request, lang, "sign_in.html", status_code=401, error=True, console=True)
    response = RedirectResponse("/console", status_code=303)
    start_session(request, response, token, CONSOLE_COOKIE, "/console")
    return response


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
