"""A decoded catalogue event: the envelope the router needs plus the payload it minimises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from broker.domain.subject import SubjectIdentifiers


@dataclass(frozen=True)
class Event:
    """One event as the router sees it; ``record`` is the full decoded Avro record."""

    event_id: str
    event_type: str
    occurred_at: datetime
    source_agency: str
    subject: SubjectIdentifiers
    schema_id: int
    record: Mapping[str, Any]

    @classmethod
    def from_record(cls, schema_id: int, record: Mapping[str, Any]) -> Event:
        """Lift the envelope fields out of a decoded ``{envelope, payload}`` record."""
        envelope = record["envelope"]
        return cls(
            event_id=str(envelope["event_id"]),
            event_type=envelope["event_type"],
            occurred_at=envelope["occurred_at"],
            source_agency=envelope["source_agency"],
            subject=SubjectIdentifiers.from_mapping(envelope.get("subject") or {}),
            schema_id=schema_id,
            record=record,
        )

    @property
    def payload(self) -> Mapping[str, Any]:
        """The event-specific fields."""
        payload: Mapping[str, Any] = self.record["payload"]
        return payload
