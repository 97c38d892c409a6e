"""The DPO console: sign in, and the index of the current policy's agreements, in words.

Signed in like the portal (OpenID Connect, ``broker/web/sign_in_pages.py``) but as a DPO or
an oversight member (statistics only), in its own cookie (path ``/console``). The editor,
proposals, simulation, approval queue, history and area differences are in the other
``routes_console_*`` modules; ``install_console`` mounts them all.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import api_context
from broker.web import (
    routes_console_activation,
    routes_console_agreements,
    routes_console_areas,
    routes_console_dead_letters,
    routes_console_editor,
    routes_console_history,
    routes_console_proposals,
    routes_console_rule_form,
    routes_console_statistics,
    routes_console_withdraw,
)
from broker.web.console_auth import (
    CONSOLE_COOKIE,
    CONSOLE_ROLES,
    ConsoleNotForRole,
    ConsoleSignedOut,
    Context,
    Dpo,
)
from broker.web.console_pages import console_page
from broker.web.sign_in_pages import sign_in_routes

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "install_console", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def agreements(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Every agreement: its title, area, parties and review date, each linking to its page."""
    return console_page(
        request,
        context,
        dpo,
        "agreements.html",
        "agreements",
        version=context.policies.current.version,
        cards=routes_console_agreements.agreement_cards(context, request),
    )


async def _signed_out(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/sign-in", status_code=303)


async def _not_for_role(request: Request, exc: Exception) -> Response:
    """An oversight member on a DPO page: their first page is the statistics; elsewhere a
    "not for your role" page (403) pointing there."""
    assert isinstance(exc, ConsoleNotForRole)
    if request.url.path.rstrip("/") == "/console":
        return RedirectResponse("/console/statistics", status_code=303)
    context = api_context(request)
    return console_page(request, context, exc.principal, "not_for_role.html", "", 403)


def install_console(app: FastAPI) -> None:
    """Mount the console's pages and its sign-in redirect."""
    app.include_router(sign_in_routes("console", CONSOLE_ROLES))
    app.include_router(router)
    for module in (
        routes_console_agreements,
        routes_console_editor,
        routes_console_rule_form,
        routes_console_proposals,
        routes_console_activation,
        routes_console_withdraw,
        routes_console_history,
        routes_console_dead_letters,
        routes_console_statistics,
        routes_console_areas,
    ):
        app.include_router(module.router)
    app.add_exception_handler(ConsoleSignedOut, _signed_out)
    app.add_exception_handler(ConsoleNotForRole, _not_for_role)
