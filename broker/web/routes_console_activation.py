"""The console's activation forms: activate an approved proposal now, at a chosen UK time, or
cancel a scheduled activation.

Each form goes through the API's own route (``PUT``/``DELETE /policies/proposals/{id}/
activation``), so its rules hold here too: only a DPO of an affected agency, only once every
party approved, never when the proposed policy fails a scenario; and the history and the s.62
audit record who did it. A refusal comes back on the proposal page, saying why.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.api.routes_policies import ActivationRequest, activate, cancel_activation, proposal
from broker.http.context import ApiContext
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.web.activation_form import read_chosen_time
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import not_found
from broker.web.forms import read_form
from broker.web.routes_console_proposals import known_proposal, proposal_page_for

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)


def _refused(
    request: Request, context: ApiContext, dpo: Principal, proposal_id: str, error: ProblemError
) -> HTMLResponse:
    """The proposal page saying why the API refused: not a party, a scenario, or too late."""
    view = proposal(context, dpo, proposal_id)
    if error.status == 403:
        return proposal_page_for(request, context, dpo, view, 403, not_party=True)
    scenarios = list(error.extra.get("scenarios", []))
    return proposal_page_for(
        request,
        context,
        dpo,
        view,
        status_code=422 if scenarios else 409,
        scenarios=scenarios,
        conflict=not scenarios,
    )


async def _schedule(
    request: Request, context: ApiContext, dpo: Principal, proposal_id: str, body: ActivationRequest
) -> Response:
    try:
        await activate(context, dpo, proposal_id, body)
    except ProblemError as error:
        if error.status == 404:
            return not_found(request)
        return _refused(request, context, dpo, proposal_id, error)
    done = "scheduled" if body.at is not None else "activated"
    return RedirectResponse(f"/console/proposals/{proposal_id}?activation={done}", 303)


@router.post("/proposals/{proposal_id}/activate", response_class=HTMLResponse)
async def activate_now(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Activate the approved proposal now (it is published to the routers straight away)."""
    if known_proposal(context, proposal_id) is None:
        return not_found(request)
    return await _schedule(request, context, dpo, proposal_id, ActivationRequest(at=None))


@router.post("/proposals/{proposal_id}/schedule", response_class=HTMLResponse)
async def schedule(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Activate the approved proposal at the UK date and time typed; errors on the page."""
    if known_proposal(context, proposal_id) is None:
        return not_found(request)
    days = context.settings.activation_horizon_days
    chosen = read_chosen_time(await read_form(request), context.log.clock(), days)
    if chosen.at is None:
        view = proposal(context, dpo, proposal_id)
        return proposal_page_for(request, context, dpo, view, status_code=422, chosen=chosen)
    return await _schedule(request, context, dpo, proposal_id, ActivationRequest(at=chosen.at))


@router.post("/proposals/{proposal_id}/cancel-activation", response_class=HTMLResponse)
def cancel(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Cancel the scheduled activation before it happens."""
    if known_proposal(context, proposal_id) is None:
        return not_found(request)
    try:
        cancel_activation(context, dpo, proposal_id)
    except ProblemError as error:
        return _refused(request, context, dpo, proposal_id, error)
    return RedirectResponse(f"/console/proposals/{proposal_id}?activation=cancelled", 303)
