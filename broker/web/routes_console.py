"""The DPO console: sign in, and every agreement of the current policy as readable tables.

Signed in like the portal but with a DPO token, in its own cookie (path ``/console``). The
editor, proposals, simulation, approval queue, history and area differences are in the other
``routes_console_*`` modules; ``install_console`` mounts them all.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.identity.principal import Role
from broker.web import (
    routes_console_areas,
    routes_console_editor,
    routes_console_history,
    routes_console_proposals,
)
from broker.web.console_auth import CONSOLE_COOKIE, ConsoleSignedOut, Context, Dpo
from broker.web.console_pages import console_page
from broker.web.forms import read_form
from broker.web.rendering import render
from broker.web.session import portal_language, start_session, validate_role

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "install_console", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> HTMLResponse:
    """The DPO sign-in form (development: paste a token from ``iom-broker dev token --dpo``)."""
    return render(request, portal_language(request), "sign_in.html", error=False, console=True)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, context: Context) -> Response:
    """Check the DPO's code; on success keep it in the console cookie and show the agreements."""
    token = (await read_form(request)).get("token", "").strip()
    principal = validate_role(context, token, Role.DPO)
    if principal is None or principal.agency is None:
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


@router.get("", response_class=HTMLResponse)
def agreements(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Every agreement: parties, area, version, review date and its rules as a table."""
    policies = context.policies
    return console_page(
        request,
        context,
        dpo,
        "agreements.html",
        "agreements",
        version=policies.current.version,
        agreements=policies.policy_set.agreements,
    )


async def _signed_out(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/sign-in", status_code=303)


def install_console(app: FastAPI) -> None:
    """Mount the console's pages and its sign-in redirect."""
    app.include_router(router)
    for module in (
        routes_console_editor,
        routes_console_proposals,
        routes_console_history,
        routes_console_areas,
    ):
        app.include_router(module.router)
    app.add_exception_handler(ConsoleSignedOut, _signed_out)
