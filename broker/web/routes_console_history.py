"""The console's history: who did what to the sharing policy, and when, newest first.

The rows are what the API's ``/policies/history`` lists (the s.62 audit's policy changes); the known
actions (proposed, approved for an agency, activation scheduled for a time, scheduled
activation cancelled, activated) are shown in the page's language, times in UK time, each
person by name (:mod:`broker.web.dpo_names`) and each row linked to the proposal that made
its policy version (its title is the agreement's and the reason) and to its change in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext
from broker.http.sentences import Language
from broker.policy_admin.views import HistoryEntry
from broker.web.activation_form import uk_time
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page
from broker.web.dpo_names import DpoNames
from broker.web.routes_console_proposals import proposal_in_words, proposal_title
from broker.web.session import portal_language

__all__ = ["HistoryRow", "ProposalLink", "history_row", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

_APPROVED_FOR = "approved for "
_SCHEDULED_FOR = "activation scheduled for "
_CANCELLED = "scheduled activation cancelled"


@dataclass(frozen=True)
class HistoryRow:
    """One action: its kind (``proposed``, ``approved``, ``scheduled``, ``cancelled``,
    ``withdrawn``, ``activated`` or ``other``), the agency approved for, the time scheduled for."""

    entry: HistoryEntry
    kind: str
    agency: str = ""
    due: datetime | None = None


def history_row(entry: HistoryEntry) -> HistoryRow:
    """Classify an audit entry's ``change`` text for display."""
    change = entry.change
    if change == "proposed":
        return HistoryRow(entry, "proposed")
    if change.startswith(_APPROVED_FOR):
        return HistoryRow(entry, "approved", change.removeprefix(_APPROVED_FOR))
    if change.startswith(_SCHEDULED_FOR):
        try:
            due = datetime.fromisoformat(change.removeprefix(_SCHEDULED_FOR))
        except ValueError:
            return HistoryRow(entry, "other")
        return HistoryRow(entry, "scheduled", due=due)
    if change == _CANCELLED:
        return HistoryRow(entry, "cancelled")
    if change == "withdrawn":
        return HistoryRow(entry, "withdrawn")
    if change.startswith("activated"):
        return HistoryRow(entry, "activated")
    return HistoryRow(entry, "other")


@dataclass(frozen=True)
class ProposalLink:
    """The proposal a history row is about: where it is and its title."""

    href: str
    title: str


def _proposal_links(
    context: ApiContext, versions: set[str], lang: Language
) -> dict[str, ProposalLink]:
    """Policy version → the newest proposal that makes it (several may; the latest is shown)."""
    links: dict[str, ProposalLink] = {}
    for proposal in context.policies.proposals():
        if proposal.source.version not in versions:
            continue
        changes = proposal_in_words(context, proposal, lang)
        title = proposal_title(changes, list(proposal.changed), proposal.reason)
        href = f"/console/proposals/{proposal.proposal_id}"
        links[proposal.source.version] = ProposalLink(href, title)
    return links


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Every proposal, approval, scheduling, cancellation and activation, newest first."""
    rows = [history_row(e) for e in context.policy_admin.history()]
    lang = portal_language(request)
    names = DpoNames(context.policies, context.agencies, lang)
    links = _proposal_links(context, {r.entry.policy_version for r in rows}, lang)
    return console_page(
        request,
        context,
        dpo,
        "history.html",
        "history",
        rows=rows,
        uk=uk_time,
        person=names.of,
        links=links,
    )
