"""How two areas' effective policies differ: "justice by geography", made visible.

Flows are compared by the kinds of agency involved (police to probation, probation to
housing...), since each area has its own police force, health board and council. Only the
area's own and all-Wales agencies count as senders here; cross-border flows follow the same
rules and would only repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.domain.agency import AgencyDirectory
from broker.policy.agreement import Rule
from broker.policy.layering import area_policy
from broker.policy.parties import kind_of
from broker.policy.policy_set import PolicySet

#: (sender kind, recipient kind, event type)
KindFlow = tuple[str, str, str]


@dataclass(frozen=True, order=True)
class FlowTerms:
    """The terms one rule sets for a flow; ``fields`` pairs each field with its transform."""

    rule_id: str
    agreement_id: str
    purpose: str
    legal_basis: str
    fields: tuple[tuple[str, str], ...]
    condition: str
    retention: str


@dataclass(frozen=True, order=True)
class AreaFlowDifference:
    """A flow that exists in only one of the areas, or on different terms."""

    flow: KindFlow
    left: tuple[FlowTerms, ...]
    right: tuple[FlowTerms, ...]

    def differences(self) -> list[str]:
        """What differs, one short phrase each (e.g. ``fields: +payload.address_line``)."""
        if not self.left or not self.right:
            return ["only in one area"]
        found = []
        left, right = self.left[0], self.right[0]
        before, after = dict(left.fields), dict(right.fields)
        changes = [f"+{name}" for name in after if name not in before]
        changes += [f"-{name}" for name in before if name not in after]
        changes += [
            f"{name} {before[name] or 'as is'} -> {after[name] or 'as is'}"
            for name in before
            if name in after and before[name] != after[name]
        ]
        if changes:
            found.append("fields: " + ", ".join(changes))
        for label in ("purpose", "legal_basis", "condition", "retention"):
            if getattr(left, label) != getattr(right, label):
                found.append(
                    f"{label.replace('_', ' ')}: {getattr(left, label) or '(none)'}"
                    f" -> {getattr(right, label) or '(none)'}"
                )
        if len(self.left) != len(self.right):
            found.append(f"rules: {len(self.left)} -> {len(self.right)}")
        return found or ["rules differ"]


def area_flows(
    policy: PolicySet, agencies: AgencyDirectory, area: str
) -> dict[KindFlow, tuple[FlowTerms, ...]]:
    """The area's flows by agency kinds, each with the terms of the rules that may grant it."""
    effective = area_policy(policy, agencies, area)
    serving = set(effective.recipients)
    flows: dict[KindFlow, list[FlowTerms]] = {}
    for (source, recipient, event_type), rules in sorted(effective.flows.items()):
        if source not in serving:
            continue
        key = (str(kind_of(source, agencies)), str(kind_of(recipient, agencies)), event_type)
        terms = flows.setdefault(key, [])
        for rule in rules:
            described = _terms(rule)
            if described not in terms:
                terms.append(described)
    return {key: tuple(terms) for key, terms in flows.items()}


def area_diff(
    policy: PolicySet, agencies: AgencyDirectory, left_area: str, right_area: str
) -> list[AreaFlowDifference]:
    """Every flow whose terms differ between the two areas, in flow order."""
    left = area_flows(policy, agencies, left_area)
    right = area_flows(policy, agencies, right_area)
    differences = [
        AreaFlowDifference(flow, left.get(flow, ()), right.get(flow, ()))
        for flow in sorted(left.keys() | right.keys())
        if left.get(flow, ()) != right.get(flow, ())
    ]
    return differences


def _terms(rule: Rule) -> FlowTerms:
    fields = tuple((name, rule.transforms.get(name, "")) for name in rule.fields)
    return FlowTerms(
        rule.rule_id,
        rule.agreement_id,
        rule.purpose,
        rule.legal_basis,
        fields,
        rule.condition or "",
        rule.retention,
    )
