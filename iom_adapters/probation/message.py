"""Read one HMPPS domain event: unwrap SNS, check the envelope, pull out identifiers.

HMPPS publishes JSON on SNS; an SQS subscriber receives it wrapped in a notification whose
``Message`` is the event as a string. Both forms are accepted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from iom_adapters.sdk import identifiers
from iom_adapters.sdk.outcomes import INVALID_VALUE, MALFORMED_INPUT, MISSING_FIELD, MappingError
from iom_adapters.sdk.values import instant


@dataclass(frozen=True, slots=True)
class HmppsEvent:
    """The parts of an HMPPS domain event every mapping uses."""

    event_type: str
    occurred_at: datetime
    occurred_at_text: str
    info: Mapping[str, Any]
    crn: str | None
    noms_number: str | None
    pnc_id: str | None

    def subject(self) -> dict[str, str | None]:
        """The catalogue subject identifiers the event names."""
        return {"crn": self.crn, "noms_number": self.noms_number, "pnc_id": self.pnc_id}


def unwrap(value: Any) -> Mapping[str, Any]:
    """The domain event itself, from either the raw event or an SNS notification."""
    if not isinstance(value, Mapping):
        raise MappingError(MALFORMED_INPUT, "", "expected a JSON object")
    if value.get("Type") == "Notification" and "Message" in value:
        message = value["Message"]
        if not isinstance(message, str):
            raise MappingError(MALFORMED_INPUT, "Message", "expected the event as a JSON string")
        try:
            inner = json.loads(message)
        except json.JSONDecodeError as error:
            raise MappingError(MALFORMED_INPUT, "Message", f"not JSON ({error.msg})") from None
        if not isinstance(inner, Mapping):
            raise MappingError(MALFORMED_INPUT, "Message", "expected a JSON object")
        return inner
    return value


def read_event(value: Any, *, check_identifiers: bool) -> HmppsEvent:
    """Check the envelope (``eventType``, ``version``, ``occurredAt``) and collect identifiers."""
    event = unwrap(value)
    event_type = event.get("eventType")
    if not isinstance(event_type, str) or not event_type:
        raise MappingError(MISSING_FIELD, "eventType", "required text is missing")
    if not isinstance(event.get("version"), int | str):
        raise MappingError(MISSING_FIELD, "version", "required event version is missing")
    occurred_text = event.get("occurredAt")
    occurred = instant(occurred_text, "occurredAt")
    info = event.get("additionalInformation") or {}
    if not isinstance(info, Mapping):
        raise MappingError(INVALID_VALUE, "additionalInformation", "expected an object")
    found = _identifiers(event.get("personReference"))
    crn = found.get("CRN") or _text(info.get("serviceUserCRN")) or _text(info.get("crn"))
    noms = found.get("NOMS") or _text(info.get("nomsNumber"))
    pnc = found.get("PNC")
    if check_identifiers:
        crn = identifiers.crn(crn, "personReference.identifiers[CRN]") if crn else None
        noms = identifiers.noms_number(noms, "personReference.identifiers[NOMS]") if noms else None
        pnc = identifiers.pnc_id(pnc, "personReference.identifiers[PNC]") if pnc else None
    return HmppsEvent(event_type, occurred, str(occurred_text), info, crn, noms, pnc)


def _identifiers(reference: Any) -> dict[str, str]:
    if reference is None:
        return {}
    items = reference.get("identifiers") if isinstance(reference, Mapping) else None
    if not isinstance(items, list):
        raise MappingError(INVALID_VALUE, "personReference.identifiers", "expected a list")
    found: dict[str, str] = {}
    for index, item in enumerate(items):
        kind = item.get("type") if isinstance(item, Mapping) else None
        value = item.get("value") if isinstance(item, Mapping) else None
        if not isinstance(kind, str) or not isinstance(value, str):
            raise MappingError(
                INVALID_VALUE, f"personReference.identifiers[{index}]", "expected type and value"
            )
        found.setdefault(kind.upper(), value)
    return found


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
