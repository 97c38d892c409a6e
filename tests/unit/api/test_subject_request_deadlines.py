"""Subject access request deadlines: one calendar month, extendable by two."""

from __future__ import annotations

from datetime import date

import pytest

from broker.api.subject_requests import (
    MAX_OPEN_PER_SUBJECT,
    SarStatus,
    SubjectAccessRequests,
    statutory_deadline,
)


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        (date(2026, 3, 3), date(2026, 4, 3), date(2026, 6, 3)),
        (date(2026, 1, 31), date(2026, 2, 28), date(2026, 4, 30)),
        (date(2024, 1, 30), date(2024, 2, 29), date(2024, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15), date(2027, 3, 15)),
    ],
)
def test_deadline_is_the_same_day_next_month_or_its_last_day(
    received: date, due: date, extended: date
) -> None:
    """The deadline falls on the corresponding day, or the month's last day if it has none."""
    assert statutory_deadline(received) == due
    assert statutory_deadline(received, extended=True) == extended


def test_extension_moves_the_deadline_and_keeps_the_notice() -> None:
    """An extended request is due three months after receipt and says why."""
    requests = SubjectAccessRequests()
    request = requests.submit("subj-a", date(2026, 3, 3))
    extended = requests.extend(request.request_id, "complex request")
    assert (extended.status, extended.due_on) == (SarStatus.EXTENDED, date(2026, 6, 3))
    assert extended.extension_notice == "complex request"


def test_requests_belong_to_their_subject() -> None:
    """Another subject cannot fetch a request, and nobody may open more than the limit."""
    requests = SubjectAccessRequests()
    request = requests.submit("subj-a", date(2026, 3, 3))
    assert requests.get("subj-b", request.request_id) is None
    assert "subj-a" not in repr(request)
    for _ in range(MAX_OPEN_PER_SUBJECT - 1):
        requests.submit("subj-a", date(2026, 3, 3))
    with pytest.raises(ValueError, match="at most"):
        requests.submit("subj-a", date(2026, 3, 3))
