"""Records tailed from ``subjects`` update the cohort; older copies never undo newer ones."""

from datetime import UTC, datetime, timedelta

from broker.domain.cohort_table import CohortTable
from broker.domain.subject import SubjectIdentifiers
from broker.router.cohort_feed import apply_subject_records
from broker.router.subject_codec import encode_subject

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KEY = b"k" * 32
IDS = SubjectIdentifiers(crn="X1", pnc_id="P1")


def enrolled_and_deselected() -> tuple[bytes, bytes]:
    """The encoded enrolment and later deselection of one subject, as another router made them."""
    other = CohortTable(KEY)
    enrolled = other.stage_enrolment(IDS, "FIXED", "probation-wales", T0)
    deselected = other.stage_deselection(enrolled, T0 + timedelta(days=1))
    return encode_subject(enrolled), encode_subject(deselected)


def test_enrolment_from_another_router_becomes_resolvable() -> None:
    """A subject enrolled elsewhere is found here by any identifier once its record is applied."""
    table = CohortTable(KEY)
    enrolled, _ = enrolled_and_deselected()
    assert apply_subject_records(table, [enrolled]) == 1
    subject = table.resolve(SubjectIdentifiers(pnc_id="P1"))
    assert subject is not None and subject.enrolled


def test_late_copy_of_enrolment_does_not_re_enrol() -> None:
    """An enrolment record arriving after the deselection leaves the subject deselected."""
    table = CohortTable(KEY)
    enrolled, deselected = enrolled_and_deselected()
    apply_subject_records(table, [deselected, enrolled])
    subject = table.resolve(IDS)
    assert subject is not None and not subject.enrolled


def test_tombstones_are_skipped() -> None:
    """A tombstone (compaction delete marker) is not counted and changes nothing."""
    table = CohortTable(KEY)
    assert apply_subject_records(table, [None]) == 0
    assert len(table) == 0
