"""A proposed policy change in words, rule by rule, in English or Welsh (no code, no ids).

For each changed agreement and each added, removed or changed rule: who shares with whom,
about which events, which details and how each is changed, for what purpose, under which law,
kept how long and under which condition; each aspect marked new, removed, changed (with what
it was) or unchanged. The console's proposal and approval pages and ``iom-broker policy diff
--proposed`` all render this one structure, so they cannot say different things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from broker.domain.agency import AgencyDirectory
from broker.policy.agreement import Agreement, Rule
from broker.policy.condition_words import and_join, condition_words
from broker.policy.policy_set import PolicySet
from broker.policy.policy_words import (
    Language,
    agency_kind_name,
    event_name,
    field_name,
    transform_words,
)
from broker.policy.retention_words import retention_words
from broker.policy.rule_changes import AgreementDelta, ChangeKind, RuleDelta, policy_changes
from broker.policy.vocabulary import Term

__all__ = [
    "AgreementInWords",
    "Aspect",
    "RuleInWords",
    "agreement_in_words",
    "change_in_words",
    "change_sentences",
]

_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "source": "Shared by",
        "recipients": "Shared with",
        "events": "About",
        "fields": "Details shared",
        "purpose": "For the purpose of",
        "legal_basis": "Under",
        "retention": "Kept for",
        "condition": "Only when",
        "title": "Title",
        "kind": "Type of agreement",
        "area": "Area",
        "parties": "Parties",
        "review_date": "Review by",
        "instead_of": "instead of",
        "always": "always (no condition)",
        "none": "none",
        "isp": "information sharing protocol",
        "dda": "data disclosure agreement",
        "added_rule": "New rule",
        "removed_rule": "Rule removed",
        "changed_rule": "Rule changed",
        "added_agreement": "New agreement",
        "removed_agreement": "Agreement removed",
        "changed_agreement": "Agreement changed",
        "added_detail": "Now also shares the {name} ({how})",
        "removed_detail": "No longer shares the {name}",
        "changed_detail": "The {name}: {now} instead of {was}",
        "no_change": "This proposal changes no agreement.",
        "written_as": "written as",
    },
    "cy": {
        "source": "Rhennir gan",
        "recipients": "Rhennir â",
        "events": "Am",
        "fields": "Manylion a rennir",
        "purpose": "At ddiben",
        "legal_basis": "O dan",
        "retention": "Cedwir am",
        "condition": "Dim ond pan",
        "title": "Teitl",
        "kind": "Math o gytundeb",
        "area": "Ardal",
        "parties": "Partïon",
        "review_date": "Adolygu erbyn",
        "instead_of": "yn lle",
        "always": "bob amser (dim amod)",
        "none": "dim",
        "isp": "protocol rhannu gwybodaeth",
        "dda": "cytundeb datgelu data",
        "added_rule": "Rheol newydd",
        "removed_rule": "Rheol wedi'i dileu",
        "changed_rule": "Rheol wedi'i newid",
        "added_agreement": "Cytundeb newydd",
        "removed_agreement": "Cytundeb wedi'i ddileu",
        "changed_agreement": "Cytundeb wedi'i newid",
        "added_detail": "Bellach yn rhannu'r {name} hefyd ({how})",
        "removed_detail": "Dim yn rhannu'r {name} mwyach",
        "changed_detail": "Y {name}: {now} yn lle {was}",
        "no_change": "Nid yw'r cynnig hwn yn newid unrhyw gytundeb.",
        "written_as": "wedi'i ysgrifennu fel",
    },
}


@dataclass(frozen=True)
class Aspect:
    """One thing a rule or agreement says, in words, and how the proposal changes it."""

    key: str
    label: str
    now: str
    was: str
    change: ChangeKind

    def sentence(self, lang: Language) -> str:
        """E.g. "Kept for 2 years instead of 1 year." (or just the label and value)."""
        value = self.now or self.was
        if self.change == "changed":
            return f"{self.label} {self.now} {_LABELS[lang]['instead_of']} {self.was}."
        return f"{self.label} {value}."


@dataclass(frozen=True)
class RuleInWords:
    """A rule's change: a heading, each aspect, each detail (with how it is sent)."""

    rule_id: str
    change: ChangeKind
    heading: str
    kind_label: str
    aspects: tuple[Aspect, ...]
    details: tuple[Aspect, ...]
    description: str = ""
    """What the rule is for, from the agreement file, in the page's language."""

    @property
    def changed_aspects(self) -> tuple[Aspect, ...]:
        """The aspects and details that differ (all of them for a new or removed rule)."""
        return tuple(a for a in (*self.aspects, *self.details) if a.change != "same")


@dataclass(frozen=True)
class AgreementInWords:
    """A changed agreement: its title, how it changes, and its changed rules."""

    agreement_id: str
    title: str
    change: ChangeKind
    kind_label: str
    aspects: tuple[Aspect, ...]
    rules: tuple[RuleInWords, ...]


class _Words:
    """Names for agencies and vocabulary terms in one language."""

    def __init__(self, lang: Language, agencies: AgencyDirectory, policy: PolicySet) -> None:
        self.lang = lang
        self.agencies = agencies
        self.purposes: Mapping[str, Term] = policy.vocabulary.purposes
        self.legal_bases: Mapping[str, Term] = policy.vocabulary.legal_bases
        self.areas = policy.vocabulary.areas
        self.labels = _LABELS[lang]

    def agency(self, name: str) -> str:
        if name in self.agencies:
            found = self.agencies.get(name)
            return found.name_cy if self.lang == "cy" else found.name_en
        return agency_kind_name(name, self.lang) or name

    def term(self, terms: Mapping[str, Term], term_id: str) -> str:
        found = terms.get(term_id)
        if found is None:
            return term_id
        return found.name_cy if self.lang == "cy" else found.name_en

    def area(self, area_id: str) -> str:
        found = self.areas.get(area_id)
        if found is None:
            return area_id
        return found.name_cy if self.lang == "cy" else found.name_en

    def listed(self, names: list[str]) -> str:
        if not names:
            return self.labels["none"]
        return and_join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names, self.lang)

    def condition(self, text: str | None) -> str:
        if not text:
            return self.labels["always"]
        words = condition_words(text, self.lang, self.purposes)
        if words is None:
            return f"{self.labels['written_as']}: {' '.join(text.split())}"
        return words

    def rule_aspect(self, rule: Rule, key: str) -> str:
        if key == "source":
            return self.agency(rule.source)
        if key == "recipients":
            return self.listed([self.agency(r) for r in rule.recipients])
        if key == "events":
            return self.listed([event_name(e, self.lang) for e in rule.events])
        if key == "purpose":
            return self.term(self.purposes, rule.purpose)
        if key == "legal_basis":
            return self.term(self.legal_bases, rule.legal_basis)
        if key == "retention":
            return retention_words(rule.retention, self.lang)
        return self.condition(rule.condition)

    def agreement_aspect(self, agreement: Agreement, key: str) -> str:
        if key == "title":
            return agreement.title_in(self.lang)
        if key == "kind":
            return self.labels.get(agreement.kind, agreement.kind)
        if key == "area":
            return self.area(agreement.area)
        if key == "parties":
            return self.listed([self.agency(p) for p in agreement.parties])
        if agreement.review_date is None:
            return self.labels["none"]
        return agreement.review_date.isoformat()


_RULE_KEYS = (
    "source",
    "recipients",
    "events",
    "purpose",
    "legal_basis",
    "retention",
    "condition",
)
_AGREEMENT_KEYS = ("title", "kind", "area", "parties", "review_date")


def change_in_words(
    current: PolicySet, proposed: PolicySet, agencies: AgencyDirectory, lang: Language
) -> tuple[AgreementInWords, ...]:
    """Every changed agreement and rule between two versions, in ``lang``."""
    words = _Words(lang, agencies, proposed)
    old_words = _Words(lang, agencies, current)
    return tuple(_agreement(delta, words, old_words) for delta in policy_changes(current, proposed))


def agreement_in_words(
    agreement: Agreement, policy: PolicySet, agencies: AgencyDirectory, lang: Language
) -> AgreementInWords:
    """One agreement as it stands, every rule in words (each aspect marked ``same``)."""
    words = _Words(lang, agencies, policy)
    rules = tuple(
        replace(
            _rule(RuleDelta(agreement.agreement_id, r.rule_id, r, r, ()), words, words),
            change="same",
            kind_label="",
        )
        for r in agreement.rules
    )
    aspects = tuple(
        Aspect(key, words.labels[key], words.agreement_aspect(agreement, key), "", "same")
        for key in _AGREEMENT_KEYS
    )
    title = agreement.title_in(lang)
    return AgreementInWords(agreement.agreement_id, title, "same", "", aspects, rules)


def change_sentences(changes: tuple[AgreementInWords, ...], lang: Language) -> list[str]:
    """The change as indented plain-text lines (``iom-broker policy diff --proposed``)."""
    labels = _LABELS[lang]
    if not changes:
        return [labels["no_change"]]
    lines: list[str] = []
    for agreement in changes:
        lines.append(f"{agreement.kind_label}: {agreement.title}")
        lines += [f"  {a.sentence(lang)}" for a in agreement.aspects if a.change == "changed"]
        for rule in agreement.rules:
            lines.append(f"  {rule.kind_label}: {rule.heading}")
            for aspect in rule.aspects:
                if rule.change != "changed" or aspect.change != "same":
                    lines.append(f"    {aspect.sentence(lang)}")
            if rule.change != "changed":
                lines.append(f"    {labels['fields']}:")
                lines += [f"      {d.label}: {d.now or d.was}" for d in rule.details]
            else:
                lines += [
                    f"    {_detail_sentence(d, lang)}." for d in rule.details if d.change != "same"
                ]
    return lines


def _detail_sentence(detail: Aspect, lang: Language) -> str:
    template = _LABELS[lang][f"{detail.change}_detail"]
    how = detail.now or detail.was
    return template.format(name=detail.label, how=how, now=detail.now, was=detail.was)


def _agreement(delta: AgreementDelta, words: _Words, old_words: _Words) -> AgreementInWords:
    labels = words.labels
    aspects = []
    if delta.before is not None and delta.after is not None:
        for key in _AGREEMENT_KEYS:
            now = words.agreement_aspect(delta.after, key)
            was = old_words.agreement_aspect(delta.before, key)
            change: ChangeKind = "changed" if key in delta.changed else "same"
            aspects.append(
                Aspect(key, labels[key], now, was if change == "changed" else "", change)
            )
    shown = delta.after or delta.before
    assert shown is not None
    return AgreementInWords(
        delta.agreement_id,
        shown.title_in(words.lang),
        delta.kind,
        labels[f"{delta.kind}_agreement"],
        tuple(aspects),
        tuple(_rule(rule, words, old_words) for rule in delta.rules),
    )


def _rule(delta: RuleDelta, words: _Words, old_words: _Words) -> RuleInWords:
    labels = words.labels
    before, after = delta.before, delta.after
    aspects = []
    for key in _RULE_KEYS:
        now = words.rule_aspect(after, key) if after else ""
        was = old_words.rule_aspect(before, key) if before else ""
        change = _kind(delta.kind, now, was)
        aspects.append(Aspect(key, labels[key], now, was if change != "same" else "", change))
    shown = after or before
    assert shown is not None
    heading = (
        f"{words.rule_aspect(shown, 'source')} → {words.rule_aspect(shown, 'recipients')}:"
        f" {words.rule_aspect(shown, 'events')}"
    )
    return RuleInWords(
        delta.rule_id,
        delta.kind,
        heading,
        labels[f"{delta.kind}_rule"],
        tuple(aspects),
        _details(before, after, words),
        shown.description_in(words.lang),
    )


def _details(before: Rule | None, after: Rule | None, words: _Words) -> tuple[Aspect, ...]:
    old = _sent(before, words.lang)
    new = _sent(after, words.lang)
    details = []
    for path in [*new, *(p for p in old if p not in new)]:
        now, was = new.get(path, ""), old.get(path, "")
        if before is None or after is None:
            change: ChangeKind = "added" if before is None else "removed"
        elif not was:
            change = "added"
        elif not now:
            change = "removed"
        else:
            change = "changed" if now != was else "same"
        details.append(
            Aspect(path, field_name(path, words.lang), now, was if change != "same" else "", change)
        )
    return tuple(details)


def _sent(rule: Rule | None, lang: Language) -> dict[str, str]:
    """The details the recipient receives, each with how it is changed first."""
    if rule is None:
        return {}
    return {
        path: transform_words(rule.transforms.get(path, ""), lang) for path in rule.shared_fields
    }


def _kind(rule_change: ChangeKind, now: str, was: str) -> ChangeKind:
    if rule_change in ("added", "removed"):
        return rule_change
    return "same" if now == was else "changed"
