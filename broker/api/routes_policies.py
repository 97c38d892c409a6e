"""DPOs: read the sharing agreements, propose a change (checked like the CLI), simulate it.

Approval follows the rules in ``policy_workspace``. Activation at a chosen time is not offered
here yet; ``iom-broker policy activate`` publishes a version. Every proposal and approval is
recorded in the s.62 audit as a policy change, which ``/policies/history`` lists.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from broker.api.auth import require_role
from broker.api.context import ApiContext, api_context
from broker.api.policy_workspace import Proposal
from broker.api.problems import ProblemError
from broker.identity.principal import Principal, Role
from broker.policy.agreement import Agreement
from broker.policy.problems import PolicyError
from broker.transparency.audit import POLICY_CHANGE, record_policy_change

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


class ProposalView(BaseModel):
    """A proposal that passed validation, who must approve it, and who has."""

    proposal_id: str
    version: str
    current_version: str
    proposer: str
    agency: str
    submitted_at: datetime
    changed: list[str]
    warnings: list[str]
    affected_agencies: list[str]
    approvals: dict[str, str]
    """Agency → the DPO (token subject) who approved for it."""
    status: Literal["awaiting_approval", "approved"]


class HistoryEntry(BaseModel):
    """One policy action from the s.62 audit: when, who, which version, what."""

    at: datetime
    actor: str
    policy_version: str
    change: str


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


def _invalid(error: PolicyError) -> ProblemError:
    problems = [str(p) for p in error.problems] or [str(error)]
    return ProblemError(
        422, problems[0], title="Invalid policy", extra={"problems": problems[:200]}
    )


def _view(context: ApiContext, proposal: Proposal) -> ProposalView:
    return ProposalView(
        proposal_id=proposal.proposal_id,
        version=proposal.source.version,
        current_version=context.policies.current.version,
        proposer=proposal.proposer,
        agency=proposal.agency,
        submitted_at=proposal.submitted_at,
        changed=list(proposal.changed),
        warnings=[str(w) for w in proposal.warnings],
        affected_agencies=list(context.policies.affected(proposal)),
        approvals=context.policies.approvals(proposal),
        status="approved" if context.policies.approved(proposal) else "awaiting_approval",
    )


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
    at = context.log.clock()
    try:
        proposal = await run_in_threadpool(
            context.policies.propose, body.files, principal.subject, principal.agency, at
        )
    except PolicyError as error:
        raise _invalid(error) from None
    record_policy_change(
        context.log.store, at, f"dpo:{principal.subject}", proposal.source.version, "proposed"
    )
    return _view(context, proposal)


def _proposal(context: ApiContext, proposal_id: str) -> Proposal:
    proposal = context.policies.get(proposal_id)
    if proposal is None:
        raise ProblemError(404, f"no proposal {proposal_id}")
    return proposal


@router.get("/proposals/{proposal_id}", response_model=ProposalView, summary="One proposal")
def proposal(
    context: Context, principal: Dpo, proposal_id: Annotated[str, Path(pattern=_UUID)]
) -> ProposalView:
    """A proposal and its warnings."""
    return _view(context, _proposal(context, proposal_id))


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
    try:
        report = await run_in_threadpool(context.policies.simulate, found, body.events)
    except PolicyError as error:
        raise _invalid(error) from None
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
    try:
        context.policies.approve(found, principal.agency, principal.subject)
    except PermissionError as error:
        raise ProblemError(403, str(error)) from None
    record_policy_change(
        context.log.store,
        context.log.clock(),
        f"dpo:{principal.subject}",
        found.source.version,
        f"approved for {principal.agency}",
    )
    return _view(context, found)


_MAX_HISTORY = 1000


@router.get("/history", response_model=list[HistoryEntry], summary="Who did what, newest first")
def history(context: Context, principal: Dpo) -> list[HistoryEntry]:
    """Policy proposals and approvals from the s.62 audit (the newest 1000)."""
    entries: list[HistoryEntry] = []
    after = 0
    while True:
        events = context.log.store.audit_events(after, 1000)
        if not events:
            break
        after = events[-1].seq or after + len(events)
        entries += [
            HistoryEntry(
                at=datetime.fromtimestamp(e.at_ms / 1000, UTC),
                actor=e.actor,
                policy_version=e.target.removeprefix("policy/"),
                change=str(json.loads(e.detail).get("change", "")),
            )
            for e in events
            if e.action == POLICY_CHANGE
        ]
        entries = entries[-_MAX_HISTORY:]
    return entries[::-1]
