"""Data minimisation: keep only the fields a decision permits."""

from __future__ import annotations

from typing import Any

from broker.domain.decision import Decision
from broker.domain.event import Event
from broker.domain.subject import IDENTIFIER_TYPES, SubjectIdentifiers
from broker.policy.sharing_policy import ENVELOPE_FIELDS


def minimise(event: Event, decision: Decision, identifiers: SubjectIdentifiers) -> dict[str, Any]:
    """The delivery record: envelope basics plus exactly the permitted subject and payload fields.

    ``identifiers`` are everything known about the subject (the cohort record merged with the
    event's own), so a recipient can be given the identifier it uses even when the source
    agency does not know it. Fields not permitted are null in the delivery schema, never copied.
    """
    allowed = set(decision.fields)
    envelope = event.record["envelope"]
    subject = {
        name: getattr(identifiers, name) if f"subject.{name}" in allowed else None
        for name in IDENTIFIER_TYPES
    }
    return {
        "envelope": {
            **{name: envelope[name] for name in ENVELOPE_FIELDS},
            "subject": subject if any(v is not None for v in subject.values()) else None,
        },
        "payload": {
            name: value if f"payload.{name}" in allowed else None
            for name, value in event.payload.items()
        },
    }
