"""Check one rule against the catalogue, the agencies and the vocabularies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from broker.domain.agency import AgencyDirectory
from broker.policy.agreement import Agreement, Rule
from broker.policy.conditions import (
    ConditionError,
    compile_condition,
    reference_problems,
    type_problem,
)
from broker.policy.event_fields import EventFields
from broker.policy.parse_helpers import Collector
from broker.policy.parties import covers, is_kind, kind_of
from broker.policy.transforms import transform_problem
from broker.policy.vocabulary import Vocabulary

_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)


@dataclass(frozen=True)
class PolicyContext:
    """What a policy is checked against: the agencies, the event catalogue and today's date."""

    agencies: AgencyDirectory
    event_fields: EventFields
    today: date


def check_rule(
    out: Collector,
    rule: Rule,
    agreement: Agreement,
    vocabulary: Vocabulary,
    context: PolicyContext,
) -> None:
    """Report every problem of ``rule`` into ``out``."""
    where = f"rule {rule.rule_id!r}"
    _check_parties(out, rule, agreement, context.agencies, where)
    known_events = [e for e in rule.events if e in context.event_fields]
    for event_type in rule.events:
        if event_type not in context.event_fields:
            out.error(
                rule.line_of("events", event_type), f"{where}: unknown event type {event_type!r}"
            )
    if rule.purpose not in vocabulary.purposes:
        out.error(rule.line_of("purpose"), f"{where}: unknown purpose {rule.purpose!r}")
    basis = vocabulary.legal_bases.get(rule.legal_basis)
    if basis is None:
        out.error(rule.line_of("legal_basis"), f"{where}: unknown legal basis {rule.legal_basis!r}")
    if not _DURATION.match(rule.retention):
        out.error(
            rule.line_of("retention"),
            f"{where}: retention {rule.retention!r} is not an ISO 8601 duration such as P2Y",
        )
    _check_fields(out, rule, known_events, context.event_fields, where)
    _check_transforms(out, rule, known_events, context.event_fields, where)
    if rule.condition is not None:
        _check_condition(out, rule, known_events, context.event_fields, vocabulary, where)
    if basis is not None and not basis.special_category:
        special = _special_field(rule, known_events, vocabulary, context.agencies)
        if special:
            out.error(
                rule.line_of("legal_basis"),
                f"{where}: shares special category data ({special}) but legal basis"
                f" {rule.legal_basis!r} does not allow it; use a basis with an Article 9"
                " (or DPA 2018 Schedule 8) condition",
            )


def _check_parties(
    out: Collector, rule: Rule, agreement: Agreement, agencies: AgencyDirectory, where: str
) -> None:
    for key, names in (("from", (rule.source,)), ("to", rule.recipients)):
        for name in names:
            line = rule.line_of(key, name) if key == "to" else rule.line_of(key)
            if name not in agencies and not is_kind(name):
                out.error(line, f"{where}: unknown agency {name!r}")
            elif not any(covers(party, name, agencies) for party in agreement.parties):
                out.error(line, f"{where}: {name!r} is not a party to this agreement")
    if rule.source in rule.recipients:
        out.error(rule.line_of("to"), f"{where}: {rule.source!r} cannot share with itself")


def _check_fields(
    out: Collector, rule: Rule, events: list[str], event_fields: EventFields, where: str
) -> None:
    seen: set[str] = set()
    for name in rule.fields:
        line = rule.line_of("fields", name)
        if name in seen:
            out.warning(line, f"{where}: field {name!r} is listed twice")
        seen.add(name)
        for event_type in events:
            if name not in event_fields[event_type]:
                out.error(line, f"{where}: field {name!r} does not exist in event {event_type!r}")


def _check_transforms(
    out: Collector, rule: Rule, events: list[str], event_fields: EventFields, where: str
) -> None:
    for name, transform in rule.transforms.items():
        line = rule.line_of("transform", name)
        if name not in rule.fields:
            out.error(line, f"{where}: transform on a field not shared: {name!r}")
            continue
        for event_type in events:
            info = event_fields[event_type].get(name)
            problem = info and transform_problem(transform, info, event_fields[event_type])
            if problem:
                out.error(line, f"{where}: {problem} in event {event_type!r}")


def _check_condition(
    out: Collector,
    rule: Rule,
    events: list[str],
    event_fields: EventFields,
    vocabulary: Vocabulary,
    where: str,
) -> None:
    line = rule.line_of("when")
    try:
        condition = compile_condition(str(rule.condition))
    except ConditionError as error:
        out.error(line, f"{where}: condition {rule.condition!r}: {error}")
        return
    reported: set[str] = set()
    for event_type in events:
        fields = event_fields[event_type]
        for problem in reference_problems(condition, event_type, fields, vocabulary.purposes):
            if problem not in reported:
                out.error(line, f"{where}: condition {rule.condition!r}: {problem}")
                reported.add(problem)
        if not reported:
            problem = type_problem(condition, event_type, fields, vocabulary.purposes)
            if problem:
                out.error(line, f"{where}: condition {rule.condition!r} {problem}")
                reported.add(problem)


def _special_field(
    rule: Rule, events: list[str], vocabulary: Vocabulary, agencies: AgencyDirectory
) -> str:
    source_kind = kind_of(rule.source, agencies)
    for event_type in events:
        for name in rule.shared_fields:
            if vocabulary.special_category.covers(source_kind, event_type, name):
                if source_kind in vocabulary.special_category.agency_kinds:
                    return f"anything from a {source_kind} agency"
                return f"{name!r} of {event_type!r}"
    return ""


def area_problems(
    agreement: Agreement, vocabulary: Vocabulary, agencies: AgencyDirectory
) -> list[tuple[int, str]]:
    """Parties of a local agreement must serve its area or all of Wales."""
    area = vocabulary.areas.get(agreement.area)
    if area is None:
        known = ", ".join(sorted(vocabulary.areas))
        return [(agreement.line_of("area"), f"unknown area {agreement.area!r} (known: {known})")]
    national = vocabulary.areas.get("wales")
    allowed = set(area.agencies) | set(national.agencies if national else ())
    problems = []
    for party in agreement.parties:
        line = agreement.line_of("parties", party)
        if party not in agencies and not is_kind(party):
            problems.append((line, f"unknown party {party!r}"))
        elif party in agencies and agreement.area != "wales" and party not in allowed:
            problems.append((line, f"party {party!r} does not serve area {agreement.area!r}"))
    return problems
