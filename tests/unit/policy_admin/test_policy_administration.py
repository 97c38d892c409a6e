"""The policy administration service: typed refusals, and each change kept with its audit or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broker.policy.problems import PolicyError
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
from broker.policy_admin.service import PolicyAdministration
from broker.policy_admin.workspace import PolicyWorkspace, Proposal
from broker.records.database import RecordsDatabase
from broker.records.policy_audit_outbox import PolicyAuditOutbox
from broker.transparency.audit import POLICY_CHANGE
from broker.transparency.store import open_store
from broker.transparency.store.protocol import LogStore
from tests.unit.policy.support import codec, context, shipped_source

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GDAS_DDA = "agreements/gwent-gdas-treatment-dda.yaml"


class Failure(RuntimeError):
    """The fault injected between a change and its audit record."""


@pytest.fixture
def log_store(tmp_path: Path) -> LogStore:
    """An empty SQLite log store (the s.62 audit's home)."""
    return open_store(f"sqlite:///{tmp_path / 'log.sqlite3'}")


@pytest.fixture
def admin(log_store: LogStore) -> PolicyAdministration:
    """The service over the shipped policy, in-memory records, without scenario checks."""
    workspace = PolicyWorkspace(shipped_source(), context(), codec(), RecordsDatabase())
    return PolicyAdministration(workspace, log_store, lambda: AT)


def _propose(admin: PolicyAdministration, by: str = "dpo-probation") -> Proposal:
    text = shipped_source().files[GDAS_DDA] + "# reviewed\n"
    return admin.propose({GDAS_DDA: text}, by, "probation-wales")


def _approved(admin: PolicyAdministration) -> Proposal:
    proposal = _propose(admin)
    admin.approve(proposal, "probation-wales", "dpo-probation")
    admin.approve(proposal, "gdas", "dpo-gdas")
    return proposal


def _changes(store: LogStore) -> list[str]:
    return [e.detail for e in store.audit_events() if e.action == POLICY_CHANGE]


def _fail_audit(admin: PolicyAdministration, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise Failure("injected")

    monkeypatch.setattr(admin.work.audit, "add", refuse)


def test_an_unknown_proposal_is_refused_by_type(admin: PolicyAdministration) -> None:
    """Asking for a proposal id that was never made raises UnknownProposal."""
    with pytest.raises(UnknownProposal):
        admin.proposal("00000000-0000-4000-8000-000000000000")


def test_a_dpo_of_another_agency_is_not_a_party(admin: PolicyAdministration) -> None:
    """Approving, scheduling or cancelling for an agency outside the change raises NotAParty."""
    proposal = _propose(admin)
    with pytest.raises(NotAParty):
        admin.approve(proposal, "gwent-police", "dpo-police")
    with pytest.raises(NotAParty):
        admin.schedule(proposal, "gwent-police", "dpo-police", AT)
    with pytest.raises(NotAParty):
        admin.cancel(proposal, "gwent-police", "dpo-police")


def test_scheduling_before_every_party_approved_is_not_approved(
    admin: PolicyAdministration,
) -> None:
    """Scheduling with one party's approval missing raises NotApproved."""
    proposal = _propose(admin)
    admin.approve(proposal, "probation-wales", "dpo-probation")
    with pytest.raises(NotApproved):
        admin.schedule(proposal, "probation-wales", "dpo-probation", AT)


def test_a_proposal_made_against_an_older_version_is_outdated(
    admin: PolicyAdministration,
) -> None:
    """Once another proposal became current, scheduling an older one raises Outdated."""
    older = _approved(admin)
    newer = _propose(admin, by="dpo-probation-2")
    admin.workspace.make_current(newer)
    with pytest.raises(Outdated):
        admin.schedule(older, "gdas", "dpo-gdas", AT)


def test_scheduling_twice_and_cancelling_nothing_are_refused_by_type(
    admin: PolicyAdministration,
) -> None:
    """A second schedule raises AlreadyScheduled; cancelling twice raises NothingScheduled."""
    proposal = _approved(admin)
    admin.schedule(proposal, "gdas", "dpo-gdas", AT + timedelta(hours=1))
    with pytest.raises(AlreadyScheduled):
        admin.schedule(proposal, "gdas", "dpo-gdas", AT + timedelta(hours=2))
    admin.cancel(proposal, "gdas", "dpo-gdas")
    with pytest.raises(NothingScheduled):
        admin.cancel(proposal, "gdas", "dpo-gdas")


def test_every_change_reaches_the_s62_audit(
    admin: PolicyAdministration, log_store: LogStore
) -> None:
    """Proposing, approving, scheduling and cancelling each append one policy.change record."""
    proposal = _approved(admin)
    admin.schedule(proposal, "gdas", "dpo-gdas", AT + timedelta(hours=1))
    admin.cancel(proposal, "gdas", "dpo-gdas")
    assert [h.change for h in admin.history()] == [
        "scheduled activation cancelled",
        f"activation scheduled for {(AT + timedelta(hours=1)).isoformat()}",
        "approved for gdas",
        "approved for probation-wales",
        "proposed",
    ]
    assert PolicyAuditOutbox(admin.workspace.records).waiting() == 0


def test_a_failed_audit_leaves_no_proposal(
    admin: PolicyAdministration, log_store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the proposal is written but before its audit keeps neither."""
    _fail_audit(admin, monkeypatch)
    with pytest.raises(Failure):
        _propose(admin)
    assert admin.workspace.proposal_ids() == [] and admin.workspace.proposals() == []
    assert _changes(log_store) == []


def test_a_failed_audit_leaves_no_approval(
    admin: PolicyAdministration, log_store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure between an approval and its audit keeps neither the approval nor its event."""
    proposal = _propose(admin)
    _fail_audit(admin, monkeypatch)
    with pytest.raises(Failure):
        admin.approve(proposal, "gdas", "dpo-gdas")
    assert admin.workspace.approvals(proposal) == {}
    assert [e.action for e in admin.workspace.history(proposal)] == ["proposed"]
    assert len(_changes(log_store)) == 1


def test_a_failed_audit_leaves_no_scheduled_activation(
    admin: PolicyAdministration, log_store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure between scheduling and its audit leaves no activation, event or audit."""
    proposal = _approved(admin)
    before = _changes(log_store)
    _fail_audit(admin, monkeypatch)
    with pytest.raises(Failure):
        admin.schedule(proposal, "gdas", "dpo-gdas", AT + timedelta(hours=1))
    assert admin.workspace.activation(proposal) is None
    assert "scheduled" not in [e.action for e in admin.workspace.history(proposal)]
    assert _changes(log_store) == before


def test_an_unavailable_log_store_keeps_the_audit_waiting(
    admin: PolicyAdministration, log_store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the log store refuses the audit, the change stands and its record is relayed later."""

    def down(*args: object) -> None:
        raise ConnectionError("log store down")

    with monkeypatch.context() as patched:
        patched.setattr(log_store, "append_audit", down)
        proposal = _propose(admin)
    outbox = PolicyAuditOutbox(admin.workspace.records)
    assert admin.workspace.get(proposal.proposal_id) is not None and outbox.waiting() == 1
    assert [h.change for h in admin.history()] == ["proposed"]
    assert outbox.waiting() == 0


def test_a_hand_edited_approvals_list_is_refused(admin: PolicyAdministration) -> None:
    """A proposal that writes another DPO's approval into the file is refused, naming the line."""
    text = shipped_source().files[GDAS_DDA].replace("dpo: Mark Thomas", "dpo: Someone Else")
    with pytest.raises(PolicyError) as refused:
        admin.propose({GDAS_DDA: text}, "dpo-probation", "probation-wales")
    assert str(refused.value) == (
        f"policies/{GDAS_DDA}:16: the 'approvals' list is recorded by the system when each"
        " party's DPO approves; it cannot be changed by hand (put it back as it was)"
    )
    assert admin.workspace.proposal_ids() == []


def test_the_proposer_withdraws_and_nothing_more_can_happen(
    admin: PolicyAdministration, log_store: LogStore
) -> None:
    """A withdrawn proposal is marked withdrawn, audited, and can no longer be approved,
    scheduled or withdrawn again."""
    proposal = _propose(admin)
    admin.withdraw(proposal, "dpo-probation")
    assert admin.workspace.status(proposal) == "withdrawn"
    assert _changes(log_store)[-1] == '{"change": "withdrawn"}'
    with pytest.raises(Withdrawn):
        admin.approve(proposal, "gdas", "dpo-gdas")
    with pytest.raises(Withdrawn):
        admin.schedule(proposal, "gdas", "dpo-gdas", AT)
    with pytest.raises(Withdrawn):
        admin.withdraw(proposal, "dpo-probation")


def test_only_the_proposer_withdraws_and_only_before_scheduling(
    admin: PolicyAdministration,
) -> None:
    """Another DPO cannot withdraw a proposal; a scheduled one is cancelled, not withdrawn."""
    proposal = _approved(admin)
    with pytest.raises(NotTheProposer):
        admin.withdraw(proposal, "dpo-gdas")
    admin.schedule(proposal, "gdas", "dpo-gdas", AT + timedelta(days=1))
    with pytest.raises(WithdrawTooLate):
        admin.withdraw(proposal, "dpo-probation")
    assert admin.workspace.status(proposal) == "scheduled"
