"""What a DPO sees of a proposal, its activation and the policy history (JSON API and console).

Both the ``/policies`` routes (as response models) and the console's pages (in templates) show
these, so the two front ends cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from broker.policy_admin.workspace import PolicyWorkspace, Proposal, ProposalStatus
from broker.records.activation_store import ActivationRow, ActivationState

__all__ = [
    "ActivationView",
    "HistoryEntry",
    "ProposalEventView",
    "ProposalView",
    "activation_view",
    "proposal_view",
]


class ProposalEventView(BaseModel):
    """One thing done to a proposal: when, by whom (token subject), what."""

    at: datetime
    actor: str
    action: str
    """proposed, approved, scheduled, cancelled, activated or not activated."""
    detail: str


class ActivationView(BaseModel):
    """A proposal's activation: when it is due, who asked for it, where it is."""

    proposal_id: str
    version: str
    state: ActivationState
    due_at: datetime
    requested_by: str
    requested_at: datetime
    done_at: datetime | None


class ProposalView(BaseModel):
    """A proposal that passed validation, who must approve it, and who has."""

    proposal_id: str
    version: str
    current_version: str
    proposer: str
    agency: str
    submitted_at: datetime
    reason: str = ""
    """Why the proposer wants the change (empty for proposals made before reasons were asked)."""
    changed: list[str]
    warnings: list[str]
    affected_agencies: list[str]
    approvals: dict[str, str]
    """Agency → the DPO (token subject) who approved for it."""
    status: ProposalStatus
    """``outdated``: another version became current since; it cannot be activated."""
    activation: ActivationView | None = None
    history: list[ProposalEventView] = []
    """Who did what to the proposal, oldest first."""


class HistoryEntry(BaseModel):
    """One policy action from the s.62 audit: when, who, which version, what."""

    at: datetime
    actor: str
    policy_version: str
    change: str


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def activation_view(row: ActivationRow, proposal: Proposal) -> ActivationView:
    """``row`` as shown, with the version ``proposal`` would activate."""
    return ActivationView(
        proposal_id=row.proposal_id,
        version=proposal.source.version,
        state=row.state,
        due_at=_time(row.due_at_ms),
        requested_by=row.requested_by,
        requested_at=_time(row.requested_at_ms),
        done_at=None if row.done_at_ms is None else _time(row.done_at_ms),
    )


def proposal_view(workspace: PolicyWorkspace, proposal: Proposal) -> ProposalView:
    """``proposal`` with its parties, approvals, status, activation and history."""
    activation = workspace.activation(proposal)
    return ProposalView(
        proposal_id=proposal.proposal_id,
        version=proposal.source.version,
        current_version=workspace.current.version,
        proposer=proposal.proposer,
        agency=proposal.agency,
        submitted_at=proposal.submitted_at,
        reason=proposal.reason,
        changed=list(proposal.changed),
        warnings=[str(w) for w in proposal.warnings],
        affected_agencies=list(workspace.affected(proposal)),
        approvals=workspace.approvals(proposal),
        status=workspace.status(proposal),
        activation=None if activation is None else activation_view(activation, proposal),
        history=[
            ProposalEventView(at=_time(e.at_ms), actor=e.actor, action=e.action, detail=e.detail)
            for e in workspace.history(proposal)
        ],
    )
