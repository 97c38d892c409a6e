"""A proposal's task list: each party's approval, then scheduling and activation, with names."""

from __future__ import annotations

from datetime import UTC, date, datetime

from broker.policy_admin.views import ActivationView, ProposalEventView, ProposalView
from broker.web.dpo_names import Person
from broker.web.proposal_progress import proposal_tasks
from broker.web.routes_console_agreements import review_state

AT = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class Names:
    """Stands in for :class:`broker.web.dpo_names.DpoNames`: every account is a named DPO."""

    def of(self, actor: str, agency: str | None = None) -> Person:
        """A person named after the account."""
        return Person(f"DPO {actor}", agency or "", actor)


def _view(**changes: object) -> ProposalView:
    values: dict[str, object] = {
        "proposal_id": "p1",
        "version": "sha256:new",
        "current_version": "sha256:old",
        "proposer": "sian",
        "agency": "probation-wales",
        "submitted_at": AT,
        "changed": ["agreements/a.yaml"],
        "warnings": [],
        "affected_agencies": ["gdas", "probation-wales"],
        "approvals": {"probation-wales": "sian"},
        "status": "awaiting_approval",
        "history": [
            ProposalEventView(at=AT, actor="sian", action="approved", detail="for probation-wales")
        ],
    }
    values.update(changes)
    return ProposalView.model_validate(values)


def test_a_waiting_party_links_its_own_dpo_to_the_approval_page() -> None:
    """Proposed and probation's approval are done (by name, with the time); GDAS's DPO is
    sent to the check-answers page; activation cannot start yet."""
    tasks = proposal_tasks(_view(), Names(), "gdas")  # type: ignore[arg-type]
    states = [(t.step, t.agency, t.state) for t in tasks]
    assert states == [
        ("proposed", "probation-wales", "done"),
        ("approved", "gdas", "waiting"),
        ("approved", "probation-wales", "done"),
        ("scheduled", "", "cannot_start"),
        ("active", "", "cannot_start"),
    ]
    assert tasks[1].href == "/console/proposals/p1/approve"
    assert tasks[2].who == Person("DPO sian", "probation-wales", "sian") and tasks[2].at == AT
    assert proposal_tasks(_view(), Names(), "gwent-police")[1].href == ""  # type: ignore[arg-type]


def test_an_activated_proposal_is_done_throughout() -> None:
    """Once activated, scheduling and sharing under the new rules are both completed."""
    activation = ActivationView(
        proposal_id="p1",
        version="sha256:new",
        state="activated",
        due_at=AT,
        requested_by="mark",
        requested_at=AT,
        done_at=AT,
    )
    view = _view(
        approvals={"probation-wales": "sian", "gdas": "mark"},
        status="activated",
        activation=activation,
    )
    tasks = proposal_tasks(view, Names(), "gdas")  # type: ignore[arg-type]
    assert [t.state for t in tasks] == ["done"] * 5
    assert tasks[-1].who is not None and tasks[-1].who.account == "mark"


def test_review_dates_are_tagged_when_due() -> None:
    """Overdue once passed, due soon within 90 days, otherwise nothing."""
    today = date(2026, 1, 1)
    assert review_state(date(2025, 12, 31), today) == "overdue"
    assert review_state(date(2026, 3, 1), today) == "soon"
    assert review_state(date(2027, 1, 1), today) == "ok"
    assert review_state(None, today) == "none"
