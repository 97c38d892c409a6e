"""Settings of the FHIR adapter, with defaults for an NHS Wales health board."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from iom_adapters.health.fhir_values import NHS_NUMBER_SYSTEM
from iom_adapters.sdk.adapter import AdapterOptions

ReferralService = Literal["HOUSING", "DRUG_AND_ALCOHOL", "MENTAL_HEALTH", "EMPLOYMENT", "BENEFITS"]


def _service_keywords() -> dict[str, ReferralService]:
    return {
        "mental health": "MENTAL_HEALTH",
        "psychiatr": "MENTAL_HEALTH",
        "psycholog": "MENTAL_HEALTH",
        "substance": "DRUG_AND_ALCOHOL",
        "drug": "DRUG_AND_ALCOHOL",
        "alcohol": "DRUG_AND_ALCOHOL",
        "addiction": "DRUG_AND_ALCOHOL",
        "housing": "HOUSING",
        "employment": "EMPLOYMENT",
        "benefit": "BENEFITS",
    }


def _referred_to() -> dict[str, str]:
    return {
        "MENTAL_HEALTH": "aneurin-bevan-uhb",
        "DRUG_AND_ALCOHOL": "gdas",
        "HOUSING": "newport-housing",
        "EMPLOYMENT": "dwp",
        "BENEFITS": "dwp",
    }


class FhirOptions(AdapterOptions):
    """What the FHIR adapter needs to know about the health board's systems.

    Clinical content never leaves by default: a referral's reason is a fixed phrase and an
    appointment's service is a coarse label unless ``share_service_text`` is set.
    """

    nhs_number_system: str = NHS_NUMBER_SYSTEM
    #: ``code`` or ``system|code`` of ServiceRequest.category/code -> referral service.
    service_codes: dict[str, ReferralService] = Field(default_factory=dict)
    #: Lower-case fragments of category/code texts -> referral service (after service_codes).
    service_keywords: dict[str, ReferralService] = Field(default_factory=_service_keywords)
    referred_to: dict[str, str] = Field(default_factory=_referred_to)
    referral_reason: str = "referral recorded by the health board"
    #: Codes (``code`` or ``system|code``) that mark a cancelled Encounter as did-not-attend.
    did_not_attend_codes: tuple[str, ...] = ("281399006", "DNA")
    service_label: str = "health appointment"
    share_service_text: bool = False
