"""The console's activation forms: activate an approved proposal now or at a chosen UK time
(each after a confirmation page saying what happens to live sharing, and when), or cancel a
scheduled activation.

Each form goes through the policy administration service, as the API's ``PUT``/``DELETE
/policies/proposals/{id}/activation`` do, so their rules hold here too: only a DPO of an
affected agency, only once every party approved, never when the proposed policy fails a
scenario; and the history and the s.62 audit record who did it. A refusal comes back on the
proposal page, saying why.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext
from broker.http.policy_problems import policy_problem
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.policy_admin.activation_time import activation_time_problem
from broker.policy_admin.errors import PolicyChangeRefused
from broker.policy_admin.scenario_runs import ScenariosFailed
from broker.web.activation_form import FIELDS, ChosenTime, read_chosen_time, uk_time
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.dpo_names import DpoNames
from broker.web.forms import read_form
from broker.web.routes_console_proposals import (
    known_proposal,
    proposal_in_words,
    proposal_page_for,
    proposal_title,
    view_of,
)
from broker.web.session import portal_language

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)


def _refused(
    request: Request, context: ApiContext, dpo: Principal, proposal_id: str, error: ProblemError
) -> HTMLResponse:
    """The proposal page saying why it was refused: not a party, a scenario, or too late."""
    view = view_of(context, proposal_id)
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
    request: Request, context: ApiContext, dpo: Principal, proposal_id: str, at: datetime | None
) -> Response:
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    assert dpo.agency is not None
    now = context.log.clock()
    days = context.settings.activation_horizon_days
    if at is not None and activation_time_problem(at, now, days) is not None:
        return _refused(request, context, dpo, proposal_id, ProblemError(422, "time refused"))
    due = now if at is None else max(at, now)
    try:
        await run_in_threadpool(context.policy_admin.schedule, found, dpo.agency, dpo.subject, due)
    except (PolicyChangeRefused, ScenariosFailed) as error:
        return _refused(request, context, dpo, proposal_id, policy_problem(error))
    if due <= now and context.activator is not None:
        await context.activator.run_due()
    done = "scheduled" if at is not None else "activated"
    return RedirectResponse(f"/console/proposals/{proposal_id}?activation={done}", 303)


def _confirmation(
    request: Request,
    context: ApiContext,
    dpo: Principal,
    proposal_id: str,
    chosen: ChosenTime | None = None,
) -> Response:
    """Are you sure? What activating (now, or at the ``chosen`` time) does to live sharing,
    the change, who approved it."""
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    view = view_of(context, proposal_id)
    page = f"/console/proposals/{proposal_id}"
    if dpo.agency not in view.affected_agencies or view.status != "approved":
        return RedirectResponse(page, status_code=303)
    lang = portal_language(request)
    changes = proposal_in_words(context, found, lang)
    names = DpoNames(context.policies, context.agencies, lang)
    return console_page(
        request,
        context,
        dpo,
        "check_activation.html",
        "queue",
        page_path=f"{page}/activate",
        p=view,
        changes=changes,
        title=proposal_title(changes, view.changed, view.reason),
        person=names.of,
        chosen=chosen,
        scheduling=chosen is not None and chosen.at is not None,
        uk=uk_time,
        fields=FIELDS,
    )


@router.get("/proposals/{proposal_id}/activate", response_class=HTMLResponse)
def confirm_activation(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Are you sure? What activating now does to live sharing, the change, who approved it."""
    return _confirmation(request, context, dpo, proposal_id)


@router.post("/proposals/{proposal_id}/activate", response_class=HTMLResponse)
async def activate_now(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Activate the approved proposal now (it is published to the routers straight away)."""
    if known_proposal(context, proposal_id) is None:
        return not_found(request)
    return await _schedule(request, context, dpo, proposal_id, None)


@router.post("/proposals/{proposal_id}/schedule", response_class=HTMLResponse)
async def schedule(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Activate the approved proposal at the UK date and time typed, once the DPO confirmed it
    on the page that says what happens then; errors on the proposal page."""
    if known_proposal(context, proposal_id) is None:
        return not_found(request)
    days = context.settings.activation_horizon_days
    form = await read_form(request)
    chosen = read_chosen_time(form, context.log.clock(), days)
    if chosen.at is None:
        view = view_of(context, proposal_id)
        return proposal_page_for(request, context, dpo, view, status_code=422, chosen=chosen)
    if form.get("confirm") != "1":
        return _confirmation(request, context, dpo, proposal_id, chosen)
    return await _schedule(request, context, dpo, proposal_id, chosen.at)


@router.post("/proposals/{proposal_id}/cancel-activation", response_class=HTMLResponse)
def cancel(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Cancel the scheduled activation before it happens."""
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    assert dpo.agency is not None
    try:
        context.policy_admin.cancel(found, dpo.agency, dpo.subject)
    except PolicyChangeRefused as error:
        return _refused(request, context, dpo, proposal_id, policy_problem(error))
    return RedirectResponse(f"/console/proposals/{proposal_id}?activation=cancelled", 303)
