"""Cohort membership: found by any identifier, changed only when committed."""

from datetime import UTC, datetime, timedelta

import pytest

from broker.domain.cohort_table import CohortTable, IdentifierConflict
from broker.domain.subject import SubjectIdentifiers

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KEY = b"k" * 32


def enrolled_table() -> CohortTable:
    table = CohortTable(KEY)
    table.stage_enrolment(SubjectIdentifiers(crn="X1", pnc_id="P1"), "FIXED", "probation-wales", T0)
    table.commit()
    return table


def test_subject_is_found_by_any_identifier() -> None:
    """An event carrying only the PNC id finds the subject enrolled with CRN and PNC id."""
    subject = enrolled_table().resolve(SubjectIdentifiers(pnc_id="P1"))
    assert subject is not None and subject.enrolled and subject.cohort == "FIXED"


def test_subject_reference_reveals_no_identifier() -> None:
    """The subject reference is keyed and contains none of the agency identifiers."""
    subject = enrolled_table().resolve(SubjectIdentifiers(crn="X1"))
    assert subject is not None
    assert "X1" not in subject.subject_ref and "P1" not in subject.subject_ref
    other_key = CohortTable(b"o" * 32)
    other = other_key.stage_enrolment(SubjectIdentifiers(crn="X1"), "FIXED", "p", T0)
    assert other.subject_ref != subject.subject_ref


def test_discarded_changes_are_forgotten() -> None:
    """A deselection staged in an aborted transaction leaves the subject enrolled."""
    table = enrolled_table()
    subject = table.resolve(SubjectIdentifiers(crn="X1"))
    assert subject is not None
    table.stage_deselection(subject, T0 + timedelta(days=1))
    table.discard()
    after = table.resolve(SubjectIdentifiers(crn="X1"))
    assert after is not None and after.enrolled


def test_staged_changes_are_visible_before_commit() -> None:
    """Within one batch a deselection is seen by the next record at once."""
    table = enrolled_table()
    subject = table.resolve(SubjectIdentifiers(crn="X1"))
    assert subject is not None
    table.stage_deselection(subject, T0 + timedelta(days=1))
    staged = table.resolve(SubjectIdentifiers(pnc_id="P1"))
    assert staged is not None and not staged.enrolled


def test_older_replayed_record_does_not_re_enrol() -> None:
    """Replaying an older enrolment after a deselection keeps the subject deselected."""
    table = enrolled_table()
    enrolled = table.resolve(SubjectIdentifiers(crn="X1"))
    assert enrolled is not None
    table.apply(enrolled.deselected(T0 + timedelta(days=2)))
    table.apply(enrolled)
    current = table.resolve(SubjectIdentifiers(crn="X1"))
    assert current is not None and not current.enrolled


def test_identifiers_of_two_subjects_are_ambiguous() -> None:
    """An event whose identifiers belong to two different subjects is refused as ambiguous."""
    table = enrolled_table()
    table.stage_enrolment(SubjectIdentifiers(crn="X2"), "FLEX", "probation-wales", T0)
    table.commit()
    with pytest.raises(IdentifierConflict):
        table.resolve(SubjectIdentifiers(crn="X2", pnc_id="P1"))


def test_re_enrolment_merges_new_identifiers() -> None:
    """Re-enrolling with an NHS number lets later health events find the same subject."""
    table = enrolled_table()
    first = table.resolve(SubjectIdentifiers(crn="X1"))
    table.stage_enrolment(SubjectIdentifiers(crn="X1", nhs_number="N1"), "FLEX", "p", T0)
    table.commit()
    found = table.resolve(SubjectIdentifiers(nhs_number="N1"))
    assert first is not None and found is not None
    assert found.subject_ref == first.subject_ref and found.cohort == "FLEX"
