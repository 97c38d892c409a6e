"""Fold the broker's records into counts: disclosures, dead letters, cohort changes. Pure.

The statistics service feeds one polled batch at a time through an :class:`Aggregation`
and stores its counts, the cohort members it changed and its offsets in one transaction.

* A disclosure counts as ``disclosed`` or ``refused`` in the month (UK time) it was decided.
  Every decision on one event is written consecutively to one partition (same key), so a
  change of ``event_id`` within a partition starts a new event: that counts one record
  ``received`` from its sender.
* A dead letter counts ``dead_lettered`` for the agency whose ``dlq.<agency>`` it is in.
* A ``subjects`` record is compared with the member's previous state: a start (``enrolments``,
  and ``re_enrolments`` for someone deselected before), an exit (``deselections`` and the
  whole days of the spell in ``time_in_cohort``), a move between cohorts or areas, and the
  net change of the people enrolled (``cohort_net``) by area and cohort.

The area of a flow is the local area of the sender, or of the recipient when the sender
serves all of Wales (each agency serves one area: policies/vocabulary/areas.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from broker.domain.subject import SubjectRecord
from broker.statistics.facts import Fact, Measure
from broker.statistics.uk_month import UK_TIME, uk_month

__all__ = ["NATIONAL", "UNKNOWN", "Aggregation", "Member", "flow_area"]

NATIONAL = "wales"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Member:
    """What the statistics keep about one person, under a salted digest of their subject
    reference, to tell starts from exits: never published or exported."""

    area: str
    cohort: str
    enrolled: bool
    spell_start: date
    deselected_before: bool = False


def flow_area(sender: str, recipient: str, agency_areas: Mapping[str, str]) -> str:
    """The local area a flow between two agencies belongs to (``wales`` if neither is local)."""
    for agency in (sender, recipient):
        area = agency_areas.get(agency, UNKNOWN)
        if area != NATIONAL:
            return area
    return NATIONAL


def _uk_day(at: datetime) -> date:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UK_TIME).date()


class Aggregation:
    """The counts of one batch; ``members`` is updated in place (changed keys in ``changed``),
    ``last_events`` holds the last event id seen per disclosures partition."""

    def __init__(
        self,
        agency_areas: Mapping[str, str],
        members: MutableMapping[str, Member],
        last_events: MutableMapping[int, str],
    ) -> None:
        self._areas = agency_areas
        self.members = members
        self.last_events = last_events
        self.counts: Counter[Fact] = Counter()
        self.changed: set[str] = set()

    def add_disclosure(self, partition: int, record: Mapping[str, Any]) -> None:
        """Count one decoded disclosure record (its ``decided_at`` gives the month)."""
        month = uk_month(record["decided_at"])
        sender, recipient = record["source_agency"], record["recipient_agency"]
        area = flow_area(sender, recipient, self._areas)
        if self.last_events.get(partition) != record["event_id"]:
            self.last_events[partition] = record["event_id"]
            self.counts[Fact(Measure.RECEIVED, month, area=area, agency=sender)] += 1
        if record["permitted"]:
            fact = Fact(
                Measure.DISCLOSED,
                month,
                area=area,
                agency=sender,
                recipient=recipient,
                event_type=record["event_type"],
                purpose=record.get("purpose") or "",
                legal_basis=record.get("legal_basis") or "",
            )
        else:
            fact = Fact(
                Measure.REFUSED,
                month,
                area=area,
                agency=sender,
                recipient=recipient,
                event_type=record["event_type"],
                reason=record.get("reason") or "",
            )
        self.counts[fact] += 1

    def add_dead_letter(self, agency: str, reason: str, at: datetime) -> None:
        """Count one record turned away from ``agency`` for ``reason``."""
        area = self._areas.get(agency, UNKNOWN)
        self.counts[
            Fact(Measure.DEAD_LETTERED, uk_month(at), area=area, agency=agency, reason=reason)
        ] += 1

    def add_subject(self, member_key: str, record: SubjectRecord) -> None:
        """Compare a ``subjects`` record with the member's last state and count the change."""
        before = self.members.get(member_key)
        day, month = _uk_day(record.updated_at), uk_month(record.updated_at)
        area, cohort = record.area or UNKNOWN, record.cohort
        was_in = before is not None and before.enrolled
        if record.enrolled and not was_in:
            self._count(Measure.ENROLMENTS, month, area, cohort)
            if before is not None and before.deselected_before:
                self._count(Measure.RE_ENROLMENTS, month, area, cohort)
            self._count(Measure.COHORT_NET, month, area, cohort)
            after = Member(area, cohort, True, day, before is not None)
        elif was_in and not record.enrolled:
            assert before is not None
            self._count(Measure.DESELECTIONS, month, before.area, before.cohort)
            self._count(Measure.COHORT_NET, month, before.area, before.cohort, -1)
            days = max(0, (day - before.spell_start).days)
            self.counts[
                Fact(
                    Measure.TIME_IN_COHORT, month, area=before.area, cohort=before.cohort, days=days
                )
            ] += 1
            after = replace(before, enrolled=False, deselected_before=True)
        elif was_in and before is not None and (before.area, before.cohort) != (area, cohort):
            self._count(Measure.COHORT_NET, month, before.area, before.cohort, -1)
            self._count(Measure.COHORT_NET, month, area, cohort)
            after = replace(before, area=area, cohort=cohort)
        elif before is None:
            after = Member(area, cohort, False, day, True)
        else:
            return
        self.members[member_key] = after
        self.changed.add(member_key)

    def _count(self, measure: str, month: str, area: str, cohort: str, n: int = 1) -> None:
        self.counts[Fact(measure, month, area=area, cohort=cohort)] += n
