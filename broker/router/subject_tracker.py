"""Who an event is about, and how it changes their record: shared by the router and simulate.

Before deciding: resolve the subject (an enrolment enrols them first, in the enrolment's area).
After deciding: a deselection ends their membership (the deselection itself is still shared),
and other events update supervision status or consent. Changes are staged in the cohort table;
the caller commits them with its Kafka transaction (or at once, when simulating).
"""

from __future__ import annotations

from datetime import datetime

from broker.domain.cohort_table import CohortTable
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.router.subject_updates import subject_after

ENROLMENT = "cohort_enrolment"
DESELECTION = "cohort_deselection"


class SubjectTracker:
    """Resolves and updates subjects in a :class:`CohortTable`."""

    def __init__(self, cohort: CohortTable) -> None:
        self.cohort = cohort

    def before(
        self, event: Event, now: datetime
    ) -> tuple[SubjectRecord | None, list[SubjectRecord]]:
        """The subject to decide about, and the updates staged so far (an enrolment).

        Raise ``AmbiguousSubject`` when the identifiers match two people.
        """
        if event.event_type != ENROLMENT:
            return self.cohort.resolve(event.subject), []
        payload = event.payload
        enrolled = self.cohort.stage_enrolment(
            event.subject, payload["cohort"], event.source_agency, now, payload.get("area")
        )
        return enrolled, [enrolled]

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
