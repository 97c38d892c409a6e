"""A checked policy turned into lookup tables, so evaluation is a few dictionary reads.

Compilation resolves every area's flows, compiles each condition once, settles in advance
every recipient whose outcome cannot depend on the event (no rule at all, or a first rule
without condition or consent), and prepares for each rule and event type the exact fields (and
transform functions) a recipient may receive, split into fields copied as they are and fields
transformed. Nothing computed from an event is kept: only what the policy alone determines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from broker.domain.agency import AgencyDirectory
from broker.domain.decision import DENY_NO_RULE, Decision
from broker.domain.subject import IDENTIFIER_TYPES
from broker.policy.agreement import Rule
from broker.policy.cohort_authority import cohort_authorities
from broker.policy.condition_context import Reads, merge_reads
from broker.policy.conditions import Condition, compile_condition
from broker.policy.event_fields import EventFields
from broker.policy.layering import area_policy
from broker.policy.parties import serving_agencies
from broker.policy.policy_set import PolicySet
from broker.policy.transforms import TransformFunction, transform_function
from broker.policy.vocabulary import area_names

#: (field name, transform function or None to copy the value)
FieldStep = tuple[str, TransformFunction | None]


@dataclass(frozen=True)
class DeliveryPlan:
    """What one rule lets a recipient receive from one event type."""

    subject: tuple[FieldStep, ...]
    payload: tuple[FieldStep, ...]
    copied: tuple[str, ...]
    """Payload fields delivered as they are."""
    transformed: tuple[tuple[str, TransformFunction], ...]
    """Payload fields delivered through their transform."""


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: its condition compiled, its permits prepared per recipient."""

    rule: Rule
    condition: Condition | None
    needs_consent: bool
    permits: Mapping[str, Decision]


@dataclass(frozen=True, slots=True)
class Route:
    """One recipient of an event: the rules that may grant it, in precedence order (empty: no
    rule), and its decision when the policy alone settles it (None: the rules must be run)."""

    recipient: str
    rules: tuple[CompiledRule, ...]
    settled: Decision | None


Routes = tuple[Route, ...]


def route(recipient: str, rules: tuple[CompiledRule, ...], version: str) -> Route:
    """The route to ``recipient``, settled when no rule covers it or the first rule that does
    has neither a condition nor a consent requirement (it always grants)."""
    if not rules:
        return Route(recipient, rules, Decision.deny(recipient, version, DENY_NO_RULE))
    first = rules[0]
    if first.condition is None and not first.needs_consent:
        return Route(recipient, rules, first.permits[recipient])
    return Route(recipient, rules, None)


@dataclass(frozen=True)
class AreaTable:
    """One area's recipients and, per ``(source, event type)``, the route to each recipient."""

    recipients: tuple[str, ...]
    routes: Mapping[tuple[str, str], Routes]
    unruled: Mapping[str, Routes]
    """Source -> its recipients, every one refused ``no_rule`` (a flow no agreement covers)."""
    version: str

    def routes_for(self, source: str, event_type: str) -> Routes:
        """The recipients of an event from ``source`` and the route to each."""
        found = self.routes.get((source, event_type))
        if found is not None:
            return found
        found = self.unruled.get(source)
        if found is not None:
            return found
        return tuple(route(r, (), self.version) for r in self.recipients if r != source)


@dataclass(frozen=True)
class CompiledTables:
    """Everything evaluation reads, built once per policy version."""

    areas: Mapping[str, AreaTable]
    unknown_area: AreaTable
    plans: Mapping[tuple[str, str], DeliveryPlan]
    conditions: tuple[Condition, ...]
    condition_reads: Mapping[str, Reads]
    """Event type -> what the conditions that can run on it read (the CEL context to build)."""
    all_recipients: tuple[str, ...]
    home_areas: Mapping[str, str]
    area_names: Mapping[str, str]
    cohort_authority: Mapping[str, frozenset[str]]
    """Area id ('' for an unknown area) -> agencies that may enrol and deselect people there."""
    owned_identifiers: Mapping[str, frozenset[str]]
    """Agency id -> the identifier types it may add to a person's record."""


def compile_tables(
    policy: PolicySet, agencies: AgencyDirectory, event_fields: EventFields
) -> CompiledTables:
    """Compile a policy that passed validation (raises ValueError if it did not)."""
    compiled: dict[str, CompiledRule] = {}
    plans: dict[tuple[str, str], DeliveryPlan] = {}
    for rule in policy.rules():
        basis = policy.vocabulary.legal_bases[rule.legal_basis]
        condition = compile_condition(rule.condition) if rule.condition else None
        permits = {
            recipient: _permit(rule, recipient, policy.version) for recipient in agencies.ids
        }
        compiled[rule.rule_id] = CompiledRule(rule, condition, basis.consent, permits)
        for event_type in rule.events:
            plans[(rule.rule_id, event_type)] = _plan(rule, event_fields[event_type])
    areas = {area: _table(policy, agencies, area, compiled) for area in policy.vocabulary.areas}
    served = {a for area in policy.vocabulary.areas.values() for a in area.agencies}
    unknown_area = _table(policy, agencies, "", compiled)
    return CompiledTables(
        areas=areas,
        unknown_area=unknown_area,
        plans=plans,
        conditions=tuple(c.condition for c in compiled.values() if c.condition is not None),
        condition_reads=_reads_by_event_type([*areas.values(), unknown_area]),
        all_recipients=tuple(a for a in agencies.ids if a in served),
        home_areas={a: area for a in agencies.ids if (area := policy.area_of(a)) is not None},
        area_names=area_names(policy.vocabulary.areas),
        cohort_authority=cohort_authorities(policy.vocabulary.areas, agencies),
        owned_identifiers={a: agencies.owned_identifiers(a) for a in agencies.ids},
    )


def _reads_by_event_type(tables: list[AreaTable]) -> dict[str, Reads]:
    """Per event type, what the conditions of every rule that may decide it read."""
    conditions: dict[str, dict[str, Condition]] = {}
    for table in tables:
        for (_, event_type), routes in table.routes.items():
            found = conditions.setdefault(event_type, {})
            for one in routes:
                for rule in one.rules:
                    if rule.condition is not None:
                        found[rule.rule.rule_id] = rule.condition
    return {event_type: merge_reads(found.values()) for event_type, found in conditions.items()}


def _table(
    policy: PolicySet, agencies: AgencyDirectory, area: str, compiled: Mapping[str, CompiledRule]
) -> AreaTable:
    effective = area_policy(policy, agencies, area)
    recipients = tuple(a for a in serving_agencies(policy.vocabulary.areas, area) if a in agencies)
    keys = {(source, event_type) for source, _, event_type in effective.flows}
    version = policy.version
    routes: dict[tuple[str, str], Routes] = {}
    for source, event_type in keys:
        routes[(source, event_type)] = tuple(
            route(
                recipient,
                tuple(
                    compiled[rule.rule_id]
                    for rule in effective.flows.get((source, recipient, event_type), ())
                ),
                version,
            )
            for recipient in recipients
            if recipient != source
        )
    unruled = {
        source: tuple(route(r, (), version) for r in recipients if r != source)
        for source in agencies.ids
    }
    return AreaTable(recipients, routes, unruled, version)


def _permit(rule: Rule, recipient: str, version: str) -> Decision:
    return Decision(
        recipient=recipient,
        permitted=True,
        policy_version=version,
        rule_id=rule.rule_id,
        purpose=rule.purpose,
        legal_basis=rule.legal_basis,
        fields=rule.shared_fields,
        retention=rule.retention,
        rule_ids=(rule.rule_id,),
        transforms=tuple(
            (name, transform) for name, transform in rule.transforms.items() if transform != "drop"
        ),
        agreement=rule.agreement_id,
    )


def _plan(rule: Rule, fields: Mapping[str, Any]) -> DeliveryPlan:
    steps: dict[str, list[FieldStep]] = {"subject": [], "payload": []}
    for path in rule.shared_fields:
        info = fields[path]
        transform = rule.transforms.get(path)
        function = transform_function(transform, info, fields) if transform else None
        steps[info.section].append((info.name, function))
    subject = tuple(s for s in steps["subject"] if s[0] in IDENTIFIER_TYPES)
    payload = tuple(steps["payload"])
    copied = tuple(name for name, step in payload if step is None)
    transformed = tuple((name, step) for name, step in payload if step is not None)
    return DeliveryPlan(subject, payload, copied, transformed)
