"""A rule's condition (``when:``) as the form editor's fields, and back. Pure.

The common conditions get their own fields: the IOM cohorts the rule is limited to, and
whether the person's consent for the rule's purpose must be recorded as given. Any other part
of a condition is kept verbatim in an "other condition" field for experts, so nothing a DPO
wrote is lost or rewritten. A condition with ``||`` or brackets is kept whole as "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COHORTS", "ConditionParts", "join_condition", "split_condition"]

COHORTS = ("FIXED", "FLEX", "FREE")
_COHORT = re.compile(r"^subject\.cohort\s*(?:==\s*'(?P<one>[A-Z]+)'|in\s*\[(?P<list>[^\]]*)\])$")
_CONSENT = re.compile(r"^subject\.consents\.(?P<purpose>[a-z0-9_]+)\s*==\s*'given'$")
_ITEM = re.compile(r"'([A-Z]+)'")


@dataclass(frozen=True)
class ConditionParts:
    """The form's condition fields: cohorts (empty: any), consent needed, the rest verbatim."""

    cohorts: tuple[str, ...] = ()
    consent: bool = False
    other: str = ""


def split_condition(condition: str | None, purpose: str) -> ConditionParts:
    """``condition`` as form fields; parts the form has no field for stay in ``other``."""
    text = (condition or "").strip()
    if not text:
        return ConditionParts()
    if "||" in text or "(" in text:
        return ConditionParts(other=text)
    cohorts: tuple[str, ...] = ()
    consent = False
    rest = []
    for part in (p.strip() for p in text.split("&&")):
        cohort = _COHORT.match(part)
        given = _CONSENT.match(part)
        if cohort and not cohorts:
            found = (cohort["one"],) if cohort["one"] else tuple(_ITEM.findall(cohort["list"]))
            if found and all(c in COHORTS for c in found):
                cohorts = found
                continue
        if given and given["purpose"] == purpose and not consent:
            consent = True
            continue
        rest.append(part)
    return ConditionParts(cohorts, consent, " && ".join(rest))


def join_condition(parts: ConditionParts, purpose: str) -> str | None:
    """The condition the form fields mean (None for "always"); the inverse of
    :func:`split_condition` for the forms it recognises."""
    joined = []
    if parts.cohorts:
        cohorts = [c for c in COHORTS if c in parts.cohorts]
        joined.append(
            f"subject.cohort == '{cohorts[0]}'"
            if len(cohorts) == 1
            else f"subject.cohort in [{', '.join(repr(c) for c in cohorts)}]"
        )
    if parts.consent:
        joined.append(f"subject.consents.{purpose} == 'given'")
    if parts.other.strip():
        other = parts.other.strip()
        joined.append(f"({other})" if "||" in other and joined else other)
    return " && ".join(joined) or None
