"""FHIR R4 resources to catalogue drafts: ServiceRequest -> referral, Appointment and
Encounter -> appointment (attended, missed, cancelled).

Appointment and Encounter share the natural key (appointment id, outcome), so an attended
Appointment and the Encounter that records the same visit yield the same event id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from iom_adapters.health.fhir_values import (
    business_id,
    codings,
    concept_texts,
    nhs_number_of,
    reference_id,
)
from iom_adapters.health.options import FhirOptions
from iom_adapters.health.resources import ResourceIndex
from iom_adapters.sdk.outcomes import INVALID_VALUE, MISSING_FIELD, MappingError, SkipRecord
from iom_adapters.sdk.values import instant

_REFERRAL_STATUSES = frozenset({"active", "completed", "on-hold"})
_URGENT = frozenset({"urgent", "asap", "stat"})
_APPOINTMENT_OUTCOMES = {"fulfilled": "ATTENDED", "noshow": "MISSED", "cancelled": "CANCELLED"}
_ENCOUNTER_ATTENDED = frozenset({"finished"})


@dataclass(frozen=True, slots=True)
class Draft:
    """A catalogue event type, natural key, time, subject and payload."""

    event_type: str
    key: tuple[str, ...]
    occurred_at: datetime
    nhs_number: str
    payload: dict[str, Any]


def _code(resource: Mapping[str, Any], key: str) -> str | None:
    """A FHIR ``code`` element (status, priority): its text, or None if it is not text."""
    value = resource.get(key)
    return value if isinstance(value, str) else None


def _id(resource: Mapping[str, Any], kind: str) -> str:
    found = business_id(resource)
    if found is None:
        raise MappingError(MISSING_FIELD, f"{kind}.id", "resource has neither id nor identifier")
    return found


def _code_keys(concepts: Any) -> list[str]:
    keys: list[str] = []
    for coding in codings(concepts):
        code = coding.get("code")
        if isinstance(code, str):
            keys.append(code)
            if isinstance(coding.get("system"), str):
                keys.append(f"{coding['system']}|{code}")
    return keys


def _referral_service(resource: Mapping[str, Any], options: FhirOptions) -> str:
    concepts = [*(resource.get("category") or []), resource.get("code")]
    for key in _code_keys(concepts):
        if key in options.service_codes:
            return options.service_codes[key]
    for label in concept_texts(concepts):
        lowered = label.lower()
        for fragment, service in options.service_keywords.items():
            if fragment in lowered:
                return service
    raise MappingError(
        INVALID_VALUE, "ServiceRequest.code", "no referral service matches the codes"
    )


def service_request(
    resource: Mapping[str, Any], index: ResourceIndex, options: FhirOptions
) -> Draft:
    """A referral made by the health board."""
    status = _code(resource, "status")
    if status not in _REFERRAL_STATUSES:
        raise SkipRecord("ServiceRequest status is not an active or completed referral")
    referral_id = _id(resource, "ServiceRequest")
    service = _referral_service(resource, options)
    nhs = nhs_number_of(
        resource.get("subject"),
        "ServiceRequest.subject",
        index,
        resource,
        options.nhs_number_system,
    )
    authored = resource.get("authoredOn") or (resource.get("meta") or {}).get("lastUpdated")
    return Draft(
        "referral",
        (referral_id,),
        instant(authored, "ServiceRequest.authoredOn"),
        nhs,
        {
            "referral_id": referral_id,
            "service": service,
            "referred_to": options.referred_to.get(service, service.lower()),
            "reason": options.referral_reason,
            "urgency": "URGENT" if _code(resource, "priority") in _URGENT else "ROUTINE",
        },
    )


def _service_label(concepts: Any, options: FhirOptions) -> str:
    if options.share_service_text:
        for label in concept_texts(concepts):
            return label
    return options.service_label


def _patient_participant(
    resource: Mapping[str, Any], index: ResourceIndex
) -> tuple[Mapping[str, Any], str]:
    for position, participant in enumerate(resource.get("participant") or ()):
        actor = participant.get("actor") if isinstance(participant, Mapping) else None
        if not isinstance(actor, Mapping):
            continue
        target = actor.get("reference")
        if (
            actor.get("type") == "Patient"
            or "identifier" in actor
            or (isinstance(target, str) and "Patient/" in target)
            or (isinstance(target, str) and index.patient(target, resource) is not None)
        ):
            return actor, f"Appointment.participant[{position}].actor"
    raise MappingError(MISSING_FIELD, "Appointment.participant", "no patient participant")


def appointment(resource: Mapping[str, Any], index: ResourceIndex, options: FhirOptions) -> Draft:
    """A booked appointment that was attended, missed (``noshow``) or cancelled."""
    outcome = _APPOINTMENT_OUTCOMES.get(str(resource.get("status")))
    if outcome is None:
        raise SkipRecord("Appointment status is not fulfilled, noshow or cancelled")
    appointment_id = _id(resource, "Appointment")
    patient = _patient_participant(resource, index)
    nhs = nhs_number_of(patient[0], patient[1], index, resource, options.nhs_number_system)
    scheduled = instant(resource.get("start"), "Appointment.start")
    occurred = resource.get("end") or resource.get("start")
    concepts = [*(resource.get("serviceType") or []), *(resource.get("specialty") or [])]
    return Draft(
        "appointment",
        (appointment_id, outcome),
        instant(occurred, "Appointment.end"),
        nhs,
        {
            "appointment_id": appointment_id,
            "service": _service_label(concepts, options),
            "scheduled_for": scheduled,
            "outcome": outcome,
            "clinical_notes": None,
        },
    )


def encounter(resource: Mapping[str, Any], index: ResourceIndex, options: FhirOptions) -> Draft:
    """A finished encounter (attended) or a cancelled one coded as did-not-attend (missed)."""
    status = _code(resource, "status")
    if status in _ENCOUNTER_ATTENDED:
        outcome = "ATTENDED"
    elif status == "cancelled":
        codes = set(
            _code_keys([*(resource.get("reasonCode") or []), *(resource.get("type") or [])])
        )
        outcome = "MISSED" if codes & set(options.did_not_attend_codes) else "CANCELLED"
    else:
        raise SkipRecord("Encounter status is not finished or cancelled")
    appointment_id = reference_id((resource.get("appointment") or [None])[0]) or _id(
        resource, "Encounter"
    )
    nhs = nhs_number_of(
        resource.get("subject"), "Encounter.subject", index, resource, options.nhs_number_system
    )
    period = resource.get("period") or {}
    if not isinstance(period, Mapping) or not period.get("start"):
        raise MappingError(MISSING_FIELD, "Encounter.period.start", "required date-time is missing")
    concepts = [resource.get("serviceType"), *(resource.get("type") or [])]
    return Draft(
        "appointment",
        (appointment_id, outcome),
        instant(period.get("end") or period["start"], "Encounter.period.end"),
        nhs,
        {
            "appointment_id": appointment_id,
            "service": _service_label(concepts, options),
            "scheduled_for": instant(period["start"], "Encounter.period.start"),
            "outcome": outcome,
            "clinical_notes": None,
        },
    )
