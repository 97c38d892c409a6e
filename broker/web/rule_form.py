"""The form editor's fields for one rule, in words, and the rule choices a posted form means.

Every option carries the id the agreement file writes and the name a DPO reads: agencies and
agency kinds, events, details, purposes and legal bases (with their explanations), transforms,
IOM cohorts. The form's answers become :class:`broker.policy.rule_edit.RuleChoices`, which
:func:`broker.policy.rule_edit.edit_rule` writes into the agreement text; problems the form
can see itself (nothing ticked, a retention that is not a number) are found here, keyed by the
form field they belong to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from broker.domain.agency import AgencyDirectory
from broker.http.sentences import Language, agency_name
from broker.policy.agreement import TRANSFORMS, Agreement, Rule
from broker.policy.condition_form import (
    COHORTS,
    ConditionParts,
    join_condition,
    split_condition,
)
from broker.policy.condition_words import condition_words
from broker.policy.event_fields import EventFields
from broker.policy.policy_words import (
    agency_kind_name,
    event_name,
    field_name,
    symbol_name,
    transform_words,
)
from broker.policy.rule_edit import RuleChoices
from broker.policy.vocabulary import Term, Vocabulary

__all__ = ["FormProblem", "Option", "RuleForm", "choices_from", "rule_form"]

_YEARS_MONTHS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")
_MAX_COUNT = 99


@dataclass(frozen=True)
class Option:
    """One radio, checkbox or select option: the id written in the file, the words shown."""

    value: str
    label: str
    checked: bool = False
    hint: str = ""


@dataclass(frozen=True)
class DetailOption:
    """A detail a rule can share, whether it is shared, and how it is changed before sending."""

    value: str
    label: str
    checked: bool
    transform: str
    events: tuple[str, ...] = ()
    """The events that carry it (the page's script shows it while one of them is ticked)."""
    shown: bool = True
    """Shown now: ticked, or carried by a ticked event (the others wait, hidden)."""


@dataclass(frozen=True)
class FormProblem:
    """A problem with the form's answers: the field it is about, and a text key or message."""

    field: str
    key: str


@dataclass(frozen=True)
class RuleForm:
    """Everything the form shows for one rule, ticked as its choices say."""

    source: str
    """Who shares (not changed by the form: another sender is another rule)."""
    recipients: tuple[Option, ...]
    events: tuple[Option, ...]
    details: tuple[DetailOption, ...]
    transforms: tuple[Option, ...]
    purposes: tuple[Option, ...]
    legal_bases: tuple[Option, ...]
    years: str
    months: str
    retention_written: str
    """The retention as written when it is not in years and months (kept if left blank)."""
    cohorts: tuple[Option, ...]
    consent: bool
    other_condition: str
    other_words: str
    """The other condition in words, when :func:`condition_words` knows its form."""


def _name(agencies: AgencyDirectory, name: str, lang: Language) -> str:
    if name in agencies:
        return agency_name(agencies, name, lang)
    return agency_kind_name(name, lang) or name


def _retention(retention: str) -> tuple[str, str, str]:
    found = _YEARS_MONTHS.match(retention)
    if found is None or not any(found.groups()):
        return "", "", retention
    return found.group(1) or "0", found.group(2) or "0", ""


def rule_form(
    agreement: Agreement,
    rule: Rule,
    choices: RuleChoices,
    vocabulary: Vocabulary,
    event_fields: EventFields,
    agencies: AgencyDirectory,
    lang: Language,
) -> RuleForm:
    """The form for ``rule`` of ``agreement`` showing ``choices``, in ``lang``."""
    recipients = [p for p in agreement.parties if p != rule.source]
    recipients += [r for r in choices.recipients if r not in recipients]
    events = sorted(set(event_fields) | set(choices.events), key=lambda e: event_name(e, lang))
    carried_by: dict[str, list[str]] = {}
    for event in events:
        for name in event_fields.get(event, {}):
            carried_by.setdefault(name, []).append(event)
    details = sorted(
        set(carried_by) | set(choices.fields),
        key=lambda f: (not f.startswith("subject."), field_name(f, lang).lower()),
    )
    years, months, written = _retention(choices.retention)
    parts = split_condition(choices.condition, choices.purpose)
    words = condition_words(parts.other, lang, vocabulary.purposes) if parts.other else None

    def terms(found: Mapping[str, Term], chosen: str) -> tuple[Option, ...]:
        return tuple(
            Option(
                term.term_id,
                term.name_cy if lang == "cy" else term.name_en,
                term.term_id == chosen,
                term.explanation_cy if lang == "cy" else term.explanation_en,
            )
            for term in found.values()
        )

    return RuleForm(
        source=_name(agencies, rule.source, lang),
        recipients=tuple(
            Option(r, _name(agencies, r, lang), r in choices.recipients) for r in recipients
        ),
        events=tuple(Option(e, event_name(e, lang), e in choices.events) for e in events),
        details=tuple(
            DetailOption(
                f,
                field_name(f, lang),
                f in choices.fields,
                choices.transforms.get(f, ""),
                tuple(carried_by.get(f, ())),
                f in choices.fields or any(e in choices.events for e in carried_by.get(f, ())),
            )
            for f in details
        ),
        transforms=tuple(Option(t, transform_words(t, lang)) for t in ("", *TRANSFORMS)),
        purposes=terms(vocabulary.purposes, choices.purpose),
        legal_bases=terms(vocabulary.legal_bases, choices.legal_basis),
        years=years,
        months=months,
        retention_written=written,
        cohorts=tuple(Option(c, symbol_name(c, lang), c in parts.cohorts) for c in COHORTS),
        consent=parts.consent,
        other_condition=parts.other,
        other_words=words or "",
    )


def _count(text: str) -> int | None:
    text = text.strip() or "0"
    return int(text) if text.isdigit() and int(text) <= _MAX_COUNT else None


def _retention_answer(form: dict[str, list[str]], rule: Rule, problems: list[FormProblem]) -> str:
    years_text = _first(form, "retention_years")
    months_text = _first(form, "retention_months")
    if not years_text.strip() and not months_text.strip() and not _retention(rule.retention)[0]:
        return rule.retention
    years, months = _count(years_text), _count(months_text)
    if years is None or months is None:
        problems.append(FormProblem("retention_years", "form_retention_number"))
        return rule.retention
    if years == 0 and months == 0:
        problems.append(FormProblem("retention_years", "form_retention_missing"))
        return rule.retention
    return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def _first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


def _keeping_order(picked: tuple[str, ...], had: tuple[str, ...]) -> tuple[str, ...]:
    """``picked`` with what the rule had first, in its order (so an untouched list is equal)."""
    return tuple(h for h in had if h in picked) + tuple(p for p in picked if p not in had)


def choices_from(form: dict[str, list[str]], rule: Rule) -> tuple[RuleChoices, list[FormProblem]]:
    """The choices a posted form means for ``rule`` (as sent, to show again), and what is
    missing or wrong in it (the choices are only written into the text when nothing is)."""
    problems: list[FormProblem] = []
    picked = {
        key: tuple(dict.fromkeys(v for v in form.get(key, []) if v))
        for key in ("to", "events", "fields", "cohort")
    }
    for key in ("to", "events", "fields"):
        if not picked[key]:
            problems.append(FormProblem(key, f"form_{key}_missing"))
    purpose = _first(form, "purpose") or rule.purpose
    transforms = {
        name: how
        for name in picked["fields"]
        if (how := _first(form, f"transform-{name}")) in TRANSFORMS
    }
    parts = ConditionParts(
        cohorts=tuple(c for c in picked["cohort"] if c in COHORTS),
        consent=_first(form, "consent") == "given",
        other=" ".join(_first(form, "other_condition").split()),
    )
    unchanged = split_condition(rule.condition, rule.purpose) == parts and purpose == rule.purpose
    choices = RuleChoices(
        recipients=_keeping_order(picked["to"], rule.recipients),
        events=_keeping_order(picked["events"], rule.events),
        fields=_keeping_order(picked["fields"], rule.fields),
        purpose=purpose,
        legal_basis=_first(form, "legal_basis") or rule.legal_basis,
        retention=_retention_answer(form, rule, problems),
        transforms=MappingProxyType(transforms),
        condition=rule.condition if unchanged else join_condition(parts, purpose),
    )
    return choices, problems
