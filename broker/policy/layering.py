"""The effective policy of an area: the national baseline with the area's own agreements on top.

Rules are resolved to concrete flows ``(source agency, recipient agency, event type)``. For each
flow, the area's local rules, if any cover it, replace the national ones (a local agreement can
share more or less than the baseline for its area); otherwise the national rules apply. Within
a layer, rules keep agreement order then file order, and the first rule whose condition holds
decides. Recipients are only agencies serving the area (its own and the all-Wales ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from broker.domain.agency import AgencyDirectory
from broker.policy.agreement import Agreement, Rule
from broker.policy.parties import resolve, serving_agencies
from broker.policy.policy_set import PolicySet

#: (source agency, recipient agency, event type)
Flow = tuple[str, str, str]


@dataclass(frozen=True)
class AreaPolicy:
    """The flows in force in one area, and every rule that claimed each flow."""

    area: str
    recipients: tuple[str, ...]
    flows: Mapping[Flow, tuple[Rule, ...]]
    claims: Mapping[Flow, tuple[Rule, ...]]


def area_policy(policy: PolicySet, agencies: AgencyDirectory, area: str) -> AreaPolicy:
    """Resolve the effective flows of ``area`` (an unknown area gets the national baseline)."""
    recipients = tuple(a for a in serving_agencies(policy.vocabulary.areas, area) if a in agencies)
    local, national = policy.layers(area)
    local_flows = _flows(local, recipients, recipients, agencies)
    national_flows = _flows(national, agencies.ids, recipients, agencies)
    flows = {**national_flows, **local_flows}
    claims = {flow: (*local_flows.get(flow, ()), *national_flows.get(flow, ())) for flow in flows}
    return AreaPolicy(area, recipients, flows, claims)


def _flows(
    agreements: tuple[Agreement, ...],
    sources: tuple[str, ...],
    recipients: tuple[str, ...],
    agencies: AgencyDirectory,
) -> dict[Flow, tuple[Rule, ...]]:
    flows: dict[Flow, list[Rule]] = {}
    for agreement in agreements:
        for rule in agreement.rules:
            for source in resolve(rule.source, sources, agencies):
                for name in rule.recipients:
                    for recipient in resolve(name, recipients, agencies):
                        if recipient == source:
                            continue
                        for event_type in rule.events:
                            rules = flows.setdefault((source, recipient, event_type), [])
                            if not any(known is rule for known in rules):
                                rules.append(rule)
    return {flow: tuple(rules) for flow, rules in flows.items()}
