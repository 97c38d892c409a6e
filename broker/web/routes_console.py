"""The DPO console: sign in, and every agreement of the current policy as readable tables.

Signed in like the portal (OpenID Connect, ``broker/web/sign_in_pages.py``) but as a DPO, in
its own cookie (path ``/console``). The editor, proposals, simulation, approval queue, history
and area differences are in the other ``routes_console_*`` modules; ``install_console`` mounts
them all.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.identity.principal import Role
from broker.web import (
    routes_console_activation,
    routes_console_areas,
    routes_console_editor,
    routes_console_history,
    routes_console_proposals,
)
from broker.web.console_auth import CONSOLE_COOKIE, ConsoleSignedOut, Context, Dpo
from broker.web.console_pages import console_page
from broker.web.sign_in_pages import finish_sign_in, sign_in_page, start_sign_in

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "install_console", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)


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
        routes_console_activation,
        routes_console_history,
        routes_console_areas,
    ):
        app.include_router(module.router)
    app.add_exception_handler(ConsoleSignedOut, _signed_out)
