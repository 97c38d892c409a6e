"""One disclosure told plainly: who told whom what, which details went, why, and the law.

The portal shows these parts in this order, the law behind a "The law that allows this"
details component. Sentences are short (a reading age of about 11: Flesch-Kincaid grade 6 or
less, checked in tests). A version 1 entry does not record how each field was changed, so its
account says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.domain.agency import AgencyDirectory
from broker.http.field_words import field_phrase, kept_back_phrase
from broker.http.sentences import EVENT_PHRASES, Language, agency_name
from broker.http.welsh_mutation import after_preposition
from broker.policy.vocabulary import Vocabulary
from broker.transparency.entry import LogEntry

__all__ = ["PURPOSE_WORDS", "PlainAccount", "plain_account"]

#: purpose id -> (English, Welsh): why, in words a person would use
PURPOSE_WORDS: dict[str, tuple[str, str]] = {
    "iom_case_management": (
        "So the IOM team can plan your support and check how you are doing.",
        "Er mwyn i'r tîm IOM gynllunio eich cymorth a gweld sut rydych chi.",
    ),
    "public_protection": (
        "To keep other people safe from harm.",
        "Er mwyn cadw pobl eraill yn ddiogel rhag niwed.",
    ),
    "safeguarding": (
        "To keep children, or adults at risk, safe. This can mean you.",
        "Er mwyn cadw plant, neu oedolion mewn perygl, yn ddiogel. Gall hyn eich cynnwys chi.",
    ),
    "housing_support": (
        "So the council can help you find a home and keep it.",
        "Er mwyn i'r cyngor eich helpu i gael cartref a'i gadw.",
    ),
    "substance_misuse_treatment": (
        "So the drug and alcohol team can give you the right help.",
        "Er mwyn i'r tîm cyffuriau ac alcohol roi'r help iawn i chi.",
    ),
    "health_care": (
        "So health staff can give you the care you need.",
        "Er mwyn i staff iechyd roi'r gofal sydd ei angen arnoch.",
    ),
    "service_planning": (
        "To plan services. Your name is not used for this.",
        "Er mwyn cynllunio gwasanaethau. Nid yw eich enw'n cael ei ddefnyddio.",
    ),
}

_TEXT = {
    "en": {
        "shared": "What they shared: {items}.",
        "nothing": "They shared no details, only that it happened.",
        "kept": "Not shared: {items}.",
        "special": "Some of this is health information. The law protects it more.",
        "older": "This is an older entry. It does not say if any detail was shortened.",
        "and": "and",
    },
    "cy": {
        "shared": "Beth a rannwyd: {items}.",
        "nothing": "Ni rannwyd unrhyw fanylion, dim ond ei fod wedi digwydd.",
        "kept": "Heb ei rannu: {items}.",
        "special": "Mae peth o hyn yn wybodaeth iechyd. Mae'r gyfraith yn ei diogelu'n fwy.",
        "older": "Cofnod hŷn yw hwn. Nid yw'n dweud a gafodd unrhyw fanylyn ei fyrhau.",
        "and": "a",
    },
}


@dataclass(frozen=True)
class PlainAccount:
    """The parts of one disclosure's plain account, in one language."""

    told: str
    """"Newport City Council Housing told the Probation Service in Wales that your housing
    changed." """
    shared: str
    kept_back: str | None
    special: str | None
    why: str | None
    law: str | None
    law_explanation: str | None


def plain_account(
    entry: LogEntry, lang: Language, agencies: AgencyDirectory, vocabulary: Vocabulary
) -> PlainAccount:
    """The plain account of one permitted disclosure in ``lang``."""
    text = _TEXT[lang]
    transforms = dict(entry.field_transforms)
    fields = sorted(entry.fields_shared, key=_field_order)
    shared_items = [field_phrase(entry.event_type, f, transforms.get(f), lang) for f in fields]
    kept_items = [
        phrase
        for f in fields
        if f in transforms
        and (phrase := kept_back_phrase(entry.event_type, f, transforms[f], lang)) is not None
    ]
    kept_items += [field_phrase(entry.event_type, f, None, lang) for f in entry.fields_withheld]
    if shared_items:
        shared = text["shared"].format(items=_join(shared_items, text["and"]))
        if entry.version == 1:
            shared += " " + text["older"]
    else:
        shared = text["nothing"]
    purpose = PURPOSE_WORDS.get(entry.purpose or "")
    basis = vocabulary.legal_bases.get(entry.legal_basis or "")
    cy = lang == "cy"
    return PlainAccount(
        told=told_sentence(entry, lang, agencies),
        shared=shared,
        kept_back=text["kept"].format(items=_join(kept_items, text["and"])) if kept_items else None,
        special=text["special"] if _is_special(entry, agencies, vocabulary) else None,
        why=(purpose[1] if cy else purpose[0]) if purpose else None,
        law=(basis.name_cy if cy else basis.name_en) if basis else None,
        law_explanation=(basis.explanation_cy if cy else basis.explanation_en) if basis else None,
    )


def told_sentence(entry: LogEntry, lang: Language, agencies: AgencyDirectory) -> str:
    """Who told whom what, without the date: the heading above it has the date and time."""
    source = agency_name(agencies, entry.source_agency, lang)
    recipient = agency_name(agencies, entry.recipient_agency, lang)
    en_phrase, cy_phrase = EVENT_PHRASES.get(
        entry.event_type, ("about something that happened", "am rywbeth a ddigwyddodd")
    )
    if lang == "cy":
        return f"Dywedodd {source} {after_preposition('wrth', recipient)} {cy_phrase}."
    return f"{source} told {_mid_sentence(recipient)} {en_phrase}."


def _mid_sentence(name: str) -> str:
    """ "The Probation Service in Wales" -> "the Probation Service in Wales"."""
    return "the " + name[4:] if name.startswith("The ") else name


def _field_order(path: str) -> tuple[int, str]:
    return (1 if path.startswith("subject.") else 0, path)


def _join(items: list[str], and_word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {and_word} " + items[-1]


def _is_special(entry: LogEntry, agencies: AgencyDirectory, vocabulary: Vocabulary) -> bool:
    kind = agencies.get(entry.source_agency).kind if entry.source_agency in agencies else None
    special = vocabulary.special_category
    return any(special.covers(kind, entry.event_type, f) for f in entry.fields_shared)
