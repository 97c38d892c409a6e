"""Subject access request deadlines (one calendar month, extendable by two) and addressees."""

from __future__ import annotations

from datetime import date

import pytest

from broker.records.subject_requests import (
    MAX_OPEN_PER_CONTROLLER,
    SarStatus,
    SubjectAccessRequests,
    statutory_deadline,
)

POLICE = "gwent-police"
PROBATION = "probation-wales"


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
    (request,) = requests.submit("subj-a", [PROBATION], date(2026, 3, 3))
    extended = requests.extend(PROBATION, request.request_id, "complex request")
    assert (extended.status, extended.due_on) == (SarStatus.EXTENDED, date(2026, 6, 3))
    assert extended.extension_notice == "complex request"


def test_requests_belong_to_their_subject() -> None:
    """Another subject cannot fetch a request, and nobody may open more than the limit."""
    requests = SubjectAccessRequests()
    (request,) = requests.submit("subj-a", [PROBATION], date(2026, 3, 3))
    assert requests.get("subj-b", request.request_id) is None
    assert "subj-a" not in repr(request)
    for _ in range(MAX_OPEN_PER_CONTROLLER - 1):
        requests.submit("subj-a", [PROBATION], date(2026, 3, 3))
    with pytest.raises(ValueError, match=r"at most .* to one organisation"):
        requests.submit("subj-a", [POLICE, PROBATION], date(2026, 3, 3))
    assert len(requests.of_subject("subj-a")) == MAX_OPEN_PER_CONTROLLER, "all or nothing"
    requests.submit("subj-a", [POLICE], date(2026, 3, 3))


def test_only_the_addressee_finds_extends_or_completes_a_request() -> None:
    """Another agency gets KeyError (as for an unknown id) and the request stays unchanged."""
    requests = SubjectAccessRequests()
    (request,) = requests.submit("subj-a", [PROBATION], date(2026, 3, 3))
    assert requests.addressed_to(POLICE, request.request_id) is None
    with pytest.raises(KeyError):
        requests.extend(POLICE, request.request_id, "not ours")
    with pytest.raises(KeyError):
        requests.complete(POLICE, request.request_id, date(2026, 3, 4))
    assert requests.nearing_deadline(POLICE, date(2026, 3, 3), 92) == []
    unchanged = requests.addressed_to(PROBATION, request.request_id)
    assert unchanged is not None and unchanged.status is SarStatus.RECEIVED
    assert requests.nearing_deadline(PROBATION, date(2026, 3, 3), 92) == [unchanged]


def test_a_request_names_each_organisation_once() -> None:
    """No organisation, or one named twice, is a one-line error and records nothing."""
    requests = SubjectAccessRequests()
    with pytest.raises(ValueError, match="needs an organisation"):
        requests.submit("subj-a", [], date(2026, 3, 3))
    with pytest.raises(ValueError, match="only once"):
        requests.submit("subj-a", [POLICE, POLICE], date(2026, 3, 3))
    assert requests.of_subject("subj-a") == []
