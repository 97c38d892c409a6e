"""A proposal's progress as a GOV.UK task list: proposed, each party approved, scheduled, active
(or withdrawn by its proposer).

Each task has a state the DPO reads as a tag (done, waiting, cannot start yet, cancelled, not
activated, out of date), who did it and when (UK time in the template), read from the
proposal's own history and activation, as the API's ``GET /policies/proposals/{id}`` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from broker.policy_admin.views import ProposalView
from broker.web.dpo_names import DpoNames, Person

__all__ = ["Task", "TaskState", "proposal_tasks"]

TaskState = Literal[
    "done", "waiting", "cannot_start", "cancelled", "not_activated", "outdated", "withdrawn"
]


@dataclass(frozen=True)
class Task:
    """One step: which (``proposed``, ``approved``, ``scheduled``, ``active``, ``withdrawn``),
    for which agency (approvals), its state, who did it, when, and where on the console to look."""

    step: str
    state: TaskState
    agency: str = ""
    who: Person | None = None
    at: datetime | None = None
    due: datetime | None = None
    href: str = ""


def _approval_times(view: ProposalView) -> dict[str, datetime]:
    return {
        e.detail.removeprefix("for "): e.at
        for e in view.history
        if e.action == "approved" and e.detail.startswith("for ")
    }


def _closed(view: ProposalView) -> TaskState | None:
    """The state of every step still open when the proposal can no longer go ahead."""
    if view.status == "outdated":
        return "outdated"
    return "withdrawn" if view.status == "withdrawn" else None


def proposal_tasks(view: ProposalView, names: DpoNames, my_agency: str) -> list[Task]:
    """The task list of ``view``, as ``my_agency``'s DPO sees it (their approval links)."""
    page = f"/console/proposals/{view.proposal_id}"
    tasks = [
        Task(
            "proposed",
            "done",
            view.agency,
            names.of(view.proposer, view.agency),
            view.submitted_at,
            href=f"{page}#change-heading",
        )
    ]
    times = _approval_times(view)
    for agency in view.affected_agencies:
        dpo = view.approvals.get(agency)
        if dpo is not None:
            who = names.of(dpo, agency)
            tasks.append(Task("approved", "done", agency, who, times.get(agency)))
        else:
            state: TaskState = _closed(view) or "waiting"
            mine = agency == my_agency and state == "waiting"
            tasks.append(Task("approved", state, agency, href=f"{page}/approve" if mine else ""))
    tasks += _activation_tasks(view, names, page)
    withdrawn = next((e for e in view.history if e.action == "withdrawn"), None)
    if withdrawn is not None:
        who = names.of(withdrawn.actor, view.agency)
        tasks.append(Task("withdrawn", "done", view.agency, who, withdrawn.at))
    return tasks


def _activation_tasks(view: ProposalView, names: DpoNames, page: str) -> list[Task]:
    activation = view.activation
    if activation is None:
        closed = _closed(view)
        waiting: TaskState = closed or "cannot_start"
        if view.status == "approved":
            waiting = "waiting"
        href = f"{page}#activation-heading" if waiting == "waiting" else ""
        return [Task("scheduled", waiting, href=href), Task("active", closed or "cannot_start")]
    who = names.of(activation.requested_by)
    asked = Task(
        "scheduled",
        "cancelled" if activation.state == "cancelled" else "done",
        who=who,
        at=activation.requested_at,
        due=activation.due_at,
        href=f"{page}#activation-heading",
    )
    state: TaskState = "waiting"
    if activation.state == "activated":
        state = "done"
    elif activation.state == "not activated":
        state = "not_activated"
    elif activation.state == "cancelled":
        state = "cannot_start"
    done = state == "done"
    return [asked, Task("active", state, who=who if done else None, at=activation.done_at)]
