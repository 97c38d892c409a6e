"""Policy administration: propose, approve, schedule, cancel, activate or withdraw a change.

Each change is one unit of work over the records database (:mod:`.unit_of_work`): the change,
the proposal's history event and the s.62 audit record of the policy change are committed
together or not at all. The audit record waits in the records' outbox and is appended to the
transparency log store's s.62 audit straight after the commit (:mod:`broker.records.
policy_audit_outbox`); if the log store is unavailable it is appended at the next change or
activation check. Refusals are typed (:mod:`.errors`); the HTTP layers map them to problems.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import structlog

from broker.policy_admin.errors import (
    AlreadyScheduled,
    NotAParty,
    NotApproved,
    NothingScheduled,
    NotTheProposer,
    Outdated,
    UnknownProposal,
    Withdrawn,
    WithdrawTooLate,
)
from broker.policy_admin.scenario_runs import ScenariosFailed
from broker.policy_admin.unit_of_work import PolicyUnitOfWork
from broker.policy_admin.views import HistoryEntry
from broker.policy_admin.workspace import WITHDRAWN, PolicyWorkspace, Proposal
from broker.records.activation_store import ActivationRow
from broker.transparency.audit import POLICY_CHANGE
from broker.transparency.store.protocol import LogStore

__all__ = ["PolicyAdministration"]

log = structlog.get_logger(__name__)

MAX_HISTORY = 1000


def _dpo(subject: str) -> str:
    return f"dpo:{subject}"


class PolicyAdministration:
    """The DPO workflow over a :class:`PolicyWorkspace`, audited into ``audit_store``."""

    def __init__(
        self,
        workspace: PolicyWorkspace,
        audit_store: LogStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.workspace = workspace
        self.audit_store = audit_store
        self.clock = clock
        self.work = PolicyUnitOfWork(workspace.records)

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal ``proposal_id`` names; UnknownProposal when there is none."""
        found = self.workspace.get(proposal_id)
        if found is None:
            raise UnknownProposal(proposal_id)
        return found

    def propose(
        self, changes: Mapping[str, str | None], dpo: str, agency: str, reason: str = ""
    ) -> Proposal:
        """Check and keep ``changes`` proposed by ``dpo`` of ``agency`` for ``reason``;
        PolicyError if invalid. The reason is kept with the proposal, not in the s.62 audit."""
        at = self.clock()
        made: Proposal | None = None
        try:
            with self.work.begin() as work:
                made = self.workspace.propose(changes, dpo, agency, at, reason)
                work.audit.add(at, _dpo(dpo), made.source.version, "proposed")
        except BaseException:
            if made is not None:
                self.workspace.forget(made.proposal_id)
            raise
        self.relay_audit()
        return made

    def approve(self, proposal: Proposal, agency: str, dpo: str) -> dict[str, str]:
        """Record ``dpo``'s approval for ``agency``; every approval so far (agency → DPO).

        NotAParty when ``agency`` is not an affected party, Withdrawn when it was withdrawn.
        """
        if self.workspace.withdrawn(proposal):
            raise Withdrawn()
        at = self.clock()
        with self.work.begin() as work:
            approvals = self.workspace.approve(proposal, agency, dpo, at)
            change = f"approved for {agency}"
            work.audit.add(at, _dpo(dpo), proposal.source.version, change)
        self.relay_audit()
        return approvals

    def schedule(self, proposal: Proposal, agency: str, dpo: str, due: datetime) -> ActivationRow:
        """Schedule ``proposal``'s activation at ``due`` for ``dpo`` of ``agency``.

        NotAParty, Withdrawn, NotApproved, Outdated, ScenariosFailed (its policy fails a
        scenario of the policy directory) or AlreadyScheduled (scheduled or activated already).
        """
        workspace = self.workspace
        if agency not in workspace.affected(proposal):
            raise NotAParty(agency)
        if workspace.withdrawn(proposal):
            raise Withdrawn()
        if not workspace.approved(proposal):
            raise NotApproved()
        if workspace.outdated(proposal):
            raise Outdated()
        failures = workspace.scenario_failures(proposal)
        if failures:
            raise ScenariosFailed(failures)
        now = self.clock()
        when = due.astimezone(UTC).isoformat()
        with self.work.begin() as work:
            if not work.activations.schedule(proposal.proposal_id, _ms(due), dpo, _ms(now)):
                raise AlreadyScheduled()
            workspace.record(proposal, dpo, "scheduled", f"for {when}", now)
            change = f"activation scheduled for {when}"
            work.audit.add(now, _dpo(dpo), proposal.source.version, change)
        self.relay_audit()
        return self._activation(proposal)

    def cancel(self, proposal: Proposal, agency: str, dpo: str) -> ActivationRow:
        """Cancel ``proposal``'s scheduled activation; NotAParty or NothingScheduled."""
        if agency not in self.workspace.affected(proposal):
            raise NotAParty(agency)
        now = self.clock()
        with self.work.begin() as work:
            if not work.activations.cancel(proposal.proposal_id):
                raise NothingScheduled()
            self.workspace.record(proposal, dpo, "cancelled", "scheduled activation cancelled", now)
            change = "scheduled activation cancelled"
            work.audit.add(now, _dpo(dpo), proposal.source.version, change)
        self.relay_audit()
        return self._activation(proposal)

    def withdraw(self, proposal: Proposal, dpo: str) -> None:
        """``dpo`` withdraws their own ``proposal``: it stays in the history, marked withdrawn,
        and can no longer be approved or activated.

        NotTheProposer (another DPO), Withdrawn (already) or WithdrawTooLate (scheduled or
        activated: cancel the activation instead).
        """
        workspace = self.workspace
        if dpo != proposal.proposer:
            raise NotTheProposer()
        status = workspace.status(proposal)
        if status == "withdrawn":
            raise Withdrawn()
        if status in ("scheduled", "activated"):
            raise WithdrawTooLate()
        now = self.clock()
        with self.work.begin() as work:
            workspace.record(proposal, dpo, WITHDRAWN, "withdrawn by the proposer", now)
            work.audit.add(now, _dpo(dpo), proposal.source.version, "withdrawn")
        self.relay_audit()

    def finish_activation(
        self, proposal: Proposal, owner: str, requested_by: str, now: datetime
    ) -> bool:
        """Mark ``owner``'s published activation done, with its history and audit; False when
        ``owner`` no longer holds the claim. The workspace then follows the new version."""
        with self.work.begin() as work:
            if not work.activations.finish(proposal.proposal_id, owner, _ms(now)):
                return False
            version = proposal.source.version
            self.workspace.record(proposal, requested_by, "activated", version, now)
            work.audit.add(now, _dpo(requested_by), version, "activated")
        self.workspace.make_current(proposal)
        self.relay_audit()
        return True

    def refuse_activation(
        self, proposal_id: str, proposal: Proposal | None, owner: str, actor: str, now: datetime
    ) -> None:
        """Mark ``owner``'s claimed activation not activated (the policy changed under it)."""
        with self.work.begin() as work:
            work.activations.finish(proposal_id, owner, _ms(now), activated=False)
            if proposal is not None:
                reason = "the policy changed since this proposal"
                self.workspace.record(proposal, actor, "not activated", reason, now)

    def history(self, limit: int = MAX_HISTORY) -> list[HistoryEntry]:
        """The newest ``limit`` policy changes of the s.62 audit, newest first."""
        self.relay_audit()
        events = self.audit_store.audit_events(limit=limit, action=POLICY_CHANGE, newest_first=True)
        return [
            HistoryEntry(
                at=datetime.fromtimestamp(e.at_ms / 1000, UTC),
                actor=e.actor,
                policy_version=e.target.removeprefix("policy/"),
                change=str(json.loads(e.detail).get("change", "")),
            )
            for e in events
        ]

    def relay_audit(self) -> None:
        """Append the waiting policy-change audit records to the log store (retried later)."""
        try:
            self.work.audit.relay(self.audit_store)
        except Exception as error:
            log.warning("policy.audit_relay_failed", error_type=type(error).__name__)

    def _activation(self, proposal: Proposal) -> ActivationRow:
        found = self.workspace.activation(proposal)
        assert found is not None
        return found


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)
