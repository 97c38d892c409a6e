"""What each shareable field is called in plain English and Welsh, and how a change is said.

A supervisee reads "your NHS number" or "the area of your address (first half of the
postcode)", never ``subject.nhs_number``. :func:`field_phrase` says what went for one field
and how it was changed (as it is, generalised, masked, pseudonymised); :func:`kept_back_phrase`
says what a generalisation kept back. The Welsh should be checked by the partners' Welsh
language officers before go-live.
"""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["FIELD_WORDS", "field_phrase", "field_words", "kept_back_phrase"]

#: dotted path -> (English, Welsh)
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "subject.crn": ("your probation case number", "eich rhif achos prawf"),
    "subject.pnc_id": ("your police record number", "eich rhif cofnod heddlu"),
    "subject.noms_number": ("your prison number", "eich rhif carchar"),
    "subject.nhs_number": ("your NHS number", "eich rhif GIG"),
    "payload.offence_category": ("the type of offence", "y math o drosedd"),
    "payload.offence_description": ("the details of the offence", "manylion y drosedd"),
    "payload.custody_suite": ("the police station you were taken to", "yr orsaf heddlu"),
    "payload.location_postcode": ("the postcode where it happened", "cod post y lle"),
    "payload.arresting_force": ("the police force that arrested you", "yr heddlu a'ch arestiodd"),
    "payload.court": ("the court", "y llys"),
    "payload.first_hearing_date": (
        "the date of your first court hearing",
        "dyddiad eich gwrandawiad cyntaf",
    ),
    "payload.outcome": ("what happened", "beth ddigwyddodd"),
    "payload.bail_conditions": ("your bail rules", "eich rheolau mechnïaeth"),
    "payload.prison": ("the name of the prison", "enw'r carchar"),
    "payload.release_type": ("the type of release", "y math o ryddhau"),
    "payload.licence_end_date": (
        "the date your licence ends",
        "y dyddiad y daw eich trwydded i ben",
    ),
    "payload.release_address_postcode": (
        "the postcode you were released to",
        "y cod post y cawsoch eich rhyddhau iddo",
    ),
    "payload.recall_type": ("the type of recall", "y math o alw'n ôl"),
    "payload.reason": ("the reason", "y rheswm"),
    "payload.order_type": ("the type of order", "y math o orchymyn"),
    "payload.breach_reason": ("what rule was broken", "pa reol a dorrwyd"),
    "payload.action": ("what will happen next", "beth fydd yn digwydd nesaf"),
    "payload.referral_id": ("the referral number", "rhif yr atgyfeiriad"),
    "payload.service": ("the service", "y gwasanaeth"),
    "payload.referred_to": ("who you were sent to", "at bwy y cawsoch eich anfon"),
    "payload.urgency": ("how urgent it is", "pa mor frys yw e"),
    "payload.notes": ("notes", "nodiadau"),
    "payload.appointment_id": ("the appointment number", "rhif yr apwyntiad"),
    "payload.scheduled_for": ("the time of the appointment", "amser yr apwyntiad"),
    "payload.clinical_notes": ("your health notes", "eich nodiadau iechyd"),
    "payload.accommodation_type": ("the type of home you live in", "y math o gartref sydd gennych"),
    "payload.address_line": ("your street address", "eich cyfeiriad stryd"),
    "payload.postcode": ("your postcode", "eich cod post"),
    "payload.effective_from": ("the date it starts", "y dyddiad y mae'n dechrau"),
    "payload.risk_type": ("the type of risk", "y math o risg"),
    "payload.previous_level": ("your old risk level", "eich hen lefel risg"),
    "payload.new_level": ("your new risk level", "eich lefel risg newydd"),
    "payload.cohort": ("your IOM group", "eich grŵp IOM"),
    "payload.area": ("your area", "eich ardal"),
    "payload.lead_agency": (
        "the service that leads your case",
        "y gwasanaeth sy'n arwain eich achos",
    ),
    "payload.exit_plan": (
        "the plan for when you leave",
        "y cynllun ar gyfer pan fyddwch yn gadael",
    ),
    "payload.licence_id": ("your licence number", "rhif eich trwydded"),
    "payload.variation_reason": ("why your licence changed", "pam y newidiodd eich trwydded"),
    "payload.purpose": ("what your consent is for", "at beth mae eich caniatâd"),
    "payload.status": ("whether you said yes or no", "a ddywedoch ie neu na"),
    "payload.recorded_by": ("who wrote it down", "pwy a'i cofnododd"),
}

#: (event type, dotted path) -> words that fit that event better than the general ones
_EVENT_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    ("accommodation_change", "payload.effective_from"): (
        "the date you moved",
        "y dyddiad y symudoch",
    ),
    ("recall", "payload.reason"): ("why you were recalled", "pam y cawsoch eich galw'n ôl"),
    ("referral", "payload.reason"): ("why you were referred", "pam y cawsoch eich atgyfeirio"),
    ("referral_outcome", "payload.outcome"): (
        "what came of the referral",
        "canlyniad yr atgyfeiriad",
    ),
    ("appointment", "payload.outcome"): ("whether you went", "a aethoch chi"),
    ("risk_level_change", "payload.reason"): (
        "why your risk level changed",
        "pam y newidiodd eich lefel risg",
    ),
    ("cohort_enrolment", "payload.reason"): ("why you joined IOM", "pam yr ymunoch ag IOM"),
    ("cohort_deselection", "payload.reason"): ("why you left IOM", "pam y gadawoch IOM"),
}

#: dotted path -> (English, Welsh) for what a generalised field became
_GENERALISED: dict[str, tuple[str, str]] = {
    "payload.postcode": (
        "the area of your address (first half of the postcode)",
        "ardal eich cyfeiriad (hanner cyntaf y cod post)",
    ),
    "payload.release_address_postcode": (
        "the area you were released to (first half of the postcode)",
        "yr ardal y cawsoch eich rhyddhau iddi (hanner cyntaf y cod post)",
    ),
    "payload.location_postcode": (
        "the area where it happened (first half of the postcode)",
        "yr ardal lle digwyddodd (hanner cyntaf y cod post)",
    ),
    "payload.offence_description": (
        "the type of offence, not the details",
        "y math o drosedd, nid y manylion",
    ),
}

#: dotted path -> what a generalisation kept back
_KEPT_BACK: dict[str, tuple[str, str]] = {
    "payload.postcode": ("your full postcode", "eich cod post llawn"),
    "payload.release_address_postcode": ("the full postcode", "y cod post llawn"),
    "payload.location_postcode": ("the full postcode", "y cod post llawn"),
    "payload.offence_description": ("the details of the offence", "manylion y drosedd"),
}


def field_words(event_type: str, path: str, lang: Language) -> str:
    """What the field is called for this event, e.g. "your NHS number"."""
    en, cy = _EVENT_WORDS.get((event_type, path)) or FIELD_WORDS.get(path) or (path, path)
    return cy if lang == "cy" else en


def field_phrase(event_type: str, path: str, transform: str | None, lang: Language) -> str:
    """What went for one field, saying how it was changed (``None``: as it is)."""
    words = field_words(event_type, path, lang)
    cy = lang == "cy"
    if transform == "generalise":
        if path in _GENERALISED:
            en_text, cy_text = _GENERALISED[path]
            return cy_text if cy else en_text
        return f"y mis, nid y diwrnod, ar gyfer {words}" if cy else f"the month only of {words}"
    if transform == "mask":
        if path.startswith("subject."):
            return f"y 3 nod olaf o {words}" if cy else f"the last 3 characters of {words}"
        return (
            f"bod {words} yn bodoli, nid beth a ddywedant"
            if cy
            else f"that there were {words}, not what they said"
        )
    if transform == "pseudonymise":
        return f"cod yn lle {words}" if cy else f"a code in place of {words}"
    return words


def kept_back_phrase(event_type: str, path: str, transform: str, lang: Language) -> str | None:
    """What a change kept back, e.g. "your full postcode" (``None`` when nothing to say)."""
    cy = lang == "cy"
    if transform == "generalise":
        if path in _KEPT_BACK:
            en_text, cy_text = _KEPT_BACK[path]
            return cy_text if cy else en_text
        return "yr union ddiwrnod" if cy else "the exact day"
    if transform in ("mask", "pseudonymise"):
        return field_words(event_type, path, lang)
    return None
