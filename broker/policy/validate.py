"""Check a parsed policy version: every name exists, every rule is lawful and well-formed.

Errors make a policy unusable; warnings (review date passed, a party has not approved, two
agreements granting one flow for different purposes...) are reported but do not block it.
Every problem is one line: ``file:line: message`` with the offending value quoted.
"""

from __future__ import annotations

from broker.domain.agency import AGENCY_KINDS
from broker.policy.agreement import Agreement, Rule
from broker.policy.cohort_authority import cohort_authorities
from broker.policy.layering import area_policy
from broker.policy.parse_helpers import Collector
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import AREAS_FILE, SPECIAL_CATEGORY_FILE
from broker.policy.problems import (
    CODE_NO_COHORT_AUTHORITY,
    CODE_PURPOSE_CONFLICT,
    CODE_REVIEW_OVERDUE,
    CODE_UNAPPROVED,
    Problem,
)
from broker.policy.validate_rule import PolicyContext, area_problems, check_rule
from broker.policy.vocabulary import NATIONAL_AREA

__all__ = ["PolicyContext", "validate_policy_set"]


def validate_policy_set(policy: PolicySet, context: PolicyContext) -> list[Problem]:
    """Every problem of ``policy``, sorted by file and line."""
    problems = _vocabulary_problems(policy, context)
    first_use: dict[str, Rule] = {}
    for agreement in policy.agreements:
        out = Collector(agreement.file)
        _check_agreement(out, agreement, policy, context)
        for rule in agreement.rules:
            earlier = first_use.setdefault(rule.rule_id, rule)
            if earlier is not rule:
                out.error(
                    rule.line_of("id"),
                    f"rule id {rule.rule_id!r} is already used at {earlier.file}:{earlier.line}",
                )
            check_rule(out, rule, agreement, policy.vocabulary, context)
        problems += out.problems
    if not any(p.is_error for p in problems):
        problems += _purpose_conflicts(policy, context)
    return sorted(set(problems))


def _check_agreement(
    out: Collector, agreement: Agreement, policy: PolicySet, context: PolicyContext
) -> None:
    for line, message in area_problems(agreement, policy.vocabulary, context.agencies):
        out.error(line, message)
    approved = {approval.party for approval in agreement.approvals}
    for approval in agreement.approvals:
        if approval.party not in agreement.parties:
            out.error(approval.line, f"approval by {approval.party!r}, who is not a party")
    for party in agreement.parties:
        if party not in approved:
            line = agreement.line_of("parties", party)
            out.warning(line, f"party {party!r} has not approved this agreement", CODE_UNAPPROVED)
    if agreement.review_date is None:
        out.warning(agreement.line_of("agreement"), "no review_date: agreements must be reviewed")
    elif agreement.review_date < context.today:
        out.warning(
            agreement.line_of("review_date"),
            f"review date '{agreement.review_date.isoformat()}' has passed",
            CODE_REVIEW_OVERDUE,
        )
    _check_welsh(out, agreement)
    sources = {rule.source for rule in agreement.rules}
    if agreement.kind == "dda" and len(sources) > 1:
        out.error(
            agreement.line_of("kind"),
            "a data disclosure agreement (dda) is one-way, but its rules share from"
            f" {', '.join(repr(s) for s in sorted(sources))}; use 'isp' for two-way sharing",
        )


def _check_welsh(out: Collector, agreement: Agreement) -> None:
    """Warn about a rule description given in one language only: the other would be blank."""
    for rule in agreement.rules:
        if bool(rule.description) != bool(rule.description_cy):
            given, missing = (
                ("description", "description_cy")
                if rule.description
                else ("description_cy", "description")
            )
            out.warning(
                rule.line_of(given), f"rule {rule.rule_id!r} has {given!r} but no {missing!r}"
            )


def _vocabulary_problems(policy: PolicySet, context: PolicyContext) -> list[Problem]:
    areas_file = policy.source.where(AREAS_FILE)
    out = Collector(areas_file)
    served: set[str] = set()
    for area in policy.vocabulary.areas.values():
        for agency, line in area.agency_lines.items():
            served.add(agency)
            if agency not in context.agencies:
                out.error(line, f"area {area.area_id!r} names unknown agency {agency!r}")
    for agency_id in context.agencies.ids:
        if agency_id not in served:
            out.warning(0, f"agency {agency_id!r} serves no area, so it can receive nothing")
    _cohort_authority_problems(out, policy, context)
    special = policy.vocabulary.special_category
    special_out = Collector(policy.source.where(SPECIAL_CATEGORY_FILE))
    for kind in sorted(special.agency_kinds - AGENCY_KINDS):
        special_out.error(0, f"unknown agency kind {kind!r}")
    for event_type, names in special.fields.items():
        known = context.event_fields.get(event_type)
        if known is None:
            special_out.error(0, f"unknown event type {event_type!r}")
            continue
        for name in sorted(names - set(known)):
            special_out.error(0, f"field {name!r} does not exist in event {event_type!r}")
    return out.problems + special_out.problems


def _cohort_authority_problems(out: Collector, policy: PolicySet, context: PolicyContext) -> None:
    areas = policy.vocabulary.areas
    authorities = cohort_authorities(areas, context.agencies)
    for area in areas.values():
        line = area.cohort_authority_line
        for name in area.cohort_authority:
            if name not in AGENCY_KINDS and name not in context.agencies:
                out.error(line, f"area {area.area_id!r}: cohort_authority names unknown {name!r}")
        if not authorities[area.area_id]:
            out.warning(
                line,
                f"area {area.area_id!r} has no cohort authority: no agency serving it may enrol "
                "or deselect anyone, so nobody managed there can be shared about",
                CODE_NO_COHORT_AUTHORITY,
            )


def _purpose_conflicts(policy: PolicySet, context: PolicyContext) -> list[Problem]:
    found: dict[tuple[str, str], Problem] = {}
    for area in policy.vocabulary.areas:
        if area == NATIONAL_AREA:
            continue
        effective = area_policy(policy, context.agencies, area)
        for (source, recipient, event_type), rules in sorted(effective.claims.items()):
            for index, later in enumerate(rules):
                for earlier in rules[:index]:
                    pair = (earlier.rule_id, later.rule_id)
                    if later.agreement_id == earlier.agreement_id or pair in found:
                        continue
                    if later.purpose == earlier.purpose:
                        continue
                    found[pair] = Problem(
                        later.file,
                        later.line_of("purpose"),
                        f"rule {later.rule_id!r} and rule {earlier.rule_id!r}"
                        f" ({earlier.file}:{earlier.line}) both grant {source} -> {recipient}"
                        f" {event_type!r} with different purposes"
                        f" ({later.purpose!r}, {earlier.purpose!r})",
                        "warning",
                        CODE_PURPOSE_CONFLICT,
                    )
    return list(found.values())
