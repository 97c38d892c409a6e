"""Retention periods are ISO 8601 durations counted from the decision."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from broker.transparency.errors import EntryError
from broker.transparency.retention import retention_ends

DECIDED = datetime(2024, 1, 31, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("retention", "ends"),
    [
        ("P2Y", datetime(2026, 1, 31, 12, 0, tzinfo=UTC)),
        ("P1M", datetime(2024, 2, 29, 12, 0, tzinfo=UTC)),
        ("P1Y2M10DT2H", datetime(2025, 4, 10, 14, 0, tzinfo=UTC)),
        ("P2W", datetime(2024, 2, 14, 12, 0, tzinfo=UTC)),
        ("PT90M", datetime(2024, 1, 31, 13, 30, tzinfo=UTC)),
    ],
)
def test_retention_end_dates(retention: str, ends: datetime) -> None:
    """Years and months move the calendar (clamped to month end); the rest is exact time."""
    assert retention_ends(DECIDED, retention, "P6Y") == ends


def test_missing_retention_uses_the_default() -> None:
    """A decision without a retention (a refusal) is kept for the log's default period."""
    assert retention_ends(DECIDED, None, "P6Y") == datetime(2030, 1, 31, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["P", "2Y", "P1.5Y", "PT", "P1Y2", "forever"])
def test_invalid_durations_are_named(bad: str) -> None:
    """A value that is not a whole-unit ISO 8601 duration is refused, quoting it."""
    with pytest.raises(EntryError, match=repr(bad).replace(".", r"\.")):
        retention_ends(DECIDED, bad, "P6Y")
