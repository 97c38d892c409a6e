"""``policy explain`` as data and as lines, entirely in one language (English or Welsh).

For each possible recipient: shared or not and why, in words; when a rule's condition was
false, that condition in words (:func:`broker.policy.condition_words.condition_words`, or as
written when it is not one of the common forms); when shared, the rule, purpose, legal basis,
retention ("2 years") and each detail as it would be sent, with how it was changed. The same
:class:`Explanation` is printed as text or as JSON (``--json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from broker.domain.agency import AgencyDirectory
from broker.domain.decision import DENY_CONDITION_FALSE
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.condition_words import condition_words
from broker.policy.engine import CompiledPolicy, Routed
from broker.policy.policy_words import Language, event_name, field_name, symbol_name
from broker.policy.reasons import reason_text
from broker.policy.retention_words import retention_words
from broker.policy.scenario import delivered_fields

__all__ = ["Explanation", "explain", "explanation_lines", "not_a_recipient"]

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "event": "Event: {event} ({event_type}) from {source}, about {who}.",
        "nobody": "someone not enrolled in IOM",
        "someone": "someone {state} in the {cohort} cohort, area {area}",
        "enrolled": "enrolled",
        "deselected": "deselected",
        "no_area": "(none)",
        "policy": "Policy {version}.",
        "shared": "SHARED",
        "not_shared": "NOT SHARED",
        "considered": "rules considered",
        "false": "the condition that was false",
        "rule": "rule",
        "agreement": "agreement",
        "version": "version",
        "purpose": "purpose",
        "legal_basis": "legal basis",
        "retention": "retention",
        "fields": "fields",
        "envelope": "(envelope only)",
        "generalise": "generalised",
        "mask": "masked",
        "pseudonymise": "pseudonymised",
        "not_recipient": "{to} is not a possible recipient: it does not serve this person's area.",
    },
    "cy": {
        "event": "Digwyddiad: {event} ({event_type}) gan {source}, am {who}.",
        "nobody": "rywun nad yw wedi'i ymrestru yn IOM",
        "someone": "rywun {state} yn y garfan {cohort}, ardal {area}",
        "enrolled": "wedi'i ymrestru",
        "deselected": "wedi'i ddad-ddewis",
        "no_area": "(dim)",
        "policy": "Polisi {version}.",
        "shared": "WEDI'I RANNU",
        "not_shared": "HEB EI RANNU",
        "considered": "rheolau a ystyriwyd",
        "false": "yr amod nad oedd yn wir",
        "rule": "rheol",
        "agreement": "cytundeb",
        "version": "fersiwn",
        "purpose": "diben",
        "legal_basis": "sail gyfreithiol",
        "retention": "cadw",
        "fields": "manylion",
        "envelope": "(amlen yn unig)",
        "generalise": "wedi'i gyffredinoli",
        "mask": "wedi'i guddio",
        "pseudonymise": "wedi'i ffugenwi",
        "not_recipient": "Nid yw {to} yn dderbynnydd posibl: nid yw'n gwasanaethu ardal yr "
        "unigolyn hwn.",
    },
}
_LABEL = 16


@dataclass(frozen=True)
class FalseCondition:
    """A considered rule whose condition was false: as written, and in words when known."""

    rule_id: str
    condition: str
    words: str


@dataclass(frozen=True)
class SentField:
    """One detail as the recipient would receive it."""

    field: str
    name: str
    value: str
    transform: str = ""
    transform_words: str = ""


@dataclass(frozen=True)
class RecipientExplanation:
    """Whether one recipient receives the event, why, and what it receives."""

    recipient: str
    recipient_name: str
    shared: bool
    reason: str = ""
    reason_words: str = ""
    rules_considered: list[str] = field(default_factory=list)
    false_conditions: list[FalseCondition] = field(default_factory=list)
    rule_id: str = ""
    agreement: str = ""
    agreement_version: str = ""
    purpose: str = ""
    purpose_name: str = ""
    purpose_explanation: str = ""
    legal_basis: str = ""
    legal_basis_name: str = ""
    retention: str = ""
    retention_words: str = ""
    fields: list[SentField] = field(default_factory=list)


@dataclass(frozen=True)
class Explanation:
    """The event, the person, the policy version, and each possible recipient's decision."""

    language: Language
    event_type: str
    event_words: str
    source: str
    source_name: str
    about: str
    policy_version: str
    recipients: list[RecipientExplanation]


def _name(agencies: AgencyDirectory, agency_id: str, lang: Language) -> str:
    if agency_id in agencies:
        found = agencies.get(agency_id)
        return f"{found.name_cy if lang == 'cy' else found.name_en} ({agency_id})"
    return agency_id


def _shown(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _about(subject: SubjectRecord | None, lang: Language) -> str:
    words = _WORDS[lang]
    if subject is None:
        return words["nobody"]
    return words["someone"].format(
        state=words["enrolled" if subject.enrolled else "deselected"],
        cohort=symbol_name(subject.cohort, lang) if subject.cohort else "-",
        area=subject.area or words["no_area"],
    )


def explain(
    policy: CompiledPolicy,
    agencies: AgencyDirectory,
    event: Event,
    subject: SubjectRecord | None,
    routed: list[Routed],
    lang: Language = "en",
) -> Explanation:
    """Why each of ``routed`` was or was not shared, in ``lang``."""
    vocabulary = policy.policy.vocabulary
    rules = {r.rule_id: r for a in policy.policy.agreements for r in a.rules}
    versions = {a.agreement_id: a.version for a in policy.policy.agreements}
    words = _WORDS[lang]
    recipients = []
    for outcome in routed:
        decision = outcome.decision
        name = _name(agencies, decision.recipient, lang)
        if not decision.permitted:
            false = []
            if decision.reason == DENY_CONDITION_FALSE:
                for rule_id in decision.rule_ids:
                    condition = rules[rule_id].condition if rule_id in rules else None
                    if condition:
                        said = condition_words(condition, lang, vocabulary.purposes)
                        false.append(FalseCondition(rule_id, condition, said or condition))
            recipients.append(
                RecipientExplanation(
                    decision.recipient,
                    name,
                    False,
                    decision.reason or "",
                    reason_text(decision.reason, lang),
                    list(decision.rule_ids),
                    false,
                )
            )
            continue
        purpose = vocabulary.purposes[str(decision.purpose)]
        basis = vocabulary.legal_bases[str(decision.legal_basis)]
        transforms = dict(decision.transforms)
        welsh = lang == "cy"
        recipients.append(
            RecipientExplanation(
                decision.recipient,
                name,
                True,
                rule_id=str(decision.rule_id),
                agreement=str(decision.agreement),
                agreement_version=versions.get(str(decision.agreement), ""),
                purpose=purpose.term_id,
                purpose_name=purpose.name_cy if welsh else purpose.name_en,
                purpose_explanation=purpose.explanation_cy if welsh else purpose.explanation_en,
                legal_basis=basis.term_id,
                legal_basis_name=basis.name_cy if welsh else basis.name_en,
                retention=str(decision.retention),
                retention_words=retention_words(str(decision.retention), lang),
                fields=[
                    SentField(
                        path,
                        field_name(path, lang),
                        _shown(value),
                        transforms.get(path, ""),
                        words.get(transforms.get(path, ""), "") if transforms.get(path) else "",
                    )
                    for path, value in delivered_fields(outcome).items()
                ],
            )
        )
    return Explanation(
        lang,
        event.event_type,
        event_name(event.event_type, lang),
        event.source_agency,
        _name(agencies, event.source_agency, lang),
        _about(subject, lang),
        policy.version,
        recipients,
    )


def not_a_recipient(to: str, lang: Language) -> str:
    """The line saying ``to`` cannot receive this person's events, in ``lang``."""
    return _WORDS[lang]["not_recipient"].format(to=to)


def explanation_lines(explanation: Explanation) -> list[str]:
    """The explanation as text, every word in its language."""
    words = _WORDS[explanation.language]
    lines = [
        words["event"].format(
            event=explanation.event_words,
            event_type=explanation.event_type,
            source=explanation.source_name,
            who=explanation.about,
        ),
        words["policy"].format(version=explanation.policy_version),
    ]

    def row(label: str, text: str) -> str:
        return f"  {label:<{_LABEL}}{text}"

    for r in explanation.recipients:
        lines.append("")
        if not r.shared:
            considered = f" ({words['considered']}: {', '.join(r.rules_considered)})"
            lines.append(
                f"{r.recipient_name}: {words['not_shared']} - {r.reason_words}"
                + (considered if r.rules_considered else "")
            )
            for false in r.false_conditions:
                lines.append(f"  {words['false']}: {false.words} ({words['rule']} {false.rule_id})")
            continue
        lines.append(f"{r.recipient_name}: {words['shared']}")
        version = f", {words['version']} {r.agreement_version}" if r.agreement_version else ""
        lines.append(
            row(words["rule"], f"{r.rule_id} ({words['agreement']} {r.agreement}{version})")
        )
        lines.append(row(words["purpose"], r.purpose_name))
        lines.append(row("", r.purpose_explanation))
        lines.append(row(words["legal_basis"], r.legal_basis_name))
        lines.append(row(words["retention"], r.retention_words))
        label = words["fields"]
        for sent in r.fields:
            how = f" ({sent.transform_words})" if sent.transform_words else ""
            lines.append(row(label, f"{sent.name} ({sent.field}) = {sent.value}{how}"))
            label = ""
        if not r.fields:
            lines.append(row(words["fields"], words["envelope"]))
    return lines
