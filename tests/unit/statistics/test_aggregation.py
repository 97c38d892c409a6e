"""What the statistics service counts from disclosures, dead letters and cohort changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.statistics.aggregation import Aggregation, Member, flow_area
from broker.statistics.facts import Fact, Measure
from broker.statistics.uk_month import month_range, uk_month
from tests.support.statistics_data import disclosed, refused

AREAS = {"gwent-police": "gwent", "probation-wales": "wales", "newport-housing": "gwent"}


def _disclosure(event_id: str, recipient: str, permitted: bool, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": "arrest",
        "decided_at": datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        "source_agency": "gwent-police",
        "recipient_agency": recipient,
        "permitted": permitted,
        "purpose": "offender_management" if permitted else None,
        "legal_basis": "dpa2018_s35" if permitted else None,
        "reason": None if permitted else "no_rule",
        **extra,
    }


def _subject(
    enrolled: bool, at: datetime, cohort: str = "FIXED", area: str = "gwent"
) -> SubjectRecord:
    return SubjectRecord("subj-1", cohort, enrolled, SubjectIdentifiers(crn="X1"), at, area=area)


def test_months_are_uk_time() -> None:
    """23:30 UTC on 31 March 2026 is already April in British Summer Time."""
    assert uk_month(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == "2026-04"
    assert uk_month(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == "2026-01"
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_a_flow_belongs_to_the_local_area_of_its_agencies() -> None:
    """Probation serves all of Wales, so its flows with Gwent Police are Gwent's."""
    assert flow_area("probation-wales", "gwent-police", AREAS) == "gwent"
    assert flow_area("gwent-police", "probation-wales", AREAS) == "gwent"
    assert flow_area("probation-wales", "probation-wales", AREAS) == "wales"


def test_one_event_decided_for_two_recipients_is_one_record_received() -> None:
    """Disclosures and refusals are counted per decision, the event once per sender."""
    aggregation = Aggregation(AREAS, {}, {})
    aggregation.add_disclosure(0, _disclosure("e1", "probation-wales", True))
    aggregation.add_disclosure(0, _disclosure("e1", "newport-housing", False))
    aggregation.add_disclosure(0, _disclosure("e2", "probation-wales", True))
    counts = aggregation.counts
    assert counts[Fact(Measure.RECEIVED, "2026-04", area="gwent", agency="gwent-police")] == 2
    assert counts[disclosed("gwent-police", "probation-wales", "2026-04")] == 2
    refusal = refused("gwent-police", "newport-housing", "2026-04")
    assert counts[refusal] == 1


def test_an_event_split_across_batches_is_not_counted_twice() -> None:
    """The last event id of each partition carries over to the next batch."""
    last_events: dict[int, str] = {}
    Aggregation(AREAS, {}, last_events).add_disclosure(
        2, _disclosure("e1", "probation-wales", True)
    )
    later = Aggregation(AREAS, {}, last_events)
    later.add_disclosure(2, _disclosure("e1", "newport-housing", True))
    assert not any(f.measure == Measure.RECEIVED for f in later.counts)


def test_enrolment_exit_and_return_are_counted_with_time_in_cohort() -> None:
    """Enrol, leave 40 days later, come back: one start, one exit of 40 days, one re-enrolment."""
    members: dict[str, Member] = {}
    aggregation = Aggregation(AREAS, members, {})
    aggregation.add_subject("k", _subject(True, datetime(2026, 1, 10, 12, tzinfo=UTC)))
    aggregation.add_subject("k", _subject(True, datetime(2026, 1, 12, 12, tzinfo=UTC)))
    aggregation.add_subject("k", _subject(False, datetime(2026, 2, 19, 12, tzinfo=UTC)))
    aggregation.add_subject("k", _subject(True, datetime(2026, 3, 1, 12, tzinfo=UTC), "FLEX"))
    counts = aggregation.counts
    assert counts[Fact(Measure.ENROLMENTS, "2026-01", area="gwent", cohort="FIXED")] == 1
    assert counts[Fact(Measure.DESELECTIONS, "2026-02", area="gwent", cohort="FIXED")] == 1
    assert (
        counts[Fact(Measure.TIME_IN_COHORT, "2026-02", area="gwent", cohort="FIXED", days=40)] == 1
    )
    assert counts[Fact(Measure.RE_ENROLMENTS, "2026-03", area="gwent", cohort="FLEX")] == 1
    assert counts[Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED")] == 1
    assert counts[Fact(Measure.COHORT_NET, "2026-02", area="gwent", cohort="FIXED")] == -1
    assert members["k"] == Member("gwent", "FLEX", True, date(2026, 3, 1), True)


def test_a_move_between_cohorts_moves_the_person_without_a_start_or_exit() -> None:
    """Fixed to Flex: one fewer in Fixed, one more in Flex, no enrolment or deselection."""
    members = {"k": Member("gwent", "FIXED", True, date(2026, 1, 1))}
    aggregation = Aggregation(AREAS, members, {})
    aggregation.add_subject("k", _subject(True, datetime(2026, 5, 1, tzinfo=UTC), "FLEX"))
    assert dict(aggregation.counts) == {
        Fact(Measure.COHORT_NET, "2026-05", area="gwent", cohort="FIXED"): -1,
        Fact(Measure.COHORT_NET, "2026-05", area="gwent", cohort="FLEX"): 1,
    }


def test_dead_letters_count_by_agency_and_reason() -> None:
    """A dead letter counts for the agency whose topic it is in, with its reason."""
    aggregation = Aggregation(AREAS, {}, {})
    aggregation.add_dead_letter(
        "newport-housing", "identifier_conflict", datetime(2026, 6, 1, tzinfo=UTC)
    )
    fact = Fact(
        Measure.DEAD_LETTERED,
        "2026-06",
        area="gwent",
        agency="newport-housing",
        reason="identifier_conflict",
    )
    assert aggregation.counts[fact] == 1
