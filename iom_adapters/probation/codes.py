"""Default code tables of the HMPPS adapter; each can be replaced in the adapter's options.

The prison and movement-reason codes are NOMIS reference codes; check them against your own
NOMIS reference data before relying on them (unknown codes are not errors: an unknown prison
is named by its code, an unknown release reason becomes ``OTHER``).
"""

from __future__ import annotations

from typing import Literal

Cohort = Literal["FIXED", "FLEX", "FREE"]
ReleaseType = Literal[
    "CONDITIONAL_RELEASE", "END_OF_SENTENCE", "HOME_DETENTION_CURFEW", "RECALL_RELEASE", "OTHER"
]
ReferralService = Literal["HOUSING", "DRUG_AND_ALCOHOL", "MENTAL_HEALTH", "EMPLOYMENT", "BENEFITS"]

#: nDelius register type of Integrated Offender Management.
IOM_REGISTER_TYPES: tuple[str, ...] = ("IIOM",)

#: Registration category or level (code or description, upper case) -> IOM cohort.
COHORT_BY_CATEGORY: dict[str, Cohort] = {
    "FIXED": "FIXED",
    "FIX": "FIXED",
    "FLEX": "FLEX",
    "FREE": "FREE",
}

#: NOMIS agency codes of the prisons serving Wales and its borders -> display name.
PRISONS: dict[str, str] = {
    "CFI": "HMP Cardiff",
    "SWI": "HMP Swansea",
    "UKI": "HMP Usk",
    "UPI": "HMP Prescoed",
    "PRI": "HMP Parc",
    "BWI": "HMP Berwyn",
    "EYI": "HMP Eastwood Park",
    "BCI": "HMP Bristol",
    "LWI": "HMP Lewes",
    "MDI": "HMP Moorland",
}

#: NOMIS release movement reason code -> catalogue release type.
RELEASE_TYPES: dict[str, ReleaseType] = {
    "CR": "CONDITIONAL_RELEASE",
    "AR": "CONDITIONAL_RELEASE",
    "PD": "CONDITIONAL_RELEASE",
    "ECSL": "CONDITIONAL_RELEASE",
    "HD": "HOME_DETENTION_CURFEW",
    "HR": "HOME_DETENTION_CURFEW",
    "ES": "END_OF_SENTENCE",
    "SE": "END_OF_SENTENCE",
    "LR": "RECALL_RELEASE",
}

#: Refer and Monitor contract type -> catalogue referral service.
CONTRACT_TYPES: dict[str, ReferralService] = {
    "Accommodation": "HOUSING",
    "Dependency and Recovery": "DRUG_AND_ALCOHOL",
    "Emotional Wellbeing": "MENTAL_HEALTH",
    "Education, Training and Employment": "EMPLOYMENT",
    "Finance, Benefit and Debt": "BENEFITS",
}

#: Catalogue referral service -> id of the agency that provides it in this IOM area.
REFERRED_TO: dict[str, str] = {
    "HOUSING": "newport-housing",
    "DRUG_AND_ALCOHOL": "gdas",
    "MENTAL_HEALTH": "aneurin-bevan-uhb",
    "EMPLOYMENT": "commissioned-rehabilitative-services",
    "BENEFITS": "commissioned-rehabilitative-services",
}

#: Refer and Monitor delivery state (referral concluded) -> catalogue referral outcome.
DELIVERY_STATES: dict[str, str] = {
    "COMPLETED": "COMPLETED",
    "CANCELLED": "DISENGAGED",
    "PREMATURELY_ENDED": "DISENGAGED",
}
