"""The IOM cohort: which subjects are enrolled, found by any of their agency identifiers."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import datetime

from broker.domain.subject import SubjectIdentifiers, SubjectRecord


class IdentifierConflict(LookupError):
    """An event's identifiers point at two people, or contradict a person's known identifier."""


def subject_reference(key: bytes, identifiers: SubjectIdentifiers) -> str:
    """A keyed, stable reference for a subject that reveals none of its identifiers."""
    kind, value = identifiers.pairs()[0]
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"subj-{digest[:32]}"


class CohortTable:
    """In-memory cohort membership with staged changes that are kept only once committed."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._records: dict[str, SubjectRecord] = {}
        self._index: dict[tuple[str, str], str] = {}
        self._staged: dict[str, SubjectRecord] = {}

    def __len__(self) -> int:
        return len(self._records)

    def resolve(self, identifiers: SubjectIdentifiers) -> SubjectRecord | None:
        """The subject any identifier belongs to (staged changes included), or None."""
        refs = {ref for pair in identifiers.pairs() if (ref := self._lookup(pair)) is not None}
        if len(refs) > 1:
            raise IdentifierConflict("event identifiers match more than one subject")
        if not refs:
            return None
        ref = refs.pop()
        return self._staged.get(ref) or self._records[ref]

    def stage_enrolment(
        self,
        identifiers: SubjectIdentifiers,
        cohort: str,
        lead_agency: str,
        at: datetime,
        area: str | None = None,
    ) -> SubjectRecord:
        """Enrol (or re-enrol) the subject in ``area``, adding any identifiers newly learned.

        A known identifier is never replaced: the caller refuses a conflicting enrolment.
        """
        existing = self.resolve(identifiers)
        if existing is None:
            record = SubjectRecord(
                subject_ref=subject_reference(self._key, identifiers),
                cohort=cohort,
                enrolled=True,
                identifiers=identifiers,
                updated_at=at,
                lead_agency=lead_agency,
                area=area,
            )
        else:
            record = replace(
                existing,
                cohort=cohort,
                enrolled=True,
                identifiers=existing.identifiers.with_added(identifiers),
                updated_at=at,
                lead_agency=lead_agency,
                area=area or existing.area,
            )
        self._staged[record.subject_ref] = record
        return record

    def stage_deselection(self, record: SubjectRecord, at: datetime) -> SubjectRecord:
        """Mark an enrolled subject as deselected: nothing more is shared about them."""
        updated = record.deselected(at)
        self._staged[updated.subject_ref] = updated
        return updated

    def stage_update(self, record: SubjectRecord) -> SubjectRecord:
        """Stage another change to a known subject (e.g. supervision status or consent)."""
        self._staged[record.subject_ref] = record
        return record

    def staged(self) -> tuple[SubjectRecord, ...]:
        """Changes made since the last commit or discard."""
        return tuple(self._staged.values())

    def commit(self) -> None:
        """Keep the staged changes (after the Kafka transaction carrying them committed)."""
        for record in self._staged.values():
            self.apply(record)
        self._staged.clear()

    def discard(self) -> None:
        """Forget the staged changes (the transaction carrying them aborted)."""
        self._staged.clear()

    def apply(self, record: SubjectRecord) -> None:
        """Store a committed record, e.g. one replayed from the ``subjects`` topic.

        An older version never replaces a newer one, so a late replay cannot re-enrol someone.
        """
        current = self._records.get(record.subject_ref)
        if current is not None and current.updated_at > record.updated_at:
            return
        self._records[record.subject_ref] = record
        for pair in record.identifiers.pairs():
            self._index[pair] = record.subject_ref

    def _lookup(self, pair: tuple[str, str]) -> str | None:
        for record in self._staged.values():
            if pair in record.identifiers.pairs():
                return record.subject_ref
        return self._index.get(pair)
