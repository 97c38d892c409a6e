"""Subject access requests as counts: on time, late, open, overdue, extended; by addressee."""

from __future__ import annotations

from datetime import date

from broker.records.subject_requests import SubjectAccessRequests
from broker.statistics.facts import Fact, Measure
from broker.statistics.report import build_report
from broker.statistics.rights import request_counts

AREAS = {"gwent-police": "gwent", "probation-wales": "wales"}


def _outcomes(requests: SubjectAccessRequests, today: date) -> dict[tuple[str, str], int]:
    counted = request_counts(requests.records, "2026-01", "2026-03", today, AREAS)
    return {(f.agency, f.reason): n for f, n in counted if f.measure == Measure.SAR_OUTCOME}


def test_requests_count_by_what_became_of_them() -> None:
    """Answered within the month is on time, after it late; open ones are overdue once the
    (possibly extended) deadline has passed; nothing about the person is counted."""
    requests = SubjectAccessRequests(controllers=["gwent-police", "probation-wales"])
    on_time, late, extended, overdue = (
        requests.submit(f"subj-{i}", ["gwent-police"], date(2026, 1, 10))[0] for i in range(4)
    )
    requests.complete("gwent-police", on_time.request_id, date(2026, 2, 10))
    requests.complete("gwent-police", late.request_id, date(2026, 2, 11))
    requests.extend("gwent-police", extended.request_id, "complex request", 2, date(2026, 1, 20))
    requests.submit("subj-x", ["probation-wales"], date(2026, 4, 1))  # after the period
    found = _outcomes(requests, today=date(2026, 3, 1))
    assert found == {
        ("gwent-police", "answered_on_time"): 1,
        ("gwent-police", "answered_late"): 1,
        ("gwent-police", "open_in_time"): 1,
        ("gwent-police", "open_overdue"): 1,
    }
    counted = request_counts(requests.records, "2026-01", "2026-03", date(2026, 3, 1), AREAS)
    assert all("subj" not in str(fact) for fact, _ in counted)
    assert overdue.request_id not in str(counted)


def test_a_report_with_few_requests_shows_them_as_c() -> None:
    """Three requests to one agency are [c] in the published table."""
    counted = [
        (Fact(Measure.SAR_OUTCOME, "2026-01", area="gwent", agency="gwent-police",
              reason="answered_on_time"), 3),
        (Fact(Measure.SAR_EXTENSION, "2026-01", area="gwent", agency="gwent-police",
              reason="not_extended"), 3),
    ]  # fmt: skip
    report = build_report(counted, "2026-01", "2026-01", ["gwent"], AREAS)
    outcomes = report.table("subject_access_requests")
    assert outcomes.headings[1:5] == (
        "answered_on_time", "answered_late", "open_in_time", "open_overdue"
    )  # fmt: skip
    assert outcomes.rows[0] == ("gwent-police", None, 0, 0, 0, None)
