"""Compare the decisions of two policy versions on the same traffic: what would change, for whom.

The caller replays events through both versions (``broker.policy_admin.traffic_replay``) and
hands the pairs of decisions here. A flow *starts* when a recipient refused before would now
receive the event, *stops* in the opposite case, and *changes* when it is shared under both but
with other fields, transforms, purpose or legal basis. Counts are per agency pair and event type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from broker.domain.decision import Decision

Change = Literal["starts", "stops", "changes"]


@dataclass(frozen=True)
class DecisionPair:
    """One recipient's decision on one event under the current and the proposed policy."""

    source: str
    event_type: str
    current: Decision
    proposed: Decision


@dataclass(frozen=True, order=True)
class FlowChange:
    """A difference in what flows from ``source`` to ``recipient`` for ``event_type``."""

    source: str
    recipient: str
    event_type: str
    change: Change
    detail: str
    count: int


@dataclass(frozen=True)
class SimulationReport:
    """What the proposed policy would share differently."""

    current_version: str
    proposed_version: str
    events: int
    decisions: int
    changes: tuple[FlowChange, ...]

    @property
    def changed_decisions(self) -> int:
        """How many decisions differ."""
        return sum(change.count for change in self.changes)


def compare_decisions(
    pairs: Iterable[DecisionPair], events: int, current_version: str, proposed_version: str
) -> SimulationReport:
    """Group the differing pairs into flow changes with counts."""
    counted: Counter[tuple[str, str, str, Change, str]] = Counter()
    decisions = 0
    for pair in pairs:
        decisions += 1
        found = _difference(pair.current, pair.proposed)
        if found is not None:
            change, detail = found
            recipient = pair.current.recipient
            counted[(pair.source, recipient, pair.event_type, change, detail)] += 1
    changes = tuple(sorted(FlowChange(*key, count) for key, count in counted.items()))
    return SimulationReport(current_version, proposed_version, events, decisions, changes)


def _difference(current: Decision, proposed: Decision) -> tuple[Change, str] | None:
    if current.permitted and not proposed.permitted:
        return "stops", f"was rule {current.rule_id}; now refused ({proposed.reason})"
    if proposed.permitted and not current.permitted:
        fields = ", ".join(_described(proposed))
        return "starts", f"rule {proposed.rule_id}: {fields}"
    if not current.permitted:
        return None
    details = []
    before, after = set(_described(current)), set(_described(proposed))
    details += [f"+{name}" for name in sorted(after - before)]
    details += [f"-{name}" for name in sorted(before - after)]
    for label, old, new in (
        ("purpose", current.purpose, proposed.purpose),
        ("legal basis", current.legal_basis, proposed.legal_basis),
        ("retention", current.retention, proposed.retention),
    ):
        if old != new:
            details.append(f"{label} {old} -> {new}")
    return ("changes", "; ".join(details)) if details else None


def _described(decision: Decision) -> list[str]:
    transforms = dict(decision.transforms)
    return [
        f"{name} ({transforms[name]})" if name in transforms else name for name in decision.fields
    ]
