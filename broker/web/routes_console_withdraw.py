"""The console's withdraw action: the DPO who made a proposal takes it back.

Offered on the proposal page to its proposer until its activation is scheduled; a GOV.UK
"are you sure" page says what withdrawing means before anything is done. The action goes
through the policy administration service (as the API's ``POST /policies/proposals/{id}/
withdrawal``), so the same rules hold and it is recorded in the proposal's history and the
s.62 audit; the proposal then shows as withdrawn and can no longer be approved or activated.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.policy_admin.errors import PolicyChangeRefused
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.routes_console_proposals import (
    can_withdraw,
    known_proposal,
    proposal_in_words,
    proposal_page_for,
    proposal_title,
    view_of,
)
from broker.web.session import portal_language

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/proposals/{proposal_id}/withdraw", response_class=HTMLResponse)
def confirm_withdraw(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Are you sure? What withdrawing means, before anything is done."""
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    view = view_of(context, proposal_id)
    page = f"/console/proposals/{proposal_id}"
    if not can_withdraw(view, dpo):
        return RedirectResponse(page, status_code=303)
    changes = proposal_in_words(context, found, portal_language(request))
    return console_page(
        request,
        context,
        dpo,
        "withdraw.html",
        "queue",
        page_path=f"{page}/withdraw",
        p=view,
        title=proposal_title(changes, view.changed, view.reason),
    )


@router.post("/proposals/{proposal_id}/withdraw", response_class=HTMLResponse)
def withdraw(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Withdraw the proposal; a refusal comes back on the proposal page, saying why."""
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    try:
        context.policy_admin.withdraw(found, dpo.subject)
    except PolicyChangeRefused:
        view = view_of(context, proposal_id)
        return proposal_page_for(request, context, dpo, view, 409, withdraw_refused=True)
    return RedirectResponse(f"/console/proposals/{proposal_id}?withdrawn=1", status_code=303)
