"""The names a DPO reads for the ids in agreements: details, events, agency kinds, transforms.

Each name is given in English and Welsh; an id with no name here is shown with its
underscores as spaces (``payload.new_thing`` -> "new thing"), so a new schema field never
shows as code. The Welsh names should be checked by the partners' Welsh language officers
before go-live, like the vocabulary texts.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "Language",
    "agency_kind_name",
    "event_name",
    "field_name",
    "symbol_name",
    "transform_words",
]

Language = Literal["en", "cy"]

_FIELDS: dict[str, tuple[str, str]] = {
    "subject.crn": ("probation case reference (CRN)", "cyfeirnod achos prawf (CRN)"),
    "subject.pnc_id": (
        "Police National Computer number",
        "rhif Cyfrifiadur Cenedlaethol yr Heddlu",
    ),
    "subject.noms_number": ("prison number", "rhif carchar"),
    "subject.nhs_number": ("NHS number", "rhif GIG"),
    "payload.accommodation_type": ("type of accommodation", "math o lety"),
    "payload.action": ("action taken", "camau a gymerwyd"),
    "payload.address_line": ("first line of the address", "llinell gyntaf y cyfeiriad"),
    "payload.appointment_id": ("appointment reference", "cyfeirnod yr apwyntiad"),
    "payload.area": ("IOM area", "ardal IOM"),
    "payload.arresting_force": ("arresting police force", "heddlu a arestiodd"),
    "payload.bail_conditions": ("bail conditions", "amodau mechnïaeth"),
    "payload.breach_reason": ("what the breach was", "beth oedd y toriad"),
    "payload.clinical_notes": ("clinical notes", "nodiadau clinigol"),
    "payload.cohort": ("IOM cohort", "carfan IOM"),
    "payload.court": ("court", "llys"),
    "payload.custody_suite": ("custody suite", "swît y ddalfa"),
    "payload.effective_from": ("date it takes effect", "dyddiad dod i rym"),
    "payload.exit_plan": ("exit plan", "cynllun gadael"),
    "payload.first_hearing_date": ("first hearing date", "dyddiad y gwrandawiad cyntaf"),
    "payload.lead_agency": ("lead agency", "asiantaeth arweiniol"),
    "payload.licence_end_date": ("licence end date", "dyddiad diwedd y drwydded"),
    "payload.licence_id": ("licence reference", "cyfeirnod y drwydded"),
    "payload.location_postcode": ("postcode of the place of arrest", "cod post y man arestio"),
    "payload.new_level": ("new risk level", "lefel risg newydd"),
    "payload.notes": ("the service's notes", "nodiadau'r gwasanaeth"),
    "payload.offence_category": ("offence category", "categori'r drosedd"),
    "payload.offence_description": ("offence description", "disgrifiad o'r drosedd"),
    "payload.order_type": ("type of order or licence", "math o orchymyn neu drwydded"),
    "payload.outcome": ("outcome", "canlyniad"),
    "payload.postcode": ("postcode", "cod post"),
    "payload.previous_level": ("previous risk level", "lefel risg flaenorol"),
    "payload.prison": ("prison", "carchar"),
    "payload.purpose": ("purpose consented to", "diben y cydsyniwyd iddo"),
    "payload.reason": ("reason", "rheswm"),
    "payload.recall_type": ("type of recall", "math o adalw"),
    "payload.recorded_by": ("role of who recorded it", "rôl y sawl a'i cofnododd"),
    "payload.referral_id": ("referral reference", "cyfeirnod yr atgyfeiriad"),
    "payload.referred_to": ("service referred to", "gwasanaeth yr atgyfeiriwyd ato"),
    "payload.release_address_postcode": (
        "postcode of the release address",
        "cod post y cyfeiriad rhyddhau",
    ),
    "payload.release_type": ("type of release", "math o ryddhau"),
    "payload.risk_type": ("type of risk", "math o risg"),
    "payload.scheduled_for": ("appointment time", "amser yr apwyntiad"),
    "payload.service": ("service", "gwasanaeth"),
    "payload.status": ("consent decision", "penderfyniad cydsynio"),
    "payload.urgency": ("urgency", "brys"),
    "payload.variation_reason": ("reason for the variation", "rheswm dros yr amrywiad"),
}

_EVENTS: dict[str, tuple[str, str]] = {
    "arrest": ("arrests", "arestiadau"),
    "charge": ("charges", "cyhuddiadau"),
    "custody_release": ("releases from police custody", "rhyddhau o ddalfa'r heddlu"),
    "prison_release": ("releases from prison", "rhyddhau o'r carchar"),
    "recall": ("recalls to prison", "galw'n ôl i'r carchar"),
    "breach": ("breaches of an order or licence", "torri gorchymyn neu drwydded"),
    "referral": ("referrals to a service", "atgyfeiriadau at wasanaeth"),
    "referral_outcome": ("outcomes of referrals", "canlyniadau atgyfeiriadau"),
    "appointment": ("appointments attended or missed", "apwyntiadau a fynychwyd neu a gollwyd"),
    "accommodation_change": ("changes of accommodation", "newidiadau llety"),
    "risk_level_change": ("changes of risk level", "newidiadau lefel risg"),
    "cohort_enrolment": ("enrolments in IOM", "ymrestru yn IOM"),
    "cohort_deselection": ("people leaving IOM", "pobl yn gadael IOM"),
    "licence_variation": ("changes to licence conditions", "newidiadau i amodau trwydded"),
    "consent_change": ("consent given or withdrawn", "caniatâd a roddwyd neu a dynnwyd yn ôl"),
}

_KINDS: dict[str, tuple[str, str]] = {
    "police": ("the police force for the person's area", "heddlu ardal yr unigolyn"),
    "probation": ("the probation service", "y gwasanaeth prawf"),
    "prison": ("the prison service", "y gwasanaeth carchardai"),
    "health": ("the health board for the person's area", "bwrdd iechyd ardal yr unigolyn"),
    "housing": ("the council housing service for the person's area", "gwasanaeth tai'r cyngor"),
    "substance_misuse": (
        "the drug and alcohol service for the person's area",
        "gwasanaeth cyffuriau ac alcohol ardal yr unigolyn",
    ),
    "local_authority": ("the council for the person's area", "cyngor ardal yr unigolyn"),
}

_TRANSFORMS: dict[str, tuple[str, str]] = {
    "drop": ("never sent", "byth yn cael ei anfon"),
    "mask": (
        "hidden (only the last characters of an identifier are shown)",
        "wedi'i guddio (dim ond nodau olaf dynodwr a ddangosir)",
    ),
    "generalise": (
        "made less precise (dates to the month, postcodes to the district, offences to the"
        " category)",
        "wedi'i wneud yn llai manwl (dyddiadau i'r mis, codau post i'r ardal, troseddau i'r"
        " categori)",
    ),
    "pseudonymise": (
        "replaced by a code only this recipient can use",
        "wedi'i ddisodli gan god y gall y derbynnydd hwn yn unig ei ddefnyddio",
    ),
    "": ("sent as recorded", "yn cael ei anfon fel y'i cofnodwyd"),
}

_SYMBOLS: dict[str, tuple[str, str]] = {
    "FIXED": ("Fixed", "Sefydlog"),
    "FLEX": ("Flex", "Hyblyg"),
    "FREE": ("Free", "Rhydd"),
    "LOW": ("low", "isel"),
    "MEDIUM": ("medium", "canolig"),
    "HIGH": ("high", "uchel"),
    "VERY_HIGH": ("very high", "uchel iawn"),
    "HOUSING": ("housing", "tai"),
    "DRUG_AND_ALCOHOL": ("drug and alcohol", "cyffuriau ac alcohol"),
    "MENTAL_HEALTH": ("mental health", "iechyd meddwl"),
    "WARNING": ("a warning", "rhybudd"),
}


def _pick(names: tuple[str, str], lang: Language) -> str:
    return names[1] if lang == "cy" else names[0]


def _plain(identifier: str) -> str:
    return identifier.rpartition(".")[2].replace("_", " ")


def field_name(path: str, lang: Language) -> str:
    """A detail's name, e.g. ``payload.offence_category`` -> "offence category"."""
    names = _FIELDS.get(path)
    return _pick(names, lang) if names else _plain(path)


def event_name(event_type: str, lang: Language) -> str:
    """An event type as a plural noun phrase, e.g. ``arrest`` -> "arrests"."""
    names = _EVENTS.get(event_type)
    return _pick(names, lang) if names else _plain(event_type)


def agency_kind_name(kind: str, lang: Language) -> str | None:
    """What a rule naming an agency kind (``police``) means in words; None if not a kind."""
    names = _KINDS.get(kind)
    return _pick(names, lang) if names else None


def transform_words(transform: str, lang: Language) -> str:
    """How a detail is changed before it is sent ('' for unchanged: "sent as recorded")."""
    names = _TRANSFORMS.get(transform)
    return _pick(names, lang) if names else transform


def symbol_name(symbol: str, lang: Language) -> str:
    """An enum value in words, e.g. ``VERY_HIGH`` -> "very high"."""
    names = _SYMBOLS.get(symbol)
    return _pick(names, lang) if names else symbol.replace("_", " ").lower()
