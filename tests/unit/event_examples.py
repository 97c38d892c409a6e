"""Realistic example records for every catalogue event type, for tests, demos and benchmarks.

All people, identifiers and places are fictional (the NHS number is in the 999 test range).
``example_event("arrest", offence_category="Robbery")`` returns a valid record of the newest
schema version; keyword overrides replace envelope or payload fields by name.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from broker.catalogue import ALWAYS_DELIVERED, default_catalogue

UTC = datetime.UTC
OCCURRED_AT = datetime.datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)

EXAMPLE_SUBJECT: dict[str, str | None] = {
    "crn": "X123456",
    "pnc_id": "2019/0123456A",
    "noms_number": "A1234BC",
    "nhs_number": "9990000018",
}

SOURCE_AGENCY: dict[str, str] = {
    "arrest": "gwent-police",
    "charge": "gwent-police",
    "custody_release": "gwent-police",
    "prison_release": "probation-wales",
    "recall": "probation-wales",
    "breach": "probation-wales",
    "referral": "probation-wales",
    "referral_outcome": "gdas",
    "appointment": "aneurin-bevan-uhb",
    "accommodation_change": "newport-housing",
    "risk_level_change": "probation-wales",
    "cohort_enrolment": "probation-wales",
    "cohort_deselection": "probation-wales",
    "licence_variation": "probation-wales",
    "consent_change": "gdas",
}

PAYLOADS: dict[str, dict[str, Any]] = {
    "arrest": {
        "offence_category": "Burglary",
        "offence_description": "Burglary of a dwelling with intent to steal",
        "custody_suite": "Ystrad Mynach Custody Suite",
        "location_postcode": "NP20 4AB",
        "arresting_force": None,
    },
    "charge": {
        "offence_category": "Theft",
        "offence_description": "Theft from a shop (s.1 Theft Act 1968)",
        "court": "Newport Magistrates' Court",
        "first_hearing_date": datetime.date(2025, 3, 28),
    },
    "custody_release": {
        "outcome": "CHARGED_AND_BAILED",
        "bail_conditions": "Curfew 19:00-07:00; not to enter Commercial Street, Newport",
    },
    "prison_release": {
        "prison": "HMP Cardiff",
        "release_type": "CONDITIONAL_RELEASE",
        "licence_end_date": datetime.date(2026, 1, 9),
        "release_address_postcode": "NP19 0AA",
    },
    "recall": {
        "recall_type": "FIXED_TERM",
        "reason": "Failed to reside at approved address",
        "prison": "HMP Cardiff",
    },
    "breach": {
        "order_type": "LICENCE",
        "breach_reason": "Second missed supervision appointment without acceptable reason",
        "action": "BREACH_PROCEEDINGS",
    },
    "referral": {
        "referral_id": "REF-2025-000417",
        "service": "DRUG_AND_ALCOHOL",
        "referred_to": "gdas",
        "reason": "Heroin use linked to acquisitive offending",
        "urgency": "URGENT",
    },
    "referral_outcome": {
        "referral_id": "REF-2025-000417",
        "service": "DRUG_AND_ALCOHOL",
        "outcome": "ACCEPTED",
        "notes": "Assessment booked; opioid substitution therapy to be considered",
    },
    "appointment": {
        "appointment_id": "APT-88213",
        "service": "community mental health team",
        "scheduled_for": datetime.datetime(2025, 3, 17, 14, 30, tzinfo=UTC),
        "outcome": "MISSED",
        "clinical_notes": "Did not attend; second missed appointment this month",
    },
    "accommodation_change": {
        "accommodation_type": "TEMPORARY",
        "address_line": "Flat 2, 14 Example Terrace",
        "postcode": "NP20 2ZZ",
        "effective_from": datetime.date(2025, 3, 10),
    },
    "risk_level_change": {
        "risk_type": "ROSH",
        "previous_level": "MEDIUM",
        "new_level": "HIGH",
        "reason": "Renewed contact with a former partner subject to a restraining order",
    },
    "cohort_enrolment": {
        "cohort": "FIXED",
        "area": "Newport",
        "reason": "Neighbourhood crime, high risk of reoffending, on licence",
        "lead_agency": "probation-wales",
    },
    "cohort_deselection": {
        "cohort": "FIXED",
        "reason": "Sustained desistance for 12 months",
        "exit_plan": "Housing support continues; monthly check-in with offender manager",
    },
    "licence_variation": {
        "licence_id": "40388",
        "effective_from": datetime.date(2025, 4, 1),
        "variation_reason": "Exclusion zone added",
        "licence_end_date": datetime.date(2026, 1, 31),
    },
    "consent_change": {
        "purpose": "substance_misuse_treatment",
        "status": "WITHDRAWN",
        "recorded_by": "drug and alcohol worker",
    },
}


def example_event(event_type: str, **overrides: Any) -> dict[str, Any]:
    """Return a valid newest-version event of ``event_type`` (a fresh ``event_id`` each call).

    A keyword named like an envelope field (``event_id``, ``occurred_at``, ``source_agency``,
    ``subject``, ``schema_version``, ``event_type``) replaces it; any other keyword must name
    a payload field.
    """
    envelope: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "occurred_at": OCCURRED_AT,
        "source_agency": SOURCE_AGENCY[event_type],
        "subject": dict(EXAMPLE_SUBJECT),
        "schema_version": default_catalogue().latest(event_type).version,
    }
    payload = copy.deepcopy(PAYLOADS[event_type])
    for name, value in overrides.items():
        if name in envelope:
            envelope[name] = value
        elif name in payload:
            payload[name] = value
        else:
            raise TypeError(f"{event_type} has no envelope or payload field {name!r}")
    return {"envelope": envelope, "payload": payload}


def minimised(record: dict[str, Any], keep: Iterable[str]) -> dict[str, Any]:
    """Return a delivery-shaped copy of an event keeping only the dotted paths in ``keep``.

    Paths are those a sharing rule names (``subject.crn``, ``payload.offence_category``); the
    envelope basics always stay. The subject becomes null when no identifier is kept.
    """
    kept = set(keep)
    envelope = {k: v for k, v in record["envelope"].items() if k in ALWAYS_DELIVERED}
    subject = {
        name: (value if f"subject.{name}" in kept else None)
        for name, value in record["envelope"]["subject"].items()
    }
    envelope["subject"] = subject if any(v is not None for v in subject.values()) else None
    payload = {
        name: (value if f"payload.{name}" in kept else None)
        for name, value in record["payload"].items()
    }
    return {"envelope": envelope, "payload": payload}


def example_delivery(event_type: str, keep: Iterable[str], **overrides: Any) -> dict[str, Any]:
    """Return an example delivery record of ``event_type`` keeping only the paths in ``keep``."""
    return minimised(example_event(event_type, **overrides), keep)


def example_disclosure(**overrides: Any) -> dict[str, Any]:
    """Return a valid ``iom.audit.Disclosure`` record (a permitted arrest disclosure)."""
    record: dict[str, Any] = {
        "disclosure_id": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
        "event_type": "arrest",
        "occurred_at": OCCURRED_AT,
        "decided_at": OCCURRED_AT + datetime.timedelta(seconds=2, milliseconds=41),
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": "subj_7f3a9c2e51d04b88",
        "permitted": True,
        "reason": None,
        "rule_id": "police-arrest-to-probation",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "iom-wales-baseline@1",
        "fields_shared": ["subject.crn", "payload.offence_category", "payload.offence_description"],
        "retention": "P2Y",
        "field_transforms": {},
        "fields_withheld": [],
    }
    unknown = sorted(set(overrides) - set(record))
    if unknown:
        raise TypeError(f"Disclosure has no field {unknown[0]!r}")
    record.update(overrides)
    return record
