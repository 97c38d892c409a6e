"""The console's words for the agreements index and the agreement and rule pages, in English
and Welsh (merged into ``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["AGREEMENT_TEXTS"]

_EN = {
    "agreements_intro": "These are the sharing agreements in force now. Open one to read its "
    "rules in words, or to propose a change.",
    "rules_count": "Rules",
    "rules_heading": "Rules",
    "rule_description": "What it is for",
    "review_overdue": "Review overdue",
    "review_soon": "Review due soon",
    "signed_off_by": "Signed off by",
}

_CY = {
    "agreements_intro": "Dyma'r cytundebau rhannu sydd mewn grym nawr. Agorwch un i ddarllen ei "
    "reolau mewn geiriau, neu i gynnig newid.",
    "rules_count": "Rheolau",
    "rules_heading": "Rheolau",
    "rule_description": "Beth yw ei diben",
    "review_overdue": "Adolygiad yn hwyr",
    "review_soon": "Adolygiad yn ddyledus cyn bo hir",
    "signed_off_by": "Llofnodwyd gan",
}

AGREEMENT_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
