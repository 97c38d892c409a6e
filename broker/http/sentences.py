"""Plain-language sentences telling a supervisee about one disclosure, in English or Welsh.

Built from the agency registry (names in both languages), the purpose and legal-basis
vocabularies, and a phrase per event type. The Welsh phrases should be checked by the
partners' Welsh language officers before go-live, like the vocabulary texts.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from broker.domain.agency import AgencyDirectory
from broker.http.welsh_mutation import after_preposition
from broker.policy.vocabulary import Vocabulary
from broker.transparency.entry import LogEntry

__all__ = ["EVENT_PHRASES", "Language", "agency_name", "disclosure_sentence", "long_date"]

Language = Literal["en", "cy"]

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "cy": [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
}

EVENT_PHRASES: dict[str, tuple[str, str]] = {
    "arrest": ("that you were arrested", "eich bod wedi cael eich arestio"),
    "charge": ("that you were charged", "eich bod wedi cael eich cyhuddo"),
    "custody_release": (
        "that you were released from police custody",
        "eich bod wedi cael eich rhyddhau o ddalfa'r heddlu",
    ),
    "prison_release": (
        "that you were released from prison",
        "eich bod wedi cael eich rhyddhau o'r carchar",
    ),
    "recall": (
        "that you were recalled to prison",
        "eich bod wedi cael eich galw'n ôl i'r carchar",
    ),
    "breach": (
        "that a condition of your order or licence was broken",
        "bod amod o'ch gorchymyn neu'ch trwydded wedi'i dorri",
    ),
    "referral": ("that you were referred to a service", "eich bod wedi cael eich atgyfeirio"),
    "referral_outcome": (
        "what happened with a referral",
        "beth ddigwyddodd gydag atgyfeiriad",
    ),
    "appointment": (
        "whether you went to an appointment",
        "a aethoch chi i apwyntiad",
    ),
    "accommodation_change": (
        "that your housing changed",
        "bod eich llety wedi newid",
    ),
    "risk_level_change": (
        "that your risk level changed",
        "bod lefel eich risg wedi newid",
    ),
    "cohort_enrolment": (
        "that you joined the IOM scheme",
        "eich bod wedi ymuno â'r cynllun IOM",
    ),
    "cohort_deselection": (
        "that you left the IOM scheme",
        "eich bod wedi gadael y cynllun IOM",
    ),
}


def long_date(day: date, lang: Language) -> str:
    """``3 March 2026`` or ``3 Mawrth 2026``."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def agency_name(agencies: AgencyDirectory, agency_id: str, lang: Language) -> str:
    """The agency's name in ``lang``, or its id if the registry no longer lists it."""
    if agency_id not in agencies:
        return agency_id
    agency = agencies.get(agency_id)
    return agency.name_cy if lang == "cy" else agency.name_en


def disclosure_sentence(
    entry: LogEntry, lang: Language, agencies: AgencyDirectory, vocabulary: Vocabulary
) -> str:
    """One sentence: when, who told whom, what about, why, and under which law."""
    english = lang == "en"
    when = long_date(entry.decided_at.date(), lang)
    source = agency_name(agencies, entry.source_agency, lang)
    recipient = agency_name(agencies, entry.recipient_agency, lang)
    en_phrase, cy_phrase = EVENT_PHRASES.get(
        entry.event_type, ("about something that happened", "am rywbeth a ddigwyddodd")
    )
    purpose = vocabulary.purposes.get(entry.purpose or "")
    basis = vocabulary.legal_bases.get(entry.legal_basis or "")
    if english:
        recipient = "the " + recipient[4:] if recipient.startswith("The ") else recipient
        text = f"On {when} {source} told {recipient} {en_phrase}."
        if purpose:
            text += f" Why: {purpose.name_en}."
        if basis:
            text += f" Legal basis: {basis.name_en}."
        return text
    text = f"Ar {when} dywedodd {source} {after_preposition('wrth', recipient)} {cy_phrase}."
    if purpose:
        text += f" Pam: {purpose.name_cy}."
    if basis:
        text += f" Sail gyfreithiol: {basis.name_cy}."
    return text
