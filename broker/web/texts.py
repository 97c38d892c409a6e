"""Every word the portal shows, in English and Welsh (plain language, short sentences).

The Welsh texts should be checked by the partners' Welsh language officers before go-live.
"""

from __future__ import annotations

from broker.api.sentences import Language

__all__ = ["TEXTS", "texts"]

_EN: dict[str, str] = {
    "service": "What was shared about me",
    "skip": "Skip to main content",
    "switch": "Cymraeg",
    "switch_label": "Newid yr iaith i Gymraeg",
    "sign_in_title": "Sign in",
    "sign_in_intro": "Sign in to see what the IOM partners in Wales shared about you.",
    "console_sign_in_intro": "Sign in to read and manage the IOM sharing agreements.",
    "sign_in_dev": "Development only: the next page lets you pick a test person without a "
    "password. A real service signs you in with your own account.",
    "sign_in_button": "Sign in",
    "sign_in_error_title": "There is a problem",
    "sign_in_error": "Sign-in did not work. Try again.",
    "sign_in_unavailable": "Sign-in is not set up for this service yet.",
    "signed_in_title": "You are signed in",
    "continue": "Continue",
    "sign_out": "Sign out",
    "timeline_title": "What was shared about you",
    "timeline_intro": "This is a list of times one service told another service about you. "
    "The newest is first.",
    "filter_label": "Show only one service",
    "all_agencies": "All services",
    "filter": "Show",
    "none": "Nothing was shared about you.",
    "receipt": "Download proof",
    "receipt_hidden": "for the entry of",
    "older": "Older entries",
    "newest": "Back to the newest",
    "print": "Print this page",
    "sar_link": "Ask for a copy of your information",
    "sar_title": "Ask for a copy of your information",
    "sar_intro": "You have the right to ask for a copy of the information we hold about you. "
    "We must answer within one month. We can take two more months if we tell you why.",
    "sar_submit": "Ask for a copy",
    "sar_made_title": "Done",
    "sar_made": "We got your request.",
    "sar_yours": "Your requests",
    "sar_none": "You have not asked yet.",
    "sar_received": "Asked on",
    "sar_status": "Status",
    "sar_due": "We must answer by",
    "sar_latest": "Latest date if we need more time",
    "status_received": "We got it",
    "status_extended": "We need more time",
    "status_answered": "Answered",
    "back": "Back to what was shared",
    "not_found_title": "Page not found",
    "not_found": "We could not find that page.",
    "too_many": "Too many requests. Wait a moment and try again.",
    "console_service": "IOM sharing agreements (DPO console)",
    "agreements_title": "Sharing agreements",
    "policy_version": "Policy version",
    "parties": "Parties",
    "area": "Area",
    "version": "Version",
    "review_date": "Review by",
    "from": "From",
    "to": "To",
    "what": "What",
    "why": "Why",
    "legal_basis": "Legal basis",
    "fields": "Fields",
    "retention": "Kept for",
    "rules_caption": "Rules of",
}

_CY: dict[str, str] = {
    "service": "Beth a rannwyd amdanaf i",
    "skip": "Neidio i'r prif gynnwys",
    "switch": "English",
    "switch_label": "Change the language to English",
    "sign_in_title": "Mewngofnodi",
    "sign_in_intro": "Mewngofnodwch i weld beth rannodd partneriaid IOM yng Nghymru amdanoch chi.",
    "console_sign_in_intro": "Mewngofnodwch i ddarllen a rheoli cytundebau rhannu IOM.",
    "sign_in_dev": "Ar gyfer datblygu yn unig: mae'r dudalen nesaf yn gadael i chi ddewis "
    "person prawf heb gyfrinair. Mae gwasanaeth go iawn yn eich mewngofnodi gyda'ch "
    "cyfrif eich hun.",
    "sign_in_button": "Mewngofnodi",
    "sign_in_error_title": "Mae problem",
    "sign_in_error": "Wnaeth y mewngofnodi ddim gweithio. Rhowch gynnig arall arni.",
    "sign_in_unavailable": "Nid yw mewngofnodi wedi'i osod ar gyfer y gwasanaeth hwn eto.",
    "signed_in_title": "Rydych wedi mewngofnodi",
    "continue": "Parhau",
    "sign_out": "Allgofnodi",
    "timeline_title": "Beth a rannwyd amdanoch chi",
    "timeline_intro": "Dyma restr o'r adegau y dywedodd un gwasanaeth wrth wasanaeth arall "
    "amdanoch chi. Mae'r mwyaf newydd yn gyntaf.",
    "filter_label": "Dangos un gwasanaeth yn unig",
    "all_agencies": "Pob gwasanaeth",
    "filter": "Dangos",
    "none": "Ni rannwyd dim amdanoch chi.",
    "receipt": "Lawrlwytho prawf",
    "receipt_hidden": "ar gyfer cofnod",
    "older": "Cofnodion hŷn",
    "newest": "Yn ôl i'r mwyaf newydd",
    "print": "Argraffu'r dudalen hon",
    "sar_link": "Gofyn am gopi o'ch gwybodaeth",
    "sar_title": "Gofyn am gopi o'ch gwybodaeth",
    "sar_intro": "Mae gennych hawl i ofyn am gopi o'r wybodaeth sydd gennym amdanoch chi. "
    "Rhaid i ni ateb o fewn mis. Gallwn gymryd dau fis arall os ydym yn dweud pam wrthych.",
    "sar_submit": "Gofyn am gopi",
    "sar_made_title": "Wedi'i wneud",
    "sar_made": "Cawsom eich cais.",
    "sar_yours": "Eich ceisiadau",
    "sar_none": "Nid ydych wedi gofyn eto.",
    "sar_received": "Gofynnwyd ar",
    "sar_status": "Statws",
    "sar_due": "Rhaid i ni ateb erbyn",
    "sar_latest": "Y dyddiad olaf os oes angen mwy o amser arnom",
    "status_received": "Rydym wedi ei gael",
    "status_extended": "Mae angen mwy o amser arnom",
    "status_answered": "Wedi ateb",
    "back": "Yn ôl i beth a rannwyd",
    "not_found_title": "Heb ddod o hyd i'r dudalen",
    "not_found": "Ni allem ddod o hyd i'r dudalen honno.",
    "too_many": "Gormod o geisiadau. Arhoswch funud a rhowch gynnig arall arni.",
    "console_service": "Cytundebau rhannu IOM (consol SDD)",
    "agreements_title": "Cytundebau rhannu",
    "policy_version": "Fersiwn y polisi",
    "parties": "Partïon",
    "area": "Ardal",
    "version": "Fersiwn",
    "review_date": "Adolygu erbyn",
    "from": "Oddi wrth",
    "to": "At",
    "what": "Beth",
    "why": "Pam",
    "legal_basis": "Sail gyfreithiol",
    "fields": "Meysydd",
    "retention": "Cadw am",
    "rules_caption": "Rheolau",
}

TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}


def texts(lang: Language) -> dict[str, str]:
    """The portal's words in ``lang``."""
    return TEXTS[lang]
