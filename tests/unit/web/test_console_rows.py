"""How the console's history and area-difference tables read their sources."""

from __future__ import annotations

from datetime import UTC, datetime

from broker.policy.area_diff import AreaFlowDifference, FlowTerms
from broker.policy_admin.views import HistoryEntry
from broker.web.routes_console_areas import area_row
from broker.web.routes_console_history import history_row

AT = datetime(2026, 3, 1, tzinfo=UTC)


def _entry(change: str) -> HistoryEntry:
    return HistoryEntry(at=AT, actor="dpo:x", policy_version="sha256:1", change=change)


def test_history_actions_are_recognised_for_translation() -> None:
    """Proposed, approved for an agency, withdrawn and activated are known; anything else is
    shown as is."""
    assert history_row(_entry("proposed")).kind == "proposed"
    approved = history_row(_entry("approved for gdas"))
    assert (approved.kind, approved.agency) == ("approved", "gdas")
    assert history_row(_entry("activated at 2026-04-01T00:00:00Z")).kind == "activated"
    assert history_row(_entry("withdrawn")).kind == "withdrawn"
    assert history_row(_entry("withdrawn later")).kind == "other"


def test_activation_actions_are_recognised_with_the_time_scheduled_for() -> None:
    """Scheduling keeps its time for display in UK time; cancelling is known; junk is as is."""
    scheduled = history_row(_entry("activation scheduled for 2026-04-01T13:30:00+00:00"))
    due = datetime(2026, 4, 1, 13, 30, tzinfo=UTC)
    assert (scheduled.kind, scheduled.due) == ("scheduled", due)
    assert history_row(_entry("scheduled activation cancelled")).kind == "cancelled"
    assert history_row(_entry("activation scheduled for soon")).kind == "other"


def _terms(fields: tuple[tuple[str, str], ...], retention: str = "P1Y") -> FlowTerms:
    return FlowTerms("r", "a", "p", "lb", fields, "", retention)


def test_area_row_names_fields_only_one_area_shares_and_differing_terms() -> None:
    """Fields on one side only, a changed transform and a changed retention are all named."""
    left = _terms((("subject.crn", ""), ("payload.address_line", ""), ("payload.x", "")))
    right = _terms((("subject.crn", ""), ("payload.x", "hash"), ("payload.y", "")), "P2Y")
    row = area_row(AreaFlowDifference(("housing", "probation", "e"), (left,), (right,)))
    assert row.only_left == ("payload.address_line",)
    assert row.only_right == ("payload.y",)
    assert row.differing == ("transforms", "retention")


def test_area_row_for_a_flow_in_one_area_only() -> None:
    """A flow only one area has lists no field differences (the page says which area)."""
    row = area_row(AreaFlowDifference(("police", "health", "arrest"), (), (_terms(()),)))
    assert (row.left, row.only_left, row.differing) == ((), (), ())
