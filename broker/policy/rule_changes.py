"""Which rules and agreements a proposal changes, and in which of their terms (no words here).

Rules are matched by agreement id and rule id; an agreement by its id. A rule's *flow* terms
(sender, recipients, events, details, transforms, condition) decide what is shared with whom;
its *terms* (purpose, legal basis, retention) only what is recorded about a disclosure. The
simulation uses the difference to know which changed rules it must exercise, and to say when a
change is terms-only (it cannot change who receives what).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from broker.policy.agreement import Agreement, Rule
from broker.policy.policy_set import PolicySet

__all__ = [
    "AGREEMENT_ASPECTS",
    "FLOW_ASPECTS",
    "RULE_ASPECTS",
    "TERM_ASPECTS",
    "AgreementDelta",
    "ChangeKind",
    "RuleDelta",
    "policy_changes",
    "rule_aspect",
]

ChangeKind = Literal["added", "removed", "changed", "same"]

FLOW_ASPECTS = ("source", "recipients", "events", "fields", "transforms", "condition")
TERM_ASPECTS = ("purpose", "legal_basis", "retention")
RULE_ASPECTS = (*FLOW_ASPECTS, *TERM_ASPECTS)
AGREEMENT_ASPECTS = ("title", "kind", "area", "parties", "review_date")


def rule_aspect(rule: Rule, aspect: str) -> object:
    """The value of one of :data:`RULE_ASPECTS` for ``rule`` (comparable with ``==``)."""
    if aspect == "transforms":
        return tuple(sorted(rule.transforms.items()))
    return getattr(rule, aspect)


@dataclass(frozen=True)
class RuleDelta:
    """One rule before and after (None when added or removed), and which aspects differ."""

    agreement_id: str
    rule_id: str
    before: Rule | None
    after: Rule | None
    changed: tuple[str, ...]

    @property
    def kind(self) -> ChangeKind:
        """``added``, ``removed`` or ``changed``."""
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    @property
    def terms_only(self) -> bool:
        """Only purpose, legal basis or retention changed: nobody receives anything else."""
        return self.kind == "changed" and not set(self.changed) & set(FLOW_ASPECTS)

    def rules(self) -> Iterator[Rule]:
        """The rule before and after, whichever exist."""
        yield from (r for r in (self.before, self.after) if r is not None)


@dataclass(frozen=True)
class AgreementDelta:
    """One agreement before and after, the aspects of it that differ, and its changed rules."""

    agreement_id: str
    before: Agreement | None
    after: Agreement | None
    changed: tuple[str, ...]
    rules: tuple[RuleDelta, ...]

    @property
    def kind(self) -> ChangeKind:
        """``added``, ``removed`` or ``changed``."""
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    @property
    def title(self) -> str:
        """The agreement's title as proposed (or as it was, when removed)."""
        found = self.after or self.before
        assert found is not None
        return found.title


def policy_changes(current: PolicySet, proposed: PolicySet) -> tuple[AgreementDelta, ...]:
    """Every agreement that differs between the two versions, with its differing rules."""
    before = {a.agreement_id: a for a in current.agreements}
    after = {a.agreement_id: a for a in proposed.agreements}
    found = []
    for agreement_id in [*before, *(a for a in after if a not in before)]:
        delta = _agreement_delta(agreement_id, before.get(agreement_id), after.get(agreement_id))
        if delta.kind != "changed" or delta.changed or delta.rules:
            found.append(delta)
    return tuple(found)


def _agreement_delta(
    agreement_id: str, before: Agreement | None, after: Agreement | None
) -> AgreementDelta:
    old = {r.rule_id: r for r in before.rules} if before else {}
    new = {r.rule_id: r for r in after.rules} if after else {}
    rules = []
    for rule_id in [*old, *(r for r in new if r not in old)]:
        was, now = old.get(rule_id), new.get(rule_id)
        changed = tuple(
            aspect
            for aspect in RULE_ASPECTS
            if was is None or now is None or rule_aspect(was, aspect) != rule_aspect(now, aspect)
        )
        if was is None or now is None or changed:
            rules.append(RuleDelta(agreement_id, rule_id, was, now, changed))
    changed_terms: tuple[str, ...] = ()
    if before is not None and after is not None:
        changed_terms = tuple(
            aspect
            for aspect in AGREEMENT_ASPECTS
            if getattr(before, aspect) != getattr(after, aspect)
        )
    return AgreementDelta(agreement_id, before, after, changed_terms, tuple(rules))
