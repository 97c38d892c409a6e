"""HMPPS domain events from nDelius, NOMIS, licences and recall decisions to catalogue drafts.

A mapper returns a :class:`Draft` (event type, natural key, payload) or raises SkipRecord
(understood, not an IOM event) or MappingError (cannot be mapped). Natural keys make event ids
idempotent: HMPPS re-publishes events late and more than once with the same content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from iom_adapters.probation.message import HmppsEvent
from iom_adapters.sdk.outcomes import (
    INVALID_VALUE,
    MISSING_FIELD,
    NO_SUBJECT,
    MappingError,
    SkipRecord,
)
from iom_adapters.sdk.values import UK_TIME, calendar_date, zone

if TYPE_CHECKING:
    from iom_adapters.probation.adapter import ProbationOptions


@dataclass(frozen=True, slots=True)
class Draft:
    """What a mapper decided: the catalogue type, the natural key and the payload."""

    event_type: str
    key: tuple[str, ...]
    payload: dict[str, Any]


Mapper = Callable[[HmppsEvent, "ProbationOptions"], Draft]


def info_value(event: HmppsEvent, name: str) -> str | None:
    value = event.info.get(name)
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def required_value(event: HmppsEvent, name: str) -> str:
    value = info_value(event, name)
    if value is None:
        raise MappingError(
            MISSING_FIELD, f"additionalInformation.{name}", "required value is missing"
        )
    return value


def person(event: HmppsEvent, *kinds: str) -> str:
    values = {"CRN": event.crn, "NOMS": event.noms_number}
    for kind in kinds:
        if values.get(kind):
            return str(values[kind])
    raise MappingError(NO_SUBJECT, "personReference", f"no {' or '.join(kinds)} identifier")


def _local_day(event: HmppsEvent) -> date:
    return event.occurred_at.astimezone(zone(UK_TIME)).date()


def _cohort(event: HmppsEvent, options: ProbationOptions) -> str:
    for name in (
        "registrationCategoryCode",
        "registrationCategoryDescription",
        "registrationLevelCode",
        "registrationLevelDescription",
    ):
        value = info_value(event, name)
        if value and value.upper() in options.cohort_by_category:
            return options.cohort_by_category[value.upper()]
    return options.default_cohort


def _check_iom_register(event: HmppsEvent, options: ProbationOptions) -> str:
    code = required_value(event, "registerTypeCode")
    if code.upper() not in options.iom_register_types:
        raise SkipRecord("register type is not an IOM register")
    return code


def registration_added(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """An IOM registration in nDelius: cohort enrolment."""
    _check_iom_register(event, options)
    registration = info_value(event, "registrationId") or event.occurred_at_text
    return Draft(
        "cohort_enrolment",
        (person(event, "CRN"), registration),
        {
            "cohort": _cohort(event, options),
            "area": options.area,
            "reason": "IOM registration added in nDelius",
            "lead_agency": options.lead_agency,
        },
    )


def registration_deregistered(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """The end of an IOM registration in nDelius: cohort deselection."""
    _check_iom_register(event, options)
    deregistration = info_value(event, "deregistrationId") or event.occurred_at_text
    return Draft(
        "cohort_deselection",
        (person(event, "CRN"), deregistration),
        {
            "cohort": _cohort(event, options),
            "reason": "IOM registration ended in nDelius",
            "exit_plan": None,
        },
    )


def prisoner_released(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """A release from prison (transfers, court and temporary absences are skipped)."""
    reason = required_value(event, "reason")
    if reason != "RELEASED":
        raise SkipRecord("movement out of prison is not a release")
    prison = required_value(event, "prisonId")
    code = (info_value(event, "nomisMovementReasonCode") or "").upper()
    return Draft(
        "prison_release",
        (person(event, "NOMS", "CRN"), _local_day(event).isoformat()),
        {
            "prison": options.prisons.get(prison.upper(), prison.upper()),
            "release_type": options.release_types.get(code, "OTHER"),
            "licence_end_date": optional_date(event, "licenceExpiryDate"),
            "release_address_postcode": None,
        },
    )


def licence_activated(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """A licence coming into force on release: a prison release (same id as the movement).

    The public event carries only ``licenceId``; the prison comes from ``prisonCode`` of the
    licence detail, which an integration adds from ``detailUrl`` before the adapter sees it.
    """
    prison = required_value(event, "prisonCode")
    kind = (info_value(event, "licenceKind") or info_value(event, "kind") or "").upper()
    release_type = "HOME_DETENTION_CURFEW" if kind == "HDC" else "CONDITIONAL_RELEASE"
    start = optional_date(event, "licenceStartDate") or _local_day(event)
    return Draft(
        "prison_release",
        (person(event, "NOMS", "CRN"), start.isoformat()),
        {
            "prison": options.prisons.get(prison.upper(), prison.upper()),
            "release_type": release_type,
            "licence_end_date": optional_date(event, "licenceExpiryDate"),
            "release_address_postcode": None,
        },
    )


def licence_variation_activated(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """Varied licence conditions coming into force (one event per licence and day).

    The public event carries ``licenceId``; dates and the reason come from the licence detail
    an integration adds from ``detailUrl``, and default to the day of the event.
    """
    licence_id = required_value(event, "licenceId")
    effective = optional_date(event, "licenceStartDate") or _local_day(event)
    return Draft(
        "licence_variation",
        (person(event, "CRN", "NOMS"), licence_id, effective.isoformat()),
        {
            "licence_id": licence_id,
            "effective_from": effective,
            "variation_reason": info_value(event, "variationReason"),
            "licence_end_date": optional_date(event, "licenceExpiryDate"),
        },
    )


def prisoner_received(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """A return to prison whose probable cause is a recall (other admissions are skipped)."""
    if info_value(event, "reason") != "ADMISSION" or info_value(event, "probableCause") != "RECALL":
        raise SkipRecord("reception into prison is not a recall")
    prison = info_value(event, "prisonId")
    recall_type = options.recall_types.get(
        (info_value(event, "nomisMovementReasonCode") or "").upper()
    )
    return Draft(
        "recall",
        (person(event, "NOMS", "CRN"), event.occurred_at.isoformat()),
        {
            "recall_type": recall_type or "STANDARD",
            "reason": "returned to custody on recall",
            "prison": options.prisons.get(prison.upper(), prison.upper()) if prison else None,
        },
    )


def recall_decision(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """Management oversight's decision to recall (a decision not to recall is skipped)."""
    outcome = required_value(event, "contactOutcome")
    if outcome != "DECISION_TO_RECALL":
        raise SkipRecord("management oversight did not decide to recall")
    recall_type = (info_value(event, "recallType") or "STANDARD").upper()
    if recall_type not in ("STANDARD", "FIXED_TERM"):
        raise MappingError(
            INVALID_VALUE, "additionalInformation.recallType", "not STANDARD or FIXED_TERM"
        )
    return Draft(
        "recall",
        (person(event, "CRN"), "decision", event.occurred_at.isoformat()),
        {
            "recall_type": recall_type,
            "reason": "decision to recall (management oversight)",
            "prison": None,
        },
    )


def optional_date(event: HmppsEvent, name: str) -> date | None:
    value = info_value(event, name)
    return calendar_date(value, f"additionalInformation.{name}") if value else None
