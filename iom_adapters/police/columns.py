"""The police custody export's column mapping: logical field -> default column name.

Forces rename columns in their adapter options (``columns: {pnc_id: "PNC ID"}``); the logical
names below are what the mapping code reads. docs/adapters.md has the same table.
"""

from __future__ import annotations

from typing import Literal

CustodyOutcome = Literal[
    "NO_FURTHER_ACTION", "BAIL", "RELEASED_UNDER_INVESTIGATION", "CHARGED_AND_BAILED", "REMANDED"
]

#: logical field -> column header (CSV) or key (JSON) in the default export layout.
DEFAULT_COLUMNS: dict[str, str] = {
    "event_type": "EventType",
    "custody_number": "CustodyNumber",
    "event_seq": "EventSeq",
    "event_time": "EventDateTime",
    "pnc_id": "PNCID",
    "arresting_force": "ArrestingForce",
    "offence_category": "OffenceCategory",
    "offence_description": "OffenceDescription",
    "custody_suite": "CustodySuite",
    "arrest_postcode": "ArrestPostcode",
    "court": "Court",
    "first_hearing_date": "FirstHearingDate",
    "disposal": "Disposal",
    "bail_conditions": "BailConditions",
}

#: Normalised ``EventType`` value -> catalogue event type.
EVENT_TYPES: dict[str, str] = {
    "ARREST": "arrest",
    "ARRESTED": "arrest",
    "CHARGE": "charge",
    "CHARGED": "charge",
    "RELEASE": "custody_release",
    "RELEASED": "custody_release",
    "CUSTODY_RELEASE": "custody_release",
}

#: Normalised ``Disposal`` value -> catalogue custody outcome.
DISPOSALS: dict[str, CustodyOutcome] = {
    "NFA": "NO_FURTHER_ACTION",
    "NO_FURTHER_ACTION": "NO_FURTHER_ACTION",
    "BAIL": "BAIL",
    "BAILED": "BAIL",
    "PRE_CHARGE_BAIL": "BAIL",
    "RUI": "RELEASED_UNDER_INVESTIGATION",
    "RELEASED_UNDER_INVESTIGATION": "RELEASED_UNDER_INVESTIGATION",
    "CHARGED_AND_BAILED": "CHARGED_AND_BAILED",
    "CHARGED_BAILED": "CHARGED_AND_BAILED",
    "CHARGED_BAIL": "CHARGED_AND_BAILED",
    "REMANDED": "REMANDED",
    "CHARGED_REMANDED": "REMANDED",
    "REMANDED_IN_CUSTODY": "REMANDED",
    "CHARGED_REMANDED_IN_CUSTODY": "REMANDED",
}


def normalise_code(value: str) -> str:
    """Upper case with runs of other characters as one underscore: ``Charged - bailed`` ->
    ``CHARGED_BAILED``."""
    out: list[str] = []
    gap = False
    for char in value.strip().upper():
        if char.isalnum():
            if gap and out:
                out.append("_")
            out.append(char)
            gap = False
        else:
            gap = True
    return "".join(out)
