"""A scripted IOM story, told as the agencies' systems would publish it.

The people are fictional; every identifier is made up for the demonstration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

DEMO_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

#: Rhys, enrolled in the Fixed cohort; identifiers as each agency knows him.
RHYS: dict[str, str | None] = {
    "crn": "X123456",
    "pnc_id": "2019/0012345A",
    "noms_number": "A1234BC",
    "nhs_number": "9434765919",
}
#: Someone never enrolled in IOM: nothing about them may be shared.
DAFYDD: dict[str, str | None] = {
    "crn": None,
    "pnc_id": "2021/0098765Z",
    "noms_number": None,
    "nhs_number": None,
}


@dataclass(frozen=True)
class StoryStep:
    """One event an agency publishes, with a sentence saying what happened.

    ``refused``: the broker dead-letters the event (as it does ``raw`` bytes).
    """

    agency: str
    caption: str
    record: dict[str, Any] | None
    raw: bytes | None = None
    refused: bool = False


def _event(
    event_type: str,
    agency: str,
    minutes: int,
    subject: dict[str, str | None],
    payload: dict[str, Any],
) -> dict[str, Any]:
    return {
        "envelope": {
            "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"iom-demo/{event_type}/{minutes}")),
            "event_type": event_type,
            "occurred_at": DEMO_START + timedelta(minutes=minutes),
            "source_agency": agency,
            "subject": dict(subject),
            "schema_version": 1,
        },
        "payload": payload,
    }


def _only(subject: dict[str, str | None], *kept: str) -> dict[str, str | None]:
    return {name: (value if name in kept else None) for name, value in subject.items()}


def demo_story() -> list[StoryStep]:
    """The steps in order: enrolment, offending, support, and life after deselection.

    Rhys is managed by the Gwent IOM team, so the all-Wales baseline and Gwent's local
    agreements apply: housing's full address reaches probation (Gwent's housing pathway),
    the health board's clinical notes never leave it, and the referral reaches housing only.
    """
    return [
        StoryStep(
            "probation-wales",
            "Probation enrols Rhys in the Fixed IOM cohort",
            _event(
                "cohort_enrolment",
                "probation-wales",
                0,
                RHYS,
                {
                    "cohort": "FIXED",
                    "area": "gwent",
                    "reason": "Neighbourhood crime; high risk of reoffending; on licence",
                    "lead_agency": "probation-wales",
                },
            ),
        ),
        StoryStep(
            "gwent-police",
            "Gwent Police arrest Rhys for shoplifting",
            _event(
                "arrest",
                "gwent-police",
                60 * 24 * 3,
                _only(RHYS, "pnc_id"),
                {
                    "offence_category": "theft",
                    "offence_description": "Theft from a shop",
                    "custody_suite": "Newport Central",
                    "location_postcode": "NP20 1AA",
                },
            ),
        ),
        StoryStep(
            "probation-wales",
            "Probation records a licence breach",
            _event(
                "breach",
                "probation-wales",
                60 * 24 * 4,
                _only(RHYS, "crn"),
                {
                    "order_type": "LICENCE",
                    "breach_reason": "Failed to reside at approved address",
                    "action": "WARNING",
                },
            ),
        ),
        StoryStep(
            "probation-wales",
            "Probation refers Rhys to Newport housing",
            _event(
                "referral",
                "probation-wales",
                60 * 24 * 5,
                _only(RHYS, "crn"),
                {
                    "referral_id": "REF-2026-0042",
                    "service": "HOUSING",
                    "referred_to": "newport-housing",
                    "reason": "Sofa surfing since release",
                    "urgency": "URGENT",
                },
            ),
        ),
        StoryStep(
            "newport-housing",
            "Newport housing moves Rhys into temporary accommodation",
            _event(
                "accommodation_change",
                "newport-housing",
                60 * 24 * 6,
                _only(RHYS, "crn"),
                {
                    "accommodation_type": "TEMPORARY",
                    "address_line": "Flat 2, 14 Example Terrace",
                    "postcode": "NP20 2ZZ",
                    "effective_from": (DEMO_START + timedelta(days=6)).date(),
                },
            ),
        ),
        StoryStep(
            "probation-wales",
            "Probation assesses Rhys's risk of serious harm as high",
            _event(
                "risk_level_change",
                "probation-wales",
                60 * 24 * 7,
                _only(RHYS, "crn"),
                {
                    "risk_type": "ROSH",
                    "previous_level": "MEDIUM",
                    "new_level": "HIGH",
                    "reason": "Renewed contact with a former partner",
                },
            ),
        ),
        StoryStep(
            "aneurin-bevan-uhb",
            "The health board records a missed mental-health appointment",
            _event(
                "appointment",
                "aneurin-bevan-uhb",
                60 * 24 * 8,
                _only(RHYS, "nhs_number"),
                {
                    "appointment_id": "APT-77812",
                    "service": "community mental health",
                    "scheduled_for": DEMO_START + timedelta(days=8),
                    "outcome": "MISSED",
                    "clinical_notes": "Clinical detail that must never leave the health board",
                },
            ),
        ),
        StoryStep(
            "newport-housing",
            "Newport housing tries to enrol Dafydd in IOM: only police and probation may",
            _event(
                "cohort_enrolment",
                "newport-housing",
                60 * 24 * 9 - 30,
                DAFYDD,
                {
                    "cohort": "FLEX",
                    "area": "Newport",
                    "reason": "Rent arrears and anti-social behaviour complaints",
                    "lead_agency": "newport-housing",
                },
            ),
            refused=True,
        ),
        StoryStep(
            "gwent-police",
            "Gwent Police arrest Dafydd, who is not in the IOM cohort",
            _event(
                "arrest",
                "gwent-police",
                60 * 24 * 9,
                DAFYDD,
                {
                    "offence_category": "criminal damage",
                    "offence_description": "Damage to a bus shelter",
                    "custody_suite": "Ystrad Mynach",
                    "location_postcode": None,
                },
            ),
        ),
        StoryStep(
            "newport-housing",
            "A faulty housing export sends bytes that are not an event",
            None,
            raw=b"\x00\x00\x00\x00\x07not avro at all",
        ),
        StoryStep(
            "probation-wales",
            "Probation deselects Rhys from IOM at the end of his licence",
            _event(
                "cohort_deselection",
                "probation-wales",
                60 * 24 * 90,
                _only(RHYS, "crn"),
                {
                    "cohort": "FIXED",
                    "reason": "Licence ended; stable accommodation and employment",
                    "exit_plan": "Step-down support from housing for three months",
                },
            ),
        ),
        StoryStep(
            "gwent-police",
            "Gwent Police arrest Rhys again, after deselection",
            _event(
                "arrest",
                "gwent-police",
                60 * 24 * 120,
                _only(RHYS, "pnc_id"),
                {
                    "offence_category": "public order",
                    "offence_description": "Disorderly behaviour",
                    "custody_suite": "Newport Central",
                    "location_postcode": None,
                },
            ),
        ),
    ]
