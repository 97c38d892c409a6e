"""The ``subjects`` topic: one compacted JSON record per subject, the router's cohort table."""

from __future__ import annotations

import json
from datetime import datetime

from broker.domain.subject import SubjectIdentifiers, SubjectRecord


def encode_subject(record: SubjectRecord) -> bytes:
    """Serialise a cohort record for the ``subjects`` topic."""
    return json.dumps(
        {
            "subject_ref": record.subject_ref,
            "cohort": record.cohort,
            "enrolled": record.enrolled,
            "identifiers": dict(record.identifiers.pairs()),
            "updated_at": record.updated_at.isoformat(),
            "lead_agency": record.lead_agency,
            "area": record.area,
            "supervision": record.supervision,
            "consents": dict(record.consents),
        },
        sort_keys=True,
    ).encode()


def decode_subject(data: bytes) -> SubjectRecord:
    """Read a cohort record written by :func:`encode_subject`."""
    raw = json.loads(data)
    return SubjectRecord(
        subject_ref=raw["subject_ref"],
        cohort=raw["cohort"],
        enrolled=bool(raw["enrolled"]),
        identifiers=SubjectIdentifiers.from_mapping(raw["identifiers"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        lead_agency=raw.get("lead_agency"),
        area=raw.get("area"),
        supervision=raw.get("supervision"),
        consents=tuple(sorted((raw.get("consents") or {}).items())),
    )
