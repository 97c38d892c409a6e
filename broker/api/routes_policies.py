"""DPOs: read the sharing agreements, propose a change (checked like the CLI), simulate it.

The routes are thin: :class:`broker.policy_admin.service.PolicyAdministration` applies the rules
(see ``broker.policy_admin.workspace``) and refusals become problems in
:mod:`broker.http.policy_problems`. Once approved, a DPO of an affected agency activates a
proposal now or at a chosen time (``/activation``); the API publishes it to the ``policies``
topic when due, as ``iom-broker policy activate`` does. Every proposal, approval, scheduling,
cancellation and activation is kept with the proposal and recorded in the s.62 audit as a policy
change (in the same transaction), which ``/policies/history`` lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, Field

from broker.api.auth import require_role
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal, Role
from broker.policy.agreement import Agreement
from broker.policy_admin.activation_time import activation_time_problem
from broker.policy_admin.views import (
    ActivationView,
    HistoryEntry,
    ProposalView,
    activation_view,
    proposal_view,
)
from broker.policy_admin.workspace import Proposal

__all__ = ["router"]

router = APIRouter(prefix="/policies", tags=["policies (DPO)"])

Dpo = Annotated[Principal, Depends(require_role(Role.DPO))]
Context = Annotated[ApiContext, Depends(api_context)]
_ID = r"^[a-z0-9][a-z0-9-]{0,80}$"
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_MAX_TEXT = 60_000


class AgreementSummary(BaseModel):
    """One agreement: who is party to it, where it applies, its version and review date."""

    agreement_id: str
    title: str
    kind: str
    version: str
    parties: list[str]
    area: str
    review_date: date | None
    rules: int
    file: str


class PolicyOverview(BaseModel):
    """The current policy version and its agreements."""

    version: str
    agreements: list[AgreementSummary]


class AgreementText(AgreementSummary):
    """An agreement with its YAML text as the DPO wrote it."""

    text: str


class ProposalRequest(BaseModel):
    """Agreement files to replace or add (path → YAML text), or remove (path → null)."""

    files: dict[str, str | None] = Field(min_length=1, max_length=20)
    reason: str = Field("", max_length=1000)
    """Why the change is wanted, in the proposer's words (the console requires one)."""


class ActivationRequest(BaseModel):
    """When to activate: an ISO 8601 time with its timezone, or null (or absent) for now."""

    at: AwareDatetime | None = None


class SimulationRequest(BaseModel):
    """Recorded traffic to replay: a YAML text with an ``events:`` list (see policies/traffic)."""

    events: str = Field(min_length=1, max_length=_MAX_TEXT)


class FlowChangeView(BaseModel):
    """A flow that starts, stops or changes under the proposal."""

    source: str
    recipient: str
    event_type: str
    change: str
    detail: str
    count: int


class SimulationView(BaseModel):
    """What the proposal would share differently, with whom."""

    current_version: str
    proposed_version: str
    events: int
    decisions: int
    changed_decisions: int
    changes: list[FlowChangeView]


def _summary(agreement: Agreement) -> dict[str, object]:
    return {
        "agreement_id": agreement.agreement_id,
        "title": agreement.title,
        "kind": agreement.kind,
        "version": agreement.version,
        "parties": list(agreement.parties),
        "area": agreement.area,
        "review_date": agreement.review_date,
        "rules": len(agreement.rules),
        "file": agreement.file,
    }


@router.get("", response_model=PolicyOverview, summary="The current policy's agreements")
def overview(context: Context, principal: Dpo) -> PolicyOverview:
    """Every agreement of the current policy version."""
    policies = context.policies
    return PolicyOverview(
        version=policies.current.version,
        agreements=[
            AgreementSummary.model_validate(_summary(a)) for a in policies.policy_set.agreements
        ],
    )


@router.get("/agreements/{agreement_id}", response_model=AgreementText, summary="One agreement")
def agreement(
    context: Context, principal: Dpo, agreement_id: Annotated[str, Path(pattern=_ID)]
) -> AgreementText:
    """An agreement's summary and its YAML text."""
    policies = context.policies
    found = next(
        (a for a in policies.policy_set.agreements if a.agreement_id == agreement_id), None
    )
    if found is None:
        raise ProblemError(404, f"no agreement {agreement_id!r}")
    path = next(
        (p for p in policies.current.agreement_paths() if policies.current.where(p) == found.file),
        None,
    )
    text = policies.current.files.get(path, "") if path else ""
    return AgreementText.model_validate({**_summary(found), "text": text})


@router.post(
    "/proposals",
    status_code=201,
    response_model=ProposalView,
    summary="Propose a change",
    responses={422: {"description": "Invalid policy: problems as file:line messages."}},
)
async def propose(context: Context, principal: Dpo, body: ProposalRequest) -> ProposalView:
    """Check the current policy with these files changed; 422 lists the file:line problems."""
    oversized = [p for p, t in body.files.items() if t is not None and len(t) > _MAX_TEXT]
    if oversized:
        raise ProblemError(413, f"{oversized[0]}: agreement texts are limited to {_MAX_TEXT} chars")
    assert principal.agency is not None
    proposal = await run_in_threadpool(
        context.policy_admin.propose,
        body.files,
        principal.subject,
        principal.agency,
        body.reason.strip(),
    )
    return proposal_view(context.policies, proposal)


def _proposal(context: ApiContext, proposal_id: str) -> Proposal:
    return context.policy_admin.proposal(proposal_id)


@router.get("/proposals/{proposal_id}", response_model=ProposalView, summary="One proposal")
def proposal(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ProposalView:
    """A proposal and its warnings."""
    return proposal_view(context.policies, _proposal(context, proposal_id))


@router.post(
    "/proposals/{proposal_id}/simulation",
    response_model=SimulationView,
    summary="What would be shared differently",
)
async def simulation(
    context: Context,
    principal: Dpo,
    proposal_id: Annotated[str, Path(pattern=_UUID)],
    body: SimulationRequest,
) -> SimulationView:
    """Replay the given traffic under the current and proposed policy; list changed flows."""
    found = _proposal(context, proposal_id)
    report = await run_in_threadpool(context.policies.simulate, found, body.events)
    return SimulationView(
        current_version=report.current_version,
        proposed_version=report.proposed_version,
        events=report.events,
        decisions=report.decisions,
        changed_decisions=report.changed_decisions,
        changes=[
            FlowChangeView(
                source=c.source,
                recipient=c.recipient,
                event_type=c.event_type,
                change=str(c.change),
                detail=c.detail,
                count=c.count,
            )
            for c in report.changes
        ],
    )


@router.post(
    "/proposals/{proposal_id}/approvals",
    response_model=ProposalView,
    summary="Approve a proposal for my agency",
    responses={403: {"description": "Your agency is not a party to this change."}},
)
def approve(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ProposalView:
    """Record the caller's approval for their own agency (never for another)."""
    found = _proposal(context, proposal_id)
    assert principal.agency is not None
    context.policy_admin.approve(found, principal.agency, principal.subject)
    return proposal_view(context.policies, found)


@router.post(
    "/proposals/{proposal_id}/withdrawal",
    response_model=ProposalView,
    summary="Withdraw my own proposal",
    responses={
        403: {"description": "Only the DPO who made the proposal can withdraw it."},
        409: {"description": "Already withdrawn, or scheduled or activated (cancel instead)."},
    },
)
def withdraw(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ProposalView:
    """Withdraw the caller's own proposal: it stays in the history, status ``withdrawn``, and
    can no longer be approved or activated."""
    found = _proposal(context, proposal_id)
    context.policy_admin.withdraw(found, principal.subject)
    return proposal_view(context.policies, found)


def _checked_time(context: ApiContext, at: datetime | None, now: datetime) -> datetime:
    """``at`` (now when None); 422 naming ``at`` when past or beyond the horizon."""
    if at is None:
        return now
    days = context.settings.activation_horizon_days
    problem = activation_time_problem(at, now, days)
    if problem == "past":
        raise ProblemError(422, f"body.at: {at.isoformat()} is in the past")
    if problem == "too_far":
        raise ProblemError(422, f"body.at: {at.isoformat()} is more than {days} days ahead")
    return max(at, now)


@router.put(
    "/proposals/{proposal_id}/activation",
    response_model=ActivationView,
    summary="Activate an approved proposal now or at a chosen time",
    responses={
        403: {"description": "Your agency is not a party to this change."},
        409: {"description": "Not approved, outdated, or already scheduled or activated."},
        422: {
            "description": "The time lacks a timezone, is past, or is too far ahead; or the"
            " proposed policy fails a scenario of the policy directory (``scenarios`` lists"
            " each failing scenario's name, file and ``file:line`` problems)."
        },
    },
)
async def activate(
    context: Context,
    principal: Dpo,
    proposal_id: Annotated[str, Path(pattern=_UUID)],
    body: ActivationRequest,
) -> ActivationView:
    """Schedule the activation (``at`` null: now); it is published to routers when due.

    Refused (422) when the proposed policy fails a scenario, as ``policy activate`` refuses.
    """
    found = _proposal(context, proposal_id)
    assert principal.agency is not None
    now = context.log.clock()
    due = _checked_time(context, body.at, now)
    await run_in_threadpool(
        context.policy_admin.schedule, found, principal.agency, principal.subject, due
    )
    if due <= now and context.activator is not None:
        await context.activator.run_due()
    row = context.policies.activation(found)
    assert row is not None
    return activation_view(row, found)


@router.get(
    "/proposals/{proposal_id}/activation",
    response_model=ActivationView,
    summary="A proposal's activation",
)
def activation(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ActivationView:
    """When the proposal is (or was) to be activated, and whether it has been."""
    found = _proposal(context, proposal_id)
    row = context.policies.activation(found)
    if row is None:
        raise ProblemError(404, f"proposal {proposal_id} has no activation")
    return activation_view(row, found)


@router.delete(
    "/proposals/{proposal_id}/activation",
    response_model=ActivationView,
    summary="Cancel a scheduled activation",
    responses={409: {"description": "Nothing scheduled (or it has happened already)."}},
)
def cancel_activation(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ActivationView:
    """Cancel the activation before it happens; the proposal may be scheduled again."""
    found = _proposal(context, proposal_id)
    assert principal.agency is not None
    row = context.policy_admin.cancel(found, principal.agency, principal.subject)
    return activation_view(row, found)


@router.get(
    "/activations",
    response_model=list[ActivationView],
    summary="Activations scheduled and not yet done, soonest first",
)
def pending_activations(context: Context, principal: Dpo) -> list[ActivationView]:
    """Every activation waiting for its time (or being published)."""
    views = []
    for row in context.policies.activations.pending():
        found = context.policies.get(row.proposal_id)
        if found is not None:
            views.append(activation_view(row, found))
    return views


@router.get("/history", response_model=list[HistoryEntry], summary="Who did what, newest first")
def history(context: Context, principal: Dpo) -> list[HistoryEntry]:
    """Policy proposals and approvals from the s.62 audit (the newest 1000)."""
    return context.policy_admin.history()
