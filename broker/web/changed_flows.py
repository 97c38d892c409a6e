"""The simulation as a table: each changed flow with what it was, what it would be, and fields.

Built from the same decision pairs as ``broker.policy.simulate`` (and counting the same
differences), but kept structured for display: the rule and terms before and after, and the
fields the recipient would newly receive or no longer receive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from broker.domain.decision import Decision
from broker.policy.simulate import DecisionPair

__all__ = ["ChangedFlow", "FlowTerms", "changed_flows"]


@dataclass(frozen=True, order=True)
class FlowTerms:
    """One side of a flow: shared under a rule (with its terms), or refused for a reason."""

    shared: bool
    rule_id: str = ""
    purpose: str = ""
    legal_basis: str = ""
    retention: str = ""
    reason: str = ""


@dataclass(frozen=True, order=True)
class ChangedFlow:
    """A flow from ``source`` to ``recipient`` of ``event_type`` that the proposal changes."""

    source: str
    recipient: str
    event_type: str
    before: FlowTerms
    after: FlowTerms
    fields_added: tuple[str, ...]
    fields_removed: tuple[str, ...]
    count: int


def changed_flows(pairs: Iterable[DecisionPair]) -> list[ChangedFlow]:
    """Every differing pair grouped by flow and difference, with how many times it happens."""
    counted: Counter[tuple[str, str, str, FlowTerms, FlowTerms, tuple[str, ...], tuple[str, ...]]]
    counted = Counter()
    for pair in pairs:
        current, proposed = pair.current, pair.proposed
        if not current.permitted and not proposed.permitted:
            continue
        before, after = _terms(current), _terms(proposed)
        old, new = set(_fields(current)), set(_fields(proposed))
        added, removed = tuple(sorted(new - old)), tuple(sorted(old - new))
        same_terms = (before.purpose, before.legal_basis, before.retention) == (
            after.purpose,
            after.legal_basis,
            after.retention,
        )
        if current.permitted and proposed.permitted and not added and not removed and same_terms:
            continue
        key = (pair.source, current.recipient, pair.event_type, before, after, added, removed)
        counted[key] += 1
    return sorted(ChangedFlow(*key, count) for key, count in counted.items())


def _terms(decision: Decision) -> FlowTerms:
    if not decision.permitted:
        return FlowTerms(False, reason=decision.reason or "")
    return FlowTerms(
        True,
        decision.rule_id or "",
        decision.purpose or "",
        decision.legal_basis or "",
        decision.retention or "",
    )


def _fields(decision: Decision) -> list[str]:
    if not decision.permitted:
        return []
    transforms = dict(decision.transforms)
    return [
        f"{name} ({transforms[name]})" if name in transforms else name for name in decision.fields
    ]
