"""Transparency-log test data: a signing key, an index key, a settable clock, disclosures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from broker.transparency.note import NoteSigner

SIGNER = NoteSigner.generate("test.iom-broker/log")
INDEX_KEY = bytes(range(32))
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock for retention and audit timestamps."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def disclosure(number: int, subject_ref: str | None = "subj-a", **changes: Any) -> dict[str, Any]:
    """A decoded disclosure record, decided ``number`` minutes after the start."""
    record: dict[str, Any] = {
        "disclosure_id": f"00000000-0000-5000-8000-{number:012d}",
        "event_id": str(uuid.UUID(int=number)),
        "event_type": "arrest",
        "occurred_at": START + timedelta(minutes=number),
        "decided_at": START + timedelta(minutes=number, seconds=1),
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": subject_ref,
        "permitted": True,
        "reason": None,
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "2025.1",
        "fields_shared": ["payload.offence_category"],
        "retention": "P1Y",
    }
    record.update(changes)
    return record
