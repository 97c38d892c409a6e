"""Who an event is about, and how it changes their record: shared by the router and simulate.

Before deciding: resolve the subject and check the event may say what it says about them.
Identifiers that contradict the person's known ones, or point at two people, are a conflict
and never merged. Only the area's cohort authority may enrol or deselect (checked against the
area the enrolment names and the person's current area). An identifier the person's record
lacks is added only by an agency that issues that type, or by the cohort authority enrolling
them. After deciding: a deselection ends their membership (the deselection itself is still
shared), and other events update supervision status or consent. Changes are staged in the
cohort table; the caller commits them with its Kafka transaction (or at once, when simulating).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from broker.domain.cohort_table import CohortTable, IdentifierConflict
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.engine import CompiledPolicy
from broker.router.subject_updates import subject_after

ENROLMENT = "cohort_enrolment"
DESELECTION = "cohort_deselection"


class NotCohortAuthority(Exception):
    """A cohort event from an agency that may not change cohort membership in that area.

    ``area`` is the policy area refused (an area id, never a personal value).
    """

    def __init__(self, area: str) -> None:
        super().__init__(f"not the cohort authority for area {area or '(unknown)'!r}")
        self.area = area


class SubjectTracker:
    """Resolves and updates subjects in a :class:`CohortTable`."""

    def __init__(self, cohort: CohortTable) -> None:
        self.cohort = cohort

    def before(
        self, event: Event, now: datetime, policy: CompiledPolicy
    ) -> tuple[SubjectRecord | None, list[SubjectRecord]]:
        """The subject to decide about, and the updates staged so far.

        Raise :class:`IdentifierConflict` or :class:`NotCohortAuthority`; nothing is staged
        for a refused event.
        """
        subject = self.cohort.resolve(event.subject)
        if subject is not None and subject.identifiers.conflicting_types(event.subject):
            raise IdentifierConflict("event identifiers contradict the subject's")
        source = event.source_agency
        current = policy.area_of(subject) if subject is not None and subject.enrolled else None
        if event.event_type == ENROLMENT:
            payload = event.payload
            _check_authority(policy, source, policy.area_named(payload.get("area"), source))
            if current is not None:
                _check_authority(policy, source, current)
            enrolled = self.cohort.stage_enrolment(
                event.subject, payload["cohort"], source, now, payload.get("area")
            )
            return enrolled, [enrolled]
        if event.event_type == DESELECTION:
            _check_authority(policy, source, current or policy.area_named(None, source))
        if subject is None or not subject.enrolled:
            return subject, []
        identifiers = subject.identifiers.with_added(
            event.subject, policy.owned_identifiers(source)
        )
        if identifiers == subject.identifiers:
            return subject, []
        updated = self.cohort.stage_update(
            replace(subject, identifiers=identifiers, updated_at=now)
        )
        return updated, [updated]

    def after(
        self, event: Event, subject: SubjectRecord | None, now: datetime
    ) -> list[SubjectRecord]:
        """Updates this event makes to an enrolled subject once it has been decided."""
        if subject is None or not subject.enrolled:
            return []
        if event.event_type == DESELECTION:
            return [self.cohort.stage_deselection(subject, now)]
        changed = subject_after(event, subject, now)
        return [] if changed is None else [self.cohort.stage_update(changed)]


def _check_authority(policy: CompiledPolicy, agency: str, area: str) -> None:
    if not policy.may_change_cohort(agency, area):
        raise NotCohortAuthority(area)
