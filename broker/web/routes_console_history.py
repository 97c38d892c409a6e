"""The console's history: who did what to the sharing policy, and when, newest first.

The rows are the API's ``/policies/history`` (the s.62 audit's policy changes); the known
actions (proposed, approved for an agency, activated) are shown in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from broker.api.routes_policies import HistoryEntry, history
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page

__all__ = ["HistoryRow", "history_row", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

_APPROVED_FOR = "approved for "


@dataclass(frozen=True)
class HistoryRow:
    """One action: its kind (``proposed``, ``approved``, ``activated`` or ``other``) and subject."""

    entry: HistoryEntry
    kind: str
    agency: str = ""


def history_row(entry: HistoryEntry) -> HistoryRow:
    """Classify an audit entry's ``change`` text for display."""
    change = entry.change
    if change == "proposed":
        return HistoryRow(entry, "proposed")
    if change.startswith(_APPROVED_FOR):
        return HistoryRow(entry, "approved", change.removeprefix(_APPROVED_FOR))
    if change.startswith("activated"):
        return HistoryRow(entry, "activated")
    return HistoryRow(entry, "other")


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, context: Context, dpo: Dpo) -> HTMLResponse:
    """Every proposal, approval and activation, newest first."""
    rows = [history_row(e) for e in history(context, dpo)]
    return console_page(request, context, dpo, "history.html", "history", rows=rows)
