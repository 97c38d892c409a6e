"""Subject access requests carry a human reference, and a repeated submission makes nothing new."""

from __future__ import annotations

from datetime import date

from broker.records.sar_references import is_reference
from broker.records.subject_requests import SubjectAccessRequests

POLICE = "gwent-police"
PROBATION = "probation-wales"
DAY = date(2026, 3, 3)


def test_each_request_gets_its_own_reference_counting_up_within_the_year() -> None:
    """A request to two services gets SAR-2026-000001 and -000002; a new year starts at 1."""
    requests = SubjectAccessRequests()
    first, second = requests.submit("subj-a", [POLICE, PROBATION], DAY)
    assert (first.reference, second.reference) == ("SAR-2026-000001", "SAR-2026-000002")
    (later,) = requests.submit("subj-b", [POLICE], date(2027, 1, 4))
    assert later.reference == "SAR-2027-000001"
    assert all(is_reference(r.reference) for r in (first, second, later))


def test_a_repeated_submission_the_same_day_returns_the_first_requests() -> None:
    """Sending the same choice twice on one day is recognised: the same references, no new
    request; the next day it is a new request."""
    requests = SubjectAccessRequests()
    made = requests.submit_once("subj-a", [POLICE, PROBATION], DAY)
    again = requests.submit_once("subj-a", [POLICE, PROBATION], DAY)
    assert not made.repeated and again.repeated
    assert [r.reference for r in again.requests] == [r.reference for r in made.requests]
    assert len(requests.of_subject("subj-a")) == 2
    tomorrow = requests.submit_once("subj-a", [POLICE], date(2026, 3, 4))
    assert not tomorrow.repeated and len(requests.of_subject("subj-a")) == 3


def test_an_answered_request_is_not_a_reason_to_refuse_a_new_one() -> None:
    """Once the service has answered, asking it again the same day makes a new request."""
    requests = SubjectAccessRequests()
    (first,) = requests.submit_once("subj-a", [POLICE], DAY).requests
    requests.complete(POLICE, first.request_id, DAY)
    again = requests.submit_once("subj-a", [POLICE], DAY)
    assert not again.repeated and again.requests[0].reference == "SAR-2026-000002"


def test_a_reference_finds_only_the_persons_own_request() -> None:
    """Looking a reference up for another person finds nothing."""
    requests = SubjectAccessRequests()
    (mine,) = requests.submit("subj-a", [POLICE], DAY)
    assert requests.by_reference("subj-a", mine.reference) == mine
    assert requests.by_reference("subj-b", mine.reference) is None
