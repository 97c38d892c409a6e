"""Why a recipient was refused, in plain English and Welsh (for explain and the supervisee)."""

from __future__ import annotations

from broker.domain.decision import (
    DENY_AMBIGUOUS_SUBJECT,
    DENY_CONDITION_FALSE,
    DENY_CONSENT_WITHDRAWN,
    DENY_EVALUATION_ERROR,
    DENY_NO_CONSENT,
    DENY_NO_RULE,
    DENY_NOT_IN_COHORT,
)

#: reason code -> (English, Welsh)
REASON_TEXT: dict[str, tuple[str, str]] = {
    DENY_NOT_IN_COHORT: ("not in an IOM cohort", "ddim mewn carfan IOM"),
    DENY_NO_RULE: ("no rule allows it", "nid oes rheol yn ei ganiatáu"),
    DENY_CONDITION_FALSE: ("condition false", "nid yw'r amod yn wir"),
    DENY_CONSENT_WITHDRAWN: ("consent withdrawn", "caniatâd wedi'i dynnu'n ôl"),
    DENY_NO_CONSENT: ("no consent recorded", "dim caniatâd wedi'i gofnodi"),
    DENY_EVALUATION_ERROR: (
        "the policy could not be evaluated, so nothing was shared",
        "nid oedd modd gwerthuso'r polisi, felly ni rannwyd dim",
    ),
    DENY_AMBIGUOUS_SUBJECT: (
        "the event's identifiers match more than one person",
        "mae dynodwyr y digwyddiad yn cyfateb i fwy nag un person",
    ),
}


def reason_text(reason: str | None, language: str = "en") -> str:
    """The plain-language text of a refusal reason (the code itself if unknown)."""
    if reason is None:
        return ""
    english, welsh = REASON_TEXT.get(reason, (reason, reason))
    return welsh if language == "cy" else english
