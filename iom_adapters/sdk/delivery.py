"""A record the broker delivered to an agency, and its JSON document form.

The document is what drop folders, webhooks and the printer hand to the agency's system:
the decision (disclosure id, rule, purpose, legal basis, retention, policy version) next to
the minimised event. Times are ISO 8601 in UTC; fields the policy withheld are null.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

_HEADER_FIELDS = {
    "iom.disclosure_id": "disclosure_id",
    "iom.rule_id": "rule_id",
    "iom.purpose": "purpose",
    "iom.legal_basis": "legal_basis",
    "iom.retention": "retention",
    "iom.policy_version": "policy_version",
}


@dataclass(frozen=True)
class Delivery:
    """One decoded record of ``deliver.<agency>`` and where it came from."""

    topic: str
    partition: int
    offset: int
    record: Mapping[str, Any]
    headers: Mapping[str, str]

    @property
    def disclosure_id(self) -> str:
        """The broker's id of this disclosure: the same for a re-delivered record."""
        return self.headers.get("iom.disclosure_id", "")

    def document(self) -> dict[str, Any]:
        """The JSON-ready document the agency receives."""
        envelope = self.record["envelope"]
        doc: dict[str, Any] = {
            name: self.headers.get(header) for header, name in _HEADER_FIELDS.items()
        }
        doc.update(
            event_id=envelope["event_id"],
            event_type=envelope["event_type"],
            source_agency=envelope["source_agency"],
            occurred_at=envelope["occurred_at"],
            schema_version=envelope["schema_version"],
            subject=envelope.get("subject"),
            payload=self.record.get("payload"),
            kafka={"topic": self.topic, "partition": self.partition, "offset": self.offset},
        )
        plain: dict[str, Any] = _plain(doc)
        return plain

    def json(self) -> str:
        """The document as one compact line of JSON."""
        return json.dumps(self.document(), ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
