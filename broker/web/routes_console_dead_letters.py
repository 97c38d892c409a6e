"""The console's records turned away: the DPO's own agency's dead letters, reasons in words."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from broker.web.activation_form import uk_time
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)

#: How many of the newest dead letters the page lists.
SHOWN = 100


@router.get("/dead-letters", response_class=HTMLResponse)
async def dead_letters_page(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """The newest records of the DPO's agency the router turned away, and why."""
    notices = None
    if context.dead_letters is not None and dpo.agency is not None:
        try:
            notices = await context.dead_letters(dpo.agency, SHOWN)
        except Exception:
            notices = None
    return console_page(
        request, context, dpo, "dead_letters.html", "dead_letters", notices=notices, uk=uk_time
    )
