"""The console's proposals: the approval queue, one proposal with its progress (a GOV.UK task
list), approving it after a check-answers page, and the simulation of what it would change.

Approving goes through the policy administration service, as the API does, so its rules hold
here too: a DPO approves only for their own agency, which must be a party to the change, and
the proposer alone never suffices.
"""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.domain.event import Event
from broker.http.context import ApiContext
from broker.http.sentences import Language
from broker.identity.principal import Principal
from broker.policy.change_in_words import AgreementInWords, change_in_words
from broker.policy.problems import PolicyError
from broker.policy_admin.errors import NotAParty, UnknownProposal
from broker.policy_admin.synthetic_traffic import SyntheticRun, synthetic_run
from broker.policy_admin.traffic_replay import replay
from broker.policy_admin.views import ProposalView, proposal_view
from broker.policy_admin.workspace import Proposal
from broker.web.activation_form import ChosenTime, uk_time
from broker.web.changed_flows import ChangedFlow, changed_flows
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.dpo_names import DpoNames
from broker.web.proposal_progress import proposal_tasks
from broker.web.session import portal_language

__all__ = [
    "WITHDRAWABLE",
    "can_withdraw",
    "known_proposal",
    "proposal_in_words",
    "proposal_page_for",
    "proposal_title",
    "router",
    "view_of",
]

router = APIRouter(prefix="/console", include_in_schema=False)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def known_proposal(context: ApiContext, proposal_id: str) -> Proposal | None:
    """The proposal ``proposal_id`` names, if it is a well-formed id of one that exists."""
    return context.policies.get(proposal_id) if _UUID.match(proposal_id) else None


def view_of(context: ApiContext, proposal_id: str) -> ProposalView:
    """The proposal as the API's ``GET /policies/proposals/{id}`` shows it; UnknownProposal."""
    return proposal_view(context.policies, context.policy_admin.proposal(proposal_id))


def proposal_in_words(
    context: ApiContext, proposal: Proposal, lang: Language
) -> tuple[AgreementInWords, ...]:
    """What ``proposal`` changes against the current policy, rule by rule, in ``lang``."""
    current = context.policies.policy_set
    return change_in_words(current, proposal.compiled.policy, context.agencies, lang)


def proposal_title(changes: tuple[AgreementInWords, ...], changed: list[str], reason: str) -> str:
    """A proposal's title: the changed agreements' titles and the proposer's reason."""
    titles = "; ".join(a.title for a in changes) or ", ".join(changed)
    return f"{titles}: {reason}" if reason else titles


def _open_views(context: ApiContext, dpo: Principal) -> list[ProposalView]:
    views = [proposal_view(context.policies, p) for p in context.policies.proposals()]
    return [v for v in views if v.status == "awaiting_approval"]


@router.get("/proposals", response_class=HTMLResponse)
def queue(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Open proposals waiting for this DPO's agency, then the other open ones."""
    open_views = _open_views(context, dpo)
    mine = [
        v for v in open_views if dpo.agency in v.affected_agencies and dpo.agency not in v.approvals
    ]
    others = [v for v in open_views if v not in mine]
    lang = portal_language(request)
    names = DpoNames(context.policies, context.agencies, lang)
    titles = {}
    for view in open_views:
        found = context.policies.get(view.proposal_id)
        changes = () if found is None else proposal_in_words(context, found, lang)
        titles[view.proposal_id] = proposal_title(changes, view.changed, view.reason)
    return console_page(
        request,
        context,
        dpo,
        "queue.html",
        "queue",
        mine=mine,
        others=others,
        titles=titles,
        person=names.of,
        uk=uk_time,
    )


_BANNERS = ("scheduled", "activated", "cancelled")
WITHDRAWABLE = ("awaiting_approval", "approved", "outdated")
"""The states a proposal can be withdrawn from (a scheduled one is cancelled instead)."""


def can_withdraw(view: ProposalView, dpo: Principal) -> bool:
    """``dpo`` made the proposal and it is not scheduled, activated or withdrawn yet."""
    return dpo.subject == view.proposer and view.status in WITHDRAWABLE


def proposal_page_for(
    request: Request,
    context: ApiContext,
    dpo: Principal,
    view: ProposalView,
    status_code: int = 200,
    refused: bool = False,
    chosen: ChosenTime | None = None,
    **extra: Any,
) -> HTMLResponse:
    """The proposal page; a form answered here passes what was typed and what went wrong."""
    waiting = [a for a in view.affected_agencies if a not in view.approvals]
    only_proposer = not waiting and view.status == "awaiting_approval"
    party = dpo.agency in view.affected_agencies
    activation = view.activation
    banner = request.query_params.get("activation", "")
    found = context.policies.get(view.proposal_id)
    lang = portal_language(request)
    changes = () if found is None else proposal_in_words(context, found, lang)
    names = DpoNames(context.policies, context.agencies, lang)
    assert dpo.agency is not None
    return console_page(
        request,
        context,
        dpo,
        "proposal.html",
        "queue",
        status_code=status_code,
        page_path=f"/console/proposals/{view.proposal_id}",
        p=view,
        made=request.query_params.get("made") == "1",
        approved_now=request.query_params.get("approved") == "1",
        refused=refused,
        can_approve=party and dpo.agency not in view.approvals and view.status != "withdrawn",
        can_withdraw=can_withdraw(view, dpo),
        withdrawn_now=request.query_params.get("withdrawn") == "1" and status_code == 200,
        only_proposer=only_proposer,
        activation=activation,
        can_activate=party and view.status == "approved",
        can_cancel=party and activation is not None and activation.state == "scheduled",
        due_now=activation is not None and activation.due_at <= context.log.clock(),
        banner=banner if banner in _BANNERS and status_code == 200 else "",
        uk=uk_time,
        chosen=chosen or ChosenTime(),
        horizon_days=context.settings.activation_horizon_days,
        changes=changes,
        title=proposal_title(changes, view.changed, view.reason),
        tasks=proposal_tasks(view, names, dpo.agency),
        person=names.of,
        **extra,
    )


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Who proposed what, when; each party's approval; the approve button for my agency."""
    if not _UUID.match(proposal_id):
        return not_found(request)
    try:
        view = view_of(context, proposal_id)
    except UnknownProposal:
        return not_found(request)
    return proposal_page_for(request, context, dpo, view)


@router.get("/proposals/{proposal_id}/approve", response_class=HTMLResponse)
def check_approval(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Check before approving: the change in words, the reason, who else must still approve."""
    if not _UUID.match(proposal_id):
        return not_found(request)
    try:
        view = view_of(context, proposal_id)
    except UnknownProposal:
        return not_found(request)
    page = f"/console/proposals/{proposal_id}"
    if dpo.agency not in view.affected_agencies:
        return proposal_page_for(request, context, dpo, view, status_code=403, refused=True)
    if dpo.agency in view.approvals or view.status in ("outdated", "withdrawn"):
        return RedirectResponse(page, status_code=303)
    found = context.policies.get(proposal_id)
    lang = portal_language(request)
    changes = () if found is None else proposal_in_words(context, found, lang)
    names = DpoNames(context.policies, context.agencies, lang)
    return console_page(
        request,
        context,
        dpo,
        "check_approval.html",
        "queue",
        page_path=f"{page}/approve",
        p=view,
        changes=changes,
        title=proposal_title(changes, view.changed, view.reason),
        person=names.of,
        others=[a for a in view.affected_agencies if a not in view.approvals and a != dpo.agency],
        uk=uk_time,
    )


@router.post("/proposals/{proposal_id}/approve", response_class=HTMLResponse)
def approve_proposal(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """Approve for the DPO's own agency; another agency's DPO gets a 403 page saying why."""
    if not _UUID.match(proposal_id):
        return not_found(request)
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    assert dpo.agency is not None
    try:
        context.policy_admin.approve(found, dpo.agency, dpo.subject)
    except NotAParty:
        view = view_of(context, proposal_id)
        return proposal_page_for(request, context, dpo, view, status_code=403, refused=True)
    return RedirectResponse(f"/console/proposals/{proposal_id}?approved=1", status_code=303)


def traffic_files(context: ApiContext) -> list[str]:
    """The recorded traffic files the simulation can replay, by name."""
    directory = context.traffic_dir
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.glob("*.yaml") if p.is_file())


def _simulate(
    context: ApiContext, found: Proposal, file: FilePath | None
) -> tuple[int, int, list[ChangedFlow], SyntheticRun]:
    """Replay the file's events (if any) under both policies, then the generated events."""
    workspace = context.policies
    events: list[Event] = []
    if file is not None:
        events = workspace.events(file.read_text(encoding="utf-8"), file.name)
    pairs = list(replay(events, workspace.compiled, found.compiled))
    run = synthetic_run(
        workspace.compiled, found.compiled, workspace.context, workspace.codec, pairs
    )
    return len(events), len(pairs), changed_flows(pairs), run


@router.get("/proposals/{proposal_id}/simulation", response_class=HTMLResponse)
async def simulation(request: Request, context: Context, dpo: Dpo, proposal_id: str) -> Response:
    """The changed flows (who → whom, event, before/after, fields) over recorded traffic."""
    found = known_proposal(context, proposal_id)
    if found is None:
        return not_found(request)
    files = traffic_files(context)
    chosen = request.query_params.get("traffic", "")
    if chosen not in files:
        chosen = files[0] if files else ""
    events = decisions = 0
    flows: list[ChangedFlow] = []
    problem = ""
    traffic = context.traffic_dir / chosen if chosen else None
    try:
        events, decisions, flows, run = await run_in_threadpool(_simulate, context, found, traffic)
    except (PolicyError, OSError, UnicodeDecodeError) as error:
        problem = str(error).splitlines()[0]
        *_, run = await run_in_threadpool(_simulate, context, found, None)
    lang = portal_language(request)
    headings = {
        rule.rule_id: rule.heading
        for agreement in proposal_in_words(context, found, lang)
        for rule in agreement.rules
    }
    generated = changed_flows(run.pairs)
    return console_page(
        request,
        context,
        dpo,
        "simulation.html",
        "queue",
        proposal_id=proposal_id,
        version=found.source.version,
        files=files,
        chosen=chosen,
        events=events,
        decisions=decisions,
        flows=flows,
        changed=sum(f.count for f in flows),
        problem=problem,
        coverage=run.coverage,
        all_exercised=run.all_exercised,
        generated=generated,
        generated_events=run.events,
        headings=headings,
    )
