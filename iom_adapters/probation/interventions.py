"""Refer and Monitor (commissioned rehabilitative services) events to catalogue drafts:
referrals, their outcomes, and appointment attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iom_adapters.probation.mappers import (
    Draft,
    Mapper,
    info_value,
    required_value,
)
from iom_adapters.probation.message import HmppsEvent
from iom_adapters.sdk.outcomes import INVALID_VALUE, MappingError
from iom_adapters.sdk.values import instant

if TYPE_CHECKING:
    from iom_adapters.probation.adapter import ProbationOptions


def _service(event: HmppsEvent, options: ProbationOptions) -> str:
    contract = required_value(event, "contractTypeName")
    service = options.contract_types.get(contract)
    if service is None:
        raise MappingError(
            INVALID_VALUE,
            "additionalInformation.contractTypeName",
            "contract type has no service mapping",
        )
    return service


def referral_sent(event: HmppsEvent, options: ProbationOptions) -> Draft:
    """A Refer and Monitor referral sent to a provider: a referral."""
    referral_id = required_value(event, "referralId")
    service = _service(event, options)
    return Draft(
        "referral",
        (referral_id,),
        {
            "referral_id": referral_id,
            "service": service,
            "referred_to": options.referred_to.get(service, "commissioned-rehabilitative-services"),
            "reason": f"commissioned rehabilitative services referral ({service.lower()})",
            "urgency": "ROUTINE",
        },
    )


def referral_outcome(result: str | None) -> Mapper:
    """A mapper for a referral's end (or acceptance); ``None`` reads ``deliveryState``."""

    def mapper(event: HmppsEvent, options: ProbationOptions) -> Draft:
        referral_id = required_value(event, "referralId")
        outcome = result
        if outcome is None:
            state = required_value(event, "deliveryState").upper()
            outcome = options.delivery_states.get(state)
            if outcome is None:
                raise MappingError(
                    INVALID_VALUE,
                    "additionalInformation.deliveryState",
                    "delivery state has no mapping",
                )
        return Draft(
            "referral_outcome",
            (referral_id, outcome),
            {
                "referral_id": referral_id,
                "service": _service(event, options),
                "outcome": outcome,
                "notes": None,
            },
        )

    return mapper


def appointment(kind: str, outcome: str) -> Mapper:
    """A mapper for an intervention appointment's recorded attendance."""

    def mapper(event: HmppsEvent, options: ProbationOptions) -> Draft:
        referral_id = required_value(event, "referralId")
        appointment_id = (
            info_value(event, "deliusAppointmentId") or f"{referral_id}/{event.occurred_at_text}"
        )
        scheduled = info_value(event, "appointmentTime")
        contract = info_value(event, "contractTypeName") or "commissioned rehabilitative service"
        return Draft(
            "appointment",
            (appointment_id, outcome),
            {
                "appointment_id": appointment_id,
                "service": f"{contract} ({kind})",
                "scheduled_for": instant(scheduled, "additionalInformation.appointmentTime")
                if scheduled
                else event.occurred_at,
                "outcome": outcome,
                "clinical_notes": None,
            },
        )

    return mapper
