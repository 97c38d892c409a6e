"""The timeline's words: plain details, what the list leaves out, filters, receipts, sign-out.

Short sentences for a reading age of about 11 (checked with textstat in
``tests/unit/web/test_timeline_texts.py``). The Welsh should be checked by the partners' Welsh
language officers before go-live.
"""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["TIMELINE_TEXTS"]

_EN: dict[str, str] = {
    "timeline_lead": "This is a list of times one service told another service about you. "
    "The newest is first. Times are UK time.",
    "iom_explained": "IOM means Integrated Offender Management. In IOM, the police, "
    "probation and other services work as one team. They help you stop offending.",
    "not_shown_title": "What this list does not show",
    "not_shown_refused": "It does not show times a service asked about you and was told no.",
    "not_shown_withheld": "The law lets services hold back some entries for a while, for "
    "example while the police look into a crime. We do not say if any are held back.",
    "not_shown_ask": "To ask about this, ask for a copy of your information.",
    "filters_summary": "Choose what to show",
    "from_org": "From (the service that told)",
    "to_org": "To (the service that was told)",
    "any_org": "Any service",
    "why_label": "Why",
    "law_summary": "The law that allows this",
    "receipt_link": "Download a receipt",
    "receipt_for": "for",
    "at_time": "at",
    "none_filtered": "Nothing was shared about you that matches what you chose:",
    "none_at_all": "Nothing has been shared about you yet.",
    "filter_from": "from {name}",
    "filter_to": "to {name}",
    "filter_agency": "from or to {name}",
    "filter_since": "on or after {date}",
    "filter_until": "on or before {date}",
    "clear_filters": "Show everything",
    "signed_out_title": "You have signed out",
    "signed_out_body": "If you used a shared computer, close this window.",
    "sign_in_again": "Sign in again",
}

_CY: dict[str, str] = {
    "timeline_lead": "Dyma restr o'r adegau y dywedodd un gwasanaeth wrth wasanaeth arall "
    "amdanoch chi. Mae'r mwyaf newydd yn gyntaf. Amser y DU yw'r amseroedd.",
    "iom_explained": "Ystyr IOM yw Rheoli Troseddwyr Integredig. Mewn IOM, mae'r heddlu, y "
    "gwasanaeth prawf a gwasanaethau eraill yn gweithio fel un tîm. Maen nhw'n eich helpu i "
    "roi'r gorau i droseddu.",
    "not_shown_title": "Beth nad yw'r rhestr hon yn ei ddangos",
    "not_shown_refused": "Nid yw'n dangos adegau pan ofynnodd gwasanaeth amdanoch a chael na.",
    "not_shown_withheld": "Mae'r gyfraith yn gadael i wasanaethau ddal rhai cofnodion yn ôl am "
    "gyfnod, er enghraifft tra bo'r heddlu'n ymchwilio i drosedd. Nid ydym yn dweud a oes "
    "unrhyw rai wedi'u dal yn ôl.",
    "not_shown_ask": "I holi am hyn, gofynnwch am gopi o'ch gwybodaeth.",
    "filters_summary": "Dewis beth i'w ddangos",
    "from_org": "Oddi wrth (y gwasanaeth a ddywedodd)",
    "to_org": "At (y gwasanaeth y dywedwyd wrtho)",
    "any_org": "Unrhyw wasanaeth",
    "why_label": "Pam",
    "law_summary": "Y gyfraith sy'n caniatáu hyn",
    "receipt_link": "Lawrlwytho derbynneb",
    "receipt_for": "ar gyfer",
    "at_time": "am",
    "none_filtered": "Ni rannwyd dim amdanoch chi sy'n cyfateb i'r hyn a ddewisoch:",
    "none_at_all": "Nid oes dim wedi'i rannu amdanoch chi eto.",
    "filter_from": "oddi {name}",
    "filter_to": "{name}",
    "filter_agency": "oddi {name} neu ato",
    "filter_since": "ar neu ar ôl {date}",
    "filter_until": "ar neu cyn {date}",
    "clear_filters": "Dangos popeth",
    "signed_out_title": "Rydych wedi allgofnodi",
    "signed_out_body": "Os oeddech chi'n defnyddio cyfrifiadur a rennir, caewch y ffenestr hon.",
    "sign_in_again": "Mewngofnodi eto",
}

TIMELINE_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
