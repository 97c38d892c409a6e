"""Route one ingress record: decode, check, resolve the subject, decide, minimise, record.

Pure apart from the clock: no Kafka here, so every routing rule is unit-testable. The Kafka
loop writes all the records one ingress record produces in a single transaction. Ingress is
validated on decode; the delivery and disclosure records built here from it skip the codec's
validator (fastavro still refuses a wrong type), which the round-trip tests cover.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.domain.agency import AgencyDirectory
from broker.domain.cohort_table import CohortTable, IdentifierConflict
from broker.domain.decision import Decision
from broker.domain.event import Event
from broker.kafka.topics import (
    DISCLOSURES_TOPIC,
    SUBJECTS_TOPIC,
    agency_of_ingress_topic,
    deliver_topic,
    dlq_topic,
)
from broker.policy.engine import CompiledPolicy, PolicyEngine
from broker.router import dead_letter as dl
from broker.router.outgoing import OutgoingRecord, RoutingOutcome
from broker.router.subject_codec import encode_subject
from broker.router.subject_tracker import NotCohortAuthority, SubjectTracker

_DISCLOSURE_NAMESPACE = uuid.UUID("5f1b7c9e-3a0d-4c61-9a55-1f0e2b7d4c10")


def disclosure_id(event_id: str, recipient: str) -> str:
    """The RFC 4122 version-5 UUID of ``event_id/recipient`` (same as ``uuid.uuid5``, faster).

    Deterministic, so a re-sent event yields the same disclosure id (duplicates are visible).
    """
    name = f"{event_id}/{recipient}".encode()
    digest = bytearray(hashlib.sha1(_DISCLOSURE_NAMESPACE.bytes + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _withheld(event: Event, decision: Decision) -> list[str]:
    """The event's payload fields holding a value that the recipient did not receive."""
    if not decision.permitted:
        return []
    shared = set(decision.fields)
    return sorted(
        path
        for name, value in event.payload.items()
        if value is not None and (path := f"payload.{name}") not in shared
    )


@dataclass
class IngressRecord:
    """The parts of a consumed Kafka record the router uses."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


class RecordProcessor:
    """Turns each ingress record into deliveries, disclosures, cohort updates or a dead letter."""

    def __init__(
        self,
        codec: AvroCodec,
        engine: PolicyEngine,
        agencies: AgencyDirectory,
        cohort: CohortTable,
        max_record_bytes: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._codec = codec
        self._engine = engine
        self._agencies = agencies
        self._cohort = cohort
        self._subjects = SubjectTracker(cohort)
        self._max_record_bytes = max_record_bytes
        self._clock = clock

    @property
    def policy(self) -> CompiledPolicy:
        """The policy version decisions are currently made under."""
        return self._engine.policy

    def use_policy(self, policy: CompiledPolicy) -> None:
        """Decide every later record under ``policy`` (hot reload; same pseudonym key)."""
        self._engine = self._engine.with_policy(policy)

    def process(self, record: IngressRecord) -> RoutingOutcome:
        """Route one record; never raises for bad input (it is dead-lettered instead)."""
        agency = agency_of_ingress_topic(record.topic)
        value = record.value
        if not value:
            return self._reject(record, agency, dl.REASON_EMPTY, "record has no value")
        size = len(value) + len(record.key or b"")
        if size > self._max_record_bytes:
            detail = f"record is {size} bytes (key and value), limit is {self._max_record_bytes}"
            return self._reject(record, agency, dl.REASON_OVERSIZED, detail)
        try:
            decoded = self._codec.decode_event(value)
        except CatalogueError as error:
            return self._reject(record, agency, error.reason, str(error))
        event = Event.from_record(decoded.schema_id, decoded.record)
        if event.source_agency != agency:
            claimed = event.source_agency  # quoted only when it is an agency id, never free text
            named = f" {claimed!r}" if claimed in self._agencies else " (not an agency id)"
            detail = f"envelope source_agency{named} is not the topic's agency {agency!r}"
            return self._reject(record, agency, dl.REASON_AGENCY_MISMATCH, detail)
        if event.subject.is_empty():
            detail = f"event {event.event_id} names no subject identifier"
            return self._reject(record, agency, dl.REASON_MISSING_SUBJECT, detail)
        try:
            return self._decide(event)
        except IdentifierConflict:
            detail = (
                f"event {event.event_id} names identifiers that belong to another person or "
                "differ from the person's known ones; nothing was merged"
            )
            return self._reject(record, agency, dl.REASON_IDENTIFIER_CONFLICT, detail)
        except NotCohortAuthority as refusal:
            detail = (
                f"event {event.event_id}: agency {agency!r} may not change who is in the IOM "
                f"cohort in area {refusal.area or '(unknown)'!r}"
            )
            return self._reject(record, agency, dl.REASON_NOT_COHORT_AUTHORITY, detail)

    def _decide(self, event: Event) -> RoutingOutcome:
        now = self._clock()
        subject, updates = self._subjects.before(event, now, self._engine.policy)
        identifiers = subject.identifiers if subject else event.subject
        routed = self._engine.route(event, subject, identifiers, now)
        updates += self._subjects.after(event, subject, now)
        subject_ref = subject.subject_ref if subject else None
        key = (subject_ref or event.event_id).encode()
        records: list[OutgoingRecord] = []
        for outcome in routed:
            decision = outcome.decision
            disclosure = disclosure_id(event.event_id, decision.recipient)
            if outcome.delivery is not None:
                records.append(self._delivery(event, decision, outcome.delivery, disclosure, key))
            records.append(self._disclosure(event, decision, disclosure, subject_ref, key, now))
        records.extend(
            OutgoingRecord(SUBJECTS_TOPIC, update.subject_ref.encode(), encode_subject(update))
            for update in updates
        )
        delivered = sum(1 for outcome in routed if outcome.delivery is not None)
        return RoutingOutcome(
            records=tuple(records), delivered=delivered, refused=len(routed) - delivered
        )

    def _delivery(
        self,
        event: Event,
        decision: Decision,
        delivery: dict[str, Any],
        disclosure: str,
        key: bytes,
    ) -> OutgoingRecord:
        value = self._codec.encode_delivery(event.event_type, delivery, check=False)
        transforms = ",".join(f"{name}={how}" for name, how in decision.transforms)
        headers = (
            ("iom.disclosure_id", disclosure.encode()),
            ("iom.event_type", event.event_type.encode()),
            ("iom.source_agency", event.source_agency.encode()),
            ("iom.rule_id", (decision.rule_id or "").encode()),
            ("iom.purpose", (decision.purpose or "").encode()),
            ("iom.legal_basis", (decision.legal_basis or "").encode()),
            ("iom.policy_version", decision.policy_version.encode()),
            ("iom.retention", (decision.retention or "").encode()),
            ("iom.agreement", (decision.agreement or "").encode()),
            ("iom.transforms", transforms.encode()),
        )
        return OutgoingRecord(deliver_topic(decision.recipient), key, value, headers)

    def _disclosure(
        self,
        event: Event,
        decision: Decision,
        disclosure: str,
        subject_ref: str | None,
        key: bytes,
        now: datetime,
    ) -> OutgoingRecord:
        record: dict[str, Any] = {
            "disclosure_id": disclosure,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "occurred_at": event.occurred_at,
            "decided_at": now,
            "source_agency": event.source_agency,
            "recipient_agency": decision.recipient,
            "subject_ref": subject_ref,
            "permitted": decision.permitted,
            "reason": decision.reason,
            "rule_id": decision.rule_id or (",".join(decision.rule_ids) or None),
            "purpose": decision.purpose,
            "legal_basis": decision.legal_basis,
            "policy_version": decision.policy_version,
            "fields_shared": list(decision.fields),
            "retention": decision.retention,
            "field_transforms": dict(decision.transforms),
            "fields_withheld": _withheld(event, decision),
        }
        value = self._codec.encode_disclosure(record, check=False)
        return OutgoingRecord(DISCLOSURES_TOPIC, key, value)

    def _reject(
        self, record: IngressRecord, agency: str, reason: str, detail: str
    ) -> RoutingOutcome:
        letter = dl.dead_letter(
            dlq_topic(agency),
            reason=reason,
            detail=detail,
            source_topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            at=self._clock(),
            limit=self._max_record_bytes,
        )
        return RoutingOutcome(records=(letter,), dead_letter_reason=reason)
